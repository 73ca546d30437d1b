"""Stage 5, align: entity resolution, sentence grouping and copy detection."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.align import (
    Alignment,
    PairMeasure,
    align,
    find_copies,
    fold,
    mark_copies,
    name_tokens,
    pair_measures,
    resolve_entities,
    skeleton,
    vectorise,
)
from generator.analyse import analyse_sources
from generator.claims import content_count, quoted_runs, shared_quoted_words
from generator.config import settings
from generator.ingest import find_stories
from generator.pipeline import read_sources
from generator.records import AnalysedSource, ArticleMeta, Entity, EntityType, Sentence, Source
from generator.segment import sentence_id
from tests.conftest import SEED_STORY


def analysed_story(tmp_path: Path, articles: dict[str, str]) -> tuple[AnalysedSource, ...]:
    """Write each article to `<name>.txt` and run ingest, clean, segment and analyse on them."""
    paths = []
    for name, text in articles.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    sources, problems = read_sources(paths)
    assert problems == []
    return analyse_sources(sources)


def entity_of(
    analysed: tuple[AnalysedSource, ...], mention_map: dict[tuple[str, str, int], str], surface: str
) -> set[str]:
    """The entity ids every mention written exactly as `surface` resolved to."""
    found = {
        mention_map[(a.source.id, s.sentence.id, m.start)]
        for a in analysed
        for s in a.sentences
        for m in s.mentions
        if m.text == surface
    }
    assert found, f"no mention {surface!r}"
    return found


def entity_named(entities: tuple[Entity, ...], entity_id: str) -> Entity:
    return next(e for e in entities if e.id == entity_id)


# --- name keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kadhimi", "Kazmi"),
        ("Fuad", "Fawad"),
        ("Hussein", "Husain"),
        ("Mohammed", "Muhammad"),
        ("Qasim", "Kassem"),
    ],
)
def test_skeleton_equal_for_transliterations(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(("a", "b"), [("Saddam", "Fuad"), ("Biden", "Blinken"), ("Kadhimi", "Hakim")])
def test_skeleton_differs_for_different_names(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_skeleton_ignores_case_and_accents() -> None:
    assert skeleton("KADHIMI") == skeleton("kadhimi") == skeleton("Kādhimī")
    assert skeleton("") == ""


def test_fold_and_name_tokens() -> None:
    assert fold("Mustafa al-Kadhimi's") == "mustafa al kadhimi"
    assert fold("U.S.") == "us"
    assert name_tokens("Mustafa al-Kadhimi") == ["mustafa", "kadhimi"]
    assert name_tokens("Abu Bakr al-Baghdadi") == ["bakr", "baghdadi"]


# --- entity resolution --------------------------------------------------------------------------

PM_ARTICLES = {
    "alpha": (
        "Iraqi Prime Minister Mustafa al-Kadhimi met officials in Baghdad on Monday.\n\n"
        "Kadhimi said the talks had gone well.\n"
    ),
    "bravo": "Prime Minister Mustafa Al-Kazmi travelled to Baghdad for the talks.\n",
    "charlie": "Mustafa Kadhimi held talks with the officials.\n",
}


def test_variants_of_one_person_merge(tmp_path: Path) -> None:
    analysed = analysed_story(tmp_path, PM_ARTICLES)
    entities, mention_map = resolve_entities(analysed)
    ids = set()
    for surface in ("Mustafa al-Kadhimi", "Mustafa Al-Kazmi", "Mustafa Kadhimi", "Kadhimi"):
        ids |= entity_of(analysed, mention_map, surface)
    assert len(ids) == 1
    entity = entity_named(entities, ids.pop())
    assert entity.type is EntityType.PERSON
    assert entity.sources == ("alpha", "bravo", "charlie")
    assert entity.mentions == 4
    assert entity.name == "Mustafa al-Kadhimi"
    assert set(entity.aliases) == {"Mustafa Al-Kazmi", "Mustafa Kadhimi", "Kadhimi"}
    assert dict(entity.spellings)["bravo"] == ("Mustafa Al-Kazmi",)


def test_every_mention_is_mapped(tmp_path: Path) -> None:
    analysed = analysed_story(tmp_path, PM_ARTICLES)
    entities, mention_map = resolve_entities(analysed)
    ids = {e.id for e in entities}
    assert len(ids) == len(entities)
    for a in analysed:
        for s in a.sentences:
            for m in s.mentions:
                assert mention_map[(a.source.id, s.sentence.id, m.start)] in ids


def test_places_resolve_to_canonical_names(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": "Iraqi officials met the envoy in the capital.\n",
            "bravo": "Officials from Iraq met the envoy.\n",
        },
    )
    entities, mention_map = resolve_entities(analysed)
    (iraq,) = entity_of(analysed, mention_map, "Iraqi") | entity_of(analysed, mention_map, "Iraq")
    entity = entity_named(entities, iraq)
    assert entity.name == "Iraq"
    assert entity.type is EntityType.PLACE


def test_different_people_sharing_a_surname_do_not_merge(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": "Foreign Minister Fuad Hussein met the envoy on Tuesday.\n",
            "bravo": "Fawad Hussein, the foreign minister, said Saddam Hussein was long gone.\n",
        },
    )
    entities, mention_map = resolve_entities(analysed)
    fuad = entity_of(analysed, mention_map, "Fuad Hussein") | entity_of(
        analysed, mention_map, "Fawad Hussein"
    )
    saddam = entity_of(analysed, mention_map, "Saddam Hussein")
    assert len(fuad) == 1
    assert len(saddam) == 1
    assert fuad != saddam
    assert entity_named(entities, saddam.pop()).sources == ("bravo",)


def test_surname_shared_by_two_full_names_joins_neither(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": "Foreign Minister Fuad Hussein met the envoy.\n\nHussein said the talks went well.\n",
            "bravo": "Saddam Hussein was toppled in 2003 by the invasion.\n",
        },
    )
    _, mention_map = resolve_entities(analysed)
    alone = entity_of(analysed, mention_map, "Hussein")
    assert alone != entity_of(analysed, mention_map, "Fuad Hussein")
    assert alone != entity_of(analysed, mention_map, "Saddam Hussein")


def test_declared_acronym_merges_with_full_name(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": "Fighters of the Islamic State (IS) fled the town on Sunday.\n",
            "bravo": "IS fighters remain active in the north of the country.\n",
        },
    )
    entities, mention_map = resolve_entities(analysed)
    ids = entity_of(analysed, mention_map, "Islamic State") | entity_of(analysed, mention_map, "IS")
    assert len(ids) == 1
    entity = entity_named(entities, ids.pop())
    assert entity.name == "Islamic State"
    assert entity.type is EntityType.ORGANIZATION
    assert "IS" in entity.aliases
    assert entity.sources == ("alpha", "bravo")


def test_unrelated_acronym_does_not_merge(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": "Fighters of the Islamic State (IS) fled the town.\n",
            "bravo": "The WHO sent doctors to the town.\n",
        },
    )
    _, mention_map = resolve_entities(analysed)
    assert entity_of(analysed, mention_map, "WHO") != entity_of(analysed, mention_map, "Islamic State")


# --- copies -------------------------------------------------------------------------------------

BRIDGE = (
    "The city council approved a new bridge over the river on Tuesday.\n\n"
    "The bridge will cost 40 million dollars, the mayor said.\n\n"
    "Construction is expected to start next spring.\n"
)


def test_find_copies_flags_a_duplicated_article(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": BRIDGE,
            "bravo": "Farmers complained about the price of grain at the market.\n\nRain is forecast.\n",
            "charlie": BRIDGE.replace("next spring", "early next year"),
        },
    )
    copies = find_copies(analysed)
    assert copies == {"charlie": "alpha"}
    marked = mark_copies(analysed, copies)
    assert [a.source.copy_of for a in marked] == [None, None, "alpha"]
    assert [a.source.id for a in marked] == ["alpha", "bravo", "charlie"]


def test_find_copies_ignores_independent_reports(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": BRIDGE,
            "bravo": "A new bridge over the river was approved by the city council on Tuesday.\n",
        },
    )
    assert find_copies(analysed) == {}


def test_copy_counts_once_in_alignment(tmp_path: Path) -> None:
    analysed = analysed_story(tmp_path, {"alpha": BRIDGE, "bravo": BRIDGE})
    copies = find_copies(analysed)
    assert copies == {"bravo": "alpha"}
    _, mention_map = resolve_entities(analysed)
    alignment = align(mark_copies(analysed, copies), mention_map, copies)
    assert alignment.independent == {"alpha": "alpha", "bravo": "alpha"}


# --- sentence groups ----------------------------------------------------------------------------


def test_paraphrases_group_and_unrelated_sentence_stays_apart(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": (
                "The city council approved a new bridge over the river on Tuesday.\n\n"
                "Construction is expected to start next spring.\n"
            ),
            "bravo": (
                "On Tuesday the city council voted to approve a new bridge across the river.\n\n"
                "Local farmers complained about the price of grain at the weekly market.\n"
            ),
            "charlie": "A new bridge over the river was approved by the city council on Tuesday.\n",
        },
    )
    _, mention_map = resolve_entities(analysed)
    alignment = align(analysed, mention_map, {})

    def group_of(fragment: str) -> set[tuple[str, str]]:
        (group,) = [g for g in alignment.groups if any(fragment in m.sentence.text for m in g.members)]
        return {(m.sentence.source_id, m.sentence.text) for m in group.members}

    bridge = group_of("new bridge")
    assert {source for source, _ in bridge} == {"alpha", "bravo", "charlie"}
    assert len(bridge) == 3
    assert group_of("farmers") == {
        ("bravo", "Local farmers complained about the price of grain at the weekly market.")
    }
    assert group_of("Construction") == {("alpha", "Construction is expected to start next spring.")}
    # Every sentence is in exactly one group.
    members = [m.sentence.id for g in alignment.groups for m in g.members]
    assert sorted(members) == sorted(s.sentence.id for a in analysed for s in a.sentences)


def test_similarity_is_symmetric_and_bounded(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": "The city council approved a new bridge over the river on Tuesday.\n",
            "bravo": "A new bridge over the river was approved by the city council on Tuesday.\n",
        },
    )
    _, mention_map = resolve_entities(analysed)
    alignment = align(analysed, mention_map, {})
    a, b = alignment.sentences
    assert alignment.sim(a, b) == alignment.sim(b, a)
    assert settings().align_link <= alignment.sim(a, b) <= 1.0 + 1e-9
    assert alignment.sim(a, a) == 1.0
    (group,) = alignment.groups
    assert set(group.members) == {a, b}


def test_sentences_of_one_source_are_not_grouped_together(tmp_path: Path) -> None:
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": (
                "The city council approved a new bridge over the river on Tuesday.\n\n"
                "A new bridge over the river was approved by the city council on Tuesday.\n"
            ),
        },
    )
    _, mention_map = resolve_entities(analysed)
    alignment = align(analysed, mention_map, {})
    assert [len(g.members) for g in alignment.groups] == [1, 1]


def test_names_in_other_scripts_become_entities(tmp_path: Path) -> None:
    from generator.analyse import analyse_sources
    from generator.pipeline import read_sources

    (tmp_path / "a.txt").write_text(
        "Владимир Путин встретился с Олегом Ивановым в Москве.\n", encoding="utf-8"
    )
    sources, _ = read_sources([tmp_path / "a.txt"])
    entities, _ = resolve_entities(analyse_sources(sources))
    assert "Владимир Путин" in [e.name for e in entities]


# --- headlines ----------------------------------------------------------------------------------


def headed(source_id: str, title: str | None, *body: str) -> Source:
    """A source of one-sentence paragraphs under an optional headline."""
    sentences = tuple((Sentence(sentence_id(t), source_id, k, k, t),) for k, t in enumerate(body))
    headline = Sentence(sentence_id(title), source_id, -1, -1, title, headline=True) if title else None
    return Source(
        source_id, Path(f"{source_id}.txt"), ArticleMeta(title=title), sentences, (), headline=headline
    )


def aligned(*sources: Source) -> Alignment:
    analysed = analyse_sources(sources)
    _, mention_map = resolve_entities(analysed)
    return align(analysed, mention_map, {})


def groups_by_label(alignment: Alignment) -> list[set[str]]:
    """Each group as {"a.H", "b.1", ...}: source id and sentence number."""
    return [{f"{m.sentence.source_id}.{m.sentence.number}" for m in g.members} for g in alignment.groups]


RAIN = "The weather office expects more rain next week."
SHOPS = "Local shops stayed open all day."
BLANKETS = "Volunteers handed out blankets at the town hall."


def test_a_headline_groups_with_the_body_sentences_that_state_its_claim() -> None:
    alignment = aligned(
        headed(
            "a",
            "Storm floods harbour town of Kelby",
            "Heavy rain flooded the harbour town of Kelby on Sunday.",
        ),
        headed("b", None, "The harbour town of Kelby was flooded by heavy rain on Sunday.", SHOPS),
    )
    groups = groups_by_label(alignment)
    assert {"a.H", "a.1", "b.1"} in groups  # its own lead and another outlet's sentence
    assert {"b.2"} in groups


def test_a_headline_joins_its_own_lead() -> None:
    alignment = aligned(
        headed(
            "a",
            "Storm floods harbour town of Kelby",
            "Heavy rain flooded the harbour town of Kelby on Sunday.",
        ),
        headed("b", None, SHOPS),
    )
    assert {"a.H", "a.1"} in groups_by_label(alignment)


def test_headlines_alone_group_with_each_other() -> None:
    alignment = aligned(
        headed("a", "Kelby mayor Ann Dale resigns over flood response", RAIN, SHOPS),
        headed("b", "Ann Dale quits as Kelby mayor after flood response criticised", BLANKETS),
    )
    assert {"a.H", "b.H"} in groups_by_label(alignment)


def test_a_headline_never_bridges_two_sentences_that_do_not_group_themselves() -> None:
    families = "The flood forced 300 families in Kelby from their homes on Sunday."
    schools = "The flood shut Kelby schools, and the mayor opened the town hall to families."
    alignment = aligned(
        headed("a", "Flood forces 300 Kelby families from homes and shuts Kelby schools", RAIN),
        headed("b", None, families, SHOPS),
        headed("c", None, schools, BLANKETS),
    )
    by_text = {s.sentence.text: s for s in alignment.sentences}
    head = next(s for s in alignment.sentences if s.sentence.headline)
    config = settings()
    # What makes this a test: the headline links to both, which are similar enough to share a group
    # through it but not linked themselves.
    assert alignment.sim(head, by_text[families]) >= config.align_link
    assert alignment.sim(head, by_text[schools]) >= config.align_link
    assert config.align_floor <= alignment.sim(by_text[families], by_text[schools]) < config.align_link
    groups = groups_by_label(alignment)
    assert {"a.H", "b.1"} in groups and {"c.1"} in groups


def test_headlines_leave_the_grouping_of_the_body_unchanged() -> None:
    (folder,) = [f for f in find_stories(SEED_STORY.parent.parent)[0] if f.directory == SEED_STORY]
    sources, _ = read_sources(folder.article_paths)
    assert sum(s.headline is not None for s in sources) >= 2

    def body_groups(sources: tuple[Source, ...]) -> set[frozenset[str]]:
        groups = (frozenset(k for k in g if not k.endswith(".H")) for g in groups_by_label(aligned(*sources)))
        return {g for g in groups if g}

    without = tuple(replace(s, headline=None) for s in sources)
    assert body_groups(sources) == body_groups(without)


def test_headlines_do_not_change_the_weights_of_body_sentences() -> None:
    sources = (
        headed(
            "a", "Storm floods harbour town of Kelby", "Heavy rain flooded the harbour town of Kelby.", RAIN
        ),
        headed("b", "Kelby flood: harbour town under water", "The harbour town of Kelby was flooded.", SHOPS),
    )
    analysed = analyse_sources(sources)
    _, mention_map = resolve_entities(analysed)
    every = [s for a in analysed for s in a.sentences]
    body = [s for s in every if not s.sentence.headline]
    weights = dict(zip((s.sentence.id for s in every), vectorise(every, mention_map), strict=True))
    assert [weights[s.sentence.id] for s in body] == vectorise(body, mention_map)


def test_a_retitled_copy_is_still_a_copy() -> None:
    # Two of three body sentences shared: a copy; counting the two different headlines, 2 of 4 would not be.
    flood = "Heavy rain flooded the harbour town of Kelby on Sunday."
    analysed = analyse_sources(
        (
            headed("a", "Storm floods Kelby", flood, SHOPS, RAIN),
            headed("b", "Kelby under water after storm", flood, SHOPS, BLANKETS),
        )
    )
    assert settings().copy_share <= 2 / 3 and settings().copy_share > 2 / 4
    assert find_copies(analysed) == {"b": "a"}


@pytest.mark.parametrize(
    ("alpha", "bravo", "one"),
    [
        # nearly similar enough, and three names and a date in common: one meeting
        (
            "Mayor Ellen Varga met Governor Tomas Reed in Lindham on Monday to discuss the bridge toll.",
            "On Monday Ellen Varga held talks with Tomas Reed at the Lindham town hall, "
            "their first since the flood.",
            True,
        ),
        # as similar, or more, with no name, number or date in common: not enough
        (
            "The mayor met the governor in Lindham on Monday to discuss the new river bridge toll.",
            "The governor held talks with the mayor at the town hall about the bridge toll, "
            "their first since the flood.",
            False,
        ),
        (
            "The mayor met the governor in Lindham to discuss the new river bridge toll.",
            "The governor held talks with the mayor at the town hall about the bridge toll after the flood.",
            False,
        ),
    ],
)
def test_a_pair_below_align_link_links_only_on_enough_shared_anchors(
    tmp_path: Path, alpha: str, bravo: str, one: bool
) -> None:
    config = settings()
    analysed = analysed_story(
        tmp_path, {"alpha": f"Council news\n\n{alpha}\n", "bravo": f"Report from the town\n\n{bravo}\n"}
    )
    measure, linked = measured_and_linked(analysed, alpha, bravo)
    assert config.align_weak_link <= measure.score < config.align_link  # the band the rule is for
    assert measure.cover < config.align_cover  # not an anchored paraphrase either
    assert linked is one


def measured_and_linked(
    analysed: tuple[AnalysedSource, ...], alpha: str, bravo: str
) -> tuple[PairMeasure, bool]:
    """The pair measure of two sentences of a story, and whether alignment puts them in one group."""
    sentences = [s for source in analysed for s in source.sentences]
    a = next(s for s in sentences if s.sentence.text == alpha)
    b = next(s for s in sentences if s.sentence.text == bravo)
    _, mention_map = resolve_entities(analysed)
    vectors = vectorise(sentences, mention_map)
    measure = pair_measures(vectors, floor=0.0, min_shared=1)[(sentences.index(a), sentences.index(b))]
    alignment = align(analysed, mention_map, {})
    group = next(g for g in alignment.groups if a in g.members)
    return measure, b in group.members


QUOTED_ALPHA = 'The lawyer said the ruling was "a cruel and cowardly verdict" and vowed to appeal at once.'


@pytest.mark.parametrize(
    ("bravo", "extra", "one"),
    [
        # one designation quoted in the same words: one statement, though little else is shared
        (
            'Hours later his client called it "a cruel and cowardly verdict" in a brief email to friends.',
            "",
            True,
        ),
        # the same words unquoted on one side are no shared quote
        (
            "Hours later his client called it a cruel and cowardly verdict in a brief email to friends.",
            "",
            False,
        ),
        # a phrase its source repeats elsewhere names a thing the story keeps returning to
        (
            'Hours later his client called the ruling "a cruel and cowardly verdict" in a brief email '
            "to friends.",
            "Critics of the cruel and cowardly verdict gathered outside.",
            False,
        ),
    ],
)
def test_a_phrase_both_sources_quote_links_their_sentences(
    tmp_path: Path, bravo: str, extra: str, one: bool
) -> None:
    config = settings()
    analysed = analysed_story(
        tmp_path,
        {
            "alpha": f"Verdict in the river case\n\n{QUOTED_ALPHA}\n",
            "bravo": f"Reaction to the ruling\n\n{bravo}\n\n{extra}\n" if extra else f"Reaction\n\n{bravo}\n",
        },
    )
    measure, linked = measured_and_linked(analysed, QUOTED_ALPHA, bravo)
    assert config.align_quote_floor <= measure.score < config.align_weak_link  # only the quote can link
    assert measure.cover < config.align_cover
    assert linked is one


def test_shared_quoted_words_are_counted_in_content_words_and_titles_count_for_nothing() -> None:
    runs = quoted_runs('He called it "the most racist and sexist trial in history" and left.')
    other = quoted_runs("It was “most racist and sexist trial” said Lee, and ''X Men Origins'' too.")
    assert shared_quoted_words(runs, other) == ("racist", "and", "sexist", "trial")
    assert content_count(shared_quoted_words(runs, other)) == 3
    titles = quoted_runs('They saw "X Men Origins" twice.')
    assert shared_quoted_words(titles, other) == ()
