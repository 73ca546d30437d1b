"""Time and peak memory of building the seed story, beside the same story with one huge article.

    python benchmarks/bench_hostile.py [--size BYTES] [--lines N] [--timeout S]

Stories are built in one run, each in a fresh process, twice: `corroborate export` (the pipeline
without MkDocs: reading, cleaning, segmentation, analysis, the JSON) and `corroborate build` (the
whole site, with MkDocs and Material's search, of a project holding that one story). The stories:
the seed story (`content/stories/*`); the seed story with an article whose text is one line of
sentences of `--size` bytes (2 MB by default); with an article of `--lines` short lines (50,000 by
default), one short sentence each; and with an article of `--lines` hard-wrapped lines with no
sentence end. It prints wall time and peak resident memory of each, and both as ratios to the seed
story's. Beside the whole site it times the baseline a site build competes with: `mkdocs build`
of the same article files published as plain Material pages (each line a paragraph, one page an
article, search on, no plugin), and prints the site's time as a ratio to it. Nothing is asserted:
the figures are for reading (README, *Hostile and huge input*).

The generators of the huge articles are also used by the tests, at small sizes, to show that the
work grows linearly with the text.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = next(p for p in sorted((ROOT / "content" / "stories").iterdir()) if p.is_dir())

_SUBJECTS = ("Officials", "The ministry", "Witnesses", "Police in Basra", "The governor", "Residents")
_VERBS = ("said", "reported", "confirmed", "denied", "announced", "warned")
_OBJECTS = ("people were hurt", "troops would leave", "the road was closed", "talks had stalled")
_PLACES = ("Mosul", "Erbil", "Najaf", "Kirkuk")


def _sentence(rng: random.Random, k: int) -> str:
    return (
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} on day {k} that {rng.randint(2, 900)} "
        f"{rng.choice(_OBJECTS)} near {rng.choice(_PLACES)}."
    )


def paragraph_article(size: int, seed: int = 1) -> str:
    """A headline, then one line of about `size` characters of varied sentences."""
    rng = random.Random(seed)
    sentences: list[str] = []
    length = 0
    while length < size:
        sentence = _sentence(rng, len(sentences))
        sentences.append(sentence)
        length += len(sentence) + 1
    return "Storm report from the north\n\n" + " ".join(sentences) + "\n"


def lines_article(count: int, seed: int = 2) -> str:
    """A headline, then `count` short lines, each a short sentence ("Officials said 12 left.")."""
    rng = random.Random(seed)
    lines = [
        f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {k} {rng.choice(('left', 'stayed', 'fled'))}."
        for k in range(count)
    ]
    return "Storm report from the north\n\n" + "\n".join(lines) + "\n"


def wrapped_article(count: int, seed: int = 3) -> str:
    """A headline, then `count` short lines with no sentence end: hard wraps of one long sentence."""
    rng = random.Random(seed)
    words = ("the", "storm", "hit", "coast", "on", "Sunday", "and", "closed", "port", "officials", "said")
    lines = [" ".join(rng.choice(words) for _ in range(6)) + f" {k}" for k in range(count)]
    return "Storm report from the north\n\n" + "\n".join(lines) + "\n"


Figures = tuple[float, float] | None  # (seconds, peak MiB), or None when stopped


def measure(command: list[str], timeout: float) -> Figures:
    """(seconds, peak MiB) of one run of `command` in a fresh process; None when it was stopped
    after `timeout` seconds."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    elapsed = time.perf_counter() - start
    if elapsed >= timeout:
        return None
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{error[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=2_000_000, help="bytes of the one-line article")
    parser.add_argument("--lines", type=int, default=50_000, help="lines of the many-lines articles")
    parser.add_argument("--timeout", type=float, default=300, help="stop a build after this many seconds")
    args = parser.parse_args()

    corroborate = [sys.executable, "-m", "generator"]
    rows: list[tuple[str, Figures, Figures, Figures]] = []
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q"]
    with tempfile.TemporaryDirectory() as tmp:
        stories = {
            f"seed story ({SEED.name})": None,
            f"seed + one line of sentences, {args.size:,} bytes": paragraph_article(args.size),
            f"seed + {args.lines:,} short lines": lines_article(args.lines),
            f"seed + {args.lines:,} wrapped lines, no sentence end": wrapped_article(args.lines),
        }
        for label, huge in stories.items():
            project = Path(tmp) / f"project{len(rows)}"
            folder = project / "content" / "stories" / SEED.name
            shutil.copytree(SEED, folder)
            shutil.copytree(ROOT / "site_templates", project / "site_templates")
            shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
            (project / "docs").mkdir()
            if huge is not None:
                (folder / "huge.txt").write_text(huge, encoding="utf-8")
            exported = measure(
                [*corroborate, "export", str(folder), "-o", str(project / "out.json")], args.timeout
            )
            built = measure([*corroborate, "build", "-f", str(project / "mkdocs.yml")], args.timeout)
            plain = measure(
                [*mkdocs, "-f", str(plain_pages(folder, Path(tmp) / f"plain{len(rows)}"))], args.timeout
            )
            rows.append((label, exported, built, plain))
            print(
                f"... {label}: export {_seconds(exported)}, site {_seconds(built)}, "
                f"plain Material {_seconds(plain)}",
                file=sys.stderr,
            )
    _print_table(
        "story (corroborate export)", [(label, exported) for label, exported, _, _ in rows], args.timeout
    )
    _print_table(
        "story (corroborate build (whole site))",
        [(label, built) for label, _, built, _ in rows],
        args.timeout,
    )
    _print_baseline([(label, built, plain) for label, _, built, plain in rows], args.timeout)


def plain_pages(folder: Path, project: Path) -> Path:
    """A MkDocs project publishing the articles of story `folder` as plain Material pages: one
    page an article file, each non-empty line a paragraph (escaped), the theme and search of the
    project's mkdocs.yml, no plugin. Returns its mkdocs.yml."""
    docs = project / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Articles\n", encoding="utf-8")
    articles = sorted(
        p for p in folder.iterdir() if p.is_file() and p.name not in ("story.yaml", "overrides.yaml")
    )
    for k, article in enumerate(articles):
        lines = article.read_text(encoding="utf-8", errors="replace").splitlines()
        body = "\n\n".join(html.escape(line.strip()) for line in lines if line.strip())
        (docs / f"article-{k}.md").write_text(f"# Article {k}\n\n{body}\n", encoding="utf-8")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    config.pop("validation", None)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return project / "mkdocs.yml"


def _print_baseline(rows: list[tuple[str, Figures, Figures]], timeout: float) -> None:
    """The whole site's time beside Material's alone for the same article texts, as a ratio."""
    width = max(len(label) for label, _, _ in rows)
    title = "story (site vs plain Material pages)"
    width = max(width, len(title))
    print(f"\n{title:<{width}}  {'site s':>8}  {'plain s':>8}  {'x plain':>7}")
    for label, built, plain in rows:
        if built is None or plain is None:
            print(f"{label:<{width}}  {_seconds(built):>8}  {_seconds(plain):>8}  {'-':>7}")
            continue
        print(f"{label:<{width}}  {built[0]:>8.2f}  {plain[0]:>8.2f}  {built[0] / plain[0]:>7.2f}")


def _print_table(title: str, rows: list[tuple[str, Figures]], timeout: float) -> None:
    """One table: each story's time and peak memory, and both as ratios to the first (the seed)."""
    base = rows[0][1]
    if base is None:
        raise SystemExit("the seed story did not build in time")
    base_seconds, base_mib = base
    width = max(len(label) for label, _ in rows)
    print(f"\n{title:<{width}}  {'wall s':>8}  {'x seed':>7}  {'peak MiB':>9}  {'x seed':>7}")
    for label, figures in rows:
        if figures is None:
            print(f"{label:<{width}}  {f'> {timeout:.0f}':>8}  {'-':>7}  {'-':>9}  {'-':>7}  (stopped)")
            continue
        seconds, mib = figures
        print(
            f"{label:<{width}}  {seconds:>8.2f}  {seconds / base_seconds:>7.1f}  "
            f"{mib:>9.1f}  {mib / base_mib:>7.1f}"
        )


def _seconds(figures: Figures) -> str:
    return f"{figures[0]:.2f} s" if figures else "stopped"


if __name__ == "__main__":
    main()
