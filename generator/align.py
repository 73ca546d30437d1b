"""Stage 5, align: decide what is the same across sources.

Three decisions are made in this stage, and only here: which name mentions are one entity
(`generator.entities`, re-exported here), which sentences of different sources state the same
thing (TF-IDF similarity over stems, entities and numbers, grouped by average linkage), and which
sources are copies of another (so they do not count twice).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from .claims import (
    ClaimShape,
    ClaimShapes,
    content_count,
    incompatible,
    quote_words,
    quoted,
    quoted_runs,
    shared_quoted_words,
)
from .clean import normalise_line
from .config import settings
from .entities import MentionKey, fold, name_tokens, resolve_entities, skeleton
from .records import AnalysedSentence, AnalysedSource, Entity, SentenceGroup

# The entity helpers live in `entities`; they stay importable from here.
__all__ = [
    "Alignment",
    "MentionKey",
    "PairMeasure",
    "Vector",
    "align",
    "find_copies",
    "fold",
    "mark_copies",
    "name_tokens",
    "pair_measures",
    "resolve_entities",
    "sentence_features",
    "sentence_key",
    "similarities",
    "skeleton",
    "vectorise",
]


# --- sentence similarity ------------------------------------------------------------------------


Vector = dict[str, float]


def sentence_features(sentence: AnalysedSentence, mention_map: dict[MentionKey, str]) -> Counter[str]:
    """The bag of features two sentences are compared on."""
    features: Counter[str] = Counter(sentence.terms)
    sid, src = sentence.sentence.id, sentence.sentence.source_id
    for mention in sentence.mentions:
        entity = mention_map.get((src, sid, mention.start))
        if entity:
            features["E:" + entity] += 1
    for quantity in sentence.quantities:
        features[f"N:{quantity.value:g}"] += 1
    for date in sentence.dates:
        if date.iso:
            features["D:" + date.iso[:4]] += 1
    return features


def vectorise(sentences: list[AnalysedSentence], mention_map: dict[MentionKey, str]) -> list[Vector]:
    """TF-IDF weights of each sentence's features, the IDF taken over the story's own body
    sentences: headlines repeat the story's main words, and counting them would make those words
    weigh less in every body sentence."""
    bags = [sentence_features(s, mention_map) for s in sentences]
    df: Counter[str] = Counter()
    for bag, sentence in zip(bags, sentences, strict=True):
        if not sentence.sentence.headline:
            df.update(bag.keys())
    n = sum(not s.sentence.headline for s in sentences)
    return [
        {f: (1 + math.log(c)) * (math.log((n + 1) / (df[f] + 1)) + 1) for f, c in bag.items()} for bag in bags
    ]


# A feature held by more sentences than this carries no signal, and pairing on it costs more
# than it tells.
_COMMON = 400
# The prefixes of anchor features (`sentence_features`): entities, numbers, dates.
_ANCHORS = ("E:", "N:", "D:")


@dataclass(frozen=True, slots=True)
class PairMeasure:
    """How two sentences' features meet: the similarity score, the weighted share of the shorter
    sentence's features the other has, and how many anchors (entities, numbers, dates) they share."""

    score: float
    cover: float
    anchors: int
    terms: int  # shared content-word stems


def pair_measures(
    vectors: list[Vector], floor: float = 0.1, min_shared: int = 3, runs: Sequence[int] | None = None
) -> dict[tuple[int, int], PairMeasure]:
    """Each pair of sentences that shares at least `min_shared` features and scores `floor` or
    more, with its measures.

    `runs`, when given, numbers the sentences: a pair of sentences with the same number is never
    measured, and such sentences must stand next to each other (one source's body, whose sentences
    never corroborate one another; its headline gets a number of its own, as it may restate the
    body). Skipping them keeps the work linear in a long article's length: a feature shared by
    400 sentences of one article would otherwise cost 80,000 pairs that no fact can use.

    The score is the geometric mean of the cosine (penalises a long sentence that merely contains
    a short one) and the weighted overlap with the shorter sentence (forgives a paraphrase that
    adds a clause).
    """
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for feature, weight in vector.items():
            index[feature].append((i, weight))
    l2 = [math.sqrt(sum(w * w for w in v.values())) or 1.0 for v in vectors]
    l1 = [sum(v.values()) or 1.0 for v in vectors]
    # Per pair (keyed i * n + j, cheaper than a tuple): dot product, shared weight, shared
    # features, shared anchors.
    n = len(vectors)
    dots: dict[int, float] = defaultdict(float)
    shared: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    anchors: dict[int, int] = defaultdict(int)
    for feature, postings in index.items():
        if len(postings) > _COMMON:  # a feature in almost every sentence carries no signal
            continue
        anchor = feature.startswith(_ANCHORS)
        after = _run_ends(postings, runs)
        for a, (i, wi) in enumerate(postings):
            base = i * n
            for j, wj in postings[after[a] :]:
                key = base + j
                dots[key] += wi * wj
                shared[key] += wi if wi < wj else wj
                counts[key] += 1
                if anchor:
                    anchors[key] += 1
    measures = {}
    for key, count in counts.items():
        if count < min_shared:
            continue
        i, j = divmod(key, n)
        cosine = dots[key] / (l2[i] * l2[j])
        overlap = shared[key] / min(l1[i], l1[j])
        score = math.sqrt(cosine * overlap)
        if score >= floor:
            shared_anchors = anchors.get(key, 0)
            measures[(i, j)] = PairMeasure(score, overlap, shared_anchors, count - shared_anchors)
    return measures


# At most this many features: a sentence with more shares the three `pair_measures` asks for
# with any sentence that repeats it.
_SHORT_FEATURES = 4
_WORDS = re.compile(r"\w+(?:'\w+)*")  # "don't" is one word


def _reprinted_quotes(
    sentences: Sequence[AnalysedSentence],
    vectors: list[Vector],
    runs: Sequence[int],
    measured: Mapping[tuple[int, int], PairMeasure],
) -> dict[tuple[int, int], PairMeasure]:
    """Measures for the pairs of short sentences, one of them quoted, that two sources (or a
    headline and its body) print in the same words (settings `align_quote_words`,
    `align_quote_same`), which `pair_measures` leaves out for sharing too few features: "I just
    answered your question." / "I answered your question." The shorter one's words must all be
    in the longer one, in order: a word swapped ("win" / "lose") is another claim. The score is
    difflib's ratio over the words."""
    config = settings()
    words = {
        i: _WORDS.findall(s.sentence.text.lower().replace("’", "'"))
        for i, s in enumerate(sentences)
        if 0 < len(vectors[i]) <= _SHORT_FEATURES
    }
    short = [i for i in words if len(words[i]) >= config.align_quote_words]
    index: dict[str, list[int]] = defaultdict(list)
    for i in short:
        for feature in vectors[i]:
            index[feature].append(i)
    found = {}
    for i in short:
        if not quoted(sentences[i].sentence.text):
            continue
        others = {j for f in vectors[i] if len(index[f]) <= _COMMON for j in index[f] if runs[j] != runs[i]}
        for j in sorted(others):
            pair = (i, j) if i < j else (j, i)
            if pair in measured or pair in found:
                continue
            same = _contained_ratio(words[i], words[j], config.align_quote_same)
            if same >= config.align_quote_same:
                shared = vectors[i].keys() & vectors[j].keys()
                anchors = sum(f.startswith(_ANCHORS) for f in shared)
                found[pair] = PairMeasure(same, 1.0, anchors, len(shared) - anchors)
    return found


def _contained_ratio(a: list[str], b: list[str], floor: float = 0.0) -> float:
    """difflib's ratio of two word lists when the shorter is the longer with words left out
    (nothing swapped), else 0; also 0, without running difflib, when the ratio cannot reach
    `floor` or a word of the shorter is missing from the longer (most pairs: cheap to tell)."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if (
        not shorter
        or 2 * len(shorter) / (len(shorter) + len(longer)) < floor
        or not set(shorter) <= set(longer)
    ):
        return 0.0
    matcher = difflib.SequenceMatcher(None, shorter, longer, autojunk=False)
    if any(op not in ("equal", "insert") for op, *_ in matcher.get_opcodes()):
        return 0.0
    return matcher.ratio()


def _body_runs(sentences: Sequence[AnalysedSentence]) -> list[int]:
    """The `runs` of `pair_measures` for a story's sentences: one number per source's body, a
    number of its own for each headline."""
    numbers: dict[str, int] = {}
    return [
        -1 - i if s.sentence.headline else numbers.setdefault(s.sentence.source_id, len(numbers))
        for i, s in enumerate(sentences)
    ]


def _run_ends(postings: list[tuple[int, float]], runs: Sequence[int] | None) -> list[int]:
    """For each posting, where the postings of other runs begin after it (the next posting when
    there are no runs)."""
    if runs is None:
        return list(range(1, len(postings) + 1))
    ends = [len(postings)] * len(postings)
    for a in range(len(postings) - 2, -1, -1):
        same = runs[postings[a][0]] == runs[postings[a + 1][0]]
        ends[a] = ends[a + 1] if same else a + 1
    return ends


def similarities(
    vectors: list[Vector], floor: float = 0.1, min_shared: int = 3
) -> dict[tuple[int, int], float]:
    """How strongly each pair of sentences says the same thing (`pair_measures`' score)."""
    return {pair: m.score for pair, m in pair_measures(vectors, floor, min_shared).items()}


@dataclass(frozen=True, slots=True)
class Alignment:
    """The result of aligning a story: what later stages need to decide facts and conflicts."""

    sentences: tuple[AnalysedSentence, ...]
    groups: tuple[SentenceGroup, ...]
    # (sentence key, sentence key) sorted -> `pair_measures`' score (a word ratio for a reprinted
    # quote, `_reprinted_quotes`)
    similarity: dict[tuple[str, str], float]
    independent: dict[str, str]  # source id -> id of the source it is a copy of (or itself)
    shapes: Mapping[str, ClaimShape] = field(default_factory=dict)  # sentence key -> its claim shape

    def sim(self, a: AnalysedSentence, b: AnalysedSentence) -> float:
        ka, kb = sentence_key(a), sentence_key(b)
        if ka == kb:
            return 1.0
        return self.similarity.get((ka, kb) if ka < kb else (kb, ka), 0.0)


def sentence_key(sentence: AnalysedSentence) -> str:
    return f"{sentence.sentence.source_id}#{sentence.sentence.id}"


def align(
    analysed: tuple[AnalysedSource, ...],
    mention_map: dict[MentionKey, str],
    copies: dict[str, str],
    entities: Sequence[Entity] = (),
) -> Alignment:
    """Group sentences of different sources that state the same claim.

    Pairs above `align_link`, or above `align_weak_link` when they share at least
    `align_weak_anchors` names, numbers and dates, are merged strongest first. Two groups join
    only when every pair across them could be one claim (`claims.incompatible`: the words they
    share carry the same negation, modality and tense, the same people, the same speakers), every
    pair across them is at least `align_floor` similar, and the mean similarity across them stays above
    `align_group`: so each sentence of a fact states what the others state, not just something
    near one of them.
    """
    config = settings()
    sentences = [s for source in analysed for s in source.sentences]
    vectors = vectorise(sentences, mention_map)
    runs = _body_runs(sentences)
    measures = pair_measures(vectors, runs=runs)
    measures.update(_reprinted_quotes(sentences, vectors, runs, measures))
    pair_scores = {pair: m.score for pair, m in measures.items()}
    types = {e.id: e.type for e in entities}
    keys = [sentence_key(s) for s in sentences]
    shapes = ClaimShapes(dict(zip(keys, sentences, strict=True)), mention_map, types)
    verdicts: dict[tuple[int, int], bool] = {}

    def can_join(x: int, y: int) -> bool:
        pair = (x, y) if x < y else (y, x)
        if pair not in verdicts:
            measure = measures.get(pair)
            verdicts[pair] = (
                measure is not None
                and (measure.score >= config.align_floor or anchored(measure) or same_words_quoted(*pair))
                and incompatible(shapes[keys[x]], shapes[keys[y]]) is None
            )
        return verdicts[pair]

    def anchored(measure: PairMeasure) -> bool:
        """A paraphrase that adds a clause: most of the shorter sentence is in the other, names,
        numbers or dates included."""
        return measure.cover >= config.align_cover and measure.anchors >= 2 and measure.terms >= 1

    quotes = {i: quoted_runs(s.sentence.text) for i, s in enumerate(sentences) if quoted(s.sentence.text)}
    by_source: dict[str, list[int]] = defaultdict(list)
    for k, s in enumerate(sentences):
        by_source[s.sentence.source_id].append(k)
    lowered_words: dict[int, str] = {}
    quote_verdicts: dict[tuple[int, int], bool] = {}

    def spaced_words(k: int) -> str:
        if k not in lowered_words:
            lowered_words[k] = f" {' '.join(quote_words(sentences[k].sentence.text.lower()))} "
        return lowered_words[k]

    def same_words_quoted(x: int, y: int) -> bool:
        """Both quote one run of at least `align_quote_phrase` content words that no other
        sentence of their sources holds, and score at least `align_quote_floor`: one statement
        or one designation reported twice ("the most racist and sexist trial", "a sexually
        violent predator"), not a phrase the story repeats ("the bipartisan infrastructure
        bill"). Worked out once per pair: linking, joining and scoring all ask."""
        if x not in quotes or y not in quotes or measures[(x, y)].score < config.align_quote_floor:
            return False
        if (x, y) not in quote_verdicts:
            phrase = shared_quoted_words(quotes[x], quotes[y])
            needle = f" {' '.join(phrase)} "
            quote_verdicts[(x, y)] = content_count(phrase) >= config.align_quote_phrase and not any(
                k != i and needle in spaced_words(k)
                for i in (x, y)
                for k in by_source[sentences[i].sentence.source_id]
            )
        return quote_verdicts[(x, y)]

    def linked(x: int, y: int) -> bool:
        """A pair strong enough to link: similar, or nearly so and sharing enough anchors
        ("Biden and Kadhimi met in the Oval Office of the White House" / "Mr Biden held talks
        with Kadhimi at the White House"), an anchored paraphrase, or a quote in the same words."""
        measure = measures[(x, y)]
        return (
            measure.score >= config.align_link
            or (measure.score >= config.align_weak_link and measure.anchors >= config.align_weak_anchors)
            or anchored(measure)
            or same_words_quoted(x, y)
        )

    def effective(x: int, y: int) -> float:
        """A pair's score for grouping: an anchored paraphrase or a quote in the same words counts
        as linked."""
        measure = measures.get((x, y))
        if measure is None:
            return 0.0
        if anchored(measure) or same_words_quoted(x, y):
            return max(measure.score, config.align_weak_link)
        return measure.score

    independent = {s.source.id: copies.get(s.source.id, s.source.id) for s in analysed}

    # A copy's sentence that its original also holds follows the original's sentence into its
    # group and links nothing itself: a reprint must not bridge two sentences of its original,
    # nor change how the original groups.
    twins = _twins(sentences, copies)
    members: dict[int, list[int]] = {i: [i] for i in range(len(sentences)) if i not in twins}
    owner = list(range(len(sentences)))
    headline = [s.sentence.headline for s in sentences]
    # Every measured pair is of two sources, or a headline and its own source's body (`_body_runs`):
    # a headline usually restates the lead, and the fact sheet states each claim once (the source
    # still counts once in its support).
    links = sorted(
        (
            (score, i, j)
            for (i, j), score in pair_scores.items()
            if linked(i, j) and i not in twins and j not in twins
        ),
        key=lambda t: (-t[0], t[1], t[2]),
    )

    def merge(i: int, j: int) -> None:
        a, b = owner[i], owner[j]
        if a == b:
            return
        if not all(can_join(x, y) for x in members[a] for y in members[b]):
            return
        cross = [effective(min(x, y), max(x, y)) for x in members[a] for y in members[b]]
        if sum(cross) / len(cross) < config.align_group:
            return
        for x in members[b]:
            owner[x] = a
        members[a].extend(members.pop(b))

    def alone(i: int) -> bool:
        """Whether `i` is in a group of headlines only (a headline not yet grouped, say)."""
        return all(headline[x] for x in members[owner[i]])

    # The body's sentences group first, as if there were no headlines. Then each headline joins
    # what it links to best (a body group or other headlines), strongest link first, by the same
    # rules, but never bridges two groups of body sentences: a headline is short and elliptical,
    # so it resembles many sentences, and a hub that merged them would overstate corroboration.
    for _, i, j in links:
        if not headline[i] and not headline[j]:
            merge(i, j)
    for _, i, j in links:
        if (headline[i] or headline[j]) and (alone(i) or alone(j)):
            merge(i, j)
    for copy, original in twins.items():
        members[owner[original]].append(copy)
    groups = []
    for indices in members.values():
        indices.sort()
        groups.append(SentenceGroup(tuple(sentences[i] for i in indices)))
    groups.sort(key=lambda g: (g.members[0].sentence.source_id, g.members[0].sentence.index))
    keyed = {}
    for (i, j), score in pair_scores.items():
        ka, kb = sentence_key(sentences[i]), sentence_key(sentences[j])
        keyed[(ka, kb) if ka < kb else (kb, ka)] = score
    return Alignment(tuple(sentences), tuple(groups), keyed, independent, shapes)


def _twins(sentences: Sequence[AnalysedSentence], copies: Mapping[str, str]) -> dict[int, int]:
    """Index of each sentence of a copy -> index of the sentence of the same words in the source
    it copies (followed to the first source that copies nothing), for the sentences that have one."""
    by_text: dict[tuple[str, str], int] = {}
    for i, s in enumerate(sentences):
        by_text.setdefault((s.sentence.source_id, normalise_line(s.sentence.text)), i)
    twins = {}
    for i, s in enumerate(sentences):
        original = s.sentence.source_id
        seen = {original}
        while original in copies and copies[original] not in seen:
            original = copies[original]
            seen.add(original)
        if original == s.sentence.source_id:
            continue
        twin = by_text.get((original, normalise_line(s.sentence.text)))
        if twin is not None:
            twins[i] = twin
    return twins


def find_copies(analysed: tuple[AnalysedSource, ...]) -> dict[str, str]:
    """Sources that reproduce an earlier source (a wire copy, the same file twice): their id ->
    the id of the original. The earlier source in file order counts as the original."""
    share = settings().copy_share
    # Told by the body: outlets retitle the wire stories they reprint.
    texts = [
        {normalise_line(s.sentence.text) for s in src.sentences if not s.sentence.headline}
        for src in analysed
    ]
    copies: dict[str, str] = {}
    for j in range(len(analysed)):
        for i in range(j):
            if analysed[i].source.id in copies or not texts[i] or not texts[j]:
                continue
            overlap = len(texts[i] & texts[j]) / min(len(texts[i]), len(texts[j]))
            if overlap >= share:
                copies[analysed[j].source.id] = analysed[i].source.id
                break
    return copies


def mark_copies(analysed: tuple[AnalysedSource, ...], copies: dict[str, str]) -> tuple[AnalysedSource, ...]:
    """The same sources with `copy_of` set where `find_copies` found one."""
    return tuple(
        replace(a, source=replace(a.source, copy_of=copies[a.source.id])) if a.source.id in copies else a
        for a in analysed
    )
