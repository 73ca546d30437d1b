"""Stage 6, consolidate: turn aligned sentences into facts, conflicts and a consensus account.

This module only runs the four parts in order: `facts` (a group of aligned sentences becomes a
fact, its support the number of independent sources in it), `conflicts` (a group whose members
disagree is split, one fact per value, and a conflict links them), `rulings` (the editors'
overrides on facts and conflicts) and `consensus` (the best-supported undisputed facts as an
account, with the key figures and the title).
"""

from __future__ import annotations

from dataclasses import replace

from .align import Alignment, MentionKey, sentence_key
from .config import settings
from .conflicts import find_conflicts, people_by_sentence, split_on_conflicts
from .consensus import key_figures, select_consensus, title_from
from .facts import draft_fact, fact_status
from .overrides import NO_OVERRIDES, Overrides
from .records import (
    AnalysedSource,
    Entity,
    Fact,
    Story,
    StoryInfo,
)
from .rulings import Ruling, apply_rulings


def build_story(
    info: StoryInfo,
    analysed: tuple[AnalysedSource, ...],
    entities: tuple[Entity, ...],
    mention_map: dict[MentionKey, str],
    alignment: Alignment,
    max_words: int | None = None,
    default_words: int | None = None,
    overrides: Overrides = NO_OVERRIDES,
) -> Story:
    """Decide the facts, conflicts, consensus and key figures of one story, then apply the
    editors' rulings on facts and conflicts (which also steer the consensus)."""
    sources = tuple(a.source for a in analysed)
    order = {s.id: k for k, s in enumerate(sources)}
    lengths = {s.id: max(1, len(s.sentences)) for s in sources}
    by_id = {e.id: e for e in entities}
    people = people_by_sentence(analysed, by_id, mention_map)
    groups = [part for group in alignment.groups for part in split_on_conflicts(group, alignment, people)]
    drafts = [draft_fact(g, alignment, order, lengths, by_id, mention_map) for g in groups]
    conflicts, links = find_conflicts(drafts, _without_headline_pairs(alignment), sources, people)
    facts = tuple(
        Fact(
            d.id,
            d.text,
            fact_status(d.support, disputed=bool(links.get(d.id))),
            d.support,
            d.citations,
            tuple(sorted(links.get(d.id, ()))),
            d.position,
        )
        for d in drafts
    )
    facts = tuple(sorted(facts, key=lambda f: (-f.support, f.position, f.id)))
    drafts_by_id = {d.id: d for d in drafts}
    ruling = Ruling(facts, tuple(conflicts))
    if not overrides.empty:
        ruling = apply_rulings(ruling, overrides, sources, alignment)
        facts, conflicts = ruling.facts, list(ruling.conflicts)
    # An explicit cap wins, then the story's own story.yaml, then the site's default, then ours.
    words = next(
        w
        for w in (max_words, info.consensus_words, default_words, settings().consensus_words)
        if w is not None
    )
    consensus = select_consensus(facts, drafts_by_id, alignment, words, ruling.plan)
    title = info.title or title_from(sources, consensus)
    return Story(
        info,
        title,
        sources,
        entities,
        facts,
        tuple(conflicts),
        consensus,
        key_figures(facts, drafts_by_id, alignment),
        ruling.problems,
        ruling.corrections,
    )


def _without_headline_pairs(alignment: Alignment) -> Alignment:
    """The alignment with no pair that involves a headline, for finding conflicts: a headline is
    too elliptical to tell whether its value and another sentence's are about one referent (the
    Oscars a host will present against those she presented before; this fight against a rematch's
    first bout). A headline still splits from a group whose value it contradicts."""
    headlines = {sentence_key(s) for s in alignment.sentences if s.sentence.headline}
    if not headlines:
        return alignment
    similarity = {
        pair: score
        for pair, score in alignment.similarity.items()
        if pair[0] not in headlines and pair[1] not in headlines
    }
    return replace(alignment, similarity=similarity)
