"""Hostile and huge article text: work grows linearly with the text, other scripts' sentence ends
split sentences, nothing outside the content folder is read, hidden files are listed, and reading
arbitrary bytes returns an article or a problem, never an exception.

Growth is shown on small generated inputs (the generators of `benchmarks/bench_hostile.py`, which
times the full sizes): the work on an input eight times longer is compared with the work on the
short one, and quadratic work would take 64 times as long. The bound (24x) leaves room for a busy
machine and still fails any quadratic step.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.align import pair_measures
from generator.analyse import ANALYSED_CHARS, analyse_sources, analysed_part
from generator.cli import main
from generator.ingest import find_stories, read_article
from generator.pipeline import build
from generator.records import Article, ArticleMeta, Problem, Sentence, Severity, Source, StoryInfo
from generator.segment import MAX_SENTENCE_CHARS, split_spans
from tests.conftest import make_project, mkdocs_build

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from bench_hostile import lines_article, paragraph_article, wrapped_article

LINEAR = 24  # an input 8x longer may take at most this many times as long (quadratic: 64x)


def fastest(work: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def growth(make: Callable[[int], object], run: Callable[[object], object], small: int) -> float:
    """How many times longer `run` takes on `make(8 * small)` than on `make(small)`."""
    short, long = make(small), make(8 * small)
    return fastest(lambda: run(long)) / max(fastest(lambda: run(short)), 1e-4)


def building_growth(tmp_path: Path, make: Callable[[int], str], small: int) -> float:
    """`growth` of building a story with one article `make(n)` beside a short one."""
    return growth(make, lambda text: build(StoryInfo(id="s"), story_of(tmp_path, str(text))), small)


def story_of(tmp_path: Path, text: str) -> list[Path]:
    folder = tmp_path / "story"
    folder.mkdir(exist_ok=True)
    (folder / "huge.txt").write_text(text, encoding="utf-8")
    (folder / "other.txt").write_text(
        "Storm report\n\nOfficials said 12 people were hurt near Mosul on Sunday.\n", encoding="utf-8"
    )
    return sorted(folder.glob("*.txt"))


# --- one line of sentences (the 2 MB paragraph) -----------------------------------------


def test_splitting_one_long_line_of_sentences_grows_linearly() -> None:
    ratio = growth(lambda n: paragraph_article(n).split("\n\n")[1], split_spans, 25_000)
    assert ratio < LINEAR, f"8x the text took {ratio:.1f}x as long"


def test_building_a_story_with_one_long_line_grows_linearly(tmp_path: Path) -> None:
    ratio = building_growth(tmp_path, paragraph_article, 8_000)
    assert ratio < LINEAR, f"8x the text took {ratio:.1f}x as long"


# --- many short lines (50,000 lines) ------------------------------------------------------


def test_building_a_story_of_many_short_lines_grows_linearly(tmp_path: Path) -> None:
    ratio = building_growth(tmp_path, lines_article, 150)
    assert ratio < LINEAR, f"8x the lines took {ratio:.1f}x as long"


# --- hard-wrapped lines with no sentence end: one endless "sentence" --------------------------


def test_a_sentence_without_end_is_cut_into_bounded_pieces_losslessly() -> None:
    paragraph = " ".join(f"word{k}" for k in range(3_000))  # about 22,000 characters, no full stop
    spans = split_spans(paragraph)
    assert "".join(paragraph[a:b] for a, b in spans) == paragraph
    assert all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert all(paragraph[b - 1] == " " for a, b in spans[:-1]), "a piece ends inside a word"
    unbroken = "x" * (3 * MAX_SENTENCE_CHARS)  # one "word" longer than the limit: cut anyway
    assert [b - a for a, b in split_spans(unbroken)] == [MAX_SENTENCE_CHARS] * 3


def test_building_a_story_of_wrapped_lines_grows_linearly(tmp_path: Path) -> None:
    ratio = building_growth(tmp_path, wrapped_article, 150)
    assert ratio < LINEAR, f"8x the lines took {ratio:.1f}x as long"


def test_an_article_past_the_analysis_budget_is_published_whole_and_its_cut_reported(tmp_path: Path) -> None:
    text = paragraph_article(ANALYSED_CHARS + 60_000)
    story = build(StoryInfo(id="s"), story_of(tmp_path, text))
    huge = next(s for s in story.sources if s.path.name == "huge.txt")
    body = text.split("\n\n")[1].strip()
    assert " ".join(x.text for x in huge.sentences) == body, "the page must carry every sentence"
    [warning] = [p for p in story.problems if p.path.name == "huge.txt" and p.severity is Severity.WARNING]
    assert "too long to compare in full" in warning.message
    read = analysed_part(huge)
    assert 0 < len(read) < len(huge.citable)
    first_unread = huge.citable[len(read)]
    assert f"from sentence {first_unread.number} on" in warning.message
    assert any(n.severity is Severity.INFO and n.message == warning.message for n in huge.notes)
    cited = {c.sentence for f in story.facts for c in f.citations if c.source == huge.id}
    unread = {x.id for x in huge.citable[len(read) :]}
    assert cited and not cited & unread, "a sentence the analysis did not read is cited"


def test_an_article_within_the_budget_is_read_whole(tmp_path: Path) -> None:
    story = build(StoryInfo(id="s"), story_of(tmp_path, paragraph_article(ANALYSED_CHARS // 2)))
    huge = next(s for s in story.sources if s.path.name == "huge.txt")
    assert analysed_part(huge) == huge.citable
    assert not any("too long" in p.message for p in story.problems)


def test_one_sources_body_sentences_are_never_paired() -> None:
    """Pairs inside one source's body are not measured (they cost quadratic work in one long
    article and no fact uses them); pairs across runs are measured exactly as without runs."""
    vectors = [{"a": 1.0, "b": 1.0, "c": 1.0, "d": 0.5}] * 4
    everything = pair_measures(vectors)
    runs = [0, 0, 1, 1]
    across = pair_measures(vectors, runs=runs)
    assert set(everything) == {(i, j) for i in range(4) for j in range(i + 1, 4)}
    assert set(across) == {(0, 2), (0, 3), (1, 2), (1, 3)}
    assert all(across[pair] == everything[pair] for pair in across)
    headline_first = pair_measures(vectors, runs=[-1, 0, 0, 1])  # a headline is its own run
    assert set(headline_first) == {(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)}


# --- other scripts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "美国宣布结束作战任务。部队将于年底撤离！这是真的吗？",
            ["美国宣布结束作战任务。", "部队将于年底撤离！", "这是真的吗？"],
        ),
        ("هل انتهت المهمة؟ نعم، قال المسؤولون.", ["هل انتهت المهمة؟ ", "نعم، قال المسؤولون."]),
        ("सेना लौटेगी। अधिकारी ने कहा।", ["सेना लौटेगी। ", "अधिकारी ने कहा।"]),
        # A quote closed inside a sentence: the words go on, so the sentence does too.
        ("「撤退する。」と大統領は述べた。次の話。", ["「撤退する。」と大統領は述べた。", "次の話。"]),
    ],
)
def test_sentence_ends_of_other_scripts_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert [paragraph[a:b] for a, b in split_spans(paragraph)] == expected


def test_chinese_text_is_split_and_noted_as_not_english(tmp_path: Path) -> None:
    text = (
        "美国结束伊拉克作战任务\n\n" + "美国总统拜登周一宣布，美国在伊拉克的作战任务将在年底结束。" * 2 + "\n"
    )
    path = tmp_path / "story" / "zh.txt"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    story = build(StoryInfo(id="s"), [path])
    (source,) = story.sources
    assert len(source.sentences) == 2
    notes = [n.message for n in source.notes]
    assert any("not English" in n and "CJK" in n for n in notes), notes


# --- symbolic links and hidden files ----------------------------------------------------------


def test_links_leading_outside_the_content_folder_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text(
        "Secret headline\n\nThe password is hunter2 and nobody may know it.\n", encoding="utf-8"
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.txt").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    stories = project / "content" / "stories"
    seed = next(stories.iterdir())
    (seed / "zz_secret.txt").symlink_to(secret)
    (stories / "linked").symlink_to(outside, target_is_directory=True)
    (seed / ".notes.txt").write_text("x", encoding="utf-8")

    folders, problems = find_stories(project / "content")
    refused = {p.path.name: p for p in problems if "outside the content folder" in p.message}
    assert set(refused) == {"zz_secret.txt", "linked"}
    assert all(p.severity is Severity.WARNING for p in refused.values())
    assert [f.directory.name for f in folders] == [seed.name]
    assert all(path.name != "zz_secret.txt" for path in folders[0].article_paths)
    hidden = [p for p in problems if p.path.name == ".notes.txt"]
    assert [p.severity for p in hidden] == [Severity.INFO] and "hidden file" in hidden[0].message

    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "zz_secret.txt" in result.stderr and "outside the content folder" in result.stderr
    published = "".join(
        p.read_text(encoding="utf-8")
        for p in (project / "site").rglob("*")
        if p.is_file() and p.suffix in (".html", ".json")
    )
    assert "hunter2" not in published
    assert mkdocs_build(project, "--strict").returncode != 0


def test_a_link_inside_the_content_folder_is_read(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    seed = next((project / "content" / "stories").iterdir())
    first = sorted(seed.glob("*.txt"))[0]
    (seed / "zz_again.txt").symlink_to(first)
    folders, problems = find_stories(project / "content")
    assert not [p for p in problems if "outside" in p.message]
    assert seed / "zz_again.txt" in folders[0].article_paths


def test_linked_overrides_outside_are_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    seed = next((project / "content" / "stories").iterdir())
    bad = tmp_path / "bad.yaml"
    bad.write_text("this: [is not, valid overrides\n", encoding="utf-8")
    (seed / "overrides.yaml").unlink()
    (seed / "overrides.yaml").symlink_to(bad)
    assert main(["check", str(project / "content")]) == 0
    out = capsys.readouterr().out
    assert "overrides.yaml: warning: this file is a symbolic link" in out
    assert "is not, valid" not in out
    assert main(["check", str(project / "content"), "--strict"]) == 1


def test_check_lists_hidden_files_and_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    stories = project / "content" / "stories"
    (stories / ".drafts").mkdir()
    (next(p for p in stories.iterdir() if not p.name.startswith(".")) / ".old.txt").write_text("x")
    assert main(["check", str(project / "content"), "--strict"]) == 0  # notes fail nothing
    out = capsys.readouterr().out
    assert "/.drafts: info: hidden folder" in out
    assert "/.old.txt: info: hidden file" in out


# --- arbitrary bytes ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_reading_arbitrary_bytes_returns_an_article_or_a_problem(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    result = read_article(path)
    assert isinstance(result, Article | Problem)


_PIECES = [*"ab Z.。！？؟।」\n\t<>/&#;:-\"'", "<p>", "</p>", "<div>", "---\n", "\n\n", "Monday", "12", "Mr."]
_TEXTY = st.lists(st.sampled_from(_PIECES), max_size=150).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTY, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_building_arbitrary_text_never_raises(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_text(text, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Storm report\n\nOfficials said 12 people were hurt on Sunday.\n", encoding="utf-8")
    story = build(StoryInfo(id="s"), [path, other])
    json.dumps([s.id for s in story.sources])


def _body_of(*texts: str, headline: str | None = None) -> Source:
    sentences = tuple(Sentence(f"s-{k}", "src", k, 0, text) for k, text in enumerate(texts))
    head = Sentence("s-head", "src", -1, -1, headline, True) if headline else None
    return Source("src", Path("src.txt"), ArticleMeta(), (sentences,), (), headline=head)


@pytest.mark.parametrize(
    ("budget", "kept"),
    [(15, 3), (14, 2), (10, 2), (9, 1), (1, 1)],  # each sentence costs its 4 characters and a space
)
def test_the_analysis_budget_keeps_the_longest_run_that_fits(budget: int, kept: int) -> None:
    source = _body_of("Aaa.", "Bbb.", "Ccc.")
    assert [s.text for s in analysed_part(source, budget)] == ["Aaa.", "Bbb.", "Ccc."][:kept]


def test_the_headline_is_read_besides_the_budget() -> None:
    source = _body_of("Aaa.", "Bbb.", "Ccc.", headline="A very long headline " * 20)
    assert [s.text for s in analysed_part(source, 10)][1:] == ["Aaa.", "Bbb."]
    assert analysed_part(source, 10)[0].headline


def test_the_analysis_reads_what_the_budget_keeps(tmp_path: Path) -> None:
    story = build(StoryInfo(id="s"), story_of(tmp_path, paragraph_article(ANALYSED_CHARS + 60_000)))
    (huge,) = [s for s in story.sources if s.path.name == "huge.txt"]
    (analysed,) = [a for a in analyse_sources((huge,))]
    assert [a.sentence for a in analysed.sentences] == list(analysed_part(huge))
