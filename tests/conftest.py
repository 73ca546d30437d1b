"""Shared fixtures: a throwaway copy of the project to build sites in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.ingest import read_article
from generator.records import Article

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


class HtmlPage(HTMLParser):
    """The visible text, element ids, tags and script bodies of one built HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            self.scripts.append(data)
        else:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse_html(path: Path) -> HtmlPage:
    page = HtmlPage()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def assert_inert(path: Path, page: HtmlPage) -> None:
    """No element, event handler, javascript: link or script that untrusted text could inject."""
    for tag, attrs in page.tags:
        assert tag not in ("iframe", "img"), f"{path}: <{tag}> came through as markup"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{path}: event handler {name}"
            assert not (value or "").strip().lower().startswith("javascript:"), f"{path}: {name}={value}"
    assert not any("alert(" in script for script in page.scripts), f"{path}: a script from the input"


def write(path: Path, data: str | bytes) -> Path:
    """Write an article file (text as UTF-8, or raw bytes), making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def read_ok(path: Path) -> Article:
    """`read_article`, asserting it read an article rather than reporting a problem."""
    result = read_article(path)
    assert isinstance(result, Article), result
    return result
