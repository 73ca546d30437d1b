"""End to end: `mkdocs build --strict` through the plugin, on the seed story and on hostile input."""

from __future__ import annotations

import filecmp
import json
import re
from pathlib import Path

import pytest

from tests.conftest import HtmlPage, assert_inert, make_project, mkdocs_build, parse_html

STORY = "us-iraq-combat-mission"


def story_pages(site: Path, story: str = STORY) -> list[Path]:
    return sorted((site / story).rglob("index.html"))


def test_every_page_of_the_story_is_built(seed_site: Path) -> None:
    data = json.loads((seed_site / "api" / f"{STORY}.json").read_text(encoding="utf-8"))
    for page in ("", "facts/", "conflicts/", "entities/"):
        assert (seed_site / STORY / page / "index.html").is_file()
    for source in data["sources"]:
        assert (seed_site / STORY / "sources" / source["id"] / "index.html").is_file()
    index = json.loads((seed_site / "api" / "index.json").read_text(encoding="utf-8"))
    assert index["stories"] == [{"id": STORY, "title": data["story"]["title"], "data": f"{STORY}.json"}]
    assert (seed_site / "assets" / "corroborate.css").is_file()


def test_every_citation_lands_on_an_anchored_sentence(seed_site: Path) -> None:
    data = json.loads((seed_site / "api" / f"{STORY}.json").read_text(encoding="utf-8"))
    anchors = {
        s["id"]: parse_html(seed_site / STORY / "sources" / s["id"] / "index.html").ids
        for s in data["sources"]
    }
    citations = [c for f in data["facts"] for c in f["citations"]]
    citations += [c for s in data["consensus"] for c in s["citations"]]
    assert citations
    for citation in citations:
        assert citation["sentence"] in anchors[citation["source"]]
    # and the links on the story home point at those anchors
    home = parse_html(seed_site / STORY / "index.html")
    links = [a.get("href") or "" for tag, a in home.tags if tag == "a"]
    cited = [link for link in links if "#s-" in link]
    assert len(cited) >= sum(len(s["citations"]) for s in data["consensus"])
    for link in cited:
        path, anchor = link.split("#")
        target = (seed_site / STORY / path / "index.html").resolve()
        assert anchor in parse_html(target).ids, link


def test_source_pages_keep_the_article_word_for_word(seed_site: Path) -> None:
    data = json.loads((seed_site / "api" / f"{STORY}.json").read_text(encoding="utf-8"))
    for source in data["sources"]:
        page = " ".join(
            " ".join(parse_html(seed_site / STORY / "sources" / source["id"] / "index.html").text).split()
        )
        for sentence in source["sentences"]:
            assert " ".join(sentence["text"].split()) in page
        for removed in source["removed"]:
            assert " ".join(removed.split()) in page  # listed for transparency
        # The article is set apart from Markdown (render.set_apart) and put back whole.
        built = (seed_site / STORY / "sources" / source["id"] / "index.html").read_text(encoding="utf-8")
        assert "data-corroborate-block" not in built and "corroborate:html" not in built
        assert built.count('class="cb-sentence') == len(source["sentences"])  # the headline too


def test_fact_sheet_and_source_links_work_and_search_keeps_each_sentence_once_a_page(seed_site: Path) -> None:
    """The fact lists are set apart from Markdown: their links still reach the pages' anchors, and
    the source pages' lists (the article's sentences again) are left out of the search index."""
    data = json.loads((seed_site / "api" / f"{STORY}.json").read_text(encoding="utf-8"))
    facts = parse_html(seed_site / STORY / "facts" / "index.html")
    links = [a.get("href") or "" for tag, a in facts.tags if tag == "a" and "#s-" in (a.get("href") or "")]
    assert len(links) == sum(len(f["citations"]) for f in data["facts"])
    for link in links:
        path, anchor = link.split("#")
        assert anchor in parse_html((seed_site / STORY / "facts" / path / "index.html").resolve()).ids, link
    fact_ids = facts.ids
    search = json.loads((seed_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for source in data["sources"]:
        page = parse_html(seed_site / STORY / "sources" / source["id"] / "index.html")
        to_facts = [a["href"] for tag, a in page.tags if tag == "a" and "/facts/#" in (a.get("href") or "")]
        assert to_facts and all(href.split("#")[1] in fact_ids for href in to_facts)
        lists = [
            d
            for d in search["docs"]
            if d["location"].endswith(f"sources/{source['id']}/#facts-from-this-source")
        ]
        assert [d["text"] for d in lists] == [""]


def test_a_headline_is_an_anchored_heading_that_citations_highlight(seed_site: Path) -> None:
    data = json.loads((seed_site / "api" / f"{STORY}.json").read_text(encoding="utf-8"))
    headlines = [(s["id"], x) for s in data["sources"] for x in s["sentences"] if x.get("headline")]
    assert len(headlines) >= 2
    cited = {c["sentence"] for f in data["facts"] for c in f["citations"]}
    assert any(x["id"] in cited for _, x in headlines)
    for source_id, sentence in headlines:
        page = parse_html(seed_site / STORY / "sources" / source_id / "index.html")
        tags = [tag for tag, _ in page.tags]
        at = next(k for k, (tag, a) in enumerate(page.tags) if a.get("id") == sentence["id"])
        assert page.tags[at][0] == "span" and "cb-sentence" in (page.tags[at][1].get("class") or "")
        assert tags[:at].count("h1") == 1 and "h2" not in tags[tags.index("h1") : at]  # inside the h1
        assert " ".join(sentence["text"].split()) in page.visible
    css = (seed_site / "assets" / "corroborate.css").read_text(encoding="utf-8")
    assert ".cb-sentence:target" in css


def test_the_site_makes_no_outside_requests(seed_site: Path) -> None:
    for page in seed_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        for match in re.finditer(r'<(?:script|link)[^>]+(?:src|href)="(https?:)?//', html):
            pytest.fail(f"{page}: external asset {match.group()}")


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert mkdocs_build(project, "--strict", "-d", "one").returncode == 0
    assert mkdocs_build(project, "--strict", "-d", "two").returncode == 0
    one, two = project / "one", project / "two"
    compared = [p.relative_to(one) for p in (one / STORY).rglob("*.html")]
    compared += [p.relative_to(one) for p in (one / "api").glob("*.json")]
    assert compared
    _, mismatch, errors = filecmp.cmpfiles(one, two, [str(p) for p in compared], shallow=False)
    assert mismatch == [] and errors == []


HOSTILE = [
    "</title><script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://example.com/evil"></iframe>',
    "[click me](javascript:alert(1))",
    "{{ 7 * 7 }}",
    "{% if true %}jinja{% endif %}",
]


def hostile_story() -> dict[str, dict[str, str | bytes]]:
    payload = " ".join(HOSTILE)
    plain = (
        f"Officials {HOSTILE[0]} said the bridge closed\n\n"
        f"The city said on Monday that the old bridge closed after an inspection found cracks {payload}.\n\n"
        f"Engineers said repairs would take three months {HOSTILE[3]}.\n"
    )
    marked = (
        "---\n"
        f"title: {json.dumps('Bridge shut ' + HOSTILE[1])}\n"
        f"outlet: {json.dumps('Daily ' + HOSTILE[2])}\n"
        'url: "javascript:alert(1)"\n'
        "published: 2024-03-04\n"
        "---\n"
        "The city said on Monday that the old bridge closed after an inspection found cracks "
        f"{HOSTILE[4]}.\n\n"
        f"Engineers said repairs would take three months {HOSTILE[5]}.\n"
    )
    return {
        "hostile": {
            "story.yaml": f"title: {json.dumps(f'Bridge {HOSTILE[0]} {HOSTILE[4]}')}\n",
            "a.txt": plain,
            "b.md": marked,
            "c.md": '---\nurl: "https://example.com/x?q=[click](javascript:alert(1))|b"\n---\n'
            "Engineers said on Monday that repairs to the old bridge would take three months.\n",
        }
    }


def test_hostile_text_is_shown_never_executed(tmp_path: Path) -> None:
    project = make_project(tmp_path, hostile_story())
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    pages = [*story_pages(site, "hostile"), site / "index.html"]
    assert len(pages) >= 6
    for path in pages:
        page = parse_html(path)
        assert_inert(path, page)
        visible = re.sub(r"\b[fcs]-[0-9a-f]{8}\b", "", " ".join(page.text)).replace("2024", "")
        assert "49" not in visible  # {{ 7 * 7 }} was not evaluated
    # Each payload is visible as text on the page that shows the article.
    source_a = " ".join(parse_html(site / "hostile" / "sources" / "a" / "index.html").text)
    source_b = " ".join(parse_html(site / "hostile" / "sources" / "b" / "index.html").text)
    for payload in HOSTILE:
        assert payload in source_a
    assert HOSTILE[1] in source_b and HOSTILE[2] in source_b and HOSTILE[4] in source_b
    assert "javascript:alert(1) (not a web address)" in source_b
    source_c = (site / "hostile" / "sources" / "c" / "index.html").read_text(encoding="utf-8")
    links = [
        attrs.get("href") or ""
        for tag, attrs in parse_html(site / "hostile" / "sources" / "c" / "index.html").tags
        if tag == "a"
    ]
    assert not any(href.lower().startswith("javascript") for href in links)
    assert "https://example.com/x?q=[click](javascript:alert(1))|b" in " ".join(
        parse_html(site / "hostile" / "sources" / "c" / "index.html").text
    )
    assert source_c.count('rel="nofollow noopener"') == 1
    # ... and in the body of pages that show it through Markdown, without stray escapes.
    for page in ("index.html", "facts/index.html"):
        html_text = (site / "hostile" / page).read_text(encoding="utf-8")
        body = HtmlPage()
        body.feed(html_text[html_text.index("<article") :])
        visible = " ".join(body.text)
        assert "\\" not in visible, page
        if page == "index.html":
            assert f"Bridge {HOSTILE[0]} {HOSTILE[4]}" in visible
        else:
            assert HOSTILE[3] in visible and HOSTILE[5] in visible


HOSTILE_PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<title>&lt;/title&gt;&lt;script&gt;alert('t')&lt;/script&gt; Bridge shut | Daily</title>
<meta property="og:site_name" content="Daily &lt;img src=x onerror=&quot;alert(1)&quot;&gt;">
<meta name="author" content="Ann Lee {{ 7 * 7 }}">
<link rel="canonical" href="javascript:alert(1)">
<script>alert('page script')</script>
</head><body><article>
<p>The city said on Monday that the old bridge closed after an inspection found cracks
&lt;iframe src="https://example.com/evil"&gt;&lt;/iframe&gt; in two of its piers.</p>
<iframe src="https://example.com/evil"></iframe><img src=x onerror="alert(2)">
<p>Engineers said repairs would take three months {% if true %}jinja{% endif %} at least.</p>
<script>alert('body script')</script>
</article></body></html>
"""


def test_a_hostile_web_page_is_shown_as_text(tmp_path: Path) -> None:
    """Markup in a page's metadata and text reaches the site as visible text, never as markup."""
    project = make_project(
        tmp_path,
        {
            "page": {
                "a.html": HOSTILE_PAGE,
                "b.txt": "Bridge closed\n\nThe city said on Monday that the old bridge closed after "
                "an inspection found cracks.\n",
            }
        },
    )
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for path in [*story_pages(site, "page"), site / "index.html"]:
        page = parse_html(path)
        assert_inert(path, page)
        assert "49" not in " ".join(page.text)
    source = " ".join(" ".join(parse_html(site / "page" / "sources" / "a" / "index.html").text).split())
    assert 'cracks <iframe src="https://example.com/evil"></iframe> in two of its piers' in source
    assert "{% if true %}jinja{% endif %}" in source
    assert "</title><script>alert('t')</script> Bridge shut" in source
    assert 'Daily <img src=x onerror="alert(1)">' in source
    assert "Address: unknown" in source  # trafilatura does not take a javascript: canonical link
    assert "page script" not in source and "body script" not in source


def test_a_bad_article_warns_and_the_rest_still_builds(tmp_path: Path) -> None:
    good = "Storm hits coast\n\nA storm hit the coast on Sunday, officials said.\n"
    project = make_project(
        tmp_path,
        {
            "storm": {
                "good.txt": good,
                "other.txt": "Storm closes port\n\nA storm hit the coast on Sunday and closed the port.\n",
                "empty.txt": "",
                "binary.txt": b"\x00\x01\x02binary\x00",
                "notes.pdf": b"%PDF-1.4",
            }
        },
    )
    lenient = mkdocs_build(project)
    assert lenient.returncode == 0, lenient.stderr
    for name in ("empty.txt", "binary.txt", "notes.pdf"):
        assert name in lenient.stderr
    assert "empty file" in lenient.stderr and "binary file" in lenient.stderr
    assert (project / "site" / "storm" / "sources" / "good" / "index.html").is_file()
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0


def test_a_broken_story_file_stops_the_build_naming_file_and_line(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "storm": {
                "story.yaml": "title: Storm\nsummary: [unclosed\n",
                "a.txt": "Storm hits coast\n\nA storm hit the coast on Sunday, officials said.\n",
            }
        },
    )
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert re.search(r"story\.yaml:\d+(:\d+)?: error: YAML syntax error", result.stderr), result.stderr


def test_several_stories_build_several_sections(tmp_path: Path) -> None:
    article = "Storm hits coast\n\nA storm hit the coast on Sunday, officials said.\n"
    project = make_project(
        tmp_path,
        {
            "storm": {"story.yaml": "title: The storm\n", "a.txt": article},
            "vote": {
                "story.yaml": "title: The vote\n",
                "a.txt": "Council votes\n\nThe council voted 7 to 2 on Tuesday to approve the budget.\n",
            },
        },
    )
    assert mkdocs_build(project, "--strict").returncode == 0
    index = json.loads((project / "site" / "api" / "index.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in index["stories"]] == ["storm", "vote"]
    home = " ".join(parse_html(project / "site" / "index.html").text)
    assert "The storm" in home and "The vote" in home


def test_a_story_without_readable_articles_is_skipped_with_a_warning(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "storm": {"a.txt": "Storm hits coast\n\nA storm hit the coast on Sunday, officials said.\n"},
            "hollow": {"empty.txt": ""},
        },
    )
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "hollow: warning: story has no readable articles: skipped" in result.stderr
    assert not (project / "site" / "hollow").exists()
    index = json.loads((project / "site" / "api" / "index.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in index["stories"]] == ["storm"]
    assert mkdocs_build(project, "--strict").returncode != 0


WIRE = (
    "Engineers said the old bridge over the river would close for repairs next month.\n\n"
    "The work will cost about 40 million dollars and take three months, officials said.\n\n"
    "Drivers will be sent across the northern bridge while the repairs are made.\n"
)


def test_wire_copies_and_duplicate_files_count_once_and_say_whose_copy(tmp_path: Path) -> None:
    """The same agency story in two outlets (with their own furniture) and the same file twice:
    all shown, one independent source, and each copy's page names its original."""
    story = {
        "a-agency.md": "---\noutlet: Agency\n---\n" + WIRE,
        "b-paper.md": "---\noutlet: Daily Paper\n---\nBy Staff\n\n" + WIRE + "\nShare this article\n",
        "c-again.md": "---\noutlet: Agency\n---\n" + WIRE,
        "d-other.txt": "The bridge over the river will close next month for repairs, engineers said.\n",
    }
    project = make_project(tmp_path, {"bridge": story})
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    data = json.loads((project / "site" / "api" / "bridge.json").read_text(encoding="utf-8"))
    copies = {s["id"]: s["copy_of"] for s in data["sources"]}
    assert copies == {"a-agency": None, "b-paper": "a-agency", "c-again": "a-agency", "d-other": None}
    closing = next(f for f in data["facts"] if any(c["source"] == "d-other" for c in f["citations"]))
    assert {c["source"] for c in closing["citations"]} >= {"a-agency", "d-other"}
    assert closing["support"] == 2  # four sources cite it; three are one story
    page = " ".join(parse_html(project / "site" / "bridge" / "sources" / "b-paper" / "index.html").text)
    assert "Copy of" in page and "Agency" in page and "counted as one independent source" in page
