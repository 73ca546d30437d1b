"""Read the YAML editors write (`overrides.yaml`, `story.yaml`, an article's front matter) within
bounds, keeping the line and column of every node.

A hostile or broken file costs bounded time and memory and becomes a `Problem` naming the file,
line and column, never an exception or a hang. Three limits are checked before PyYAML does the
costly thing:

- **size**: a file larger than its limit is refused from its size on disk, without reading it;
- **aliases** (`*name`): refused where they are written. An editor's file never needs them, and
  aliases of aliases ("billion laughs") multiply a few lines into billions of nodes;
- **depth**: lists and mappings nested deeper than `MAX_DEPTH` are refused when the composer
  reaches that depth, before PyYAML's recursive composer and constructor could exhaust the stack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .records import Problem, Severity

# Levels of lists and mappings inside each other; the deepest overrides entry needs 5.
MAX_DEPTH = 50
# An overrides file: some 300 times the seed story's; parsing it takes about 3 s.
OVERRIDES_MAX_BYTES = 1024 * 1024
# A story.yaml, or an article's front matter: a title, a summary and a few short fields.
STORY_MAX_BYTES = 256 * 1024


class _Refused(yaml.MarkedYAMLError):
    """A limit met while composing: reported as it is, not as a syntax error."""


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with aliases refused and the nesting depth capped in `compose_node`,
    the one method every node goes through on its way down."""

    def __init__(self, text: str, max_depth: int) -> None:
        super().__init__(text)
        self.max_depth = max_depth
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(
                problem=f"YAML aliases (*name) are not allowed: found *{event.anchor}"
                " (hint: write the value out in full where it is needed)",
                problem_mark=event.start_mark,
            )
        if self.depth >= self.max_depth:
            raise _Refused(
                problem=f"YAML nested deeper than {self.max_depth} levels (the limit)"
                " (hint: look for an unclosed '[' or '{', or indentation that runs away)",
                problem_mark=self.peek_event().start_mark,
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self.depth -= 1


def compose_yaml(
    path: Path,
    text: str,
    max_bytes: int,
    line_offset: int = 0,
    max_depth: int = MAX_DEPTH,
    syntax_hint: str = "",
) -> yaml.Node | Problem | None:
    """The node tree of one YAML document (None when it is empty), or the error that stops it:
    a syntax error (followed by `syntax_hint`), an alias, nesting deeper than `max_depth`, or a
    text of more than `max_bytes`. Lines are 1-based, counted from `line_offset` (the line before
    the text in its file, for front matter). Never raises."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        return Problem(
            path,
            f"YAML too large: {size:,} bytes (the limit is {describe_size(max_bytes)}), not read",
            Severity.ERROR,
            line_offset + 1,
        )
    try:
        loader = _BoundedLoader(text, max_depth)  # the reader checks every character here
    except yaml.YAMLError as error:
        return _problem(path, text, error, line_offset, syntax_hint)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as error:
        return _problem(path, text, error, line_offset, syntax_hint)
    finally:
        loader.dispose()


def read_yaml_file(path: Path, max_bytes: int, what: str, errors: str = "strict") -> str | Problem:
    """The text of a YAML file (UTF-8, a byte order mark dropped; undecodable bytes replaced with
    `errors="replace"`), or why not: it is larger than `max_bytes` (told by its size on disk, so
    nothing is read), not a regular file, unreadable or not UTF-8. `what` names it in messages."""
    try:
        stat = path.stat()
        if not path.is_file():
            return Problem(path, f"cannot read {what}: not a regular file", Severity.ERROR)
        if stat.st_size > max_bytes:
            return Problem(path, _too_large(stat.st_size, max_bytes, what), Severity.ERROR)
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)  # it may have grown since stat
        if len(raw) > max_bytes:
            return Problem(path, _too_large(len(raw), max_bytes, what), Severity.ERROR)
        return raw.decode("utf-8-sig", errors=errors)
    except (OSError, UnicodeDecodeError) as error:
        return Problem(path, f"cannot read {what}: {error}", Severity.ERROR)


def describe_size(size: int) -> str:
    """`2 MiB`, `256 KiB` or `1,000 bytes`: a limit as people read it."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


def _too_large(size: int, max_bytes: int, what: str) -> str:
    return (
        f"{what} too large: {size:,} bytes (the limit is {describe_size(max_bytes)}), not read"
        " (hint: an editor's corrections take far less; was another file saved under this name?)"
    )


def error_reason(error: Exception, default: str | None = None) -> str:
    """What went wrong, in one line: PyYAML's `problem` when it gives one, else the error's first
    line, else `default` (the exception's type name when none is given). PyYAML's constructors
    raise more than YAMLError on odd scalars (ValueError for "2021-02-30", IndexError for
    "!!int ''", OverflowError): callers catch any exception and describe it with this."""
    lines = str(error).splitlines() or [default or type(error).__name__]
    return getattr(error, "problem", None) or lines[0]


def _problem(path: Path, text: str, error: yaml.YAMLError, line_offset: int, hint: str) -> Problem:
    """A PyYAML error as a problem at its line and column."""
    line = column = None
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(error, yaml.reader.ReaderError):  # a character YAML forbids, at an offset
        before = text[: error.position]
        line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
    if isinstance(error, _Refused):
        message = str(error.problem)
    else:
        message = f"YAML syntax error: {error_reason(error, 'unreadable')}{hint}"
    return Problem(path, message, Severity.ERROR, None if line is None else line + line_offset, column)
