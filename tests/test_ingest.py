"""Stage 1, ingest: reading article files and story folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import ingest_text
from generator.ingest import find_stories, parse_date, read_article, source_id_for
from generator.records import Article, ArticleMeta, Problem, Severity
from tests.conftest import read_ok, write

BODY = "The council approved the new bridge on Tuesday.\n\nWork starts in May.\n"


def read_problem(path: Path) -> Problem:
    result = read_article(path)
    assert isinstance(result, Problem), result
    assert result.path == path
    return result


def texts(article: Article) -> list[str]:
    return [line.text for line in article.lines]


# --- encodings ----------------------------------------------------------------------------------


def test_utf8_is_decoded(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "The café reopened.\nMore news.\n".encode()))
    assert texts(article)[0] == "The café reopened."


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", b"\xef\xbb\xbf" + "The café reopened.\nMore.\n".encode()))
    assert texts(article)[0] == "The café reopened."
    assert "\ufeff" not in "".join(texts(article))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    text = "The café reopened.\nMore news.\n"
    raw = text.encode(codec)
    if codec == "utf-16-le":
        raw = b"\xff\xfe" + raw
    elif codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    article = read_ok(write(tmp_path / "a.txt", raw))
    assert texts(article)[:2] == ["The café reopened.", "More news."]


def test_cp1252_bytes_fall_back(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", b"The caf\xe9 \x93quoted\x94 us.\nMore news.\n"))
    assert texts(article)[0] == "The café “quoted” us."


def test_crlf_line_ends_are_unified(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", b"First line here.\r\nSecond line here.\r\n"))
    assert texts(article)[:2] == ["First line here.", "Second line here."]


def test_non_breaking_and_zero_width_spaces_are_normalised(tmp_path: Path) -> None:
    raw = "Ten\u00a0people\u202fleft the\u200b city\u2060 on\u2009foot.\nMore news.\n"
    article = read_ok(write(tmp_path / "a.txt", raw))
    assert texts(article)[0] == "Ten people left the city on foot."


def test_soft_hyphen_removed_and_nfc_applied(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "gov\u00adernment cafe\u0301.\nMore news.\n"))
    assert texts(article)[0] == "government café."


def notes(article: Article) -> list[str]:
    assert all(note.severity is Severity.INFO for note in article.notes)
    return [note.message for note in article.notes]


def test_plain_utf8_has_no_notes(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "The café “reopened”.\nMore news.\n".encode()))
    assert article.notes == ()


def test_utf8_bom_is_not_a_repair(tmp_path: Path) -> None:
    assert read_ok(write(tmp_path / "a.txt", b"\xef\xbb\xbfThe cafe reopened.\n")).notes == ()


@pytest.mark.parametrize(
    ("codec", "bom", "label"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16 LE"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 BE"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 LE"),
        ("utf-32-be", b"\x00\x00\xfe\xff", "UTF-32 BE"),
    ],
)
def test_byte_order_marks_are_noted(tmp_path: Path, codec: str, bom: bytes, label: str) -> None:
    raw = bom + "The café “reopened”.\nMore news.\n".encode(codec)
    article = read_ok(write(tmp_path / "a.txt", raw))
    assert texts(article)[:2] == ["The café “reopened”.", "More news."]
    assert notes(article) == [f"decoded as {label} (byte order mark)"]


def test_cp1252_is_noted(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", b"The caf\xe9 \x93quoted\x94 us.\nMore news.\n"))
    assert texts(article)[0] == "The café “quoted” us."
    assert notes(article) == ["decoded as cp1252 (not valid UTF-8)"]


def test_latin1_when_not_cp1252_either(tmp_path: Path) -> None:
    # 0x81 is not a cp1252 character; latin-1 reads every byte.
    article = read_ok(write(tmp_path / "a.txt", b"The caf\xe9 reopened.\x81\nMore news.\n"))
    assert texts(article)[0] == "The café reopened."  # the C1 control character is removed
    assert notes(article)[0] == "decoded as latin-1 (neither UTF-8 nor cp1252)"


def test_curly_quotes_and_dashes_stay_as_written(tmp_path: Path) -> None:
    line = "„Zitat“ and «citation» and “quote” and ‘single’ — it’s fine… really."
    article = read_ok(write(tmp_path / "a.txt", line + "\nMore news.\n"))
    assert texts(article)[0] == line
    assert article.notes == ()


def test_letters_that_look_like_mojibake_are_left_alone(tmp_path: Path) -> None:
    line = "Æ is a letter and so is Â; Señor Müller’s café in Łódź."
    article = read_ok(write(tmp_path / "a.txt", line + "\nMore news.\n"))
    assert texts(article)[0] == line
    assert article.notes == ()


def test_mojibake_is_repaired_and_noted(tmp_path: Path) -> None:
    raw = "They donâ€™t know.\nPlain line here.\nThe cafÃ© shut.\nâ€œYesâ€\x9d, she said.\n"
    article = read_ok(write(tmp_path / "a.txt", raw))
    assert texts(article)[:4] == [
        "They don’t know.",
        "Plain line here.",
        "The café shut.",
        "“Yes”, she said.",
    ]
    [note] = article.notes
    assert note.severity is Severity.INFO
    assert note.message.startswith("repaired mojibake")
    assert note.message.endswith("in 3 places: line 1, line 3, line 4")
    assert note.line == 1
    assert note.describe().startswith(f"{tmp_path / 'a.txt'}:1: info: repaired mojibake")


def test_utf8_and_cp1252_mixed_in_one_file(tmp_path: Path) -> None:
    # UTF-8 "é" beside cp1252 curly quotes: not valid UTF-8, so read as cp1252, then "Ã©" repaired.
    raw = "The café".encode() + b" \x93quoted\x94 us.\nMore news.\n"
    article = read_ok(write(tmp_path / "a.txt", raw))
    assert texts(article)[0] == "The café “quoted” us."
    assert notes(article)[0] == "decoded as cp1252 (not valid UTF-8)"
    assert notes(article)[1].startswith("repaired mojibake")


def test_mojibake_in_front_matter_is_repaired(tmp_path: Path) -> None:
    text = "---\ntitle: CafÃ© owners protest\n---\nThe owners of the cafÃ© protested.\n"
    article = read_ok(write(tmp_path / "a.md", text))
    assert article.meta.title == "Café owners protest"
    assert texts(article) == ["The owners of the café protested.", ""]
    assert notes(article)[0].endswith("in 2 places: line 2, line 4")


def test_invisible_characters_and_special_spaces_are_noted(tmp_path: Path) -> None:
    raw = "Ten\u00a0people\u202fleft\u200b the gov\u00adernment\u2060 \ufeffbuilding.\x07\nMore.\n"
    article = read_ok(write(tmp_path / "a.txt", raw))
    assert texts(article)[0] == "Ten people left the government building."
    assert notes(article) == [
        "removed 5 invisible characters (zero-width spaces or joiners, soft hyphens, byte order marks, "
        "control characters)",
        "replaced 2 non-breaking or special spaces with plain spaces",
    ]


def test_a_file_of_invisible_characters_is_empty(tmp_path: Path) -> None:
    problem = read_problem(write(tmp_path / "a.txt", "\ufeff\u200b\n\u00a0\n"))
    assert problem.message == "empty file"


# --- headlines ----------------------------------------------------------------------------------


def test_short_first_line_becomes_title(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "Council Backs New Bridge\n\n" + BODY))
    assert article.meta.title == "Council Backs New Bridge"
    assert "Council Backs New Bridge" not in texts(article)
    # Line numbers of the remaining lines still count from the top of the file.
    assert article.lines[0].number == 2
    first_text = next(line for line in article.lines if line.text)
    assert first_text.number == 3


def test_leading_blank_lines_before_headline(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "\n\n  Council Backs New Bridge  \n" + BODY))
    assert article.meta.title == "Council Backs New Bridge"
    assert next(line.number for line in article.lines if line.text) == 4


def test_question_headline_is_title(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "Will The Bridge Be Built?\n" + BODY))
    assert article.meta.title == "Will The Bridge Be Built?"


def test_sentence_first_line_is_not_a_title(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", BODY))
    assert article.meta.title is None
    assert texts(article)[0] == "The council approved the new bridge on Tuesday."
    assert article.lines[0].number == 1


def test_lowercase_first_line_is_not_a_title(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "the council approved it\nMore news follows here.\n"))
    assert article.meta.title is None


def test_long_first_line_is_not_a_title(tmp_path: Path) -> None:
    first = " ".join(["Word"] * 30)
    article = read_ok(write(tmp_path / "a.txt", first + "\n" + BODY))
    assert article.meta.title is None


def test_single_line_file_has_no_title(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.txt", "Council Backs New Bridge\n"))
    assert article.meta.title is None
    assert texts(article)[0] == "Council Backs New Bridge"


# --- markdown front matter ----------------------------------------------------------------------


def test_front_matter_fields(tmp_path: Path) -> None:
    text = (
        "---\n"
        "title: Council backs bridge\n"
        "outlet: The Daily Example\n"
        "url: https://example.com/bridge\n"
        "published: 2021-04-07\n"
        "language: en\n"
        "---\n"
        "The council approved the bridge.\n"
    )
    article = read_ok(write(tmp_path / "a.md", text))
    assert article.meta == ArticleMeta(
        title="Council backs bridge",
        outlet="The Daily Example",
        url="https://example.com/bridge",
        published="2021-04-07",
        language="en",
    )
    assert article.lines[0].number == 8
    assert article.lines[0].text == "The council approved the bridge."


def test_front_matter_yaml_datetime_value(tmp_path: Path) -> None:
    text = "---\npublished: 2021-04-07 10:30:00\n---\nThe council approved the bridge.\n"
    assert read_ok(write(tmp_path / "a.md", text)).meta.published == "2021-04-07"


def test_front_matter_text_date_is_parsed(tmp_path: Path) -> None:
    text = "---\npublished: April 7, 2021\n---\nThe council approved the bridge.\n"
    assert read_ok(write(tmp_path / "a.md", text)).meta.published == "2021-04-07"


def test_front_matter_bad_date(tmp_path: Path) -> None:
    text = "---\ntitle: Bridge\npublished: last tuesday\n---\nThe council approved the bridge.\n"
    problem = read_problem(write(tmp_path / "a.md", text))
    assert "published" in problem.message
    assert problem.line == 3


def test_front_matter_unknown_key(tmp_path: Path) -> None:
    text = "---\ntitle: Bridge\n\nphotographer: Someone\n---\nThe council approved the bridge.\n"
    problem = read_problem(write(tmp_path / "a.md", text))
    assert "photographer" in problem.message
    assert problem.line == 4
    assert problem.describe().startswith(f"{tmp_path / 'a.md'}:4:")


def test_front_matter_duplicate_key(tmp_path: Path) -> None:
    text = "---\ntitle: Bridge\noutlet: One\noutlet: Two\n---\nThe council approved the bridge.\n"
    problem = read_problem(write(tmp_path / "a.md", text))
    assert "duplicate key 'outlet'" in problem.message
    assert problem.line == 4


def test_front_matter_wrong_type(tmp_path: Path) -> None:
    text = "---\ntitle: Bridge\nauthor: [Ann, Bob]\n---\nThe council approved the bridge.\n"
    problem = read_problem(write(tmp_path / "a.md", text))
    assert "author" in problem.message
    assert problem.line == 3


def test_front_matter_bad_yaml(tmp_path: Path) -> None:
    text = "---\ntitle: Bridge\noutlet: a: b\n---\nThe council approved the bridge.\n"
    problem = read_problem(write(tmp_path / "a.md", text))
    assert "YAML" in problem.message
    assert problem.line == 3
    assert problem.column is not None


def test_front_matter_unclosed(tmp_path: Path) -> None:
    text = "---\ntitle: Bridge\nThe council approved the bridge.\n"
    problem = read_problem(write(tmp_path / "a.md", text))
    assert "never closed" in problem.message
    assert problem.line == 1


def test_markdown_heading_becomes_title(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "a.md", "# Council Backs Bridge\n\nThe council approved it.\n"))
    assert article.meta.title == "Council Backs Bridge"
    assert not any(line.text.startswith("#") for line in article.lines)
    assert [line.number for line in article.lines if line.text] == [3]


def test_markdown_heading_after_front_matter(tmp_path: Path) -> None:
    text = "---\noutlet: Example News\n---\n## Council Backs Bridge ##\nThe council approved it.\n"
    article = read_ok(write(tmp_path / "a.md", text))
    assert article.meta.title == "Council Backs Bridge"
    assert article.meta.outlet == "Example News"
    assert [(line.number, line.text) for line in article.lines if line.text] == [
        (5, "The council approved it.")
    ]


def test_front_matter_title_wins_over_heading(tmp_path: Path) -> None:
    text = "---\ntitle: From front matter\n---\n# From heading\n\nThe council approved it.\n"
    assert read_ok(write(tmp_path / "a.md", text)).meta.title == "From front matter"


def test_markdown_with_bom_and_front_matter(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf---\ntitle: Bridge\n---\nThe council approved it.\n"
    assert read_ok(write(tmp_path / "a.md", raw)).meta.title == "Bridge"


# --- bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "   \n\n\t\n"])
def test_empty_file_is_a_problem(tmp_path: Path, content: str) -> None:
    problem = read_problem(write(tmp_path / "empty.txt", content))
    assert "empty" in problem.message
    assert str(tmp_path / "empty.txt") in problem.describe()


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "a ZIP archive"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"Some text\x00with a NUL", "it contains NUL bytes"),
        (bytes(range(1, 9)) * 40, "it is mostly control characters"),
    ],
    ids=["png", "pdf", "docx", "jpeg", "nul", "controls"],
)
def test_binary_file_is_a_problem(tmp_path: Path, raw: bytes, kind: str) -> None:
    problem = read_problem(write(tmp_path / "a.txt", raw))
    assert problem.severity is Severity.WARNING
    assert problem.message.startswith("binary file, not text: ")
    assert kind in problem.message


def test_oversized_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_text, "MAX_BYTES", 20)
    path = write(tmp_path / "big.txt", "x" * 21 + "\n")
    problem = read_problem(path)
    assert "too large" in problem.message
    small = write(tmp_path / "small.txt", "Short line.\n")
    assert isinstance(read_article(small), Article)


def test_a_50_mb_file_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no disk space used
        handle.truncate(50 * 1024 * 1024)

    def no_reading(self: Path, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"{self} was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    problem = read_problem(path)
    assert problem.severity is Severity.WARNING
    assert problem.message == (
        "too large: 52,428,800 bytes (50.0 MiB; the limit is 5 MiB), skipped without reading it"
    )


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    problem = read_problem(tmp_path / "missing.txt")
    assert "unreadable" in problem.message


def test_a_folder_named_like_an_article_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.txt").mkdir()
    problem = read_problem(tmp_path / "a.txt")
    assert problem.message == "unreadable: a folder named like an article, not a file"


def test_a_broken_symbolic_link_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "gone.txt")
    problem = read_problem(tmp_path / "a.txt")
    target = str(tmp_path / "gone.txt")
    assert problem.message == f"unreadable: broken symbolic link (it points to {target!r})"


def test_a_symbolic_link_loop_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    assert "unreadable: " in read_problem(tmp_path / "a.txt").message


def test_a_named_pipe_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "a.txt")  # opening it would block the build forever
    problem = read_problem(tmp_path / "a.txt")
    assert problem.message == "unreadable: not a regular file (a device, pipe or socket)"


def test_permission_denied_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", BODY)

    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    assert read_problem(path).message == "unreadable: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", BODY)
    path.chmod(0)
    try:
        assert read_problem(path).message == "unreadable: Permission denied"
    finally:
        path.chmod(0o644)


# --- source ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bbc.txt", "bbc"),
        ("The Guardian 2021.md", "the-guardian-2021"),
        ("Café_Story--01.TXT", "cafe-story-01"),
        ("__.txt", "id-9cccc847"),  # no letters: a hash of the name
        ("Ünïcödé.txt", "unicode"),
    ],
)
def test_source_id_for(name: str, expected: str) -> None:
    assert source_id_for(Path("some/dir") / name) == expected


def test_article_source_id_defaults_to_slug(tmp_path: Path) -> None:
    article = read_ok(write(tmp_path / "Daily News.txt", BODY))
    assert article.source_id == "daily-news"
    assert read_ok(tmp_path / "Daily News.txt").path == tmp_path / "Daily News.txt"
    result = read_article(tmp_path / "Daily News.txt", "custom")
    assert isinstance(result, Article)
    assert result.source_id == "custom"


# --- story folders ------------------------------------------------------------------------------


def test_find_stories_reads_story_yaml(tmp_path: Path) -> None:
    story = tmp_path / "stories" / "Bridge Vote"
    write(story / "story.yaml", "title: The bridge vote\nsummary: A vote.\nconsensus_words: 120\n")
    write(story / "b.txt", BODY)
    write(story / "a.md", BODY)
    write(story / "README.md", "notes\n")
    write(story / ".hidden.txt", BODY)
    folders, problems = find_stories(tmp_path)
    # The hidden file is skipped, and said so (a note: it fails nothing, even under --strict).
    assert [(p.path.name, p.severity) for p in problems] == [(".hidden.txt", Severity.INFO)]
    assert "hidden file" in problems[0].message
    assert len(folders) == 1
    folder = folders[0]
    assert folder.info.id == "bridge-vote"
    assert folder.info.title == "The bridge vote"
    assert folder.info.summary == "A vote."
    assert folder.info.consensus_words == 120
    assert folder.article_paths == (story / "a.md", story / "b.txt")


def test_find_stories_without_story_yaml(tmp_path: Path) -> None:
    write(tmp_path / "stories" / "beta" / "one.txt", BODY)
    write(tmp_path / "stories" / "alpha" / "one.txt", BODY)
    folders, problems = find_stories(tmp_path)
    assert problems == []
    assert [f.info.id for f in folders] == ["alpha", "beta"]
    assert folders[0].info.title is None


@pytest.mark.parametrize(
    ("yaml_text", "line", "needle"),
    [
        ("title: Bridge\ncolour: blue\n", 2, "unknown key 'colour'"),
        ("title: One\nsummary: S\ntitle: Two\n", 3, "duplicate key 'title'"),
        ("title: Bridge\nsummary: a: b\n", 2, "YAML syntax error"),
        ("title: Bridge\nconsensus_words: many\n", 2, "consensus_words"),
    ],
    ids=["unknown-key", "duplicate-key", "syntax-error", "wrong-type"],
)
def test_story_yaml_errors(tmp_path: Path, yaml_text: str, line: int, needle: str) -> None:
    story = tmp_path / "stories" / "bridge"
    write(story / "story.yaml", yaml_text)
    write(story / "a.txt", BODY)
    folders, problems = find_stories(tmp_path)
    assert len(folders) == 1  # the story is still found
    errors = [p for p in problems if p.severity is Severity.ERROR]
    assert len(errors) == 1, problems
    assert errors[0].path == story / "story.yaml"
    assert errors[0].line == line
    assert needle in errors[0].message


def test_non_article_file_is_skipped_with_warning(tmp_path: Path) -> None:
    story = tmp_path / "stories" / "bridge"
    write(story / "a.txt", BODY)
    for name in ("scan.pdf", "letter.docx", "photo.jpg"):
        write(story / name, b"%PDF-1.4")
    folders, problems = find_stories(tmp_path)
    assert folders[0].article_paths == (story / "a.txt",)
    assert [p.path.name for p in problems] == ["letter.docx", "photo.jpg", "scan.pdf"]
    for problem in problems:
        assert problem.severity is Severity.WARNING
        assert problem.message == (
            "not an article format, skipped (articles are .txt, .md, .markdown, .html, .htm files)"
        )


def test_unreadable_things_named_like_articles_are_listed_for_read_article(tmp_path: Path) -> None:
    """A folder or a broken link named like an article is listed, so reading it gives a warning
    that says why; other sub-folders are passed over silently."""
    story = tmp_path / "stories" / "bridge"
    write(story / "a.txt", BODY)
    (story / "b.txt").mkdir()
    (story / "c.html").symlink_to(story / "gone.html")
    (story / "images").mkdir()
    folders, problems = find_stories(tmp_path)
    assert problems == []
    assert folders[0].article_paths == (story / "a.txt", story / "b.txt", story / "c.html")


def test_missing_stories_folder_is_an_error(tmp_path: Path) -> None:
    folders, problems = find_stories(tmp_path)
    assert folders == []
    assert [p.severity for p in problems] == [Severity.ERROR]
    assert problems[0].path == tmp_path / "stories"


def test_empty_stories_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "stories").mkdir()
    folders, problems = find_stories(tmp_path)
    assert folders == []
    assert len(problems) == 1
    assert problems[0].severity is Severity.ERROR


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-04-07", "2021-04-07"),
        ("2021-4-7", "2021-04-07"),
        ("2021-04-07T10:30:00Z", "2021-04-07"),
        ("7 April 2021", "2021-04-07"),
        ("7th April 2021", "2021-04-07"),
        ("7 Apr, 2021", "2021-04-07"),
        ("April 7, 2021", "2021-04-07"),
        ("Apr. 7 2021", "2021-04-07"),
        ("Wednesday, April 7, 2021", "2021-04-07"),
        ("Wed 7 April 2021", "2021-04-07"),
        ("  7 April 2021  ", "2021-04-07"),
        ("2021-02-30", None),
        ("31 June 2021", None),
        ("7 Foo 2021", None),
        ("April 2021", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


def test_an_impossible_date_in_front_matter_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\npublished: 2021-02-30\n---\nBody text here.\n", encoding="utf-8")
    problem = read_article(path)
    assert isinstance(problem, Problem)
    assert problem.severity is Severity.WARNING and problem.line == 3
    assert "day is out of range" in problem.message and "\n" not in problem.message


def test_python_tags_in_front_matter_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\nauthor: !!python/object:os.system ls\n---\nBody text here.\n", encoding="utf-8")
    problem = read_article(path)
    assert isinstance(problem, Problem) and problem.line == 2


def test_a_dateline_on_the_first_line_is_not_a_headline(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("7 Apr, 2021\n\nFive soldiers were hurt on Monday, officials said.\n", encoding="utf-8")
    article = read_article(path)
    assert isinstance(article, Article) and article.meta.title is None


def test_story_ids_keep_the_whole_folder_name_and_collisions_are_errors(tmp_path: Path) -> None:
    stories = tmp_path / "content" / "stories"
    for name in ("v1.0", "v1.1", "Café", "cafe", "api"):
        (stories / name).mkdir(parents=True)
        (stories / name / "a.txt").write_text("The council met on Monday.\n", encoding="utf-8")
    folders, problems = find_stories(tmp_path / "content")
    assert sorted(f.info.id for f in folders) == ["cafe", "v1-0", "v1-1"]
    messages = [p.message for p in problems if p.severity is Severity.ERROR]
    assert any("'cafe' is already used" in m for m in messages)
    assert any("'api' is reserved" in m for m in messages)


def test_a_heading_under_a_front_matter_title_stays_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Front title\n---\n# A different heading\n\nBody text here.\n", encoding="utf-8"
    )
    article = read_article(path)
    assert isinstance(article, Article) and article.meta.title == "Front title"
    assert "A different heading" in [line.text for line in article.lines]


@pytest.mark.parametrize(
    ("first", "is_headline"),
    [
        ("Council approves new bridge over river.", True),  # alone, short, above a longer paragraph
        ("Council Approves New Bridge Over River.", True),
        ("The council approved a new bridge.", False),  # articles: a lede, not headlinese
        ("The council approved the bridge on Monday.", False),  # dated: a lede
        ("“We will build it,” the mayor said.", False),  # a quote opens a lede
        ("LONDON (Wire) - The council approved the bridge.", False),  # a dateline opens a lede
        ("The council voted. The bridge will be built.", False),  # two sentences
    ],
)
def test_a_standalone_short_sentence_is_a_headline(tmp_path: Path, first: str, is_headline: bool) -> None:
    body = "The city council voted by nine to two to build a new bridge across the river, officials said."
    path = write(tmp_path / "a.txt", f"{first}\n\n{body}\n")
    article = read_article(path)
    assert isinstance(article, Article)
    assert (article.meta.title == first) is is_headline
    assert any(line.text == first for line in article.lines) is not is_headline


def test_a_standalone_sentence_longer_than_what_follows_is_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "The council approved a new bridge across the river.\n\nIt was close.\n")
    article = read_article(path)
    assert isinstance(article, Article) and article.meta.title is None
