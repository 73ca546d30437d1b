"""The whole pipeline, stage by stage, for one story folder or a list of article files.

Phase one reads and analyses each article on its own (ingest, clean, segment, analyse); phase two
decides across sources (align, consolidate). Editors' overrides are applied by the stage that owns
each decision. Rendering is left to the caller.

`build_site` builds every story of a content folder, each through `run_story`, so that a bug met
in one story stops only that story: the plugin, `corroborate check` and the golden files use it.
"""

from __future__ import annotations

import difflib
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TypeVar

import regex

from .align import align, find_copies, fold, mark_copies, resolve_entities
from .analyse import ANALYSED_CHARS, analyse_sources, analysed_part, assess_source
from .clean import EDITOR_MATCH_SECONDS, clean_article, editor_pattern_matches
from .consolidate import build_story
from .ingest import StoryFolder, contained, find_stories, outside_content, read_article, source_id_for
from .overrides import (
    NO_OVERRIDES,
    OVERRIDES_FILE,
    BoilerplatePattern,
    Overrides,
    check_source_ids,
    read_overrides,
)
from .records import (
    Article,
    CleanArticle,
    Correction,
    Edit,
    Entity,
    Problem,
    Severity,
    Source,
    Story,
    StoryFailure,
    StoryInfo,
)
from .segment import segment_article


def source_ids_for(paths: Sequence[Path]) -> list[str]:
    """The id of each article path, in order: the file name's slug, made unique."""
    used: list[str] = []
    for path in paths:
        source_id = source_id_for(path)
        while source_id in used:
            source_id += "-2"
        used.append(source_id)
    return used


def read_sources(
    paths: Sequence[Path], overrides: Overrides = NO_OVERRIDES
) -> tuple[tuple[Source, ...], list[Problem]]:
    """Phase one for each file: ingest, clean, segment, with the editors' source metadata and
    boilerplate patterns applied. Unreadable files become problems."""
    sources: list[Source] = []
    problems: list[Problem] = []
    for path, source_id in zip(paths, source_ids_for(paths), strict=True):
        article = read_article(path, source_id)
        if isinstance(article, Problem):
            problems.append(article)
            continue
        clean, edits = _clean(article, overrides)
        problems.extend(_unfinished_patterns(clean, overrides))
        source = segment_article(clean)
        source = replace(source, notes=source.notes + assess_source(source))
        unread = _unanalysed(source)
        if unread is not None:
            problems.append(replace(unread, severity=Severity.WARNING))
            source = replace(source, notes=(*source.notes, unread))
        own = overrides.source(source_id)
        if own is not None:
            source = replace(source, note=own.note, edits=edits)
        if not source.sentences:
            problems.append(Problem(path, "no text left after removing boilerplate", Severity.WARNING))
            continue
        sources.append(source)
    return tuple(sources), problems


def _unanalysed(source: Source) -> Problem | None:
    """An INFO note when the analysis reads only part of `source` (`analyse.analysed_part`): from
    which sentence on, and how much is left out of the facts; None when it reads all of it."""
    citable = source.citable
    part = analysed_part(source)
    if len(part) == len(citable):
        return None
    first = citable[len(part)]
    body = source.sentences
    chars = sum(len(s.text) + 1 for s in body)
    return Problem(
        source.path,
        f"too long to compare in full: {chars:,} characters in {len(body):,} sentences; the"
        f" {len(citable) - len(part):,} sentences from sentence {first.number} on are published on the"
        f" source page but in no fact (the analysis reads the first {ANALYSED_CHARS:,} characters"
        " of an article's body)",
        Severity.INFO,
    )


def _clean(article: Article, overrides: Overrides) -> tuple[CleanArticle, tuple[Edit, ...]]:
    """Clean one article with the editor's patterns for it and its outlet, then set the metadata
    the editor corrected (the editor's values win over what the text says)."""
    own = overrides.source(article.source_id)
    corrected = dict(own.meta) if own else {}
    outlet = corrected.get("outlet", article.meta.outlet)
    patterns = overrides.patterns_for(article.source_id, outlet)
    clean = clean_article(article, _pairs(patterns))
    if "outlet" not in corrected and clean.meta.outlet != outlet:  # the footer named the outlet
        later = overrides.patterns_for(article.source_id, clean.meta.outlet)
        if later != patterns:
            clean = clean_article(article, _pairs(later))
    if not corrected:
        return clean, ()
    meta = replace(clean.meta, **corrected)
    edits = tuple(
        Edit(key, getattr(clean.meta, key), value)
        for key, value in corrected.items()
        if getattr(clean.meta, key) != value
    )
    return replace(clean, meta=meta), edits


def _pairs(patterns: Sequence[BoilerplatePattern]) -> tuple[tuple[regex.Pattern[str], str], ...]:
    return tuple((p.pattern, p.reason) for p in patterns)


def _unfinished_patterns(clean: CleanArticle, overrides: Overrides) -> list[Problem]:
    """A warning at each editor's pattern that ran out of time on this article."""
    problems = []
    for text, line in clean.unfinished:
        pattern = next(p for p in overrides.all_patterns if p.pattern.pattern == text)
        problems.append(
            pattern.place.problem(
                f"boilerplate pattern '{text}' ran out of time ({EDITOR_MATCH_SECONDS} s) on line {line}"
                f" of {clean.path}: that line was kept and the pattern not tried on the rest of the"
                " article (hint: repeat each piece of the pattern once, or anchor it with ^)",
                Severity.WARNING,
            )
        )
    return problems


def build(
    info: StoryInfo,
    paths: Sequence[Path],
    max_words: int | None = None,
    default_words: int | None = None,
    overrides: Overrides = NO_OVERRIDES,
) -> Story:
    """Run the whole pipeline over `paths` as one story, with editors' `overrides` applied.
    `max_words` caps the consensus whatever story.yaml says; `default_words` applies only where
    story.yaml says nothing."""
    known = source_ids_for(paths)
    problems = check_source_ids(overrides, known)
    if problems:
        # The errors stop the build; going on without the entries that name unknown sources lets
        # `corroborate check` report the file's other mistakes in the same run.
        overrides = _naming_known_sources(overrides, set(known))
    sources, read_problems = read_sources(paths, overrides)
    problems.extend(read_problems)
    analysed = analyse_sources(sources)
    detected = find_copies(analysed)
    copies, copy_problems = _copies(detected, overrides, {a.source.id for a in analysed})
    problems.extend(copy_problems)
    analysed = mark_copies(analysed, copies)
    entities, mention_map = resolve_entities(analysed, overrides.entities)
    alignment = align(analysed, mention_map, copies, entities)
    story = build_story(info, analysed, entities, mention_map, alignment, max_words, default_words, overrides)
    if not overrides.empty:
        story = _record_source_corrections(story, overrides, detected, copies)
        corrections, entity_problems = _entity_corrections(entities, overrides)
        story = replace(story, corrections=(*story.corrections, *corrections))
        problems.extend(entity_problems)
    return replace(story, problems=(*problems, *story.problems))


def _entity_corrections(
    entities: Sequence[Entity], overrides: Overrides
) -> tuple[list[Correction], list[Problem]]:
    """A correction for each entity the editors changed; a warning for each of the story's own
    entity overrides that matched no name (site-wide ones need not appear in every story)."""
    corrections = []
    problems = []
    spelled = {fold(name): e for e in entities for name in (e.name, *e.aliases)}
    for rule in overrides.entities:
        matched = [spelled[fold(s)] for s in (rule.split or rule.spellings) if fold(s) in spelled]
        unmatched_split = not rule.name and len(set(matched)) < 2
        renamed = rule.name and any(e.name == rule.name and e.edits for e in entities)
        if unmatched_split or (rule.name and not renamed and not matched):
            if not rule.site_wide:
                wanted = rule.split or rule.spellings
                names = [e.name for e in entities]
                close = sorted(
                    {c for w in wanted for c in difflib.get_close_matches(w, names, n=2, cutoff=0.5)}
                )
                hint = f" (did you mean {' or '.join(close)}?)" if close else ""
                what = (
                    "split needs two of these names in this story: "
                    if rule.split
                    else "no name in this story is spelled "
                )
                problems.append(rule.place.problem(f"{what}{' or '.join(wanted)}{hint}", Severity.WARNING))
            continue
        where = rule.place.short
        targets = [e for e in entities if rule.name and e.name == rule.name] or matched
        for entity in dict.fromkeys(targets):
            if entity.edits:
                corrections.append(
                    Correction("entity", entity.id, entity.name, entity.edits, rule.note, where)
                )
    unique = list(dict((c.target, c) for c in corrections).values())
    return unique, problems


def _naming_known_sources(overrides: Overrides, known: set[str]) -> Overrides:
    return replace(
        overrides,
        sources=tuple(
            s
            for s in overrides.sources
            if s.source_id in known and (not isinstance(s.copy_of, str) or s.copy_of in known)
        ),
        boilerplate=tuple(b for b in overrides.boilerplate if b.source is None or b.source in known),
        new_facts=tuple(n for n in overrides.new_facts if all(c.source in known for c in n.citations)),
    )


def _copies(
    detected: dict[str, str], overrides: Overrides, present: set[str]
) -> tuple[dict[str, str], list[Problem]]:
    """Detected copies with the editors' rulings applied; chains lead to the original."""
    copies = dict(detected)
    problems = []
    for source in overrides.sources:
        if source.copy_of is False:
            copies.pop(source.source_id, None)
        elif isinstance(source.copy_of, str) and source.source_id in present:
            copies[source.source_id] = source.copy_of
    for source_id in list(copies):
        seen = {source_id}
        target = copies[source_id]
        while target in copies:
            if target in seen:
                place = next(s.place for s in overrides.sources if s.source_id in seen and s.copy_of)
                problems.append(place.problem(f"copy_of makes a circle: {' -> '.join(sorted(seen))}"))
                copies.pop(source_id)
                break
            seen.add(target)
            target = copies[target]
        else:
            copies[source_id] = target
    return copies, problems


def _record_source_corrections(
    story: Story, overrides: Overrides, detected: dict[str, str], copies: dict[str, str]
) -> Story:
    """Mark each source the editors changed and list the changes in the corrections column."""
    corrections: list[Correction] = []
    sources = []
    for source in story.sources:
        own = overrides.source(source.id)
        if own is None:
            sources.append(source)
            continue
        if detected.get(source.id) != copies.get(source.id):
            copy_edit = Edit("copy_of", detected.get(source.id), copies.get(source.id))
            source = replace(source, edits=(*source.edits, copy_edit))
        sources.append(source)
        if source.edits or own.note:  # an override that changes nothing leaves no trace
            edits = source.edits or (Edit("note", None, own.note),)
            corrections.append(
                Correction("source", source.id, source.label, edits, own.note, own.place.short)
            )
    problems: list[Problem] = []
    for pattern in overrides.all_patterns:
        reason = f"editor: {pattern.reason}"
        hits = [
            (s.id, len([r for r in s.removed if r.reason == reason and _matches(pattern, r.text)]))
            for s in sources
        ]
        hits = [(source_id, n) for source_id, n in hits if n]
        if not hits and pattern.site_wide:
            continue  # a site-wide pattern for another outlet's furniture
        where = pattern.place.short
        removed = ", ".join(f"{n} from {source_id}" for source_id, n in hits)
        corrections.append(
            Correction(
                "boilerplate",
                pattern.pattern.pattern,
                pattern.reason,
                (Edit("lines removed", None, removed or "none"),),
                pattern.note,
                where,
            )
        )
        if not hits:
            problems.append(
                pattern.place.problem(
                    f"boilerplate pattern '{pattern.pattern.pattern}' matches no line of this story",
                    Severity.WARNING,
                )
            )
    return replace(
        story,
        sources=tuple(sources),
        corrections=(*corrections, *story.corrections),
        problems=(*story.problems, *problems),
    )


def _matches(pattern: BoilerplatePattern, text: str) -> bool:
    """Whether an editor's pattern matches a removed line (one that ran out of time there has
    been reported already)."""
    try:
        return editor_pattern_matches(pattern.pattern, text)
    except TimeoutError:
        return False


def site_overrides(content_dir: Path) -> tuple[Overrides, list[Problem]]:
    """The site-wide `content/overrides.yaml` (entities and boilerplate), if there is one."""
    path = content_dir / OVERRIDES_FILE
    if path.is_file() and not contained(path, content_dir):
        return NO_OVERRIDES, [outside_content(path, "this file")]
    return read_overrides(path, site_wide=True) if path.is_file() else (NO_OVERRIDES, [])


def story_overrides(folder: StoryFolder, site: Overrides = NO_OVERRIDES) -> tuple[Overrides, list[Problem]]:
    """The site-wide overrides followed by the story's own `overrides.yaml`, if it has one."""
    path = folder.readable(OVERRIDES_FILE)
    if path is None:
        return site, []
    own, problems = read_overrides(path)
    return site + own, problems


def build_folder(
    folder: StoryFolder, default_words: int | None = None, site: Overrides = NO_OVERRIDES
) -> Story:
    """Build one story folder; `default_words` is the site-wide consensus length and `site` the
    site-wide overrides."""
    overrides, problems = story_overrides(folder, site)
    story = build(folder.info, folder.article_paths, default_words=default_words, overrides=overrides)
    return replace(story, problems=(*problems, *story.problems))


T = TypeVar("T")


def run_story(directory: Path, step: Callable[[], T]) -> T | StoryFailure:
    """Run one story's `step` (its build, its rendering) so that an unexpected exception stops only
    that story: it comes back as a StoryFailure naming the story's `directory`, with the exception's
    type, message and traceback. Mistakes in the content are Problems on the story, never
    exceptions, so what is caught here is a bug; catching it keeps one story from stopping a site.
    KeyboardInterrupt and SystemExit are not caught."""
    try:
        return step()
    except Exception as error:
        message = " ".join(str(error).split())
        return StoryFailure(
            directory,
            f"{type(error).__name__}: {message}" if message else type(error).__name__,
            traceback.format_exc(),
        )


@dataclass(frozen=True, slots=True)
class SiteBuild:
    """Every story folder of a content folder, built one by one by `build_site`."""

    folders: tuple[StoryFolder, ...]  # every story folder found, sorted by id
    stories: tuple[Story, ...]  # those that built, in the same order (with or without sources)
    failures: tuple[StoryFailure, ...]  # those whose build raised, in the same order
    problems: tuple[Problem, ...]  # the content's: folders, site overrides, then story by story

    @property
    def published(self) -> tuple[Story, ...]:
        """The stories to publish: those that built and kept at least one readable article."""
        return tuple(story for story in self.stories if story.sources)

    def folder(self, story: Story) -> StoryFolder:
        """The folder `story` was built from (story ids are unique within a site)."""
        return next(folder for folder in self.folders if folder.info.id == story.info.id)


def build_site(content_dir: Path, default_words: int | None = None) -> SiteBuild:
    """Build every story under `content_dir/stories/` with the site-wide overrides.

    A story without a readable article gets a warning and publishes nothing; a story whose build
    raises becomes a StoryFailure and publishes nothing; either way the other stories build exactly
    as they would without it."""
    folders, problems = find_stories(content_dir)
    site, site_problems = site_overrides(content_dir)
    problems.extend(site_problems)
    stories: list[Story] = []
    failures: list[StoryFailure] = []
    for folder in folders:
        story = run_story(folder.directory, partial(build_folder, folder, default_words, site))
        if isinstance(story, StoryFailure):
            failures.append(story)
            continue
        problems.extend(story.problems)
        if not story.sources:  # never publish an empty story; the others still build
            problems.append(Problem(folder.directory, "story has no readable articles: skipped"))
        stories.append(story)
    return SiteBuild(tuple(folders), tuple(stories), tuple(failures), tuple(problems))
