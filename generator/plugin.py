"""The MkDocs adapter: the only module that imports MkDocs.

`on_files` runs the pipeline over `content/stories/*` and adds the rendered pages in memory
(`File.generated`), so nothing is ever written into `docs_dir`; `on_serve` watches the content
and templates so `mkdocs serve` rebuilds when an article changes.

A story that fails to build or render (a bug, not a mistake in the content) is logged as an error
naming its folder, with the traceback at debug level (`mkdocs build -v`), and publishes nothing;
the other stories publish as usual, and `mkdocs build --strict` fails after listing every failure.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .pipeline import SiteBuild, build_site, run_story
from .records import Severity, Story, StoryFailure, problems_to_show
from .render import STYLESHEET, NavItem, Page, SiteRenderer

log = logging.getLogger("mkdocs.plugins.corroborate")


class CorroborateConfig(base.Config):
    """Options of the `corroborate` plugin in mkdocs.yml."""

    content_dir = c.Dir(exists=True, default="content")
    templates_dir = c.Dir(exists=True, default="site_templates")
    consensus_words = c.Optional(c.Type(int))


class CorroboratePlugin(BasePlugin[CorroborateConfig]):
    """Builds the story pages from the articles under `content_dir`."""

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
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                where = existing.abs_src_path or f"another generated page ({existing.src_uri})"
                raise PluginError(
                    f"{where} has the path of the generated page {page.path}: rename or remove it"
                )
            files.append(File.generated(config, page.path, content=page.content))
        if not self._user_nav:
            config.nav = nav
        return files

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
