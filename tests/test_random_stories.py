"""The whole pipeline never raises on an article set, and its output always holds together.

Hypothesis writes random multi-source stories (2 to 5 sources) of random sentences: random words
and news words, numbers in digits and in words, dates, weekdays, clock times, capitalised names,
quotes, brackets, sentences repeated across sources and identical copies of a source. Each story
goes through `pipeline.build` and `export.story_json`, and the JSON is checked for the invariants
every reader relies on.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.export import story_json
from generator.pipeline import build
from generator.records import StoryInfo


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_NEWS_WORDS = _words(
    "the a of in on at to said police officials killed injured storm fire troops army council vote "
    "budget president minister city port coast bridge people homes were was will not no after before "
    "reported confirmed denied announced about least more than some nearly up killed died arrested "
    "km mph miles percent dollars million billion cities residents nationals forces"
)
_NUMBER_WORDS = _words("one two three four five six ten eleven twelve twenty-five hundred thousand dozen")
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
_MONTHS = _words("January February March April May June July August September October November December")
_NAMES = ("Obama", "Barack Obama", "Mr. Smith", "Royal Navy", "UN Security Council", "Judge Okafor")

_random_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
_name = st.one_of(
    st.sampled_from(_NAMES),
    st.builds(lambda first, last: f"{first.title()} {last.title()}", _random_word, _random_word),
    _random_word.map(str.title),
)
_number = st.one_of(
    st.integers(0, 10_000_000).map(str),
    st.integers(1_000, 10_000_000).map("{:,}".format),
    st.floats(0, 1_000, allow_nan=False).map("{:.1f}".format),
    st.sampled_from(_NUMBER_WORDS),
    st.builds(lambda n, unit: f"{n} {unit}", st.integers(0, 500), st.sampled_from(["mph", "km/h", "%"])),
    st.builds(lambda n: f"{n} mph ({round(n * 1.609)} km/h)", st.integers(0, 200)),
    st.sampled_from(["$5m", "£3.2bn", "-7", "3/4", "1990s", "No. 10", "10,000-strong", "0.5%", "1e6"]),
)
_date = st.one_of(
    st.builds(
        lambda d, m, y: f"{d} {m} {y}", st.integers(1, 31), st.sampled_from(_MONTHS), st.integers(1990, 2030)
    ),
    st.builds(lambda m, d: f"{m} {d}", st.sampled_from(_MONTHS), st.integers(1, 31)),
    st.builds("{}-{:02d}-{:02d}".format, st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 28)),
    st.sampled_from(_WEEKDAYS).map("on {}".format),
    st.builds(lambda w, d: f"{w} ({d})", st.sampled_from(_WEEKDAYS), st.integers(1, 31)),
    st.sampled_from(["yesterday", "last week", "next month", "in 2019"]),
)
_clock = st.builds(
    lambda h, m, suffix: f"{h}:{m:02d}{suffix}",
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["", " a.m.", " p.m.", " GMT"]),
)
_token = st.one_of(
    st.sampled_from(_NEWS_WORDS),
    st.sampled_from(_NEWS_WORDS),
    _random_word,
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=6),
    _name,
    _number,
    _date,
    _clock,
)


@st.composite
def _sentence(draw: st.DrawFn) -> str:
    words = draw(st.lists(_token, min_size=1, max_size=14))
    if len(words) > 2 and draw(st.booleans()):  # a quote or brackets around some of the words
        start = draw(st.integers(0, len(words) - 2))
        end = draw(st.integers(start + 1, len(words)))
        opening, closing = draw(st.sampled_from([("“", "”"), ('"', '"'), ("(", ")"), ("[", "]"), ("‘", "’")]))
        words[start:end] = [opening + " ".join(words[start:end]) + closing]
    text = " ".join(words)
    return text[:1].upper() + text[1:] + draw(st.sampled_from([".", ".", "!", "?", "", ":", "…"]))


@st.composite
def _stories(draw: st.DrawFn) -> list[str]:
    """The article files of one story: each with a publication date (front matter) or not, a
    headline or not, then paragraphs of sentences drawn partly from a pool shared by all sources;
    some sources are exact copies of an earlier one."""
    shared = draw(st.lists(_sentence(), min_size=1, max_size=8))
    own_or_shared = st.one_of(_sentence(), st.sampled_from(shared))
    articles: list[str] = []
    for _ in range(draw(st.integers(2, 5))):
        if articles and draw(st.integers(0, 4)) == 0:
            articles.append(draw(st.sampled_from(articles)))
            continue
        paragraphs = draw(
            st.lists(st.lists(own_or_shared, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=6)
        )
        headline = draw(st.one_of(st.just(""), _sentence().map(lambda s: s.rstrip(".!?:…") + "\n\n")))
        published = draw(st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2030, 12, 31))))
        front = f"---\npublished: {published.isoformat()}\n---\n" if published else ""  # dates resolve
        articles.append(front + headline + "\n\n".join(paragraphs) + "\n")
    return articles


def _assert_consistent(data: dict[str, Any], sources: int) -> None:
    sentence_ids = {s["id"]: {x["id"] for x in s["sentences"]} for s in data["sources"]}
    facts = {f["id"]: f for f in data["facts"]}
    assert len(facts) == len(data["facts"]), "fact ids are unique"
    cited = [
        *(c for f in data["facts"] for c in f["citations"]),
        *(c for s in data["consensus"] for c in s["citations"]),
        *(c for k in data["key_figures"] for c in k["citations"]),
        *(c for conflict in data["conflicts"] for side in conflict["sides"] for c in side["citations"]),
    ]
    for citation in cited:
        assert citation["sentence"] in sentence_ids[citation["source"]], citation
    for item in [*data["facts"], *data["consensus"], *data["key_figures"]]:
        assert 1 <= item["support"] <= sources, item
    conflict_ids = [c["id"] for c in data["conflicts"]]
    assert len(set(conflict_ids)) == len(conflict_ids), "conflict ids are unique"
    for conflict in data["conflicts"]:
        assert set(conflict["facts"]) <= set(facts)
        assert all(side["fact"] in facts for side in conflict["sides"])
    for fact in data["facts"]:
        assert set(fact["conflicts_with"]) <= set(facts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_stories())
def test_random_stories_build_and_export_without_an_exception(articles: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, text in enumerate(articles, 1):
            path = Path(folder) / f"source-{number}.{'md' if text.startswith('---') else 'txt'}"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        story = build(StoryInfo(id="random"), paths)
        data = story_json(story)
    _assert_consistent(data, len(articles))
