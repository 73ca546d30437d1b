"""The `corroborate` command line (also `python -m generator`).

    corroborate build [-f mkdocs.yml] [--strict] [-v]     the same as `mkdocs build`
    corroborate export PATH [PATH ...] [-o FILE] [--max-words N] [--title T] [--overrides FILE] [-v]
    corroborate check [CONTENT_DIR] [--strict] [-v]      report every problem in the content
    corroborate schema [-o FILE]                         the JSON Schema of overrides.yaml

`export` treats all the paths it is given (folders of articles, or article files) as one story
and writes its JSON without MkDocs. A story whose build raises (a bug) is reported as an error
naming it, with the traceback under --verbose; `build` and `check` go on with the other stories,
and fail at the end only with --strict.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TextIO

import yaml

from .export import dumps, story_json
from .ingest import ARTICLE_SUFFIXES, StoryFolder, article_paths_in, read_story_info
from .overrides import NO_OVERRIDES, read_overrides, schema
from .pipeline import build, build_site, run_story, site_overrides, story_overrides
from .records import Problem, Severity, Story, StoryFailure, StoryInfo, problems_to_show


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, with one subparser per command."""
    parser = argparse.ArgumentParser(prog="corroborate", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build_cmd = commands.add_parser("build", help="build the site (runs `mkdocs build`)")
    build_cmd.add_argument("-f", "--config-file", default="mkdocs.yml", help="the mkdocs.yml to use")
    build_cmd.add_argument(
        "--strict", action="store_true", help="fail on any warning or story that failed to build"
    )
    build_cmd.add_argument("-d", "--site-dir", help="where to write the site (default: site/)")
    build_cmd.add_argument(
        "-v", "--verbose", action="store_true", help="debug output, with the traceback of a failed story"
    )

    export_cmd = commands.add_parser("export", help="write one story's JSON from article files")
    export_cmd.add_argument(
        "paths", nargs="+", type=Path, help="folders of articles and/or article files, together one story"
    )
    export_cmd.add_argument("-o", "--output", type=Path, help="the JSON file (default: stdout)")
    export_cmd.add_argument("--max-words", type=int, help="cap the consensus at N words")
    export_cmd.add_argument("--title", help="the story's title (default: story.yaml or a headline)")
    export_cmd.add_argument(
        "--overrides",
        type=Path,
        help="an overrides.yaml to apply (default: the folder's own, when one folder is given)",
    )
    export_cmd.add_argument(
        "-v", "--verbose", action="store_true", help="print the traceback if the story fails to build"
    )

    check_cmd = commands.add_parser("check", help="validate the content and report every problem")
    check_cmd.add_argument(
        "content_dir", nargs="?", default="content", type=Path, help="the content folder (default: content)"
    )
    check_cmd.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (orphaned overrides included) and stories that failed to build as errors",
    )
    check_cmd.add_argument(
        "-v", "--verbose", action="store_true", help="print the traceback of each story that failed to build"
    )

    schema_cmd = commands.add_parser("schema", help="print the JSON Schema of overrides.yaml")
    schema_cmd.add_argument("-o", "--output", type=Path, help="write it to this file instead")

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "export":
        return _export(args)
    if args.command == "schema":
        return _schema(args)
    return _check(args)


def _build(args: argparse.Namespace) -> int:
    """Run `mkdocs build` into a fresh folder beside the site and put it in the site's place only
    when the build succeeds: a failed build leaves the last good site as it was."""
    config = Path(args.config_file)
    site = Path(args.site_dir) if args.site_dir else config.parent / _site_dir(config)
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    command = [sys.executable, "-m", "mkdocs", "build", "-f", args.config_file, "-d", str(staging)]
    if args.strict:
        command.append("--strict")
    if args.verbose:  # the plugin logs a failed story's traceback at debug level
        command.append("--verbose")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's banner says nothing about this site
    try:
        status = subprocess.call(command, env=env)
        if status != 0:
            kept = "the last site is unchanged" if site.exists() else "no site was written"
            print(f"corroborate: the build failed; {kept} ({site})", file=sys.stderr)
            return status
        _replace(site, staging)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _site_dir(config: Path) -> str:
    """The `site_dir` of a mkdocs.yml ("site" when it sets none). Tags such as Material's
    `!!python/name:` are read as nothing: only this one plain setting is wanted."""

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader subclass
    except (OSError, yaml.YAMLError):
        return "site"  # mkdocs itself reports what is wrong with the file
    value = data.get("site_dir") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else "site"


def _replace(site: Path, staging: Path) -> None:
    """Put the freshly built `staging` folder where `site` is, removing the old site last."""
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
        os.replace(site, old / site.name)
    os.replace(staging, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _export(args: argparse.Namespace) -> int:
    paths: list[Path] = []
    problems: list[Problem] = []
    info = StoryInfo(id="story", title=args.title)
    for path in args.paths:
        if path.is_dir():
            found, skipped = article_paths_in(path)
            paths.extend(found)
            problems.extend(skipped)
            folder_info, info_problems = read_story_info(path)
            problems.extend(info_problems)
            if len(args.paths) == 1:
                info = StoryInfo(
                    folder_info.id,
                    args.title or folder_info.title,
                    folder_info.summary,
                    folder_info.consensus_words,
                )
        elif path.is_file() and path.suffix.lower() in ARTICLE_SUFFIXES:
            paths.append(path)
        else:
            problems.append(Problem(path, "no such article file or folder", Severity.ERROR))
    overrides = NO_OVERRIDES
    if args.overrides is not None:
        overrides, override_problems = read_overrides(args.overrides)
        problems.extend(override_problems)
    elif len(args.paths) == 1 and args.paths[0].is_dir():
        # A story folder of a site: its own overrides after the site-wide ones, as the site builds it.
        folder = args.paths[0]
        site = NO_OVERRIDES
        if folder.resolve().parent.name == "stories":
            site, override_problems = site_overrides(folder.resolve().parent.parent)
            problems.extend(override_problems)
        overrides, override_problems = story_overrides(StoryFolder(info, folder, ()), site)
        problems.extend(override_problems)
    story_path = _story_path(args.paths)
    story = run_story(story_path, partial(build, info, paths, args.max_words, overrides=overrides))
    if not isinstance(story, StoryFailure):
        problems.extend(story.problems)
    for problem in problems_to_show(problems):
        print(problem.describe(), file=sys.stderr)
    if isinstance(story, StoryFailure):
        _print_failures([story], args.verbose, sys.stderr)
        return 1
    if any(p.severity is Severity.ERROR for p in problems) or not story.sources:
        if not story.sources:
            print("corroborate: no readable articles", file=sys.stderr)
        return 1
    text = run_story(story_path, partial(_story_text, story))
    if isinstance(text, StoryFailure):
        _print_failures([text], args.verbose, sys.stderr)
        return 1
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _schema(args: argparse.Namespace) -> int:
    text = json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _story_text(story: Story) -> str:
    return dumps(story_json(story))


def _story_path(paths: Sequence[Path]) -> Path:
    """What names an exported story in a message: its folder, or the folder its files share."""
    try:
        return Path(os.path.commonpath(paths)) if len(paths) > 1 else paths[0]
    except ValueError:  # absolute and relative paths mixed
        return paths[0]


def _print_failures(failures: Sequence[StoryFailure], verbose: bool, stream: TextIO) -> None:
    for failure in failures:
        print(failure.describe(), file=stream)
        if verbose:
            print(failure.traceback, end="", file=stream)


def _check(args: argparse.Namespace) -> int:
    """Build every story (without rendering) so overrides are checked against real ids."""
    site = build_site(args.content_dir)
    said = {(p.path, p.message) for p in site.problems}  # a warning also noted on its page: once
    notes = [
        note
        for story in site.stories
        for source in story.sources
        for note in source.notes
        if (note.path, note.message) not in said
    ]
    for problem in problems_to_show(site.problems):
        print(problem.describe())
    _print_failures(site.failures, args.verbose, sys.stdout)
    for note in problems_to_show(notes):
        print(note.describe())
    errors = sum(p.severity is Severity.ERROR for p in site.problems)
    warnings = sum(p.severity is Severity.WARNING for p in site.problems)
    articles = sum(len(story.sources) for story in site.stories)
    failed = len(site.failures)
    failed_line = f"; {failed} {'story' if failed == 1 else 'stories'} failed to build" if failed else ""
    print(
        f"{len(site.folders)} stories, {articles} articles: {errors} errors, {warnings} warnings, "
        f"{len(notes)} notes{failed_line}"
    )
    return 1 if errors or (args.strict and (warnings or site.failures)) else 0


if __name__ == "__main__":
    raise SystemExit(main())
