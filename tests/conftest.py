"""Shared fixtures: a throwaway copy of the project to build sites in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_STORY = ROOT / "content" / "stories" / "us-iraq-combat-mission"


def make_project(tmp_path: Path, stories: dict[str, dict[str, str | bytes]] | None = None) -> Path:
    """A minimal project in `tmp_path`: mkdocs.yml, the templates, and the given stories
    ({story id: {file name: text or bytes}}); the seed story when none are given."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "site_templates", project / "site_templates")
    (project / "docs").mkdir()
    stories_dir = project / "content" / "stories"
    if stories is None:
        shutil.copytree(SEED_STORY, stories_dir / SEED_STORY.name)
    else:
        for story_id, files in stories.items():
            folder = stories_dir / story_id
            folder.mkdir(parents=True)
            for name, body in files.items():
                path = folder / name
                if isinstance(body, bytes):
                    path.write_bytes(body)
                else:
                    path.write_text(body, encoding="utf-8")
    return project


def mkdocs_build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` in `project`, as a user runs it."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *extra],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default story built once with `mkdocs build --strict`; returns the site folder."""
    project = make_project(tmp_path_factory.mktemp("seed"))
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    return project / "site"
