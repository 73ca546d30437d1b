"""The MkDocs adapter: the only module that imports MkDocs.

`on_files` runs the pipeline over `content/stories/*` and adds the rendered pages in memory
(`File.generated`), so nothing is ever written into `docs_dir`; `on_serve` watches the content
and templates so `mkdocs serve` rebuilds when an article changes. The finished HTML the templates
set apart (each article's sentences, the fact lists, the removed lines: thousands of elements for
a long article) is kept out of Markdown (`render.set_apart`) and put back by `on_page_content`,
which points its links at the pages they name and gives MkDocs its anchors and links to check.

A story that fails to build or render (a bug, not a mistake in the content) is logged as an error
naming its folder, with the traceback at debug level (`mkdocs build -v`), and publishes nothing;
the other stories publish as usual, and `mkdocs build --strict` fails after listing every failure.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .pipeline import SiteBuild, build_site, run_story
from .records import Severity, Story, StoryFailure, problems_to_show
from .render import STYLESHEET, NavItem, Page, SetApart, SiteRenderer, set_apart

log = logging.getLogger("mkdocs.plugins.corroborate")


class CorroborateConfig(base.Config):
    """Options of the `corroborate` plugin in mkdocs.yml."""

    content_dir = c.Dir(exists=True, default="content")
    templates_dir = c.Dir(exists=True, default="site_templates")
    consensus_words = c.Optional(c.Type(int))


class CorroboratePlugin(BasePlugin[CorroborateConfig]):
    """Builds the story pages from the articles under `content_dir`."""

    def __init__(self) -> None:
        super().__init__()
        self._set_apart: dict[str, SetApart] = {}  # generated page -> its HTML kept out of Markdown

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._user_nav = config.nav is not None
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        site = build_site(Path(self.config.content_dir), self.config.consensus_words)
        for story in site.stories:  # repairs made while reading: shown with `mkdocs build -v`
            for note in (note for source in story.sources for note in source.notes):
                log.debug(note.describe())
        shown = problems_to_show(site.problems)  # at most 20 a file and severity, then a count
        for problem in shown:
            if problem.severity is Severity.WARNING:
                log.warning(problem.describe())
        if any(p.severity is Severity.ERROR for p in site.problems):
            _log_failures(site.failures)
            raise PluginError("\n".join(p.describe() for p in shown if p.severity is Severity.ERROR))
        renderer = SiteRenderer(Path(self.config.templates_dir))
        rendered, render_failures = _render_stories(site, renderer)
        _log_failures([*site.failures, *render_failures])
        pages, nav = renderer.render_site(rendered)
        self._set_apart = {}
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                where = existing.abs_src_path or f"another generated page ({existing.src_uri})"
                raise PluginError(
                    f"{where} has the path of the generated page {page.path}: rename or remove it"
                )
            content = page.content
            if page.path.endswith(".md"):
                parts = set_apart(content)
                if parts.blocks:
                    self._set_apart[page.path] = parts
                    content = parts.markdown
            files.append(File.generated(config, page.path, content=content))
        if not self._user_nav:
            config.nav = nav
        return files

    @event_priority(100)  # first: other plugins see the page as it will be published
    def on_page_content(self, html: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Put back the finished HTML taken out of a generated page before Markdown (an
        article's sentences), and tell MkDocs the anchors in it, so links to them are checked."""
        parts = self._set_apart.get(page.file.src_uri)
        if parts is None:
            return html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= parts.anchors()
        pages: dict[str, File] = {}
        for written, anchor in sorted(parts.links()):
            target = files.get_file_from_path(
                posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), written))
            )
            if target is None:
                raise PluginError(f"{page.file.src_uri} links to {written}, which is no page of the site")
            pages[written] = target
            if anchor and page.links_to_anchors is not None:  # checked by MkDocs once all pages are built
                page.links_to_anchors.setdefault(target, {}).setdefault(anchor, f"{written}#{anchor}")
        try:
            return parts.restore(html, lambda written: pages[written].url_relative_to(page.file))
        except ValueError as error:
            raise PluginError(f"{page.file.src_uri}: {error} (a Markdown extension changed it)") from None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for folder in (self.config.content_dir, self.config.templates_dir):
            server.watch(str(Path(folder).resolve()))
        return server


def _log_failures(failures: Sequence[StoryFailure]) -> None:
    """Each failed story as an error, so `mkdocs build --strict` fails after listing them all;
    the traceback at debug level (`mkdocs build -v`)."""
    for failure in failures:
        log.error(failure.describe())
        log.debug(failure.traceback)


def _render_stories(
    site: SiteBuild, renderer: SiteRenderer
) -> tuple[list[tuple[Story, tuple[list[Page], list[NavItem]]]], list[StoryFailure]]:
    """Each published story's pages, rendered one story at a time so that a story whose rendering
    raises leaves no page behind; its failure is returned instead."""
    rendered = []
    failures = []
    for story in site.published:
        pages = run_story(site.folder(story).directory, partial(renderer.render_story, story))
        if isinstance(pages, StoryFailure):
            failures.append(pages)
        else:
            rendered.append((story, pages))
    return rendered, failures
