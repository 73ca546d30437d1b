"""Typed, immutable records passed between the pipeline's stages.

Every stage takes records from the one before it and returns new records; nothing is
mutated in place, so any stage can be re-run or tested on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """How bad a problem is: errors stop a build, warnings only do under --strict, and info
    notes (a repair made while reading, such as a fallback encoding) never do. A story that fails
    to build (`StoryFailure`) is reported as an error but, being no mistake in the content, stops
    only itself unless under --strict."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input, named precisely enough for the user to fix it."""

    path: Path
    message: str
    severity: Severity = Severity.WARNING
    line: int | None = None
    column: int | None = None

    def describe(self) -> str:
        """`file:line:column: severity: message`, the form editors and compilers use."""
        place = str(self.path)
        if self.line is not None:
            place += f":{self.line}"
            if self.column is not None:
                place += f":{self.column}"
        return f"{place}: {self.severity.value}: {self.message}"


# Problems printed for one file and severity; the rest become one line saying how many.
PROBLEMS_SHOWN_PER_FILE = 20


def problems_to_show(problems: Sequence[Problem], per_file: int = PROBLEMS_SHOWN_PER_FILE) -> list[Problem]:
    """`problems` in order, with at most `per_file` of each file and severity; each file past the
    cap ends with one problem of that severity, "... and N more errors in FILE", N exact. For
    display only: counts and whether a build fails are decided on all the problems."""
    shown: list[Problem] = []
    hidden: dict[tuple[Path, Severity], int] = {}
    seen: dict[tuple[Path, Severity], int] = {}
    for problem in problems:
        key = (problem.path, problem.severity)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= per_file:
            shown.append(problem)
        else:
            hidden[key] = hidden.get(key, 0) + 1
    for (path, severity), count in hidden.items():
        kind = {Severity.ERROR: "errors", Severity.WARNING: "warnings"}.get(severity, "notes")
        shown.append(Problem(path, f"... and {count:,} more {kind} in {path}", severity))
    return shown


@dataclass(frozen=True, slots=True)
class StoryFailure:
    """A story whose build raised an unexpected exception: a bug in Corroborate, not a mistake in
    the content. It stops only that story, which publishes nothing; the other stories build as
    usual, and `--strict` fails the run. `error` is the exception's type and message, `traceback`
    the whole of it (shown with --verbose)."""

    path: Path  # the story's folder
    error: str
    traceback: str

    @property
    def problem(self) -> Problem:
        """The failure as an error in the usual `file: severity: message` form."""
        return Problem(
            self.path,
            f"story failed to build, skipped: {self.error} "
            "(a bug in Corroborate, not in the content; --verbose shows the traceback)",
            Severity.ERROR,
        )

    def describe(self) -> str:
        return self.problem.describe()


@dataclass(frozen=True, slots=True)
class Edit:
    """One change an editor's override made to a record: which field, from what, to what."""

    field: str
    before: str | None
    after: str | None


# --- ingest -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """What is known about an article apart from its text; every field may be unknown."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    language: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an article's body, with its 1-based line number in the file."""

    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """An article as read from disk: metadata and the body's lines, nothing removed yet.
    `notes` are the repairs made while reading it (INFO problems: "decoded as cp1252"), kept so
    the source's page can say how its text was obtained."""

    source_id: str
    path: Path
    meta: ArticleMeta
    lines: tuple[Line, ...]
    notes: tuple[Problem, ...] = ()


# --- clean ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line taken out of an article, and why, shown on the source page for transparency."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article with its boilerplate removed: paragraphs of the outlet's words, unchanged."""

    source_id: str
    path: Path
    meta: ArticleMeta
    paragraphs: tuple[str, ...]
    removed: tuple[RemovedLine, ...]
    notes: tuple[Problem, ...] = ()  # the article's reading notes, passed on unchanged
    # (pattern, line number): an editor's pattern that ran out of time there, then left unused
    unfinished: tuple[tuple[str, int], ...] = ()


# --- segment ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a source, word for word; `id` is stable while the text is unchanged.

    The source's headline, when it is a statement, is a sentence too (`headline` true): it stands
    above the body, so its `index` and `paragraph` are -1 and the body's numbering is unchanged."""

    id: str
    source_id: str
    index: int  # 0-based position in the source's body, in reading order; -1 for the headline
    paragraph: int  # 0-based paragraph index; -1 for the headline
    text: str
    headline: bool = False

    @property
    def number(self) -> str:
        """How readers cite it within its source: 1, 2, ... in reading order, H for the headline."""
        return "H" if self.headline else str(self.index + 1)


@dataclass(frozen=True, slots=True)
class Source:
    """A cleaned, segmented article: the unit that is cited.

    `paragraphs` are the body, word for word; `headline` is the title as a citable sentence, when
    there is one that states something (see `segment.headline_sentence`)."""

    id: str
    path: Path
    meta: ArticleMeta
    paragraphs: tuple[tuple[Sentence, ...], ...]
    removed: tuple[RemovedLine, ...]
    copy_of: str | None = None  # id of the source this one reproduces, if any
    note: str | None = None  # an editor's note
    edits: tuple[Edit, ...] = ()  # what the editors' overrides changed
    notes: tuple[Problem, ...] = ()  # repairs made while reading the file (INFO problems)
    headline: Sentence | None = None

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """The body's sentences, in reading order (the headline is not among them)."""
        return tuple(s for paragraph in self.paragraphs for s in paragraph)

    @property
    def citable(self) -> tuple[Sentence, ...]:
        """Every sentence a fact can cite: the headline, if it is one, then the body's."""
        return ((self.headline,) if self.headline else ()) + self.sentences

    @property
    def label(self) -> str:
        """How the source is named to readers: its outlet, else its headline's first words,
        else its id."""
        if self.meta.outlet:
            return self.meta.outlet
        if self.meta.title:
            words = self.meta.title.split()
            return " ".join(words[:6]) + ("…" if len(words) > 6 else "")
        return self.id


# --- analyse ----------------------------------------------------------------


class EntityType(str, Enum):
    PERSON = "person"
    ORGANIZATION = "organization"
    PLACE = "place"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as written in one sentence, with the character span it occupies."""

    text: str
    start: int
    end: int
    type: EntityType
    titled: bool = False  # preceded by a title such as "President" or "Mr"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in a sentence, with what it counts (a stemmed noun) and who it belongs to."""

    text: str
    value: float
    unit: str  # normalised stem of the counted noun, "" when unknown
    hedged: bool  # "about", "some", "at least", ...
    modifier: str  # a place or demonym between number and noun ("2,500 US troops"), lowercased
    start: int
    bound: str = ""  # "min" for "at least", "more than"; "max" for "up to", "fewer than"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date or period named in a sentence, resolved to ISO form where the article date allows."""

    text: str
    kind: str  # "year", "month", "day", "weekday", "relative"
    iso: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    context: tuple[str, ...]  # stems of the words just before it, to tell events apart
    start: int


@dataclass(frozen=True, slots=True)
class AnalysedSentence:
    """A sentence with what the analyser found in it."""

    sentence: Sentence
    terms: tuple[str, ...]  # content-word stems, in order, synonyms folded
    mentions: tuple[Mention, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]


@dataclass(frozen=True, slots=True)
class AnalysedSource:
    source: Source
    sentences: tuple[AnalysedSentence, ...]


# --- align ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer to one sentence of one source."""

    source: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place, with every spelling the sources used."""

    id: str
    name: str
    type: EntityType
    aliases: tuple[str, ...]
    sources: tuple[str, ...]
    mentions: int
    spellings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (source id, spellings it used)
    role: str | None = None  # who the entity is, from the editors
    note: str | None = None
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class SentenceGroup:
    """Sentences from one or more sources that state the same thing."""

    members: tuple[AnalysedSentence, ...]


# --- consolidate ------------------------------------------------------------


class FactStatus(str, Enum):
    CONFIRMED = "confirmed"  # by the editors
    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single source"
    DISPUTED = "disputed"
    FALSE = "false"  # shown false by the editors


@dataclass(frozen=True, slots=True)
class Fact:
    """One statement, once, with every sentence that reports it."""

    id: str
    text: str  # representative wording, entity spellings made consistent
    status: FactStatus
    support: int  # number of independent sources
    citations: tuple[Citation, ...]
    conflicts_with: tuple[str, ...]
    position: float  # where in the coverage it tends to appear, 0 = lead, 1 = end
    outside: tuple[str, ...] = ()  # outside addresses an editor cited
    added: bool = False  # written by an editor, not found in the sources
    original_text: str | None = None  # the sources' wording, when an editor reworded it
    note: str | None = None
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class ConflictSide:
    value: str
    fact: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Sources attaching different values to the same thing."""

    id: str
    kind: str  # "number", "date", "time", "place", "who"
    summary: str
    facts: tuple[str, ...]
    sides: tuple[ConflictSide, ...]
    topic: str = ""  # what the values are of: "the number of people", "whose troops"
    resolution: str | None = None  # "resolved" or "dismissed" by the editors
    right: str | None = None  # when resolved: the fact whose value is right
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ConsensusSentence:
    text: str
    citations: tuple[Citation, ...]
    fact: str
    support: int
    outside: tuple[str, ...] = ()

    @property
    def single_source(self) -> bool:
        return self.support < 2


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """A number the coverage reports, with how many independent sources give it."""

    value: str
    label: str
    support: int
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Correction:
    """One editorial change, as a newspaper's corrections column lists it."""

    kind: str  # "entity", "fact", "added fact", "conflict", "source", "boilerplate", "orphaned"
    target: str  # the id of what changed
    label: str  # what changed, in words: a name, a fact's text
    edits: tuple[Edit, ...]
    note: str | None
    where: str  # the override's place, file:line


@dataclass(frozen=True, slots=True)
class StoryInfo:
    """What story.yaml says, or what a bare folder of articles implies."""

    id: str
    title: str | None = None
    summary: str | None = None
    consensus_words: int | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """Everything the renderer needs for one story."""

    info: StoryInfo
    title: str
    sources: tuple[Source, ...]
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...]
    consensus: tuple[ConsensusSentence, ...]
    key_figures: tuple[KeyFigure, ...]
    problems: tuple[Problem, ...] = field(default=())
    corrections: tuple[Correction, ...] = ()

    @property
    def dates(self) -> tuple[str, ...]:
        """The publication dates of the coverage, sorted, where known."""
        return tuple(sorted({s.meta.published for s in self.sources if s.meta.published}))
