"""The whole pipeline, stage by stage, for one story folder or a list of article files.

Phase one reads and analyses each article on its own (ingest, clean, segment, analyse); phase two
decides across sources (align, consolidate). Rendering is left to the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .align import align, find_copies, mark_copies, resolve_entities
from .analyse import analyse_sources
from .clean import clean_article
from .consolidate import build_story
from .ingest import StoryFolder, read_article, source_id_for
from .records import Problem, Severity, Source, Story, StoryInfo
from .segment import segment_article


def read_sources(paths: Sequence[Path]) -> tuple[tuple[Source, ...], list[Problem]]:
    """Phase one for each file: ingest, clean, segment. Unreadable files become problems."""
    sources: list[Source] = []
    problems: list[Problem] = []
    used: set[str] = set()
    for path in paths:
        source_id = source_id_for(path)
        while source_id in used:
            source_id += "-2"
        used.add(source_id)
        article = read_article(path, source_id)
        if isinstance(article, Problem):
            problems.append(article)
            continue
        source = segment_article(clean_article(article))
        if not source.sentences:
            problems.append(Problem(path, "no text left after removing boilerplate", Severity.WARNING))
            continue
        sources.append(source)
    return tuple(sources), problems


def build(
    info: StoryInfo, paths: Sequence[Path], max_words: int | None = None, default_words: int | None = None
) -> Story:
    """Run the whole pipeline over `paths` as one story. `max_words` caps the consensus whatever
    story.yaml says; `default_words` applies only where story.yaml says nothing."""
    sources, problems = read_sources(paths)
    analysed = analyse_sources(sources)
    copies = find_copies(analysed)
    analysed = mark_copies(analysed, copies)
    entities, mention_map = resolve_entities(analysed)
    alignment = align(analysed, mention_map, copies)
    story = build_story(info, analysed, entities, mention_map, alignment, max_words, default_words)
    return replace(story, problems=tuple(problems))


def build_folder(folder: StoryFolder, default_words: int | None = None) -> Story:
    """Build one story folder; `default_words` is the site-wide consensus length."""
    return build(folder.info, folder.article_paths, default_words=default_words)
