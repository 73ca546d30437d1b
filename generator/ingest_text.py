"""Stage 1, ingest: from an article file's bytes to clean Unicode text.

Reading checks the file before it reads it (its kind and size, through `stat`), recognises binary
files by their first bytes, decodes the text (byte order marks, UTF-8, a web page's declared
charset, cp1252, latin-1) and repairs it line by line: mojibake undone with `ftfy.fix_encoding`,
invisible characters removed, special spaces made plain. Letters, punctuation and curly quotes
stay as written. Every fallback and repair is counted, so `ingest` can record it on the article
as an INFO note.
"""

from __future__ import annotations

import codecs
import functools
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .records import Line, Problem, Severity

# Articles larger than this are refused before they are read: no news article is this long, and
# a build must not load a stray video or database dump into memory.
MAX_BYTES = 5 * 1024 * 1024
# How much of a file's start is looked at to tell its kind (binary, HTML, declared charset).
SNIFF_BYTES = 8192

# Formats people drop into a story folder by mistake, recognised by their first bytes so the
# warning can say what the file is.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx, OpenDocument or EPUB file is one)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls, .ppt)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
)
# Byte order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
# A page starts with a doctype or an <html> tag, perhaps after an XML declaration and comments.
_HTML_START = re.compile(
    r"(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL
)
_MARKUP = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*|/[a-zA-Z][a-zA-Z0-9]*|!--|!doctype)[\s>/]", re.IGNORECASE)

# Removed from text: zero-width spaces and joiners, word joiners, byte order marks inside the
# text, soft hyphens, and control characters (C0 other than tab and line ends, DEL, C1).
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad" + "".join(
    chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
)
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS), None)
# Replaced by a plain space: no-break, narrow no-break, figure, thin, hair, em, en and other spaces.
_SPACE_CHARS = "\u00a0\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
_SPACES = dict.fromkeys(map(ord, _SPACE_CHARS), " ")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# UTF-8 read as cp1252 or latin-1 always shows the character of a UTF-8 lead byte (0xC2-0xF4, "Â"
# to "ô"), so a line without one has no such mojibake and need not go through ftfy.
_MOJIBAKE_LEAD = re.compile("[\u00c2-\u00f4]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text and how it was decoded: `encoding` is the Python codec used, `label` the
    name shown to users and `reason` why that encoding was chosen."""

    text: str
    encoding: str
    label: str
    reason: str

    def note(self, path: Path) -> Problem | None:
        """An INFO note when the text was not plain UTF-8, else None (nothing to report)."""
        if self.encoding == "utf-8":
            return None
        return Problem(path, f"decoded as {self.label} ({self.reason})", Severity.INFO)


@dataclass(frozen=True, slots=True)
class TextRepairs:
    """What normalising an article's text changed, counted for its notes."""

    mojibake: tuple[str, ...] = ()  # where: "line 12", "the title"
    invisible: int = 0  # zero-width characters, soft hyphens, BOMs and control characters removed
    spaces: int = 0  # non-breaking and other special spaces made plain

    def plus(self, other: TextRepairs) -> TextRepairs:
        return TextRepairs(
            self.mojibake + other.mojibake, self.invisible + other.invisible, self.spaces + other.spaces
        )

    def notes(self, path: Path) -> list[Problem]:
        """One INFO note per kind of repair; the mojibake note points at its first line."""
        notes = []
        if self.mojibake:
            lines = [int(place[5:]) for place in self.mojibake if place.startswith("line ")]
            shown = ", ".join(self.mojibake[:5]) + (", …" if len(self.mojibake) > 5 else "")
            count = len(self.mojibake)
            notes.append(
                Problem(
                    path,
                    f"repaired mojibake (text decoded with the wrong encoding, such as 'Ã©' for 'é') "
                    f"in {count} place{'s' if count > 1 else ''}: {shown}",
                    Severity.INFO,
                    lines[0] if lines else None,
                )
            )
        if self.invisible:
            notes.append(
                Problem(
                    path,
                    f"removed {self.invisible} invisible character{'s' if self.invisible > 1 else ''} "
                    "(zero-width spaces or joiners, soft hyphens, byte order marks, control characters)",
                    Severity.INFO,
                )
            )
        if self.spaces:
            notes.append(
                Problem(
                    path,
                    f"replaced {self.spaces} non-breaking or special space{'s' if self.spaces > 1 else ''} "
                    "with plain spaces",
                    Severity.INFO,
                )
            )
        return notes


def read_file_bytes(path: Path) -> bytes | Problem:
    """The bytes of `path`, or why they cannot be had: a missing file, a broken symbolic link, a
    folder, a device or pipe, a file over `MAX_BYTES` (told by `stat`, never read), permissions."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return Problem(path, f"unreadable: broken symbolic link (it points to {os.readlink(path)!r})")
        return Problem(path, "unreadable: no such file")
    except OSError as error:  # permission denied on the folder, a symbolic link loop, ...
        return Problem(path, f"unreadable: {error.strerror or error}")
    if stat.S_ISDIR(info.st_mode):
        return Problem(path, "unreadable: a folder named like an article, not a file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(path, "unreadable: not a regular file (a device, pipe or socket)")
    if info.st_size > MAX_BYTES:
        return _too_large(path, info.st_size)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more, even if the file grew since stat
    except OSError as error:
        return Problem(path, f"unreadable: {error.strerror or error}")
    if len(raw) > MAX_BYTES:
        return _too_large(path, len(raw))
    return raw


def _too_large(path: Path, size: int) -> Problem:
    mib = 1024 * 1024
    return Problem(
        path,
        f"too large: {size:,} bytes ({size / mib:.1f} MiB; the limit is {MAX_BYTES / mib:.0f} MiB), "
        "skipped without reading it",
    )


def has_bom(raw: bytes) -> bool:
    return raw.startswith(tuple(bom for bom, _, _ in _BOMS))


def binary_kind(raw: bytes) -> str | None:
    """What a binary file is ("a PDF document"), or None when its first bytes look like text."""
    for signature, kind in _SIGNATURES:
        if raw.startswith(signature):
            return kind
    if not has_bom(raw) and b"\x00" in raw[:SNIFF_BYTES]:
        return "it contains NUL bytes"
    return None


def looks_binary(text: str) -> bool:
    """Decoded text that is mostly not text: more than 1% control characters in its start."""
    head = text[:SNIFF_BYTES]
    controls = len(_CONTROL.findall(head))
    return controls > 8 and controls > len(head) / 100


def looks_like_html(text: str) -> bool:
    """Whether text starts like a web page: a doctype or <html>, after any XML declaration."""
    return bool(_HTML_START.match(text[:SNIFF_BYTES]))


def has_markup(text: str) -> bool:
    """Whether the start of `text` has any HTML tag or comment at all."""
    return bool(_MARKUP.search(text[:SNIFF_BYTES]))


def declared_charset(raw: bytes) -> str | None:
    """The Python codec a page declares in a <meta> charset or an XML declaration, if Python
    knows it. A declared ISO-8859-1 or ASCII is read as cp1252, as browsers do."""
    match = _DECLARED_CHARSET.search(raw[:SNIFF_BYTES])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "replace")
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


def decode(raw: bytes, declared: str | None = None) -> Decoded:
    """Bytes to text, trying in order: a byte order mark (UTF-8, UTF-16, UTF-32, either byte
    order), UTF-8, the encoding the page declares (`declared`, for HTML), cp1252, and latin-1,
    which never fails. Valid UTF-8 wins over a declaration, since pages often mislabel it."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            text = raw[len(bom) :].decode(codec, errors="replace")
            return Decoded(text, "utf-8" if codec == "utf-8" else codec, label, "byte order mark")
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", "UTF-8", "valid UTF-8")
    except UnicodeDecodeError:
        pass
    if declared and declared != "utf-8":
        try:
            return Decoded(raw.decode(declared), declared, declared, "declared in the page")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(raw.decode("cp1252"), "cp1252", "cp1252", "not valid UTF-8")
    except UnicodeDecodeError:
        return Decoded(raw.decode("latin-1"), "latin-1", "latin-1", "neither UTF-8 nor cp1252")


def split_lines(text: str) -> list[str]:
    """Lines of `text`, whatever its line ends (\\r\\n, \\r or \\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def normalise(text: str, where: str) -> tuple[str, TextRepairs]:
    """One line or field of text repaired: mojibake undone (`ftfy.fix_encoding`, which leaves
    quotes as they are), invisible characters removed, special spaces made plain, NFC applied.
    `where` names the place for the mojibake note ("line 3", "the title")."""
    if text.isascii() and not _CONTROL.search(text) and "\x0b" not in text and "\x0c" not in text:
        return text, TextRepairs()
    mojibake: tuple[str, ...] = ()
    if _MOJIBAKE_LEAD.search(text):
        fixed = _fix_encoding()(text)
        if fixed != text and "\n" not in fixed:
            text, mojibake = fixed, (where,)
    without_invisible = text.translate(_INVISIBLE)
    invisible = len(text) - len(without_invisible)
    spaces = sum(1 for char in without_invisible if char in _SPACE_CHARS)
    text = unicodedata.normalize("NFC", without_invisible.translate(_SPACES))
    return text, TextRepairs(mojibake, invisible, spaces)


@functools.cache
def _fix_encoding() -> Callable[[str], str]:
    """`ftfy.fix_encoding`, imported on first use (70 ms of imports that articles in plain ASCII
    and curly quotes never need). Only this function of ftfy is used: `ftfy.fix_text` would also
    straighten curly quotes."""
    import ftfy

    return ftfy.fix_encoding


def normalise_lines(lines: Iterable[Line]) -> tuple[list[Line], TextRepairs]:
    """Every line normalised (see `normalise`), numbers unchanged, with the repairs counted."""
    result, total = [], TextRepairs()
    for line in lines:
        text, repairs = normalise(line.text, f"line {line.number}")
        result.append(Line(line.number, text) if text != line.text else line)
        total = total.plus(repairs)
    return result, total
