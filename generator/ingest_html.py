"""Stage 1, ingest: the main text and metadata of a web page, extracted by trafilatura.

`ingest.read_article` imports this module only when it meets an HTML file, so trafilatura and its
dependencies (about a third of a second to import) load only for stories that have web pages.

The text is trafilatura's own plain-text rendering of the page's main content, with comments
left out: one paragraph, heading, list item or table row per line. Each line is numbered with
the line of the HTML file where its element starts (lxml's `sourceline`), so a removed line can be
found in the page; elements trafilatura built itself carry no position and take the number of the
paragraph before them, so several paragraphs may share a number, as they do in minified pages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from .records import ArticleMeta, Line

# Libraries whose log lines about a page (trafilatura: "discarding data") would only repeat, less
# clearly, the Problem the user gets; they are silenced while a page is extracted.
_QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan")
# Dates come from the page's metadata, markup and URL, never guessed from its free text, where a
# "© 2021" footer would become 1 January 2021 (htmldate's extensive search).
_DATES = {"original_date": True, "extensive_search": False}
_XML_DECLARATION = re.compile(r"^(\s*)<\?xml[^>]*\?>")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    """What a page yields: its metadata as the page states it (not yet normalised) and its main
    text, one `Line` per paragraph, numbered by the HTML line where the paragraph starts."""

    meta: ArticleMeta
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class NoArticleText:
    """Why a page gave no text: `reason` completes "no article text found: ..."."""

    reason: str


def extract_html(text: str) -> HtmlArticle | NoArticleText:
    """The main text and metadata of the page `text` (already decoded), or why there is none."""
    # lxml refuses a decoded string that still declares an encoding; the line is kept blank so
    # line numbers stay those of the file.
    text = _XML_DECLARATION.sub(r"\1", text, count=1)
    try:
        with _quiet():
            tree = load_html(text)
            if tree is None:
                return NoArticleText("the file could not be parsed as HTML")
            document = _extract(tree)
            deep = None
            if _empty(document):
                # libxml2 stops reading a page nested more than 255 elements deep: read it again
                # without that limit before saying it has no text.
                deep = _deep_tree(text)
                if deep is not None:
                    tree, document = deep[0], _extract(deep[0])
    except Exception as error:  # trafilatura is heuristic code over untrusted pages: never crash a build
        return NoArticleText(f"trafilatura failed ({type(error).__name__}: {error})")
    if _empty(document):
        if deep is not None:
            depth = f"{deep[1]} or more" if deep[1] >= _PARSER_DEPTH_LIMIT else str(deep[1])
            return NoArticleText(f"the page nests its elements {depth} deep and no main content was read")
        return NoArticleText("trafilatura found no main content in the page")
    assert document is not None and not isinstance(document, dict)
    lines = _lines(document.body)
    if not lines:
        return NoArticleText("the page's main content has no text")
    meta = ArticleMeta(
        title=_field(document.title),
        outlet=_field(document.sitename),
        url=_field(document.url),
        published=_field(document.date),
        language=_language(tree),
        author=_field(document.author),
    )
    return HtmlArticle(meta, tuple(lines))


def _extract(tree: HtmlElement) -> Any:
    return trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, date_extraction_params=_DATES
    )


def _empty(document: Any) -> bool:
    return document is None or isinstance(document, dict) or document.body is None


_PARSER_DEPTH_LIMIT = 2048  # libxml2 reads no deeper even with huge_tree


def _deep_tree(text: str) -> tuple[HtmlElement, int] | None:
    """The page parsed with no limit on how deeply its elements nest (lxml's `huge_tree`), with
    that depth, or None when it nests no deeper than the ordinary parse reads."""
    parser = lxml.html.HTMLParser(
        collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True, huge_tree=True
    )
    try:
        tree = lxml.html.fromstring(text, parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return None
    depth = _depth(tree)
    return (tree, depth) if depth > 250 else None


def _depth(tree: HtmlElement) -> int:
    """How deeply the elements of `tree` nest, in one pass."""
    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


@contextmanager
def _quiet() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _lines(body: HtmlElement) -> list[Line]:
    """One line per line of trafilatura's text of each top-level element of the extracted body."""
    lines: list[Line] = []
    number = 1
    for element in body:
        number = _source_line(element) or number
        for text in xmltotxt(element, False).split("\n"):
            if text.strip():
                lines.append(Line(number, text.strip()))
    return lines


def _source_line(element: HtmlElement) -> int | None:
    """The HTML line where `element`, or the first of its descendants with a known position, starts."""
    for node in element.iter():
        if isinstance(node.sourceline, int):
            return node.sourceline
    return None


def _field(value: object) -> str | None:
    """A metadata value as one line of text, or None when the page gives none."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _language(tree: HtmlElement) -> str | None:
    """The page's language: <html lang>, else a Content-Language or og:locale <meta>."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        name = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if name in ("content-language", "og:locale"):
            candidates.append(meta.get("content"))
    for candidate in candidates:
        value = (candidate or "").strip().replace("_", "-")
        if _LANGUAGE_TAG.match(value):
            return value
    return None
