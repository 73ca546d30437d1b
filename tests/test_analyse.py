"""Stage 4, analyse: terms, name mentions, quantities and dates of single sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.analyse import analyse_sentence, analyse_sources, assess_source, fused_stamp_end, term
from generator.records import (
    AnalysedSentence,
    ArticleMeta,
    EntityType,
    Mention,
    RemovedLine,
    Sentence,
    Severity,
    Source,
)

PUBLISHED = "2021-04-07"  # a Wednesday


def analyse(
    text: str, published: str | None = PUBLISHED, lowercase: frozenset[str] = frozenset()
) -> AnalysedSentence:
    return analyse_sentence(Sentence("s-test", "src", 0, 0, text), published, lowercase)


def mentions(text: str, **kwargs: object) -> list[tuple[str, EntityType]]:
    return [(m.text, m.type) for m in analyse(text, **kwargs).mentions]  # type: ignore[arg-type]


def mention(text: str, surface: str) -> Mention:
    return next(m for m in analyse(text).mentions if m.text == surface)


# --- names --------------------------------------------------------------------------------------


def test_mentions_split_at_titles() -> None:
    text = "Iraqi Prime Minister Mustafa al-Kadhimi met officials in Baghdad."
    found = analyse(text).mentions
    assert [(m.text, m.type) for m in found] == [
        ("Iraqi", EntityType.PLACE),
        ("Mustafa al-Kadhimi", EntityType.PERSON),
        ("Baghdad", EntityType.PLACE),
    ]
    person = found[1]
    assert person.titled
    assert text[person.start : person.end] == "Mustafa al-Kadhimi"


def test_mention_spans_match_the_text() -> None:
    text = "Later, President Joe Biden's envoy flew to Paris."
    for m in analyse(text).mentions:
        assert text[m.start : m.end] == m.text
    assert mentions(text) == [("Joe Biden", EntityType.PERSON), ("Paris", EntityType.PLACE)]


def test_multiword_title_with_of() -> None:
    assert mentions("He spoke to Secretary of State Antony Blinken on Tuesday.") == [
        ("Antony Blinken", EntityType.PERSON)
    ]


def test_acronyms_are_kept() -> None:
    found = mentions("The attack was claimed by IS, also known as ISIS.")
    assert found == [("IS", EntityType.ORGANIZATION), ("ISIS", EntityType.ORGANIZATION)]


def test_declared_acronym_marks_an_organisation() -> None:
    found = mentions("Fighters of the Islamic State (IS) fled the town.", lowercase=frozenset({"fighters"}))
    assert found == [("Islamic State", EntityType.ORGANIZATION), ("IS", EntityType.ORGANIZATION)]


def test_organisation_word_makes_an_organisation() -> None:
    assert mentions("He joined the Popular Mobilization Forces last year.") == [
        ("Popular Mobilization Forces", EntityType.ORGANIZATION)
    ]


@pytest.mark.parametrize(
    "text",
    ["However, the troops left the base.", "The talks went well.", "According to officials, talks resumed."],
)
def test_sentence_initial_function_words_are_not_names(text: str) -> None:
    assert mentions(text) == []


def test_sentence_initial_word_used_lowercase_elsewhere_is_not_a_name() -> None:
    text = "Officials said the talks would resume."
    assert mentions(text, lowercase=frozenset({"officials"})) == []


def test_sentence_initial_name_is_kept() -> None:
    assert mentions("However, Joe Biden said little.") == [("Joe Biden", EntityType.PERSON)]
    assert mentions("Baghdad officials agreed.", lowercase=frozenset({"baghdad"})) == [
        ("Baghdad", EntityType.PLACE)
    ]


def test_analyse_sources_uses_lowercase_words_of_the_whole_story() -> None:
    sentences = (
        Sentence("s-1", "a", 0, 0, "Officials said the bridge will open next month."),
        Sentence("s-2", "a", 1, 0, "The officials welcomed Mayor Ann Lee's plan."),
    )
    source = Source("a", Path("a.txt"), ArticleMeta(published=PUBLISHED), (sentences,), ())
    (analysed,) = analyse_sources((source,))
    assert analysed.source is source
    assert [s.sentence for s in analysed.sentences] == list(sentences)
    assert analysed.sentences[0].mentions == ()
    assert [(m.text, m.type) for m in analysed.sentences[1].mentions] == [("Ann Lee", EntityType.PERSON)]
    # The article's own date anchors relative dates.
    assert analyse_sources((source,))[0].sentences[0].dates[0].iso == "2021-05"


def test_place_inside_hyphenated_adjective() -> None:
    assert mentions("The US-led coalition stayed.") == [("US", EntityType.PLACE)]


def test_run_of_places_is_several_mentions() -> None:
    assert mentions("He met US Iraqi officials.") == [("US", EntityType.PLACE), ("Iraqi", EntityType.PLACE)]


def test_sentence_initial_on_is_not_a_name() -> None:
    assert mentions("On Monday the troops left Baghdad.") == [("Baghdad", EntityType.PLACE)]


def test_place_names_starting_with_new_are_kept_whole() -> None:
    assert mentions("He flew to New York on Friday.") == [("New York", EntityType.PLACE)]


def test_title_without_period_makes_a_person() -> None:
    found = mention("He met Mr Biden on Monday.", "Biden")
    assert found.type is EntityType.PERSON
    assert found.titled


def test_title_with_period_makes_a_person() -> None:
    found = mention("He met Mr. Biden on Monday.", "Biden")
    assert found.type is EntityType.PERSON
    assert found.titled


# --- quantities ---------------------------------------------------------------------------------


def test_quantity_with_place_modifier() -> None:
    (quantity,) = analyse("About 2,500 US troops remain in the country.").quantities
    assert quantity.value == 2500
    assert quantity.unit == "troop"
    assert quantity.modifier == "united states"
    assert quantity.text == "2,500"
    assert quantity.hedged


def test_unhedged_quantity() -> None:
    (quantity,) = analyse("The attack killed 12 people in the market.").quantities
    assert (quantity.value, quantity.unit, quantity.hedged, quantity.modifier) == (12, "person", False, "")


@pytest.mark.parametrize("hedge", ["at least", "more than", "nearly", "some", "up to"])
def test_hedged_quantity(hedge: str) -> None:
    (quantity,) = analyse(f"The attack killed {hedge} 30 people.").quantities
    assert quantity.value == 30
    assert quantity.unit == "person"
    assert quantity.hedged


def test_currency_with_scale() -> None:
    (quantity,) = analyse("The deal is worth $3 billion over five years.").quantities[:1]
    assert quantity.value == 3_000_000_000
    assert quantity.unit == "$"
    assert quantity.text == "$3 billion"


@pytest.mark.parametrize(
    "text", ["Turnout was 45% in the capital.", "Turnout was 45 percent in the capital."]
)
def test_percentages(text: str) -> None:
    (quantity,) = analyse(text).quantities
    assert (quantity.value, quantity.unit) == (45, "%")


def test_decimal_with_scale() -> None:
    (quantity,) = analyse("Some 1.5 million people fled the fighting.").quantities
    assert quantity.value == 1_500_000
    assert quantity.unit == "person"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("House Delays Vote on $1 Trillion Bipartisan Infrastructure Bill.", 1e12),
        ("The House delayed a vote on the $1 trillion bill.", 1e12),
        ("PLAN COSTS $2 BILLION", 2e9),
        ("Fund Raises $3 Million From Members", 3e6),
        ("12 Thousand Oaks residents voted.", 12),  # a capital scale word without a currency is a name
        ("They raised $4 bn.", 4e9),
        ("He drove 3 MN roads.", 3),  # an abbreviation scales only in lower case
    ],
)
def test_scale_words_in_any_case(text: str, value: float) -> None:
    (quantity,) = analyse(text).quantities
    assert quantity.value == value


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Mo bleeds 76ers.", []),  # a number written into a name counts nothing
        ("The 49ers won 24-10.", [24, 10]),
        ("Winds hit 20mph on Sunday.", [20]),  # a unit written onto the number still counts
        ("About 1,200 troops left.", [1200]),
        ("The 2,000kms trek.", [2000]),
        ("A 1.8GHz chip and a 12.5KMS route.", [1.8, 12.5]),  # the whole number, never a part
        ("It rose 50percent.", [50]),
    ],
)
def test_a_number_inside_a_word_is_no_quantity(text: str, values: list[float]) -> None:
    assert [q.value for q in analyse(text).quantities] == values


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        (
            "Updated: May 24, 2005, 3:23 PM ET Maurice Cheeks is coach again.",
            "Maurice Cheeks is coach again.",
        ),
        ("Updated Thu 6 May 2010, 9:03am AEST Three people died.", "Three people died."),
        ("Published 12/03/2021 14:05 GMT Bart Simpson spoke.", "Bart Simpson spoke."),
        ("Posted: May 24, 2005 Billy King spun the door.", "Billy King spun the door."),
        ("May 3, 2013 | 8:20 am Lindsay Lohan checked in.", "Lindsay Lohan checked in."),
        ("May 2, 2013, 1:12 PM", ""),
        ("May 2, 2013 1:35 pm.", ""),
        ("Thu 6 May 2010 - 09:03 GMT Three people died.", "Three people died."),
        ("May 3, 2013 at 1:10 pm the quake struck.", "May 3, 2013 at 1:10 pm the quake struck."),
        ("Updated May 24, 2005 Mark Jackson said it.", "Mark Jackson said it."),  # "Mark" is no month
        ("Updated May 24, 2005 12 people died.", "12 people died."),  # one date, then the claim
        # not stamps: no month, year or date in figures after the word
        ("Updated: 12 Marines killed in Helmand.", "Updated: 12 Marines killed in Helmand."),
        ("Posted 5 comments.", "Posted 5 comments."),
        ("Updated plans were released in May.", "Updated plans were released in May."),
        ("Published in 2005, the book sold well.", "Published in 2005, the book sold well."),
    ],
)
def test_a_fused_page_stamp_is_no_part_of_the_claim(text: str, rest: str) -> None:
    assert text[fused_stamp_end(text) :] == rest
    analysed = analyse(text)
    if rest != text:  # its date, time and words are not the sentence's
        assert all(d.start >= len(text) - len(rest) for d in analysed.dates)
        assert all(q.start >= len(text) - len(rest) for q in analysed.quantities)
        assert not {"updat", "post", "publish", "et", "pm"} & set(analysed.terms)


def test_word_numbers() -> None:
    (quantity,) = analyse("The blast killed twelve soldiers.").quantities
    assert (quantity.value, quantity.unit) == (12, "troop")


def test_synonym_units_agree() -> None:
    troops = analyse("They sent 500 troops.").quantities[0]
    soldiers = analyse("They sent 500 soldiers.").quantities[0]
    assert troops.unit == soldiers.unit == "troop"


@pytest.mark.parametrize(
    "text",
    [
        "In 2014 some 5,000 troops were sent.",
        "Since 2014, 5,000 troops have been based there.",
        "The 2019 protests drew 5,000 troops onto the streets.",
        "On 7 April 2021 the army sent 5,000 troops.",
    ],
)
def test_years_are_not_quantities(text: str) -> None:
    found = analyse(text).quantities
    assert [(q.value, q.unit) for q in found] == [(5000, "troop")]


# --- dates --------------------------------------------------------------------------------------


def dates(text: str, published: str | None = PUBLISHED) -> list[tuple[str, str, str | None]]:
    return [(d.text, d.kind, d.iso) for d in analyse(text, published).dates]


def test_full_date() -> None:
    assert dates("The war began on 7 April 2021.") == [("7 April 2021", "day", "2021-04-07")]
    assert dates("The war began on April 7, 2021.") == [("April 7, 2021", "day", "2021-04-07")]


def test_day_and_month_take_the_article_year() -> None:
    assert dates("The troops left on 5 March.") == [("5 March", "day", "2021-03-05")]
    assert dates("The troops left on 5 March.", published=None) == [("5 March", "day", None)]


def test_month_and_year() -> None:
    assert dates("The talks ended in March 2019.") == [("March 2019", "month", "2019-03")]


def test_year_alone() -> None:
    found = analyse("The group rose to power in 2014.").dates
    assert [(d.text, d.kind, d.iso) for d in found] == [("2014", "year", "2014")]
    assert found[0].context == ("rise", "power")


def test_weekday_resolved_against_published_date() -> None:
    assert dates("The talks ended on Monday.") == [("Monday", "weekday", "2021-04-05")]
    assert dates("The talks ended on Wednesday.") == [("Wednesday", "weekday", "2021-04-07")]
    assert dates("The talks ended on Monday.", published=None) == [("Monday", "weekday", None)]


@pytest.mark.parametrize(
    ("phrase", "iso"),
    [
        ("last year", "2020"),
        ("next year", "2022"),
        ("last month", "2021-03"),
        ("yesterday", "2021-04-06"),
        ("tomorrow", "2021-04-08"),
        ("last week", "2021-03-31"),
    ],
)
def test_relative_dates(phrase: str, iso: str) -> None:
    assert dates(f"The troops arrived {phrase}.") == [(phrase, "relative", iso)]


def test_relative_date_across_a_year_end() -> None:
    assert dates("It happened last month.", published="2021-01-15") == [("last month", "relative", "2020-12")]


def test_several_dates_in_order() -> None:
    found = dates("It began in 2014, peaked in March 2019 and ended on 7 April 2021.")
    assert found == [
        ("2014", "year", "2014"),
        ("March 2019", "month", "2019-03"),
        ("7 April 2021", "day", "2021-04-07"),
    ]


# --- terms --------------------------------------------------------------------------------------


def test_said_and_says_are_the_same_term() -> None:
    assert term("said") == term("says")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("troops", "forces"),
        ("troops", "soldiers"),
        ("troop", "Personnel"),
        ("took", "takes"),
        ("withdrew", "withdrawal"),
        ("killed", "kills"),
        ("deaths", "died"),
        ("deal", "agreement"),
        ("people", "person"),
        ("children", "child"),
    ],
)
def test_terms_fold_irregulars_and_synonyms(a: str, b: str) -> None:
    assert term(a) is not None
    assert term(a) == term(b)


@pytest.mark.parametrize(("a", "b"), [("troops", "people"), ("kill", "wound"), ("deal", "talks")])
def test_different_words_are_different_terms(a: str, b: str) -> None:
    assert term(a) != term(b)


@pytest.mark.parametrize("word", ["the", "and", "2014", "12", "'s"])
def test_stopwords_and_numbers_have_no_term(word: str) -> None:
    assert term(word) is None


def test_possessive_is_stripped() -> None:
    assert term("government's") == term("government") == term("governments")


def test_inflections_of_a_stopword_agree() -> None:
    assert term("told") == term("tells") == term("telling")
    assert term("said") == term("saying")


def test_sentence_terms_exclude_names_and_stopwords() -> None:
    analysed = analyse("Iraqi Prime Minister Mustafa al-Kadhimi said troops would withdraw.")
    assert "troop" in analysed.terms
    assert term("withdraw") in analysed.terms
    assert term("said") not in analysed.terms
    assert not any("kadhimi" in t or "mustafa" in t for t in analysed.terms)


@pytest.mark.parametrize(
    ("sentence", "name", "kind"),
    [
        ("The US sent troops as part of Operation Inherent Resolve.", "Operation Inherent Resolve", "other"),
        ("They met in Nasr City on Monday.", "Nasr City", "place"),
        ("Two rockets hit a village near Balad on Sunday.", "Balad", "place"),
        ("The Patriot Act was renewed.", "Patriot Act", "other"),
    ],
)
def test_events_and_places_are_typed_by_their_shape(sentence: str, name: str, kind: str) -> None:
    found = dict(
        (m.text, m.type.value) for m in analyse_sentence(Sentence("s-1", "src", 0, 0, sentence)).mentions
    )
    assert found[name] == kind


# --- the per-source report ----------------------------------------------------------------------


def _source(text: str, removed: int = 0, language: str | None = None) -> Source:
    sentences = tuple(
        Sentence(f"s-{k:08x}", "a", k, 0, part.strip() + ".")
        for k, part in enumerate(text.split("."))
        if part.strip()
    )
    furniture = tuple(
        RemovedLine(k + 1, "Share this story on Facebook and Twitter now", "sharing prompt")
        for k in range(removed)
    )
    return Source("a", Path("a.txt"), ArticleMeta(language=language), (sentences,), furniture)


def _messages(source: Source) -> list[str]:
    return [note.message for note in assess_source(source)]


ENGLISH = (
    "The council approved the new bridge on Tuesday. It will be built over the river by a company "
    "from the north of the country, and the work is expected to take two years to finish."
)


def test_a_clean_english_source_has_nothing_to_report() -> None:
    assert _messages(_source(ENGLISH)) == []


def test_mostly_page_furniture_is_reported() -> None:
    (message,) = _messages(_source(ENGLISH, removed=8))
    assert message.startswith("mostly page furniture: ") and "(8 lines)" in message


def test_a_source_not_in_english_is_reported() -> None:
    spanish = (
        "El consejo aprobó el nuevo puente el martes. Será construido sobre el río por una empresa "
        "del norte del país, y se espera que las obras duren dos años en total según los planes."
    )
    assert _messages(_source(spanish))[0].startswith("probably not English")
    assert _messages(_source(ENGLISH, language="pt-BR")) == ["not English: its language is given as pt-br"]


def test_signs_of_machine_translation_are_reported() -> None:
    (message,) = _messages(
        _source("The United States agreed, on Wednesday (7), to withdraw ” , the statement said. " + ENGLISH)
    )
    assert message.startswith("possibly machine-translated: 1 × a day number")
    assert "1 × a space before punctuation" in message
    assert all(note.severity is Severity.INFO for note in assess_source(_source(ENGLISH, removed=8)))


# --- the headline -------------------------------------------------------------------------------


def _headlined(headline: str, body: str) -> Source:
    """A source of one body sentence under a headline."""
    return Source(
        "src",
        Path("src.txt"),
        ArticleMeta(published=PUBLISHED),
        ((Sentence("s-body", "src", 0, 0, body),),),
        (),
        headline=Sentence("s-head", "src", -1, -1, headline, True),
    )


def test_the_headline_is_analysed_like_a_body_sentence_and_title_case_is_not_a_name() -> None:
    source = _headlined(
        "Council Approves New Bridge Over River In Springfield",
        "The city council approves a new bridge over the river in Springfield.",
    )
    (analysed,) = analyse_sources((source,))
    first, second = analysed.sentences
    assert first.sentence is source.headline and second.sentence.id == "s-body"
    assert [m.text for m in first.mentions] == ["Springfield"]  # not "Council Approves New Bridge ..."
    assert {"council", "approv", "bridg", "river"} <= set(first.terms)
    body_only = Source("src", Path("src.txt"), source.meta, source.paragraphs, ())
    assert assess_source(source) == assess_source(body_only)


def test_a_word_of_a_title_case_headline_that_no_sentence_capitalises_is_no_name() -> None:
    """In strict title case, capitals say nothing: a word the story never writes capitalised
    inside a sentence ("Flips") is a word, while the names it does write there stay names."""
    body = "On Tuesday the Obama administration reversed a rule that George Bush made."
    (analysed,) = analyse_sources(
        (_headlined("Obama Administration Flips Bush Endangered Species Ruling", body),)
    )
    mentions = [m.text for m in analysed.sentences[0].mentions]
    assert "Bush" in mentions and not any("Flips" in m for m in mentions)
    assert "flip" in analysed.sentences[0].terms
    # A headline in sentence case keeps its names, even when most of its words are names.
    (analysed,) = analyse_sources((_headlined("Coach Maurice Tallow was fired on Saturday.", body),))
    assert "Maurice Tallow" in [m.text for m in analysed.sentences[0].mentions]
