"""The MkDocs adapter: the only module that imports MkDocs.

`on_files` runs the pipeline over `content/stories/*` and adds the rendered pages in memory
(`File.generated`), so nothing is ever written into `docs_dir`; `on_serve` watches the content
and templates so `mkdocs serve` rebuilds when an article changes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .ingest import find_stories
from .pipeline import build_folder, site_overrides
from .records import Problem, Severity
from .render import STYLESHEET, SiteRenderer

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
        content_dir = Path(self.config.content_dir)
        folders, problems = find_stories(content_dir)
        site, site_problems = site_overrides(content_dir)
        problems.extend(site_problems)
        stories = []
        for folder in folders:
            story = build_folder(folder, self.config.consensus_words, site)
            problems.extend(story.problems)
            for source in story.sources:  # repairs made while reading: shown with `mkdocs build -v`
                for note in source.notes:
                    log.debug(note.describe())
            if not story.sources:  # never publish an empty story; the others still build
                problems.append(Problem(folder.directory, "story has no readable articles: skipped"))
                continue
            stories.append(story)
        errors = [p for p in problems if p.severity is Severity.ERROR]
        for problem in problems:
            if problem.severity is Severity.WARNING:
                log.warning(problem.describe())
        if errors:
            raise PluginError("\n".join(p.describe() for p in errors))
        pages, nav = SiteRenderer(Path(self.config.templates_dir)).render(stories)
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
