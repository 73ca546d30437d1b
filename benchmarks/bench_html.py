"""Article-body extraction from web pages: our ingestion beside trafilatura and a whole-page floor.

    python benchmarks/bench_html.py [--pages DIR]

DIR (default ../shared/eval-dev/html, outside this repository) holds page_NNN/source.html and
page_NNN/gold.txt, the gold article body (pages from the Zyte article-extraction benchmark). For
every page each method's text is scored against gold.txt:

- corroborate ingest: the lines `read_article` yields for the page (what reaches the pipeline),
  and the same after the clean stage (the paragraphs a source page shows);
- trafilatura.extract(html): trafilatura used directly, default settings, on the file's bytes;
- whole page text, two floors any extractor must beat: the page's visible text (scripts, styles
  and comments dropped; like the benchmark's html-text baseline, published F1 0.665), and every
  text node under <body>, scripts included (its xpath-text baseline, published F1 0.394).

Tokenisation, as in the benchmark's evaluate.py: `re.findall(r"\\w+", text)`, Unicode word
characters, case kept, punctuation dropped. Two scores per method:

- words: bag of words, the multiset intersection of predicted and gold tokens (tp), the rest of
  the prediction (fp) and of the gold (fn);
- 4-shingles: the same over runs of four consecutive tokens, which is what the benchmark itself
  scores. Its published F1 figures (trafilatura 2.0: 0.958) are on shingles and on its full set
  of 181 pages; these 90 pages are a subset, so compare the rows here with each other first.

Averaging, as in the benchmark: per page tp, fp and fn are normalised to sum to 1; precision is
the mean over pages with a prediction, recall the mean over all pages, and F1 the harmonic mean
of those two means. Time is the mean wall time per page in this process, file reading included,
after one untimed warm-up page per method (imports and first-call caches excluded). "empty"
counts pages a method gave no text for. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import trafilatura

from generator.clean import clean_article
from generator.ingest import read_article
from generator.records import Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "eval-dev" / "html"
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def shingles(words: list[str], n: int = 4) -> list[tuple[str, ...]]:
    """Runs of n consecutive tokens; a text shorter than n is one shorter shingle (as evaluate.py)."""
    return [tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n]]


def matching(gold: list, predicted: list) -> tuple[float, float, float]:
    """(tp, fp, fn) of two multisets, normalised to sum to 1 so every page weighs the same."""
    gold_counts, predicted_counts = Counter(gold), Counter(predicted)
    tp = sum((gold_counts & predicted_counts).values())
    fp = sum(predicted_counts.values()) - tp
    fn = sum(gold_counts.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


def scores(pages: list[tuple[float, float, float]]) -> Scores:
    """The benchmark's averaging: mean precision over pages with a prediction, mean recall over
    pages with a gold text, F1 of the two means."""
    p = statistics.mean(precision(*m) for m in pages if m[0] + m[1] > 0)
    r = statistics.mean(recall(*m) for m in pages if m[0] + m[2] > 0)
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def ingest_text(path: Path) -> str:
    article = read_article(path)
    if not isinstance(article, Article):
        return ""
    return "\n".join(line.text for line in article.lines if line.text)


def cleaned_text(path: Path) -> str:
    article = read_article(path)
    if not isinstance(article, Article):
        return ""
    return "\n".join(clean_article(article).paragraphs)


def trafilatura_text(path: Path) -> str:
    return trafilatura.extract(path.read_bytes()) or ""


def _page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes().decode("utf-8", errors="replace"))


def visible_text(path: Path) -> str:
    root = _page(path)
    for element in root.xpath("//script | //style | //noscript | //template | //comment()"):
        element.drop_tree()  # keeps the element's tail text
    return " ".join(root.xpath("//text()"))


def body_text_nodes(path: Path) -> str:
    root = _page(path)
    bodies = root.xpath("//body")
    return " ".join((bodies[0] if bodies else root).xpath(".//text()"))


METHODS: tuple[tuple[str, Callable[[Path], str]], ...] = (
    ("corroborate: read_article (ingest)", ingest_text),
    ("corroborate: ingest + clean", cleaned_text),
    (f"trafilatura {trafilatura.__version__}: extract(html), defaults", trafilatura_text),
    ("floor: whole page, visible text", visible_text),
    ("floor: whole page, all text nodes under <body>", body_text_nodes),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder of page_NNN/ folders")
    args = parser.parse_args()
    pages = sorted(p for p in args.pages.glob("page_*") if (p / "source.html").is_file())
    if not pages:
        parser.error(f"--pages {args.pages}: no page_*/source.html (the dev data is not in this repository)")
    gold = {page: tokens((page / "gold.txt").read_text(encoding="utf-8")) for page in pages}

    print("command: python " + " ".join(sys.argv))
    print(f"{len(pages)} pages in {args.pages}; tokens: \\w+ (case kept); F1 of mean P and mean R")
    header = f"{'method':<48} {'words P':>7} {'R':>6} {'F1':>6}   {'4-shingles P':>12} {'R':>6} {'F1':>6}"
    print(f"{header}   {'ms/page':>7}  empty")
    for name, extract in METHODS:
        extract(pages[0] / "source.html")  # warm-up, untimed
        words, runs, seconds, empty = [], [], [], 0
        for page in pages:
            start = time.perf_counter()
            text = extract(page / "source.html")
            seconds.append(time.perf_counter() - start)
            predicted = tokens(text)
            empty += not predicted
            words.append(matching(gold[page], predicted))
            runs.append(matching(shingles(gold[page]), shingles(predicted)))
        w, s = scores(words), scores(runs)
        milliseconds = 1000 * statistics.mean(seconds)
        print(
            f"{name:<48} {w.precision:7.3f} {w.recall:6.3f} {w.f1:6.3f}   "
            f"{s.precision:12.3f} {s.recall:6.3f} {s.f1:6.3f}   {milliseconds:7.1f}  {empty:5d}"
        )


if __name__ == "__main__":
    main()
