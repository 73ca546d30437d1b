"""Wall time and peak memory of `corroborate export` and of a full site build, beside baselines.

    python benchmarks/bench_build.py [--repeat N] [--clusters DIR]

Each command runs in a fresh process; peak memory is that process's own maximum resident set
size (os.wait4). Baselines: the interpreter importing the package (the floor under `export`), and
`mkdocs build` of the same site with the corroborate plugin removed (the floor under a build).
`--clusters DIR` also times `export` on every `cluster_*/doc_*.txt` folder under DIR (such as
../shared/eval-dev/multinews) and prints the per-cluster median and maximum.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "stories" / "us-iraq-combat-mission"


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of one run of `command`."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"failed: {' '.join(command)}\n{process.stderr.read().decode() if process.stderr else ''}"
        )
    peak_kib = usage.ru_maxrss  # kilobytes on Linux
    return elapsed, peak_kib / 1024


def median_run(command: list[str], cwd: Path, repeat: int) -> tuple[float, float]:
    runs = [measure(command, cwd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def site_without_plugin(project: Path) -> Path:
    """A copy of mkdocs.yml whose plugin list keeps only search, with one page per generated page."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    lines, skipping = [], False
    for line in config.splitlines():
        if line.strip().startswith("- corroborate"):
            skipping = True
            continue
        if skipping and line.startswith("      "):
            continue
        skipping = False
        lines.append(line)
    baseline = project / "baseline.yml"
    baseline.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (median time, max memory)")
    parser.add_argument("--clusters", type=Path, help="a folder of cluster_*/doc_*.txt to export")
    args = parser.parse_args()
    if args.clusters and not args.clusters.is_dir():
        parser.error(f"--clusters {args.clusters}: no such folder (the dev data is not in this repository)")

    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "site_templates", project / "site_templates")
        shutil.copytree(ROOT / "content", project / "content")
        (project / "docs").mkdir()
        # the baseline site: the same number of pages, written as plain Markdown files
        rows = [
            ("baseline: python -c 'import generator'", [python, "-c", "import generator.pipeline"]),
            ("export (seed story, 4 articles)", [python, "-m", "generator", "export", str(SEED)]),
        ]
        build_rows = [("mkdocs build, default site", [python, "-m", "mkdocs", "build", "-q"])]
        baseline_config = site_without_plugin(project)
        docs = project / "docs"
        (docs / "index.md").write_text("# Home\n\nA page.\n", encoding="utf-8")
        for k in range(12):  # the default site has 4 story pages + 4 sources + home, and JSON
            (docs / f"page{k}.md").write_text(
                f"# Page {k}\n\n" + "Some text. " * 300 + "\n", encoding="utf-8"
            )
        build_rows.insert(
            0,
            (
                "baseline: mkdocs build, Material, 13 plain pages, no plugin",
                [python, "-m", "mkdocs", "build", "-q", "-f", str(baseline_config)],
            ),
        )
        print(f"{'command':<62} {'wall s (median)':>16} {'peak MiB':>9}")
        for label, command in rows:
            seconds, mib = median_run(command, project, args.repeat)
            print(f"{label:<62} {seconds:>16.3f} {mib:>9.1f}")
        for label, command in build_rows:
            if "baseline" not in label:
                for extra in docs.glob("*.md"):
                    extra.unlink()
            seconds, mib = median_run(command, project, args.repeat)
            print(f"{label:<62} {seconds:>16.3f} {mib:>9.1f}")

        if args.clusters:
            times, peaks = [], []
            clusters = sorted(p for p in args.clusters.resolve().iterdir() if p.is_dir())
            for cluster in clusters:
                docs_in = sorted(str(p) for p in cluster.glob("doc_*.txt"))
                seconds, mib = measure([python, "-m", "generator", "export", *docs_in], project)
                times.append(seconds)
                peaks.append(mib)
            print(
                f"export over {len(clusters)} clusters of {args.clusters}: "
                f"median {statistics.median(times):.3f} s, max {max(times):.3f} s per cluster "
                f"(process start included), peak {max(peaks):.1f} MiB"
            )


if __name__ == "__main__":
    main()
