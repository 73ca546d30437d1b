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
from .config import OTHER_SCRIPT_ENDS, SENTENCE_CLOSERS, boilerplate_reason, lexicon
from .records import CleanArticle, Sentence, Source

_CAN_END = frozenset({"etc", "inc", "ltd", "co", "corp", "jr", "sr"})
_CANDIDATE = re.compile(rf"[.!?…]+[{SENTENCE_CLOSERS}]*(?=\s)|[{OTHER_SCRIPT_ENDS}]+[{SENTENCE_CLOSERS}]*")
_SPACES = re.compile(r"\s*")
_WORD = re.compile(r"\S*")
_OPENERS = "\"'“‘([¿¡"


def split_spans(paragraph: str) -> list[tuple[int, int]]:
    """Character spans covering `paragraph` end to end, one per sentence, in order.

    Linear in the paragraph's length: each candidate end is judged from the word before it and
    the word after it, found by position, never by slicing or splitting the rest of the text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _CANDIDATE.finditer(paragraph):
        gap = _SPACES.match(paragraph, match.end())
        gap_end = gap.end() if gap else match.end()
        if gap_end >= len(paragraph) or not _is_boundary(paragraph, start, match, gap_end):
            continue
        spans.append((start, gap_end))
        start = gap_end
    spans.append((start, len(paragraph)))
    return [piece for span in spans if span[1] > span[0] for piece in _bounded(paragraph, *span)]


# A "sentence" longer than this is not one (a page's text run together, a list with no stops):
# it is cut at the last space before the limit, so no sentence costs the later stages more than
# a long sentence of real prose does, and their work stays linear in the article's length.
MAX_SENTENCE_CHARS = 2000


def _bounded(paragraph: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span `start:end` as pieces of at most `MAX_SENTENCE_CHARS`, each cut after a space
    where there is one (so a piece never splits a word unless a word is longer than the limit)."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = max(paragraph.rfind(" ", start + 1, limit), paragraph.rfind("\n", start + 1, limit)) + 1
        if cut <= start + 1:
            cut = limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _is_boundary(paragraph: str, start: int, match: re.Match[str], rest: int) -> bool:
    """Whether the candidate `match` ends the sentence begun at `start`; `rest` is where the next
    text starts (after the spaces). The ends of scripts with no capitals ("。", "؟", "।") do,
    except inside a quote: "「行く。」と言った。" is one sentence, the quote closed and the words go on."""
    punctuation = match.group()
    if punctuation[0] in OTHER_SCRIPT_ENDS:
        closed = punctuation[-1] in SENTENCE_CLOSERS
        return not closed or rest > match.end()
    first = paragraph[rest]
    if not (first.isupper() or first.isdigit() or first in _OPENERS):
        return False
    if punctuation[0] != ".":
        return True
    token = _word_before(paragraph, start, match.start() + 1)
    bare = token.rstrip(".").lstrip(_OPENERS).lower()
    if re.fullmatch(r"[a-z]", bare):  # an initial: "George W. Bush"
        return False
    if bare in lexicon().abbreviations:  # "Mr. Biden" never ends; "... Ltd. The" may
        return bare in _CAN_END and _word_after(paragraph, rest) in lexicon().openers
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare):  # U.S., a.m.: a boundary only before a clear opener
        return _word_after(paragraph, rest) in lexicon().openers
    return True


def _word_before(paragraph: str, start: int, stop: int) -> str:
    """The run of non-space characters ending at `stop`, no further back than `start`. The scan
    back stops at the space after the previous full stop, so over a paragraph it stays linear."""
    begin = stop
    while begin > start and not paragraph[begin - 1].isspace():
        begin -= 1
    return paragraph[begin:stop]


def _word_after(paragraph: str, rest: int) -> str:
    """The word starting at `rest`, letters and digits only, lowercased."""
    word = _WORD.match(paragraph, rest)
    return re.sub(r"\W", "", word.group() if word else "").lower()


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
    # The first body sentence of these words has exactly this id (repeats get "-2", "-3", ...).
    if any(s.id == sid for paragraph in body for s in paragraph):
        return None
    return Sentence(sid, source_id, -1, -1, text, headline=True)
