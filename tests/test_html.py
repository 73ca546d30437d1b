"""Stage 1, ingest, for web pages: main text and metadata from `.html`/`.htm` files.

Every page here is invented for these tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.clean import clean_article
from generator.cli import main
from generator.ingest import find_stories, read_article
from generator.pipeline import read_sources
from generator.records import Article, ArticleMeta, Problem, Severity
from tests.conftest import read_ok, write

HEAD = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Council backs river bridge | The Riverside Courier</title>
<meta property="og:site_name" content="The Riverside Courier">
<meta name="author" content="Mara Quill">
<meta property="article:published_time" content="2021-04-07T09:30:00+00:00">
<link rel="canonical" href="https://courier.example/2021/04/07/bridge">
</head>
"""
BODY = """<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council backs river bridge</h1>
<p>The town council voted on Tuesday to build a footbridge across the river Wend,
ending a debate that began eleven years ago.</p>
<p>Councillors approved the plan by nine votes to four after a meeting that lasted
almost three hours and drew a crowd of residents.</p>
<h2>What happens next</h2>
<p>Work on the foundations is due to start in the summer, and the bridge should open
to walkers and cyclists the following spring.</p>
<p>The engineer in charge, Tobias Renn, said the design keeps the old ferry steps so
that the crossing stays usable during floods.</p>
</article>
<footer><p>© 2021 The Riverside Courier. All rights reserved.</p></footer>
</body>
</html>
"""
PAGE = HEAD + BODY
PARAGRAPHS = [
    "Council backs river bridge",
    "The town council voted on Tuesday to build a footbridge across the river Wend, ending a debate "
    "that began eleven years ago.",
    "Councillors approved the plan by nine votes to four after a meeting that lasted almost three hours "
    "and drew a crowd of residents.",
    "What happens next",
    "Work on the foundations is due to start in the summer, and the bridge should open to walkers and "
    "cyclists the following spring.",
    "The engineer in charge, Tobias Renn, said the design keeps the old ferry steps so that the crossing "
    "stays usable during floods.",
]


def paragraphs(article: Article) -> list[str]:
    return [line.text for line in article.lines if line.text]


def page_line(page: str, needle: str) -> int:
    """The 1-based line of `page` on which `needle` first appears."""
    return next(i for i, line in enumerate(page.split("\n"), 1) if needle in line)


def test_main_text_without_page_furniture(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "courier.html", PAGE))
    assert paragraphs(article) == PARAGRAPHS
    text = " ".join(paragraphs(article))
    assert "Home" not in text and "Sport" not in text and "All rights reserved" not in text


def test_metadata_fills_the_article_fields(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "courier.html", PAGE))
    assert article.meta == ArticleMeta(
        title="Council backs river bridge",
        outlet="The Riverside Courier",
        url="https://courier.example/2021/04/07/bridge",
        published="2021-04-07",
        language="en-GB",
        author="Mara Quill",
    )
    assert article.source_id == "courier"
    assert article.notes == ()


def test_each_paragraph_is_numbered_by_its_html_line(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "courier.html", PAGE))
    numbered = [(line.number, line.text) for line in article.lines if line.text]
    assert numbered[0] == (page_line(PAGE, "<h1>"), PARAGRAPHS[0])
    assert numbered[4][0] == page_line(PAGE, "Work on the foundations")
    assert [n for n, _ in numbered] == sorted(n for n, _ in numbered)


def test_paragraphs_are_separated_by_blank_lines(tmp_path: Path) -> None:
    """As in a .txt article, so a heading that does not end like a sentence stays its own paragraph."""
    article = read_ok(write(tmp_path / "courier.html", PAGE))
    assert [bool(line.text) for line in article.lines] == [True, False] * len(PARAGRAPHS)
    cleaned = clean_article(article)
    assert "What happens next" in cleaned.paragraphs


def test_a_minified_page_shares_line_numbers(tmp_path: Path) -> None:
    page = HEAD.replace("\n", " ") + BODY.replace("\n", " ")
    article = read_ok(write(tmp_path / "min.html", page))
    assert paragraphs(article) == PARAGRAPHS
    assert {line.number for line in article.lines} == {1}


def test_the_repeated_headline_is_removed_by_clean(tmp_path: Path) -> None:
    cleaned = clean_article(read_ok(write(tmp_path / "courier.html", PAGE)))
    assert cleaned.paragraphs[0].startswith("The town council voted")
    assert [(r.line, r.reason) for r in cleaned.removed] == [(page_line(PAGE, "<h1>"), "repeated headline")]


def test_missing_metadata_is_simply_absent(tmp_path: Path) -> None:
    body = BODY.replace("<h1>Council backs river bridge</h1>", "").replace("h2>", "p>")
    page = "<!DOCTYPE html>\n<html>\n<head></head>\n" + body
    article = read_ok(write(tmp_path / "bare.html", page))
    assert article.meta.title is None
    assert article.meta.outlet is None
    assert article.meta.url is None
    assert article.meta.author is None
    assert article.meta.published is None
    assert article.meta.language is None
    assert paragraphs(article)[0].startswith("The town council voted")


def test_a_date_is_never_guessed_from_a_copyright_line(tmp_path: Path) -> None:
    page = HEAD.replace('<meta property="article:published_time" content="2021-04-07T09:30:00+00:00">', "")
    page = page.replace("/2021/04/07/", "/")  # nor a date in the address
    article = read_ok(write(tmp_path / "a.html", page + BODY))  # the footer says "© 2021"
    assert article.meta.published is None


def test_htm_suffix_is_html_too(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "courier.htm", PAGE))
    assert article.meta.outlet == "The Riverside Courier"
    assert paragraphs(article) == PARAGRAPHS


def test_a_page_without_main_text_is_a_warning(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html>\n<html><head><title>Menu</title></head>\n"
        '<body><nav><a href="/">Home</a></nav></body></html>\n'
    )
    path = write(tmp_path / "menu.html", page)
    problem = read_article(path)
    assert isinstance(problem, Problem)
    assert problem.severity is Severity.WARNING
    assert problem.path == path
    assert "no article text found" in problem.message
    assert problem.describe().startswith(f"{path}: warning: no article text found")


def test_an_extractor_crash_is_a_warning_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    problem = read_article(write(tmp_path / "a.html", PAGE))
    assert isinstance(problem, Problem)
    assert "trafilatura failed (RuntimeError: boom)" in problem.message


def test_a_txt_file_holding_a_web_page_is_read_as_html(tmp_path: Path) -> None:
    path = write(tmp_path / "saved.txt", PAGE)
    article = read_ok(path)
    assert paragraphs(article) == PARAGRAPHS
    assert article.meta.outlet == "The Riverside Courier"
    assert [(n.severity, n.message) for n in article.notes] == [
        (Severity.INFO, "read as HTML: the .txt file starts like a web page")
    ]


def test_an_html_file_without_markup_is_read_as_text(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "plain.html", "Bridge Vote\n\nThe council voted on Tuesday.\n"))
    assert article.meta.title == "Bridge Vote"
    assert paragraphs(article) == ["The council voted on Tuesday."]
    assert [n.message for n in article.notes] == ["read as plain text: the .html file has no HTML markup"]


def test_a_declared_charset_is_used_when_the_bytes_are_not_utf8(tmp_path: Path) -> None:
    body = BODY.replace("river Wend", "river Вента")
    page = HEAD.replace('charset="utf-8"', 'charset="windows-1251"') + body
    article = read_ok(write(tmp_path / "a.html", page.replace("©", "(c)").encode("cp1251")))
    assert "river Вента" in paragraphs(article)[1]
    assert [n.message for n in article.notes] == ["decoded as cp1251 (declared in the page)"]


def test_declared_latin1_is_read_as_cp1252(tmp_path: Path) -> None:
    page = (HEAD.replace('charset="utf-8"', 'charset="ISO-8859-1"') + BODY).replace("©", "(c)")
    page = page.replace("keeps the old", "keeps the “old”")
    article = read_ok(write(tmp_path / "a.html", page.encode("cp1252")))
    assert "keeps the “old” ferry steps" in paragraphs(article)[5]
    assert [n.message for n in article.notes] == ["decoded as cp1252 (declared in the page)"]


def test_valid_utf8_wins_over_a_wrong_declaration(tmp_path: Path) -> None:
    page = HEAD.replace('charset="utf-8"', 'charset="iso-8859-1"') + BODY.replace("river Wend", "river Wénd")
    article = read_ok(write(tmp_path / "a.html", page))
    assert "river Wénd" in paragraphs(article)[1]
    assert article.notes == ()


def test_an_xml_declaration_does_not_stop_parsing(tmp_path: Path) -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + PAGE.replace("<!DOCTYPE html>\n", "")
    article = read_ok(write(tmp_path / "a.xhtml.html", page))
    assert paragraphs(article) == PARAGRAPHS
    assert article.lines[0].number == page_line(page, "<h1>")


def test_spaces_and_mojibake_in_a_page_are_repaired_and_noted(tmp_path: Path) -> None:
    body = BODY.replace("nine votes to four", "nine&nbsp;votes to\u200b four").replace(
        "The engineer in charge", "The engineerâ€™s deputy"
    )
    page = HEAD + body.replace("<h1>Council backs river bridge", "<h1>CafÃ© council backs bridge")
    article = read_ok(write(tmp_path / "a.html", page))
    assert "nine votes to four" in paragraphs(article)[2]
    assert paragraphs(article)[5].startswith("The engineer’s deputy")
    assert article.meta.title == "Café council backs bridge"
    messages = [n.message for n in article.notes]
    assert any(
        m.startswith("repaired mojibake") and f"line {page_line(page, 'engineer')}" in m and "the title" in m
        for m in messages
    ), messages
    assert "\u00a0" not in paragraphs(article)[2] and "\u200b" not in paragraphs(article)[2]
    assert all(n.severity is Severity.INFO for n in article.notes)


def test_markup_in_the_page_never_becomes_article_text_markup(tmp_path: Path) -> None:
    page = HEAD.replace(
        "Council backs river bridge |", "&lt;script&gt;alert(1)&lt;/script&gt; bridge |"
    ).replace(
        'content="The Riverside Courier"', 'content="Courier &lt;img src=x onerror=alert(2)&gt;"'
    ).replace("https://courier.example/2021/04/07/bridge", "javascript:alert(3)") + BODY.replace(
        "<h1>Council backs river bridge</h1>", ""
    ).replace(
        "<p>Councillors approved",
        "<script>alert(4)</script><iframe src='https://evil.example'></iframe>"
        "<p>Councillors wrote &lt;iframe src=x&gt; on a banner and approved",
    )
    article = read_ok(write(tmp_path / "a.html", page))
    text = " ".join(paragraphs(article))
    assert "alert(4)" not in text  # scripts are not text
    assert "Councillors wrote <iframe src=x> on a banner" in text  # escaped markup is text, as written
    # Metadata arrives as the plain text the page states; the renderer escapes it (tests/test_site.py).
    assert article.meta.title == "<script>alert(1)</script> bridge"
    assert article.meta.outlet == "Courier <img src=x onerror=alert(2)>"


def test_html_articles_are_found_in_story_folders(tmp_path: Path) -> None:
    story = tmp_path / "stories" / "bridge"
    story.mkdir(parents=True)
    write(story / "a.html", PAGE)
    write(story / "b.htm", PAGE)
    write(story / "c.txt", "The council voted on Tuesday.\n")
    folders, problems = find_stories(tmp_path)
    assert problems == []
    assert folders[0].article_paths == (story / "a.html", story / "b.htm", story / "c.txt")


def test_reading_notes_reach_the_source(tmp_path: Path) -> None:
    path = write(tmp_path / "saved.txt", PAGE)
    sources, problems = read_sources([path])
    assert problems == []
    assert [n.message for n in sources[0].notes] == ["read as HTML: the .txt file starts like a web page"]


def test_export_reads_html_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path / "courier.html", PAGE)
    other = write(tmp_path / "other.txt", "The council voted on Tuesday to build a footbridge.\n")
    assert main(["export", str(page), str(other)]) == 0
    data = json.loads(capsys.readouterr().out)
    source = data["sources"][0]
    assert (source["id"], source["outlet"], source["published"]) == (
        "courier",
        "The Riverside Courier",
        "2021-04-07",
    )
    assert source["removed_details"] == [
        {"line": page_line(PAGE, "<h1>"), "text": "Council backs river bridge", "reason": "repeated headline"}
    ]


def test_trafilatura_is_imported_only_for_web_pages() -> None:
    code = "import sys, generator.pipeline, generator.cli; print('trafilatura' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def _nested(depth: int) -> str:
    body = " ".join(
        f"<p>The council approved the new bridge over the river on day {i}, officials told reporters.</p>"
        for i in range(8)
    )
    nested = f"{'<div>' * depth}<article>{body}</article>{'</div>' * depth}"
    return f"<html><head><title>Bridge</title></head><body>{nested}</body></html>"


def test_a_page_nested_hundreds_of_elements_deep_keeps_its_text() -> None:
    from generator.ingest_html import HtmlArticle, extract_html

    found = extract_html(_nested(400))
    assert isinstance(found, HtmlArticle)
    assert len(found.lines) == 8 and "day 7" in found.lines[-1].text


def test_text_too_deep_to_read_is_reported_with_its_depth() -> None:
    from generator.ingest_html import NoArticleText, extract_html

    found = extract_html(_nested(5000))
    assert isinstance(found, NoArticleText)
    assert "nests its elements 2048 or more deep" in found.reason
