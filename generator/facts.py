"""Stage 6a, facts: a group of aligned sentences becomes one fact, with its id, status, support,
representative wording and the sentences it cites.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .align import Alignment, MentionKey, name_tokens, skeleton
from .config import lexicon
from .records import (
    AnalysedSentence,
    Citation,
    Entity,
    EntityType,
    Fact,
    FactStatus,
    SentenceGroup,
)

_UNRESOLVED_START = frozenset(
    {
        "he",
        "she",
        "they",
        "it",
        "this",
        "these",
        "those",
        "that",
        "his",
        "her",
        "their",
        "its",
        "him",
        "them",
        "there",
    }
)


@dataclass(frozen=True, slots=True)
class Draft:
    id: str
    text: str
    members: tuple[AnalysedSentence, ...]
    citations: tuple[Citation, ...]
    support: int
    position: float
    quality: float
    terms: frozenset[str]  # the content-word stems of its wording, for redundancy


def draft_fact(
    group: SentenceGroup,
    alignment: Alignment,
    order: dict[str, int],
    lengths: dict[str, int],
    entities: dict[str, Entity],
    mention_map: dict[MentionKey, str],
) -> Draft:
    members = tuple(sorted(group.members, key=lambda s: (order[s.sentence.source_id], s.sentence.index)))
    citations = cite(members)
    independent = {alignment.independent[s.sentence.source_id] for s in members}

    # A headline is elliptical ("Biden to pull troops"): the fact speaks in a body sentence's
    # words whenever it has one, chosen among the body sentences as if there were no headline,
    # and takes its id from one, so headlines joining a fact leave its id and wording unchanged.
    peers = [s for s in members if not s.sentence.headline] or list(members)

    def centrality(s: AnalysedSentence) -> float:
        return sum(alignment.sim(s, o) for o in peers if o is not s) + sentence_quality(s)

    representative = max(
        members,
        key=lambda s: (
            not s.sentence.headline,
            centrality(s),
            -order[s.sentence.source_id],
            -s.sentence.index,
        ),
    )
    position = sum(max(s.sentence.index, 0) / lengths[s.sentence.source_id] for s in members) / len(members)
    named_by = next((s for s in members if not s.sentence.headline), members[0])
    fact_id = fact_id_for(Citation(named_by.sentence.source_id, named_by.sentence.id))
    text = canonical_text(representative, entities, mention_map)
    return Draft(
        fact_id,
        text,
        members,
        citations,
        len(independent),
        position,
        sentence_quality(representative),
        frozenset(representative.terms),
    )


def fact_status(support: int, disputed: bool) -> FactStatus:
    """The status a fact has before any editor rules on it."""
    if disputed:
        return FactStatus.DISPUTED
    return FactStatus.CORROBORATED if support >= 2 else FactStatus.SINGLE_SOURCE


def fact_id_for(citation: Citation) -> str:
    """The id a fact takes from one of its sentences: its first body sentence in reading order
    names it (its headline only when it cites no other).

    A fact answers to the id of every sentence in it (see `fact_ids`), so an editor's override
    keeps finding it when a new article adds sentences to it or another sentence leaves it.
    """
    return "f-" + hashlib.sha1(f"{citation.source}#{citation.sentence}".encode()).hexdigest()[:8]


def fact_ids(fact: Fact) -> tuple[str, ...]:
    """Every id a fact answers to: its own, then one per sentence it cites."""
    return tuple(dict.fromkeys((fact.id, *(fact_id_for(c) for c in fact.citations))))


def sentence_quality(sentence: AnalysedSentence) -> float:
    """How well a sentence stands on its own in a summary, from about -2 (poor) to 0 (good)."""
    text = sentence.sentence.text
    words = text.split()
    score = 0.0
    if len(words) < 6:
        score -= 1.0
    elif len(words) > 45:
        score -= 0.5
    first = re.sub(r"\W", "", words[0]).lower() if words else ""
    if first in _UNRESOLVED_START:
        score -= 0.6
    if text[:1] in "\"“‘'" or (
        text.rstrip()[-1:] in "\"”’'"
        and text.count("“") + text.count('"') >= 2
        and not re.search(r"\b(said|says|told|added|according)\b", text)
    ):
        score -= 0.5
    outside_quotes = re.sub(r"[“\"][^”\"]*[”\"]", " ", text)
    if re.search(r"\b(?:[Ww]e|[Oo]ur|us|I|[Mm]y|[Mm]e)\b", outside_quotes) and not re.search(
        r"\b(said|says|told|added|according|stated|declared)\b", text
    ):
        score -= 0.8  # unattributed first person: a quote whose speaker was lost
    if text.rstrip().endswith("?"):
        score -= 0.8
    if not re.search(r"[.!?…]['\"’”)]*$", text.rstrip()):
        score -= 0.7
    return score


def canonical_text(
    sentence: AnalysedSentence, entities: dict[str, Entity], mention_map: dict[MentionKey, str]
) -> str:
    """The sentence with each person's name spelled the way the story's entity list spells it.

    Only a spelling variant is respelled ("Kazmi" -> "Kadhimi", "Fawad Hussein" -> "Fuad
    Hussein"), and only into a spelling a source or an editor wrote: a first name, a place's
    local name or any other word that merely joined the entity stays as its source wrote it."""
    text = sentence.sentence.text
    pieces = []
    last = 0
    for mention in sorted(sentence.mentions, key=lambda m: m.start):
        entity = entities.get(
            mention_map.get((sentence.sentence.source_id, sentence.sentence.id, mention.start), "")
        )
        if entity is None or entity.type is not EntityType.PERSON or mention.text == entity.name:
            continue
        replacement = _respelling(mention.text, entity)
        if replacement is None or name_tokens(replacement) == name_tokens(mention.text):
            continue
        pieces.append(text[last : mention.start])
        pieces.append(replacement)
        last = mention.end
    pieces.append(text[last:])
    return "".join(pieces)


def _respelling(written: str, entity: Entity) -> str | None:
    """The entity's spelling of the name `written`, when `written` is a variant of it: a full
    name with the same first and last name up to transliteration, or a surname alone like the
    canonical surname. None when `written` is another kind of name for it."""
    mine, canonical = name_tokens(written), name_tokens(entity.name)
    if not mine or not canonical or written.isupper():
        return None  # an acronym is printed as written
    # An editor's name replaces every spelling of the person (the editor merged them).
    editor_named = any(edit.field == "name" for edit in entity.edits)
    surname = lexicon().article_prefix.sub("", entity.name.split()[-1])
    if len(mine) >= 2:
        alike = skeleton(mine[0]) == skeleton(canonical[0]) and skeleton(mine[-1]) == skeleton(canonical[-1])
        return entity.name if alike or editor_named else None
    if editor_named:
        return surname
    if skeleton(mine[0]) != skeleton(surname):
        return None
    written_alone = {
        tuple(name_tokens(a)) for a in (entity.name, *entity.aliases) if len(name_tokens(a)) == 1
    }
    return surname if tuple(name_tokens(surname)) in written_alone else None


def cite(sentences: Sequence[AnalysedSentence]) -> tuple[Citation, ...]:
    return tuple(Citation(s.sentence.source_id, s.sentence.id) for s in sentences)
