"""Stage 6c, consensus: the best-supported undisputed facts as an account, without repeats, in
the order the coverage tells them; the key figures and the story's title.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .align import Alignment, sentence_key
from .config import settings
from .conflicts import quantity_phrase, unit_name
from .facts import Draft
from .records import (
    AnalysedSentence,
    Citation,
    ConsensusSentence,
    Fact,
    FactStatus,
    KeyFigure,
    Quantity,
    Source,
)

_LEADING_CONNECTIVE = re.compile(
    r"^(?:(?:But|And)\s+(?=\S)|(?:However|Meanwhile|Also|So|Yet|Still|Moreover|Furthermore|"
    r"Nevertheless|Nonetheless|In addition|Besides),\s+)"
)


@dataclass(frozen=True, slots=True)
class ConsensusPlan:
    """The editors' say on the consensus: facts always in it, never in it, at a set place, or
    in other words."""

    pinned: frozenset[str] = frozenset()
    dropped: frozenset[str] = frozenset()
    order: tuple[tuple[str, int], ...] = ()  # (fact id, 1-based place)
    wording: tuple[tuple[str, str], ...] = ()  # (fact id, text for the consensus)


BARRED = (FactStatus.DISPUTED, FactStatus.FALSE)


def select_consensus(
    facts: tuple[Fact, ...],
    drafts: dict[str, Draft],
    alignment: Alignment,
    max_words: int,
    plan: ConsensusPlan = ConsensusPlan(),
) -> tuple[ConsensusSentence, ...]:
    """The consensus account: undisputed facts, best supported first, without repeats, cut at a
    sentence boundary at `max_words`, then put in the order the coverage tells them.

    Facts the editors pinned come first whatever their score or length; dropped, disputed and
    false facts never come in, nor do facts only headlines state (a fact a headline shares with
    body sentences speaks in a body sentence's words and cites the headline too); facts an editor
    placed (`order`) go to that place."""
    config = settings()
    wording = dict(plan.wording)
    candidates = [f for f in facts if f.status not in BARRED and f.id not in plan.dropped]
    centrality = echo_scores(alignment)
    echo = {
        f.id: max(centrality.get(sentence_key(m), 0.0) for m in drafts[f.id].members)
        for f in candidates
        if f.id in drafts
    }

    def score(fact: Fact) -> tuple[float, float, str]:
        draft = drafts[fact.id]
        return (
            -(
                min(fact.support + (fact.status is FactStatus.CONFIRMED), 4)
                + 0.8 * draft.quality
                + 0.6 * (1 - fact.position)
                + 0.3 * min(len(draft.members), 6) / 6
                + config.consensus_centrality * echo[fact.id]
            ),
            fact.position,
            fact.id,
        )

    def text_of(fact: Fact) -> str:
        if fact.id in wording:
            return wording[fact.id]
        if fact.original_text is not None or fact.id not in drafts:
            return fact.text  # the editor's words are used as written
        return tidy(drafts[fact.id].text)

    chosen: list[tuple[Fact, str]] = [(f, text_of(f)) for f in facts if f.id in plan.pinned]
    used = sum(len(text.split()) for _, text in chosen)
    for fact in sorted((f for f in candidates if f.id in drafts and f.id not in plan.pinned), key=score):
        draft = drafts[fact.id]
        if draft.quality <= -1.0 or all(m.sentence.headline for m in draft.members):
            continue  # poor wording, or only headlines: elliptical, and no account reads in them
        text = text_of(fact)
        count = len(text.split())
        if used + count > max_words:
            continue  # a shorter fact further down may still fit
        redundant = any(
            _overlap(draft.terms, drafts[other.id].terms) >= config.consensus_overlap
            or max(alignment.sim(a, b) for a in _read(draft) for b in _read(drafts[other.id]))
            >= config.consensus_redundant
            for other, _ in chosen
            if other.id in drafts
        )
        if redundant:
            continue
        chosen.append((fact, text))
        used += count
    chosen.sort(key=lambda pair: (pair[0].position, pair[0].id))
    chosen = _place(chosen, dict(plan.order))
    return tuple(
        ConsensusSentence(text, fact.citations, fact.id, fact.support, fact.outside) for fact, text in chosen
    )


def _read(draft: Draft) -> tuple[AnalysedSentence, ...]:
    """The members a repeat is judged on: the body sentences, whose words an account reads in
    (a short headline resembles many sentences, so it would make unrelated facts look like
    repeats); the headlines when a fact has nothing else."""
    return tuple(m for m in draft.members if not m.sentence.headline) or draft.members


def echo_scores(alignment: Alignment) -> dict[str, float]:
    """How widely the other sources echo each sentence: for each other independent source, the
    similarity of its closest sentence, averaged over those sources (0 to 1). Sentences below
    the grouping threshold count too: a lead that half the outlets paraphrase is central even
    when no outlet says it the same way."""
    best: dict[tuple[str, str], float] = {}
    for (ka, kb), score in alignment.similarity.items():
        sa, sb = alignment.independent[ka.split("#")[0]], alignment.independent[kb.split("#")[0]]
        if sa != sb:
            best[(ka, sb)] = max(best.get((ka, sb), 0.0), score)
            best[(kb, sa)] = max(best.get((kb, sa), 0.0), score)
    others = max(1, len(set(alignment.independent.values())) - 1)
    totals: dict[str, float] = defaultdict(float)
    for (key, _), score in best.items():
        totals[key] += score
    return {key: total / others for key, total in totals.items()}


def _place(chosen: list[tuple[Fact, str]], places: dict[str, int]) -> list[tuple[Fact, str]]:
    """Put each fact an editor placed at its place (1-based; past the end means last), the others
    in their order around them; two facts asking for one place keep their relative order."""
    placed = sorted(
        ((places[fact.id], k) for k, (fact, _) in enumerate(chosen) if fact.id in places), key=lambda p: p
    )
    rest = [pair for pair in chosen if pair[0].id not in places]
    result: list[tuple[Fact, str] | None] = [None] * len(chosen)
    for place, k in placed:
        wanted = min(place, len(chosen)) - 1
        free = [i for i, pair in enumerate(result) if pair is None]
        result[min(free, key=lambda i: (abs(i - wanted), i < wanted))] = chosen[k]
    filler = iter(rest)
    return [pair if pair is not None else next(filler) for pair in result]


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the shorter sentence's content words the other one also has."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def tidy(text: str) -> str:
    """Light copy-editing for the consensus: a leading connective dropped, spacing mended."""
    text = _LEADING_CONNECTIVE.sub("", text.strip())
    text = re.sub(r"([,;])(?=[A-Za-z])", r"\1 ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"\s{2,}", " ", text)
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


# --- key figures and title ----------------------------------------------------------------------


def key_figures(
    facts: tuple[Fact, ...], drafts: dict[str, Draft], alignment: Alignment
) -> tuple[KeyFigure, ...]:
    """Numbers the coverage reports, most widely reported first. Where any number is reported
    by two or more independent sources, only such numbers are shown. Facts the editors showed
    false give no figure."""
    found: dict[tuple[float, str], list[tuple[AnalysedSentence, Quantity]]] = defaultdict(list)
    for fact in facts:
        if fact.id not in drafts or fact.status is FactStatus.FALSE:
            continue
        for member in drafts[fact.id].members:
            for quantity in member.quantities:
                if quantity.unit and quantity.unit not in ("year", "countri", "time"):
                    found[(quantity.value, quantity.unit)].append((member, quantity))
    reading_order = {sentence_key(s): k for k, s in enumerate(alignment.sentences)}
    figures = []
    for mentions in found.values():
        mentions.sort(key=lambda mq: reading_order[sentence_key(mq[0])])
        support = len({alignment.independent[m.sentence.source_id] for m, _ in mentions})
        first, quantity = min(mentions, key=lambda mq: (mq[1].hedged, len(quantity_phrase(*mq))))
        phrase = quantity_phrase(first, quantity)
        label = phrase[len(quantity.text) :].strip() or unit_name(quantity.unit)
        citations = tuple(dict.fromkeys(Citation(m.sentence.source_id, m.sentence.id) for m, _ in mentions))
        figures.append(KeyFigure(quantity.text, label, support, citations))
    figures.sort(key=lambda f: (-f.support, -len(f.citations), f.label, f.value))
    if figures and figures[0].support >= 2:
        figures = [f for f in figures if f.support >= 2]
    return tuple(figures[: settings().key_figures])


def title_from(sources: tuple[Source, ...], consensus: tuple[ConsensusSentence, ...]) -> str:
    headlines = [s.meta.title for s in sources if s.meta.title]
    if headlines:
        return min(headlines, key=lambda h: (abs(len(h.split()) - 10), h))
    if consensus:
        words = consensus[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled story"
