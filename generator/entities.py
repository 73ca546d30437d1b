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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .analyse import declared_aliases, plural_demonym, strip_possessive, tokens
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


_DOT_BEFORE_WORD = re.compile(r"(?<=\b[A-Z])\.(?=[A-Z][a-z])")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """A name reduced for matching: ASCII, lowercase, no possessive, dots or title."""
    # Accents go ("Kadhimī" = "Kadhimi"); letters of any script stay ("Путин").
    ascii_name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    ascii_name = strip_possessive(ascii_name)
    # An initial's dot written against the surname ("P.J.Carlesimo") still ends a word.
    ascii_name = _DOT_BEFORE_WORD.sub(" ", ascii_name)
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
        and len(name_tokens(k)) >= 2
        and candidates[k].types.most_common(1)[0][0] is EntityType.PERSON
    ]
    lowercase_words = frozenset(
        tok.text
        for source in analysed
        for s in source.sentences
        for tok in tokens(s.sentence.text)
        if tok.text.islower()
    )
    _join_full_names(people, lowercase_words, root, union)
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
            matches = [k for k in multiword if key in _initials(k)]
            if len(matches) == 1:
                union(key, matches[0])
    _join_prefixed_organisations(candidates, keys, root, union)
    _join_short_forms(candidates, keys, people, root, union)

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


_Root = Callable[[str], str]
_Union = Callable[[str, str], None]


def _middles_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two full names' middle names can be one person's: "George W. Bush" and "George
    Bush" can, "George W. Bush" and "George H. W. Bush" cannot. A middle name agrees with another
    that starts with its initial ("W" and "Walker")."""
    ma, mb = list(a[1:-1]), list(b[1:-1])
    if not ma or not mb:
        return True
    if len(ma) != len(mb):
        return False
    pairs = zip(ma, mb, strict=True)
    return all(x[0] == y[0] and (len(x) == 1 or len(y) == 1 or skeleton(x) == skeleton(y)) for x, y in pairs)


def _same_person(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two full names of one person up to transliteration: first and last name alike."""
    return (
        skeleton(a[-1]) == skeleton(b[-1])
        and skeleton(a[0]) == skeleton(b[0])
        and _similar(" ".join(a), " ".join(b)) >= 0.6
    )


def _short_form_of(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two names with the same surname after a given name and one of its short forms ("Mo
    Cheeks" and "Maurice Cheeks", "Bill" and "William": `given_names` in data/lexicon.yaml)."""
    if len(a) < 2 or len(b) < 2 or a[-1] != b[-1] or skeleton(a[0]) == skeleton(b[0]):
        return False
    names = lexicon().given_names
    return bool(names.get(a[0], frozenset()) & names.get(b[0], frozenset()))


def _join_full_names(
    people: Sequence[str], lowercase_words: frozenset[str], root: _Root, union: _Union
) -> None:
    """Full names of one person merge: same first and last name up to transliteration, and no
    middle names that tell two people apart. A name without middle names joins the one group it
    fits; where it fits two ("George Bush" beside "George W. Bush" and "George H. W. Bush") it
    joins neither."""
    tokens = {k: name_tokens(k) for k in people}
    with_middle = [k for k in people if len(tokens[k]) > 2]
    plain = [k for k in people if len(tokens[k]) == 2]
    for group in (with_middle, plain):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if _same_person(tokens[a], tokens[b]) and _middles_agree(tokens[a], tokens[b]):
                    union(b, a)
    for key in plain:
        fits = {
            root(k)
            for k in with_middle
            if _same_person(tokens[key], tokens[k]) and _middles_agree(tokens[key], tokens[k])
        }
        if len(fits) == 1:
            union(key, fits.pop())
    # A short form of a given name joins the one person it can mean: "Chris Marsh" beside
    # "Christopher Marsh" and "Christine Marsh" joins neither.
    by_surname: dict[str, list[str]] = defaultdict(list)  # the names a short form can meet
    for k in people:
        if len(tokens[k]) >= 2:
            by_surname[tokens[k][-1]].append(k)
    for key in plain:
        named = by_surname[tokens[key][-1]]
        rivals = {root(k) for k in named if _short_form_of(tokens[key], tokens[k])} - {root(key)}
        if len(rivals) != 1:
            continue
        target = rivals.pop()
        # every name of either person is a form of every name of the other ("Sam Marsh", one
        # person with "Sammy Marsh", never joins "Samantha Marsh": Sammy is no Samantha)
        ours = [k for k in named if root(k) == root(key)]
        theirs = [k for k in named if root(k) == target]
        # and the other person can mean no one else either ("Christopher Marsh" does not take
        # "Chris Marsh", who may be "Christine A. Marsh")
        their_rivals = {root(x) for y in theirs for x in named if _short_form_of(tokens[y], tokens[x])}
        if their_rivals - {target} == {root(key)} and all(
            _short_form_of(tokens[x], tokens[y]) or skeleton(tokens[x][0]) == skeleton(tokens[y][0])
            for x in ours
            for y in theirs
        ):
            union(key, target)
    # A longer run that ends with one person's full name, after words the story also writes in
    # lowercase, is that person: "Comedian Ellen DeGeneres" in a caption, "Real Bettie Page" in
    # a title-case headline. After a name ("Clarissa Dickson Wright") it is another person.
    for key in with_middle:
        ends = {
            root(k)
            for k in people
            if len(tokens[k]) < len(tokens[key])
            and tokens[key][-len(tokens[k]) :] == tokens[k]
            and all(_word_not_name(w, lowercase_words) for w in tokens[key][: -len(tokens[k])])
        }
        if len(ends) == 1:
            union(key, ends.pop())


def _word_not_name(word: str, lowercase_words: frozenset[str]) -> bool:
    """A folded word that is no part of a person's name: an ordinary word of the story, a title
    or a place ("Russian Alexander Povetkin")."""
    lex = lexicon()
    return word in lowercase_words or word in lex.titles or word in lex.title_parts or word in lex.places


def _join_short_forms(
    candidates: Mapping[str, _Candidate],
    keys: Sequence[str],
    people: Sequence[str],
    root: _Root,
    union: _Union,
) -> None:
    """A surname alone ("Obama"), the end of a full name ("Boone Isaacs") or a first name alone
    joins the one person it can mean in the story; when it fits two people ("Trump" beside
    "Donald Trump" and "Ivanka Trump") it joins neither. Then a single word that ends exactly one
    other multi-word name ("Sukanya", "INS Sukanya") joins it, unless it is a generic head
    ("Department", "Council"), which could mean any body of that kind."""
    lex = lexicon()
    tokens = {k: name_tokens(k) for k in people}
    for key in keys:
        if key.startswith("place:") or root(key) != key:
            continue
        words = name_tokens(key)
        if not words or candidates[key].types.most_common(1)[0][0] is EntityType.PLACE:
            continue
        if _is_acronym_key(candidates[key]):
            continue  # "CNN" is no spelling of "Cohen"
        if len(words) == 1:
            surname = {root(k) for k in people if _same_surname(tokens[k][-1], words[0])}
            # A first name alone is weaker evidence: the full name must be in the same source.
            first = {
                root(k)
                for k in people
                if len(tokens[k]) == 2
                and tokens[k][0] == words[0]
                and candidates[k].sources & candidates[key].sources
            }
            if surname:
                options = surname
            elif candidates[key].types.most_common(1)[0][0] is not EntityType.ORGANIZATION:
                options = first
            else:
                options = set()
        else:
            options = {
                root(k)
                for k in people
                if len(tokens[k]) > len(words) and tokens[k][-len(words) :] == words and k != key
            }
        options.discard(root(key))
        if len(options) == 1:
            union(key, options.pop())
    generic = lex.organization_words | lex.event_last_words | lex.place_last_words | lex.event_first_words
    ending: dict[str, list[str]] = defaultdict(list)  # last word -> the multi-word names it ends
    for key in keys:
        words = name_tokens(key)
        if not key.startswith("place:") and len(words) >= 2:
            ending[words[-1]].append(key)
    # "Red Sox" and "Boston Red Sox": a name of two words or more that ends exactly one longer one.
    for key in keys:
        words = name_tokens(key)
        if key.startswith("place:") or root(key) != key or len(words) < 2 or key in tokens:
            continue
        longer = {
            root(k)
            for k in ending.get(words[-1], ())
            if len(name_tokens(k)) > len(words) and name_tokens(k)[-len(words) :] == words
        }
        longer.discard(root(key))
        if len(longer) == 1:
            union(key, longer.pop())
    for key in keys:
        words = name_tokens(key)
        if key.startswith("place:") or root(key) != key or len(words) != 1 or words[0] in generic:
            continue
        if _is_acronym_key(candidates[key]):
            continue
        options = {root(k) for k in ending.get(words[0], ())}
        options.discard(root(key))
        if len(options) == 1:
            union(key, options.pop())


def _initials(key: str) -> set[str]:
    """The acronyms a name can have: "hollywood reporter" -> "hr", or "thr" with the "The" that
    opened it and that mention finding dropped."""
    every = "".join(w[0] for w in name_tokens(key))
    return {every, "t" + every}


def _same_surname(full: str, alone: str) -> bool:
    return skeleton(full) == skeleton(alone) and _similar(full, alone) >= 0.5


def _is_acronym_key(candidate: _Candidate) -> bool:
    surface = candidate.surfaces.most_common(1)[0][0]
    return surface.isupper() and len(surface) <= 6


def _organisation_prefix(surface: str) -> tuple[str | None, list[str]]:
    """A name's country or body prefix and the rest: "British Royal Navy" -> ("United Kingdom",
    ["royal", "navy"]), "UN Security Council" -> ("UN", ["security", "council"]), "Royal Navy"
    -> (None, ["royal", "navy"])."""
    places = lexicon().places
    words = strip_possessive(surface).split()
    for size in (2, 1):
        if len(words) <= size:
            continue
        head = " ".join(words[:size])
        place = places.get(head.lower()) or places.get(head.lower().replace(".", ""))
        if place:
            return place, [fold(w) for w in words[size:]]
    if len(words) > 2 and re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,5}", words[0]):
        return words[0].replace(".", ""), [fold(w) for w in words[1:]]
    return None, [fold(w) for w in words]


def _join_prefixed_organisations(
    candidates: Mapping[str, _Candidate], keys: Sequence[str], root: _Root, union: _Union
) -> None:
    """Organisations written with or without a country or body prefix are one: Royal Navy,
    British Royal Navy and UK Royal Navy; Security Council and UN Security Council. Variants
    with two different prefixes (the US Army and the Iraqi Army) stay apart, and then the bare
    name joins neither."""
    organization_words = lexicon().organization_words
    by_rest: dict[str, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key in keys:
        candidate = candidates[key]
        if key.startswith("place:") or candidate.types.most_common(1)[0][0] is EntityType.PERSON:
            continue
        prefix, rest = _organisation_prefix(candidate.surfaces.most_common(1)[0][0])
        if len(rest) >= 2 or (len(rest) == 1 and rest[0] in organization_words):
            by_rest[" ".join(rest)][prefix].append(key)
    for variants in by_rest.values():
        prefixed = [p for p in variants if p is not None]
        if not prefixed:
            continue
        for members in variants.values():
            for key in members[1:]:
                union(key, members[0])
        if len(prefixed) == 1 and None in variants:
            union(variants[None][0], variants[prefixed[0]][0])


def _mention_key_text(text: str) -> str:
    lex = lexicon()
    folded = fold(text)
    place = lex.places.get(folded) or lex.places.get(text.lower())
    if place and plural_demonym(folded):
        return folded  # "Greeks" are people, not Greece
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
        sources |= member.sources
        # A single word typed "other" is a name with no cue to its type ("Obama" alone): it has
        # no say beside spellings that have one ("Barack Obama", a person by its shape).
        if len(member.key.split()) > 1 or member.types.most_common(1)[0][0] is not EntityType.OTHER:
            types.update(member.types)
    if not types:
        for member in members:
            types.update(member.types)
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
