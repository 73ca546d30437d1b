"""The MkDocs plugin's options and hooks, without a full build."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.plugin import CorroboratePlugin
from tests.conftest import ROOT


def test_options_default_to_the_project_layout() -> None:
    plugin = CorroboratePlugin()
    errors, warnings = plugin.load_config({}, config_file_path=str(ROOT / "mkdocs.yml"))
    assert errors == [] and warnings == []
    assert Path(plugin.config.content_dir) == ROOT / "content"
    assert Path(plugin.config.templates_dir) == ROOT / "site_templates"
    assert plugin.config.consensus_words is None


def test_a_missing_content_dir_is_a_config_error(tmp_path: Path) -> None:
    plugin = CorroboratePlugin()
    errors, _ = plugin.load_config({"content_dir": "nowhere"}, config_file_path=str(tmp_path / "mkdocs.yml"))
    assert [name for name, _ in errors] == ["content_dir"]


def test_consensus_words_must_be_a_number() -> None:
    plugin = CorroboratePlugin()
    errors, _ = plugin.load_config({"consensus_words": "many"}, config_file_path=str(ROOT / "mkdocs.yml"))
    assert [name for name, _ in errors] == ["consensus_words"]


class _Server:
    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str) -> None:
        self.watched.append(path)


def test_serve_watches_content_and_templates() -> None:
    plugin = CorroboratePlugin()
    plugin.load_config({}, config_file_path=str(ROOT / "mkdocs.yml"))
    server = _Server()
    plugin.on_serve(server, config=None, builder=None)  # type: ignore[arg-type]
    assert server.watched == [str(ROOT / "content"), str(ROOT / "site_templates")]


def test_serve_reloads_when_an_overrides_file_changes() -> None:
    """Both overrides files lie inside a watched folder (livereload watches folders recursively)."""
    plugin = CorroboratePlugin()
    plugin.load_config({}, config_file_path=str(ROOT / "mkdocs.yml"))
    server = _Server()
    plugin.on_serve(server, config=None, builder=None)  # type: ignore[arg-type]
    story_file = ROOT / "content" / "stories" / "us-iraq-combat-mission" / "overrides.yaml"
    site_file = ROOT / "content" / "overrides.yaml"  # may not exist; its place is what matters
    assert story_file.is_file()
    for path in (story_file, site_file):
        assert any(path.is_relative_to(folder) for folder in map(Path, server.watched)), path


def test_set_apart_html_is_put_back_with_its_anchors_or_the_page_fails() -> None:
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from generator.render import set_apart

    plugin = CorroboratePlugin()
    parts = set_apart('# T\n\n<!-- corroborate:html -->\n<p id="s-1">One.</p>\n<!-- /corroborate:html -->\n')
    plugin._set_apart["s/sources/a.md"] = parts
    page = SimpleNamespace(file=SimpleNamespace(src_uri="s/sources/a.md"), present_anchor_ids={"t"})
    ((placeholder, _),) = parts.blocks
    out = plugin.on_page_content(f"<h1>T</h1>\n{placeholder}", page=page, config=None, files=None)  # type: ignore[arg-type]
    assert out == '<h1>T</h1>\n<p id="s-1">One.</p>'
    assert page.present_anchor_ids == {"t", "s-1"}
    other = SimpleNamespace(file=SimpleNamespace(src_uri="s/index.md"), present_anchor_ids=set())
    assert plugin.on_page_content("<p>x</p>", page=other, config=None, files=None) == "<p>x</p>"  # type: ignore[arg-type]
    with pytest.raises(PluginError, match=r"s/sources/a\.md: the converted page lost the placeholder"):
        plugin.on_page_content("<h1>T</h1>", page=page, config=None, files=None)  # type: ignore[arg-type]


def test_links_in_set_apart_html_point_at_pages_and_are_checked_by_mkdocs(tmp_path: Path) -> None:
    """A `.md` link in set-apart HTML becomes the page's address (as MkDocs makes of a Markdown
    link), its anchor is handed to MkDocs's anchor check, and a link to no page fails the page."""
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File, Files

    from generator.render import set_apart

    pages = ("s/facts.md", "s/sources/a.md")
    site = str(tmp_path / "site")
    files = Files([File(path, str(tmp_path), site, use_directory_urls=True) for path in pages])
    plugin = CorroboratePlugin()
    html = '<p><a href="../facts.md#f-1">fact</a> <a href="#s-1">here</a> <a href="https://x.org/a.md">out</a></p>'
    parts = set_apart(f"# T\n\n<!-- corroborate:html -->\n{html}\n<!-- /corroborate:html -->\n")
    plugin._set_apart["s/sources/a.md"] = parts
    ((placeholder, _),) = parts.blocks
    page = SimpleNamespace(
        file=files.get_file_from_path("s/sources/a.md"), present_anchor_ids=set(), links_to_anchors={}
    )
    out = plugin.on_page_content(placeholder, page=page, config=None, files=files)  # type: ignore[arg-type]
    assert out == html.replace("../facts.md#f-1", "../../facts/#f-1")
    assert page.links_to_anchors == {files.get_file_from_path("s/facts.md"): {"f-1": "../facts.md#f-1"}}
    broken = set_apart(
        '<!-- corroborate:html -->\n<a href="../nowhere.md#f-1">x</a>\n<!-- /corroborate:html -->'
    )
    plugin._set_apart["s/sources/a.md"] = broken
    with pytest.raises(PluginError, match=r"s/sources/a\.md links to \.\./nowhere\.md, which is no page"):
        plugin.on_page_content(broken.blocks[0][0], page=page, config=None, files=files)  # type: ignore[arg-type]
