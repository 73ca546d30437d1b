"""Stage 2, clean: separate an article's reporting from its page furniture.

Lines are classified one by one (patterns from `data/boilerplate.yaml`, repeated headlines,
datelines, bylines); kept lines are joined into paragraphs word for word, and every removed line
is kept with its reason so the source page can show what was taken out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import regex

from .config import ENDS_SENTENCE as _ENDS_SENTENCE
from .config import boilerplate_reason
from .ingest import parse_date
from .records import Article, ArticleMeta, CleanArticle, Line, RemovedLine

_PROMPT_ONLY = re.compile(r"^[\w ]{2,30}:\s*$")
_FOOTER_SITE = re.compile(
    r"^(?:published|posted|first published|originally published)\s+(?:at|on|by)\s+"
    r"(?:(?:https?://)?(?:www\.)?)([\w.-]+\.[a-z]{2,})\W*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+(.+)$", re.IGNORECASE)

# An editor's pattern is tried on lines of at most EDITOR_LINE_CHARS characters (a longer line is
# kept: cutting it would let `$` match at the cut), for at most EDITOR_MATCH_SECONDS a line: a
# pattern that backtracks badly costs bounded time, the line is kept, and the pattern is recorded
# on the article (`CleanArticle.unfinished`) and not tried on the rest of it.
EDITOR_LINE_CHARS = 2_000
EDITOR_MATCH_SECONDS = 0.05


def editor_pattern_matches(pattern: regex.Pattern[str], text: str) -> bool:
    """Whether an editor's pattern matches a line, within the bounds above. Raises TimeoutError
    when the pattern runs out of time."""
    if len(text) > EDITOR_LINE_CHARS:
        return False
    return pattern.search(text, timeout=EDITOR_MATCH_SECONDS) is not None


def normalise_line(text: str) -> str:
    """A line reduced for comparison: casefolded, letters and digits only."""
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))  # "___" rules have no words


def classify_line(text: str) -> str | None:
    """The boilerplate reason for one stripped line, or None when it is reporting."""
    return boilerplate_reason(text)


def clean_article(article: Article, extra: Sequence[tuple[regex.Pattern[str], str]] = ()) -> CleanArticle:
    """Remove boilerplate lines from `article`; move datelines, bylines and site footers into
    its metadata; join the remaining lines into paragraphs without changing a word.

    `extra` are an editor's (pattern, reason) pairs for this article, tried before the shipped
    rules and with no word limit, within `editor_pattern_matches`' bounds; a pattern that runs
    out of time is recorded with its line in `unfinished` and dropped for the rest of the article."""
    meta = article.meta
    headline = normalise_line(meta.title) if meta.title else None
    lines = article.lines
    counts: dict[str, int] = {}
    for line in lines:
        key = normalise_line(line.text)
        if key:
            counts[key] = counts.get(key, 0) + 1

    removed: list[RemovedLine] = []
    kept: list[Line | None] = []  # None marks a paragraph break
    seen: set[str] = set()
    after_prompt = False
    editors = list(extra)
    unfinished: list[tuple[str, int]] = []
    for line in lines:
        text = line.text.strip()
        if not text:
            kept.append(None)
            continue
        key = normalise_line(text)
        reason = None
        timed_out = []
        for pattern, why in editors:
            try:
                if editor_pattern_matches(pattern, text):
                    reason = f"editor: {why}"
                    break
            except TimeoutError:
                unfinished.append((pattern.pattern, line.number))
                timed_out.append(pattern)
        if timed_out:
            editors = [(pattern, why) for pattern, why in editors if pattern not in timed_out]
        reason = reason or classify_line(text)
        if (
            reason is None
            and headline
            and (key == headline or (key and headline.startswith(key) and len(key) > 20))
        ):
            reason = "repeated headline"
        elif reason is None and key in seen and counts.get(key, 0) > 1 and len(text.split()) <= 30:
            reason = "repeated line"
        elif reason is None and after_prompt and len(text.split()) <= 15 and not _ENDS_SENTENCE.search(text):
            reason = "related-link prompt"
        elif reason is None and not key:
            reason = "no words"
        if reason is None and len(text.split()) <= 6:
            date = parse_date(text)
            if date:
                reason = "dateline"
                if meta.published is None:
                    meta = replace(meta, published=date)
        after_prompt = reason == "related-link prompt" and bool(_PROMPT_ONLY.match(text))
        if key:
            seen.add(key)
        if reason is None:
            kept.append(line)
            continue
        meta = _metadata_from(text, reason, meta)
        removed.append(RemovedLine(line.number, text, reason))
        kept.append(None)
    return CleanArticle(
        article.source_id,
        article.path,
        meta,
        tuple(_paragraphs(kept)),
        tuple(removed),
        article.notes,
        tuple(unfinished),
    )


def _metadata_from(text: str, reason: str, meta: ArticleMeta) -> ArticleMeta:
    if reason == "publication footer" and meta.outlet is None:
        site = _FOOTER_SITE.match(text)
        if site:
            return replace(meta, outlet=site.group(1).lower())
    if reason == "byline" and meta.author is None:
        byline = _BYLINE.match(text)
        if byline:
            return replace(meta, author=byline.group(1).strip())
    return meta


def _paragraphs(kept: list[Line | None]) -> list[str]:
    """Join kept lines into paragraphs: a blank or removed line ends one, and so does a line that
    ends a sentence; other line breaks are hard wraps inside a paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in kept:
        if line is None:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        text = line.text.strip()
        current.append(text)
        if _ENDS_SENTENCE.search(text):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs
