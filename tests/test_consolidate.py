"""Stage 6, consolidate: facts, support, conflicts, consensus and key figures, end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.align import Alignment
from generator.consensus import echo_scores, tidy
from generator.facts import fact_id_for, fact_ids
from generator.pipeline import build
from generator.records import Citation, Fact, FactStatus, Story, StoryInfo

INFO = StoryInfo(id="bridge")

BRIDGE_A = "The city council approved a new bridge over the river on Tuesday."
BRIDGE_B = "On Tuesday the city council voted to approve a new bridge across the river."
BRIDGE_C = "A new bridge over the river was approved by the city council on Tuesday."
COST_A = "The bridge will cost 40 million dollars, the mayor said."
COST_C = "The mayor said the bridge would cost 40 million dollars."

ARTICLES = {
    "alpha": f"{BRIDGE_A}\n\n{COST_A}\n\nConstruction is expected to start next spring.\n",
    "bravo": f"{BRIDGE_B}\n\nLocal farmers complained about the price of grain at the weekly market.\n",
    "charlie": f"{BRIDGE_C}\n\n{COST_C}\n\nThe old ferry service will close once the bridge opens.\n",
}


def write(tmp_path: Path, articles: dict[str, str]) -> list[Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in articles.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def run(tmp_path: Path, articles: dict[str, str], max_words: int | None = None) -> Story:
    story = build(INFO, write(tmp_path, articles), max_words)
    assert story.problems == ()
    return story


def sentence_id(story: Story, source: str, text: str) -> str:
    (source_record,) = [s for s in story.sources if s.id == source]
    return next(s.id for s in source_record.sentences if s.text == text)


def fact_citing(story: Story, source: str, text: str) -> Fact:
    citation = Citation(source, sentence_id(story, source, text))
    (fact,) = [f for f in story.facts if citation in f.citations]
    return fact


def all_sentence_ids(story: Story) -> dict[str, set[str]]:
    return {s.id: {x.id for x in s.sentences} for s in story.sources}


# --- facts and support --------------------------------------------------------------------------


def test_fact_reported_by_three_sources(tmp_path: Path) -> None:
    story = run(tmp_path, ARTICLES)
    fact = fact_citing(story, "alpha", BRIDGE_A)
    assert fact.support == 3
    assert fact.status is FactStatus.CORROBORATED
    assert set(fact.citations) == {
        Citation("alpha", sentence_id(story, "alpha", BRIDGE_A)),
        Citation("bravo", sentence_id(story, "bravo", BRIDGE_B)),
        Citation("charlie", sentence_id(story, "charlie", BRIDGE_C)),
    }
    assert fact.text in {BRIDGE_A, BRIDGE_B, BRIDGE_C}
    assert fact.conflicts_with == ()
    # Best-supported facts come first.
    assert story.facts[0] == fact


def test_fact_reported_by_two_sources_and_single_source(tmp_path: Path) -> None:
    story = run(tmp_path, ARTICLES)
    cost = fact_citing(story, "alpha", COST_A)
    assert cost.support == 2
    assert {c.source for c in cost.citations} == {"alpha", "charlie"}
    assert cost.status is FactStatus.CORROBORATED
    farmers = fact_citing(
        story, "bravo", "Local farmers complained about the price of grain at the weekly market."
    )
    assert farmers.support == 1
    assert farmers.status is FactStatus.SINGLE_SOURCE
    assert [c.source for c in farmers.citations] == ["bravo"]


def test_every_sentence_belongs_to_exactly_one_fact(tmp_path: Path) -> None:
    story = run(tmp_path, ARTICLES)
    cited = [(c.source, c.sentence) for f in story.facts for c in f.citations]
    expected = [(s.id, x.id) for s in story.sources for x in s.sentences]
    assert sorted(cited) == sorted(expected)
    assert len({f.id for f in story.facts}) == len(story.facts)


def test_copied_article_does_not_increase_support(tmp_path: Path) -> None:
    articles = dict(ARTICLES)
    articles["delta"] = ARTICLES["alpha"].replace("next spring", "early next year")
    story = run(tmp_path, articles)
    (delta,) = [s for s in story.sources if s.id == "delta"]
    assert delta.copy_of == "alpha"
    fact = fact_citing(story, "alpha", BRIDGE_A)
    assert "delta" in {c.source for c in fact.citations}
    assert fact.support == 3
    cost = fact_citing(story, "alpha", COST_A)
    assert cost.support == 2
    start = fact_citing(story, "alpha", "Construction is expected to start next spring.")
    assert start.support == 1
    assert start.status is FactStatus.SINGLE_SOURCE


# --- conflicts ----------------------------------------------------------------------------------

BOMB = "A car bomb killed {n} people in the market square on Friday, police said.\n\n{rest}\n"


def test_numeric_contradiction_creates_a_conflict(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            "alpha": BOMB.format(n=12, rest="The mayor condemned the attack in a short statement."),
            "bravo": BOMB.format(n=30, rest="Schools in the district were closed for the day."),
        },
    )
    twelve = fact_citing(
        story, "alpha", "A car bomb killed 12 people in the market square on Friday, police said."
    )
    thirty = fact_citing(
        story, "bravo", "A car bomb killed 30 people in the market square on Friday, police said."
    )
    assert twelve.id != thirty.id
    assert twelve.status is FactStatus.DISPUTED
    assert thirty.status is FactStatus.DISPUTED
    assert twelve.conflicts_with == (thirty.id,)
    assert thirty.conflicts_with == (twelve.id,)

    (conflict,) = story.conflicts
    assert conflict.kind == "number"
    assert set(conflict.facts) == {twelve.id, thirty.id}
    sides = {side.fact: side for side in conflict.sides}
    assert sides[twelve.id].value == "12 people"
    assert sides[thirty.id].value == "30 people"
    assert {c.source for c in sides[twelve.id].citations} == {"alpha"}
    assert {c.source for c in sides[thirty.id].citations} == {"bravo"}
    assert set(sides[twelve.id].citations) | set(sides[thirty.id].citations) == set(twelve.citations) | set(
        thirty.citations
    )
    assert "12 people" in conflict.summary
    assert "30 people" in conflict.summary

    # Disputed facts are kept out of the consensus.
    consensus_facts = {c.fact for c in story.consensus}
    assert twelve.id not in consensus_facts
    assert thirty.id not in consensus_facts


def test_hedged_close_numbers_do_not_conflict(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            "alpha": "A car bomb killed about 30 people in the market square on Friday, police said.\n",
            "bravo": "A car bomb killed 32 people in the market square on Friday, police said.\n",
        },
    )
    assert story.conflicts == ()
    assert [f.support for f in story.facts] == [2]


def test_agreeing_numbers_do_not_conflict(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            "alpha": BOMB.format(n=12, rest="The mayor condemned the attack in a short statement."),
            "bravo": BOMB.format(n=12, rest="Schools in the district were closed for the day."),
        },
    )
    assert story.conflicts == ()
    fact = fact_citing(
        story, "alpha", "A car bomb killed 12 people in the market square on Friday, police said."
    )
    assert fact.support == 2
    assert fact.status is FactStatus.CORROBORATED
    (figure,) = story.key_figures
    assert figure.value == "12"
    assert figure.support == 2


# --- consensus ----------------------------------------------------------------------------------

LONG_ARTICLES = {
    "alpha": (
        f"{BRIDGE_A}\n\n{COST_A}\n\n"
        "Construction of the new bridge is expected to start next spring, officials said.\n\n"
        "The old ferry service across the river will close once the bridge opens.\n"
    ),
    "bravo": (
        f"{BRIDGE_B}\n\n"
        "Construction of the new bridge should start next spring, according to officials.\n\n"
        "Local farmers complained about the price of grain at the weekly market.\n"
    ),
    "charlie": (
        f"{BRIDGE_C}\n\n{COST_C}\n\n"
        "Residents of the east bank have waited decades for a crossing of their own.\n"
    ),
}


def test_consensus_citations_resolve(tmp_path: Path) -> None:
    story = run(tmp_path, LONG_ARTICLES)
    assert story.consensus
    ids = all_sentence_ids(story)
    facts = {f.id: f for f in story.facts}
    for sentence in story.consensus:
        assert sentence.citations
        for citation in sentence.citations:
            assert citation.sentence in ids[citation.source]
        assert sentence.citations == facts[sentence.fact].citations
        assert sentence.support == facts[sentence.fact].support
        assert sentence.single_source == (sentence.support < 2)


def test_consensus_respects_max_words(tmp_path: Path) -> None:
    full = run(tmp_path, LONG_ARTICLES, max_words=1000)
    assert len(full.consensus) >= 3
    budget = sum(len(c.text.split()) for c in full.consensus) - 1
    short = build(INFO, sorted(tmp_path.glob("*.txt")), budget)
    words = sum(len(c.text.split()) for c in short.consensus)
    assert 0 < words <= budget
    assert len(short.consensus) < len(full.consensus)
    # Cut at a sentence boundary: every consensus sentence is a whole fact, tidied.
    facts = {f.id: f for f in short.facts}
    for sentence in short.consensus:
        assert sentence.text == tidy(facts[sentence.fact].text)
        assert sentence.text.endswith(".")


@pytest.mark.parametrize("max_words", [12, 25, 40])
def test_consensus_never_exceeds_budget(tmp_path: Path, max_words: int) -> None:
    story = run(tmp_path, LONG_ARTICLES, max_words=max_words)
    assert sum(len(c.text.split()) for c in story.consensus) <= max_words


def test_consensus_prefers_corroborated_facts_and_drops_repeats(tmp_path: Path) -> None:
    story = run(tmp_path, LONG_ARTICLES, max_words=1000)
    bridge = fact_citing(story, "alpha", BRIDGE_A)
    chosen = [c.fact for c in story.consensus]
    assert bridge.id in chosen
    assert len(chosen) == len(set(chosen))
    # Sentences read in coverage order: the bridge vote (a lead) comes first.
    assert chosen[0] == bridge.id


def test_story_info_consensus_words_is_used(tmp_path: Path) -> None:
    paths = write(tmp_path, LONG_ARTICLES)
    story = build(StoryInfo(id="bridge", consensus_words=14), paths)
    assert sum(len(c.text.split()) for c in story.consensus) <= 14


# --- stable ids ---------------------------------------------------------------------------------


def test_fact_ids_are_stable_across_builds(tmp_path: Path) -> None:
    paths = write(tmp_path, ARTICLES)
    first = build(INFO, paths)
    second = build(INFO, paths)
    assert [f.id for f in first.facts] == [f.id for f in second.facts]
    assert [c.fact for c in first.consensus] == [c.fact for c in second.consensus]


def test_fact_id_survives_edits_to_other_sources_and_new_articles(tmp_path: Path) -> None:
    before = run(tmp_path / "one", ARTICLES)
    edited = dict(ARTICLES)
    changed = COST_C.replace("The mayor said", "The mayor told reporters")
    edited["charlie"] = ARTICLES["charlie"].replace(COST_C, changed)
    edited["delta"] = ARTICLES["bravo"]  # a new article joins (a copy, but it still adds sentences)
    after = run(tmp_path / "two", edited)

    cost_before = fact_citing(before, "alpha", COST_A)
    cost_after = fact_citing(after, "alpha", COST_A)
    assert cost_after.support == 2
    assert len(cost_after.citations) != len(cost_before.citations) or cost_after.citations != (
        cost_before.citations
    )
    # The fact is named by its first sentence, which did not change, so its id did not either.
    assert cost_before.id == cost_after.id
    assert fact_citing(before, "alpha", BRIDGE_A).id == fact_citing(after, "alpha", BRIDGE_A).id


def test_a_fact_answers_to_the_id_of_each_of_its_sentences(tmp_path: Path) -> None:
    story = run(tmp_path, ARTICLES)
    fact = fact_citing(story, "alpha", COST_A)
    ids = fact_ids(fact)
    assert ids[0] == fact.id == fact_id_for(fact.citations[0])
    assert len(ids) == len(fact.citations)
    other_ids = {i for other in story.facts if other is not fact for i in fact_ids(other)}
    assert not set(ids) & other_ids


# --- title --------------------------------------------------------------------------------------


def test_title_from_story_info_or_headlines(tmp_path: Path) -> None:
    articles = {"alpha": "Council Backs New Bridge\n\n" + ARTICLES["alpha"], "bravo": ARTICLES["bravo"]}
    paths = write(tmp_path, articles)
    assert build(StoryInfo(id="bridge", title="Given title"), paths).title == "Given title"
    assert build(INFO, paths).title == "Council Backs New Bridge"


# --- tidy ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("But the troops left the base.", "The troops left the base."),
        ("However, the troops left the base.", "The troops left the base."),
        ("And then it rained.", "Then it rained."),
        ("The troops,however ,left.", "The troops, however, left."),
        ("Officials said 2,500 troops remain.", "Officials said 2,500 troops remain."),
        ("  Two   spaces  here .  ", "Two spaces here."),
        ("the vote passed.", "The vote passed."),
        ("Butler said the vote passed.", "Butler said the vote passed."),
        ("Sofia is the capital.", "Sofia is the capital."),
    ],
)
def test_tidy(raw: str, expected: str) -> None:
    assert tidy(raw) == expected


@pytest.mark.parametrize(
    "raw", ["In addition to the 2,500 troops, 900 contractors remain.", "So far, 12 people have died."]
)
def test_tidy_keeps_phrases_that_are_not_connectives(raw: str) -> None:
    assert tidy(raw) == raw


def test_different_people_doing_the_same_thing_is_a_conflict(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            "a": "Minister quits\n\nThe finance minister, John Carter, resigned on Tuesday after a row "
            "over the budget, officials said.\n",
            "b": "Minister resigns\n\nThe finance minister, Peter Novak, resigned on Tuesday after a row "
            "over the budget, officials said.\n",
        },
    )
    who = [c for c in story.conflicts if c.kind == "who"]
    assert len(who) == 1
    assert {side.value for side in who[0].sides} == {"John Carter", "Peter Novak"}
    assert {c.source for side in who[0].sides for c in side.citations} == {"a", "b"}


def test_the_one_acted_on_is_no_rival_of_the_one_who_acts(tmp_path: Path) -> None:
    """One sentence names the convict after the verb, the other the judge before it: the two
    people are not two answers to one question."""
    story = run(
        tmp_path,
        {
            "a": "Sentence handed down\n\nThe judge sentenced Oren Valdis to the maximum term on each charge "
            "on Friday.\n",
            "b": "Maximum term\n\nJudge Marta Kovac handed down the maximum sentence on each charge on "
            "Friday.\n",
        },
    )
    assert [c for c in story.conflicts if c.kind == "who"] == []


def test_the_same_person_spelled_two_ways_is_not_a_conflict(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            "a": "Minister quits\n\nThe finance minister, Mustafa al-Kadhimi, resigned on Tuesday after a "
            "row over the budget, officials said.\n",
            "b": "Minister resigns\n\nThe finance minister, Mustafa Kazmi, resigned on Tuesday after a row "
            "over the budget, officials said.\n",
        },
    )
    assert story.conflicts == ()
    assert any(f.support == 2 for f in story.facts)


def test_three_different_values_make_three_disputed_facts(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            name: f"Report {name}\n\nA car bomb killed {n} people at a busy market in the city centre "
            "on Friday, "
            "police said.\n"
            for name, n in (("a", 5), ("b", 7), ("c", 9))
        },
    )
    disputed = [f for f in story.facts if f.status is FactStatus.DISPUTED]
    assert sorted(len(f.citations) for f in disputed) == [1, 1, 1]
    assert len(story.conflicts) == 3
    for conflict in story.conflicts:
        assert {c.source for side in conflict.sides for c in side.citations} < {"a", "b", "c"}


def test_a_number_after_a_dash_keeps_its_label(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            "a": "Blast\n\nThe toll — 12 people died in the blast on Friday, police said.\n",
            "b": "Blast in city\n\nThe toll — 12 people died in the market blast on Friday, officials "
            "said.\n",
        },
    )
    assert [(k.value, k.label) for k in story.key_figures] == [("12", "people")]


def test_consensus_length_precedence(tmp_path: Path) -> None:
    body = (
        "The council approved the budget on Tuesday after a long debate. "
        "Teachers will receive a pay rise of four percent from September. "
        "A new bridge over the river is planned for the northern district. "
        "Opposition members walked out before the final vote was taken."
    )
    paths = write(tmp_path, {name: f"Report {name}\n\n{body}\n" for name in ("a", "b")})
    short = StoryInfo(id="s", consensus_words=12)

    def words(story: Story) -> int:
        return sum(len(s.text.split()) for s in story.consensus)

    assert words(build(short, paths, default_words=500)) <= 12  # story.yaml beats the site default
    assert words(build(short, paths, max_words=500)) > 12  # an explicit cap beats story.yaml
    assert words(build(INFO, paths, default_words=12)) <= 12


# --- consensus length and centrality ------------------------------------------------------------


def test_a_shorter_fact_fills_the_budget_when_the_next_best_does_not_fit(tmp_path: Path) -> None:
    story = run(tmp_path, ARTICLES)
    bridge, cost = (len(tidy(t).split()) for t in (BRIDGE_A, COST_A))
    # Room for the bridge fact and the cost fact but not for the long single-source sentences.
    budget = max(bridge, len(BRIDGE_B.split()), len(BRIDGE_C.split())) + cost + 2
    short = run(tmp_path / "short", ARTICLES, max_words=budget)
    assert sum(len(c.text.split()) for c in short.consensus) <= budget
    assert len(short.consensus) >= 2  # the second fact was not skipped for a longer one before it
    assert {c.fact for c in short.consensus} <= {f.id for f in story.facts}


def test_centrality_is_the_mean_best_echo_in_each_other_source() -> None:
    """A sentence's centrality: for each other independent source, its closest sentence's
    similarity, averaged; copies and the sentence's own source do not count."""
    similarity = {
        ("a#s1", "b#s1"): 0.3,
        ("a#s1", "b#s2"): 0.2,  # only the best sentence of b counts
        ("a#s1", "c#s1"): 0.5,
        ("a#s1", "a#s2"): 0.9,  # its own source does not count
        ("a#s2", "d#s1"): 0.4,  # d copies a: not another source
    }
    independent = {"a": "a", "b": "b", "c": "c", "d": "a"}
    centrality = echo_scores(Alignment((), (), similarity, independent))
    assert centrality["a#s1"] == pytest.approx((0.3 + 0.5) / 2)
    assert "a#s2" not in centrality
    assert centrality["b#s1"] == pytest.approx(0.3 / 2)


# --- headlines ----------------------------------------------------------------------------------


def headline_of(story: Story, source: str) -> Citation:
    (record,) = [s for s in story.sources if s.id == source]
    assert record.headline is not None
    return Citation(source, record.headline.id)


def test_a_headline_is_cited_by_its_fact_which_speaks_in_a_body_sentence(tmp_path: Path) -> None:
    # A headline close to all three sentences, and ending like a sentence: the most central member.
    headline = "City council approves new bridge over river."
    titled = dict(ARTICLES, alpha=f"{headline}\n\n" + ARTICLES["alpha"])
    story = run(tmp_path / "titled", titled)
    plain = run(tmp_path / "plain", ARTICLES)
    fact = fact_citing(story, "alpha", BRIDGE_A)
    assert headline_of(story, "alpha") in fact.citations
    assert fact.citations[0] == headline_of(story, "alpha")  # reading order: the headline first
    assert fact.support == 3  # alpha counts once, headline and body
    # Its wording, id and status are what they are without the headline.
    before = fact_citing(plain, "alpha", BRIDGE_A)
    assert (fact.id, fact.text, fact.status) == (before.id, before.text, before.status)
    # The consensus quotes the body and cites the headline with the rest.
    (sentence,) = [c for c in story.consensus if c.fact == fact.id]
    assert sentence.text == before.text and headline_of(story, "alpha") in sentence.citations


def test_a_fact_only_headlines_state_is_on_the_fact_sheet_not_in_the_consensus(tmp_path: Path) -> None:
    story = run(
        tmp_path,
        {
            "alpha": "Kelby mayor Ann Dale resigns over flood response\n\n" + ARTICLES["alpha"],
            "bravo": "Ann Dale quits as Kelby mayor after flood response criticised\n\n" + ARTICLES["bravo"],
            "charlie": ARTICLES["charlie"],
        },
    )
    (fact,) = [f for f in story.facts if headline_of(story, "alpha") in f.citations]
    assert set(fact.citations) == {headline_of(story, "alpha"), headline_of(story, "bravo")}
    assert fact.status is FactStatus.CORROBORATED and fact.support == 2
    assert fact.text == "Kelby mayor Ann Dale resigns over flood response"
    assert fact.id not in {c.fact for c in story.consensus}
    assert story.consensus  # the body's facts still make one
    assert all("Ann Dale" not in c.text for c in story.consensus)


def test_a_headline_raises_no_conflict(tmp_path: Path) -> None:
    alpha = BOMB.format(n=12, rest="The mayor condemned the attack in a short statement.")
    bravo = "Schools in the district were closed for the day.\n\nShops reopened in the afternoon.\n"
    # The same value in a body sentence is a conflict ...
    body = run(tmp_path / "body", {"alpha": alpha, "bravo": BOMB.format(n=30, rest=bravo)})
    assert len(body.conflicts) == 1
    # ... in a headline, it is not: too elliptical to tell which event it counts.
    story = run(
        tmp_path / "headline",
        {"alpha": alpha, "bravo": "Car bomb kills 30 people in market square\n\n" + bravo},
    )
    assert story.conflicts == ()
    assert not any(f.status is FactStatus.DISPUTED for f in story.facts)


def test_without_headlines_nothing_is_a_headline(tmp_path: Path) -> None:
    story = run(tmp_path, ARTICLES)
    assert all(s.headline is None and s.citable == s.sentences for s in story.sources)
