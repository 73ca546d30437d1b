"""Editors' overrides: read and validate `overrides.yaml`, and the records the stages apply.

An overrides file corrects what the generator concluded without touching code or articles:
entity names and merges, fact status and wording, added facts, conflict rulings, source
metadata and extra boilerplate. It is checked in three steps, each problem naming the file,
line and column with a one-line hint: YAML syntax and duplicate keys; the JSON Schema shipped
in `data/overrides.schema.json` (unknown keys, wrong types); then, once the story is built,
that every id it names exists (`check_source_ids` here, fact and conflict ids in
`rulings.apply_rulings`). Overrides whose fact has disappeared are reported
as orphaned with the text they used to match, never dropped silently.

The records here are plain data; the stages that own each decision apply them (clean for
boilerplate, the pipeline for source metadata and copies, align for entities, consolidate for
facts, conflicts and the consensus).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import importlib
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import regex
import yaml

from .records import Citation, EntityType, Problem, Severity
from .yamltext import OVERRIDES_MAX_BYTES, compose_yaml, error_reason, read_yaml_file

# The parser behind re.compile, to read an editor's pattern's structure (re._parser from 3.11).
sre_parse: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")

OVERRIDES_FILE = "overrides.yaml"
SCHEMA_FILE = "overrides.schema.json"
SITE_WIDE_KEYS = ("entities", "boilerplate")
# Boilerplate patterns in one overrides file: each is tried on every line of every article it
# applies to, with a timeout that costs a few microseconds a try; editors need a few dozen.
MAX_PATTERNS = 500

YamlPath = tuple[str | int, ...]
_BAD = object()  # a node that could not be constructed (its problem is recorded)


@dataclass(frozen=True, slots=True)
class Place:
    """Where an override is written, so every message about it can point there."""

    path: Path
    line: int
    column: int

    @property
    def short(self) -> str:
        """`<folder>/overrides.yaml:<line>`: the same on every machine, for pages and JSON."""
        return f"{self.path.parent.name}/{self.path.name}:{self.line}"

    def problem(self, message: str, severity: Severity = Severity.ERROR) -> Problem:
        return Problem(self.path, message, severity, self.line, self.column)


@dataclass(frozen=True, slots=True)
class EntityOverride:
    """A canonical name (with spellings to merge into it), or spellings to keep apart."""

    place: Place
    name: str | None = None
    aliases: tuple[str, ...] = ()
    type: EntityType | None = None
    role: str | None = None
    split: tuple[str, ...] = ()
    note: str | None = None
    site_wide: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return ((self.name,) if self.name else ()) + self.aliases


@dataclass(frozen=True, slots=True)
class FactOverride:
    """An editor's ruling on one fact, found by any id the fact answers to."""

    place: Place
    fact_id: str
    status: str | None = None  # confirmed, disputed, false, hidden
    text: str | None = None
    consensus_text: str | None = None
    note: str | None = None
    consensus: str | None = None  # pin, drop
    order: int | None = None
    was: str | None = None


@dataclass(frozen=True, slots=True)
class NewFact:
    """A fact the sources do not state as one sentence, or that only an outside source gives."""

    place: Place
    text: str
    citations: tuple[Citation, ...]
    outside: tuple[str, ...]  # http(s) addresses
    status: str | None = None
    note: str | None = None
    consensus: str | None = None
    order: int | None = None


@dataclass(frozen=True, slots=True)
class ConflictOverride:
    place: Place
    conflict_id: str
    resolve: str | None = None  # the id of the fact whose value is right
    dismiss: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SourceOverride:
    place: Place
    source_id: str
    meta: tuple[tuple[str, str], ...] = ()  # (ArticleMeta field, value)
    copy_of: str | bool | None = None  # a source id; False = not a copy; None = as detected
    patterns: tuple[BoilerplatePattern, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class BoilerplatePattern:
    """An editor's extra line pattern, for one source, one outlet or every source."""

    place: Place
    pattern: regex.Pattern[str]  # matched with a timeout: see clean.EDITOR_MATCH_SECONDS
    reason: str
    source: str | None = None
    outlet: str | None = None
    note: str | None = None
    site_wide: bool = False  # from content/overrides.yaml: need not match in every story

    def applies_to(self, source_id: str, outlet: str | None) -> bool:
        if self.source is not None and self.source != source_id:
            return False
        return self.outlet is None or (outlet or "").casefold() == self.outlet.casefold()


@dataclass(frozen=True, slots=True)
class Overrides:
    """Everything the overrides files of one story say, the site-wide file's entries first."""

    entities: tuple[EntityOverride, ...] = ()
    facts: tuple[FactOverride, ...] = ()
    new_facts: tuple[NewFact, ...] = ()
    conflicts: tuple[ConflictOverride, ...] = ()
    sources: tuple[SourceOverride, ...] = ()
    boilerplate: tuple[BoilerplatePattern, ...] = ()

    def __add__(self, other: Overrides) -> Overrides:
        return Overrides(
            *(getattr(self, f.name) + getattr(other, f.name) for f in dataclasses.fields(Overrides))
        )

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in dataclasses.fields(Overrides))

    def source(self, source_id: str) -> SourceOverride | None:
        return next((s for s in self.sources if s.source_id == source_id), None)

    @property
    def all_patterns(self) -> tuple[BoilerplatePattern, ...]:
        """Every editor's boilerplate pattern: the files' own list, then each source's."""
        return self.boilerplate + tuple(p for s in self.sources for p in s.patterns)

    def patterns_for(self, source_id: str, outlet: str | None) -> tuple[BoilerplatePattern, ...]:
        """The editor's boilerplate patterns that apply to one source."""
        own = self.source(source_id)
        listed = (own.patterns if own else ()) + self.boilerplate
        return tuple(p for p in listed if p.applies_to(source_id, outlet))


NO_OVERRIDES = Overrides()


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of an overrides file, as shipped with the package."""
    text = resources.files("generator.data").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# --- reading ------------------------------------------------------------------------------------


def read_overrides(path: Path, site_wide: bool = False) -> tuple[Overrides, list[Problem]]:
    """Read one overrides file. With any error the file is not applied at all (a half-applied
    correction is worse than none), and every problem is returned at once."""
    text = read_yaml_file(path, OVERRIDES_MAX_BYTES, "overrides file")
    if isinstance(text, Problem):
        return NO_OVERRIDES, [text]
    data, marks, problems = load_yaml_tree(path, text)
    if data is None:
        return NO_OVERRIDES, problems
    # Duplicate keys and bad values do not hide the other mistakes: report them all at once.
    reported = {(p.line, p.column) for p in problems}
    problems += [p for p in validate(path, data, marks) if (p.line, p.column) not in reported]
    if site_wide:
        for key in data if isinstance(data, dict) else ():
            if key not in SITE_WIDE_KEYS:
                problems.append(
                    _at(path, marks, (key,), f"'{key}' belongs in a story's overrides.yaml", key=True)
                )
        for k, entry in enumerate(data.get("boilerplate", []) if isinstance(data, dict) else []):
            if isinstance(entry, dict) and "source" in entry:
                problems.append(
                    _at(
                        path,
                        marks,
                        ("boilerplate", k, "source"),
                        "a source id belongs in a story's overrides.yaml (use 'outlet' here)",
                        key=True,
                    )
                )
    if problems:
        return NO_OVERRIDES, problems
    overrides, problems = _records(path, data, marks, site_wide)
    if problems:
        return NO_OVERRIDES, problems
    return overrides, []


def load_yaml_tree(
    path: Path, text: str
) -> tuple[Any, dict[YamlPath, tuple[int, int, int, int]], list[Problem]]:
    """Parse YAML safely and within bounds (`yamltext`), keeping where each key and value starts:
    {path: (key line, key column, value line, value column)}, all 1-based. Duplicate keys anywhere
    are errors; dates become ISO text."""
    node = compose_yaml(
        path,
        text,
        OVERRIDES_MAX_BYTES,
        syntax_hint=" (hint: check indentation and quote text containing ': ')",
    )
    if isinstance(node, Problem):
        return None, {}, [node]
    marks: dict[YamlPath, tuple[int, int, int, int]] = {}
    problems: list[Problem] = []
    constructor = yaml.SafeLoader("")

    def build(node: yaml.Node, where: YamlPath) -> Any:
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_value = scalar(key_node, where, "bad key")
                if key_value is _BAD:
                    continue
                key = str(key_value)
                here = (*where, key)
                if key in result:
                    problems.append(
                        Problem(
                            path,
                            f"duplicate key '{key}'{_in(where)} (hint: merge the two entries into one)",
                            Severity.ERROR,
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                        )
                    )
                    continue
                marks[here] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    value_node.start_mark.line + 1,
                    value_node.start_mark.column + 1,
                )
                result[key] = build(value_node, here)
            return result
        if isinstance(node, yaml.SequenceNode):
            items = []
            for k, item in enumerate(node.value):
                here = (*where, k)
                start = item.start_mark
                marks[here] = (start.line + 1, start.column + 1, start.line + 1, start.column + 1)
                items.append(build(item, here))
            return items
        value = scalar(node, where, "bad value")
        return None if value is _BAD else value

    def scalar(node: yaml.Node, where: YamlPath, what: str) -> Any:
        """A scalar's value (dates as ISO text), or _BAD with a problem at the node."""
        try:
            value = constructor.construct_object(node)
        except Exception as error:  # any constructor error is a bad value (see error_reason)
            reason = error_reason(error)
            problems.append(
                Problem(
                    path,
                    f"{what}{_in(where)}: {reason} (hint: quote it to make it text)",
                    Severity.ERROR,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                )
            )
            return _BAD
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        return value

    data = build(node, ()) if node is not None else None
    constructor.dispose()
    return data, marks, problems


def validate(path: Path, data: Any, marks: dict[YamlPath, tuple[int, int, int, int]]) -> list[Problem]:
    """Check the data against the shipped JSON Schema; one problem per error, with a hint. Too
    many boilerplate patterns is the one error then (the rest is not checked)."""
    too_many = _too_many_patterns(path, _patterns_in(data), marks)
    if too_many is not None:
        return [too_many]
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        problems.extend(_explain(path, marks, error))
    problems.extend(_check_patterns(path, data, marks))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0, p.message))


def _explain(
    path: Path, marks: dict[YamlPath, tuple[int, int, int, int]], error: jsonschema.ValidationError
) -> list[Problem]:
    where: YamlPath = tuple(error.absolute_path)
    label = _label(where)
    subschema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(subschema.get("properties", {}))
        return [
            _at(
                path,
                marks,
                (*where, key),
                f"unknown key '{key}'{_in(where)}{_suggest(key, allowed)}"
                f" (hint: allowed here: {', '.join(allowed)})",
                key=True,
            )
            for key in error.instance
            if key not in allowed
        ]
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        kind = "fact" if where == ("facts",) else "conflict"
        return [
            _at(
                path,
                marks,
                (*where, error.instance),
                f"'{error.instance}' is not a {kind} id{_in(where)} (hint: {kind} ids look like "
                f"{kind[0]}-1a2b3c4d; copy one from the site)",
                key=True,
            )
        ]
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return [_at(path, marks, where, f"{label} needs '{missing}'")]
    if error.validator in ("anyOf", "oneOf") and where and where[0] == "entities":
        return [
            _at(
                path,
                marks,
                where,
                f"{label} needs 'name' (a canonical name) or 'split' (names to keep apart)",
            )
        ]
    if error.validator == "oneOf" and where and where[0] == "conflicts":
        return [
            _at(path, marks, where, f"{label} needs exactly one of 'resolve: <fact id>' or 'dismiss: true'")
        ]
    if error.validator == "enum":
        options = [str(o) for o in error.validator_value]
        found = error.instance
        return [
            _at(
                path,
                marks,
                where,
                f"{label} must be one of {', '.join(options)}; found {_show(found)}"
                f"{_suggest(str(found), options)}",
            )
        ]
    if error.validator == "type":
        wanted = error.validator_value
        names = {
            "string": "text",
            "array": "a list",
            "object": "a mapping of keys to values",
            "integer": "a whole number",
        }
        expected = " or ".join(names.get(w, w) for w in ([wanted] if isinstance(wanted, str) else wanted))
        return [_at(path, marks, where, f"{label} must be {expected}; found {_show(error.instance)}")]
    if error.validator == "pattern":
        hints = {
            "url": "an http(s) address",
            "published": "a date as YYYY-MM-DD",
            "language": "a language tag such as en or pt-BR",
            "resolve": "a fact id such as f-1a2b3c4d",
        }
        last = next((p for p in reversed(where) if isinstance(p, str)), "")
        hint = hints.get(last) or (
            "<source-id>#<sentence-id> (e.g. voa#s-1a2b3c4d) or an http(s) address"
            if "cites" in where
            else f"text matching {error.validator_value}"
        )
        return [_at(path, marks, where, f"{label} must be {hint}; found {_show(error.instance)}")]
    if error.validator in ("minLength", "minItems", "minProperties"):
        return [_at(path, marks, where, f"{label} is empty (hint: give it a value or remove it)")]
    if error.validator == "const":
        return [_at(path, marks, where, f"{label} must be {json.dumps(error.validator_value)}")]
    if error.validator == "minimum":
        return [_at(path, marks, where, f"{label} must be at least {error.validator_value}")]
    return [_at(path, marks, where, f"{label}: {error.message}")]


def _patterns_in(data: Any) -> list[tuple[YamlPath, str]]:
    """Every boilerplate pattern of an overrides file, with where it is written."""
    found: list[tuple[YamlPath, str]] = []
    if isinstance(data, dict):
        for k, entry in enumerate(data.get("boilerplate") or []):
            if isinstance(entry, dict) and isinstance(entry.get("pattern"), str):
                found.append((("boilerplate", k, "pattern"), entry["pattern"]))
        for source_id, entry in (
            (data.get("sources") or {}).items() if isinstance(data.get("sources"), dict) else ()
        ):
            for k, pattern in enumerate(entry.get("boilerplate") or [] if isinstance(entry, dict) else []):
                if isinstance(pattern, str):
                    found.append((("sources", source_id, "boilerplate", k), pattern))
    return found


def _too_many_patterns(
    path: Path, found: list[tuple[YamlPath, str]], marks: dict[YamlPath, tuple[int, int, int, int]]
) -> Problem | None:
    """An error at the first pattern past MAX_PATTERNS, if there is one."""
    if len(found) <= MAX_PATTERNS:
        return None
    return _at(
        path,
        marks,
        found[MAX_PATTERNS][0],
        f"too many boilerplate patterns: {len(found):,} (the limit is {MAX_PATTERNS:,} a file, each"
        " tried on every line) (hint: one pattern can cover several lines, as ^(Photo|Video):)",
    )


def _check_patterns(path: Path, data: Any, marks: dict[YamlPath, tuple[int, int, int, int]]) -> list[Problem]:
    """Regular expressions that do not compile, or that can backtrack catastrophically, are
    reported where they are written."""
    found = _patterns_in(data)
    problems = []
    for where, pattern in found:
        try:
            risk = backtracking_risk(pattern)  # compiled once, later, by _records
        except (re.error, RecursionError, OverflowError) as error:
            problems.append(
                _at(
                    path,
                    marks,
                    where,
                    f"{_label(where)} is not a valid regular expression: {error}"
                    " (hint: escape . ( ) [ ] ? * + with a backslash to match them literally)",
                )
            )
            continue
        if risk:
            problems.append(
                _at(
                    path,
                    marks,
                    where,
                    f"{_label(where)} can take exponential time on a line it nearly matches: {risk}"
                    r" (hint: repeat each piece once: (a+)+ is a+, (\w+\s?)* is [\w\s]*,"
                    r" (\d+,)+ is [\d,]+)",
                )
            )
    return problems


def compile_pattern(text: str) -> regex.Pattern[str]:
    """An editor's boilerplate pattern as it is matched: case-insensitive, `re`'s syntax and
    meaning (the `regex` package's VERSION0), which can be given a timeout."""
    return regex.compile(text, regex.IGNORECASE | regex.VERSION0)


_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)


def backtracking_risk(pattern: str) -> str | None:
    r"""What in `pattern` can make a backtracking matcher take exponential time, or None.

    Read off the parsed pattern (the parser `re.compile` uses), not off its text: a group
    repeated more than once that holds another repeat, as in (a+)+, (a*)*, (\w+\s?)*, or
    alternatives that can match the same text, as in (a|aa)+ (literal alternatives where one
    begins another, or others that may start with the same character). Such a group can split
    one run of text between its iterations in exponentially many ways, and tries them all on a
    line that nearly matches. Possessive repeats and atomic groups never give text back, so
    only what is inside them counts. A bounded inner `?` is allowed. Raises re.error if the
    pattern does not parse."""
    return _risk(list(sre_parse.parse(pattern, re.IGNORECASE)), repeated=False)


def _risk(items: list[tuple[Any, Any]], repeated: bool) -> str | None:
    for op, av in items:
        inner: list[list[tuple[Any, Any]]] = []
        inside = repeated
        if op in _REPEATS:
            _, high, body = av
            if high > 1 and repeated:
                return "a repeated group holds another repeat"
            if high > 1 and _ambiguous_branch(list(body)):
                return "a repeated group has alternatives that can match the same text"
            inner, inside = [list(body)], repeated or high > 1
        elif op == sre_parse.SUBPATTERN:
            inner = [list(av[-1])]
        elif op == sre_parse.BRANCH:
            inner = [list(alternative) for alternative in av[1]]
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            inner = [list(av[1])]
        elif op == sre_parse.GROUPREF_EXISTS:
            inner = [list(branch) for branch in av[1:] if branch is not None]
        elif op == getattr(sre_parse, "POSSESSIVE_REPEAT", None):  # Python 3.11: a++, (?:...)*+
            inner, inside = [list(av[2])], False
        elif op == getattr(sre_parse, "ATOMIC_GROUP", None):  # Python 3.11: (?>...)
            inner, inside = [list(av)], False
        for part in inner:
            found = _risk(part, inside)
            if found:
                return found
    return None


def _ambiguous_branch(items: list[tuple[Any, Any]]) -> bool:
    """Whether a repeated body has, at its top or in its groups, alternatives that can match the
    same text."""
    for op, av in items:
        if op == sre_parse.SUBPATTERN and _ambiguous_branch(list(av[-1])):
            return True
        if op != sre_parse.BRANCH:
            continue
        alternatives = [list(alternative) for alternative in av[1]]
        texts = [_literal(alternative) for alternative in alternatives]
        firsts = [_first(alternative) for alternative in alternatives]
        for i in range(len(alternatives)):
            for j in range(i + 1, len(alternatives)):
                a, b = texts[i], texts[j]
                first_a, first_b = firsts[i], firsts[j]
                if a is not None and b is not None:
                    if a.startswith(b) or b.startswith(a):
                        return True
                elif first_a is None or first_b is None or first_a & first_b:
                    return True
    return False


def _literal(items: list[tuple[Any, Any]]) -> str | None:
    """The text a run of plain characters matches (casefolded), or None if it is more than that."""
    if all(op == sre_parse.LITERAL for op, _ in items):
        return "".join(chr(code) for _, code in items).casefold()
    return None


def _first(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters a match can start with, when that is a known set of plain characters."""
    for op, av in items:
        if op == sre_parse.AT:  # ^, $, \b: no character
            continue
        if op == sre_parse.LITERAL:
            return {chr(av).casefold()}
        if op == sre_parse.IN and all(kind == sre_parse.LITERAL for kind, _ in av):
            return {chr(code).casefold() for _, code in av}
        if op == sre_parse.SUBPATTERN:
            return _first(list(av[-1]))
        if op in _REPEATS and av[0] >= 1:
            return _first(list(av[2]))
        return None
    return None


def _records(
    path: Path, data: dict[str, Any], marks: dict[YamlPath, tuple[int, int, int, int]], site_wide: bool
) -> tuple[Overrides, list[Problem]]:
    def place(*where: str | int) -> Place:
        line, column, _, _ = marks.get(tuple(where), (1, 1, 1, 1))
        return Place(path, line, column)

    problems: list[Problem] = []
    entities = tuple(
        EntityOverride(
            place("entities", k),
            entry.get("name"),
            tuple(entry.get("aliases", ())),
            EntityType(entry["type"]) if "type" in entry else None,
            entry.get("role"),
            tuple(entry.get("split", ())),
            entry.get("note"),
            site_wide,
        )
        for k, entry in enumerate(data.get("entities") or [])
    )
    facts = tuple(
        FactOverride(
            place("facts", fact_id),
            fact_id,
            entry.get("status"),
            entry.get("text"),
            entry.get("consensus_text"),
            entry.get("note"),
            entry.get("consensus"),
            entry.get("order"),
            entry.get("was"),
        )
        for fact_id, entry in (data.get("facts") or {}).items()
    )
    new_facts = []
    for k, entry in enumerate(data.get("new_facts") or []):
        cites = [c for c in entry["cites"] if not re.match(r"https?://", c)]
        new_facts.append(
            NewFact(
                place("new_facts", k),
                entry["text"],
                tuple(Citation(*c.split("#", 1)) for c in cites),
                tuple(c for c in entry["cites"] if re.match(r"https?://", c)),
                entry.get("status"),
                entry.get("note"),
                entry.get("consensus"),
                entry.get("order"),
            )
        )
    conflicts = tuple(
        ConflictOverride(
            place("conflicts", conflict_id),
            conflict_id,
            entry.get("resolve"),
            bool(entry.get("dismiss")),
            entry.get("note"),
        )
        for conflict_id, entry in (data.get("conflicts") or {}).items()
    )

    def pattern(where: YamlPath, text: str, reason: str | None, **scope: str | None) -> BoilerplatePattern:
        try:
            compiled = compile_pattern(text)
        except (regex.error, RecursionError, OverflowError) as error:  # what `re` reads, `regex` may not
            problems.append(
                _at(path, marks, where, f"{_label(where)} is not a valid regular expression: {error}")
            )
            compiled = compile_pattern("(?!)")
        return BoilerplatePattern(
            place(*where),
            compiled,
            reason or "editor's pattern",
            scope.get("source"),
            scope.get("outlet"),
            scope.get("note"),
            site_wide,
        )

    sources = tuple(
        SourceOverride(
            place("sources", source_id),
            source_id,
            tuple(
                (key, str(entry[key]))
                for key in ("title", "outlet", "url", "published", "language", "author")
                if key in entry
            ),
            entry.get("copy_of"),
            tuple(
                pattern(("sources", source_id, "boilerplate", k), text, None, source=source_id)
                for k, text in enumerate(entry.get("boilerplate", ()))
            ),
            entry.get("note"),
        )
        for source_id, entry in (data.get("sources") or {}).items()
    )
    for source in sources:
        if source.copy_of == source.source_id:
            problems.append(source.place.problem(f"source '{source.source_id}' cannot be a copy of itself"))
        published = dict(source.meta).get("published")
        if published:
            try:
                dt.date.fromisoformat(published)
            except ValueError:
                problems.append(
                    Place(path, *marks[("sources", source.source_id, "published")][2:]).problem(
                        f"'published' of source '{source.source_id}' is not a real date: {published}"
                    )
                )
    boilerplate = tuple(
        pattern(
            ("boilerplate", k),
            entry["pattern"],
            entry.get("reason"),
            source=entry.get("source"),
            outlet=entry.get("outlet"),
            note=entry.get("note"),
        )
        for k, entry in enumerate(data.get("boilerplate") or [])
    )
    return Overrides(entities, facts, tuple(new_facts), conflicts, sources, boilerplate), problems


# --- checks after the build ---------------------------------------------------------------------


def check_source_ids(overrides: Overrides, source_ids: Sequence[str]) -> list[Problem]:
    """Source ids named by the overrides that no article of the story has: errors, with the
    closest ids as suggestions. Checked before the story is built."""
    problems = []
    known = list(source_ids)

    def unknown(source_id: str, where: Place, what: str) -> None:
        if source_id not in known:
            problems.append(
                where.problem(
                    f"{what} '{source_id}' is not a source of this story{_suggest(source_id, known)}"
                    f" (hint: source ids are the article file names without extension: {', '.join(known)})"
                )
            )

    for source in overrides.sources:
        unknown(source.source_id, source.place, "source")
        if isinstance(source.copy_of, str):
            unknown(source.copy_of, source.place, "copy_of")
    for entry in overrides.boilerplate:
        if entry.source is not None:
            unknown(entry.source, entry.place, "boilerplate source")
    for fact in overrides.new_facts:
        for citation in fact.citations:
            unknown(citation.source, fact.place, "cited source")
    return problems


def suggest_ids(wanted: str, known: Iterable[str], texts: dict[str, str] | None = None) -> str:
    """ " (did you mean f-1a2b3c4e “…”?)" for the known ids closest to a mistyped one."""
    close = difflib.get_close_matches(wanted, list(known), n=2, cutoff=0.6)
    if not close:
        return ""
    shown = [f"{c} “{excerpt(texts[c], 12)}”" if texts and c in texts else c for c in close]
    return f" (did you mean {' or '.join(shown)}?)"


def excerpt(text: str, words: int) -> str:
    """The first `words` words of a text, with an ellipsis when it goes on, for messages."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _suggest(wanted: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(wanted, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"text '{value}'"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "nothing"
    return {"list": "a list", "dict": "a mapping"}.get(type(value).__name__, type(value).__name__)


def _label(where: YamlPath) -> str:
    if not where:
        return "the file"
    parts: list[str] = []
    for part in where:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "'" + "".join(parts) + "'"


def _in(where: YamlPath) -> str:
    return f" in {_label(where)}" if where else ""


def _at(
    path: Path,
    marks: dict[YamlPath, tuple[int, int, int, int]],
    where: YamlPath,
    message: str,
    key: bool = False,
) -> Problem:
    """A problem at a key (for unknown or misplaced keys) or at a value (for wrong values)."""
    probe = where
    while probe and probe not in marks:
        probe = probe[:-1]
    line, column, value_line, value_column = marks.get(probe, (1, 1, 1, 1))
    if key or probe != where:
        return Problem(path, message, Severity.ERROR, line, column)
    return Problem(path, message, Severity.ERROR, value_line, value_column)
