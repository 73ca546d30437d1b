"""Stage 1, ingest: read a story's folder into `Article` records.

Reading is forgiving about encodings and strict about structure: a file that cannot be read
becomes a `Problem` naming it, and never stops the other articles from being read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .config import boilerplate_reason, lexicon, settings
from .ingest_text import (
    SNIFF_BYTES,
    binary_kind,
    declared_charset,
    decode,
    has_markup,
    looks_binary,
    looks_like_html,
    normalise,
    normalise_lines,
    read_file_bytes,
    split_lines,
)
from .records import Article, ArticleMeta, Line, Problem, Severity, StoryInfo
from .yamltext import STORY_MAX_BYTES, compose_yaml, error_reason, read_yaml_file

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES, *HTML_SUFFIXES)
STORY_FILE = "story.yaml"
# Files in a story folder that are not articles and are read by other parts of the pipeline.
RESERVED_FILES = frozenset({STORY_FILE, "overrides.yaml", "README.md", "readme.md"})
META_KEYS = ("title", "outlet", "url", "published", "language", "author")
STORY_KEYS = ("title", "summary", "consensus_words")

_SENTENCE_END = re.compile(r"[.!;:,]['\"’”)\]]*$")


@dataclass(frozen=True, slots=True)
class StoryFolder:
    """A story's folder: its metadata and the article files in it, in a stable order. `root` is
    the content folder it was found in: nothing that resolves outside it is read."""

    info: StoryInfo
    directory: Path
    article_paths: tuple[Path, ...]
    root: Path | None = None

    def readable(self, name: str) -> Path | None:
        """The folder's file `name` (story.yaml, overrides.yaml), when it exists and does not
        lead outside the content folder (`article_paths_in` warns of one that does)."""
        path = self.directory / name
        return path if path.is_file() and contained(path, self.root or self.directory) else None


def contained(path: Path, root: Path) -> bool:
    """Whether `path`, its symbolic links followed, is `root` or inside it (also resolved)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


def outside_content(path: Path, what: str) -> Problem:
    """The warning for a symbolic link (`what`: "this file", ...) that leads outside the content
    folder."""
    return Problem(
        path,
        f"{what} is a symbolic link that leads outside the content folder: not read "
        "(copy it into the content folder instead)",
        Severity.WARNING,
    )


def _hidden(path: Path) -> Problem:
    kind = "folder" if path.is_dir() else "file"
    return Problem(path, f"hidden {kind} (its name starts with '.'), skipped", Severity.INFO)


def slug(name: str) -> str:
    """Lowercase ASCII letters, digits and hyphens, stable across runs; a name with no such
    characters (Cyrillic, Chinese) gets a short hash of itself instead."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    result = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return result or "id-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def source_id_for(path: Path) -> str:
    """A source id from a file name without its extension."""
    return slug(path.stem)


def story_id_for(directory: Path) -> str:
    """A story id from its folder's whole name ("v1.0" and "v1.1" stay apart)."""
    return slug(directory.name)


# Story ids that would collide with the site's own folders.
RESERVED_STORY_IDS = frozenset({"api", "assets", "search", "index"})


def is_article_path(path: Path) -> bool:
    """Whether `path` is named like an article: an article suffix, not hidden, not a file the
    pipeline reads for another purpose. Whether it can be read is `read_article`'s to say."""
    return (
        not path.name.startswith(".")
        and path.name not in RESERVED_FILES
        and path.suffix.lower() in ARTICLE_SUFFIXES
    )


def find_stories(content_dir: Path) -> tuple[list[StoryFolder], list[Problem]]:
    """Every story under `content_dir/stories/`, sorted by id, with problems found on the way."""
    stories_dir = content_dir / "stories"
    problems: list[Problem] = []
    if not stories_dir.is_dir():
        problems.append(
            Problem(stories_dir, "no stories folder: expected content/stories/<story-id>/", Severity.ERROR)
        )
        return [], problems
    folders: list[StoryFolder] = []
    for directory in sorted(p for p in stories_dir.iterdir() if p.is_dir()):
        if directory.name.startswith("."):
            problems.append(_hidden(directory))
            continue
        if not contained(directory, content_dir):
            problems.append(outside_content(directory, "this story folder"))
            continue
        info, info_problems = read_story_info(directory, content_dir)
        problems.extend(info_problems)
        taken = next((f.directory for f in folders if f.info.id == info.id), None)
        if taken is not None:
            problems.append(
                Problem(
                    directory,
                    f"story id {info.id!r} is already used by {taken.name}: rename one of the folders",
                    Severity.ERROR,
                )
            )
            continue
        if info.id in RESERVED_STORY_IDS:
            problems.append(
                Problem(
                    directory,
                    f"story id {info.id!r} is reserved for the site's own pages: rename the folder",
                    Severity.ERROR,
                )
            )
            continue
        paths, path_problems = article_paths_in(directory, content_dir)
        problems.extend(path_problems)
        folders.append(StoryFolder(info, directory, tuple(paths), content_dir))
    if not folders:
        problems.append(Problem(stories_dir, "no story folders found", Severity.ERROR))
    return folders, problems


def article_paths_in(directory: Path, root: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Everything named like an article directly in `directory`, sorted, even when it turns out
    unreadable (a folder, a broken link: `read_article` says so); other files are reported and
    skipped, sub-folders silently, hidden files with a note. A symbolic link that leads outside
    `root` (the content folder; `directory` itself by default) is refused with a warning, whatever
    its name: nothing outside the content folder is ever read, let alone published."""
    paths, problems = [], []
    for path in sorted(directory.iterdir()):
        if path.name.startswith("."):
            problems.append(_hidden(path))
            continue
        if path.is_symlink() and path.exists() and not contained(path, root or directory):
            problems.append(outside_content(path, "this file" if path.is_file() else "this folder"))
            continue
        if path.name in RESERVED_FILES:
            continue
        if is_article_path(path):
            paths.append(path)
        elif not path.is_dir():
            problems.append(
                Problem(
                    path,
                    f"not an article format, skipped (articles are {', '.join(ARTICLE_SUFFIXES)} files)",
                )
            )
    return paths, problems


def read_story_info(directory: Path, root: Path | None = None) -> tuple[StoryInfo, list[Problem]]:
    """The story's id (its folder name) and what its `story.yaml` says (nothing, when it leads
    outside `root`, the content folder: `article_paths_in` warns of that)."""
    story_id = story_id_for(directory)
    path = directory / STORY_FILE
    if not path.exists() or not contained(path, root or directory):
        return StoryInfo(id=story_id), []
    text = read_yaml_file(path, STORY_MAX_BYTES, STORY_FILE, errors="replace")
    if isinstance(text, Problem):
        return StoryInfo(id=story_id), [text]
    data, problems = load_yaml_mapping(path, text, 0)
    if data is None:
        return StoryInfo(id=story_id), problems
    for key, (line, _) in data.items():
        if key not in STORY_KEYS:
            problems.append(
                Problem(
                    path,
                    f"unknown key {key!r} (expected one of: {', '.join(STORY_KEYS)})",
                    Severity.ERROR,
                    line,
                )
            )
    title = _typed(data, "title", str, path, problems)
    summary = _typed(data, "summary", str, path, problems)
    words = _typed(data, "consensus_words", int, path, problems)
    if isinstance(words, int) and words < 1:
        problems.append(
            Problem(
                path,
                f"'consensus_words' must be at least 1, found {words}",
                Severity.ERROR,
                data["consensus_words"][0],
            )
        )
        words = None
    return StoryInfo(
        id=story_id,
        title=title if isinstance(title, str) else None,
        summary=summary if isinstance(summary, str) else None,
        consensus_words=words if isinstance(words, int) else None,
    ), problems


def load_yaml_mapping(
    path: Path, text: str, line_offset: int
) -> tuple[dict[str, tuple[int, object]] | None, list[Problem]]:
    """Parse YAML safely and within bounds (`yamltext`: no aliases, limited depth and size) into
    {key: (line, value)}; syntax errors and limits become problems with a line."""
    node = compose_yaml(path, text, STORY_MAX_BYTES, line_offset)
    if isinstance(node, Problem):
        return None, [node]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return None, [
            Problem(
                path,
                "expected a mapping of keys to values",
                Severity.ERROR,
                node.start_mark.line + 1 + line_offset,
            )
        ]
    result: dict[str, tuple[int, object]] = {}
    problems: list[Problem] = []
    loader = yaml.SafeLoader("")
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1 + line_offset
        key = str(key_node.value)
        if key in result:
            problems.append(Problem(path, f"duplicate key {key!r}", Severity.ERROR, line))
            continue
        try:
            value = loader.construct_object(value_node, deep=True)
        except Exception as error:  # any constructor error is a bad value (see error_reason)
            reason = error_reason(error)
            problems.append(Problem(path, f"bad value for {key!r}: {reason}", Severity.ERROR, line))
            continue
        result[key] = (line, value)
    loader.dispose()
    return result, problems


def _typed(
    data: dict[str, tuple[int, object]], key: str, kind: type, path: Path, problems: list[Problem]
) -> object:
    if key not in data:
        return None
    line, value = data[key]
    if kind is str and isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        value = value.isoformat() if isinstance(value, dt.date) else str(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        problems.append(
            Problem(
                path,
                f"{key!r} must be {'text' if kind is str else 'a number'}, found {type(value).__name__}",
                Severity.ERROR,
                line,
            )
        )
        return None
    return value


def read_article(path: Path, source_id: str | None = None) -> Article | Problem:
    """Read one article file into an `Article`, or say precisely why it cannot be read.

    The format is the file's suffix (`.txt`, `.md`/`.markdown`, `.html`/`.htm`), corrected by its
    contents: a text file that starts like a web page is read as HTML, and an HTML file without
    any markup as plain text, each with an INFO note. Decoding fallbacks and text repairs are
    recorded on the article as INFO notes too (see `ingest_text`)."""
    source_id = source_id or source_id_for(path)
    raw = read_file_bytes(path)
    if isinstance(raw, Problem):
        return raw
    kind = binary_kind(raw)
    if kind:
        return Problem(path, f"binary file, not text: {kind}")
    suffix = path.suffix.lower()
    sniffed = raw[:SNIFF_BYTES].decode("latin-1")  # enough to see tags and a declared charset
    maybe_html = suffix in HTML_SUFFIXES or looks_like_html(sniffed)
    decoded = decode(raw, declared_charset(raw) if maybe_html else None)
    if looks_binary(decoded.text):
        return Problem(path, "binary file, not text: it is mostly control characters")
    if not decoded.text.strip():
        return Problem(path, "empty file")
    notes = [note for note in (decoded.note(path),) if note]
    if suffix in HTML_SUFFIXES and not has_markup(decoded.text):
        notes.append(Problem(path, "read as plain text: the .html file has no HTML markup", Severity.INFO))
        suffix = ".txt"
    elif suffix not in HTML_SUFFIXES and looks_like_html(decoded.text):
        notes.append(
            Problem(path, f"read as HTML: the {suffix} file starts like a web page", Severity.INFO, 1)
        )
        suffix = ".html"
    if suffix in HTML_SUFFIXES:
        return _read_html(path, source_id, decoded.text, notes)
    numbered = [Line(i + 1, text) for i, text in enumerate(split_lines(decoded.text))]
    lines, repairs = normalise_lines(numbered)
    notes += repairs.notes(path)
    if not any(line.text.strip() for line in lines):
        return Problem(path, "empty file")
    if suffix in MARKDOWN_SUFFIXES:
        article = _read_markdown(path, source_id, [line.text for line in lines])
    else:
        article = _read_plain(path, source_id, lines, ArticleMeta())
    return replace(article, notes=tuple(notes)) if isinstance(article, Article) else article


def _read_html(path: Path, source_id: str, text: str, notes: list[Problem]) -> Article | Problem:
    # Imported here: trafilatura takes a third of a second to import, paid only for web pages.
    from .ingest_html import NoArticleText, extract_html

    page = extract_html(text)
    if isinstance(page, NoArticleText):
        return Problem(path, f"no article text found: {page.reason}")
    paragraphs, repairs = normalise_lines(page.lines)
    fields: dict[str, str | None] = {}
    for key in META_KEYS:
        value = getattr(page.meta, key)
        if value is None:
            fields[key] = None
            continue
        text, field_repairs = normalise(value, f"the {key}")
        repairs = repairs.plus(field_repairs)
        fields[key] = text.strip() or None
    # trafilatura gives dates as YYYY-MM-DD; anything else is left out rather than guessed.
    fields["published"] = parse_date(fields["published"] or "")
    meta = ArticleMeta(**fields)
    # A paragraph per line: blank lines between them, as in a .txt article, so that clean keeps
    # a heading or a list item that does not end like a sentence as its own paragraph.
    lines: list[Line] = []
    for paragraph in paragraphs:
        lines += [paragraph, Line(paragraph.number, "")]
    article = _read_plain(path, source_id, lines, meta, detect_headline=meta.title is None)
    return replace(article, notes=tuple(notes + repairs.notes(path)))


def _read_markdown(path: Path, source_id: str, lines: list[str]) -> Article | Problem:
    meta = ArticleMeta()
    first_body = 1
    if lines[0].strip() == "---":
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
        except StopIteration:
            return Problem(path, "front matter opened with '---' is never closed", Severity.WARNING, 1)
        data, problems = load_yaml_mapping(path, "\n".join(lines[1:end]), 1)
        if problems:  # a broken article is skipped with a warning; it never stops the others
            first = problems[0]
            return Problem(first.path, first.message, Severity.WARNING, first.line, first.column)
        assert data is not None
        fields: dict[str, str | None] = {}
        for key, (line, value) in data.items():
            if key not in META_KEYS:
                return Problem(
                    path,
                    f"unknown front matter key {key!r} (expected one of: {', '.join(META_KEYS)})",
                    Severity.WARNING,
                    line,
                )
            if isinstance(value, (dt.date, dt.datetime)):
                value = value.isoformat()[:10]
            if value is not None and not isinstance(value, (str, int, float)):
                return Problem(
                    path,
                    f"front matter {key!r} must be text, found {type(value).__name__}",
                    Severity.WARNING,
                    line,
                )
            fields[key] = None if value is None else str(value).strip()
        if fields.get("published"):
            iso = parse_date(fields["published"] or "")
            if iso is None:
                return Problem(
                    path,
                    f"front matter 'published' is not a date: {fields['published']!r} (expected YYYY-MM-DD)",
                    Severity.WARNING,
                    data["published"][0],
                )
            fields["published"] = iso
        meta = ArticleMeta(**fields)
        first_body = end + 2
    body = lines[first_body - 1 :]
    # A leading Markdown heading is the headline when the front matter gave none.
    for offset, text_line in enumerate(body):
        if not text_line.strip():
            continue
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", text_line)
        if heading and meta.title is None:
            meta = _replace(meta, title=heading.group(1))
            body = [*body[:offset], "", *body[offset + 1 :]]
        elif heading:  # the front matter has the title: the heading stays in the text, as text
            body = [*body[:offset], heading.group(1), *body[offset + 1 :]]
        break
    numbered = [Line(first_body + i, text) for i, text in enumerate(body)]
    return _read_plain(path, source_id, numbered, meta, detect_headline=meta.title is None)


def _read_plain(
    path: Path,
    source_id: str,
    lines: list[Line],
    meta: ArticleMeta,
    detect_headline: bool = True,
) -> Article:
    numbered = [Line(line.number, line.text.rstrip()) for line in lines]
    if detect_headline:
        # The headline is the first line that is not page furniture ("Media playback is ...").
        first = next(
            (line for line in numbered if line.text.strip() and not boilerplate_reason(line.text.strip())),
            None,
        )
        if first is not None and looks_like_headline(first.text, numbered):
            meta = _replace(meta, title=first.text.strip())
            numbered = [line for line in numbered if line is not first]
    return Article(source_id, path, meta, tuple(numbered))


def looks_like_headline(text: str, lines: Iterable[Line]) -> bool:
    """A first line is a headline when it is short, more text follows it, and it does not end
    like a sentence, or it does but stands alone as one short sentence above a blank line (the
    form scraped pages take: "Twitter bans Alex Jones." then the article)."""
    stripped = text.strip()
    words = stripped.split()
    numbered = list(lines)
    nonblank = sum(1 for line in numbered if line.text.strip())
    if not (
        nonblank > 1
        and parse_date(stripped) is None  # a dateline ("7 Apr, 2021") is metadata, not a headline
        and 0 < len(words) <= settings().headline_max_words
        and not stripped[0].islower()
    ):
        return False
    if not _SENTENCE_END.search(stripped):
        return True
    return _standalone_sentence(stripped, numbered)


def _standalone_sentence(text: str, lines: list[Line]) -> bool:
    """One short sentence alone on the first line, a blank line under it: a headline given a
    full stop. Quotes, datelines ("WASHINGTON (Reuters) -") and several sentences are ledes."""
    if not re.search(r"[.!]['\"’”)]*$", text) or len(text.split()) > _STANDALONE_HEADLINE_WORDS:
        return False
    if text[0] in "\"“‘'" or re.match(r"^[A-Z][A-Z .,]+(?:\([^)]*\))?\s*[-—–]", text):
        return False
    if re.search(r"[.!?]['\"’”)]*\s+[A-Z“\"]", text):  # a second sentence starts
        return False
    words = [word.lower().strip(".,:;") for word in text.split()]
    if any(word in lexicon().weekdays for word in words):
        return False  # "... on Monday." dates an event: a lede, not a headline
    if any(word in ("a", "an", "the", "said") for word in words):
        return False  # headlines drop articles and "said"; ledes keep them
    first = next(k for k, line in enumerate(lines) if line.text.strip())
    if first + 1 >= len(lines) or lines[first + 1].text.strip():
        return False
    following = next(line.text for line in lines[first + 1 :] if line.text.strip())
    return len(following.split()) > len(text.split())  # a headline is shorter than what it heads


_STANDALONE_HEADLINE_WORDS = 20


def _replace(meta: ArticleMeta, **changes: str | None) -> ArticleMeta:
    fields = {key: getattr(meta, key) for key in META_KEYS}
    fields.update(changes)
    return ArticleMeta(**fields)


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[T ].*)?$"),
    re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4})$"),
    re.compile(r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})$"),
)


def parse_date(text: str) -> str | None:
    """An ISO date from '2021-04-07', '7 Apr, 2021' or 'April 7, 2021' (weekday prefix allowed)."""
    text = re.sub(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", "", text.strip(), flags=re.I)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        if "mon" in parts:
            name = parts["mon"][:3].lower()
            if name not in _MONTH_NAMES:
                return None
            month = _MONTH_NAMES.index(name) + 1
        else:
            month = int(parts["m"])
        try:
            return dt.date(int(parts["y"]), month, int(parts["d"])).isoformat()
        except ValueError:
            return None
    return None
