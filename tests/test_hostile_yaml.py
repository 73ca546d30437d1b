"""Hostile and huge YAML from editors: bounded time and memory, one clear error, nothing else lost.

Each hostile input goes through the real reader (`read_overrides`, `read_story_info`,
`read_article`), some through `corroborate check` and a real `mkdocs build` too. A reader that
hangs would hang these tests, so the slow ones run under `finishes_within`, which fails them
instead; the bound is generous (speed itself is measured by hand, see the README).
"""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.cli import main
from generator.ingest import read_article, read_story_info
from generator.overrides import NO_OVERRIDES, OVERRIDES_FILE, read_overrides
from generator.records import Problem, Severity
from generator.yamltext import MAX_DEPTH, OVERRIDES_MAX_BYTES, STORY_MAX_BYTES
from tests.conftest import ROOT, SEED_STORY, make_project, mkdocs_build

STORY = SEED_STORY.name
SECONDS = 20  # far above the fraction of a second these take: only a hang reaches it


@contextmanager
def finishes_within(seconds: float) -> Iterator[None]:
    """Fail (rather than hang) if the block runs longer than `seconds`."""

    def stop(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def alias_bomb(levels: int = 9) -> str:
    """'Billion laughs': each level's list holds nine aliases of the level before (9**9 strings)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deep_flow(levels: int) -> str:
    return "boilerplate: " + "[" * levels + "]" * levels + "\n"


def deep_block(levels: int) -> str:
    """Block lists inside each other on one line ("- - - x"): indentation alone would take
    levels**2 bytes."""
    return "boilerplate:\n" + "- " * levels + "x\n"


def overrides_at(tmp_path: Path, text: str) -> Path:
    path = tmp_path / OVERRIDES_FILE
    path.write_text(text, encoding="utf-8")
    return path


def only_error(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    assert problems[0].severity is Severity.ERROR
    return problems[0]


def seed_content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    return content


# --- aliases ------------------------------------------------------------------------------------


def test_an_alias_bomb_in_overrides_is_one_error_at_its_first_alias(tmp_path: Path) -> None:
    with finishes_within(SECONDS):
        overrides, problems = read_overrides(overrides_at(tmp_path, alias_bomb()))
    assert overrides is NO_OVERRIDES
    error = only_error(problems)
    assert (error.line, error.column) == (2, 10)
    assert error.message.startswith("YAML aliases (*name) are not allowed: found *a0")


def test_a_single_alias_is_refused_too(tmp_path: Path) -> None:
    text = "boilerplate:\n  - pattern: &p '^Photo:'\n  - pattern: *p\n"
    overrides, problems = read_overrides(overrides_at(tmp_path, text))
    assert overrides is NO_OVERRIDES
    assert (
        only_error(problems)
        .describe()
        .endswith(
            "overrides.yaml:3:14: error: YAML aliases (*name) are not allowed: found *p"
            " (hint: write the value out in full where it is needed)"
        )
    )


def test_an_alias_in_story_yaml_and_in_front_matter_is_refused(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("title: &t Storm\nsummary: *t\n", encoding="utf-8")
    _, problems = read_story_info(tmp_path)
    assert (only_error(problems).line, problems[0].column) == (2, 10)
    assert "aliases" in problems[0].message
    article = tmp_path / "daily.md"
    article.write_text("---\n" + alias_bomb() + "---\nA storm hit the coast.\n", encoding="utf-8")
    with finishes_within(SECONDS):
        problem = read_article(article)
    assert isinstance(problem, Problem) and problem.severity is Severity.WARNING
    assert (problem.line, "aliases" in problem.message) == (3, True)  # the front matter's line 2


def test_check_reports_an_alias_bomb_as_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = seed_content(tmp_path)
    own = content / "stories" / STORY / OVERRIDES_FILE
    own.write_text(alias_bomb(), encoding="utf-8")
    with finishes_within(SECONDS):
        assert main(["check", str(content)]) == 1
    out = capsys.readouterr().out
    assert f"{own}:2:10: error: YAML aliases (*name) are not allowed: found *a0" in out
    assert "1 stories, 4 articles: 1 errors, 0 warnings" in out


# --- depth --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [deep_flow(10_000), deep_block(10_000)], ids=["flow", "block"])
def test_nesting_10000_deep_is_an_error_not_a_recursion_error(tmp_path: Path, text: str) -> None:
    with finishes_within(SECONDS):
        overrides, problems = read_overrides(overrides_at(tmp_path, text))
    assert overrides is NO_OVERRIDES
    error = only_error(problems)
    assert error.message.startswith(f"YAML nested deeper than {MAX_DEPTH} levels (the limit)")
    assert error.line is not None and error.column is not None


def test_nesting_up_to_the_limit_is_read(tmp_path: Path) -> None:
    # Depth counts the document's mapping as level 1; schema errors, not a depth error, follow.
    _, problems = read_overrides(overrides_at(tmp_path, deep_flow(MAX_DEPTH - 1)))
    assert not any("nested" in p.message for p in problems), problems
    _, problems = read_overrides(overrides_at(tmp_path, deep_flow(MAX_DEPTH)))
    assert any("nested" in p.message for p in problems)


def test_deep_story_yaml_and_front_matter_are_errors(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("title: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    _, problems = read_story_info(tmp_path)
    assert "nested deeper" in only_error(problems).message
    article = tmp_path / "daily.md"
    article.write_text("---\ntitle: " + "{a: " * 5000 + "}" * 5000 + "\n---\nText.\n", encoding="utf-8")
    problem = read_article(article)
    assert isinstance(problem, Problem) and "nested deeper" in problem.message and problem.line == 2


# --- size ---------------------------------------------------------------------------------------


def test_an_oversize_overrides_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / OVERRIDES_FILE
    with path.open("wb") as stream:  # 4 GiB on disk, almost none of it written (a sparse file)
        stream.truncate(4 * 1024**3)
    with finishes_within(SECONDS):
        overrides, problems = read_overrides(path)
    assert overrides is NO_OVERRIDES
    assert only_error(problems).message.startswith(
        "overrides file too large: 4,294,967,296 bytes (the limit is 2 MiB), not read"
    )


def test_an_overrides_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    note = "x" * (OVERRIDES_MAX_BYTES - 40)
    path = overrides_at(tmp_path, f"entities:\n  - name: A\n    note: {note}\n")
    assert path.stat().st_size <= OVERRIDES_MAX_BYTES
    overrides, problems = read_overrides(path)
    assert problems == [] and overrides.entities[0].name == "A"
    path.write_text(path.read_text(encoding="utf-8") + "#" * 40, encoding="utf-8")
    assert "too large" in only_error(read_overrides(path)[1]).message


def test_oversize_story_yaml_and_front_matter_are_errors(tmp_path: Path) -> None:
    (tmp_path / "story.yaml").write_text("title: " + "x" * STORY_MAX_BYTES + "\n", encoding="utf-8")
    _, problems = read_story_info(tmp_path)
    assert only_error(problems).message.startswith("story.yaml too large:")
    article = tmp_path / "daily.md"
    article.write_text("---\ntitle: " + "x" * STORY_MAX_BYTES + "\n---\nText.\n", encoding="utf-8")
    problem = read_article(article)
    assert isinstance(problem, Problem) and problem.message.startswith("YAML too large:")
    assert problem.line == 2


# --- a real build -------------------------------------------------------------------------------


def test_mkdocs_build_skips_an_article_with_hostile_front_matter_and_builds_the_rest(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path)
    story = project / "content" / "stories" / STORY
    (story / "bomb.md").write_text("---\n" + alias_bomb() + "---\nA storm hit.\n", encoding="utf-8")
    (story / "deep.md").write_text("---\ntitle: " + "[" * 10_000 + "\n---\nA storm hit.\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert "bomb.md:3:11: error" not in result.stderr  # a bad article is a warning, not an error
    assert f"{STORY}/bomb.md:3:10: warning: YAML aliases (*name) are not allowed" in result.stderr
    assert f"{STORY}/deep.md:2:" in result.stderr and "nested deeper than 50" in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    sources = sorted(p.name for p in (project / "site" / STORY / "sources").iterdir())
    assert sources == sorted(p.stem.replace("_", "-") for p in SEED_STORY.glob("*.txt"))


def test_mkdocs_build_stops_on_an_alias_bomb_in_overrides_with_one_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "content" / "stories" / STORY / OVERRIDES_FILE).write_text(alias_bomb(), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"{STORY}/{OVERRIDES_FILE}:2:10: error: YAML aliases (*name) are not allowed" in result.stderr
    assert result.stderr.count(": error: ") == 1, result.stderr
    assert "Traceback" not in result.stderr
