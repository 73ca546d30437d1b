"""Are the facts true to their citations? Grouping, conflicts and speed against hand labels.

    python benchmarks/bench_facts.py [--data DIR] [--labels CSV] [--baseline CHECKOUT]
    python benchmarks/bench_facts.py --draw OUT        draw the independent pair sample
    python benchmarks/bench_facts.py --todo OUT        what the current code claims that is unlabelled
    python benchmarks/bench_facts.py --todo OUT --fresh2 [--parts N]   the second fresh sample's task
    python benchmarks/bench_facts.py --todo OUT --fresh3 [--parts N]   the third fresh sample's task
    python benchmarks/bench_facts.py --todo OUT --fresh4 [--parts N]   the fourth fresh sample's task

DIR (default ../shared/eval-dev, outside this repository) holds `multinews/`, `allsides/` and
`ecbplus/`. The sample is CLUSTERS_PER_SET clusters of each, drawn with seed SEED. A cluster's
articles are every `.txt` in its folder except the reference summary (`ref_*.txt`); it is built
as one story with `generator.pipeline.build`, exactly as `corroborate export` builds it.

Labels (benchmarks/fact_labels.csv, ids only, never the texts: they are licensed for evaluation
only). A sentence is `source#sentence-id`; ids are hashes of the sentence's words, so a label
survives any change that does not change the sentence. Rows:

- `kind=pair`: two sentences of different sources, read in context (the sentences around them and
  the headline), labelled `same` (one states the other's main claim: the same event or statement,
  compatible participants, values, place and time, the same modality, whose words a quote is;
  extra detail on one side is fine), `different` (another claim, even about the same event), or
  `contradicting` (the same claim about the same referent with incompatible values).
- `kind=conflict`: a conflict the system reported, by the first citation of each side, labelled
  `real` (the two sides really disagree about one thing) or `false`.

Where the pairs come from (`origin`), so that recall is not measured only on pairs the system
proposes: `closest` (for a sentence drawn at random, the closest sentence of other sources by
plain word overlap), `random` (two sentences of different sources at random); both drawn once,
independently of the system, by `--draw`. `fact` pairs are the system's own: each cited sentence
of a fact against the fact's representative sentence, for facts drawn FACTS_PER_CLUSTER per
cluster; `--todo` lists the ones the current code produces that have no label yet, and every
reported conflict without one.

Printed, for the current code (and, with --baseline, for the code of another checkout side by
side):
- grouping precision, strict: of the facts with support >= 2 drawn for labelling whose pairs are
  all labelled, the share whose every cited sentence states the representative's claim;
- pair precision: of the labelled pairs the system cites in one fact, the share labelled same;
- pair recall: of the `closest`/`random` pairs labelled same, the share cited in one fact;
- conflict precision: of the reported conflicts that are labelled, the share real; conflict
  recall: of the known real disagreements (pairs labelled contradicting, conflicts labelled real
  in any version), the share reported as a conflict between the facts holding the two sentences;
- crashes, and export time per cluster (median and total, and the ratio to the baseline when given),
  each cluster's fastest of --repeat runs (default 3), the versions alternating, so that a busy
  machine does not favour one.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import json
import random
import re
import statistics
import subprocess
import sys
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "eval-dev"
DEFAULT_LABELS = ROOT / "benchmarks" / "fact_labels.csv"
SEED = "facts-2026-12"
SETS = ("multinews", "allsides", "ecbplus")
CLUSTERS_PER_SET = {"multinews": 7, "allsides": 7, "ecbplus": 6}
# A second sample, drawn after all tuning, of clusters no developer had read: their facts were
# labelled once, of the code as it then was, and nothing was changed after; the fair figure for
# code that never saw them (`--todo --fresh` writes the labelling task).
FRESH_SEED = "facts-2026-12-fresh"
FRESH_PER_SET = {"multinews": 3, "allsides": 3, "ecbplus": 3}
# A third sample, drawn on 2026-12-03 outside the other two and labelled, facts and independent
# pairs alike, of the code at ec3f119 by readers who had seen neither the code nor the clusters:
# the fair figures for ec3f119 (`--todo OUT --fresh2` writes the labelling task).
FRESH2_SEED = "facts-2026-12-fresh2"
FRESH2_PER_SET = {"multinews": 3, "allsides": 3, "ecbplus": 3}
# A fourth sample, drawn on 2026-12-03 at the end of stop 23 outside the other three and labelled
# like the third, facts and independent pairs, by readers who had seen neither the code nor the
# clusters (`--todo OUT --fresh3` writes the task): the fair figures for the code of that stop,
# after the third sample had been read while tuning.
FRESH3_SEED = "facts-2026-12-fresh3"
FRESH3_PER_SET = {"multinews": 3, "allsides": 3, "ecbplus": 3}
# A fifth sample, drawn on 2026-12-04 at the start of stop 24 outside the other four and labelled
# like the third, by readers who had seen neither the code nor the clusters, of the code at c98f2dd
# (`--todo OUT --fresh4`): the fair figures for that code, after fresh3 had been read while tuning.
FRESH4_SEED = "facts-2026-12-fresh4"
FRESH4_PER_SET = {"multinews": 3, "allsides": 3, "ecbplus": 3}
CLOSEST_PER_CLUSTER = 14
RANDOM_PER_CLUSTER = 4
OTHER_SOURCES_PER_SENTENCE = 3
FACTS_PER_CLUSTER = 6
MIN_WORDS = 4
COLUMNS = ("cluster", "kind", "a", "b", "origin", "label", "note")
PAIR_LABELS = ("same", "different", "contradicting")
CONFLICT_LABELS = ("real", "false")


# --- the clusters -------------------------------------------------------------------------------


def cluster_folders(data: Path, set_name: str) -> list[Path]:
    folder = data / set_name
    if not folder.is_dir():
        raise SystemExit(f"{folder}: not found (the dev data is not in this repository)")
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def sample_clusters(data: Path) -> list[str]:
    """The labelled clusters, as `set/folder`: a fixed draw per set."""
    chosen = []
    for set_name in SETS:
        folders = [p.name for p in cluster_folders(data, set_name)]
        rng = random.Random(f"{SEED}:{set_name}")
        chosen += [f"{set_name}/{name}" for name in sorted(rng.sample(folders, CLUSTERS_PER_SET[set_name]))]
    return chosen


def fresh_clusters(data: Path) -> list[str]:
    """The fresh sample: FRESH_PER_SET clusters of each set outside the first sample."""
    return _draw_outside(data, FRESH_SEED, FRESH_PER_SET, set(sample_clusters(data)))


def fresh2_clusters(data: Path) -> list[str]:
    """The second fresh sample: FRESH2_PER_SET clusters of each set outside the other two."""
    return _draw_outside(data, FRESH2_SEED, FRESH2_PER_SET, {*sample_clusters(data), *fresh_clusters(data)})


def fresh3_clusters(data: Path) -> list[str]:
    """The third fresh sample: FRESH3_PER_SET clusters of each set outside the other three."""
    taken = {*sample_clusters(data), *fresh_clusters(data), *fresh2_clusters(data)}
    return _draw_outside(data, FRESH3_SEED, FRESH3_PER_SET, taken)


def fresh4_clusters(data: Path) -> list[str]:
    """The fourth fresh sample: FRESH4_PER_SET clusters of each set outside the other four."""
    taken = {*sample_clusters(data), *fresh_clusters(data), *fresh2_clusters(data), *fresh3_clusters(data)}
    return _draw_outside(data, FRESH4_SEED, FRESH4_PER_SET, taken)


# The fresh samples labelled pair by pair (`--todo OUT --freshN`), in the order they were drawn,
# with what their column header says of them.
PAIR_SAMPLES = {
    "fresh2": (fresh2_clusters, "labelled of ec3f119"),
    "fresh3": (fresh3_clusters, "labelled at the end of stop 23"),
    "fresh4": (fresh4_clusters, "labelled of c98f2dd, the start of stop 24"),
}


def _draw_outside(data: Path, seed: str, per_set: dict[str, int], taken: set[str]) -> list[str]:
    chosen = []
    for set_name in SETS:
        folders = [p.name for p in cluster_folders(data, set_name) if f"{set_name}/{p.name}" not in taken]
        rng = random.Random(f"{seed}:{set_name}")
        chosen += [f"{set_name}/{name}" for name in sorted(rng.sample(folders, per_set[set_name]))]
    return chosen


def article_paths(data: Path, cluster: str) -> list[Path]:
    folder = data / cluster
    return sorted(p for p in folder.glob("*.txt") if not p.name.startswith("ref_"))


# --- running the system -------------------------------------------------------------------------


@dataclass
class Run:
    """What the system said about one cluster, as plain data (the export's shape)."""

    cluster: str
    seconds: float
    error: str | None = None
    sentences: dict[str, str] = field(default_factory=dict)  # key -> text
    context: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (before, after)
    headlines: dict[str, str] = field(default_factory=dict)  # source id -> headline
    source_of: dict[str, str] = field(default_factory=dict)  # key -> independent source
    facts: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)

    def fact_of(self) -> dict[str, int]:
        return {key: k for k, fact in enumerate(self.facts) for key in fact_keys(fact)}


def fact_keys(fact: dict[str, Any]) -> list[str]:
    return [f"{c['source']}#{c['sentence']}" for c in fact["citations"]]


def run_cluster(data: Path, cluster: str) -> Run:
    """Build one cluster in this process and keep what the benchmark needs."""
    from generator.export import story_json
    from generator.pipeline import build
    from generator.records import StoryInfo

    paths = article_paths(data, cluster)
    start = time.perf_counter()
    try:
        story = build(StoryInfo(id=cluster.replace("/", "-")), paths)
    except Exception:  # a crash is a finding, not the end of the benchmark
        return Run(cluster, time.perf_counter() - start, traceback.format_exc(limit=3).splitlines()[-1])
    seconds = time.perf_counter() - start
    exported = story_json(story)
    run = Run(cluster, seconds)
    copies = {s["id"]: s["copy_of"] or s["id"] for s in exported["sources"]}
    for source in exported["sources"]:
        texts = [x["text"] for x in source["sentences"]]
        if source.get("title"):
            run.headlines[source["id"]] = source["title"]
        for k, sentence in enumerate(source["sentences"]):
            key = f"{source['id']}#{sentence['id']}"
            run.sentences[key] = sentence["text"]
            run.context[key] = (texts[k - 1] if k else "", texts[k + 1] if k + 1 < len(texts) else "")
            run.source_of[key] = copies[source["id"]]
    run.facts = exported["facts"]
    run.conflicts = exported["conflicts"]
    return run


def run_in(checkout: Path, data: Path, clusters: Sequence[str]) -> list[Run]:
    """Run the clusters with the `generator` package of another checkout, in a subprocess."""
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2]);"
        "from pathlib import Path; import bench_facts as b;"
        "runs = [b.run_cluster(Path(sys.argv[3]), c) for c in sys.argv[4:]];"
        "print(json.dumps([r.__dict__ for r in runs]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(checkout), str(ROOT / "benchmarks"), str(data), *clusters],
        capture_output=True,
        text=True,
        check=True,
        cwd=checkout,
    ).stdout
    return [Run(**r) for r in json.loads(out.splitlines()[-1])]


# --- drawing the independent sample -------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _stopwords() -> frozenset[str]:
    return frozenset((ROOT / "generator" / "data" / "stopwords.txt").read_text().split())


def plain_words(text: str, stop: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 1)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def draw_pairs(run: Run) -> list[tuple[str, str, str]]:
    """(a, b, origin) for one cluster, from the sentences alone: the system's groups are never read."""
    rng = random.Random(f"{SEED}:{run.cluster}:pairs")
    stop = _stopwords()
    keys = sorted(k for k, text in run.sentences.items() if len(text.split()) >= MIN_WORDS)
    by_source: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_source[run.source_of[key]].append(key)
    words = {k: plain_words(run.sentences[k], stop) for k in keys}
    pairs: dict[tuple[str, str], str] = {}
    order = keys[:]
    rng.shuffle(order)
    for key in order:
        if len(pairs) >= CLOSEST_PER_CLUSTER:
            break
        others = sorted(s for s in by_source if s != run.source_of[key])
        rng.shuffle(others)
        for other in others[:OTHER_SOURCES_PER_SENTENCE]:
            best = max(by_source[other], key=lambda k: (jaccard(words[key], words[k]), k))
            pair = tuple(sorted((key, best)))
            if jaccard(words[key], words[best]) > 0 and pair not in pairs:
                pairs[pair] = "closest"  # type: ignore[index]
            if len(pairs) >= CLOSEST_PER_CLUSTER:
                break
    tries = 0
    added = 0
    while added < RANDOM_PER_CLUSTER and tries < 1000 and len(by_source) > 1:
        tries += 1
        a, b = rng.sample(keys, 2)
        pair = tuple(sorted((a, b)))
        if run.source_of[a] != run.source_of[b] and pair not in pairs:
            pairs[pair] = "random"  # type: ignore[index]
            added += 1
    return [(a, b, origin) for (a, b), origin in pairs.items()]


# --- labels -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    cluster: str
    kind: str
    a: str
    b: str
    origin: str
    label: str
    note: str


def read_labels(path: Path) -> list[Label]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    labels = []
    for number, row in enumerate(rows, start=2):
        label = Label(**{c: (row.get(c) or "").strip() for c in COLUMNS})
        allowed = PAIR_LABELS if label.kind == "pair" else CONFLICT_LABELS
        if label.label and label.label not in allowed:
            raise SystemExit(f"{path}:{number}: label '{label.label}' is not one of {', '.join(allowed)}")
        labels.append(label)
    return labels


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def representative(run: Run, fact: dict[str, Any]) -> str:
    """The cited sentence the fact's wording was taken from (the closest to its text)."""
    keys = fact_keys(fact)
    return max(
        keys, key=lambda k: (difflib.SequenceMatcher(None, run.sentences.get(k, ""), fact["text"]).ratio(), k)
    )


def drawn_facts(run: Run) -> list[dict[str, Any]]:
    """FACTS_PER_CLUSTER facts with support >= 2, drawn by a hash of their id (stable per fact)."""
    multi = [f for f in run.facts if f["support"] >= 2]
    multi.sort(key=lambda f: hashlib.sha1(f"{SEED}:{f['id']}".encode()).hexdigest())
    return multi[:FACTS_PER_CLUSTER]


def fact_pairs(run: Run, fact: dict[str, Any]) -> list[tuple[str, str]]:
    rep = representative(run, fact)
    return [pair_key(rep, k) for k in dict.fromkeys(fact_keys(fact)) if k != rep]


def conflict_key(conflict: dict[str, Any]) -> tuple[str, str]:
    a, b = (
        f"{side['citations'][0]['source']}#{side['citations'][0]['sentence']}" for side in conflict["sides"]
    )
    return pair_key(a, b)


# --- scoring ------------------------------------------------------------------------------------


@dataclass
class Scores:
    name: str
    crashes: list[str] = field(default_factory=list)
    strict: list[bool] = field(default_factory=list)
    unlabelled_facts: int = 0
    linked_labels: Counter[str] = field(default_factory=Counter)
    recall: list[bool] = field(default_factory=list)
    conflicts: Counter[str] = field(default_factory=Counter)
    conflict_recall: list[bool] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    supported: int = 0  # facts with support >= 2
    missing: int = 0  # labelled sentences the system no longer has


def held_out(cluster: str) -> bool:
    """Half of the labelled clusters, fixed by a hash of the name, that were never looked at while
    tuning: their figures after tuning are the fair ones."""
    return hashlib.sha1(f"{SEED}:held-out:{cluster}".encode()).digest()[0] % 2 == 0


def all_clusters(data: Path) -> list[str]:
    """Every dev cluster: conflicts, crashes and time are measured on all of them."""
    return [f"{set_name}/{p.name}" for set_name in SETS for p in cluster_folders(data, set_name)]


def score(runs: Sequence[Run], labels: Sequence[Label], name: str, sample: set[str]) -> Scores:
    pair_labels = {
        (lab.cluster, pair_key(lab.a, lab.b)): lab for lab in labels if lab.kind == "pair" and lab.label
    }
    conflict_labels = {
        (lab.cluster, pair_key(lab.a, lab.b)): lab.label
        for lab in labels
        if lab.kind == "conflict" and lab.label
    }
    real = {key for key, value in conflict_labels.items() if value == "real"}
    real |= {key for key, lab in pair_labels.items() if lab.label == "contradicting"}
    scores = Scores(name)
    for run in runs:
        if run.error:
            scores.crashes.append(f"{run.cluster}: {run.error}")
            continue
        scores.seconds.append(run.seconds)
        owner = run.fact_of()
        scores.supported += sum(f["support"] >= 2 for f in run.facts)
        for fact in drawn_facts(run) if run.cluster in sample else ():
            found = [pair_labels.get((run.cluster, p)) for p in fact_pairs(run, fact)]
            if any(f is None for f in found):
                scores.unlabelled_facts += 1
                continue
            scores.strict.append(all(f is not None and f.label == "same" for f in found))
        for (cluster, (a, b)), lab in pair_labels.items():
            if cluster != run.cluster or cluster not in sample:  # each sample in its own columns
                continue
            if a not in run.sentences or b not in run.sentences:
                scores.missing += 1
                continue
            linked = owner.get(a) is not None and owner.get(a) == owner.get(b)
            if linked:
                scores.linked_labels[lab.label] += 1
            if lab.origin in ("closest", "random") and lab.label == "same":
                scores.recall.append(linked)
        reported = set()
        for conflict in run.conflicts:
            key = conflict_key(conflict)
            reported.add(frozenset(conflict["facts"]))
            scores.conflicts[conflict_labels.get((run.cluster, key), "unlabelled")] += 1
        ids = {k: run.facts[v]["id"] for k, v in owner.items()}
        for cluster, (a, b) in sorted(real):
            if cluster == run.cluster and a in ids and b in ids:
                scores.conflict_recall.append(frozenset((ids[a], ids[b])) in reported)
    return scores


def _share(hits: int, total: int) -> str:
    return f"{hits / total:6.1%} ({hits}/{total})" if total else "   n/a (0/0)"


def report(all_scores: Sequence[Scores], baseline_seconds: float | None = None) -> None:
    rows: list[tuple[str, list[str]]] = []
    for s in all_scores:
        linked = sum(s.linked_labels.values())
        labelled_conflicts = s.conflicts["real"] + s.conflicts["false"]
        rows.append(
            (
                s.name,
                [
                    _share(sum(s.strict), len(s.strict)),
                    f"{s.unlabelled_facts}",
                    _share(s.linked_labels["same"], linked),
                    _share(sum(s.recall), len(s.recall)),
                    _share(s.conflicts["real"], labelled_conflicts),
                    f"{s.conflicts['unlabelled']}",
                    _share(sum(s.conflict_recall), len(s.conflict_recall)),
                    f"{len(s.crashes)}",
                    f"{statistics.median(s.seconds):.3f}" if s.seconds else "n/a",
                    f"{sum(s.seconds):.2f}",
                    f"{s.supported}",
                    f"{s.missing}",
                ],
            )
        )
    names = [
        "grouping precision, strict (facts support>=2)",
        "  drawn facts not fully labelled",
        "pair precision (labelled pairs cited in one fact)",
        "pair recall (independent pairs labelled same)",
        "conflict precision (labelled conflicts real)",
        "  reported conflicts not labelled",
        "conflict recall (known real disagreements)",
        "crashes",
        "export s/cluster, median",
        "export s, total",
        "facts with support >= 2",
        "labelled sentences no longer present",
    ]
    width = max(len(n) for n in names) + 2
    print("".ljust(width) + "".join(name.rjust(22) for name, _ in rows))
    for k, label in enumerate(names):
        print(label.ljust(width) + "".join(values[k].rjust(22) for _, values in rows))
    if len(all_scores) >= 2 and all_scores[0].seconds and all_scores[1].seconds:
        ratio = sum(all_scores[0].seconds) / sum(all_scores[1].seconds)
        print(f"export time, {all_scores[0].name} / {all_scores[1].name}: {ratio:.2f}x")
    for s in all_scores:
        for crash in s.crashes:
            print(f"crash ({s.name}): {crash}")


# --- writing labelling tasks --------------------------------------------------------------------


def _quote(text: str) -> str:
    return " ".join(text.split())


def _task_sentence(run: Run, key: str) -> list[str]:
    source = key.split("#")[0]
    before, after = run.context.get(key, ("", ""))
    return [
        f"  - source `{source}` (headline: {_quote(run.headlines.get(source, '(none)'))})",
        f"    - before: {_quote(before) or '(start of article)'}",
        f"    - **sentence `{key}`: {_quote(run.sentences[key])}**",
        f"    - after: {_quote(after) or '(end of article)'}",
    ]


def write_tasks(out: Path, name: str, items: Iterable[tuple[Run, str, str, str, str]]) -> int:
    """Markdown for a labeller (texts included: written outside the repository) and a CSV of the
    same rows with an empty label column."""
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"# Labelling task: {name}", ""]
    rows = []
    for n, (run, kind, a, b, origin) in enumerate(items, start=1):
        lines.append(f"## {n}. {run.cluster} ({kind}, {origin})")
        if kind == "conflict":
            conflict = next(c for c in run.conflicts if conflict_key(c) == (a, b))
            lines.append(f"  - the system says: {_quote(conflict['summary'])}")
        lines += _task_sentence(run, a) + _task_sentence(run, b) + [""]
        rows.append(
            {"cluster": run.cluster, "kind": kind, "a": a, "b": b, "origin": origin, "label": "", "note": ""}
        )
    (out / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def draw(data: Path, out: Path, parts: int) -> None:
    runs = [run_cluster(data, c) for c in sample_clusters(data)]
    items = [(run, "pair", a, b, origin) for run in runs for a, b, origin in draw_pairs(run)]
    clusters = [run.cluster for run in runs]
    for k in range(parts):
        mine = {c for n, c in enumerate(clusters) if n % parts == k}
        count = write_tasks(out, f"pairs_{k + 1}", [i for i in items if i[0].cluster in mine])
        print(f"{out}/pairs_{k + 1}.md: {count} pairs over {len(mine)} clusters")


def todo_sample(data: Path, labels: Sequence[Label], out: Path, parts: int, name: str) -> None:
    """A fresh sample's labelling tasks (`name` a key of PAIR_SAMPLES), split by cluster into
    `parts`: each cluster's independent pairs (`draw_pairs`) and the pairs of its drawn facts, each
    once, none already labelled."""
    runs = [run_cluster(data, c) for c in PAIR_SAMPLES[name][0](data)]
    seen = {(lab.cluster, pair_key(lab.a, lab.b)) for lab in labels if lab.kind == "pair"}
    items: list[tuple[Run, str, str, str, str]] = []
    for run in runs:
        drawn = [(a, b, origin) for a, b, origin in draw_pairs(run)]
        drawn += [(a, b, "fact") for fact in drawn_facts(run) for a, b in fact_pairs(run, fact)]
        for a, b, origin in drawn:
            if (run.cluster, pair_key(a, b)) not in seen:
                seen.add((run.cluster, pair_key(a, b)))
                items.append((run, "pair", *pair_key(a, b), origin))
    clusters = [run.cluster for run in runs]
    for k in range(parts):
        mine = {c for n, c in enumerate(clusters) if n % parts == k}
        count = write_tasks(out, f"{name}_{k + 1}", [i for i in items if i[0].cluster in mine])
        print(f"{out}/{name}_{k + 1}.md: {count} pairs over {len(mine)} clusters")


def todo(data: Path, labels: Sequence[Label], out: Path, name: str, fresh: bool = False) -> None:
    sample = set(fresh_clusters(data) if fresh else sample_clusters(data))
    runs = [run_cluster(data, c) for c in (sorted(sample) if fresh else all_clusters(data))]
    have = {(lab.cluster, lab.kind, pair_key(lab.a, lab.b)) for lab in labels}  # labelled or drawn
    items: list[tuple[Run, str, str, str, str]] = []
    seen = set(have)
    for run in runs:
        for fact in drawn_facts(run) if run.cluster in sample else ():
            for a, b in fact_pairs(run, fact):
                if (run.cluster, "pair", (a, b)) not in seen:
                    seen.add((run.cluster, "pair", (a, b)))
                    items.append((run, "pair", a, b, "fact"))
        for conflict in run.conflicts:
            a, b = conflict_key(conflict)
            if (run.cluster, "conflict", (a, b)) not in seen:
                seen.add((run.cluster, "conflict", (a, b)))
                items.append((run, "conflict", a, b, "system"))
    count = write_tasks(out, name, items)
    print(f"{out}/{name}.md: {count} rows to label")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with")
    parser.add_argument("--draw", type=Path, metavar="OUT", help="write the independent pair sample")
    parser.add_argument(
        "--parts", type=int, default=4, help="split --draw or a --freshN sample into this many tasks"
    )
    parser.add_argument("--todo", type=Path, metavar="OUT", help="write the unlabelled system claims")
    parser.add_argument("--todo-name", default="todo")
    parser.add_argument("--fresh", action="store_true", help="with --todo: the fresh sample's facts")
    for name in PAIR_SAMPLES:
        parser.add_argument(
            f"--{name}", action="store_true", help=f"with --todo: the {name} sample's pairs, in --parts tasks"
        )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="time every export this many times, alternating versions; keep the fastest",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.draw:
        draw(args.data, args.draw, args.parts)
        return 0
    labels = read_labels(args.labels)
    chosen = [name for name in PAIR_SAMPLES if getattr(args, name)]
    if (args.fresh or chosen) and not args.todo:
        parser.error("--fresh and --freshN choose what --todo writes; give --todo OUT")
    if len(chosen) + args.fresh > 1:
        parser.error("give one of --fresh and --freshN")
    if args.todo and chosen:
        todo_sample(args.data, labels, args.todo, args.parts, chosen[0])
        return 0
    if args.todo:
        todo(args.data, labels, args.todo, args.todo_name, args.fresh)
        return 0
    sample = sample_clusters(args.data)
    clusters = all_clusters(args.data)
    print(f"pairs and facts on {len(sample)} clusters: {', '.join(sample)}")
    print(f"conflicts, crashes and time on all {len(clusters)} dev clusters")
    print(
        f"{len(labels)} rows in {args.labels.name}: {dict(Counter((lab.kind, lab.label) for lab in labels))}"
    )
    held = {c for c in sample if held_out(c)}
    print(f"held out while tuning ({len(held)}): {', '.join(sorted(held))}")
    fresh = set(fresh_clusters(args.data))
    print(f"fresh, labelled after tuning ({len(fresh)}; facts only): {', '.join(sorted(fresh))}")
    pair_samples = {name: set(clusters_of(args.data)) for name, (clusters_of, _) in PAIR_SAMPLES.items()}
    for name, members in pair_samples.items():
        print(f"{name}, {PAIR_SAMPLES[name][1]} ({len(members)}): {', '.join(sorted(members))}")

    def current() -> list[Run]:
        # Beside a baseline, the current code runs in a subprocess too, so both are timed alike.
        if args.baseline:
            return run_in(ROOT, args.data, clusters)
        return [run_cluster(args.data, c) for c in clusters]

    runs = {"current": current()}
    if args.baseline:
        runs["baseline"] = run_in(args.baseline, args.data, clusters)
    for _ in range(args.repeat - 1):  # time again, alternating, and keep each cluster's fastest
        again = {"current": current()}
        if args.baseline:
            again["baseline"] = run_in(args.baseline, args.data, clusters)
        for name, rerun in again.items():
            for run, other in zip(runs[name], rerun, strict=True):
                run.seconds = min(run.seconds, other.seconds)
    # Tuning columns: every cluster but the held-out ones (pairs and facts on the 12 others of the
    # sample, conflicts on the 175 others of the dev sets); then the held-out 8 on their own.
    tuning_runs = {name: [x for x in r if x.cluster not in held] for name, r in runs.items()}
    results = [score(r, labels, f"{name}, tuning", set(sample) - held) for name, r in tuning_runs.items()]
    held_runs = {name: [x for x in r if x.cluster in held] for name, r in runs.items()}
    results += [score(r, labels, f"{name}, held out", held) for name, r in held_runs.items()]
    # The fresh clusters: grouping precision of the facts drawn there (their conflicts, crashes
    # and time are also in the tuning columns, being dev clusters outside the held-out eight).
    fresh_runs = {name: [x for x in r if x.cluster in fresh] for name, r in runs.items()}
    results += [score(r, labels, f"{name}, fresh", fresh) for name, r in fresh_runs.items()]
    for sample_name, members in pair_samples.items():
        results += [
            score([x for x in r if x.cluster in members], labels, f"{name}, {sample_name}", members)
            for name, r in runs.items()
        ]
    report(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
