"""ROUGE of the consensus account beside LexRank, TextRank and Lead, and the checks a cited consensus
must pass (support, redundancy, boilerplate, citations).

    python benchmarks/bench_summaries.py CLUSTERS [--max-words N] [--limit K] [--systems S,S]
                                         [--json OUT] [--check-cli] [--quick]

CLUSTERS holds `cluster_*/` folders, each with `doc_*.txt` (one article per file) and `ref_*.txt`
(one or more human summaries): ../shared/eval-dev/multinews is run with --max-words 250 and
../shared/eval-dev/allsides with --max-words 70 (`make bench-summaries` runs both). Needs the
`bench` extra: `pip install -e '.[bench]'` (rouge-score, sumy; no NLTK data is downloaded or read).

Every system reads the same raw doc files, in file order, and its output is cut to the same N words
(the first N whitespace-separated words; a sentence that crosses the limit is cut inside):
- corroborate: the `consensus` of the JSON `corroborate export doc_*.txt --max-words N` writes,
  built in-process by the functions the command calls (pipeline.build, export.story_json, and a
  round trip through export.dumps). `--check-cli` also runs the command itself on every cluster
  and stops at the first cluster whose consensus differs.
- lexrank, textrank: sumy's summarizers (English stop words, Snowball stemmer) over all the
  documents as one text; sentences are taken best rated first until N words, then read in the
  order of the text.
- lead: the standard Lead of the concatenated documents: doc_1's sentences first, then doc_2's,
  and so on, until N words (so mostly the first document).
- lead-rr (only when asked for with --systems): round robin, the first sentence of every document,
  then every second sentence, until N words.
The baselines split sentences with generator.segment (no NLTK punkt data) after sumy's plain-text
parser has joined each blank-line-separated paragraph; words are letter runs.

Scores: ROUGE-1, ROUGE-2 and ROUGE-L F1 from rouge-score (`RougeScorer(..., use_stemmer=True)`;
ROUGE-L over the whole summary, not per sentence), against each reference, keeping the best score
per measure when a cluster has several (`score_multi`). A system "wins" a cluster against another
when its mean of ROUGE-1 and ROUGE-2 F1 there is strictly higher; ties are counted apart.
Time is wall time per cluster of producing the summary (reading and parsing included, scoring not),
after one untimed run of every system on the first cluster (imports and data files load once).

Checks on each system's cut output (the last three columns of the second table):
- redundancy: the share of sentence pairs of one summary whose ROUGE-1 F1 (stemmed unigrams, the
  same scorer) is above 0.5, that is pairs that say largely the same thing;
- boilerplate: sentences that a line rule of generator/data/boilerplate.yaml flags (the rules the
  cleaner applies), or that hold page furniture in any position (`FURNITURE` below).
And on the consensus only, from the exported JSON: the share of sentences whose `support` (the
number of independent sources, copies counted once) is at least 2, and citation validity: the
sentence cites at least one sentence and every citation names a sentence id of that source.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, pairwise, zip_longest
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from generator.analyse import analyse_sources
from generator.clean import classify_line
from generator.export import dumps, story_json
from generator.pipeline import build
from generator.records import Story, StoryInfo
from generator.segment import split_spans

OURS = "corroborate"
BASELINES = ("lexrank", "textrank", "lead", "lead-rr")
DEFAULT_SYSTEMS = (OURS, "lexrank", "textrank", "lead")
MEASURES = ("rouge1", "rouge2", "rougeL")
REDUNDANT_ROUGE1 = 0.5

# Page furniture anywhere in a sentence: the generator's own rules only judge short whole lines.
# "comments" alone is common in reporting ("his comments drew criticism"), so only comment prompts count.
FURNITURE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        ("click prompt", r"\bclick(?:ing)?\b"),
        ("subscription prompt", r"\b(?:subscribe|subscription|sign up|newsletter)\b"),
        (
            "photo credit",
            r"\bphoto:|\b(?:ap|afp|reuters|getty|epa) photo\b|\bphotos? by\b|\bimage (?:copyright|caption)\b"
            r"|\bstaff photographer\b|\(getty images\)",
        ),
        ("related-link prompt", r"\bread more\b|\bcontinue reading\b|\bsee also\b|\brelated:"),
        ("sharing prompt", r"\bshare this\b|\bfollow (?:us|him|her|me|them) on\b"),
        (
            "comment prompt",
            r"\b(?:leave|post|add|view|show|load|read|\d+) (?:a |your )?comments?\b"
            r"|\bcomments? (?:below|section|are closed|policy)\b",
        ),
        ("advertisement", r"^advertisement\b|\badvertisement$"),
    )
)


# --- pure helpers -------------------------------------------------------------------------------


def cut_words(sentences: Sequence[str], max_words: int) -> list[str]:
    """The sentences up to the first `max_words` whitespace-separated words, in order; the sentence
    that crosses the limit is cut inside, and later ones are dropped."""
    kept: list[str] = []
    left = max_words
    for sentence in sentences:
        words = sentence.split()
        if left <= 0:
            break
        if words:
            kept.append(" ".join(words[:left]))
            left -= len(words)
    return kept


def word_count(sentences: Sequence[str]) -> int:
    return sum(len(s.split()) for s in sentences)


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


class PlainTokenizer:
    """sumy's tokenizer interface without NLTK data: sentences by generator.segment's splitter (the
    one our pipeline uses), words as runs of letters (sumy's own word filter keeps only those)."""

    language = "english"

    @staticmethod
    def to_sentences(paragraph: str) -> tuple[str, ...]:
        pieces = (paragraph[start:end].strip() for start, end in split_spans(paragraph))
        return tuple(piece for piece in pieces if piece)

    @staticmethod
    def to_words(sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


@lru_cache(maxsize=1)
def scorer() -> rouge_scorer.RougeScorer:
    return rouge_scorer.RougeScorer(list(MEASURES), use_stemmer=True)


def redundant_pairs(sentences: Sequence[str], threshold: float = REDUNDANT_ROUGE1) -> tuple[int, int]:
    """(pairs whose ROUGE-1 F1 is above `threshold`, all pairs) among one summary's sentences."""
    pairs = list(combinations(sentences, 2))
    redundant = sum(scorer().score(a, b)["rouge1"].fmeasure > threshold for a, b in pairs)
    return redundant, len(pairs)


def boilerplate_reason(sentence: str) -> str | None:
    """Why `sentence` is page furniture rather than reporting, or None when it is reporting."""
    text = sentence.strip()
    reason = classify_line(text)
    if reason:
        return reason
    for furniture, pattern in FURNITURE:
        if pattern.search(text):
            return furniture
    return None


def citation_valid(consensus_sentence: dict[str, Any], sentence_ids: set[tuple[str, str]]) -> bool:
    """True when a consensus sentence of the JSON export cites at least one sentence and every
    citation names a (source id, sentence id) pair that the export's `sources` hold."""
    citations = consensus_sentence["citations"]
    return bool(citations) and all((c["source"], c["sentence"]) in sentence_ids for c in citations)


def rouge(summary: Sequence[str], references: Sequence[str]) -> dict[str, float]:
    """ROUGE F1 of `summary` (its sentences joined) against the best-matching reference, per measure."""
    scores = scorer().score_multi(list(references), " ".join(summary))
    return {measure: scores[measure].fmeasure for measure in MEASURES}


# --- systems ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cluster:
    id: str
    docs: tuple[Path, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """One system's summary of one cluster, before cutting, and what only the consensus has."""

    sentences: tuple[str, ...]
    seconds: float
    export: dict[str, Any] | None = None  # the JSON of `corroborate export`, for the consensus
    problems: tuple[str, ...] = ()
    dates: tuple[str | None, ...] = ()  # consensus only: the day each sentence's event is dated


def _number(path: Path) -> tuple[int, str]:
    digits = re.findall(r"\d+", path.stem)
    return (int(digits[-1]) if digits else 0, path.name)


def read_clusters(folder: Path) -> list[Cluster]:
    """Every `cluster_*` folder with at least one doc and one reference, docs in numeric order."""
    clusters = []
    for directory in sorted(p for p in folder.iterdir() if p.is_dir() and p.name.startswith("cluster_")):
        docs = tuple(sorted(directory.glob("doc_*.txt"), key=_number))
        refs = sorted(directory.glob("ref_*.txt"), key=_number)
        if not docs or not refs:
            print(f"{directory}: skipped, {len(docs)} docs and {len(refs)} references", file=sys.stderr)
            continue
        references = tuple(p.read_text(encoding="utf-8", errors="replace") for p in refs)
        clusters.append(Cluster(directory.name, docs, references))
    return clusters


def _doc_texts(cluster: Cluster) -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace").strip() for p in cluster.docs]


def corroborate(cluster: Cluster, max_words: int) -> Summary:
    """The consensus as `corroborate export doc_*.txt --max-words N` writes it (cli._export's calls)."""
    start = time.perf_counter()
    story = build(StoryInfo(id="story"), cluster.docs, max_words)
    export = json.loads(dumps(story_json(story)))
    seconds = time.perf_counter() - start
    sentences = tuple(c["text"] for c in export["consensus"])
    problems = tuple(p.describe() for p in story.problems)
    return Summary(sentences, seconds, export, problems, consensus_dates(story))


def consensus_dates(story: Story) -> tuple[str | None, ...]:
    """The day each consensus sentence dates its event to, from the first cited sentence with a
    date the analyser resolved to a day (relative dates such as "on Monday" resolve against the
    article's publication date where it is known), else None."""
    days: dict[tuple[str, str], str] = {}
    for source in analyse_sources(story.sources):
        for sentence in source.sentences:
            resolved = [d.iso for d in sentence.dates if d.iso and len(d.iso) == 10]
            if resolved:
                days[(sentence.sentence.source_id, sentence.sentence.id)] = resolved[0]
    return tuple(
        next((days[(c.source, c.sentence)] for c in s.citations if (c.source, c.sentence) in days), None)
        for s in story.consensus
    )


def chronology(dates: Sequence[str | None]) -> tuple[int, int]:
    """(consecutive pairs of dated sentences in date order, such pairs): undated sentences are
    skipped, so "Monday ... [background] ... Tuesday" counts as one pair in order."""
    dated = [d for d in dates if d is not None]
    pairs = list(pairwise(dated))
    return sum(a <= b for a, b in pairs), len(pairs)


def _ranked(summarizer: LexRankSummarizer | TextRankSummarizer) -> Callable[[Cluster, int], Summary]:
    def run(cluster: Cluster, max_words: int) -> Summary:
        start = time.perf_counter()
        document = PlaintextParser.from_string("\n\n".join(_doc_texts(cluster)), PlainTokenizer()).document

        def until_budget(ranked: list[Any]) -> list[Any]:
            """sumy's sentence count as a callable: best rated first until `max_words` words."""
            chosen, words = [], 0
            for info in ranked:
                if words >= max_words:
                    break
                chosen.append(info)
                words += len(str(info.sentence).split())
            return chosen

        picked = summarizer(document, until_budget)
        return Summary(tuple(str(s) for s in picked), time.perf_counter() - start)

    return run


def _sumy_summarizer(kind: type[LexRankSummarizer] | type[TextRankSummarizer]) -> Any:
    summarizer = kind(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def lead(cluster: Cluster, max_words: int) -> Summary:
    """The documents' sentences in file order (doc_1 first), cut later to `max_words`."""
    start = time.perf_counter()
    document = PlaintextParser.from_string("\n\n".join(_doc_texts(cluster)), PlainTokenizer()).document
    sentences = tuple(str(s) for s in document.sentences)
    return Summary(sentences, time.perf_counter() - start)


def lead_round_robin(cluster: Cluster, max_words: int) -> Summary:
    """Every document's first sentence, then every second sentence, and so on."""
    start = time.perf_counter()
    per_doc = [
        [str(s) for s in PlaintextParser.from_string(text, PlainTokenizer()).document.sentences]
        for text in _doc_texts(cluster)
    ]
    sentences = tuple(s for row in zip_longest(*per_doc) for s in row if s is not None)
    return Summary(sentences, time.perf_counter() - start)


def systems() -> dict[str, Callable[[Cluster, int], Summary]]:
    return {
        OURS: corroborate,
        "lexrank": _ranked(_sumy_summarizer(LexRankSummarizer)),
        "textrank": _ranked(_sumy_summarizer(TextRankSummarizer)),
        "lead": lead,
        "lead-rr": lead_round_robin,
    }


def check_cli(cluster: Cluster, max_words: int, expected: dict[str, Any]) -> None:
    """Run `corroborate export` itself and stop unless its consensus equals `expected`'s."""
    command_name = Path(sys.executable).with_name("corroborate")
    command = [str(command_name)] if command_name.exists() else [sys.executable, "-m", "generator"]
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "story.json"
        command += ["export", *map(str, cluster.docs), "--max-words", str(max_words), "-o", str(output)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{cluster.id}: `{' '.join(command)}` failed:\n{result.stderr}")
        written = json.loads(output.read_text(encoding="utf-8"))
    if written["consensus"] != expected["consensus"]:
        raise SystemExit(f"{cluster.id}: the CLI's consensus differs from the in-process one")


# --- measuring ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    """One system on one cluster: scores of its cut output and the checks on it."""

    scores: dict[str, float]
    seconds: float
    words: int
    sentences: list[str]
    redundant: int
    pairs: int
    boilerplate: list[tuple[str, str]]  # (reason, sentence)
    supported: int = 0  # consensus only: sentences with support >= 2
    cited: int = 0  # consensus only: sentences whose citations are valid
    problems: list[str] = field(default_factory=list)
    dated: int = 0  # consensus only: sentences dated to a day
    in_order: int = 0  # consensus only: consecutive dated pairs in date order
    dated_pairs: int = 0


def measure(summary: Summary, cluster: Cluster, max_words: int) -> Result:
    sentences = cut_words(summary.sentences, max_words)
    redundant, pairs = redundant_pairs(sentences)
    flagged = [(reason, s) for s in sentences if (reason := boilerplate_reason(s))]
    result = Result(
        rouge(sentences, cluster.references),
        summary.seconds,
        word_count(sentences),
        sentences,
        redundant,
        pairs,
        flagged,
        problems=list(summary.problems),
    )
    if summary.export is not None:
        # the consensus is cut at a sentence boundary already; a cut sentence would still be judged
        kept = summary.export["consensus"][: len(sentences)]
        ids = {(s["id"], x["id"]) for s in summary.export["sources"] for x in s["sentences"]}
        result.supported = sum(c["support"] >= 2 for c in kept)
        result.cited = sum(citation_valid(c, ids) for c in kept)
        dates = summary.dates[: len(sentences)]
        result.dated = sum(d is not None for d in dates)
        result.in_order, result.dated_pairs = chronology(dates)
    return result


def _mean_r12(result: Result) -> float:
    return (result.scores["rouge1"] + result.scores["rouge2"]) / 2


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.2f}%)" if whole else f"{part}/0"


def print_tables(results: dict[str, list[Result]], max_words: int, title: str) -> None:
    names = list(results)
    baselines = [n for n in names if n != OURS]
    n = len(next(iter(results.values())))
    print(title)
    header = f"{'system':<12} {'R1':>6} {'R2':>6} {'RL':>6}"
    for other in baselines:
        header += f" {'win vs ' + other:>21}"
    header += f" {'s/cluster mean':>14} {'median':>7}"
    print(header)
    for name in names:
        rows = results[name]
        line = f"{name:<12}"
        for measure_name in MEASURES:
            line += f" {100 * statistics.fmean(r.scores[measure_name] for r in rows):>6.2f}"
        for other in baselines:
            if other == name:
                line += f" {'-':>21}"
                continue
            pairs = list(zip(rows, results[other], strict=True))
            wins = sum(_mean_r12(a) > _mean_r12(b) for a, b in pairs)
            ties = sum(_mean_r12(a) == _mean_r12(b) for a, b in pairs)
            cell = f"{100 * wins / n:.1f}% ({wins}-{ties}-{n - wins - ties})"
            line += f" {cell:>21}"
        seconds = [r.seconds for r in rows]
        line += f" {statistics.fmean(seconds):>14.3f} {statistics.median(seconds):>7.3f}"
        print(line)
    print(
        "ROUGE F1 x 100, mean over clusters; win = higher mean of R1 and R2 F1 in a cluster, "
        "shown as wins-ties-losses"
    )
    print()
    print(
        f"{'system':<12} {'words mean':>10} {'< N/2':>6} {'empty':>6} {'sentences':>9} "
        f"{'redundant pairs (R1 F > 0.5)':>29} {'boilerplate sentences':>22}"
    )
    for name in names:
        rows = results[name]
        sentences = sum(len(r.sentences) for r in rows)
        line = (
            f"{name:<12} {statistics.fmean(r.words for r in rows):>10.1f}"
            f" {sum(r.words < max_words / 2 for r in rows):>6} {sum(r.words == 0 for r in rows):>6}"
            f" {sentences:>9}"
            f" {_share(sum(r.redundant for r in rows), sum(r.pairs for r in rows)):>29}"
            f" {_share(sum(len(r.boilerplate) for r in rows), sentences):>22}"
        )
        print(line)
    if OURS in results:
        rows = results[OURS]
        sentences = sum(len(r.sentences) for r in rows)
        supported = sum(r.supported for r in rows)
        cited = sum(r.cited for r in rows)
        all_cited = sum(r.cited == len(r.sentences) for r in rows)
        problems = sum(len(r.problems) for r in rows)
        print(
            f"consensus: {_share(supported, sentences)} sentences backed by >= 2 independent sources; "
            f"citations valid in {_share(cited, sentences)} sentences, all valid in "
            f"{all_cited}/{n} clusters; {problems} reading problems"
        )
        dated = sum(r.dated for r in rows)
        in_order = sum(r.in_order for r in rows)
        dated_pairs = sum(r.dated_pairs for r in rows)
        print(
            f"chronology: {_share(dated, sentences)} sentences dated to a day; consecutive dated "
            f"sentences in date order: {_share(in_order, dated_pairs)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clusters", type=Path, help="a folder of cluster_*/doc_*.txt and ref_*.txt")
    parser.add_argument("--max-words", type=int, default=250, help="summary length N in words (default 250)")
    parser.add_argument("--limit", type=int, help="only the first K clusters")
    parser.add_argument(
        "--systems",
        default=",".join(DEFAULT_SYSTEMS),
        help=f"comma-separated, from {OURS},{','.join(BASELINES)} (default: %(default)s)",
    )
    parser.add_argument(
        "--json", type=Path, help="write per-cluster scores and summaries here (they quote the articles)"
    )
    parser.add_argument("--check-cli", action="store_true", help="also compare with `corroborate export`")
    parser.add_argument("--quick", action="store_true", help="a sanity run: --limit 3 --check-cli")
    args = parser.parse_args()
    if not args.clusters.is_dir():
        parser.error(f"{args.clusters}: no such folder (the dev data is not in this repository)")
    if args.max_words <= 0:
        parser.error("--max-words must be positive")
    chosen = [s.strip() for s in args.systems.split(",") if s.strip()]
    available = systems()
    unknown = [s for s in chosen if s not in available]
    if unknown or not chosen:
        parser.error(
            f"--systems: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(available)}"
        )
    if args.quick:
        args.limit = min(args.limit or 3, 3)
        args.check_cli = True

    clusters = read_clusters(args.clusters)[: args.limit]
    if not clusters:
        parser.error(f"{args.clusters}: no cluster_*/ folder with doc_*.txt and ref_*.txt")
    results: dict[str, list[Result]] = {name: [] for name in chosen}
    per_cluster: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name in chosen:  # untimed: imports, data files and caches load once per process
        available[name](clusters[0], args.max_words)
    for cluster in clusters:
        record: dict[str, Any] = {"cluster": cluster.id, "docs": len(cluster.docs), "systems": {}}
        for name in chosen:
            summary = available[name](cluster, args.max_words)
            if name == OURS and args.check_cli and summary.export is not None:
                check_cli(cluster, args.max_words, summary.export)
            result = measure(summary, cluster, args.max_words)
            results[name].append(result)
            record["systems"][name] = {
                "scores": result.scores,
                "seconds": result.seconds,
                "words": result.words,
                "redundant_pairs": [result.redundant, result.pairs],
                "boilerplate": [{"reason": r, "sentence": s} for r, s in result.boilerplate],
                "sentences": result.sentences,
                **({"supported": result.supported, "cited": result.cited} if name == OURS else {}),
                **({"problems": result.problems} if result.problems else {}),
            }
        per_cluster.append(record)
    elapsed = time.perf_counter() - started

    docs = [len(c.docs) for c in clusters]
    refs = [len(c.references) for c in clusters]
    print_tables(
        results,
        args.max_words,
        f"{len(clusters)} clusters of {args.clusters} ({min(docs)}-{max(docs)} documents, "
        f"{min(refs)}-{max(refs)} references each), every summary cut to {args.max_words} words",
    )
    checked = " (consensus identical to `corroborate export` in every cluster)" if args.check_cli else ""
    print(f"total {elapsed:.1f} s{checked}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"max_words": args.max_words, "clusters": per_cluster}, indent=2) + "\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
