"""Stage 6b, conflicts: where two sources attach different values (a number, a date, whose
forces, who) to the same thing, the group is split into one fact per value and a conflict
links them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from .align import Alignment, MentionKey, name_tokens, sentence_key, skeleton
from .analyse import term, tokens
from .config import settings
from .facts import Draft, cite
from .records import (
    AnalysedSentence,
    AnalysedSource,
    Conflict,
    ConflictSide,
    Entity,
    EntityType,
    Quantity,
    SentenceGroup,
    Source,
)

_UNIT_NAMES = {"%": "percent", "$": "dollars", "€": "euros", "£": "pounds"}


@dataclass(frozen=True, slots=True)
class Disagreement:
    kind: str  # "number", "date", "who"
    topic: str  # what the values are of, for the summary
    value_a: str
    value_b: str


People = dict[str, tuple[str, ...]]  # sentence key -> names of the people it mentions


def compare(
    a: AnalysedSentence, b: AnalysedSentence, similarity: float, people: People | None = None
) -> Disagreement | None:
    """The first value two similar sentences disagree on, or None when they agree.

    Compared: numbers of the same thing (allowing for "about" and "at least"), whose forces a
    number belongs to, dates attached to the same words, and, for sentences that say nearly the
    same thing, the one person each names ("X resigned" against "Y resigned").
    """
    config = settings()
    if people is not None and similarity >= config.conflict_person:
        names_a, names_b = people.get(sentence_key(a), ()), people.get(sentence_key(b), ())
        if len(names_a) == 1 and len(names_b) == 1 and _different_people(names_a[0], names_b[0]):
            return Disagreement("who", "who", names_a[0], names_b[0])
    for qa in a.quantities:
        if not qa.unit or qa.unit == "year":
            continue
        same_unit = [qb for qb in b.quantities if qb.unit == qa.unit]
        if not same_unit:
            continue
        if any(consistent(qa, qb) for qb in same_unit):
            match = next(qb for qb in same_unit if consistent(qa, qb))
            if qa.modifier and match.modifier and qa.modifier != match.modifier and qa.value == match.value:
                phrase = quantity_phrase(a, qa)
                return Disagreement("who", f"whose {_noun(phrase, qa)}", phrase, quantity_phrase(b, match))
            continue
        if (
            len(same_unit) == 1
            and len([q for q in a.quantities if q.unit == qa.unit]) == 1
            and _same_referent(a, qa, b, same_unit[0])
        ):
            phrase = quantity_phrase(a, qa)
            topic = {"%": "the percentage", "$": "the amount", "€": "the amount", "£": "the amount"}.get(
                qa.unit, f"the number of {_noun(phrase, qa)}"
            )
            return Disagreement("number", topic, phrase, quantity_phrase(b, same_unit[0]))
    for da in a.dates:
        for db in b.dates:
            if da.kind == "weekday" and db.kind == "weekday":
                if (
                    da.text.split()[0] != db.text.split()[0]
                    and similarity >= config.conflict_weekday
                    and (da.iso is None or db.iso is None or da.iso != db.iso)
                ):
                    return Disagreement("date", "the day", da.text, db.text)
                continue
            if (
                not (da.iso and db.iso)
                or da.kind in ("weekday", "relative")
                or db.kind in ("weekday", "relative")
            ):
                continue
            common = min(len(da.iso), len(db.iso))
            if (
                da.iso[:common] != db.iso[:common]
                and set(da.context) & set(db.context)
                and len([d for d in a.dates if d.iso]) == 1
                and len([d for d in b.dates if d.iso]) == 1
            ):
                return Disagreement("date", "the date", da.text, db.text)
    return None


def quantity_phrase(sentence: AnalysedSentence, quantity: Quantity) -> str:
    """The words of a sentence from a number to the noun it counts: "2,500 US troops"."""
    text = sentence.sentence.text
    end = quantity.start + len(quantity.text)
    for match in re.finditer(r"[\w’'-]+", text[end : end + 60]):
        if term(match.group()) == quantity.unit:
            return text[quantity.start : end + match.end()]
    return quantity.text


def _close(x: float, y: float, hedged: bool) -> bool:
    tolerance = 0.15 if hedged else 0.0
    return abs(x - y) <= tolerance * max(abs(x), abs(y))


def _different_people(a: str, b: str) -> bool:
    """Two full names with different surnames: not one person under a title or a variant spelling."""
    ta, tb = name_tokens(a), name_tokens(b)
    return len(ta) >= 2 and len(tb) >= 2 and skeleton(ta[-1]) != skeleton(tb[-1])


def _number_context(sentence: AnalysedSentence, quantity: Quantity) -> set[str]:
    """Content-word stems just around a number: what it is a number of, and what happened."""
    text = sentence.sentence.text
    before = [t for t in (term(tok.text) for tok in tokens(text[: quantity.start])[-5:]) if t]
    after = [
        t for t in (term(tok.text) for tok in tokens(text[quantity.start + len(quantity.text) :])[:5]) if t
    ]
    return {t for t in before + after if t != quantity.unit}


def _same_referent(a: AnalysedSentence, qa: Quantity, b: AnalysedSentence, qb: Quantity) -> bool:
    """Whether two numbers count the same thing: they share words around them ("people killed in
    the crash"), so "80 people shot" and "13 people killed" are not compared."""
    context_a, context_b = _number_context(a, qa), _number_context(b, qb)
    if not context_a or not context_b:
        return False
    return len(context_a & context_b) / len(context_a | context_b) >= settings().conflict_context


def _noun(phrase: str, quantity: Quantity) -> str:
    """The counted noun as the article wrote it ("degrees"), for summaries."""
    words = re.findall(r"[A-Za-z’'-]+", phrase[len(quantity.text) :])
    if words and term(words[-1]) == quantity.unit:
        return words[-1].lower()
    return unit_name(quantity.unit)


def consistent(a: Quantity, b: Quantity) -> bool:
    """Whether two numbers of the same thing can both be true: equal, close when either is
    approximate, or within a stated bound ("at least 30" and "42")."""
    if _close(a.value, b.value, a.hedged or b.hedged):
        return True
    for floor_or_cap, other in ((a, b), (b, a)):
        if floor_or_cap.bound == "min" and other.value >= floor_or_cap.value:
            return True
        if floor_or_cap.bound == "max" and other.value <= floor_or_cap.value:
            return True
    return False


def unit_name(unit: str) -> str:
    return _UNIT_NAMES.get(unit, unit + "s" if unit.isalpha() else unit)


def people_by_sentence(
    analysed: tuple[AnalysedSource, ...], entities: dict[str, Entity], mention_map: dict[MentionKey, str]
) -> People:
    people: People = {}
    for source in analysed:
        for sentence in source.sentences:
            names = {
                entities[entity_id].name
                for mention in sentence.mentions
                if (entity_id := mention_map.get((source.source.id, sentence.sentence.id, mention.start)))
                and entities[entity_id].type is EntityType.PERSON
            }
            people[sentence_key(sentence)] = tuple(sorted(names))
    return people


def split_on_conflicts(group: SentenceGroup, alignment: Alignment, people: People) -> list[SentenceGroup]:
    """Split a group whose members disagree until no part holds two values: the members that
    disagree with one sentence go one way, the rest the other, and each part is checked again."""
    members = list(group.members)
    for x, a in enumerate(members):
        for b in members[x + 1 :]:
            if alignment.independent[a.sentence.source_id] == alignment.independent[b.sentence.source_id]:
                continue
            if compare(a, b, alignment.sim(a, b), people) is None:
                continue
            side_a = [m for m in members if compare(m, b, alignment.sim(m, b), people) is not None]
            side_b = [m for m in members if m not in side_a]
            return [
                part
                for side in (side_a, side_b)
                for part in split_on_conflicts(SentenceGroup(tuple(side)), alignment, people)
            ]
    return [group]


def conflict_id_for(fact_a: str, fact_b: str, kind: str) -> str:
    """A conflict's id, from the ids of its two facts (in either order) and its kind."""
    first, second = sorted((fact_a, fact_b))
    return "c-" + hashlib.sha1(f"{first}|{second}|{kind}".encode()).hexdigest()[:8]


def find_conflicts(
    drafts: list[Draft], alignment: Alignment, sources: tuple[Source, ...], people: People
) -> tuple[list[Conflict], dict[str, set[str]]]:
    config = settings()
    labels = {s.id: s.label for s in sources}
    members_of = {d.id: d for d in drafts}
    owner = {(m.sentence.source_id, m.sentence.id): d.id for d in drafts for m in d.members}
    pairs: dict[tuple[str, str], tuple[Disagreement, AnalysedSentence, AnalysedSentence]] = {}
    for key, score in sorted(alignment.similarity.items()):
        if score < config.conflict_pair:
            continue
        a_src, a_sid = key[0].split("#")
        b_src, b_sid = key[1].split("#")
        if alignment.independent[a_src] == alignment.independent[b_src]:
            continue
        fa, fb = owner[(a_src, a_sid)], owner[(b_src, b_sid)]
        if fa == fb:
            continue
        a = next(
            m for m in members_of[fa].members if m.sentence.id == a_sid and m.sentence.source_id == a_src
        )
        b = next(
            m for m in members_of[fb].members if m.sentence.id == b_sid and m.sentence.source_id == b_src
        )
        disagreement = compare(a, b, score, people)
        if disagreement is None:
            continue
        pair = (fa, fb) if fa < fb else (fb, fa)
        if pair not in pairs:
            pairs[pair] = (
                (disagreement, a, b)
                if fa < fb
                else (
                    Disagreement(
                        disagreement.kind, disagreement.topic, disagreement.value_b, disagreement.value_a
                    ),
                    b,
                    a,
                )
            )
    conflicts = []
    links: dict[str, set[str]] = defaultdict(set)
    for (fa, fb), (disagreement, a, b) in sorted(pairs.items()):
        links[fa].add(fb)
        links[fb].add(fa)
        # Each side cites the sentences that carry its value, not every sentence of its fact.
        carry_a = [m for m in members_of[fa].members if compare(m, b, alignment.sim(m, b), people)] or [a]
        carry_b = [m for m in members_of[fb].members if compare(a, m, alignment.sim(a, m), people)] or [b]
        sides = (
            ConflictSide(disagreement.value_a, fa, cite(carry_a)),
            ConflictSide(disagreement.value_b, fb, cite(carry_b)),
        )
        who = [", ".join(sorted({labels[c.source] for c in side.citations})) for side in sides]
        summary = (
            f"Sources differ on {disagreement.topic}: {sides[0].value} ({who[0]}) "
            f"against {sides[1].value} ({who[1]})."
        )
        conflict_id = conflict_id_for(fa, fb, disagreement.kind)
        conflicts.append(
            Conflict(conflict_id, disagreement.kind, summary, (fa, fb), sides, disagreement.topic)
        )
    return conflicts, links
