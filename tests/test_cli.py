"""The `corroborate` command line: export, check and build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import SEED_STORY, make_project


def run_export(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["export", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_export_writes_the_story_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_export(capsys, str(SEED_STORY))
    assert data["schema_version"] == 1
    assert set(data) >= {"story", "sources", "entities", "facts", "conflicts", "consensus"}
    assert data["story"]["id"] == "us-iraq-combat-mission"
    sentence_ids = {s["id"]: {x["id"] for x in s["sentences"]} for s in data["sources"]}
    for item in data["facts"] + data["consensus"]:
        for citation in item["citations"]:
            assert citation["sentence"] in sentence_ids[citation["source"]]
    fact_ids = {f["id"] for f in data["facts"]}
    for conflict in data["conflicts"]:
        assert set(conflict["facts"]) <= fact_ids
    for fact in data["facts"]:
        assert set(fact["conflicts_with"]) <= fact_ids
        assert fact["status"] in ("confirmed", "corroborated", "single source", "disputed", "false")


def test_max_words_caps_the_consensus_at_a_sentence_boundary(capsys: pytest.CaptureFixture[str]) -> None:
    full = run_export(capsys, str(SEED_STORY))
    short = run_export(capsys, str(SEED_STORY), "--max-words", "60")
    words = sum(len(s["text"].split()) for s in short["consensus"])
    assert 0 < words <= 60
    assert len(short["consensus"]) < len(full["consensus"])
    full_texts = {s["text"] for s in full["consensus"]}
    assert all(s["text"] in full_texts or s["text"].endswith((".", "”", '"')) for s in short["consensus"])


def test_export_reads_plain_files_without_headlines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "doc_1.txt"
    two = tmp_path / "doc_2.txt"
    one.write_text("The mayor opened the new library on Friday. Hundreds of residents attended.\n")
    two.write_text("Hundreds of residents attended as the mayor opened the new library on Friday.\n")
    out = tmp_path / "out" / "story.json"
    assert main(["export", str(one), str(two), "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["title"] for s in data["sources"]] == [None, None]
    assert data["sources"][0]["sentences"][0]["text"].startswith("The mayor opened")
    assert any(f["support"] == 2 for f in data["facts"])


def test_export_fails_clearly_on_a_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "nowhere: error: no such article file or folder" in err


def test_check_reports_every_problem_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(
        tmp_path,
        {
            "good": {"a.txt": "Storm hits\n\nA storm hit the coast on Sunday.\n"},
            "bad": {
                "story.yaml": "title: Bad\ncolour: red\ntitle: again\n",
                "empty.txt": "",
                "front.md": "---\ntitle: [oops\n---\nBody text here.\n",
            },
        },
    )
    assert main(["check", str(project / "content")]) == 1
    out = capsys.readouterr().out
    assert "story.yaml:2: error: unknown key 'colour'" in out
    assert "story.yaml:3: error: duplicate key 'title'" in out
    assert "empty.txt: warning: empty file" in out
    assert "front.md:2" in out and "YAML syntax error" in out
    assert "2 stories" in out


def test_check_passes_on_the_default_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(SEED_STORY.parent.parent), "--strict"]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_python_dash_m_generator_runs_the_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("build", "export", "check"):
        assert command in result.stdout


def test_build_command_runs_mkdocs(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "api" / "index.json").is_file()


def test_export_does_not_depend_on_hash_randomisation() -> None:
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "generator", "export", str(SEED_STORY)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_a_failed_build_leaves_the_last_good_site(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    build = [sys.executable, "-m", "generator", "build", "--strict"]
    first = subprocess.run(build, cwd=project, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    before = sorted(p.relative_to(project) for p in (project / "site").rglob("*"))
    assert len(before) > 10
    stories = project / "content" / "stories"
    story = next(p for p in stories.iterdir() if p.is_dir())
    (story / "overrides.yaml").write_text("facts: [unclosed\n", encoding="utf-8")
    failed = subprocess.run(build, cwd=project, capture_output=True, text=True, check=False)
    assert failed.returncode != 0
    assert "the last site is unchanged" in failed.stderr
    assert sorted(p.relative_to(project) for p in (project / "site").rglob("*")) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site.")] == []  # no staging left
