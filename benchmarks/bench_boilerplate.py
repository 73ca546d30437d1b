"""The boilerplate cleaner against hand labels: reporting lost beside page furniture removed.

    python benchmarks/bench_boilerplate.py [--data DIR] [--labels CSV] [--bootstrap N]
    python benchmarks/bench_boilerplate.py --draw OUT [--data DIR]

DIR (default ../shared/eval-dev/multinews, outside this repository) holds cluster_NNN/doc_K.txt,
raw web text with its boilerplate left in. A line is a non-blank line of the file. `read_article`
may take the first one that no boilerplate rule matches as the headline ("title" below: it becomes
metadata and the cleaner never sees it); of the others, the body lines, the cleaner "removes" those
`clean_article` lists in `removed` (with a reason) and keeps the rest.

The sample (`--draw`, seed SEED, drawn once with the code of the day, then labelled by hand): every
line is put in a stratum, (document, what that day's code did with it: removed, kept or title), and
each stratum is sampled without replacement with its own generator seeded "SEED:cluster/doc:stratum",
so a draw does not depend on file order. Removed lines and titles are all taken when there are at
most REMOVED_TARGET and TITLE_TARGET of them (there were 121 and 45: both are censuses); KEPT_TARGET
kept lines are spread over the documents, at least one per document and at most PER_DOC_CAP, each
further line going to the document with most kept lines per drawn line, so no document dominates.
The CSV records each line's stratum and the stratum's size then; a line weighs (stratum size / lines
labelled in its stratum), which makes the estimates below unbiased for the whole of DIR.

Labels (benchmarks/boilerplate_labels.csv, one row per line, never the line's text: the texts are
licensed for evaluation only): "boilerplate" for page furniture (share, follow, newsletter and
comment prompts, comments, ads, navigation, archive placeholders, photo and video credits and
captions, related links, footers, cookie notices, author bios, section-break rules like "***"), and
for datelines, bylines and verbatim repeats of a paragraph the article keeps (metadata or copies:
fine to remove); "reporting" for the article's own text, quotes, subheadings and embedded posts
included; "unsure" otherwise. The note describes the line in a few words. `text_sha1` (the first 10
hex digits of the SHA-1 of the line normalised by `generator.clean.normalise_line`) must still
match the file: a line that changed is reported as stale and left out.

Scores, against the CURRENT code re-run on every labelled document (body lines only; unsure lines
are left out of every ratio):
- precision: the share of removed labelled lines that are boilerplate;
- reporting lost: reporting lines removed, as a count and a share of the labelled reporting lines,
  and the estimated share of all reporting lines in DIR that the cleaner removes (weighted);
- recall: the share of labelled boilerplate lines that are removed, in the sample and estimated
  over DIR (weighted).
The weighted estimates carry a 95% interval from a bootstrap over documents (--bootstrap N
resamples, seeded): how far the figure would move on other documents like these (the removed lines
are a census, so over DIR itself precision is exact; the bootstrap leaves out the sampling inside a
document, so it is a little narrow). Then the removed lines per reason and label, the titles by
label, and every line on the wrong side, by place, reason and note, never by its text. Nothing is
written unless --draw is given.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
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
TITLE_TARGET = 100
PER_DOC_CAP = 6
LABELS = ("boilerplate", "reporting", "unsure")
STRATA = ("removed", "kept", "title")
COLUMNS = ("cluster", "doc", "line", "stratum", "stratum_size", "text_sha1", "label", "note")
TITLE = "title"


def text_sha1(text: str) -> str:
    return hashlib.sha1(normalise_line(text).encode("utf-8")).hexdigest()[:10]


@dataclass(frozen=True)
class DocLines:
    """One document as the current code sees it: every non-blank line, and what became of it."""

    cluster: str
    doc: str
    texts: dict[int, str]  # line number -> stripped text, non-blank lines only (the title too)
    status: dict[int, str]  # line number -> "title", the cleaner's reason, or "" when kept

    def stratum(self, number: int) -> str:
        status = self.status[number]
        return "kept" if not status else TITLE if status == TITLE else "removed"


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
    status = dict.fromkeys(texts, "")
    status.update({line.line: line.reason for line in cleaned.removed})
    if article.meta.title:
        # read_article drops the title's line and keeps every other number: the missing one is it.
        numbers = {line.number for line in article.lines}
        missing = sorted(set(range(1, max(numbers) + 1)) - numbers)
        if missing:
            texts[missing[0]] = article.meta.title.strip()
            status[missing[0]] = TITLE
    return DocLines(path.parent.name, path.name, texts, status)


# --- drawing the sample -------------------------------------------------------------------------


def allocate(sizes: dict[tuple[str, str], int], target: int) -> dict[tuple[str, str], int]:
    """Lines to draw per document: all when the stratum has at most `target`; else one per
    document, then one at a time to the document with most lines per drawn line, up to the cap."""
    if sum(sizes.values()) <= target:
        return {key: size for key, size in sizes.items() if size}
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
    by_key = {(doc.cluster, doc.doc): doc for doc in docs}
    rows = []
    for stratum, target in (("removed", REMOVED_TARGET), ("kept", KEPT_TARGET), (TITLE, TITLE_TARGET)):
        lines = {key: sorted(n for n in d.texts if d.stratum(n) == stratum) for key, d in by_key.items()}
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
    status: str  # the current code's: "title", the cleaner's reason, or "" when kept

    @property
    def removed(self) -> bool:
        return self.status not in ("", TITLE)

    @property
    def place(self) -> str:
        return f"{self.cluster}/{self.doc}:{self.line}"


def read_labels(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        if row.get("label") not in LABELS:
            raise SystemExit(f"{path}:{number}: label {row.get('label')!r} is not one of {', '.join(LABELS)}")
        if row.get("stratum") not in STRATA:
            raise SystemExit(f"{path}:{number}: stratum {row.get('stratum')!r} is not one of {STRATA}")
    return rows


def judge(rows: list[dict[str, str]], data: Path) -> tuple[list[Judged], list[str]]:
    """Each labelled line with its weight and what the current code does with it; stale lines apart."""
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
            stale.append(f"{place} is blank or gone")
            continue
        if text_sha1(doc.texts[number]) != row["text_sha1"]:
            stale.append(f"{place} changed since it was labelled")
            continue
        weight = int(row["stratum_size"]) / in_stratum[(row["cluster"], row["doc"], row["stratum"])]
        judged.append(
            Judged(row["cluster"], row["doc"], number, row["label"], row["note"], weight, doc.status[number])
        )
    return judged, stale


def weighted_share(
    lines: Sequence[Judged], part: Callable[[Judged], bool], whole: Callable[[Judged], bool]
) -> tuple[float, float]:
    """(part, whole) summed over the lines, each line counted `weight` times."""
    return sum(j.weight for j in lines if part(j) and whole(j)), sum(j.weight for j in lines if whole(j))


def bootstrap(
    lines: Sequence[Judged],
    part: Callable[[Judged], bool],
    whole: Callable[[Judged], bool],
    resamples: int,
) -> tuple[float, float] | None:
    """A 95% percentile interval of the weighted share, resampling documents with replacement."""
    by_doc: dict[tuple[str, str], list[Judged]] = defaultdict(list)
    for j in lines:
        by_doc[(j.cluster, j.doc)].append(j)
    groups = list(by_doc.values())
    if not groups or resamples < 1:
        return None
    rng = random.Random(SEED)
    shares = []
    for _ in range(resamples):
        sample = [j for _ in groups for j in rng.choice(groups)]
        p, w = weighted_share(sample, part, whole)
        if w:
            shares.append(p / w)
    shares.sort()
    return shares[int(0.025 * (len(shares) - 1))], shares[int(0.975 * (len(shares) - 1))]


def _ratio(part: float, whole: float) -> str:
    return f"{f'{part:.0f}/{whole:.0f}':>9} {part / whole:6.1%}" if whole else f"{'-':>9} {'-':>6}"


def print_report(judged: list[Judged], stale: list[str], docs: list[DocLines], resamples: int) -> None:
    body = [j for j in judged if j.status != TITLE and j.label != "unsure"]
    strata = Counter(doc.stratum(n) for doc in docs for n in doc.texts)
    print(f"Population: {len(docs)} documents, {sum(strata.values())} non-blank lines")
    print(f"  body lines kept {strata['kept']}, removed {strata['removed']}; titles {strata[TITLE]}")
    reasons = Counter(s for doc in docs for s in doc.status.values() if s not in ("", TITLE))
    print("  removed by reason: " + ", ".join(f"{reason} {n}" for reason, n in reasons.most_common()))
    print()

    print(f"Labelled sample: {len(judged)} lines" + (f", {len(stale)} stale (left out)" if stale else ""))
    print(f"  {'label':<12} {'removed':>8} {'kept':>6} {'title':>6} {'all':>6}")
    for label in LABELS:
        of_label = [j for j in judged if j.label == label]
        removed = sum(1 for j in of_label if j.removed)
        as_title = sum(1 for j in of_label if j.status == TITLE)
        kept = len(of_label) - removed - as_title
        print(f"  {label:<12} {removed:>8} {kept:>6} {as_title:>6} {len(of_label):>6}")
    print()

    def is_boilerplate(j: Judged) -> bool:
        return j.label == "boilerplate"

    def is_reporting(j: Judged) -> bool:
        return j.label == "reporting"

    def is_removed(j: Judged) -> bool:
        return j.removed

    measures = (
        ("precision: boilerplate / removed", is_boilerplate, is_removed),
        ("reporting lost: reporting removed / reporting", is_removed, is_reporting),
        ("recall: boilerplate removed / boilerplate", is_removed, is_boilerplate),
    )
    print(f"  {'body lines, unsure left out':<48} {'sample':>16}   {'estimate over DIR':>16}   95% interval")
    for name, part, whole in measures:
        sample_part = sum(1 for j in body if part(j) and whole(j))
        sample_whole = sum(1 for j in body if whole(j))
        p, w = weighted_share(body, part, whole)
        interval = bootstrap(body, part, whole, resamples)
        span = f"{interval[0]:6.1%} - {interval[1]:6.1%}" if interval else ""
        print(f"  {name:<48} {_ratio(sample_part, sample_whole)}   {_ratio(p, w)}   {span}")
    print("  (estimates weight each line by its stratum's size over the lines labelled in it)")
    print()

    by_reason: dict[str, Counter[str]] = defaultdict(Counter)
    for j in judged:
        if j.removed:
            by_reason[j.status][j.label] += 1
    print("Removed labelled lines by reason")
    print(f"  {'reason':<24} " + " ".join(f"{label:>12}" for label in LABELS))
    for reason in sorted(by_reason, key=lambda r: (-sum(by_reason[r].values()), r)):
        print(f"  {reason:<24} " + " ".join(f"{by_reason[reason][label]:>12}" for label in LABELS))
    titles = Counter(j.label for j in judged if j.status == TITLE)
    print(
        "Lines read_article takes as the title (never cleaned): "
        + ", ".join(f"{label} {titles[label]}" for label in LABELS)
    )
    kinds = Counter(j.note for j in judged if j.status == TITLE and j.label == "reporting")
    print("  the reporting ones: " + ", ".join(f"{note} {n}" for note, n in kinds.most_common()))
    print()

    sections = (
        ("reporting removed", lambda j: j.label == "reporting" and j.removed),
        ("boilerplate kept", lambda j: j.label == "boilerplate" and j.status == ""),
        ("boilerplate taken as the title", lambda j: j.label == "boilerplate" and j.status == TITLE),
        ("unsure", lambda j: j.label == "unsure"),
    )
    print("Lines to look at: cluster/doc:line  what the code did  note")
    for title, test in sections:
        lines = [j for j in judged if test(j)]
        print(f"  {title} ({len(lines)})")
        for j in lines:
            print(f"    {j.place:<26} {j.status or 'kept':<22} {j.note}")
    for line in stale:
        print(f"  stale: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="cluster_*/doc_*.txt folder")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="the hand-labelled CSV")
    parser.add_argument("--bootstrap", type=int, default=2000, help="resamples for the 95%% intervals")
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
    print_report(judged, stale, docs, args.bootstrap)


if __name__ == "__main__":
    main()
