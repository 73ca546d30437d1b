"""The consensus benchmark's helpers (benchmarks/bench_summaries.py), on small invented texts.

Skipped unless the `bench` extra (rouge-score, sumy) is installed: CI installs only `.[dev]`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("rouge_score")
pytest.importorskip("sumy")

from benchmarks import bench_summaries as bench
from tests.conftest import ROOT


def test_cut_words_cuts_inside_the_sentence_that_crosses_the_limit() -> None:
    sentences = ["The river rose two metres.", "Schools closed on Monday morning.", "Rain is forecast."]
    assert bench.cut_words(sentences, 7) == ["The river rose two metres.", "Schools closed"]
    assert bench.cut_words(sentences, 5) == ["The river rose two metres."]
    assert bench.cut_words(sentences, 100) == sentences
    assert bench.cut_words(["", "  ", "One two three."], 2) == ["One two"]
    assert bench.word_count(bench.cut_words(sentences, 9)) == 9


def test_tokenizer_splits_sentences_without_nltk_data() -> None:
    paragraph = 'Mr. Okafor met the mayor at 9 a.m. Friday. "We agreed," he said. Talks resume in May.'
    assert bench.PlainTokenizer.to_sentences(paragraph) == (
        "Mr. Okafor met the mayor at 9 a.m. Friday.",
        '"We agreed," he said.',
        "Talks resume in May.",
    )
    assert bench.PlainTokenizer.to_words("It's a well-known 3-2 win, café owners say.") == (
        "It's",
        "a",
        "well-known",
        "win",
        "café",
        "owners",
        "say",
    )


def test_redundant_pairs_counts_sentences_that_say_the_same_thing() -> None:
    sentences = [
        "The council approved the new bridge on Tuesday.",
        "On Tuesday the council approved a new bridge.",
        "Construction should take three years.",
    ]
    assert bench.redundant_pairs(sentences) == (1, 3)
    assert bench.redundant_pairs(sentences[:1]) == (0, 0)


@pytest.mark.parametrize(
    "sentence",
    [
        "Click here to see the full gallery.",
        "Sign up for our morning briefing",
        "Photo: Jane Roe for the Daily Example",
        "The mayor visited the site (AP Photo/John Doe)",
        "Read more about the flood response.",
        "Share this article",
        "Leave a comment",
        "Advertisement",
    ],
)
def test_boilerplate_detector_flags_page_furniture(sentence: str) -> None:
    assert bench.boilerplate_reason(sentence) is not None


@pytest.mark.parametrize(
    "sentence",
    [
        "The council voted 5-2 to approve the budget on Tuesday.",
        "His comments drew criticism from both parties.",
        "The photographer was detained for two hours.",
    ],
)
def test_boilerplate_detector_leaves_reporting_alone(sentence: str) -> None:
    assert bench.boilerplate_reason(sentence) is None


def test_citation_valid_needs_a_citation_and_every_one_resolving() -> None:
    ids = {("a", "s-1"), ("b", "s-2")}

    def sentence(*citations: tuple[str, str]) -> dict[str, object]:
        return {"text": "x", "citations": [{"source": s, "sentence": x} for s, x in citations]}

    assert bench.citation_valid(sentence(("a", "s-1"), ("b", "s-2")), ids)
    assert not bench.citation_valid(sentence(), ids)
    assert not bench.citation_valid(sentence(("a", "s-1"), ("b", "s-9")), ids)


def test_the_script_runs_on_an_invented_cluster(tmp_path: Path) -> None:
    cluster = tmp_path / "clusters" / "cluster_001"
    cluster.mkdir(parents=True)
    (cluster / "doc_1.txt").write_text(
        "Floods close schools in Riverton\n\n"
        "Heavy rain flooded the town of Riverton on Monday, and all twelve schools closed. "
        "The mayor, Ana Silva, said the river rose two metres overnight.\n\nShare this article\n",
        encoding="utf-8",
    )
    (cluster / "doc_2.txt").write_text(
        "All twelve schools in Riverton closed on Monday after heavy rain flooded the town. "
        "Mayor Ana Silva said the river rose two metres overnight. Rain is forecast until Friday.\n",
        encoding="utf-8",
    )
    (cluster / "ref_1.txt").write_text(
        "Heavy rain flooded Riverton, closing its twelve schools; the river rose two metres.\n",
        encoding="utf-8",
    )
    output = tmp_path / "scores.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_summaries.py"),
            str(tmp_path / "clusters"),
            "--max-words",
            "20",
            "--systems",
            "corroborate,lexrank,textrank,lead,lead-rr",
            "--json",
            str(output),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "win vs lexrank" in result.stdout
    systems = json.loads(output.read_text(encoding="utf-8"))["clusters"][0]["systems"]
    assert set(systems) == {"corroborate", "lexrank", "textrank", "lead", "lead-rr"}
    assert all(0 < s["words"] <= 20 for s in systems.values())
    consensus = systems["corroborate"]
    assert consensus["cited"] == len(consensus["sentences"])
