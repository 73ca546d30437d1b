"""Stage 7, render: escaping, links and the page set, without MkDocs."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest import find_stories
from generator.pipeline import build_folder
from generator.render import (
    SiteRenderer,
    format_day,
    html_escape,
    md_escape,
    safe_url,
    set_apart,
    text_direction,
)
from tests.conftest import ROOT

_MARKDOWN = markdown.Markdown(extensions=["tables", "attr_list"])


def rendered(text: str) -> str:
    _MARKDOWN.reset()
    return _MARKDOWN.convert(str(md_escape(text)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80))
def test_escaped_text_renders_as_that_text_and_nothing_else(text: str) -> None:
    output = rendered(text)
    body = output.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in body, output  # no element of any kind came out of the text
    assert " ".join(html.unescape(body).split()) == " ".join(text.split())


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "![x](https://example.com/a.png)",
        "<https://example.com>",
        "**bold** _it_ `code`",
        "# heading",
        "| a | b |",
        "{: onclick=alert(1) }",
        "&lt;script&gt;",
    ],
)
def test_markdown_and_html_syntax_stay_literal(payload: str) -> None:
    output = rendered(f"before {payload} after")
    assert html.unescape(output) == f"<p>before {payload} after</p>"


def test_html_escape_covers_attributes() -> None:
    assert str(html_escape('"><img onerror=x>')) == "&quot;&gt;&lt;img onerror=x&gt;"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=c", "https://example.com/a?b=c"),
        ("http://example.com", "http://example.com"),
        ("javascript:alert(1)", None),
        (" JAVASCRIPT:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.com", None),
        ("example.com", None),
        (None, None),
    ],
)
def test_only_web_addresses_become_links(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_format_day() -> None:
    assert format_day("2021-04-07") == "7 April 2021"
    assert format_day("2021-12") == "December 2021"
    assert format_day("2021") == "2021"


@pytest.fixture(scope="module")
def seed_pages() -> tuple[dict[str, str], list]:
    folders, _ = find_stories(ROOT / "content")
    pages, nav = SiteRenderer(ROOT / "site_templates").render([build_folder(f) for f in folders])
    return {p.path: p.content for p in pages}, nav


def test_the_page_set(seed_pages: tuple[dict[str, str], list]) -> None:
    pages, nav = seed_pages
    story = "us-iraq-combat-mission"
    expected = {"index.md", "api/index.json", "assets/corroborate.css", f"api/{story}.json"}
    expected |= {f"{story}/{name}.md" for name in ("index", "facts", "conflicts", "entities", "corrections")}
    sources = {p for p in pages if p.startswith(f"{story}/sources/")}
    assert expected <= set(pages) and len(sources) == 4
    assert set(pages) == expected | sources
    listed = json.dumps(nav)
    for path in pages:
        if path.endswith(".md"):
            assert f'"{path}"' in listed, path


def test_every_page_has_an_escaped_front_matter_title(seed_pages: tuple[dict[str, str], list]) -> None:
    pages, _ = seed_pages
    for path, content in pages.items():
        if path.endswith(".md"):
            first = content.split("\n")
            assert first[0] == "---" and first[1].startswith("title: ") and first[2] == "---", path


def test_links_are_relative_to_the_page(seed_pages: tuple[dict[str, str], list]) -> None:
    pages, _ = seed_pages
    source_page = next(p for p in pages if "/sources/" in p)
    assert '<a href="../facts.md#f-' in pages[source_page]  # in set-apart HTML: the plugin rewrites it
    assert "](sources/" in pages["us-iraq-combat-mission/index.md"]
    assert "](us-iraq-combat-mission/index.md)" in pages["index.md"]


def test_a_nav_title_is_html_escaped(tmp_path: Path) -> None:
    story_dir = tmp_path / "content" / "stories" / "s"
    story_dir.mkdir(parents=True)
    (story_dir / "story.yaml").write_text('title: "A <b>bold</b> story"\n', encoding="utf-8")
    (story_dir / "a.txt").write_text("Head <i>line</i>\n\nThe council met on Monday.\n", encoding="utf-8")
    folders, _ = find_stories(tmp_path / "content")
    pages, nav = SiteRenderer(ROOT / "site_templates").render([build_folder(folders[0])])
    assert "A &lt;b&gt;bold&lt;/b&gt; story" in nav[1]
    assert "<b>" not in json.dumps(nav) and "<i>" not in json.dumps(nav)
    source = next(p for p in pages if p.path == "s/sources/a.md")
    assert 'title: "Head &lt;i&gt;line&lt;/i&gt;"' in source.content


# --- headlines ----------------------------------------------------------------------------------

HEADED = {
    "a.txt": "Council <b>backs</b> *new* [bridge](javascript:alert(1)) & more\n\n"
    "The city council approved a new bridge over the river on Tuesday.\n",
    "b.txt": "On Tuesday the city council voted to approve a new bridge across the river.\n",
}


def headed_pages(tmp_path: Path, articles: dict[str, str]) -> tuple[dict[str, str], dict]:
    story_dir = tmp_path / "content" / "stories" / "s"
    story_dir.mkdir(parents=True)
    for name, text in articles.items():
        (story_dir / name).write_text(text, encoding="utf-8")
    folders, _ = find_stories(tmp_path / "content")
    pages, _ = SiteRenderer(ROOT / "site_templates").render([build_folder(folders[0])])
    by_path = {p.path: p.content for p in pages}
    return by_path, json.loads(by_path["api/s.json"])


def test_the_headline_is_the_anchored_heading_of_its_source_page(tmp_path: Path) -> None:
    pages, data = headed_pages(tmp_path, HEADED)
    first, body = data["sources"][0]["sentences"]
    assert first["headline"] is True and "headline" not in body
    hid = first["id"]
    page = pages["s/sources/a.md"]
    (heading,) = [line for line in page.splitlines() if line.startswith("# ")]
    assert heading.startswith(
        f'# <span class="cb-sentence cb-headline" id="{hid}"><a class="cb-sid" href="#{hid}">1.H</a> '
    )
    assert "S1.H" in page  # the article's introduction names its number
    article = page[page.index('<div class="cb-article">') : page.index("</div>")]
    assert hid not in article and "backs" not in article  # not body sentence 1
    assert 'class="cb-sid" href="#' in article and ">1.1</a>" in article
    # Markdown and HTML in it stay text: one heading, an anchor span and its number link, nothing else.
    _MARKDOWN.reset()
    rendered_heading = _MARKDOWN.convert(heading)
    tags = re.findall(r"<(\w+)", rendered_heading)
    assert tags == ["h1", "span", "a"], rendered_heading
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered_heading)) == (
        "1.H Council <b>backs</b> *new* [bridge](javascript:alert(1)) & more"
    )


def test_a_citation_of_a_headline_reads_s_n_h_and_links_to_its_anchor(tmp_path: Path) -> None:
    pages, data = headed_pages(tmp_path, HEADED)
    hid = data["sources"][0]["sentences"][0]["id"]
    cited = [f for f in data["facts"] if {"source": "a", "sentence": hid} in f["citations"]]
    assert cited
    assert f'<a href="sources/a.md#{hid}">S1.H</a>' in pages["s/facts.md"]


def test_a_source_without_a_headline_keeps_its_plain_heading(tmp_path: Path) -> None:
    pages, data = headed_pages(tmp_path, {"b.txt": HEADED["b.txt"]})
    assert all("headline" not in s for s in data["sources"][0]["sentences"])
    assert "\n# b\n" in pages["s/sources/b.md"]
    assert "cb-headline" not in pages["s/sources/b.md"] and ".H" not in pages["s/sources/b.md"]


def test_words_kept_counts_the_body_only(tmp_path: Path) -> None:
    _, data = headed_pages(tmp_path, HEADED)
    source = data["sources"][0]
    body = [s["text"] for s in source["sentences"] if not s.get("headline")]
    assert source["report"]["words_kept"] == sum(len(t.split()) for t in body)
    assert source["sentences"][0]["paragraph"] == -1


@pytest.mark.parametrize(
    ("language", "text", "direction"),
    [
        ("ar", "anything", "rtl"),
        ("fa-IR", "anything", "rtl"),
        ("he_IL", "anything", "rtl"),
        ("en-GB", "مرحبا بالعالم", "ltr"),  # the file's stated language wins
        (None, "أعلنت الحكومة يوم الاثنين عن خطة جديدة للنقل", "rtl"),
        (None, "הממשלה הודיעה היום על תוכנית חדשה", "rtl"),
        (None, "The government announced a plan (خطة) on Monday.", "ltr"),
        (None, "", "ltr"),
    ],
)
def test_text_direction(language: str | None, text: str, direction: str) -> None:
    assert text_direction(language, text) == direction


def test_a_right_to_left_source_page_says_so(tmp_path: Path) -> None:
    story_dir = tmp_path / "stories" / "rtl"
    story_dir.mkdir(parents=True)
    (story_dir / "a.txt").write_text(
        "أعلنت الحكومة يوم الاثنين عن خطة جديدة للنقل العام في المدينة.\n", encoding="utf-8"
    )
    (story_dir / "b.txt").write_text(
        "The government announced a new transport plan on Monday.\n", encoding="utf-8"
    )
    folders, _ = find_stories(tmp_path)
    pages, _ = SiteRenderer(ROOT / "site_templates").render([build_folder(f) for f in folders])
    by_path = {p.path: p.content for p in pages}
    assert '<div class="cb-article" dir="rtl">' in by_path["rtl/sources/a.md"]
    assert '<div class="cb-article">' in by_path["rtl/sources/b.md"]


_PAGE = (
    "# Title\n\nSome *Markdown* before.\n\n"
    "<!-- corroborate:html -->\n"
    '<div class="cb-article">\n<p><span id="s-1">One *not emphasis* &amp; more.</span> '
    '<span class="x" id="s-&quot;2">Two.</span></p>\n</div>\n'
    "<!-- /corroborate:html -->\n\n- a [link](other.md#s-1) after\n"
)


def test_set_apart_html_comes_back_as_markdown_would_have_passed_it() -> None:
    parts = set_apart(_PAGE)
    ((placeholder, block),) = parts.blocks
    assert "cb-article" not in parts.markdown and placeholder in parts.markdown
    assert block.startswith('<div class="cb-article">') and block.endswith("</div>")
    assert parts.anchors() == {"s-1", 's-"2'}
    converter = markdown.Markdown(extensions=["tables"])
    whole = converter.convert(_PAGE)
    converter.reset()
    # Markdown passes the block through untouched (markers aside), so the pages are the same.
    restored = parts.restore(converter.convert(parts.markdown))
    strip = re.compile(r"<!-- /?corroborate:html -->\n?")
    assert restored == strip.sub("", whole)
    assert "<em>" in restored and "*not emphasis*" in restored  # the block was never Markdown


def test_a_lost_placeholder_is_an_error_and_a_page_without_blocks_is_unchanged() -> None:
    parts = set_apart(_PAGE)
    with pytest.raises(ValueError, match="lost the placeholder"):
        parts.restore("<h1>Title</h1>")
    plain = set_apart("# Title\n\n<div>kept in Markdown</div>\n")
    assert plain.blocks == () and plain.markdown == "# Title\n\n<div>kept in Markdown</div>\n"
    # A marker written inside a line (as article text could be, were it not escaped) sets nothing apart.
    inline = set_apart("text <!-- corroborate:html -->\n<b>x</b>\n<!-- /corroborate:html --> text\n")
    assert inline.blocks == ()


def test_source_pages_set_their_article_apart(seed_pages: tuple[dict[str, str], list]) -> None:
    pages, _ = seed_pages
    source = next(content for path, content in pages.items() if "/sources/" in path)
    parts = set_apart(source)
    block = next(block for _, block in parts.blocks if block.startswith('<div class="cb-article"'))
    assert len(parts.anchors()) == block.count('class="cb-sentence"')
    # The page's fact lists and removed lines are set apart too; their links name the fact sheet.
    # The lists repeat the article's sentences, so search leaves them out (Material's attribute).
    assert any(block.startswith("<ul data-search-exclude>\n<li>") for _, block in parts.blocks)
    assert {written for written, _ in parts.links()} == {"../facts.md"}
    assert all(anchor.startswith("f-") for _, anchor in parts.links())
