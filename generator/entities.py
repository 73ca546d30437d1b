"""Stage 5, align (entities): decide which name mentions are one entity.

Spelling variants, transliterations, a surname or short form alone, declared acronyms and
organisations written with or without a country or body prefix become one entity; editors'
entity overrides merge and split on top. `align` compares sentences on the entities found here.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .analyse import declared_aliases, strip_possessive
from .config import lexicon
from .ingest import slug
from .overrides import EntityOverride
from .records import AnalysedSource, Edit, Entity, EntityType, Mention

_DIGRAPHS = (
    ("dh", "z"),
    ("th", "t"),
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("sh", "s"),
    ("ch", "c"),
    ("ou", "u"),
    ("ee", "i"),
    ("q", "k"),
    ("x", "ks"),
    ("j", "y"),
)

MentionKey = tuple[str, str, int]  # (source id, sentence id, start offset)


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name reduced for matching: ASCII, lowercase, no possessive, dots or title."""
    # Accents go ("Kadhimī" = "Kadhimi"); letters of any script stay ("Путин").
    ascii_name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    ascii_name = strip_possessive(ascii_name)
    ascii_name = ascii_name.replace(".", "").replace("-", " ").lower()
    return " ".join(ascii_name.split())


def name_tokens(name: str) -> list[str]:
    """The tokens of a folded name that identify a person, particles ("al-", "bin") removed."""
    particles = lexicon().name_particles
    return [t for t in fold(name).split() if t not in particles]


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """A transliteration-tolerant key: Kadhimi and Kazmi, Fuad and Fawad share one."""
    word = fold(word)
    for digraph, letter in _DIGRAPHS:
        word = word.replace(digraph, letter)
    if not word:
        return ""
    rest = re.sub(r"[aeiouwyh]", "", word[1:])
    return re.sub(r"(.)\1+", r"\1", word[0] + rest)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


@dataclass(slots=True)
class _Candidate:
    """Mutable while entities are being resolved; frozen into `Entity` at the end."""

    key: str
    surfaces: Counter[str]
    types: Counter[EntityType]
    sources: set[str]
    mentions: list[MentionKey]
    by_source: dict[str, set[str]]
    titled: int = 0  # mentions preceded by a title
    parent: str | None = None


def resolve_entities(
    analysed: tuple[AnalysedSource, ...], rules: Sequence[EntityOverride] = ()
) -> tuple[tuple[Entity, ...], dict[MentionKey, str]]:
    """Cluster every name mention of the story into entities.

    Editors' `rules` come first: a canonical name merges the spellings listed with it (which the
    matcher could not know, such as a mistranslated name), and a split keeps spellings apart
    whatever the matcher would decide. Returns the entities (sorted by type, then by how often
    they are mentioned) and a map from each mention (source, sentence, offset) to its entity id.
    """
    candidates: dict[str, _Candidate] = {}
    declared: dict[str, str] = {}  # acronym key -> full name key
    for source in analysed:
        for sentence in source.sentences:
            for mention in sentence.mentions:
                key = _mention_key(mention)
                if not key:
                    continue
                cand = candidates.setdefault(key, _Candidate(key, Counter(), Counter(), set(), [], {}))
                surface = strip_possessive(mention.text)
                cand.surfaces[surface] += 1
                cand.by_source.setdefault(source.source.id, set()).add(surface)
                cand.types[mention.type] += 1
                cand.titled += mention.titled
                cand.sources.add(source.source.id)
                cand.mentions.append((source.source.id, sentence.sentence.id, mention.start))
            for full, acronym in declared_aliases(sentence.sentence.text, sentence.mentions):
                declared[fold(acronym)] = _mention_key_text(full)

    def root(key: str) -> str:
        while candidates[key].parent is not None:
            key = candidates[key].parent  # type: ignore[assignment]
        return key

    keys_of: dict[str, set[str]] = {key: {key} for key in candidates}  # root -> keys under it
    apart = [{_mention_key_text(s) for s in rule.split} for rule in rules if rule.split]

    def union(child: str, parent: str) -> None:
        a, b = root(child), root(parent)
        if a == b:
            return
        merged = keys_of[a] | keys_of[b]
        if any(len(keys & merged) >= 2 for keys in apart):
            return  # an editor said these are different entities
        candidates[a].parent = b
        keys_of[b] = merged

    keys = sorted(candidates)
    for rule in rules:
        present = sorted({_mention_key_text(s) for s in rule.spellings} & candidates.keys())
        for key in present[1:]:
            union(key, present[0])
    people = [
        k
        for k in keys
        if not k.startswith("place:")
        and len(k.split()) >= 2
        and candidates[k].types.most_common(1)[0][0] is EntityType.PERSON
    ]
    # Full names: same surname and first name up to transliteration.
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            ta, tb = name_tokens(a), name_tokens(b)
            if len(ta) < 2 or len(tb) < 2:
                continue
            if (
                skeleton(ta[-1]) == skeleton(tb[-1])
                and skeleton(ta[0]) == skeleton(tb[0])
                and _similar(" ".join(ta), " ".join(tb)) >= 0.6
            ):
                union(b, a)
    # Acronyms declared in brackets, then acronyms matching a name's initials.
    for acronym, full in sorted(declared.items()):
        if acronym in candidates and full in candidates:
            union(acronym, full)
    multiword = [k for k in keys if len(k.split()) >= 2 and not k.startswith("place:")]
    for key in keys:
        if (
            re.fullmatch(r"[a-z]{2,6}", key)
            and candidates[key].surfaces.most_common(1)[0][0].isupper()
            and root(key) == key
        ):
            matches = [k for k in multiword if "".join(w[0] for w in name_tokens(k)) == key]
            if len(matches) == 1:
                union(key, matches[0])
    # A surname alone joins the one full name it can belong to, preferring the same source.
    for key in keys:
        if len(key.split()) != 1 or key.startswith("place:") or root(key) != key:
            continue
        surname = name_tokens(key)
        if not surname:
            continue
        options = [
            k
            for k in people
            if skeleton(name_tokens(k)[-1]) == skeleton(surname[0])
            and _similar(name_tokens(k)[-1], surname[0]) >= 0.5
        ]
        roots = sorted({root(k) for k in options})
        same_source = sorted({root(k) for k in options if candidates[k].sources & candidates[key].sources})
        if len(same_source) == 1:
            union(key, same_source[0])
        elif len(roots) == 1:
            union(key, roots[0])

    groups: dict[str, list[_Candidate]] = defaultdict(list)
    for key in keys:
        groups[root(key)].append(candidates[key])
    entities: list[Entity] = []
    mention_map: dict[MentionKey, str] = {}
    used_ids: set[str] = set()
    for members in groups.values():
        member_keys = {m.key for m in members}
        naming = next(
            (
                r
                for r in reversed(rules)
                if r.name and {_mention_key_text(s) for s in r.spellings} & member_keys
            ),
            None,
        )
        kept_apart = sorted(
            {
                spelling
                for r in rules
                for spelling in r.split
                if {_mention_key_text(s) for s in r.split} & member_keys
                and _mention_key_text(spelling) not in member_keys
                and _mention_key_text(spelling) in candidates
            }
        )
        entity = _make_entity(members, used_ids, naming, kept_apart)
        entities.append(entity)
        for member in members:
            for mention_key in member.mentions:
                mention_map[mention_key] = entity.id
    order = {EntityType.PERSON: 0, EntityType.ORGANIZATION: 1, EntityType.PLACE: 2, EntityType.OTHER: 3}
    entities.sort(key=lambda e: (order[e.type], -len(e.sources), -e.mentions, e.name))
    return tuple(entities), mention_map


def _mention_key_text(text: str) -> str:
    lex = lexicon()
    folded = fold(text)
    place = lex.places.get(folded) or lex.places.get(text.lower())
    return f"place:{place}" if place else folded


def _mention_key(mention: Mention) -> str:
    return _mention_key_text(mention.text)


def _make_entity(
    members: list[_Candidate],
    used: set[str],
    rule: EntityOverride | None = None,
    kept_apart: Sequence[str] = (),
) -> Entity:
    surfaces: Counter[str] = Counter()
    types: Counter[EntityType] = Counter()
    sources: set[str] = set()
    by_source: dict[str, set[str]] = defaultdict(set)
    titled = sum(member.titled for member in members)
    for member in members:
        for source_id, spelled in member.by_source.items():
            by_source[source_id] |= spelled
        surfaces.update(member.surfaces)
        types.update(member.types)
        sources |= member.sources
    place = next((m.key[len("place:") :] for m in members if m.key.startswith("place:")), None)
    if place:
        name, kind = place, EntityType.PLACE
    else:
        # The type most of its mentions have; a titled mention ("President X") counts triple.
        preference = (EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE, EntityType.OTHER)
        kind = max(
            preference,
            key=lambda t: (types[t] + (2 * titled if t is EntityType.PERSON else 0), -preference.index(t)),
        )
        # The canonical spelling: the fullest form most sources use.
        source_counts: Counter[str] = Counter()
        for member in members:
            for surface in member.surfaces:
                source_counts[surface] += len(member.sources)
        name = max(
            surfaces, key=lambda s: (len(name_tokens(s)) >= 2, source_counts[s], surfaces[s], len(s), s)
        )
    edits: list[Edit] = []
    role = note = None
    if rule is not None:
        assert rule.name is not None
        automatic = name
        if rule.name != name:
            edits.append(Edit("name", name, rule.name))
            name = rule.name
        if rule.type is not None and rule.type is not kind:
            edits.append(Edit("type", kind.value, rule.type.value))
            kind = rule.type
        keys = {m.key for m in members}
        merged = [a for a in rule.aliases if _mention_key_text(a) in keys and fold(a) != fold(automatic)]
        if merged:
            edits.append(Edit("merged spellings", None, ", ".join(merged)))
        if rule.role:
            edits.append(Edit("role", None, rule.role))
        role, note = rule.role, rule.note
    if kept_apart:
        edits.append(Edit("kept apart from", None, ", ".join(kept_apart)))
    entity_id = f"e-{slug(name)}"
    if entity_id in used:
        entity_id += "-" + hashlib.sha1(name.encode()).hexdigest()[:4]
    used.add(entity_id)
    aliases = tuple(
        sorted(
            {s for s in surfaces if s != name and fold(s) != fold(name)}
            | {s for s in surfaces if s != name and fold(s) == fold(name)}
        )
    )
    spellings = tuple((source_id, tuple(sorted(by_source[source_id]))) for source_id in sorted(by_source))
    return Entity(
        entity_id,
        name,
        kind,
        aliases,
        tuple(sorted(sources)),
        sum(surfaces.values()),
        spellings,
        role,
        note,
        tuple(edits),
    )
