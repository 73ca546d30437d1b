"""The boilerplate cleaner against hand labels: reporting lost beside page furniture removed.

    python benchmarks/bench_boilerplate.py [--data DIR] [--labels CSV]
    python benchmarks/bench_boilerplate.py --draw OUT [--data DIR]

DIR (default ../shared/eval-dev/multinews, outside this repository) holds cluster_NNN/doc_K.txt,
raw web text with its boilerplate left in. A line is a non-blank line of the Article that
`read_article` yields (the headline it takes as the title is not one); the cleaner "removes" a line
when `clean_article` lists it in `removed` (with its reason) and keeps every other one.

The sample (`--draw`, seed SEED, drawn once with the cleaner of the day and then labelled by hand):
every line is put in a stratum, (document, whether that day's cleaner removed it), and each stratum
is sampled without replacement with its own seeded generator ("SEED:cluster/doc:stratum"), so a
draw does not depend on file order. The removed lines are all taken when there are at most
REMOVED_TARGET of them (121 were, a census), the kept lines are spread over documents, at least one
per document and at most PER_DOC_CAP, the rest going to the documents with most lines per sampled
line, REMOVED_TARGET and KEPT_TARGET lines in all, so no single document dominates. The CSV
records each line's stratum and its size then; a line weighs (stratum size / lines labelled in it).

Labels (benchmarks/boilerplate_labels.csv, one row per line, no article text: the texts are
licensed for evaluation only): "boilerplate" for page furniture (share, follow, newsletter and
comment prompts, comments, ads, navigation, archive placeholders, photo credits and captions,
related links, footers, cookie notices, author bios; datelines and bylines are metadata, fine to
remove), "reporting" for the article's own text, quotes included, and "unsure"; a note describes
the line in a few words. `text_sha1` (the first 10 hex digits of the SHA-1 of the line normalised
by `generator.clean.normalise_line`) must still match: a line that changed or is gone is reported as
stale and left out, and so is a line now taken as the headline.

The labels are then scored against the CURRENT cleaner, re-run on every labelled document:
- precision: the share of removed labelled lines that are boilerplate (unsure left out);
- reporting lost: reporting lines removed, as a count and a share of all labelled reporting lines,
  and the estimated share of all reporting lines in DIR that are removed (stratum weights);
- recall: the share of labelled boilerplate lines that are removed, in the sample and estimated
  over DIR (stratum weights);
and per reason, the removed lines by label; then every line on the wrong side, by place, reason
and note, never by its text. Nothing is written unless --draw is given.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from generator.clean import clean_article, normalise_line
from generator.ingest import read_article
from generator.records import Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval-dev" / "multinews"
DEFAULT_LABELS = ROOT / "benchmarks" / "boilerplate_labels.csv"
SEED = 20240611
REMOVED_TARGET = 150
KEPT_TARGET = 250
PER_DOC_CAP = 6
LABELS = ("boilerplate", "reporting", "unsure")
COLUMNS = ("cluster", "doc", "line", "stratum", "stratum_size", "text_sha1", "label", "note")


def text_sha1(text: str) -> str:
    return hashlib.sha1(normalise_line(text).encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class DocLines:
    """One document as the current cleaner sees it: its non-blank lines, and those it removes."""

    cluster: str
    doc: str
    texts: dict[int, str]  # line number -> text, non-blank lines only
    removed: dict[int, str]  # line number -> reason


def _number(name: str) -> int:
    digits = re.findall(r"\d+", name)
    return int(digits[-1]) if digits else 0


def doc_paths(data: Path) -> list[Path]:
    paths = sorted(data.glob("cluster_*/doc_*.txt"), key=lambda p: (_number(p.parent.name), _number(p.name)))
    if not paths:
        raise SystemExit(f"{data}: no cluster_*/doc_*.txt (the dev data is not in this repository)")
    return paths


def clean_doc(path: Path) -> DocLines:
    article = read_article(path)
    if not isinstance(article, Article):
        raise SystemExit(f"{path}: {article.message}")
    cleaned = clean_article(article)
    texts = {line.number: line.text.strip() for line in article.lines if line.text.strip()}
    removed = {line.line: line.reason for line in cleaned.removed}
    return DocLines(path.parent.name, path.name, texts, removed)


# --- drawing the sample -------------------------------------------------------------------------


def allocate(sizes: dict[tuple[str, str], int], target: int) -> dict[tuple[str, str], int]:
    """Lines to draw per document: all when the stratum has at most `target`; else one per
    document, then one at a time to the document with most lines per drawn line, up to the cap."""
    if sum(sizes.values()) <= target:
        return dict(sizes)
    counts = {key: 1 for key, size in sizes.items() if size}
    cap = {key: min(size, PER_DOC_CAP) for key, size in sizes.items()}
    while sum(counts.values()) < target:
        open_docs = [key for key in counts if counts[key] < cap[key]]
        if not open_docs:
            break
        best = max(open_docs, key=lambda key: (sizes[key] / counts[key], key))
        counts[best] += 1
    return counts


def draw(docs: list[DocLines]) -> list[dict[str, str]]:
    strata: dict[str, dict[tuple[str, str], list[int]]] = {"removed": {}, "kept": {}}
    for doc in docs:
        key = (doc.cluster, doc.doc)
        strata["removed"][key] = sorted(doc.removed)
        strata["kept"][key] = sorted(n for n in doc.texts if n not in doc.removed)
    by_key = {(doc.cluster, doc.doc): doc for doc in docs}
    rows = []
    for stratum, target in (("removed", REMOVED_TARGET), ("kept", KEPT_TARGET)):
        lines = strata[stratum]
        counts = allocate({key: len(numbers) for key, numbers in lines.items()}, target)
        for key, count in counts.items():
            rng = random.Random(f"{SEED}:{key[0]}/{key[1]}:{stratum}")
            for number in sorted(rng.sample(lines[key], count)):
                rows.append(
                    {
                        "cluster": key[0],
                        "doc": key[1],
                        "line": str(number),
                        "stratum": stratum,
                        "stratum_size": str(len(lines[key])),
                        "text_sha1": text_sha1(by_key[key].texts[number]),
                        "label": "",
                        "note": "",
                    }
                )
    rows.sort(key=lambda r: (_number(r["cluster"]), _number(r["doc"]), int(r["line"])))
    return rows


# --- scoring ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    cluster: str
    doc: str
    line: int
    label: str
    note: str
    weight: float
    reason: str | None  # the current cleaner's reason, None when it keeps the line

    @property
    def removed(self) -> bool:
        return self.reason is not None


def read_labels(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if row.get("label") not in LABELS:
            raise SystemExit(f"{path}:{number}: label {row.get('label')!r} is not one of {', '.join(LABELS)}")
    return rows


def judge(rows: list[dict[str, str]], data: Path) -> tuple[list[Judged], list[str]]:
    """Each labelled line with its weight and the current cleaner's decision; stale lines apart."""
    in_stratum = Counter((r["cluster"], r["doc"], r["stratum"]) for r in rows)
    docs: dict[tuple[str, str], DocLines] = {}
    judged, stale = [], []
    for row in rows:
        key = (row["cluster"], row["doc"])
        if key not in docs:
            docs[key] = clean_doc(data / key[0] / key[1])
        doc, number = docs[key], int(row["line"])
        place = f"{row['cluster']}/{row['doc']}:{number}"
        if number not in doc.texts:
            stale.append(f"{place} gone (blank, or taken as the headline)")
            continue
        if text_sha1(doc.texts[number]) != row["text_sha1"]:
            stale.append(f"{place} changed since it was labelled")
            continue
        weight = int(row["stratum_size"]) / in_stratum[(row["cluster"], row["doc"], row["stratum"])]
        judged.append(
            Judged(row["cluster"], row["doc"], number, row["label"], row["note"], weight, doc.removed.get(number))
        )
    return judged, stale


def _share(part: float, whole: float) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def print_report(judged: list[Judged], stale: list[str], docs: list[DocLines]) -> None:
    total = sum(len(d.texts) for d in docs)
    removed_total = sum(len(d.removed) for d in docs)
    print(f"Population ({len(docs)} documents, every non-blank line the current cleaner sees)")
    print(f"  lines {total:>6}   kept {total - removed_total:>6}   removed {removed_total:>5}")
    reasons = Counter(reason for d in docs for reason in d.removed.values())
    print("  removed by reason: " + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common()))
    print()

    print(f"Labelled sample: {len(judged)} lines" + (f", {len(stale)} stale (left out)" if stale else ""))
    print(f"  {'label':<12} {'removed':>8} {'kept':>6} {'all':>6}")
    for label in LABELS:
        removed = sum(1 for j in judged if j.label == label and j.removed)
        kept = sum(1 for j in judged if j.label == label and not j.removed)
        print(f"  {label:<12} {removed:>8} {kept:>6} {removed + kept:>6}")
    print()

    def count(label: str, removed: bool | None = None, weighted: bool = False) -> float:
        return sum(
            j.weight if weighted else 1
            for j in judged
            if j.label == label and (removed is None or j.removed == removed)
        )

    bp_removed, rep_removed = count("boilerplate", True), count("reporting", True)
    rep_all, bp_all = count("reporting"), count("boilerplate")
    w_rep_removed, w_rep_all = count("reporting", True, True), count("reporting", None, True)
    w_bp_removed, w_bp_all = count("boilerplate", True, True), count("boilerplate", None, True)
    print(f"  {'measure':<58} {'sample':>16} {'estimate over DIR':>22}")
    print(
        f"  {'precision: boilerplate / removed (unsure left out)':<58} "
        f"{f'{bp_removed:.0f}/{bp_removed + rep_removed:.0f}':>8} {_share(bp_removed, bp_removed + rep_removed)}"
        f" {f'{w_bp_removed:.0f}/{w_bp_removed + w_rep_removed:.0f}':>14} "
        f"{_share(w_bp_removed, w_bp_removed + w_rep_removed)}"
    )
    print(
        f"  {'reporting lost: reporting removed / reporting':<58} "
        f"{f'{rep_removed:.0f}/{rep_all:.0f}':>8} {_share(rep_removed, rep_all)}"
        f" {f'{w_rep_removed:.0f}/{w_rep_all:.0f}':>14} {_share(w_rep_removed, w_rep_all)}"
    )
    print(
        f"  {'recall: boilerplate removed / boilerplate':<58} "
        f"{f'{bp_removed:.0f}/{bp_all:.0f}':>8} {_share(bp_removed, bp_all)}"
        f" {f'{w_bp_removed:.0f}/{w_bp_all:.0f}':>14} {_share(w_bp_removed, w_bp_all)}"
    )
    print("  (estimates weight each line by its stratum's size over the lines labelled in it)")
    print()

    by_reason: dict[str, Counter[str]] = defaultdict(Counter)
    for j in judged:
        if j.reason is not None:
            by_reason[j.reason][j.label] += 1
    print("Removed labelled lines by reason")
    print(f"  {'reason':<24} " + " ".join(f"{label:>12}" for label in LABELS))
    for reason in sorted(by_reason, key=lambda r: (-sum(by_reason[r].values()), r)):
        print(f"  {reason:<24} " + " ".join(f"{by_reason[reason][label]:>12}" for label in LABELS))
    print()

    wrong = [j for j in judged if (j.label == "reporting") == j.removed and j.label != "unsure"]
    print(f"On the wrong side ({len(wrong)}): cluster/doc:line  reason  note")
    for title, removed in (("reporting removed", True), ("boilerplate kept", False)):
        lines = [j for j in wrong if j.removed == removed]
        print(f"  {title} ({len(lines)})")
        for j in lines:
            print(f"    {j.cluster}/{j.doc}:{j.line:<4} {j.reason or 'kept':<22} {j.note}")
    unsure = [j for j in judged if j.label == "unsure"]
    if unsure:
        print(f"  unsure ({len(unsure)})")
        for j in unsure:
            print(f"    {j.cluster}/{j.doc}:{j.line:<4} {j.reason or 'kept':<22} {j.note}")
    for line in stale:
        print(f"  stale: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="cluster_*/doc_*.txt folder")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="the hand-labelled CSV")
    parser.add_argument("--draw", type=Path, help="write a fresh, unlabelled sample to this CSV and stop")
    args = parser.parse_args()
    if not args.data.is_dir():
        parser.error(f"--data {args.data}: no such folder (the dev data is not in this repository)")

    docs = [clean_doc(path) for path in doc_paths(args.data)]
    if args.draw:
        rows = draw(docs)
        with args.draw.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        print(f"wrote {len(rows)} lines to {args.draw}", file=sys.stderr)
        return
    judged, stale = judge(read_labels(args.labels), args.data)
    print_report(judged, stale, docs)


if __name__ == "__main__":
    main()
