"""Stage 6d, the editors' rulings on facts and conflicts: added facts, status, wording, hidden
facts, resolved and dismissed conflicts, and the consensus directives they imply.
"""

from __future__ import annotations

import difflib
import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace

from .align import Alignment
from .conflicts import conflict_id_for
from .consensus import BARRED, ConsensusPlan
from .facts import fact_ids, fact_status
from .overrides import FactOverride, Overrides, excerpt, suggest_ids
from .records import (
    Conflict,
    Correction,
    Edit,
    Fact,
    FactStatus,
    Problem,
    Severity,
    Source,
)


@dataclass(frozen=True, slots=True)
class Ruling:
    """Facts and conflicts after the editors' overrides, with what changed and what failed."""

    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    plan: ConsensusPlan = ConsensusPlan()  # noqa: RUF009 (frozen, so sharing one is safe)
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
        if override.consensus == "pin" and fact.status in BARRED:
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
    sentence_at = {}
    for source in sources:
        length = max(1, len(source.sentences))
        sentence_at.update({(source.id, x.id): max(x.index, 0) / length for x in source.citable})
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
