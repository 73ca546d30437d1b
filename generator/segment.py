"""Stage 3, segment: split each paragraph into sentences with stable ids.

Splitting is lossless: the pieces of a paragraph, joined, give the paragraph back character for
character (`split_spans`). A sentence's id is a hash of its own text, so it stays the same across
rebuilds while that text is unchanged, wherever the sentence moves in the article.

The headline is a sentence of its source too (`headline_sentence`): the outlet's own statement,
often the only place it states the main fact, so it is analysed, aligned and cited like the body.
"""

from __future__ import annotations

import hashlib
import re

from .clean import normalise_line
from .config import boilerplate_reason, lexicon
from .records import CleanArticle, Sentence, Source

_CAN_END = frozenset({"etc", "inc", "ltd", "co", "corp", "jr", "sr"})
_CANDIDATE = re.compile(r"[.!?…]+['\"’”)\]]*(?=\s)")
_OPENERS = "\"'“‘([¿¡"


def split_spans(paragraph: str) -> list[tuple[int, int]]:
    """Character spans covering `paragraph` end to end, one per sentence, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        end = match.end()
        rest = paragraph[end:].lstrip()
        if not rest or not _is_boundary(paragraph[start : match.start() + 1], match.group(), rest):
            continue
        gap_end = len(paragraph) - len(rest)
        spans.append((start, gap_end))
        start = gap_end
    spans.append((start, len(paragraph)))
    return [span for span in spans if span[1] > span[0]]


def _is_boundary(before: str, punctuation: str, rest: str) -> bool:
    first = rest[0]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if punctuation[0] != ".":
        return True
    words = before.split()
    token = words[-1] if words else ""
    bare = token.rstrip(".").lstrip(_OPENERS).lower()
    next_word = re.sub(r"\W", "", rest.split()[0]).lower() if rest.split() else ""
    if re.fullmatch(r"[a-z]", bare):  # an initial: "George W. Bush"
        return False
    if bare in lexicon().abbreviations:  # "Mr. Biden" never ends; "... Ltd. The" may
        return bare in _CAN_END and next_word in lexicon().openers
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # U.S., a.m.: a boundary only before a clear opener
        return next_word in lexicon().openers
    return True


def sentence_id(text: str) -> str:
    """A short id derived from the sentence's words alone (case and spacing ignored)."""
    key = normalise_line(text)
    return "s-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def segment_article(article: CleanArticle) -> Source:
    """Turn a cleaned article into a `Source` of anchored sentences, grouped by paragraph."""
    used: dict[str, int] = {}
    paragraphs = []
    index = 0
    for p_index, paragraph in enumerate(article.paragraphs):
        sentences = []
        for start, end in split_spans(paragraph):
            text = paragraph[start:end].strip()
            if not text:
                continue
            base = sentence_id(text)
            used[base] = used.get(base, 0) + 1
            sid = base if used[base] == 1 else f"{base}-{used[base]}"
            sentences.append(Sentence(sid, article.source_id, index, p_index, text))
            index += 1
        if sentences:
            paragraphs.append(tuple(sentences))
    body = tuple(paragraphs)
    return Source(
        article.source_id,
        article.path,
        article.meta,
        body,
        article.removed,
        notes=article.notes,
        headline=headline_sentence(article.source_id, article.meta.title, body),
    )


def headline_sentence(
    source_id: str, title: str | None, body: tuple[tuple[Sentence, ...], ...]
) -> Sentence | None:
    """The headline as a citable sentence (`headline` true, index and paragraph -1, its id derived
    from its words like any sentence's), or None: when there is no headline, when it has no words
    or is page furniture (a boilerplate rule matches it), and when the body already holds a sentence
    of the same words (a first line that is both headline and first sentence is counted once, as
    the body sentence it is)."""
    text = (title or "").strip()
    if not normalise_line(text) or boilerplate_reason(text):
        return None
    sid = sentence_id(text)
    if any(sentence_id(s.text) == sid for paragraph in body for s in paragraph):
        return None
    return Sentence(sid, source_id, -1, -1, text, headline=True)
