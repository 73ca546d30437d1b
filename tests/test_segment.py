"""Stage 3, segment: lossless sentence splitting and stable sentence ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import read_sources
from generator.records import ArticleMeta, CleanArticle, RemovedLine
from generator.segment import segment_article, sentence_id, split_spans


def pieces(paragraph: str) -> list[str]:
    return [paragraph[a:b] for a, b in split_spans(paragraph)]


def sentences(paragraph: str) -> list[str]:
    return [piece.strip() for piece in pieces(paragraph)]


def clean_article(*paragraphs: str, source_id: str = "daily") -> CleanArticle:
    removed = (RemovedLine(3, "Advertisement", "advertisement"),)
    return CleanArticle(source_id, Path(f"{source_id}.txt"), ArticleMeta(title="T"), paragraphs, removed)


# --- where sentences end ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Mr. Smith went home. He slept.", ["Mr. Smith went home.", "He slept."]),
        ("Dr. Jones arrived. Then he left.", ["Dr. Jones arrived.", "Then he left."]),
        ("Gen. Lee and Sen. Ford met. They agreed.", ["Gen. Lee and Sen. Ford met.", "They agreed."]),
        # U.S. before a lowercase word or a name continues the sentence...
        (
            "The U.S. military said it would stay. The U.S. Army agreed.",
            ["The U.S. military said it would stay.", "The U.S. Army agreed."],
        ),
        ("Troops left the U.S. on Monday. It rained.", ["Troops left the U.S. on Monday.", "It rained."]),
        # ...but before a clear sentence opener it ends one.
        ("They returned to the U.S. The war was over.", ["They returned to the U.S.", "The war was over."]),
        ("He met George W. Bush in 2003. They talked.", ["He met George W. Bush in 2003.", "They talked."]),
        ("J. R. Smith scored. The crowd cheered.", ["J. R. Smith scored.", "The crowd cheered."]),
        (
            "Prices rose 3.5 percent. Wages fell 0.7 percent.",
            ["Prices rose 3.5 percent.", "Wages fell 0.7 percent."],
        ),
        ("The fee is $1.25 per day. It rises in May.", ["The fee is $1.25 per day.", "It rises in May."]),
        ('"We will leave," he said. "Soon."', ['"We will leave," he said.', '"Soon."']),
        ('He said: "We will leave." Then he left.', ['He said: "We will leave."', "Then he left."]),
        ("“It is over.” Nobody argued.", ["“It is over.”", "Nobody argued."]),
        ("He left (for good.) Nobody knew why.", ["He left (for good.)", "Nobody knew why."]),
        ("Is it over? Nobody knows! We wait.", ["Is it over?", "Nobody knows!", "We wait."]),
        ("Really?! Yes.", ["Really?!", "Yes."]),
        ("Wait... What happened? Nothing.", ["Wait...", "What happened?", "Nothing."]),
        (
            "The attack killed 12 people. 30 more were hurt.",
            ["The attack killed 12 people.", "30 more were hurt."],
        ),
        ("He works for Acme Inc. The firm is big.", ["He works for Acme Inc.", "The firm is big."]),
        ("It ended at 5 p.m. and then it rained.", ["It ended at 5 p.m. and then it rained."]),
        ("Talks ended. and nothing changed.", ["Talks ended. and nothing changed."]),
        ("One sentence without a final stop", ["One sentence without a final stop"]),
    ],
)
def test_split(paragraph: str, expected: list[str]) -> None:
    assert sentences(paragraph) == expected
    assert "".join(pieces(paragraph)) == paragraph


def test_space_stays_with_the_sentence_before() -> None:
    assert pieces("One here.  Two here.") == ["One here.  ", "Two here."]
    assert split_spans("One here.  Two here.") == [(0, 11), (11, 20)]


def test_empty_paragraph_has_no_spans() -> None:
    assert split_spans("") == []


# --- losslessness -------------------------------------------------------------------------------

_SENTENCE_ALPHABET = st.sampled_from(
    [
        *"aAbBzZ019 .,;:!?…\"'“”‘’()[]-\n\t\u00a0",
        *["Mr.", "U.S.", "Dr. ", "W. ", " The ", " the ", "3.5", "etc. ", "Inc. "],
    ]
)
_PARAGRAPHS = st.one_of(
    st.text(max_size=120),
    st.lists(_SENTENCE_ALPHABET, max_size=60).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(_PARAGRAPHS)
def test_split_spans_is_lossless_and_contiguous(paragraph: str) -> None:
    spans = split_spans(paragraph)
    assert "".join(paragraph[a:b] for a, b in spans) == paragraph
    position = 0
    for start, end in spans:
        assert start == position
        assert end > start
        position = end
    assert position == len(paragraph)


# --- ids ----------------------------------------------------------------------------------------


def test_sentence_id_is_stable_and_short() -> None:
    first = sentence_id("The council approved the bridge.")
    assert first == sentence_id("The council approved the bridge.")
    assert first.startswith("s-")
    assert len(first) == 10


def test_sentence_id_ignores_case_and_spacing() -> None:
    assert sentence_id("The council  approved the bridge.") == sentence_id("the COUNCIL approved the bridge")


def test_sentence_id_differs_for_different_text() -> None:
    assert sentence_id("The council approved the bridge.") != sentence_id("The council rejected the bridge.")
    assert sentence_id("12 people died.") != sentence_id("30 people died.")


def test_ids_do_not_depend_on_position_or_source() -> None:
    a = segment_article(clean_article("First here. The bridge opens in May.", source_id="a"))
    b = segment_article(clean_article("Intro. Other. The bridge opens in May.", source_id="b"))
    assert a.sentences[1].text == b.sentences[2].text
    assert a.sentences[1].id == b.sentences[2].id


def test_duplicate_sentences_get_distinct_ids() -> None:
    source = segment_article(
        clean_article("Stay calm. The vote passed.", "Stay calm. Go home.", "Stay calm.")
    )
    calm = [s for s in source.sentences if s.text == "Stay calm."]
    assert len(calm) == 3
    base = sentence_id("Stay calm.")
    assert [s.id for s in calm] == [base, f"{base}-2", f"{base}-3"]
    ids = [s.id for s in source.sentences]
    assert len(ids) == len(set(ids))


# --- segment_article ----------------------------------------------------------------------------


def test_segment_article_keeps_paragraph_structure() -> None:
    article = clean_article(
        "The council met on Tuesday. It approved the bridge.",
        "Work starts in May.",
        "Mr. Lee said: “It is a good day.” He smiled. Nobody objected.",
    )
    source = segment_article(article)
    assert [[s.text for s in paragraph] for paragraph in source.paragraphs] == [
        ["The council met on Tuesday.", "It approved the bridge."],
        ["Work starts in May."],
        ["Mr. Lee said: “It is a good day.”", "He smiled.", "Nobody objected."],
    ]
    assert [s.index for s in source.sentences] == list(range(6))
    assert [s.paragraph for s in source.sentences] == [0, 0, 1, 2, 2, 2]
    assert all(s.source_id == "daily" for s in source.sentences)
    # Paragraph text is recovered word for word from the sentences.
    for text, paragraph in zip(article.paragraphs, source.paragraphs, strict=True):
        assert " ".join(s.text for s in paragraph) == text


def test_segment_article_carries_metadata_and_removed_lines() -> None:
    article = clean_article("One sentence here.")
    source = segment_article(article)
    assert source.id == "daily"
    assert source.path == Path("daily.txt")
    assert source.meta == article.meta
    assert source.removed == article.removed
    assert source.copy_of is None


def test_blank_paragraphs_are_dropped_and_sentence_indices_stay_dense() -> None:
    source = segment_article(clean_article("First one.", "   ", "Second one."))
    assert [[s.text for s in p] for p in source.paragraphs] == [["First one."], ["Second one."]]
    assert [s.index for s in source.sentences] == [0, 1]


# --- the headline -------------------------------------------------------------------------------


def titled(title: str | None, *paragraphs: str) -> CleanArticle:
    return CleanArticle("daily", Path("daily.txt"), ArticleMeta(title=title), paragraphs, ())


def test_the_headline_becomes_a_sentence_above_the_body() -> None:
    source = segment_article(titled("Council backs river bridge", "The council met on Tuesday. It agreed."))
    headline = source.headline
    assert headline is not None
    assert headline.headline and headline.text == "Council backs river bridge"
    assert headline.id == sentence_id("Council backs river bridge")  # derived like any sentence's
    assert (headline.index, headline.paragraph, headline.number) == (-1, -1, "H")
    assert source.citable == (headline, *source.sentences)
    # The body is numbered as if there were no headline.
    untitled = segment_article(titled(None, "The council met on Tuesday. It agreed."))
    assert untitled.headline is None and untitled.citable == untitled.sentences
    assert source.paragraphs == untitled.paragraphs
    assert [s.number for s in source.sentences] == ["1", "2"]
    assert not any(s.headline for s in source.sentences)


def test_a_headline_the_body_repeats_is_counted_once_as_body() -> None:
    # The same words (case, spacing and punctuation aside) as a body sentence.
    source = segment_article(titled("Council Backs River Bridge", "Council backs river bridge. It met."))
    assert source.headline is None
    assert [s.text for s in source.citable] == ["Council backs river bridge.", "It met."]


def test_a_headline_that_is_furniture_or_has_no_words_is_no_sentence() -> None:
    assert segment_article(titled("Subscribe to our newsletter", "The council met.")).headline is None
    assert segment_article(titled(" -- ", "The council met.")).headline is None
    assert segment_article(titled("", "The council met.")).headline is None


def test_the_headline_id_is_stable_and_follows_its_words() -> None:
    first = segment_article(titled("Council backs bridge", "It met."))
    again = segment_article(titled("Council backs bridge", "It met on Monday instead."))
    other = segment_article(titled("Council rejects bridge", "It met."))
    assert first.headline is not None and again.headline is not None and other.headline is not None
    assert first.headline.id == again.headline.id != other.headline.id


BODY = "The council met on Tuesday and approved the bridge.\n"


@pytest.mark.parametrize(
    ("name", "text", "removed"),
    [
        # plain text: the first line is taken out of the body as the headline
        ("a.txt", f"Council backs river bridge\n\n{BODY}", ()),
        # front matter gives it, and the body repeats it: the repeat is removed, and listed
        (
            "b.md",
            f"---\ntitle: Council backs river bridge\n---\nCouncil backs river bridge\n\n{BODY}",
            (RemovedLine(4, "Council backs river bridge", "repeated headline"),),
        ),
    ],
)
def test_a_first_line_that_is_headline_and_body_counts_once_and_the_body_stays_as_written(
    tmp_path: Path, name: str, text: str, removed: tuple[RemovedLine, ...]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (source,), problems = read_sources([path])
    assert problems == []
    assert source.headline is not None and source.headline.text == "Council backs river bridge"
    assert [s.text for s in source.citable] == ["Council backs river bridge", BODY.strip()]
    assert [s.text for s in source.sentences] == [BODY.strip()]
    assert source.removed == removed


def test_a_headline_that_opens_the_first_paragraph_stays_body_text(tmp_path: Path) -> None:
    path = tmp_path / "c.md"
    path.write_text(f"---\ntitle: Council backs river bridge.\n---\nCouncil backs river bridge. {BODY}")
    (source,), _ = read_sources([path])
    assert source.headline is None
    assert [s.text for s in source.sentences] == ["Council backs river bridge.", BODY.strip()]
    assert source.removed == ()
