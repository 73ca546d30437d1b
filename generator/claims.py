"""What a sentence claims, as far as grouping needs it: for align, which decides what is the same.

Two sentences of different sources can share most of their words and still state different
claims: "will consider cancelling the show" is not "cancelled the show", "did not resign" is not
"resigned", "voting will close at 6" is not "booths were closed at 6", two people's words are not
one statement, and a photo caption that shares only a date and a name states nothing the report
states. `ClaimShape` records, for each content word of a sentence, the marks it carries (negated,
uncertain, future, past: read from the words just before it in its clause), the people the
sentence names and the people it quotes; `incompatible` says why two shapes cannot be one claim.

The marks come from word lists in `data/claims.yaml`; nothing here knows any story.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .analyse import term, tokens
from .config import claim_words
from .records import AnalysedSentence, EntityType

MentionKey = tuple[str, str, int]  # (source id, sentence id, start offset), as align keys mentions

NEGATED, UNCERTAIN, FUTURE, PAST = "negated", "uncertain", "future", "past"
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")
_QUOTES = re.compile(r"[\"“”«»„]")  # quotation marks; an apostrophe is none


def quoted(text: str) -> bool:
    """Whether `text` holds a quotation mark (not an apostrophe: "it's" quotes nobody)."""
    return _QUOTES.search(text) is not None


# The words between quotation marks: a double mark or a guillemet, up to the closing mark (taken
# with it) or the end of the sentence (a quote that goes on), or a pair of single marks ('' or ‘‘)
# up to the closing pair.
_QUOTED_SPAN = re.compile(r"[\"“«„]([^\"”»“]+)[\"”»]?|''([^']+)''|‘‘([^’]+)’’")
_QUOTED_WORD = re.compile(r"\w+(?:['’]\w+)*")


def quote_words(text: str) -> list[str]:
    """The words of a text as `quoted_runs` reads them ("government's" is one word)."""
    return _QUOTED_WORD.findall(text)


def quoted_runs(text: str) -> tuple[tuple[str, ...], ...]:
    """The runs of words inside quotation marks, as written (case kept)."""
    runs = []
    for match in _QUOTED_SPAN.finditer(text):
        span = next(group for group in match.groups() if group)
        words = tuple(quote_words(span))
        if words:
            runs.append(words)
    return tuple(runs)


def shared_quoted_words(a: tuple[tuple[str, ...], ...], b: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """The longest run of words that both sentences quote in the same order, counted in content
    words (not stopwords), lowercased, from its first content word to its last; a run whose
    content words are all capitalised (a film's title, a name) counts for nothing. "the most
    racist and sexist trial" / "most racist and sexist trial" -> ("racist", "and", "sexist",
    "trial") ("most" is a stopword)."""
    best: tuple[str, ...] = ()
    best_count = 0
    for run_a in a:
        lowered_a = [w.lower() for w in run_a]
        for run_b in b:
            lowered_b = [w.lower() for w in run_b]
            for i in range(len(lowered_a)):
                for j in range(len(lowered_b)):
                    k = 0
                    while (
                        i + k < len(lowered_a)
                        and j + k < len(lowered_b)
                        and lowered_a[i + k] == lowered_b[j + k]
                    ):
                        k += 1
                    count = content_count(run_a[i : i + k])
                    if count > best_count and any(w[:1].islower() for w in run_a[i : i + k] if term(w)):
                        best, best_count = tuple(lowered_a[i : i + k]), count
    # From its first content word to its last: "a cruel verdict" is found in "the cruel verdict".
    while best and not term(best[0]):
        best = best[1:]
    while best and not term(best[-1]):
        best = best[:-1]
    return best


def content_count(words: tuple[str, ...]) -> int:
    """How many of `words` are content words (not stopwords)."""
    return sum(1 for w in words if term(w))


@dataclass(frozen=True, slots=True)
class ClaimShape:
    """The parts of a sentence's claim that decide whether another sentence can state the same one."""

    marks: Mapping[str, frozenset[str]]  # content-word stem -> its marks, over all its occurrences
    terms: frozenset[str]  # content-word stems
    people: frozenset[str]  # entity ids of the people it names
    speakers: frozenset[str]  # entity ids of the people whose words it reports
    quotes: bool  # it holds quoted words
    tense: frozenset[str] = frozenset()  # FUTURE and PAST as any of its words marks them


def claim_shape(
    sentence: AnalysedSentence,
    mention_map: Mapping[MentionKey, str],
    entity_types: Mapping[str, EntityType],
) -> ClaimShape:
    """The claim shape of one analysed sentence; `mention_map` and `entity_types` come from
    entity resolution, so "Obama" and "Barack Obama" are one person here."""
    words = claim_words()
    text = sentence.sentence.text
    toks = tokens(text)
    # Names, dates and numbers are anchors, not words of the claim: "12 March" shares no word
    # of a claim with "in March".
    spans = [(m.start, m.end) for m in sentence.mentions]
    spans += [(d.start, d.start + len(d.text)) for d in sentence.dates]
    spans += [(q.start, q.start + len(q.text)) for q in sentence.quantities]
    anchored = {i for start, end in spans for i in range(start, end)}
    # A word of a name marks nothing: "Hope Hicks is returning" hopes for nothing, "Will Smith"
    # speaks of no future.
    named = {i for m in sentence.mentions for i in range(m.start, m.end)}
    marks: dict[str, set[str]] = {}
    for k, tok in enumerate(toks):
        if tok.start in anchored:
            continue
        stem = term(tok.text)
        if not stem:
            continue
        found = marks.setdefault(stem, set())
        if _past_form(toks, k):
            found.add(PAST)
        for before in _window(text, toks, k, words.window):
            if before.start in named:
                continue
            word = before.text.replace("’", "'")
            low = word.lower()
            if low in words.negations or low.endswith("n't"):
                found.add(NEGATED)
            if low in words.uncertain and (low != "may" or word == "may"):  # "May" is a month
                found.add(UNCERTAIN)
            if low in words.future or low.endswith("'ll"):
                found.add(FUTURE)
            if low in words.past_auxiliaries:
                found.add(PAST)
    source, sid = sentence.sentence.source_id, sentence.sentence.id
    people = set()
    speakers = set()
    speech_at = [tok.start for tok in toks if tok.text.lower() in words.speech]
    for mention in sentence.mentions:
        entity = mention_map.get((source, sid, mention.start))
        if entity is None or entity_types.get(entity) is not EntityType.PERSON:
            continue
        people.add(entity)
        if any(-60 <= at - mention.end <= 60 or -60 <= mention.start - at <= 60 for at in speech_at):
            speakers.add(entity)
    return ClaimShape(
        {stem: frozenset(m) for stem, m in marks.items()},
        frozenset(marks),
        frozenset(people),
        frozenset(speakers),
        quoted(text),
        _headline_tense(toks, named) if sentence.sentence.headline else _sentence_tense(toks, named),
    )


def _sentence_tense(toks: tuple, named: set[int]) -> frozenset[str]:  # type: ignore[type-arg]
    """FUTURE and PAST as the sentence's words mark them, stopwords included: "he said troops would
    leave" is both (a past report of what will be), "will become" only future, "made" only past.
    The words of names (`named` offsets) mark nothing ("Will Smith"), but still stand before the
    next word ("The Kremlin confirmed" is past: "confirmed" does not follow "The")."""
    words = claim_words()
    found = set()
    for k, tok in enumerate(toks):
        if tok.start in named:
            continue
        low = tok.text.lower().replace("’", "'")
        if low in words.future or low.endswith("'ll"):
            found.add(FUTURE)
        if low in words.past_auxiliaries or _past_form(toks, k):
            found.add(PAST)
    return frozenset(found)


def _headline_tense(toks: tuple, named: set[int]) -> frozenset[str]:  # type: ignore[type-arg]
    """A headline's tense: as a sentence's, but a headline in the plain present tells what
    happened ("Ginsburg Lies in State in Capitol", "makes history"), unless a "to" may be the
    headline's future ("Ginsburg to lie in state", "Hicks Is Returning To The White House")."""
    found = _sentence_tense(toks, named)
    if found or any(tok.text.lower() == "to" for tok in toks):
        return found
    return frozenset({PAST})


def _past_form(toks: tuple, k: int) -> bool:  # type: ignore[type-arg]
    """Whether token k is a verb in the past: an irregular past form, or a word in -ed that no
    determiner or degree word makes an adjective ("a trusted aide", "most trusted")."""
    words = claim_words()
    low = toks[k].text.lower().replace("’", "'")
    if low in words.past_forms:
        return True
    if not (low.endswith("ed") and len(low) > 4):
        return False
    return k == 0 or toks[k - 1].text.lower() not in words.before_adjectives


def _window(text: str, toks: tuple, k: int, size: int) -> list:  # type: ignore[type-arg]
    """The tokens up to `size` before token k, stopping at a clause break."""
    found = []
    for j in range(k - 1, max(-1, k - 1 - size), -1):
        if _CLAUSE_BREAK.search(text[toks[j].end : toks[j + 1].start]):
            break
        found.append(toks[j])
    return found


def incompatible(a: ClaimShape, b: ClaimShape) -> str | None:
    """Why two sentences cannot state one claim, or None when they can.

    - they share no content word (only names, numbers or dates: a caption, a credit line);
    - a word they share is negated, uncertain, or future in one and past in the other;
    - one speaks only in the future, the other only in the past (all their tense marks);
    - each names people and none is the same person;
    - both quote someone and the speakers differ.
    """
    shared = a.terms & b.terms
    if not shared:
        return "no content word in common"
    for stem in sorted(shared):
        ma, mb = a.marks.get(stem, frozenset()), b.marks.get(stem, frozenset())
        if (NEGATED in ma) != (NEGATED in mb):
            return f"'{stem}' is negated in one only"
        if (UNCERTAIN in ma) != (UNCERTAIN in mb):
            return f"'{stem}' is uncertain or wished for in one only"
        if (FUTURE in ma and PAST not in ma and PAST in mb and FUTURE not in mb) or (
            FUTURE in mb and PAST not in mb and PAST in ma and FUTURE not in ma
        ):
            return f"'{stem}' is future in one and past in the other"
    if {a.tense, b.tense} == {frozenset({FUTURE}), frozenset({PAST})}:
        # The shared words carry no tense, but one sentence speaks only of what will happen and
        # the other only of what happened: "will become the first woman to lie in state" is not
        # "made history as the first woman to lie in state".
        return "one tells only what will happen, the other only what happened"
    if a.people and b.people and not a.people & b.people:
        return "different people"
    if a.quotes and b.quotes and a.speakers and b.speakers and not a.speakers & b.speakers:
        return "different speakers"
    return None


class ClaimShapes(Mapping[str, ClaimShape]):
    """The claim shape of each sentence of a story (by sentence key), worked out when first asked
    for: most sentences are never compared with another closely enough to need one."""

    def __init__(
        self,
        sentences: Mapping[str, AnalysedSentence],
        mention_map: Mapping[MentionKey, str],
        entity_types: Mapping[str, EntityType],
    ) -> None:
        self._sentences = sentences
        self._mention_map = mention_map
        self._types = entity_types
        self._shapes: dict[str, ClaimShape] = {}

    def __getitem__(self, key: str) -> ClaimShape:
        shape = self._shapes.get(key)
        if shape is None:
            shape = claim_shape(self._sentences[key], self._mention_map, self._types)
            self._shapes[key] = shape
        return shape

    def __iter__(self) -> Iterator[str]:
        return iter(self._sentences)

    def __len__(self) -> int:
        return len(self._sentences)
