"""Stage 6, consolidate: turn aligned sentences into facts, conflicts and a consensus account.

A fact is a group of aligned sentences; its support is the number of independent sources among
them. Where two sources attach different values (a number, a date, whose forces) to the same
statement, the statement is split into one fact per value and a conflict links them. The
consensus account takes the best-supported facts, drops redundant ones, and reads them in the
order the coverage tends to tell them.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .align import Alignment, MentionKey, name_tokens, sentence_key, skeleton
from .analyse import term, tokens
from .config import lexicon, settings
from .overrides import NO_OVERRIDES, FactOverride, Overrides, excerpt, suggest_ids
from .records import (
    AnalysedSentence,
    AnalysedSource,
    Citation,
    Conflict,
    ConflictSide,
    ConsensusSentence,
    Correction,
    Edit,
    Entity,
    EntityType,
    Fact,
    FactStatus,
    KeyFigure,
    Problem,
    Quantity,
    SentenceGroup,
    Severity,
    Source,
    Story,
    StoryInfo,
)

_LEADING_CONNECTIVE = re.compile(
    r"^(?:(?:But|And)\s+(?=\S)|(?:However|Meanwhile|Also|So|Yet|Still|Moreover|Furthermore|"
    r"Nevertheless|Nonetheless|In addition|Besides),\s+)"
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
_UNIT_NAMES = {"%": "percent", "$": "dollars", "€": "euros", "£": "pounds"}


@dataclass(frozen=True, slots=True)
class _Disagreement:
    kind: str  # "number", "date", "who"
    topic: str  # what the values are of, for the summary
    value_a: str
    value_b: str


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
    people = _people_by_sentence(analysed, by_id, mention_map)
    groups = [part for group in alignment.groups for part in _split_on_conflicts(group, alignment, people)]
    drafts = [_draft_fact(g, alignment, order, lengths, by_id, mention_map) for g in groups]
    conflicts, links = _find_conflicts(drafts, alignment, sources, people)
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
    title = info.title or _title_from(sources, consensus)
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


# --- facts --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Draft:
    id: str
    text: str
    members: tuple[AnalysedSentence, ...]
    citations: tuple[Citation, ...]
    support: int
    position: float
    quality: float
    terms: frozenset[str]  # the content-word stems of its wording, for redundancy


def _draft_fact(
    group: SentenceGroup,
    alignment: Alignment,
    order: dict[str, int],
    lengths: dict[str, int],
    entities: dict[str, Entity],
    mention_map: dict[MentionKey, str],
) -> _Draft:
    members = tuple(sorted(group.members, key=lambda s: (order[s.sentence.source_id], s.sentence.index)))
    citations = _cite(members)
    independent = {alignment.independent[s.sentence.source_id] for s in members}

    def centrality(s: AnalysedSentence) -> float:
        return sum(alignment.sim(s, o) for o in members if o is not s) + sentence_quality(s)

    representative = max(
        members, key=lambda s: (centrality(s), -order[s.sentence.source_id], -s.sentence.index)
    )
    position = sum(s.sentence.index / lengths[s.sentence.source_id] for s in members) / len(members)
    fact_id = fact_id_for(citations[0])
    text = canonical_text(representative, entities, mention_map)
    return _Draft(
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
    """The id a fact takes from one of its sentences: its first in reading order names it.

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
    """The sentence with each person's name spelled the way the story's entity list spells it."""
    text = sentence.sentence.text
    pieces = []
    last = 0
    for mention in sorted(sentence.mentions, key=lambda m: m.start):
        entity = entities.get(
            mention_map.get((sentence.sentence.source_id, sentence.sentence.id, mention.start), "")
        )
        if entity is None or entity.type is not EntityType.PERSON or mention.text == entity.name:
            continue
        canonical = entity.name.split()
        if len(name_tokens(mention.text)) >= 2:
            replacement = entity.name
        else:
            replacement = lexicon().article_prefix.sub("", canonical[-1])
        if name_tokens(replacement) == name_tokens(mention.text):
            continue
        pieces.append(text[last : mention.start])
        pieces.append(replacement)
        last = mention.end
    pieces.append(text[last:])
    return "".join(pieces)


# --- conflicts ----------------------------------------------------------------------------------


People = dict[str, tuple[str, ...]]  # sentence key -> names of the people it mentions


def compare(
    a: AnalysedSentence, b: AnalysedSentence, similarity: float, people: People | None = None
) -> _Disagreement | None:
    """The first value two similar sentences disagree on, or None when they agree.

    Compared: numbers of the same thing (allowing for "about" and "at least"), whose forces a
    number belongs to, dates attached to the same words, and, for sentences that say nearly the
    same thing, the one person each names ("X resigned" against "Y resigned").
    """
    config = settings()
    if people is not None and similarity >= config.conflict_person:
        names_a, names_b = people.get(sentence_key(a), ()), people.get(sentence_key(b), ())
        if len(names_a) == 1 and len(names_b) == 1 and _different_people(names_a[0], names_b[0]):
            return _Disagreement("who", "who", names_a[0], names_b[0])
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
                return _Disagreement("who", f"whose {_noun(phrase, qa)}", phrase, quantity_phrase(b, match))
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
            return _Disagreement("number", topic, phrase, quantity_phrase(b, same_unit[0]))
    for da in a.dates:
        for db in b.dates:
            if da.kind == "weekday" and db.kind == "weekday":
                if (
                    da.text.split()[0] != db.text.split()[0]
                    and similarity >= config.conflict_weekday
                    and (da.iso is None or db.iso is None or da.iso != db.iso)
                ):
                    return _Disagreement("date", "the day", da.text, db.text)
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
                return _Disagreement("date", "the date", da.text, db.text)
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
    return _unit_name(quantity.unit)


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


def _unit_name(unit: str) -> str:
    return _UNIT_NAMES.get(unit, unit + "s" if unit.isalpha() else unit)


def _people_by_sentence(
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


def _split_on_conflicts(group: SentenceGroup, alignment: Alignment, people: People) -> list[SentenceGroup]:
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
                for part in _split_on_conflicts(SentenceGroup(tuple(side)), alignment, people)
            ]
    return [group]


def conflict_id_for(fact_a: str, fact_b: str, kind: str) -> str:
    """A conflict's id, from the ids of its two facts (in either order) and its kind."""
    first, second = sorted((fact_a, fact_b))
    return "c-" + hashlib.sha1(f"{first}|{second}|{kind}".encode()).hexdigest()[:8]


def _cite(sentences: Sequence[AnalysedSentence]) -> tuple[Citation, ...]:
    return tuple(Citation(s.sentence.source_id, s.sentence.id) for s in sentences)


def _find_conflicts(
    drafts: list[_Draft], alignment: Alignment, sources: tuple[Source, ...], people: People
) -> tuple[list[Conflict], dict[str, set[str]]]:
    config = settings()
    labels = {s.id: s.label for s in sources}
    members_of = {d.id: d for d in drafts}
    owner = {(m.sentence.source_id, m.sentence.id): d.id for d in drafts for m in d.members}
    pairs: dict[tuple[str, str], tuple[_Disagreement, AnalysedSentence, AnalysedSentence]] = {}
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
                    _Disagreement(
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
            ConflictSide(disagreement.value_a, fa, _cite(carry_a)),
            ConflictSide(disagreement.value_b, fb, _cite(carry_b)),
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


# --- consensus ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsensusPlan:
    """The editors' say on the consensus: facts always in it, never in it, at a set place, or
    in other words."""

    pinned: frozenset[str] = frozenset()
    dropped: frozenset[str] = frozenset()
    order: tuple[tuple[str, int], ...] = ()  # (fact id, 1-based place)
    wording: tuple[tuple[str, str], ...] = ()  # (fact id, text for the consensus)


_BARRED = (FactStatus.DISPUTED, FactStatus.FALSE)


def select_consensus(
    facts: tuple[Fact, ...],
    drafts: dict[str, _Draft],
    alignment: Alignment,
    max_words: int,
    plan: ConsensusPlan = ConsensusPlan(),
) -> tuple[ConsensusSentence, ...]:
    """The consensus account: undisputed facts, best supported first, without repeats, cut at a
    sentence boundary at `max_words`, then put in the order the coverage tells them.

    Facts the editors pinned come first whatever their score or length; dropped, disputed and
    false facts never come in; facts an editor placed (`order`) go to that place."""
    config = settings()
    wording = dict(plan.wording)
    candidates = [f for f in facts if f.status not in _BARRED and f.id not in plan.dropped]
    centrality = _centrality(alignment)
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
        if draft.quality <= -1.0:
            continue
        text = text_of(fact)
        count = len(text.split())
        if used + count > max_words:
            continue  # a shorter fact further down may still fit
        redundant = any(
            _overlap(draft.terms, drafts[other.id].terms) >= config.consensus_overlap
            or max(alignment.sim(a, b) for a in draft.members for b in drafts[other.id].members)
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


def _centrality(alignment: Alignment) -> dict[str, float]:
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
    facts: tuple[Fact, ...], drafts: dict[str, _Draft], alignment: Alignment
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
        label = phrase[len(quantity.text) :].strip() or _unit_name(quantity.unit)
        citations = tuple(dict.fromkeys(Citation(m.sentence.source_id, m.sentence.id) for m, _ in mentions))
        figures.append(KeyFigure(quantity.text, label, support, citations))
    figures.sort(key=lambda f: (-f.support, -len(f.citations), f.label, f.value))
    if figures and figures[0].support >= 2:
        figures = [f for f in figures if f.support >= 2]
    return tuple(figures[: settings().key_figures])


def _title_from(sources: tuple[Source, ...], consensus: tuple[ConsensusSentence, ...]) -> str:
    headlines = [s.meta.title for s in sources if s.meta.title]
    if headlines:
        return min(headlines, key=lambda h: (abs(len(h.split()) - 10), h))
    if consensus:
        words = consensus[0].text.split()
        return " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    return "Untitled story"


# --- editors' rulings ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ruling:
    """Facts and conflicts after the editors' overrides, with what changed and what failed."""

    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    plan: ConsensusPlan = ConsensusPlan()
    corrections: tuple[Correction, ...] = ()
    problems: tuple[Problem, ...] = ()


def conflict_ids(conflict: Conflict, facts: dict[str, Fact]) -> set[str]:
    """Every id a conflict answers to: its own and one per pair of ids its facts answer to, so
    a ruling survives a new article that renames one of its facts."""
    ids = {conflict.id}
    if len(conflict.facts) == 2 and all(f in facts for f in conflict.facts):
        first, second = (fact_ids(facts[f]) for f in conflict.facts)
        ids |= {conflict_id_for(a, b, conflict.kind) for a in first for b in second}
    return ids


def apply_rulings(
    ruling: Ruling, overrides: Overrides, sources: tuple[Source, ...], alignment: Alignment
) -> Ruling:
    """Apply the editors' rulings: add their facts, hide facts (and the conflicts they were in),
    rule on conflicts, then apply each fact's status, wording and consensus directives.

    An id that matches nothing is an error with the closest ids as suggestions, unless the
    override recorded the fact's wording (`was`): then the fact existed and changed, and the
    override is reported as orphaned, with that wording, as a warning. An override that changes
    nothing leaves no trace, so the output is as if it were not there.
    """
    corrections: list[Correction] = []
    problems: list[Problem] = []
    pinned: set[str] = set()
    order: list[tuple[str, int]] = []
    added = _added_facts(overrides, sources, alignment, corrections, problems, pinned, order)
    facts = {f.id: f for f in (*ruling.facts, *added)}
    alias = {i: f.id for f in ruling.facts for i in fact_ids(f)} | {f.id: f.id for f in added}
    texts = {f.id: f.text for f in ruling.facts}
    found = {rule.fact_id: alias.get(rule.fact_id) for rule in overrides.facts}
    hidden = {f for r in overrides.facts if r.status == "hidden" and (f := found[r.fact_id]) is not None}
    status: dict[str, FactStatus] = {}
    edits: dict[str, list[Edit]] = defaultdict(list)

    # Conflicts: those of a hidden fact go with it; a resolved one names the right fact; a
    # dismissed one was no disagreement.
    conflicts = [c for c in ruling.conflicts if not set(c.facts) & hidden]
    for rule in overrides.conflicts:
        k = next((k for k, c in enumerate(conflicts) if rule.conflict_id in conflict_ids(c, facts)), None)
        if k is None:
            summaries = {c.id: c.summary for c in conflicts}
            problems.append(
                rule.place.problem(
                    f"no conflict {rule.conflict_id} in this story"
                    + (suggest_ids(rule.conflict_id, summaries, summaries) or _listed(summaries))
                )
            )
            continue
        conflict = conflicts[k]
        if rule.dismiss:
            conflicts[k] = replace(conflict, resolution="dismissed", note=rule.note)
            change = Edit("ruling", "disputed", "dismissed: not a real disagreement")
        else:
            right = alias.get(rule.resolve or "")
            if right not in conflict.facts:
                sides = {side.fact: side.value for side in conflict.sides}
                problems.append(
                    rule.place.problem(
                        f"'resolve: {rule.resolve}' is not one of the facts of {conflict.id}: "
                        + "; ".join(f"{fact} ({value})" for fact, value in sides.items())
                    )
                )
                continue
            value = next(side.value for side in conflict.sides if side.fact == right)
            conflicts[k] = replace(conflict, resolution="resolved", right=right, note=rule.note)
            change = Edit("ruling", "disputed", f"resolved: {value} is right")
            for other in conflict.facts:
                status[other] = FactStatus.CONFIRMED if other == right else FactStatus.FALSE
        label = f"{conflict.topic}: " + " or ".join(side.value for side in conflict.sides)
        corrections.append(Correction("conflict", conflict.id, label, (change,), rule.note, rule.place.short))
    active: dict[str, set[str]] = defaultdict(set)
    for conflict in conflicts:
        if conflict.resolution is None:
            for fact_id in conflict.facts:
                active[fact_id] |= set(conflict.facts) - {fact_id}
    for fact in ruling.facts:
        new = status.get(fact.id) or fact_status(fact.support, disputed=bool(active.get(fact.id)))
        links = tuple(other for other in fact.conflicts_with if other in active.get(fact.id, ()))
        if new is not fact.status:
            edits[fact.id].append(Edit("status", fact.status.value, new.value))
        facts[fact.id] = replace(fact, status=new, conflicts_with=links)

    # Facts, found by any id they answer to.
    dropped: set[str] = set()
    wording: list[tuple[str, str]] = []
    for override in overrides.facts:
        match = found[override.fact_id]
        if match is None:
            problems.append(_unknown_fact(override, texts))
            if override.was:
                corrections.append(
                    Correction(
                        "orphaned", override.fact_id, override.was, (), override.note, override.place.short
                    )
                )
            continue
        fact_id = match
        fact = facts[fact_id]
        changes = edits[fact_id]
        if fact_id in hidden:  # its wording must not reach the page through the corrections
            changes[:] = [Edit("status", fact.status.value, "hidden")]
            corrections.append(
                Correction("fact", fact_id, "(hidden)", tuple(changes), override.note, override.place.short)
            )
            continue
        if override.status is not None and override.status != fact.status.value:
            # One status change per fact: a conflict ruling then an override read as one edit.
            earlier = next((e.before for e in changes if e.field == "status"), fact.status.value)
            changes[:] = [e for e in changes if e.field != "status"]
            if earlier != override.status:
                changes.insert(0, Edit("status", earlier, override.status))
            fact = replace(fact, status=FactStatus(override.status))
        if override.text is not None and override.text != fact.text:
            changes.append(Edit("text", fact.text, override.text))
            fact = replace(fact, text=override.text, original_text=fact.original_text or fact.text)
        if override.consensus_text is not None:
            changes.append(Edit("consensus wording", None, override.consensus_text))
            wording.append((fact_id, override.consensus_text))
        changes += _directives(fact_id, override.consensus, override.order, pinned, order)
        if override.consensus == "drop":
            dropped.add(fact_id)
        if override.note:
            fact = replace(fact, note=override.note)
            if not changes:
                changes.append(Edit("note", None, override.note))
        if override.consensus == "pin" and fact.status in _BARRED:
            problems.append(
                override.place.problem(
                    f"fact {fact_id} is pinned into the consensus but its status is {fact.status.value}",
                    Severity.WARNING,
                )
            )
        facts[fact_id] = fact
        if changes:
            label = fact.original_text or fact.text
            corrections.append(
                Correction("fact", fact_id, label, tuple(changes), override.note, override.place.short)
            )

    result = tuple(
        replace(facts[f.id], edits=tuple(edits[f.id])) if edits.get(f.id) else facts[f.id]
        for f in (*ruling.facts, *added)
        if f.id not in hidden
    )
    return Ruling(
        result,
        tuple(conflicts),
        ConsensusPlan(frozenset(pinned), frozenset(dropped | hidden), tuple(order), tuple(wording)),
        tuple(corrections),
        tuple(problems),
    )


def _unknown_fact(override: FactOverride, texts: dict[str, str]) -> Problem:
    """An orphan warning when the override recorded its fact's wording, else an error."""
    if override.was:
        return override.place.problem(
            f"orphaned override: fact {override.fact_id} no longer exists (its sentences"
            f" changed); it matched “{excerpt(override.was, 14)}”" + _closest(override.was, texts),
            Severity.WARNING,
        )
    hint = suggest_ids(override.fact_id, texts, texts) or " (hint: copy the id from the fact sheet)"
    return override.place.problem(f"no fact {override.fact_id} in this story{hint}")


def _added_facts(
    overrides: Overrides,
    sources: tuple[Source, ...],
    alignment: Alignment,
    corrections: list[Correction],
    problems: list[Problem],
    pinned: set[str],
    order: list[tuple[str, int]],
) -> list[Fact]:
    """The facts the editors add, with their citations checked; pins and places are recorded."""
    added: list[Fact] = []
    sentence_at = {(s.id, x.id): x.index / max(1, len(s.sentences)) for s in sources for x in s.sentences}
    for addition in overrides.new_facts:
        citations = tuple(c for c in addition.citations if (c.source, c.sentence) in sentence_at)
        for missing in (c for c in addition.citations if (c.source, c.sentence) not in sentence_at):
            problems.append(
                addition.place.problem(
                    f"orphaned citation: sentence {missing.sentence} is no longer in source"
                    f" '{missing.source}' (its text changed); the added fact “{excerpt(addition.text, 14)}”"
                    " no longer cites it",
                    Severity.WARNING,
                )
            )
        if not citations and not addition.outside:
            corrections.append(
                Correction("orphaned", "", addition.text, (), addition.note, addition.place.short)
            )
            continue
        independent = {alignment.independent.get(c.source, c.source) for c in citations}
        support = len(independent) + len(addition.outside)
        status = FactStatus(addition.status) if addition.status else fact_status(support, disputed=False)
        position = (
            sum(sentence_at[(c.source, c.sentence)] for c in citations) / len(citations) if citations else 1.0
        )
        fact_id = "f-" + hashlib.sha1(f"added|{addition.text}".encode()).hexdigest()[:8]
        changes = [
            Edit("added", None, addition.text),
            # an added fact is out of the consensus unless pinned: "drop" changes nothing
            *_directives(
                fact_id,
                addition.consensus if addition.consensus == "pin" else None,
                addition.order,
                pinned,
                order,
            ),
        ]
        added.append(
            Fact(
                fact_id,
                addition.text,
                status,
                support,
                citations,
                (),
                position,
                addition.outside,
                True,
                None,
                addition.note,
                tuple(changes),
            )
        )
        corrections.append(
            Correction(
                "added fact", fact_id, addition.text, tuple(changes), addition.note, addition.place.short
            )
        )
    return added


def _directives(
    fact_id: str, consensus: str | None, place: int | None, pinned: set[str], order: list[tuple[str, int]]
) -> list[Edit]:
    """Record a fact's consensus directives (pin, drop, place) and the edits that show them."""
    edits = []
    if consensus is not None:
        if consensus == "pin":
            pinned.add(fact_id)
        edits.append(Edit("consensus", None, "pinned" if consensus == "pin" else "dropped"))
    if place is not None:
        order.append((fact_id, place))
        edits.append(Edit("consensus place", None, str(place)))
    return edits


def _closest(text: str, texts: dict[str, str]) -> str:
    """ " (closest fact now: f-… “…”)" when a fact's wording is near the orphan's."""
    scored = [
        (difflib.SequenceMatcher(None, text, other).ratio(), fact_id) for fact_id, other in texts.items()
    ]
    if not scored:
        return ""
    ratio, fact_id = max(scored)
    return f" (closest fact now: {fact_id} “{excerpt(texts[fact_id], 14)}”)" if ratio >= 0.5 else ""


def _listed(summaries: dict[str, str]) -> str:
    if not summaries:
        return " (the story has no conflicts now)"
    return " (its conflicts are: " + "; ".join(f"{i}: {s}" for i, s in summaries.items()) + ")"
