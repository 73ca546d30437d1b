"""End to end: every kind of bad file in a story folder is a warning naming the file, the other
articles still build, and `mkdocs build --strict` / `corroborate check --strict` fail on it.
Repairs (a fallback encoding, a web page saved as .txt) are notes and never fail a build."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import make_project, mkdocs_build

GOOD = {
    "good.txt": "Storm hits coast\n\nA storm hit the coast on Sunday, officials said.\n",
    "other.txt": "Storm closes port\n\nA storm hit the coast on Sunday and closed the port.\n",
}
MENU_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Menu</title></head>\n"
    '<body><nav><a href="/">Home</a></nav></body></html>\n'
)


def _write(name: str, data: bytes) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        (folder / name).write_bytes(data)
        return name

    return make


def _huge(folder: Path) -> str:
    with (folder / "huge.txt").open("wb") as handle:  # sparse: 50 MB that take no disk space
        handle.truncate(50 * 1024 * 1024)
    return "huge.txt"


def _folder(folder: Path) -> str:
    (folder / "folder.txt").mkdir()
    return "folder.txt"


def _broken_link(folder: Path) -> str:
    (folder / "link.md").symlink_to(folder / "gone.md")
    return "link.md"


def _unreadable(folder: Path) -> str:
    (folder / "secret.txt").write_text("A storm hit the coast on Sunday.\n", encoding="utf-8")
    (folder / "secret.txt").chmod(0)
    return "secret.txt"


# kind: (how to make it in a story folder, returning its name; what the warning says)
BAD_FILES: dict[str, tuple[Callable[[Path], str], str]] = {
    "empty": (_write("empty.txt", b""), "empty file"),
    "binary": (_write("binary.txt", b"\x00\x01\x02binary\x00"), "binary file, not text: it contains NUL"),
    "pdf-named-txt": (_write("scan.txt", b"%PDF-1.4\n%\xe2\xe3"), "binary file, not text: a PDF document"),
    "huge": (_huge, "too large: 52,428,800 bytes (50.0 MiB; the limit is 5 MiB), skipped without reading"),
    "pdf": (_write("scan.pdf", b"%PDF-1.4\n"), "not an article format, skipped"),
    "docx": (_write("letter.docx", b"PK\x03\x04"), "not an article format, skipped"),
    "jpg": (_write("photo.jpg", b"\xff\xd8\xff\xe0"), "not an article format, skipped"),
    "page-without-text": (_write("menu.html", MENU_PAGE.encode()), "no article text found"),
    "folder": (_folder, "unreadable: a folder named like an article, not a file"),
    "broken-link": (_broken_link, "unreadable: broken symbolic link"),
    "permission-denied": (_unreadable, "unreadable: Permission denied"),
}
ROOT_READS_ANYTHING = os.geteuid() == 0


def project_with(tmp_path: Path, kinds: list[str]) -> tuple[Path, list[tuple[str, str]]]:
    """A project whose story "storm" has the good articles and one bad file of each kind;
    returns it and the (file name, expected warning) of each bad file."""
    project = make_project(tmp_path, {"storm": dict(GOOD)})
    folder = project / "content" / "stories" / "storm"
    expected = []
    for kind in kinds:
        make, message = BAD_FILES[kind]
        expected.append((make(folder), message))
    return project, expected


def _skip_if_root(kind: str) -> None:
    if kind == "permission-denied" and ROOT_READS_ANYTHING:
        pytest.skip("root reads files whatever their permissions")


def test_every_bad_file_warns_and_the_rest_still_builds(tmp_path: Path) -> None:
    kinds = [k for k in BAD_FILES if not (k == "permission-denied" and ROOT_READS_ANYTHING)]
    project, expected = project_with(tmp_path, kinds)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    for name, message in expected:
        assert f"storm/{name}: warning: {message}" in result.stderr, (name, result.stderr)
    for source in ("good", "other"):
        assert (project / "site" / "storm" / "sources" / source / "index.html").is_file()


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_each_bad_file_fails_a_strict_build_and_check(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _skip_if_root(kind)
    project, [(name, message)] = project_with(tmp_path, [kind])
    strict = mkdocs_build(project, "--strict")
    assert strict.returncode != 0
    assert f"storm/{name}: warning: {message}" in strict.stderr, strict.stderr
    content = str(project / "content")
    assert main(["check", content]) == 0  # a warning only
    assert main(["check", content, "--strict"]) == 1
    out = capsys.readouterr().out
    assert f"storm/{name}: warning: {message}" in out
    assert "1 stories, 2 articles: 0 errors, 1 warnings, 0 notes" in out


def test_repairs_are_notes_that_never_fail_a_strict_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><title>Storm shuts port</title></head>\n<body><article>\n"
        "<p>A storm hit the coast on Sunday and shut the port, the harbour master said.</p>\n"
        "<p>Ferries will not sail before Tuesday, the operator said in a statement.</p>\n"
        "</article></body></html>\n"
    )
    project = make_project(
        tmp_path,
        {
            "storm": {
                **GOOD,
                "saved-page.txt": page,
                "old.txt": b"Storm \x93closes\x94 caf\xe9\n\nA storm hit the caf\xe9 on Sunday.\n",
            }
        },
    )
    result = mkdocs_build(project, "--strict", "--verbose")
    assert result.returncode == 0, result.stderr
    assert "old.txt: info: decoded as cp1252 (not valid UTF-8)" in result.stderr  # a DEBUG line
    assert (project / "site" / "storm" / "sources" / "saved-page" / "index.html").is_file()
    assert main(["check", str(project / "content"), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "old.txt: info: decoded as cp1252 (not valid UTF-8)" in out
    assert "saved-page.txt:1: info: read as HTML: the .txt file starts like a web page" in out
    assert "0 errors, 0 warnings, 2 notes" in out
