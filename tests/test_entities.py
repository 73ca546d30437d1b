"""Entities: which words are names (analyse) and which names are one entity (entities).

Every story here is invented; each test is about one rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.analyse import analyse_sentence, analyse_sources
from generator.entities import fold, resolve_entities
from generator.facts import canonical_text
from generator.pipeline import read_sources
from generator.records import AnalysedSource, Entity, EntityType, Sentence


def names(text: str) -> list[tuple[str, EntityType]]:
    """The mentions of one sentence, analysed alone."""
    return [(m.text, m.type) for m in analyse_sentence(Sentence("s-1", "src", 0, 0, text)).mentions]


def story(tmp_path: Path, articles: dict[str, str]) -> tuple[AnalysedSource, ...]:
    paths = []
    for name, text in articles.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    sources, problems = read_sources(paths)
    assert problems == []
    return analyse_sources(sources)


def resolved(tmp_path: Path, articles: dict[str, str]) -> tuple[tuple[Entity, ...], dict[str, str]]:
    """The story's entities, and the id of the entity each written name resolved to."""
    analysed = story(tmp_path, articles)
    entities, mention_map = resolve_entities(analysed)
    ids: dict[str, str] = {}
    for a in analysed:
        for s in a.sentences:
            for m in s.mentions:
                ids.setdefault(m.text, mention_map[(a.source.id, s.sentence.id, m.start)])
    return entities, ids


def entity(entities: tuple[Entity, ...], entity_id: str) -> Entity:
    return next(e for e in entities if e.id == entity_id)


# --- what is a name -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "I've never seen the river this high, a farmer told reporters.",
        "We're staying until the water goes down, the family said.",
        "Isn't it strange that the bridge held, she asked.",
    ],
)
def test_contractions_are_not_names(sentence: str) -> None:
    assert names(sentence) == []


def test_a_file_name_is_not_a_name_and_the_word_after_it_opens_the_sentence() -> None:
    assert names("Bluequote2.png On Tuesday the council voted to close the pier.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Nobody expected the vote to pass so easily.",
        "Whoever wins the seat will face a hostile chamber.",
        "Unfortunately the ferry was already full.",
        "Instead the workers marched to the square.",
    ],
)
def test_sentence_initial_common_words_are_not_names(sentence: str) -> None:
    assert names(sentence) == []


def test_an_opening_verb_before_a_name_is_not_part_of_it(tmp_path: Path) -> None:
    analysed = story(
        tmp_path,
        {
            "alpha": "The league named Dana Pirelli as its new referee.\n\n"
            "Choosing Pirelli was a surprise to the clubs.\n\n"
            "Having Pirelli in charge pleases the fans, her agent said.\n",
        },
    )
    found = {m.text for s in analysed[0].sentences for m in s.mentions}
    assert found == {"Dana Pirelli", "Pirelli"}


def test_an_article_inside_a_run_of_capitals_ends_the_name() -> None:
    found = names("Filed 14.20 GMT The Pirelli campaign opened an office downtown.")
    assert ("Pirelli", EntityType.OTHER) in found
    assert not any("The" in text or "GMT" in text for text, _ in found)


def test_capitalised_function_words_end_a_name() -> None:
    found = names('The crowd chanted "Dana Pirelli Is Back" outside the stadium.')
    assert found[0] == ("Dana Pirelli", EntityType.PERSON)
    assert not any(" Is" in text for text, _ in found)


def test_english_words_among_the_particles_join_no_names() -> None:
    found = [text for text, _ in names("The film stars Hollis Brandt as Verena Stoll, a pilot.")]
    assert found == ["Hollis Brandt", "Verena Stoll"]


def test_time_zones_and_trailing_weekdays_are_not_part_of_a_name() -> None:
    assert names("Updated 9:40 EDT Marta Kovac resigned.") == [("Marta Kovac", EntityType.PERSON)]
    assert names("They met Marta Kovac Saturday in a hotel.") == [("Marta Kovac", EntityType.PERSON)]


def test_a_name_in_the_possessive_ends_its_run_but_a_common_noun_does_not() -> None:
    found = [text for text, _ in names("They spoke to Halvard's Jim Ostrander about the Workers' deal.")]
    assert found[:2] == ["Halvard", "Jim Ostrander"]
    story_words = frozenset({"children", "the"})
    kept = analyse_sentence(
        Sentence("s-1", "src", 0, 0, "She works at the Children's Hospital of Varna."), None, story_words
    )
    assert [m.text for m in kept.mentions] == ["Children's Hospital of Varna"]


def test_a_person_of_a_place_is_two_names_but_a_body_of_a_place_is_one() -> None:
    found = names("He follows Dario Fenn of Oakland and Judge Ilse Marr of Nigeria.")
    assert found == [
        ("Dario Fenn", EntityType.PERSON),
        ("Oakland", EntityType.OTHER),
        ("Ilse Marr", EntityType.PERSON),
        ("Nigeria", EntityType.PLACE),
    ]
    # a place's last word in the possessive ends the run, though the story writes "the city"
    city = analyse_sentence(
        Sentence("s-1", "src", 0, 0, "Oklahoma City's Tom Orr spoke."), None, frozenset({"city"})
    )
    assert [m.text for m in city.mentions] == ["Oklahoma City", "Tom Orr"]
    for one in (
        "Royal Bank of Scotland",
        "University of Chicago",
        "Democratic Republic of Congo",
        "National Institutes of Health",
        "Federal Reserve Bank of New York",
    ):
        assert [m for m, _ in names(f"They thanked the {one} on Monday.")] == [one]


def test_an_initial_written_against_the_surname_is_the_same_name() -> None:
    assert fold("P.J.Carlesimo") == fold("P.J. Carlesimo") == fold("PJ Carlesimo") == "pj carlesimo"
    assert fold("George W. Bush") == "george w bush"


@pytest.mark.parametrize("sentence", ["UPDATE The ferry left at noon.", "WATCH the ferry leave at noon."])
def test_ordinary_words_in_capitals_are_not_acronyms(sentence: str) -> None:
    assert names(sentence) == []


def test_words_that_are_well_known_acronyms_stay() -> None:
    assert ("WHO", EntityType.ORGANIZATION) in names("The WHO sent doctors to the port.")


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Secretary of the Treasury Alan Morrow said rates would hold.", "Alan Morrow"),
        ("Secretary of Homeland Security Rita Vance visited the port.", "Rita Vance"),
    ],
)
def test_the_name_after_an_office_and_its_domain_is_a_titled_person(sentence: str, name: str) -> None:
    found = analyse_sentence(Sentence("s-1", "src", 0, 0, sentence)).mentions
    person = next(m for m in found if m.type is EntityType.PERSON)
    assert (person.text, person.titled) == (name, True)


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("The USS Meridian docked at the naval base.", "USS Meridian"),
        ("Rescuers reached the MS Aurora before dawn.", "MS Aurora"),
        ("Lawmakers passed the Clean Rivers Amendment on Monday.", "Clean Rivers Amendment"),
        ("Coastal Air Flight 212 landed safely.", "Coastal Air Flight"),
        ("A Sunni Muslim cleric led the prayers.", "Sunni Muslim"),
    ],
)
def test_vessels_flights_laws_and_groups_are_not_persons(sentence: str, name: str) -> None:
    assert dict(names(sentence))[name] is EntityType.OTHER


# --- which names are one entity -----------------------------------------------------------------


def test_a_surname_alone_joins_the_one_full_name_it_can_mean(tmp_path: Path) -> None:
    entities, ids = resolved(
        tmp_path,
        {
            "alpha": "Governor Rita Vance signed the budget on Friday.\n",
            "bravo": "Vance said the budget protects the schools.\n",
        },
    )
    assert ids["Vance"] == ids["Rita Vance"]
    person = entity(entities, ids["Vance"])
    assert person.name == "Rita Vance"
    assert person.type is EntityType.PERSON  # "Vance" alone has no type of its own


def test_a_short_form_of_a_given_name_is_the_same_person(tmp_path: Path) -> None:
    entities, ids = resolved(
        tmp_path,
        {
            "alpha": "Coach Maurice Tallow was fired on Saturday.\n\nWilliam Orrin bought the land.\n",
            "bravo": "Mo Tallow led the team for three seasons.\n\nBill Orrin paid cash for it.\n",
            "charlie": "Tallow said he was proud of the players.\n",
        },
    )
    assert ids["Mo Tallow"] == ids["Maurice Tallow"] == ids["Tallow"]  # so the surname fits one person
    assert entity(entities, ids["Tallow"]).type is EntityType.PERSON
    assert ids["Bill Orrin"] == ids["William Orrin"]


def test_given_names_that_are_no_short_form_of_one_another_stay_apart(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "Christopher Marsh and Christine Marsh both ran.\n\nMaurice Pell spoke first.\n",
            "bravo": "Chris Marsh won the seat.\n\nMichael Pell spoke later.\n",
        },
    )
    assert ids["Christopher Marsh"] != ids["Christine Marsh"]  # "Chris" is short for either
    assert ids["Chris Marsh"] not in (ids["Christopher Marsh"], ids["Christine Marsh"])
    assert ids["Maurice Pell"] != ids["Michael Pell"]


@pytest.mark.parametrize(
    ("articles", "apart"),
    [
        # Sam and Sammy are one spelling apart; Samantha is no Sammy
        (
            {"a": "Samantha Marsh spoke.\n", "b": "Sammy Marsh spoke.\n", "c": "Sam Marsh spoke.\n"},
            ("Samantha Marsh", "Sammy Marsh"),
        ),
        # Ted is short for Edward and for Theodore: Eddie and Teddy stay two
        (
            {"a": "Eddie Marsh spoke.\n", "b": "Teddy Marsh spoke.\n", "c": "Ted Marsh spoke.\n"},
            ("Eddie Marsh", "Teddy Marsh"),
        ),
        # a rival with a middle initial counts
        (
            {
                "a": "Christopher Marsh spoke.\n",
                "b": "Christine A. Marsh spoke.\n",
                "c": "Chris Marsh spoke.\n",
            },
            ("Christopher Marsh", "Chris Marsh"),
        ),
        # a name also given in full is no short form
        (
            {"a": "John Marsh founded the firm.\n", "b": "His son Jack Marsh runs it.\n"},
            ("John Marsh", "Jack Marsh"),
        ),
    ],
)
def test_a_short_form_never_joins_two_people(
    tmp_path: Path, articles: dict[str, str], apart: tuple[str, str]
) -> None:
    _, ids = resolved(tmp_path, articles)
    assert ids[apart[0]] != ids[apart[1]]


def test_different_middle_names_are_different_people(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "George H. Tolland founded the firm in 1961.\n",
            "bravo": "His son George K. Tolland sold it last year.\n",
            "charlie": "George Tolland built the first workshop.\n\nTolland retired early.\n",
        },
    )
    assert ids["George H. Tolland"] != ids["George K. Tolland"]
    # The name without a middle initial fits both, so it joins neither; so does the surname.
    assert ids["George Tolland"] not in (ids["George H. Tolland"], ids["George K. Tolland"])
    assert ids["Tolland"] not in (ids["George H. Tolland"], ids["George K. Tolland"])


def test_a_name_without_middle_name_joins_the_one_it_fits(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "Anna Maria Reyes won the race.\n",
            "bravo": "Anna Reyes crossed the line first.\n",
        },
    )
    assert ids["Anna Reyes"] == ids["Anna Maria Reyes"]


def test_a_first_name_alone_joins_the_full_name_of_its_own_source(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The show was produced by Orla Denholm and Pete Sauer.\n\n"
            "Orla said the show would return in spring.\n",
        },
    )
    assert ids["Orla"] == ids["Orla Denholm"]


def test_a_longer_name_after_ordinary_words_is_the_same_person(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The singer Rita Vance opened the festival.\n",
            "bravo": "Fans wore shirts with Legendary Rita Vance on them.\n\nIt was legendary.\n",
        },
    )
    assert ids["Legendary Rita Vance"] == ids["Rita Vance"]


def test_a_longer_name_after_another_first_name_is_another_person(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The cook Clara Dunmore Hale wrote the book.\n",
            "bravo": "Her father, Arthur Dunmore Hale, was a surgeon.\n",
            "charlie": "Dunmore Hale never sold the house.\n",
        },
    )
    assert ids["Clara Dunmore Hale"] != ids["Arthur Dunmore Hale"]
    assert ids["Dunmore Hale"] not in (ids["Clara Dunmore Hale"], ids["Arthur Dunmore Hale"])


def test_a_place_before_a_name_is_not_a_first_name(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {"alpha": "Kelburn's Sam Ortolan was fired.\n\nKelburn lost again on Sunday.\n"},
    )
    assert ids["Kelburn"] != ids["Sam Ortolan"]


def test_the_end_of_a_full_name_joins_it(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The academy elected Maria Delgado Ruiz as its president.\n",
            "bravo": "Delgado Ruiz thanked the members for their trust.\n",
        },
    )
    assert ids["Delgado Ruiz"] == ids["Maria Delgado Ruiz"]


def test_different_people_sharing_a_first_name_stay_apart(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "Orla Denholm and Orla Bright both spoke.\n\nOrla said the vote was fair.\n",
        },
    )
    assert ids["Orla Denholm"] != ids["Orla Bright"]
    assert ids["Orla"] not in (ids["Orla Denholm"], ids["Orla Bright"])


def test_organisations_with_and_without_a_country_prefix_merge(tmp_path: Path) -> None:
    entities, ids = resolved(
        tmp_path,
        {
            "alpha": "The Coast Guard rescued nine sailors.\n",
            "bravo": "A US Coast Guard cutter reached the boat.\n",
            "charlie": "The American Coast Guard said the search was over.\n",
        },
    )
    assert ids["Coast Guard"] == ids["US Coast Guard"] == ids["American Coast Guard"]
    assert entity(entities, ids["Coast Guard"]).type is EntityType.ORGANIZATION


def test_organisations_with_and_without_a_body_prefix_merge(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The Security Council met in an emergency session.\n",
            "bravo": "The UN Security Council condemned the attack.\n",
        },
    )
    assert ids["Security Council"] == ids["UN Security Council"]


def test_organisations_of_two_countries_stay_apart_and_the_bare_name_joins_neither(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The Iraqi Army retook the town.\n",
            "bravo": "The US Army sent advisers.\n",
            "charlie": "The Army said the road was open.\n",
        },
    )
    assert ids["Iraqi Army"] != ids["US Army"]
    assert ids["Army"] not in (ids["Iraqi Army"], ids["US Army"])


def test_a_short_form_joins_the_one_longer_name_it_ends(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The Harbor Foxes won the final.\n",
            "bravo": "The Foxes celebrated in the streets.\n\nThe Water Department closed two roads.\n",
            "charlie": "The Department said the roads would reopen.\n",
        },
    )
    assert ids["Foxes"] == ids["Harbor Foxes"]
    assert ids["Department"] != ids["Water Department"]  # a generic head could mean any department


# --- the printed text ---------------------------------------------------------------------------


def test_a_first_name_is_printed_as_written(tmp_path: Path) -> None:
    analysed = story(
        tmp_path,
        {
            "alpha": "The show was produced by Orla Denholm.\n\nOrla said the show would return in spring.\n",
        },
    )
    entities, mention_map = resolve_entities(analysed)
    by_id = {e.id: e for e in entities}
    sentence = analysed[0].sentences[1]
    assert canonical_text(sentence, by_id, mention_map) == sentence.sentence.text


def test_a_variant_is_printed_only_in_a_spelling_a_source_wrote(tmp_path: Path) -> None:
    analysed = story(
        tmp_path,
        {
            "alpha": "Minister Nadia Kazmi spoke first.\n\nKazmi called for calm.\n",
            "bravo": "Minister Nadia Kadhimi spoke on Monday.\n\nKadhimi called for calm.\n",
            "charlie": "Minister Nadia Kadhimi left early.\n",
        },
    )
    entities, mention_map = resolve_entities(analysed)
    by_id = {e.id: e for e in entities}
    assert len({e.id for e in entities if e.type is EntityType.PERSON}) == 1
    alpha = analysed[0].sentences
    assert canonical_text(alpha[0], by_id, mention_map) == "Minister Nadia Kadhimi spoke first."
    assert canonical_text(alpha[1], by_id, mention_map) == "Kadhimi called for calm."


# --- more shapes of names -----------------------------------------------------------------------


def test_a_title_word_that_ends_a_name_is_a_surname() -> None:
    assert names("It said Billy King hired a coach.") == [("Billy King", EntityType.PERSON)]
    assert ("Osric Constable", EntityType.PERSON) in names("The painter Osric Constable died.")


def test_a_title_joined_to_a_name_by_a_dot_is_split_off() -> None:
    found = analyse_sentence(Sentence("s-1", "src", 0, 0, "Alaska Gov.Tilda Marsh spoke.")).mentions
    person = next(m for m in found if m.type is EntityType.PERSON)
    assert (person.text, person.titled) == ("Tilda Marsh", True)


def test_the_rest_of_an_office_after_a_title_is_not_part_of_the_name() -> None:
    found = names("Chief Executive Ross Amberley resigned.")
    assert found == [("Ross Amberley", EntityType.PERSON)]


def test_an_acronym_matches_initials_with_the_the_its_name_dropped(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "Critics at The Valley Courier praised it.\n",
            "bravo": "TVC said the vote was fair.\n",
        },
    )
    assert ids["TVC"] == ids["Valley Courier"]


def test_a_multi_word_name_joins_the_one_longer_name_it_ends(tmp_path: Path) -> None:
    _, ids = resolved(
        tmp_path,
        {
            "alpha": "The Kelburn Grey Herons won the final.\n",
            "bravo": "The Grey Herons celebrated on Sunday.\n",
        },
    )
    assert ids["Grey Herons"] == ids["Kelburn Grey Herons"]


def test_a_plural_demonym_is_people_not_the_place(tmp_path: Path) -> None:
    entities, ids = resolved(
        tmp_path,
        {"alpha": "Greece voted on Sunday.\n\nMany Greeks stayed at home.\n\nGreek banks closed.\n"},
    )
    assert ids["Greece"] == ids["Greek"]
    assert ids["Greeks"] != ids["Greece"]
    assert entity(entities, ids["Greeks"]).type is EntityType.OTHER


def test_an_acronym_is_no_spelling_of_a_surname(tmp_path: Path) -> None:
    analysed = story(
        tmp_path,
        {
            "alpha": "The lawyer Dara Cahn spoke to CNN on Monday.\n\nCahn said the deal was off.\n",
            "bravo": "CNN reported that Cahn had left.\n",
        },
    )
    entities, mention_map = resolve_entities(analysed)
    by_id = {e.id: e for e in entities}
    ids = {
        m.text: mention_map[(a.source.id, s.sentence.id, m.start)]
        for a in analysed
        for s in a.sentences
        for m in s.mentions
    }
    assert ids["CNN"] != ids["Dara Cahn"]
    sentence = analysed[1].sentences[0]
    assert canonical_text(sentence, by_id, mention_map) == sentence.sentence.text
