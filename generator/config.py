"""Thresholds and word lists the pipeline reads from `generator/data/`, loaded once.

Tuning happens in those data files, not in code; this module only gives them types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True, slots=True)
class Settings:
    align_link: float
    align_weak_link: float
    align_weak_anchors: int
    align_group: float
    align_floor: float
    align_cover: float
    align_quote_words: int
    align_quote_same: float
    align_quote_phrase: int
    align_quote_floor: float
    conflict_pair: float
    conflict_weekday: float
    conflict_person: float
    conflict_context: float
    copy_share: float
    consensus_words: int
    consensus_redundant: float
    consensus_overlap: float
    consensus_centrality: float
    headline_max_words: int
    key_figures: int


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    reason: str
    pattern: re.Pattern[str]
    max_words: int | None
    not_sentence: bool = False


@dataclass(frozen=True, slots=True)
class Lexicon:
    stopwords: frozenset[str]
    irregular: dict[str, str]
    synonyms: dict[str, str]  # word -> the first word of its group
    titles: frozenset[str]  # single-word titles ("president", "mr")
    title_parts: frozenset[str]  # words that begin a title ("prime" minister)
    organization_words: frozenset[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    not_names: frozenset[str]
    openers: frozenset[str]  # words that may start a sentence and are not names
    name_breakers: frozenset[str]  # capitalised function words no name runs through
    common_abbreviations: frozenset[str]  # "TV", "GMT": capitals that are not names
    word_acronyms: frozenset[str]  # "WHO", "US": words that in capitals are acronyms
    file_extensions: frozenset[str]  # a token ending ".svg" is a file name, not a name
    domain_words: frozenset[str]  # "Homeland Security": an office's field before a name
    vessel_prefixes: frozenset[str]  # "USS", "INS": a ship's name follows
    group_words: frozenset[str]  # "Shia Muslim", "House Democrats": a group, not a person
    abbreviations: frozenset[str]  # abbreviations whose period does not end a sentence
    name_particles: frozenset[str]  # "al", "bin", "van", "of": inside names, ignored in matching
    article_prefix: re.Pattern[str]  # "al-" and the like, joined to a name
    event_first_words: frozenset[str]
    place_last_words: frozenset[str]
    place_prepositions: frozenset[str]
    of_name_words: frozenset[str]  # "Republic", "National": "of" after them continues the name
    event_last_words: frozenset[str]
    places: dict[str, str]  # lowercased name, short form or demonym -> canonical place name
    given_names: dict[str, frozenset[int]]  # a given name or short form -> the groups that hold it


def _given_names(groups: list[list[str]]) -> dict[str, frozenset[int]]:
    """Each given name or short form -> the numbers of the groups that hold it."""
    found: dict[str, set[int]] = {}
    for k, group in enumerate(groups):
        for name in group:
            found.setdefault(name.lower(), set()).add(k)
    return {name: frozenset(ks) for name, ks in found.items()}


def _load_yaml(name: str) -> Any:
    text = resources.files("generator").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The analysis thresholds from `data/settings.yaml`."""
    return Settings(**_load_yaml("settings.yaml"))


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    """The boilerplate line patterns from `data/boilerplate.yaml`, compiled."""
    rules = []
    for raw in _load_yaml("boilerplate.yaml")["rules"]:
        flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
        rules.append(
            BoilerplateRule(
                raw["reason"],
                re.compile(raw["pattern"], flags),
                raw.get("max_words"),
                bool(raw.get("not_sentence")),
            )
        )
    return tuple(rules)


def _words_of(value: Any) -> list[Any]:
    """Every word in a lexicon entry: list items (and items of nested lists), or mapping keys and values."""
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    if isinstance(value, list):
        return [word for item in value for word in (item if isinstance(item, list) else [item])]
    return [value]


def boilerplate_reason(text: str) -> str | None:
    """The boilerplate rule a stripped line matches (its reason), or None for reporting."""
    words = len(text.split())
    for rule in boilerplate_rules():
        if rule.max_words is not None and words > rule.max_words:
            continue
        if rule.not_sentence and ENDS_SENTENCE.search(text):
            continue
        if rule.pattern.search(text):
            return rule.reason
    return None


# Sentence ends of scripts that write no space after them and have no capitals to look for:
# the Chinese and Japanese full stop, exclamation and question marks, the Arabic question mark,
# the Devanagari danda. Each ends a sentence wherever it stands.
OTHER_SCRIPT_ENDS = "。！？؟।"
# Closing quotes and brackets that may follow a sentence's end.
SENTENCE_CLOSERS = "'\"’”)\\]」』）"
# A line that ends a sentence: a Latin full stop, question or exclamation mark or ellipsis, or an
# end of another script, perhaps followed by closers.
ENDS_SENTENCE = re.compile(rf"[.!?…{OTHER_SCRIPT_ENDS}][{SENTENCE_CLOSERS}]*$")


_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Word lists from `data/lexicon.yaml`, `data/stopwords.txt` and `data/places.yaml`."""
    raw = _load_yaml("lexicon.yaml")
    for key, value in raw.items():
        for word in _words_of(value):
            if not isinstance(word, str):
                raise ValueError(f"data/lexicon.yaml: {key!r} holds {word!r}, not text: quote it")
    stop_text = resources.files("generator").joinpath("data").joinpath("stopwords.txt").read_text("utf-8")
    synonyms = {word: group[0] for group in raw["synonyms"] for word in group}
    titles = {t for t in raw["titles"] if " " not in t}
    months = {m: _MONTHS.index(m[:3]) + 1 for m in raw["months"]}
    weekdays = {d: i for i, d in enumerate(raw["weekdays"])}
    places_raw = _load_yaml("places.yaml")
    places: dict[str, str] = {}
    for table in (places_raw["countries"], places_raw["regions"]):
        for name, variants in table.items():
            places[name.lower()] = name
            for variant in variants:
                places.setdefault(variant.lower(), name)
    return Lexicon(
        stopwords=frozenset(stop_text.split()),
        irregular=dict(raw["irregular"]),
        synonyms=synonyms,
        titles=frozenset(titles),
        title_parts=frozenset(raw["title_parts"]),
        organization_words=frozenset(raw["organization_words"]),
        months=months,
        weekdays=weekdays,
        not_names=frozenset(raw["not_names"])
        | frozenset(raw["opening_words"])
        | frozenset(months)
        | frozenset(weekdays),
        openers=frozenset(raw["not_names"]),
        name_breakers=frozenset(raw["name_breakers"]),
        common_abbreviations=frozenset(raw["common_abbreviations"]),
        word_acronyms=frozenset(raw["word_acronyms"]),
        file_extensions=frozenset(raw["file_extensions"]),
        domain_words=frozenset(raw["domain_words"]),
        vessel_prefixes=frozenset(raw["vessel_prefixes"]),
        group_words=frozenset(raw["group_words"]),
        abbreviations=frozenset(raw["abbreviations"]),
        name_particles=frozenset(raw["name_particles"]),
        event_first_words=frozenset(raw["event_first_words"]),
        place_last_words=frozenset(raw["place_last_words"]),
        place_prepositions=frozenset(raw["place_prepositions"]),
        of_name_words=frozenset(raw["of_name_words"]),
        event_last_words=frozenset(raw["event_last_words"]),
        given_names=_given_names(raw["given_names"]),
        article_prefix=re.compile(r"^(?:" + "|".join(raw["article_prefixes"]) + r")-", re.IGNORECASE),
        places=places,
    )


@dataclass(frozen=True, slots=True)
class ClaimWords:
    """The marks a word can carry in a claim (`data/claims.yaml`): negated, uncertain, future, past,
    and the verbs that attribute words to a speaker."""

    negations: frozenset[str]
    uncertain: frozenset[str]
    future: frozenset[str]
    past_forms: frozenset[str]
    past_auxiliaries: frozenset[str]
    before_adjectives: frozenset[str]
    speech: frozenset[str]
    totals: frozenset[str]
    venues: frozenset[str]
    window: int


@lru_cache(maxsize=1)
def claim_words() -> ClaimWords:
    """The word lists of `data/claims.yaml`."""
    raw = _load_yaml("claims.yaml")
    return ClaimWords(
        **{key: frozenset(raw[key]) for key in ClaimWords.__slots__ if key != "window"},  # type: ignore[attr-defined]
        window=int(raw["window"]),
    )
