"""Stage 6b, conflicts: where two sources attach different values (a number, a date, whose
forces, who) to the same thing, the group is split into one fact per value and a conflict
links them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from .align import Alignment, MentionKey, name_tokens, sentence_key, skeleton
from .analyse import term, tokens
from .claims import ClaimShape, incompatible
from .config import claim_words, lexicon, settings
from .entities import fold
from .facts import Draft, cite
from .records import (
    AnalysedSentence,
    AnalysedSource,
    Conflict,
    ConflictSide,
    DateMention,
    Entity,
    EntityType,
    Quantity,
    SentenceGroup,
    Source,
)

_UNIT_NAMES = {"%": "percent", "$": "dollars", "€": "euros", "£": "pounds"}


@dataclass(frozen=True, slots=True)
class Disagreement:
    kind: str  # "number", "date", "time", "place", "who"
    topic: str  # what the values are of, for the summary
    value_a: str
    value_b: str


People = dict[str, tuple[str, ...]]  # sentence key -> names of the people it mentions


_CLOCK = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)\s*(?P<half>[ap])?\.?\s?m?\b\.?", re.IGNORECASE
)
_STAMP = re.compile(
    r"(?:\b(?:updated|posted|published|modified|last updated)\W*|\b\d{4}\s*[|·•]\s*)$", re.IGNORECASE
)
_TIME_ZONE = re.compile(r"\b(?:GMT|UTC|[ECMP][SD]T|BST|CET|local time)\b")
_WIRE_NOTE = re.compile(
    r"^\W*(?:\(?\s*(?:corrects?|updates?|adds?|recasts?|refiles?|repeats?|changes)\b)"
    r"|\b(?:editing|writing|reporting|additional reporting) by\b",
    re.IGNORECASE,
)
_AUXILIARIES = frozenset({"was", "were", "had", "have", "has", "been", "are", "is"})
_SPEECH_STEMS = frozenset({"say", "tell", "announc", "ad", "state", "declar", "report", "confirm"})


def compare(
    a: AnalysedSentence,
    b: AnalysedSentence,
    similarity: float,
    people: People | None = None,
    shapes: Mapping[str, ClaimShape] | None = None,
) -> Disagreement | None:
    """The first value two sentences that state the same claim disagree on, or None.

    Only sentences that could be one claim are compared (`claims.incompatible`: the same
    modality, negation and tense on the words they share); a sentence never disagrees with
    itself or with a copy of itself. Compared, each about one referent: numbers of the same
    thing with the same words around them (allowing for "about", and for a floor or a cap that
    the other number respects), whose forces a number belongs to, clock times of the same event,
    dates attached to the same words (the day something was said is not the day it happened),
    and, for sentences that say nearly the same thing, the one person each names.
    Parenthesised numbers (conversions: "8 mph (13 km/h)"), clock times read as counts and wire
    editors' notes are never compared.
    """
    if a is b or a.sentence.text == b.sentence.text:
        return None
    if _WIRE_NOTE.search(a.sentence.text) or _WIRE_NOTE.search(b.sentence.text):
        return None
    config = settings()
    why = None
    if shapes is not None:
        shape_a, shape_b = shapes.get(sentence_key(a)), shapes.get(sentence_key(b))
        if shape_a is not None and shape_b is not None:
            why = incompatible(shape_a, shape_b)
            if why is not None and why != "different people":
                return None
    if people is not None and similarity >= config.conflict_person and not _only_speakers(a, b, shapes):
        names_a, names_b = people.get(sentence_key(a), ()), people.get(sentence_key(b), ())
        if (
            len(names_a) == 1
            and len(names_b) == 1
            and _different_people(names_a[0], names_b[0])
            and _same_role(a, names_a[0], b, names_b[0])
        ):
            return Disagreement("who", "who", names_a[0], names_b[0])
    if why is not None:
        return None  # about different people: their numbers and dates are not one value
    found = _number_disagreement(a, b) if _totals(a) == _totals(b) and not _other_times(a, b) else None
    if found is not None:
        return found
    found = _clock_disagreement(a, b, similarity)
    if found is not None:
        return found
    found = _venue_disagreement(a, b, similarity)
    if found is not None:
        return found
    return _date_disagreement(a, b, similarity)


_AT_VENUE = re.compile(
    r"\b(?:at|in|inside|outside)\s+(?:(?:a|an|the|one|its|his|her|their)\s+)?(?:[\w-]+\s+)?(\w+)\b"
)


def _venues(sentence: AnalysedSentence) -> set[str]:
    """The kinds of venue a sentence places something at ("at a casino", "inside the packed
    nightclub"), from `data/claims.yaml`."""
    venues = claim_words().venues
    found = set()
    for match in _AT_VENUE.finditer(sentence.sentence.text.lower()):
        for word in match.group(0).split()[1:]:
            if word in venues:
                found.add(word)
    return found


def _venue_disagreement(a: AnalysedSentence, b: AnalysedSentence, similarity: float) -> Disagreement | None:
    """One kind of venue each, for sentences that say nearly the same thing, neither naming the
    other's: "shot at a casino" against "shot at a nightclub"."""
    if similarity < settings().conflict_weekday:
        return None
    venues_a, venues_b = _venues(a), _venues(b)
    if len(venues_a) != 1 or len(venues_b) != 1 or venues_a == venues_b:
        return None
    (venue_a,), (venue_b,) = venues_a, venues_b
    kind_a, kind_b = term(venue_a), term(venue_b)  # "jail" and "prison" are one kind
    terms_a, terms_b = set(a.terms), set(b.terms)
    if kind_a == kind_b or kind_b in terms_a or kind_a in terms_b:
        return None
    return Disagreement("place", "the place", venue_a, venue_b)


def _only_speakers(a: AnalysedSentence, b: AnalysedSentence, shapes: Mapping[str, ClaimShape] | None) -> bool:
    """Whether the people one of two sentences names are all speakers: "X said the fire began at
    the door" and "Y says the fire began at the door" report one claim through two people."""
    if shapes is None:
        return False
    for sentence in (a, b):
        shape = shapes.get(sentence_key(sentence))
        if shape is not None and shape.people and shape.people <= shape.speakers:
            return True
    return False


def _totals(sentence: AnalysedSentence) -> bool:
    """Whether a sentence gives running or combined totals ("so far", "in total", "combined"):
    its numbers are not one event's."""
    text = " " + " ".join(t.text.lower() for t in tokens(sentence.sentence.text)) + " "
    return any(f" {phrase} " in text for phrase in claim_words().totals)


def _comparable(sentence: AnalysedSentence) -> list[Quantity]:
    """The numbers of a sentence that say how many of something: not years, not parts of a clock
    time ("10:57"), not conversions in brackets after another number."""
    text = sentence.sentence.text
    found = []
    for q in sentence.quantities:
        if not q.unit or q.unit == "year":
            continue
        before, after = (
            text[max(0, q.start - 1) : q.start],
            text[q.start + len(q.text) : q.start + len(q.text) + 1],
        )
        if before == "-" and re.search(r"\b[A-Z]{1,4}-$", text[max(0, q.start - 6) : q.start]):
            continue  # a designation: "AK-47", "F-16" (not "minus-20")
        if before in (":", ".") or (
            after in (":",) and text[q.start + len(q.text) + 1 : q.start + len(q.text) + 2].isdigit()
        ):
            continue
        opened = text.rfind("(", 0, q.start)
        if opened != -1 and text.find(")", opened) > q.start and ")" not in text[opened : q.start]:
            continue
        found.append(q)
    return found


def _number_disagreement(a: AnalysedSentence, b: AnalysedSentence) -> Disagreement | None:
    numbers_a, numbers_b = _comparable(a), _comparable(b)
    for qa in numbers_a:
        same_unit = [qb for qb in numbers_b if qb.unit == qa.unit]
        if not same_unit:
            continue
        if any(consistent(qa, qb) for qb in same_unit):
            match = next(qb for qb in same_unit if consistent(qa, qb))
            if qa.modifier and match.modifier and qa.modifier != match.modifier and qa.value == match.value:
                phrase = quantity_phrase(a, qa)
                return Disagreement("who", f"whose {_noun(phrase, qa)}", phrase, quantity_phrase(b, match))
            continue
        qb = same_unit[0]
        if (
            len(same_unit) == 1
            and len([q for q in numbers_a if q.unit == qa.unit]) == 1
            and qa.modifier == qb.modifier
            and _same_referent(a, qa, b, qb)
        ):
            phrase = quantity_phrase(a, qa)
            return Disagreement("number", _number_topic(a, qa, phrase), phrase, quantity_phrase(b, qb))
    return None


def _number_topic(sentence: AnalysedSentence, quantity: Quantity, phrase: str) -> str:
    """What a number counts, in words: "the percentage", "the amount", "the number of people
    killed" (the counted noun and the verb right after it, when there is one)."""
    if quantity.unit in ("%", "$", "€", "£"):
        return {"%": "the percentage"}.get(quantity.unit, "the amount")
    noun = _noun(phrase, quantity)
    rest = [w.strip(",.;:") for w in sentence.sentence.text[quantity.start + len(phrase) :].split()[:3]]
    while rest and rest[0].lower() in _AUXILIARIES:  # "six people were injured"
        rest = rest[1:]
    verb = rest[0] if rest else ""
    if verb.endswith("ed") and verb.isalpha() and verb.islower():
        return f"the number of {noun} {verb}"
    return f"the number of {noun}"


def _clock_times(sentence: AnalysedSentence) -> list[tuple[int, str]]:
    """Clock times as minutes after midnight (where a.m./p.m. says which half of the day), with
    their text."""
    times = []
    text = sentence.sentence.text
    for match in _CLOCK.finditer(text):
        if _STAMP.search(text[max(0, match.start() - 30) : match.start()]):
            continue  # when the page was updated, not when anything happened
        hour, minute = int(match.group("h")), int(match.group("m"))
        half = (match.group("half") or "").lower()
        if half == "p" and hour < 12:
            hour += 12
        times.append((hour * 60 + minute, match.group().strip()))
    return times


def _clock_disagreement(a: AnalysedSentence, b: AnalysedSentence, similarity: float) -> Disagreement | None:
    """One clock time each, for sentences that say nearly the same thing, in the same time zone."""
    times_a, times_b = _clock_times(a), _clock_times(b)
    if len(times_a) != 1 or len(times_b) != 1 or similarity < settings().conflict_weekday:
        return None
    if _TIME_ZONE.search(a.sentence.text) or _TIME_ZONE.search(b.sentence.text):
        return None  # "10 p.m. local time (1900 GMT)": compare only what is written alike
    (ta, text_a), (tb, text_b) = times_a[0], times_b[0]
    if ta % 720 == tb % 720:
        return None  # "4:30" and "4:30 p.m."
    if abs(ta - tb) % 720 < 5 and (ta % 5 == 0 or tb % 5 == 0):
        return None  # "3:33" rounded to "3:30"
    return Disagreement("time", "the time", text_a, text_b)


def _said_on(sentence: AnalysedSentence, date: DateMention) -> bool:
    """Whether a date is the day something was said ("said on Monday"), not the day it happened."""
    before = [t.text.lower() for t in tokens(sentence.sentence.text[: date.start])][-3:]
    return bool(set(before) & claim_words().speech) or bool(set(date.context[-2:]) & _SPEECH_STEMS)


def _other_times(a: AnalysedSentence, b: AnalysedSentence) -> bool:
    """Whether two sentences date what they tell and no date of one fits a date of the other
    ("17 states through July [2018]" / "32 states as of November 13, 2014"): counts at two times
    are two values, not one value disputed."""
    dates_a = [d.iso for d in _event_dates(a) if d.iso]
    dates_b = [d.iso for d in _event_dates(b) if d.iso]
    if not dates_a or not dates_b:
        return False
    return not any(x.startswith(y) or y.startswith(x) for x in dates_a for y in dates_b)


def _event_dates(sentence: AnalysedSentence) -> list[DateMention]:
    """The dates of a sentence but a page's "Updated: May 24, 2005" stamp."""
    text = sentence.sentence.text
    return [d for d in sentence.dates if not _STAMP.search(text[max(0, d.start - 30) : d.start])]


def _date_disagreement(a: AnalysedSentence, b: AnalysedSentence, similarity: float) -> Disagreement | None:
    config = settings()
    if _TIME_ZONE.search(a.sentence.text) or _TIME_ZONE.search(b.sentence.text):
        return None  # Thursday in California is Friday in London
    dates_a, dates_b = _event_dates(a), _event_dates(b)
    weekdays_a = [d for d in dates_a if d.kind == "weekday"]
    weekdays_b = [d for d in dates_b if d.kind == "weekday"]
    if len(weekdays_a) == 1 and len(weekdays_b) == 1:
        da, db = weekdays_a[0], weekdays_b[0]
        if (
            da.text.split()[0] != db.text.split()[0]
            and similarity >= config.conflict_weekday
            and _said_on(a, da) == _said_on(b, db)
            and (da.iso is None or db.iso is None or da.iso != db.iso)
        ):
            return Disagreement("date", "the day", da.text, db.text)
    dated_a = [d for d in dates_a if d.iso and d.kind not in ("weekday", "relative")]
    dated_b = [d for d in dates_b if d.iso and d.kind not in ("weekday", "relative")]
    if len(dated_a) != 1 or len(dated_b) != 1:
        return None
    da, db = dated_a[0], dated_b[0]
    assert da.iso is not None and db.iso is not None
    common = min(len(da.iso), len(db.iso))
    if (
        da.iso[:common] != db.iso[:common]
        and set(da.context) & set(db.context)
        and _said_on(a, da) == _said_on(b, db)
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


def _same_role(a: AnalysedSentence, name_a: str, b: AnalysedSentence, name_b: str) -> bool:
    """Whether the two people stand on the same side of the claim's words: both before the first
    word the sentences share (the one who acts) or both after it (the one acted on). "The judge
    sentenced Nichols" and "Judge Bodiford handed down the sentence" name the convict and the
    judge, not two judges; unknown sides count as the same."""
    shared = set(a.terms) & set(b.terms)
    side_a, side_b = _side(a, name_a, shared), _side(b, name_b, shared)
    return side_a is None or side_b is None or side_a == side_b


def _side(sentence: AnalysedSentence, name: str, shared: set[str]) -> bool | None:
    """Whether the person `name` is named before the sentence's first word in `shared`, titles
    aside ("Judge"), or None when either is not found."""
    words = _personal_name(name)
    if not words:
        return None
    lex = lexicon()
    surname = fold(words[-1])
    at = next((m.start for m in sentence.mentions if surname in fold(m.text).split()), None)
    named = {i for m in sentence.mentions for i in range(m.start, m.end)}
    first = next(
        (
            tok.start
            for tok in tokens(sentence.sentence.text)
            if tok.start not in named
            and term(tok.text) in shared
            and tok.text.lower() not in lex.titles
            and tok.text.lower() not in lex.title_parts
        ),
        None,
    )
    if at is None or first is None:
        return None
    return at < first


def _different_people(a: str, b: str) -> bool:
    """Two full names with different surnames: not one person under a title or a variant spelling."""
    ta, tb = _personal_name(a), _personal_name(b)
    return len(ta) >= 2 and len(tb) >= 2 and skeleton(ta[-1]) != skeleton(tb[-1])


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _personal_name(name: str) -> list[str]:
    """A person's name without titles or a generational suffix ("Gov. Sarah Palin" -> Sarah
    Palin, "Arcade Comeaux Jr." -> Arcade Comeaux); nothing when a word of it is a place's or a
    direction ("Alaska Governor", "Northwest Side"): a name mistyped as a person's."""
    lex = lexicon()
    words = []
    for token in name_tokens(_before_of(name)):
        low = token.lower().rstrip(".")
        if low in lex.places or low in lex.place_last_words or low in _DIRECTIONS:
            return []
        if low not in lex.titles and low not in lex.title_parts and low not in _SUFFIXES:
            words.append(token)
    return words


def _before_of(name: str) -> str:
    """A name without an "of ..." tail: "Judge Ann Obi of Nigeria" -> "Judge Ann Obi"."""
    return re.split(r"\s+of\s+", name, maxsplit=1)[0]


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
    if _frame(a, qa) != _frame(b, qb):
        return False
    holder_a, holder_b = _holder(a, qa), _holder(b, qb)
    if holder_a and holder_b and skeleton(holder_a) != skeleton(holder_b):
        return False  # "Obama won 332 votes" and "Trump said he won 306": two people's numbers
    return len(context_a & context_b) / len(context_a | context_b) >= settings().conflict_context


def _holder(sentence: AnalysedSentence, quantity: Quantity) -> str | None:
    """The surname of the person named last before a number in its sentence, whose the number
    most likely is ("Obama won 332 electoral votes"), or None."""
    for mention in reversed(sentence.mentions):
        if mention.end <= quantity.start and mention.type is EntityType.PERSON:
            name = _personal_name(mention.text)
            if name:
                return name[-1]
    return None


_FRAMES = frozenset({"from", "away", "before", "after", "ago", "since", "as", "per"})
_SCALES = frozenset({"fahrenheit", "celsius", "kelvin", "f", "c"})
_DIRECTIONS = frozenset(
    {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
)


def _frame(sentence: AnalysedSentence, quantity: Quantity) -> tuple[str, ...]:
    """What a number is measured against, from the words right after what it counts: a scale
    ("degrees Fahrenheit"), or a point of reference ("20 miles from Nairobi", "12 miles away",
    "nine days before the inauguration", "four seasons as director"). Two numbers with different
    frames are not one value."""
    text = sentence.sentence.text
    end = quantity.start + len(quantity_phrase(sentence, quantity))
    words = [t.text.lower() for t in tokens(text[end : end + 80])][:4]
    frame: list[str] = []
    if words and words[0] in _SCALES:
        frame.append(words[0][0])
        words = words[1:]
    if len(words) >= 2 and words[0] not in _FRAMES | _DIRECTIONS and words[1] in _FRAMES | _DIRECTIONS:
        words = words[1:]  # "150 nautical miles west of", "13 nautical miles from"
    if len(words) >= 2 and words[0] in _DIRECTIONS and words[1] == "of":
        words = ["from", *words[2:]]  # "150 miles west of Aden"
    if words and words[0] in _FRAMES:  # only right after what is counted: not a later list item's
        after = [w for w in words[1:] if w not in lexicon().stopwords]
        frame += [words[0], (term(after[0]) or after[0]) if after else ""]
    return tuple(frame)


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
    if a.bound and a.bound == b.bound:
        return False  # "at least six" against "at least three": two reports of one floor
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
    disagree with one sentence go one way, the rest the other, and each part is checked again.

    Iterative, and every split makes both parts smaller (the sentence that disagrees always goes
    one way, the one it disagrees with the other), so it ends on any input."""
    done: list[SentenceGroup] = []
    todo = [list(group.members)]
    while todo:
        members = todo.pop()
        pair = _first_disagreement(members, alignment, people)
        if pair is None:
            done.append(SentenceGroup(tuple(members)))
            continue
        a, b = pair
        side_a = [m for m in members if m is a or (m is not b and _disagree(m, b, alignment, people))]
        side_b = [m for m in members if not any(m is x for x in side_a)]
        todo += [side_b, side_a]  # popped side_a first, as the recursive version did
    return done


def _disagree(a: AnalysedSentence, b: AnalysedSentence, alignment: Alignment, people: People) -> bool:
    return compare(a, b, alignment.sim(a, b), people, alignment.shapes) is not None


def _first_disagreement(
    members: list[AnalysedSentence], alignment: Alignment, people: People
) -> tuple[AnalysedSentence, AnalysedSentence] | None:
    for x, a in enumerate(members):
        for b in members[x + 1 :]:
            if alignment.independent[a.sentence.source_id] == alignment.independent[b.sentence.source_id]:
                continue
            if _disagree(a, b, alignment, people):
                return a, b
    return None


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
        disagreement = compare(a, b, score, people, alignment.shapes)
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
        carry_a = [m for m in members_of[fa].members if _disagree(m, b, alignment, people)] or [a]
        carry_b = [m for m in members_of[fb].members if _disagree(a, m, alignment, people)] or [b]
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
