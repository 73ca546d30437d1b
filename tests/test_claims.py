"""A fact is one claim (generator/claims.py) and a conflict is about one referent
(generator/conflicts.py): end to end, on invented sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.align import _contained_ratio
from generator.claims import quoted
from generator.conflicts import _different_people
from generator.pipeline import build
from generator.records import Story, StoryInfo
from tests.test_consolidate import fact_citing, headline_of, write

INFO = StoryInfo(id="claims")
FILLER = {
    "alpha": "Residents of the valley gathered in the square to watch the fireworks.",
    "bravo": "A farmer said the harvest had been the best in ten years.",
}


def story_of(tmp_path: Path, alpha: str, bravo: str) -> Story:
    articles = {"alpha": f"{alpha}\n\n{FILLER['alpha']}\n", "bravo": f"{bravo}\n\n{FILLER['bravo']}\n"}
    story = build(INFO, write(tmp_path, articles))
    assert story.problems == ()
    return story


def grouped(story: Story, alpha: str, bravo: str) -> bool:
    return fact_citing(story, "alpha", alpha).id == fact_citing(story, "bravo", bravo).id


# --- grouping: one claim, not just shared words ---------------------------------------------------


@pytest.mark.parametrize(
    ("alpha", "bravo"),
    [
        # expected against happened
        (
            "The festival organisers will consider cancelling the open-air concert in Lindham.",
            "The festival organisers cancelled the open-air concert in Lindham.",
        ),
        # denied against confirmed
        (
            "The harbour master did not resign after the ferry collision in Portwick.",
            "The harbour master resigned after the ferry collision in Portwick.",
        ),
        # two people's words on one matter are two statements
        (
            'Mayor Ellen Varga said: "The new bridge over the river is a waste of public money."',
            'Councillor Tomas Reed said: "The new bridge over the river is a waste of public money."',
        ),
        # a caption sharing only a name and a date with the report
        (
            "Ellen Varga smiles during a visit to Corby, 12 March 2024.",
            "Ellen Varga opened the new library on 12 March 2024.",
        ),
        # only future against only past, though the shared words carry no tense themselves
        (
            "Mayor Ellen Varga will become the first woman to open the Lindham flower show.",
            "Mayor Ellen Varga made history as the first woman to open the Lindham flower show.",
        ),
        # a name's word marks no tense: "Will" Varga does not make a past-only sentence future
        (
            "Lindham mayor Will Varga made history as the first man to open the flower show.",
            "Lindham mayor Will Varga will become the first man to open the flower show.",
        ),
    ],
    ids=[
        "expected-vs-happened",
        "denied-vs-confirmed",
        "two-speakers",
        "caption",
        "will-vs-did",
        "name-will",
    ],
)
def test_different_claims_sharing_words_are_not_one_fact(tmp_path: Path, alpha: str, bravo: str) -> None:
    story = story_of(tmp_path, alpha, bravo)
    assert not grouped(story, alpha, bravo)


@pytest.mark.parametrize(
    ("alpha", "bravo"),
    [
        (
            "The festival organisers cancelled the open-air concert in Lindham on Friday.",
            "On Friday the open-air concert in Lindham was cancelled by the festival organisers.",
        ),
        (
            "All British nationals were told to leave the capital within two days.",
            "All UK residents were told to leave the capital within two days.",
        ),
        (
            "The two leaders met in the Oval Office of the White House on Monday.",
            "The two leaders held talks at the White House on Monday.",
        ),
        # a sentence of both tenses (what was said of what will be) is not only past
        (
            "The mayor said the new bridge over the river will open in June.",
            "The new bridge over the river will open in June, the council confirmed.",
        ),
        # a name's word is no mark: "Hope" in "Hope Varga is returning" hopes for nothing
        (
            "Hope Varga is returning to the Lindham council as its chair on Monday.",
            "The Lindham council said its chair on Monday, Hope Varga, is returning to the council.",
        ),
        # a name before a verb is still the word before it: "The Kremlin confirmed" is a past
        (
            "The Kremlin confirmed that Putin will visit Minsk in March.",
            "Putin's visit to Minsk in March was confirmed by the Kremlin.",
        ),
        # an -ed adjective is no past tense: "most trusted" does not make "is returning" a past
        (
            "Ellen Varga, the most trusted aide of the mayor, is returning to the Lindham council in June.",
            "Ellen Varga, an aide of the mayor, will return to the Lindham council in June.",
        ),
    ],
    ids=[
        "passive",
        "nationals-residents",
        "met-held-talks",
        "said-will",
        "name-is-no-mark",
        "name-before-verb",
        "adjective-ed",
    ],
)
def test_the_same_claim_in_other_words_is_one_fact(tmp_path: Path, alpha: str, bravo: str) -> None:
    story = story_of(tmp_path, alpha, bravo)
    assert grouped(story, alpha, bravo)


# --- conflicts: one referent, no false classes --------------------------------------------------


@pytest.mark.parametrize(
    ("alpha", "bravo"),
    [
        # rounding of a conversion in brackets
        (
            "The storm was moving north at 8 mph (13 km/h) on Tuesday night, forecasters said.",
            "The storm was moving north at 8 mph (12 km/h) on Tuesday night, forecasters said.",
        ),
        # a floor the other number respects
        (
            "At least 20 people were injured when the stand collapsed at the stadium in Corby.",
            "25 people were injured when the stand collapsed at the stadium in Corby.",
        ),
        # a wire editor's note
        (
            "(Corrects number of injured in paragraph 3 to 12 from 14)",
            "(Corrects number of injured in paragraph 3 to 14 from 12)",
        ),
        # distances from different places
        (
            "The bear was found in the village of Harn, 20 miles from Dunmore, rangers said on Friday.",
            "The bear escaped the park and was found in the village of Harn, 12 miles away, rangers said.",
        ),
        # a running total against one day's haul
        (
            "Customs officers seized 12 rifles and 300 rounds of ammunition from the boat at Kessel port.",
            "In their five raids so far, customs officers have seized 31 rifles at Kessel port.",
        ),
        # a model designation is not a count
        (
            "The rebels at the Kessel checkpoint carried seven AK-47 rifles and three machine guns.",
            "The rebels at the Kessel checkpoint carried seven rifles and three AK-74 machine guns.",
        ),
        # one scale against another
        (
            "The probe's shield must withstand temperatures of almost 1,400 degrees near the sun.",
            "The probe's shield must withstand temperatures of almost 2,500 degrees Fahrenheit near the sun.",
        ),
        # the same account given by two officials
        (
            "Chief Anna Steele said the fire was lit at the entrance while a group of women were sewing.",
            "Mayor Piet Kroon says the fire was lit at the entrance while a group of women were sewing.",
        ),
        # a clock time rounded
        (
            "A call reporting the fire at the Valley Hotel came in at 3:33 a.m., the director said.",
            "A call reporting the fire at the Valley Hotel came in at 3:30 a.m., the director said.",
        ),
        # the time a page was updated
        (
            "Updated 4:08 p.m. Lawyers said the actress checked into a rehab clinic in Malibu Thursday.",
            "May 3, 2013 | 8:20 am Lawyers said the actress checked into a rehab clinic in Malibu Thursday.",
        ),
        # subject and object swapped
        (
            "The Harlow club fired its head coach, Ann Holt, on Sunday after a run of eight defeats.",
            "Chairman Bo Reyes fired head coach Ann Holt on Sunday after a run of eight defeats.",
        ),
        # the day it was said against the day it happened
        (
            "Police said on Tuesday that the two men were arrested at the Harlow docks.",
            "The two men were arrested at the Harlow docks on Sunday, police said.",
        ),
        # one person with and without where they serve
        (
            "Judge Ann Obi adjourned the trial of the former governor until 14 May.",
            "Judge Ann Obi of Nigeria adjourned the trial of the former governor until 14 May.",
        ),
        # one person with and without a generational suffix
        (
            "Prisoner Arcade Joseph Comeaux escaped from a prison van in Baytown on Monday.",
            "Prisoner Arcade Joseph Comeaux Jr. escaped from a prison van in Baytown on Monday.",
        ),
        # distances in two-word units from different points
        (
            "Pirates attacked the merchant ship 150 nautical miles west of Aden on Saturday.",
            "Pirates attacked the merchant ship, which was 13 nautical miles from the frigate, on Saturday.",
        ),
        # dates of page stamps
        (
            "Updated: May 24, 2005 The coach is running the team again, the club said.",
            "Updated: May 16, 2005 The coach is running the team again, the club said.",
        ),
        # two people's numbers
        (
            "Ellen Varga won 332 electoral votes in Lindham, and Tomas Reed only got 304 votes there.",
            "Tomas Reed said he won 306 electoral votes in Lindham, when in fact he won 304 there.",
        ),
    ],
    ids=[
        "conversion",
        "floor",
        "wire-note",
        "reference-point",
        "running-total",
        "designation",
        "scale",
        "two-speakers",
        "rounded-time",
        "update-stamp",
        "subject-object",
        "said-on",
        "of-place",
        "suffix",
        "two-word-unit",
        "date-stamp",
        "two-holders",
    ],
)
def test_no_false_conflict(tmp_path: Path, alpha: str, bravo: str) -> None:
    assert story_of(tmp_path, alpha, bravo).conflicts == ()


def test_clock_times_are_compared_as_times_not_counts(tmp_path: Path) -> None:
    alpha = "The first tremor struck the town of Arvel at 4:20 a.m. on Sunday, the observatory said."
    bravo = "The first tremor struck the town of Arvel at 4:30 a.m. on Sunday, the observatory said."
    (conflict,) = story_of(tmp_path, alpha, bravo).conflicts
    assert conflict.kind == "time"
    assert sorted(side.value for side in conflict.sides) == ["4:20 a.m.", "4:30 a.m."]


def test_the_same_clock_time_written_two_ways_agrees(tmp_path: Path) -> None:
    alpha = "The first tremor struck the town of Arvel at 4:20 a.m. on Sunday, the observatory said."
    bravo = "The first tremor struck the town of Arvel at 4.20am on Sunday, the observatory said."
    story = story_of(tmp_path, alpha, bravo)
    assert story.conflicts == ()


def test_two_floors_that_differ_are_a_conflict_naming_what_they_count(tmp_path: Path) -> None:
    alpha = "At least six people were injured when the stand collapsed at the stadium in Corby."
    bravo = "At least three people were injured when the stand collapsed at the stadium in Corby."
    (conflict,) = story_of(tmp_path, alpha, bravo).conflicts
    assert conflict.kind == "number"
    assert conflict.topic == "the number of people injured"


def test_counts_on_two_dates_are_two_values_not_a_conflict(tmp_path: Path) -> None:
    alpha = "By 3 March 2024, cases of the fever had been confirmed in 17 towns of the valley."
    bravo = "By 12 November 2023, cases of the fever had been confirmed in 32 towns of the valley."
    assert story_of(tmp_path, alpha, bravo).conflicts == ()
    same_day = "By 3 March 2024, cases of the fever had been confirmed in 32 towns of the valley."
    (conflict,) = story_of(tmp_path / "same", alpha, same_day).conflicts
    assert conflict.kind == "number"


def test_a_sentence_with_two_weekdays_neither_conflicts_with_itself_nor_crashes(tmp_path: Path) -> None:
    text = "The talks that began on Monday ended on Wednesday without agreement, the envoy said."
    articles = {"alpha": f"{text}\n", "bravo": f"{text}\n", "charlie": f"{text}\n\nIt rained.\n"}
    story = build(INFO, write(tmp_path, articles))
    assert story.conflicts == ()


# --- headlines in title case --------------------------------------------------------------------


def test_a_title_case_headline_does_not_make_its_words_names(tmp_path: Path) -> None:
    articles = {
        "alpha": "# Council Approves New Bridge Over The River\n\nThe council approved a new bridge"
        " over the river on Tuesday.\n\nA new bridge will open in May.\n",
        "bravo": "The city council approved a new bridge over the river on Tuesday.\n",
    }
    story = build(INFO, write(tmp_path, articles))
    names = {e.name for e in story.entities}
    assert not names & {
        "Council Approves New Bridge Over The River",
        "Council Approves",
        "New Bridge",
        "River",
    }


@pytest.mark.parametrize(
    ("a", "b", "different"),
    [
        ("Alaska Governor", "Sarah Palin", False),  # a title and a place typed as a person
        ("Northwest Side", "Lizandra Cosme", False),
        ("Arcade Joseph Comeaux", "Arcade Joseph Comeaux Jr", False),
        ("Gov. Sarah Palin", "Sarah Palin", False),
        ("Sarah Palin", "Joe Biden", True),
    ],
)
def test_who_conflicts_need_two_personal_names(a: str, b: str, different: bool) -> None:
    assert _different_people(a, b) is different


def test_two_kinds_of_venue_for_one_event_are_a_conflict(tmp_path: Path) -> None:
    alpha = "A gunman opened fire at a crowded casino in Arvel late on Saturday, killing four people."
    bravo = "A gunman opened fire at a crowded nightclub in Arvel late on Saturday, killing four people."
    (conflict,) = story_of(tmp_path, alpha, bravo).conflicts
    assert conflict.kind == "place"
    assert sorted(side.value for side in conflict.sides) == ["casino", "nightclub"]


def test_a_venue_named_on_both_sides_is_no_conflict(tmp_path: Path) -> None:
    alpha = "A gunman opened fire at a crowded casino in Arvel late on Saturday, near a nightclub."
    bravo = "A gunman opened fire at a crowded nightclub in Arvel late on Saturday, near a casino."
    assert story_of(tmp_path, alpha, bravo).conflicts == ()


# --- a short quote printed by two outlets ------------------------------------------------------


def _quoted_story(tmp_path: Path, alpha: str, bravo: str) -> Story:
    articles = {  # two reports, not copies of one (they share no other sentence)
        "alpha": f"Senator speaks\n\nThe senator met reporters on Monday. {alpha} {FILLER['alpha']}\n",
        "bravo": f"Senator on bridge\n\nReporters asked Senator Ellis. {bravo} {FILLER['bravo']}\n",
    }
    story = build(INFO, write(tmp_path, articles))
    assert all(s.copy_of is None for s in story.sources)
    return story


@pytest.mark.parametrize(
    ("alpha", "bravo", "one"),
    [
        ('"I just answered your question."', "“I answered your question.”", True),
        ("“She’s in rehab right now.", '"She\'s in rehab right now."', True),
        # unquoted, a short sentence is no one's words: too little to tell one claim
        ("He answered the question.", "She answered the question.", False),
        # quoted but too short to be one statement rather than a common phrase
        ('"I don\'t know."', "“I don’t know.”", False),
        # the same few words, in another order and with other words: not a reprint
        ('"Your question was answered."', "“I answered your question.”", False),
        # one word swapped is another claim, however alike the rest
        ('"We will win the vote," he said.', '"We will lose the vote," he said.', False),
    ],
    ids=["one-word-dropped", "curly-quotes", "unquoted", "too-short", "reworded", "swapped"],
)
def test_a_short_quote_in_the_same_words_is_one_statement(
    tmp_path: Path, alpha: str, bravo: str, one: bool
) -> None:
    story = _quoted_story(tmp_path, alpha, bravo)
    assert grouped(story, alpha, bravo) is one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"I answered your question."', True),
        ("“I answered your question.”", True),
        ("« Nous avons gagné », a-t-il dit.", True),
        ("It's the mayor's answer, and he won't change it.", False),  # apostrophes quote nobody
        ("He said he would answer.", False),
    ],
)
def test_only_quotation_marks_make_a_quote(text: str, expected: bool) -> None:
    assert quoted(text) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("i just answered your question", "i answered your question", 8 / 9),  # a word left out
        ("we will win the vote", "we will lose the vote", 0.0),  # a word swapped
        ("your question was answered", "i answered your question", 0.0),  # reordered
    ],
)
def test_a_reprint_only_leaves_words_out(a: str, b: str, expected: float) -> None:
    assert _contained_ratio(a.split(), b.split()) == pytest.approx(expected)


def _headline_grouped(tmp_path: Path, headline: str, body: str) -> bool:
    """Whether the headline of one source and a body sentence of another are cited by one fact."""
    articles = {
        "alpha": f"# {headline}\n\n{FILLER['alpha']}\n",
        "bravo": f"{body}\n\n{FILLER['bravo']}\n",
    }
    story = build(INFO, write(tmp_path, articles))
    assert story.problems == ()
    title = headline_of(story, "alpha")
    return any(title in f.citations and any(c.source == "bravo" for c in f.citations) for f in story.facts)


def test_a_headline_in_the_present_tells_what_happened_not_what_will(tmp_path: Path) -> None:
    assert not _headline_grouped(
        tmp_path,
        "Mayor Ellen Varga Opens the Lindham Flower Show",
        "Mayor Ellen Varga will open the Lindham flower show.",
    )


def test_wont_is_the_future_of_will_not(tmp_path: Path) -> None:
    """A headline that says "won't" is no headline in the plain present."""
    assert _headline_grouped(
        tmp_path,
        "Harbour Master Won't Resign",
        "The harbour master will not resign.",
    )
