"""Stage 2, clean: boilerplate removal, metadata from page furniture, paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.clean import classify_line, clean_article
from generator.records import Article, ArticleMeta, CleanArticle, Line

LEAD = "The council approved the new bridge on Tuesday after a long debate."
CLOSE = "Work on the bridge is expected to start in the spring, officials said."


def article(lines: list[str], **meta: str) -> Article:
    """An article whose body lines are numbered from 1, as if read from a file."""
    return Article(
        "example",
        Path("example.txt"),
        ArticleMeta(**meta),
        tuple(Line(number, text) for number, text in enumerate(lines, start=1)),
    )


def clean(lines: list[str], **meta: str) -> CleanArticle:
    return clean_article(article(lines, **meta))


def removed_reasons(result: CleanArticle) -> dict[int, str]:
    return {r.line: r.reason for r in result.removed}


def all_text(result: CleanArticle) -> str:
    return "\n".join(result.paragraphs)


# --- each kind of boilerplate -------------------------------------------------------------------


@pytest.mark.parametrize("prompt", ["Read more:", "Read also:", "READ MORE:"])
def test_read_more_prompt_and_its_link_line(prompt: str) -> None:
    result = clean([LEAD, prompt, "Mayor resigns after budget row", "", CLOSE])
    assert removed_reasons(result) == {2: "related-link prompt", 3: "related-link prompt"}
    assert result.paragraphs == (LEAD, CLOSE)


def test_read_also_with_inline_link() -> None:
    result = clean([LEAD, "Read also: Mayor resigns after budget row", CLOSE])
    assert removed_reasons(result) == {2: "related-link prompt"}
    assert result.paragraphs == (LEAD, CLOSE)


def test_prompt_does_not_swallow_a_following_sentence() -> None:
    follow = "The mayor said the vote was a victory for the town."
    result = clean([LEAD, "Read more:", follow])
    assert removed_reasons(result) == {2: "related-link prompt"}
    assert result.paragraphs == (LEAD, follow)


@pytest.mark.parametrize("line", ["PREV", "NEXT", "Previous article", "Next story: Storm hits the coast"])
def test_navigation(line: str) -> None:
    result = clean([LEAD, line, CLOSE])
    assert removed_reasons(result) == {2: "navigation"}
    assert result.paragraphs == (LEAD, CLOSE)


@pytest.mark.parametrize(
    "line",
    ["Sign up for our daily newsletter", "Subscribe to our morning briefing", "Get the news in your inbox"],
)
def test_newsletter_prompt(line: str) -> None:
    result = clean([LEAD, line, CLOSE])
    assert removed_reasons(result) == {2: "newsletter prompt"}
    assert result.paragraphs == (LEAD, CLOSE)


@pytest.mark.parametrize("line", ["Follow us on Twitter", "Like us on Facebook", "Share this article"])
def test_follow_and_share_prompts(line: str) -> None:
    result = clean([LEAD, line, CLOSE])
    assert removed_reasons(result) == {2: "sharing prompt"}


@pytest.mark.parametrize(
    "line",
    ["Post a Comment", "0 Comments", "12 comments", "Please enter your name here", "Leave a Reply"],
)
def test_comment_form(line: str) -> None:
    result = clean([LEAD, line, CLOSE])
    assert removed_reasons(result) == {2: "comment form"}
    assert result.paragraphs == (LEAD, CLOSE)


def test_publication_footer_gives_outlet() -> None:
    result = clean([LEAD, CLOSE, "Published at www.example.com"])
    assert removed_reasons(result) == {3: "publication footer"}
    assert result.meta.outlet == "example.com"
    assert result.paragraphs == (LEAD, CLOSE)


def test_publication_footer_keeps_existing_outlet() -> None:
    result = clean([LEAD, "Posted on https://www.example.org/"], outlet="Example Daily")
    assert removed_reasons(result) == {2: "publication footer"}
    assert result.meta.outlet == "Example Daily"


@pytest.mark.parametrize("line", ["April 7, 2021", "7 April 2021", "Wednesday, April 7, 2021", "2021-04-07"])
def test_dateline_gives_published(line: str) -> None:
    result = clean([line, LEAD, CLOSE])
    assert removed_reasons(result) == {1: "dateline"}
    assert result.meta.published == "2021-04-07"
    assert result.paragraphs == (LEAD, CLOSE)


def test_dateline_does_not_override_published() -> None:
    result = clean(["April 9, 2021", LEAD], published="2021-04-07")
    assert removed_reasons(result) == {1: "dateline"}
    assert result.meta.published == "2021-04-07"


def test_sentence_with_a_date_is_not_a_dateline() -> None:
    line = "The vote took place on April 7, 2021."
    result = clean([line])
    assert result.removed == ()
    assert result.meta.published is None
    assert result.paragraphs == (line,)


def test_byline_gives_author() -> None:
    result = clean(["By Jane Doe", LEAD, CLOSE])
    assert removed_reasons(result) == {1: "byline"}
    assert result.meta.author == "Jane Doe"
    assert result.paragraphs == (LEAD, CLOSE)


def test_lowercase_byline_gives_author() -> None:
    # The form the rule does catch today; guards the metadata plumbing itself.
    result = clean(["by Jane Doe", LEAD])
    assert removed_reasons(result) == {1: "byline"}
    assert result.meta.author == "Jane Doe"


def test_repeated_headline_lines() -> None:
    title = "Council Backs New Bridge Over River"
    result = clean([title, LEAD, "COUNCIL BACKS NEW BRIDGE OVER RIVER", CLOSE], title=title)
    assert removed_reasons(result) == {1: "repeated headline", 3: "repeated headline"}
    assert result.paragraphs == (LEAD, CLOSE)


def test_truncated_headline_is_repeated_headline() -> None:
    title = "Council backs new bridge over the river after a long debate"
    result = clean(["Council backs new bridge over the", LEAD], title=title)
    assert removed_reasons(result) == {1: "repeated headline"}


@pytest.mark.parametrize(
    "line", ["(John Smith / Staff Photographer)", "Photo: Jane Doe", "(AP Photo/Jane Doe)", "Getty Images"]
)
def test_photo_credit(line: str) -> None:
    result = clean([LEAD, line, CLOSE])
    assert removed_reasons(result) == {2: "photo credit"}
    assert result.paragraphs == (LEAD, CLOSE)


def test_repeated_short_line_removed_after_first() -> None:
    line = "Residents have until Friday to object."
    result = clean([LEAD, line, CLOSE, line])
    assert removed_reasons(result) == {4: "repeated line"}
    assert result.paragraphs == (LEAD, line, CLOSE)


@pytest.mark.parametrize(("line", "reason"), [("Advertisement", "advertisement"), ("* * *", "no words")])
def test_other_furniture(line: str, reason: str) -> None:
    assert removed_reasons(clean([LEAD, line, CLOSE])) == {2: reason}


# --- removed lines are reported exactly ---------------------------------------------------------


def test_removed_lines_carry_number_text_and_reason() -> None:
    lines = [
        "April 7, 2021",
        "",
        LEAD,
        "  Follow us on Twitter  ",
        "",
        CLOSE,
        "0 Comments",
    ]
    result = clean(lines)
    assert [(r.line, r.text, r.reason) for r in result.removed] == [
        (1, "April 7, 2021", "dateline"),
        (4, "Follow us on Twitter", "sharing prompt"),
        (7, "0 Comments", "comment form"),
    ]


def test_line_numbers_come_from_the_file_not_the_position() -> None:
    raw = Article(
        "example",
        Path("example.md"),
        ArticleMeta(),
        (Line(8, LEAD), Line(9, ""), Line(10, "Sign up for our newsletter"), Line(11, CLOSE)),
    )
    result = clean_article(raw)
    assert [(r.line, r.reason) for r in result.removed] == [(10, "newsletter prompt")]


# --- reporting is kept word for word ------------------------------------------------------------


def test_reporting_lines_are_kept_word_for_word() -> None:
    lines = [
        "  The council approved the  new bridge on Tuesday;   it will cost $40m.  ",
        "",
        "“We are delighted,” said Mayor Ann Lee — who had campaigned for it.",
    ]
    result = clean(lines)
    assert result.removed == ()
    assert result.paragraphs == (
        "The council approved the  new bridge on Tuesday;   it will cost $40m.",
        "“We are delighted,” said Mayor Ann Lee — who had campaigned for it.",
    )


def test_long_line_containing_subscribe_is_kept() -> None:
    line = (
        "Residents who subscribe to the view that the bridge is far too expensive gathered outside "
        "the town hall on Tuesday evening to argue that the money would be better spent on schools, "
        "roads and the long-delayed repairs to the old harbour wall."
    )
    assert len(line.split()) >= 40
    result = clean([LEAD, line, CLOSE])
    assert result.removed == ()
    assert line in result.paragraphs


def test_classify_line_is_none_for_reporting() -> None:
    assert classify_line(LEAD) is None
    assert classify_line(CLOSE) is None


@pytest.mark.parametrize(
    "line",
    [
        "Next week, the minister will travel to Paris for talks.",
        "Home prices rose 5% last year, the agency said.",
        "Search teams found two more bodies on Sunday.",
        "Popular anger has grown since the vote.",
    ],
)
def test_reporting_sentences_starting_with_navigation_words_are_kept(line: str) -> None:
    result = clean([LEAD, line, CLOSE])
    assert result.removed == ()
    assert result.paragraphs == (LEAD, line, CLOSE)


# --- paragraphs ---------------------------------------------------------------------------------


def test_hard_wrapped_lines_join_into_one_paragraph() -> None:
    lines = [
        "The council approved the new bridge",
        "on Tuesday after a debate that lasted",
        "more than six hours.",
        "",
        "Work starts in the spring.",
    ]
    result = clean(lines)
    assert result.paragraphs == (
        "The council approved the new bridge on Tuesday after a debate that lasted more than six hours.",
        "Work starts in the spring.",
    )


def test_line_ending_a_sentence_ends_a_paragraph() -> None:
    result = clean([LEAD, CLOSE])
    assert result.paragraphs == (LEAD, CLOSE)


def test_removed_line_breaks_a_paragraph() -> None:
    result = clean(["The council approved the bridge", "Advertisement", "after a long debate."])
    assert result.paragraphs == ("The council approved the bridge", "after a long debate.")


def test_clean_keeps_identity_fields() -> None:
    result = clean([LEAD], title="A title", url="https://example.com/a")
    assert result.source_id == "example"
    assert result.path == Path("example.txt")
    assert result.meta.title == "A title"
    assert result.meta.url == "https://example.com/a"


def test_full_synthetic_article() -> None:
    title = "Council Backs New Bridge"
    lines = [
        "Wednesday, April 7, 2021",
        "(John Smith / Staff Photographer)",
        title,
        "",
        "The council approved the new bridge",
        "on Tuesday after a long debate.",
        "Read more:",
        "Mayor resigns after budget row",
        CLOSE,
        "PREV",
        "NEXT",
        "Sign up for our newsletter",
        "Follow us on Facebook",
        "Post a Comment",
        "Please enter your name here",
        "Published at www.example.com",
    ]
    result = clean(lines, title=title)
    assert result.paragraphs == (LEAD, CLOSE)
    assert result.meta.published == "2021-04-07"
    assert result.meta.outlet == "example.com"
    assert removed_reasons(result) == {
        1: "dateline",
        2: "photo credit",
        3: "repeated headline",
        7: "related-link prompt",
        8: "related-link prompt",
        10: "navigation",
        11: "navigation",
        12: "newsletter prompt",
        13: "sharing prompt",
        14: "comment form",
        15: "comment form",
        16: "publication footer",
    }


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Read or Share this story: https://example.com/abc", "sharing prompt"),
        ("Share this article", "sharing prompt"),
        ("A man waves a flag in the square. (Photo by Jane Doe for Example News)", "photo caption"),
        ("The mayor said she would read the story aloud to the council on Monday.", None),
        ("The photo by the river (which she took) won a prize.", None),
    ],
)
def test_sharing_prompts_and_credited_captions(line: str, reason: str | None) -> None:
    assert classify_line(line) == reason


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Image copyright Example Images Image caption A woman waves a flag", "photo caption"),
        ("A man holds a sign in the square./Handout via REUTERS", "photo credit"),
        ("Jane Doe/Getty Images", "photo credit"),
        ("On a mobile device? Click here to watch video.", "media placeholder"),
        ("1 of 12 Full Screen Autoplay Close Skip Ad", "media placeholder"),
        ("Follow Example News on Twitter and Facebook.", "sharing prompt"),
        ("AP writers Jane Doe and John Roe contributed to this report.", "credit line"),
        ("More: Storm hits the coast", "related-link prompt"),
        ("Hit the jump for more on why the film may miss its date.", "related-link prompt"),
        ("These crawls are part of an effort to archive pages as they are created.", "archive placeholder"),
        ("Privacy Policy", "cookie notice"),
        ("We use cookies to improve your experience", "cookie notice"),
        # Reporting that mentions the same words stays.
        ("The privacy policy for the new TVs allows the company to collect data.", None),
        ("He said the pictures went to Getty Images/Reuters.", None),
        ("Iraq/Syria", None),
        ("More than 40 people were hurt.", None),
        ("The jump in prices after the jump in demand surprised traders.", None),
        ("She cleared the bar but fell after the jump.", None),
    ],
)
def test_captions_players_credits_and_notices(line: str, reason: str | None) -> None:
    assert classify_line(line) == reason


def test_a_line_of_underscores_has_no_words() -> None:
    article = Article("a", Path("a.txt"), ArticleMeta(), (Line(1, "The bridge opened."), Line(2, "___")))
    assert [r.reason for r in clean_article(article).removed] == ["no words"]
