"""A bug met in one story stops only that story: it is reported naming the story, publishes
nothing, and the other stories build byte for byte as they would without it.

Faults are injected by replacing a pipeline function with one that raises for chosen stories.
"""

from __future__ import annotations

import filecmp
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build_in_process
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from generator import pipeline
from generator.cli import main
from generator.export import dumps, story_json
from generator.pipeline import build_site, run_story
from generator.records import Severity, StoryFailure
from generator.render import SiteRenderer
from tests.conftest import make_project

STORM = {
    "story.yaml": "title: The storm\n",
    "daily.txt": "Storm hits coast\n\nA storm hit the coast on Sunday, officials said. "
    "About 300 homes lost power.\n",
    "herald.txt": "Storm closes port\n\nA storm hit the coast on Sunday and closed the port. "
    "Some 300 homes lost power.\n",
}
VOTE = {
    "story.yaml": "title: The vote\n",
    "a.txt": "Council votes\n\nThe council voted 7 to 2 on Tuesday to approve the budget.\n",
    "b.txt": "Budget passes\n\nOn Tuesday the council approved the budget by 7 votes to 2.\n",
}
FIRE = {
    "story.yaml": "title: The fire\n",
    "a.txt": "Warehouse fire\n\nA fire destroyed a warehouse in the port on Monday night.\n",
}


def fail_in(monkeypatch: pytest.MonkeyPatch, *story_ids: str, error: type[Exception] = ValueError) -> None:
    """Make consolidation raise for the stories `story_ids` only (RecursionError by recursing)."""
    original = pipeline.build_story

    def build_story(info: Any, *args: Any, **kwargs: Any) -> Any:
        if info.id in story_ids:
            if error is RecursionError:
                return build_story(info, *args, **kwargs)
            raise error(f"injected fault in {info.id}")
        return original(info, *args, **kwargs)

    monkeypatch.setattr(pipeline, "build_story", build_story)


def project_with(tmp_path: Path, *story_ids: str) -> Path:
    stories = {"storm": STORM, "vote": VOTE, "fire": FIRE}
    tmp_path.mkdir(parents=True, exist_ok=True)
    return make_project(tmp_path, {story_id: stories[story_id] for story_id in story_ids})


# --- run_story and build_site -------------------------------------------------------------------


def test_run_story_returns_the_step_result_or_a_failure_naming_the_story() -> None:
    assert run_story(Path("content/stories/a"), lambda: 42) == 42

    def broken() -> int:
        raise KeyError("s-1234")

    failure = run_story(Path("content/stories/a"), broken)
    assert isinstance(failure, StoryFailure)
    assert failure.path == Path("content/stories/a")
    assert failure.error == "KeyError: 's-1234'"
    assert "Traceback (most recent call last)" in failure.traceback and "in broken" in failure.traceback
    assert failure.problem.severity is Severity.ERROR
    assert failure.describe().startswith(
        "content/stories/a: error: story failed to build, skipped: KeyError: 's-1234' (a bug in"
    )


def test_run_story_does_not_swallow_an_interrupt() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_story(Path("a"), interrupted)


def test_a_failed_story_leaves_the_others_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = build_site(project_with(tmp_path / "alone", "storm") / "content")
    fail_in(monkeypatch, "vote", error=RecursionError)
    both = build_site(project_with(tmp_path / "both", "storm", "vote") / "content")
    assert [f.path.name for f in both.failures] == ["vote"]
    assert both.failures[0].error.startswith("RecursionError: maximum recursion depth exceeded")
    assert [s.info.id for s in both.published] == ["storm"]
    assert [dumps(story_json(s)) for s in both.published] == [dumps(story_json(s)) for s in alone.published]
    assert [p.describe().split("content/")[-1] for p in both.problems] == [
        p.describe().split("content/")[-1] for p in alone.problems
    ]


# --- mkdocs build --------------------------------------------------------------------------------


def build_in_process(project: Path, *, strict: bool = False) -> None:
    """`mkdocs build` in this process, so a monkeypatched pipeline function takes effect."""
    config = load_config(str(project / "mkdocs.yml"), strict=strict)
    mkdocs_build_in_process(config)


def site_files(site: Path) -> list[str]:
    """Every built file but the gzipped sitemap, whose gzip header holds the build time."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.suffix != ".gz")


@pytest.fixture
def quiet_mkdocs_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.mark.usefixtures("quiet_mkdocs_2")
@pytest.mark.parametrize("stage", ["build", "render"])
def test_mkdocs_publishes_the_other_stories_as_if_the_failed_one_were_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, stage: str
) -> None:
    without = project_with(tmp_path / "without", "storm", "fire")
    build_in_process(without)
    if stage == "build":
        fail_in(monkeypatch, "vote")
    else:
        original = SiteRenderer.render_story

        def render_story(self: SiteRenderer, story: Any) -> Any:
            pages = original(self, story)  # the story's pages are made, then the fault strikes
            if story.info.id == "vote":
                raise ValueError("injected fault in vote")
            return pages

        monkeypatch.setattr(SiteRenderer, "render_story", render_story)
    with_failure = project_with(tmp_path / "with", "storm", "vote", "fire")
    caplog.set_level(logging.DEBUG, logger="mkdocs.plugins.corroborate")
    build_in_process(with_failure)  # no exception: the build succeeds without --strict

    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    folder = with_failure / "content" / "stories" / "vote"
    assert [r.getMessage() for r in errors] == [
        f"{folder}: error: story failed to build, skipped: ValueError: injected fault in vote "
        "(a bug in Corroborate, not in the content; --verbose shows the traceback)"
    ]
    tracebacks = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert any(t.startswith("Traceback") and "injected fault in vote" in t for t in tracebacks)

    one, two = without / "site", with_failure / "site"
    assert not (two / "vote").exists() and not (two / "api" / "vote.json").exists()
    names = site_files(one)
    assert names == site_files(two)
    assert "storm/facts/index.html" in names and "api/fire.json" in names
    _, mismatch, errors_ = filecmp.cmpfiles(one, two, names, shallow=False)
    assert mismatch == [] and errors_ == []


@pytest.mark.usefixtures("quiet_mkdocs_2")
def test_mkdocs_strict_fails_after_listing_every_failed_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fail_in(monkeypatch, "vote", "fire")
    project = project_with(tmp_path, "storm", "vote", "fire")
    with pytest.raises(Abort, match="2 errors"):
        build_in_process(project, strict=True)
    failed = [r.getMessage() for r in caplog.records if "story failed to build" in r.getMessage()]
    assert [m.split(": error:")[0] for m in failed] == [
        str(project / "content" / "stories" / name) for name in ("fire", "vote")
    ]


def test_corroborate_build_strict_fails_and_verbose_shows_the_traceback(tmp_path: Path) -> None:
    """End to end through `corroborate build`, which runs mkdocs in another process: the fault is
    injected there by a `sitecustomize` module on PYTHONPATH."""
    project = project_with(tmp_path, "storm", "vote", "fire")
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import generator.pipeline as pipeline\n"
        "original = pipeline.build_story\n"
        "def build_story(info, *args, **kwargs):\n"
        "    if info.id in ('vote', 'fire'):\n"
        "        raise ValueError('injected fault in ' + info.id)\n"
        "    return original(info, *args, **kwargs)\n"
        "pipeline.build_story = build_story\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(inject), os.environ.get("PYTHONPATH", "")]))

    def corroborate_build(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", "build", *args],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )

    lenient = corroborate_build()
    assert lenient.returncode == 0, lenient.stderr
    for name in ("vote", "fire"):
        assert f"stories/{name}: error: story failed to build" in lenient.stderr
        assert f"ValueError: injected fault in {name}" in lenient.stderr
    assert "Traceback" not in lenient.stderr
    assert (project / "site" / "storm" / "index.html").is_file()
    assert not (project / "site" / "vote").exists()

    strict = corroborate_build("--strict", "--verbose")
    assert strict.returncode != 0
    assert "stories/fire: error: story failed to build" in strict.stderr
    assert "stories/vote: error: story failed to build" in strict.stderr
    assert "Traceback (most recent call last)" in strict.stderr
    assert "raise ValueError('injected fault in ' + info.id)" in strict.stderr


# --- corroborate check and export ----------------------------------------------------------------


def test_check_lists_a_failed_story_and_passes_without_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fail_in(monkeypatch, "vote")
    content = project_with(tmp_path, "storm", "vote") / "content"
    assert main(["check", str(content)]) == 0
    out = capsys.readouterr().out
    assert f"{content / 'stories' / 'vote'}: error: story failed to build" in out
    assert "ValueError: injected fault in vote" in out
    assert "Traceback" not in out
    assert "2 stories, 2 articles: 0 errors, 0 warnings" in out
    assert out.rstrip().endswith("; 1 story failed to build")


def test_check_strict_fails_listing_every_failed_story(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fail_in(monkeypatch, "vote", "fire")
    content = project_with(tmp_path, "storm", "vote", "fire") / "content"
    assert main(["check", str(content), "--strict"]) == 1
    out = capsys.readouterr().out
    for name in ("fire", "vote"):
        assert f"{content / 'stories' / name}: error: story failed to build" in out
        assert f"ValueError: injected fault in {name}" in out
    assert "; 2 stories failed to build" in out


def test_check_verbose_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fail_in(monkeypatch, "vote")
    content = project_with(tmp_path, "storm", "vote") / "content"
    assert main(["check", str(content), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "Traceback (most recent call last)" in out
    assert 'raise error(f"injected fault in {info.id}")' in out  # the line that raised
    assert out.index("story failed to build") < out.index("Traceback")


def test_export_reports_a_failed_story_and_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fail_in(monkeypatch, "vote")
    folder = project_with(tmp_path, "vote") / "content" / "stories" / "vote"
    assert main(["export", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{folder}: error: story failed to build" in captured.err
    assert "Traceback" not in captured.err
    assert main(["export", str(folder), "-v"]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err
