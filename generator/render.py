"""Stage 7, render: stories to Markdown pages, JSON and a stylesheet, through Jinja2 templates.

Everything an article or an editor wrote is untrusted. Every `{{ value }}` in a template is
escaped for Markdown and HTML by default (the environment's `finalize`); only values built here
as `Markup` (links, anchors) pass through, and those escape their own parts. Article text never
becomes a template, so Jinja syntax in it stays text.

The output is a list of `Page`s (path relative to the site root, and content) and a navigation
tree; nothing here knows about MkDocs, so another static-site engine can use it as it is.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from .export import dumps, index_json, story_json
from .records import Citation, Correction, Fact, FactStatus, Source, Story

STYLESHEET = "assets/corroborate.css"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
# Finished HTML a template sets apart for `set_apart`, and the id attributes in it.
_SET_APART = re.compile(
    r"^<!-- corroborate:html -->\n(.*?)\n<!-- /corroborate:html -->$", re.DOTALL | re.MULTILINE
)
_ID_ATTRIBUTE = re.compile(r"<[A-Za-z][^<>]*?\sid=\"([^\"]*)\"")
# A link in set-apart HTML to another generated page, written to its file ("../facts.md#f-1"):
# the engine points it at the page, as it does for Markdown links.
_PAGE_LINK = re.compile(r'(<a\s[^<>]*?href=")([^":?#]+\.md)(#[^"]*)?"')

NavItem = dict[str, Any] | str


@dataclass(frozen=True, slots=True)
class Page:
    """One generated file of the site: a path relative to the docs root, and its text."""

    path: str
    content: str


@dataclass(frozen=True, slots=True)
class SetApart:
    """A page with its finished HTML blocks taken out, for a Markdown engine to convert the rest:
    a long article's thousands of sentences are HTML already, and parsing them as Markdown (and
    again for their anchors) would take most of the build. `restore` puts them back into the
    converted page; `anchors` are the ids they hold, for the engine's link checks."""

    markdown: str  # the page, each block replaced by an empty placeholder element on its own line
    blocks: tuple[tuple[str, str], ...]  # (placeholder, HTML), in page order

    def anchors(self) -> set[str]:
        return {html.unescape(m.group(1)) for _, block in self.blocks for m in _ID_ATTRIBUTE.finditer(block)}

    def links(self) -> set[tuple[str, str]]:
        """The links to other generated pages: (the `.md` file as written, relative to this page;
        the anchor, or "")."""
        return {
            (m.group(2), html.unescape(m.group(3) or "")[1:])
            for _, block in self.blocks
            for m in _PAGE_LINK.finditer(block)
        }

    def restore(self, converted: str, url: Callable[[str], str] | None = None) -> str:
        """The converted page with each block back in its placeholder's place, each link to a
        `.md` file pointed at `url(file)`, the page's address relative to this one (the caller
        resolves every file of `links()` first). A placeholder the engine did not keep is an
        error (ValueError): the block would be lost without a word."""
        for placeholder, block in self.blocks:
            at = converted.find(placeholder)
            if at < 0:
                raise ValueError(f"the converted page lost the placeholder {placeholder}")
            if url is not None:
                block = _PAGE_LINK.sub(
                    lambda m: f'{m.group(1)}{html.escape(url(m.group(2)))}{m.group(3) or ""}"', block
                )
            converted = converted[:at] + block + converted[at + len(placeholder) :]
        return converted


def set_apart(content: str) -> SetApart:
    """Take out each block a template put between `<!-- corroborate:html -->` and
    `<!-- /corroborate:html -->` lines (HTML that Markdown would pass through unchanged anyway).
    Placeholders are empty `div` elements numbered in page order, with a digest of the page, so
    no text of an article (escaped on every page) can be taken for one; an element, not a comment,
    so that a Markdown extension that strips comments keeps it."""
    digest = hashlib.sha1(content.encode()).hexdigest()[:16]
    blocks: list[tuple[str, str]] = []

    def placeholder(match: re.Match[str]) -> str:
        mark = f'<div data-corroborate-block="{len(blocks)}-{digest}"></div>'
        blocks.append((mark, match.group(1)))
        return mark

    return SetApart(_SET_APART.sub(placeholder, content), tuple(blocks))


def md_escape(value: object) -> Markup:
    """Text made safe for inline Markdown: no markup, link or HTML can come out of it."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def html_escape(value: object) -> Markup:
    """Text made safe inside raw HTML (element content or a quoted attribute)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(" ".join(str(value).split()), quote=True))


def safe_url(url: str | None) -> str | None:
    """The URL when it is plain http(s), else None: `javascript:` and the like never link."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def relative_link(page: str, target: str, anchor: str = "") -> Markup:
    """A link from one generated page to another, relative so MkDocs checks and rewrites it;
    targets and anchors are generated slugs, never article text."""
    relative = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return Markup(relative + (f"#{anchor}" if anchor else ""))


def format_day(iso: str) -> str:
    """'2021-04-07' -> '7 April 2021'; a partial date is shown as far as it goes."""
    months = (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{months[int(parts[1]) - 1]} {parts[0]}"
    return iso


class SiteRenderer:
    """Renders stories with the templates in one folder."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            autoescape=False,  # the output is Markdown; `finalize` escapes instead
            finalize=md_escape,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["md"] = md_escape
        self.env.filters["html"] = html_escape
        self.env.filters["day"] = format_day

    def render(self, stories: Sequence[Story]) -> tuple[list[Page], list[NavItem]]:
        """Every page of the site and its navigation, in a stable order."""
        return self.render_site([(story, self.render_story(story)) for story in stories])

    def render_site(
        self, rendered: Sequence[tuple[Story, tuple[list[Page], list[NavItem]]]]
    ) -> tuple[list[Page], list[NavItem]]:
        """The site around stories already rendered one by one (each with `render_story`, so a
        caller can leave out a story that failed to render): the home page, each story's pages,
        the JSON index and the stylesheet, and the navigation, in a stable order."""
        stories = [story for story, _ in rendered]
        pages = [
            Page("index.md", self._template("index.md.j2", page="index.md", title="Stories", stories=stories))
        ]
        nav: list[NavItem] = [{"Home": "index.md"}]
        for story, (story_pages, story_nav) in rendered:
            pages.extend(story_pages)
            nav.append({str(html_escape(story.title)): story_nav})
        pages.append(Page("api/index.json", dumps(index_json(stories))))
        css = (self.templates_dir / "corroborate.css").read_text(encoding="utf-8")
        pages.append(Page(STYLESHEET, css))
        return pages, nav

    def render_story(self, story: Story) -> tuple[list[Page], list[NavItem]]:
        """One story's pages (overview, fact sheet, conflicts, entities, corrections, sources and
        its JSON) and its section of the navigation; nothing is kept, so a failure leaves none."""
        base = story.info.id
        context = _StoryContext(story)
        pages = []
        nav: list[NavItem] = []
        for name, title, template in (
            ("index.md", "Overview", "story.md.j2"),
            ("facts.md", "Fact sheet", "facts.md.j2"),
            ("conflicts.md", "Where sources differ", "conflicts.md.j2"),
            ("entities.md", "Entities", "entities.md.j2"),
        ):
            path = f"{base}/{name}"
            page_title = story.title if name == "index.md" else f"{title}: {story.title}"
            pages.append(
                Page(path, self._template(template, page=path, title=page_title, story=story, ctx=context))
            )
            nav.append({title: path})
        if story.corrections:  # only where editors changed something: otherwise nothing differs
            path = f"{base}/corrections.md"
            pages.append(
                Page(
                    path,
                    self._template(
                        "corrections.md.j2",
                        page=path,
                        title=f"Corrections: {story.title}",
                        story=story,
                        ctx=context,
                    ),
                )
            )
            nav.append({"Corrections": path})
        source_nav: list[NavItem] = []
        for source in story.sources:
            path = context.source_page(source.id)
            pages.append(
                Page(
                    path,
                    self._template(
                        "source.md.j2",
                        page=path,
                        title=source.meta.title or source.label,
                        story=story,
                        ctx=context,
                        source=source,
                    ),
                )
            )
            source_nav.append({str(html_escape(context.number_label(source.id))): path})
        nav.append({"Sources": source_nav})
        pages.append(Page(f"api/{base}.json", dumps(story_json(story))))
        return pages, nav

    def _template(self, name: str, page: str, title: str, **context: Any) -> str:
        """Render one page. Its title goes into front matter, HTML-escaped: the theme prints
        `page.meta.title` as it is, while it would unescape a title taken from the heading."""

        def link(target: str, anchor: str = "") -> Markup:
            return relative_link(page, target, anchor)

        body = self.env.get_template(name).render(link=link, page=page, **context)
        return f"---\ntitle: {json.dumps(str(html_escape(title)))}\n---\n\n{body}"


_RTL_CHARACTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew to Arabic blocks
_WORD = re.compile(r"\w+")  # a word, as Jinja's `wordcount` filter counts them
_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-arab", "ps", "sd", "ug", "ur", "yi"}
)


def text_direction(language: str | None, text: str) -> str:
    """ "rtl" when `language` (a BCP 47 tag: "ar", "fa-IR") is written right to left or, without
    one, when most letters of `text` are Arabic, Hebrew, Syriac or Thaana; else "ltr"."""
    if language:
        tag = language.strip().lower().replace("_", "-")
        return "rtl" if tag in _RTL_LANGUAGES or tag.split("-")[0] in _RTL_LANGUAGES else "ltr"
    rtl = sum(map(str.isalpha, _RTL_CHARACTER.findall(text)))  # few or none in most texts
    return "rtl" if rtl and rtl > sum(map(str.isalpha, text)) / 2 else "ltr"


class _StoryContext:
    """Look-ups the templates need: sources by id, sentence numbers, citation links."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.sources = {s.id: s for s in story.sources}
        self.number = {s.id: k + 1 for k, s in enumerate(story.sources)}
        self.sentence_number = {(s.id, x.id): x.number for s in story.sources for x in s.citable}
        self.sentence_text = {(s.id, x.id): x.text for s in story.sources for x in s.citable}
        self.fact_ids = {f.id for f in story.facts}
        self._directions: dict[str, str] = {}

    def source_page(self, source_id: str) -> str:
        return f"{self.story.info.id}/sources/{source_id}.md"

    def number_label(self, source_id: str) -> str:
        return f"S{self.number[source_id]} · {self.sources[source_id].label}"

    def facts_of(self, source_id: str) -> list[Fact]:
        return [f for f in self.story.facts if any(c.source == source_id for c in f.citations)]

    def left_out(self, source_id: str) -> list[Fact]:
        return [
            f
            for f in self.story.facts
            if f.status is FactStatus.CORROBORATED and all(c.source != source_id for c in f.citations)
        ]

    def url(self, source: Source) -> str | None:
        return safe_url(source.meta.url)

    def direction(self, source: Source) -> str:
        """ "rtl" for a source written right to left (its language, or most of its letters), else "ltr".
        Worked out once a source: a template asks for it more than once, and it reads every letter."""
        if source.id not in self._directions:
            self._directions[source.id] = text_direction(
                source.meta.language, " ".join(s.text for s in source.citable)
            )
        return self._directions[source.id]

    def word_count(self, texts: Sequence[str]) -> int:
        """How many words `texts` hold together, counted as Jinja's `wordcount` filter counts."""
        return len(_WORD.findall(" ".join(texts)))

    def cite(self, citation: Citation, page: str) -> Markup:
        """A Markdown link `[S2.5](…/sources/x.md#s-…)` to one cited sentence (`S2.H` for the
        headline of source 2)."""
        label, target = self._citation(citation, page)
        return Markup(f"[{label}]({target})")

    def cites(self, citations: Sequence[Citation], page: str) -> Markup:
        return Markup(", ").join(self.cite(c, page) for c in citations)

    def cites_html(self, citations: Sequence[Citation], page: str) -> Markup:
        """The same links as `cites`, as HTML `<a href="…/sources/x.md#s-…">S2.5</a>` for a block
        set apart from Markdown (`set_apart`)."""
        links = (self._citation(c, page) for c in citations)
        return Markup(", ").join(
            Markup('<a href="{}">{}</a>').format(target, label) for label, target in links
        )

    def _citation(self, citation: Citation, page: str) -> tuple[str, Markup]:
        """A citation's label ("S2.5", "S2.H") and its link relative to `page`."""
        target = relative_link(page, self.source_page(citation.source), citation.sentence)
        label = (
            f"S{self.number[citation.source]}.{self.sentence_number[(citation.source, citation.sentence)]}"
        )
        return label, target

    def outside(self, urls: Sequence[str]) -> Markup:
        """Links to outside addresses an editor cited, as raw HTML (Markdown never parses a URL),
        named by their host; anything but http(s) is shown as text."""
        links = []
        for url in urls:
            safe = safe_url(url)
            if safe is None:
                links.append(html_escape(url))
                continue
            host = urlsplit(safe).netloc
            links.append(
                Markup('<a class="cb-outside" href="{}" rel="nofollow noopener">{}</a>').format(
                    html_escape(safe), html_escape(host)
                )
            )
        return Markup(", ").join(links)

    def correction_target(self, correction: Correction, page: str) -> Markup:
        """What a correction changed, linked to where it shows on the site."""
        label = md_escape(correction.label)
        base = self.story.info.id
        if correction.kind in ("fact", "added fact") and correction.target in self.fact_ids:
            target = relative_link(page, f"{base}/facts.md", correction.target)
            return Markup(f"[{md_escape(correction.target)}]({target}) “{label}”")
        if correction.kind == "conflict":
            target = relative_link(page, f"{base}/conflicts.md", correction.target)
            return Markup(f"[{md_escape(correction.target)}]({target}) {label}")
        if correction.kind == "entity":
            target = relative_link(page, f"{base}/entities.md", correction.target)
            return Markup(f"[{label}]({target})")
        if correction.kind == "source" and correction.target in self.sources:
            target = relative_link(page, self.source_page(correction.target))
            return Markup(f"[{md_escape(self.number_label(correction.target))}]({target})")
        if correction.kind == "boilerplate":
            return Markup(f"{label}: pattern <code>{html_escape(correction.target)}</code>")
        if correction.kind == "orphaned":
            return Markup(f"{md_escape(correction.target or 'added fact')} (matched “{label}”)")
        return Markup(f"{md_escape(correction.target)} “{label}”")
