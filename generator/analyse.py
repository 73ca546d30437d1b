"""Stage 4, analyse: find what each sentence talks about.

For every sentence: its content words (stemmed, irregular forms and synonyms folded), the names it
mentions (with a first guess at their type), the numbers it reports (with the noun they count)
and the dates it names (resolved against the article's date where it is known). Decisions that
need several sources, such as which names are the same entity, belong to the align stage.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import snowballstemmer  # type: ignore[import-untyped]

from .config import lexicon
from .records import (
    AnalysedSentence,
    AnalysedSource,
    DateMention,
    EntityType,
    Mention,
    Problem,
    Quantity,
    Sentence,
    Severity,
    Source,
)

# A dot joins a token's parts ("Amazon.com", "e.g") unless a capitalised word follows it
# without a space ("Gov.Sarah Palin": two words).
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\d+(?:[.,]\d+)*|\w+(?:['’-]\w+|\.(?![A-Z][a-z])\w+)*", re.UNICODE)
_DECLARED = re.compile(
    r"\s*\(\s*([A-Z][A-Za-z.]{1,9})(?:\s*,?\s*(?:also known as|aka|or)\s+"
    r"([A-Z][A-Za-z.]{1,9}))?\s*\)"
)
_WORD_NUMBERS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "hundreds": 100,
    "thousands": 1000,
    "dozens": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6}
_LOWER_BOUNDS = ("more than", "at least", "over", "north of", "upwards of", "above", "in excess of")
_UPPER_BOUNDS = ("up to", "less than", "fewer than", "under", "below", "almost", "nearly", "as many as")
_HEDGES = (
    "about",
    "some",
    "around",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "over",
    "more than",
    "at least",
    "up to",
    "less than",
    "fewer than",
    "an estimated",
    "estimated",
    "hundreds of",
    "thousands of",
    "dozens of",
    "as many as",
    "close to",
    "upwards of",
)
# A number written into a word is part of a name, not a count ("the 76ers", "49ers"): three
# letters or more right after it, but for units written that way ("20mph", "2,000kms", "3GHz").
# The whole number or nothing: never a shorter number inside it ("1.8GHz" is not 1).
_GLUED_UNITS = (
    "mph|kmh|kph|kms|lbs|hrs|yrs|mins|secs|sec|min|ghz|mhz|bln|mln|percent|thousand|million|billion|trillion"
)
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?![.,]?\d)(?!(?!(?i:" + _GLUED_UNITS + r")\b)[A-Za-z]{3,})"
    r"(?:-(?P<hyunit>[a-z]+))?(?P<pct>\s?(?:%|percent\b|per cent\b))?"
    # Scale words in lower case, or in any case after a currency ("$1 Trillion" in a title-case
    # headline; "12 Thousand Oaks residents" are twelve).
    r"(?:\s(?P<scale>thousand|million|billion|trillion|bn|mn)\b"
    r"|(?(cur)\s(?P<cscale>(?i:thousand|million|billion|trillion))\b|(?!)))?",
)
_WORD_NUMBER = re.compile(r"\b(?P<word>" + "|".join(_WORD_NUMBERS) + r")\b", re.IGNORECASE)
_MONTH_NAMES = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_MONTH = r"(?P<mon>" + _MONTH_NAMES + r")\.?"
_DATE_PATTERNS = (
    ("day", re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>\d{4})\b")),
    ("day", re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\b")),
    ("day", re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d{4})")),
    ("day", re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"\b(?!\s*,?\s*\d{4})")),
    ("month", re.compile(r"\b" + _MONTH + r",?\s+(?P<y>\d{4})\b")),
    ("year", re.compile(r"(?<![\d,.$])\b(?P<y>1[89]\d\d|20\d\d)\b(?!,?\d)(?!\s*(?:%|percent))")),
    (
        "weekday",
        re.compile(
            r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
            r"(?:\s*\(\d{1,2}\))?"
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>(?:last|this|next|previous) (?:year|month|week)|yesterday"
            r"|today|tomorrow)\b",
            re.IGNORECASE,
        ),
    ),
)


class Token(NamedTuple):
    """A word or number of a sentence and its span (a named tuple: a long article has millions,
    and a tuple is made several times faster than a frozen dataclass)."""

    text: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def term(word: str) -> str | None:
    """The normalised stem of one word, or None for stopwords and numbers."""
    lex = lexicon()
    lowered = word.lower().replace("’", "'")
    lowered = re.sub(r"'s$|'$", "", lowered)
    if not lowered or lowered in lex.stopwords or not lowered[0].isalpha():
        return None
    lowered = lex.irregular.get(lowered, lowered)
    if lowered in lex.synonyms:
        lowered = lex.synonyms[lowered]
    stem = str(_stemmer().stemWord(lowered))
    if stem in _stopword_stems():  # "telling" is as empty as "told"
        return None
    return _stem_synonyms().get(stem, stem)


@lru_cache(maxsize=1)
def _stopword_stems() -> frozenset[str]:
    lex = lexicon()
    return frozenset(str(_stemmer().stemWord(lex.irregular.get(w, w))) for w in lex.stopwords)


@lru_cache(maxsize=1)
def _stem_synonyms() -> dict[str, str]:
    stem = _stemmer().stemWord
    return {str(stem(word)): str(stem(head)) for word, head in lexicon().synonyms.items()}


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[Token, ...]:
    """The words and numbers of a text with their spans; cached, as each sentence is tokenised
    by several analysers."""
    return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text))


def _tokens_before(text: str, position: int, count: int) -> tuple[Token, ...]:
    """The last `count` tokens of `text` that end by `position` (found by bisection in the
    sentence's cached tokens, not by tokenising the text before it again)."""
    toks = tokens(text)
    stop = bisect.bisect_right(toks, position, key=lambda tok: tok.end)
    return toks[max(0, stop - count) : stop]


# Characters of one source's body that the analysis reads (its headline besides): two and a half
# times the longest article of the dev sets (96,000 characters of gold text), far beyond any news
# report. The rest of a longer file is published on its page, every sentence addressable, and
# compared with nothing (`pipeline.read_sources` says so), so that one huge file costs the
# analysis a bounded time and memory.
ANALYSED_CHARS = 250_000


def analysed_part(source: Source, budget: int = ANALYSED_CHARS) -> tuple[Sentence, ...]:
    """The citable sentences of `source` the analysis reads: the headline, if any, and the body's
    sentences, all of them or the longest run from the first within `budget` characters (at
    least one). The headline does not count against the budget."""
    citable = source.citable
    first = 1 if source.headline else 0
    used = 0
    for k in range(first, len(citable)):
        used += len(citable[k].text) + 1
        if used > budget and k > first:
            return citable[:k]
    return citable


def analyse_sources(sources: tuple[Source, ...]) -> tuple[AnalysedSource, ...]:
    """Analyse the citable sentences of every source of one story, headlines included (each
    source's `analysed_part`)."""
    parts = [analysed_part(source) for source in sources]
    lowercase_words = frozenset(  # the words alone: no spans needed, nor the cache filled
        word
        for part in parts
        for sentence in part
        for word in _TOKEN.findall(sentence.text)
        if word.islower()
    )
    inner_capitals = frozenset(
        strip_possessive(tok.text).lower()
        for part in parts
        for sentence in part
        if not sentence.headline and not _title_case(sentence.text)
        for k, tok in enumerate(tokens(sentence.text))
        if k > 0 and tok.text[:1].isupper() and not _starts_clause(sentence.text, tok)
    )
    return tuple(
        AnalysedSource(
            source,
            tuple(
                analyse_sentence(sentence, source.meta.published, lowercase_words, inner_capitals)
                for sentence in part
            ),
        )
        for source, part in zip(sources, parts, strict=True)
    )


# A page's date stamp fused to the sentence after it ("Updated: May 24, 2005, 3:23 PM ET Maurice
# Cheeks is ...", "Posted Thu 6 May 2010, 9:03am AEST Three people ..."): what the page says of
# itself, so its words, numbers and dates are no part of the sentence's claim. Month and weekday
# names are whole words ("Mark" is no month); a date has at most three parts and one clock time.
_STAMP_MONTH = r"(?:" + _MONTH_NAMES + r")\b\.?"  # the stamp patterns ignore case
_STAMP_WEEKDAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?)\b\.?,?\s*"
)
_STAMP_PART = r"(?:" + _STAMP_MONTH + r"|\d{1,4}(?:st|nd|rd|th)?\b)"
_STAMP_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\b\.?)?(?:\s+(?-i:[A-Z]{1,3}[SD]?T|GMT|UTC)\b)?"
_FUSED_STAMP = re.compile(
    r"^\W*(?:last\s+)?(?:updated|posted|published|modified)\b\W*(?:"
    + _STAMP_WEEKDAY
    + r")?"
    + _STAMP_PART
    + r"(?:[\s,./-]+"
    + _STAMP_PART
    + r"){0,2}"
    + r"(?:(?:\s*[,|\-–—]\s*|\s+)"
    + _STAMP_TIME
    + r")?[\s,.|:-]*",
    re.IGNORECASE,
)
# The same stamp without the word, where a clock time follows the date at once: "May 3, 2013 |
# 8:20 am Lindsay Lohan's attorney said ...", "May 2, 2013, 1:12 PM". ("May 3, 2013 at 1:10 pm the
# quake struck" tells when something happened, and is left alone.)
_BARE_STAMP = re.compile(
    r"^\W*(?:" + _STAMP_WEEKDAY + r")?"
    r"(?:" + _STAMP_MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}(?:st|nd|rd|th)?\s+" + _STAMP_MONTH + r")"
    r",?\s+(?:19|20)\d\d(?:\s*[,|\-–—]\s*|\s+)" + _STAMP_TIME + r"[\s,.|:-]*",
    re.IGNORECASE,
)

_STAMP_DATE = re.compile(_STAMP_MONTH + r"|\b(?:19|20)\d\d\b|\d+/\d+", re.IGNORECASE)


def fused_stamp_end(text: str) -> int:
    """Where a page's date stamp at the start of `text` ends (0 when there is none). A stamp
    names a month or a year, or is a date in figures: "Posted 5 comments" is no stamp."""
    bare = _BARE_STAMP.match(text)
    if bare is not None:
        return bare.end()
    match = _FUSED_STAMP.match(text)
    if match is None or not _STAMP_DATE.search(match.group()):
        return 0
    return match.end()


def analyse_sentence(
    sentence: Sentence,
    published: str | None = None,
    lowercase_words: set[str] | frozenset[str] = frozenset(),
    inner_capitals: frozenset[str] | None = None,
) -> AnalysedSentence:
    """Terms, name mentions, quantities and dates of one `Sentence`.

    `lowercase_words` are the story's words written in lowercase somewhere, `inner_capitals` its
    words written capitalised inside a clause (None: not known); both tell a name from an
    ordinary word that opens a sentence."""
    text = sentence.text
    toks = tokens(text)
    dates = find_dates(text, published)
    taken = [(d.start, d.start + len(d.text)) for d in dates]
    if _title_case(text):
        # A headline in title case ("Hope Hicks Is Returning To The White House"): its words that
        # the story writes in lowercase elsewhere, or never capitalised inside a sentence, are
        # words, not names ("Obama Flips Bush Rule": "Flips" is no one's name).
        plain = _lower_common_words(
            text, toks, lowercase_words, inner_capitals if _all_capitalised(text) else None
        )
        mentions = [
            Mention(text[m.start : m.end], m.start, m.end, m.type, m.titled)
            for m in find_mentions(plain, tokens(plain), lowercase_words, inner_capitals)
        ]
    else:
        mentions = find_mentions(text, toks, lowercase_words, inner_capitals)
    quantities = find_quantities(text, toks, taken, mentions)
    stamp = fused_stamp_end(text)
    if stamp:
        dates = [d for d in dates if d.start >= stamp]
        quantities = [q for q in quantities if q.start >= stamp]
        mentions = [m for m in mentions if m.start >= stamp]
    in_mention = {i for m in mentions for i in range(m.start, m.end)}
    terms = tuple(
        t for t in (term(tok.text) for tok in toks if tok.start >= stamp and tok.start not in in_mention) if t
    )
    return AnalysedSentence(sentence, terms, tuple(mentions), tuple(quantities), tuple(dates))


@lru_cache(maxsize=8192)
def _long_words(text: str) -> tuple[str, ...]:
    """The words of four letters or more: what tells a title-case line."""
    return tuple(t.text for t in tokens(text) if t.text[:1].isalpha() and len(t.text) > 3)


def _title_case(text: str) -> bool:
    """Whether a sentence is written in title case: most of its longer words capitalised."""
    words = _long_words(text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _all_capitalised(text: str) -> bool:
    """Whether every word of four letters or more is capitalised: a headline in strict title
    case, not one in sentence case that many names make look like it ("Coach Maurice Tallow was
    fired on Saturday")."""
    words = _long_words(text)
    return bool(words) and all(w[0].isupper() for w in words)


def _lower_common_words(
    text: str,
    toks: Sequence[Token],
    lowercase_words: set[str] | frozenset[str],
    inner_capitals: frozenset[str] | None = None,
) -> str:
    """`text` with each capitalised word that appears lowercase elsewhere in the story (or is a
    stopword), or, given `inner_capitals` (the capitalised words inside the story's sentences
    that are not in title case; None or empty: none known), that it never writes capitalised
    inside one, lowercased, keeping every offset."""
    stop = lexicon().stopwords
    pieces = list(text)
    for tok in toks:
        lowered = tok.text.lower()
        if tok.text[:1].isupper() and (
            lowered in lowercase_words
            or lowered in stop
            or (inner_capitals and strip_possessive(tok.text).lower() not in inner_capitals)
        ):
            pieces[tok.start : tok.end] = lowered
    return "".join(pieces)


_CONTRACTION = re.compile(r"\w['’](?:m|ve|re|ll|d|t)$|n['’]t$", re.IGNORECASE)
_DETERMINERS = frozenset({"the", "a", "an"})


def _never_in_name(token: str) -> bool:
    """A token no name holds: a contraction ("I've", "We're", "Isn't") or a file name
    ("Cquote1.svg", page debris left by the extraction)."""
    return _CONTRACTION.search(token) is not None or _is_file_name(token)


def _possessor(token: str) -> str | None:
    """The word a token in the possessive "'s" is made of, lowercased ("City's" -> "city"), or None."""
    bare = strip_possessive(token)
    return bare.lower() if bare != token and token[len(bare) :] in ("'s", "’s") else None


def _possessive_name(token: str, lowercase_words: set[str] | frozenset[str]) -> bool:
    """A name in the possessive ends its run ("CNN's Jim Acosta"); a common noun does not
    ("People's Liberation Army", "Children's Hospital")."""
    possessor = _possessor(token)
    return possessor is not None and possessor not in lowercase_words


def _possessive_place(token: str) -> bool:
    """A place's last word in the possessive ("City's", "County's"): after another word of the
    name it ends the run, whatever the story writes in lowercase ("the city")."""
    return _possessor(token) in lexicon().place_last_words


def _of_affiliation(run: list[Token], titled: bool, lowercase_words: set[str] | frozenset[str]) -> int | None:
    """Where a person's name meets an affiliation joined by "of" ("Eddie Jordan of Washington",
    "[Judge] Muhammad Sani of Nigeria"): the index of the "of", or None when the run is one name
    ("Bank of England", "Royal Bank of Scotland", "University of Chicago", "Democratic Republic of
    Congo"). The part before "of" must read as a personal name: after a title, or two or three
    words that the story never writes in lowercase and none of which names an organisation, a
    place, a state, an event, a group or an office."""
    lex = lexicon()
    at = next((k for k, tok in enumerate(run) if tok.text == "of"), None)
    if at is None or at == 0 or at + 1 >= len(run):
        return None
    if titled:
        return at
    before = [strip_possessive(tok.text).lower() for tok in run[:at]]
    if not 2 <= len(before) <= 3 or " ".join(before) in lex.places:
        return None
    for word in before:
        if (
            word in lowercase_words
            or word in lex.organization_words
            or word in lex.place_last_words
            or word in lex.of_name_words
            or word in lex.event_first_words
            or word in lex.event_last_words
            or word in lex.group_words
            or word in lex.titles
            or word in lex.title_parts
        ):
            return None
    return at


def _person_then_affiliation(
    text: str, run: list[Token], titled: bool, lowercase_words: set[str] | frozenset[str]
) -> list[Mention]:
    """`_make_mentions`, but a person's name and the place or body after its "of" are two names."""
    at = _of_affiliation(run, titled, lowercase_words)
    if at is None:
        return _make_mentions(text, run, titled)
    return _make_mentions(text, run[:at], titled) + _make_mentions(text, run[at + 1 :], False)


def _joins_names(token: str) -> bool:
    """A lowercase particle inside a name ("Bank of England", "Ludwig van Beethoven"); the
    particles that are also English words ("as", "at", "an") join nothing: "Mol as Page"."""
    lowered = token.lower()
    return lowered in lexicon().name_particles and (lowered == "of" or lowered not in lexicon().stopwords)


def _breaks_name(token: str) -> bool:
    """A capitalised function word ("Is", "For"); in capitals it may be an acronym ("IS")."""
    return token.lower() in lexicon().name_breakers and not _is_acronym(token)


def _is_file_name(token: str) -> bool:
    head, dot, extension = token.rpartition(".")
    return bool(dot and head) and extension.lower() in lexicon().file_extensions


def _has_article_prefix(token: str) -> bool:
    """'al-Kadhimi': a lowercase article joined to a capitalised name."""
    match = lexicon().article_prefix.match(token)
    return match is not None and token[match.end() : match.end() + 1].isupper()


def _is_capitalised(token: str) -> bool:
    return token[0].isupper() or _has_article_prefix(token)


def find_mentions(
    text: str,
    toks: Sequence[Token],
    lowercase_words: set[str] | frozenset[str] = frozenset(),
    inner_capitals: frozenset[str] | None = None,
) -> list[Mention]:
    """Names in a sentence: runs of capitalised words, split at titles, typed by a first guess."""
    lex = lexicon()
    mentions: list[Mention] = []
    i = 0
    while i < len(toks):
        if (
            not _is_capitalised(toks[i].text)
            or toks[i].text[0].isdigit()
            or _never_in_name(toks[i].text)
            or _breaks_name(toks[i].text)
        ):
            i += 1
            continue
        place = _adjective_place(toks[i].text)
        if place is not None or (
            "-" in toks[i].text
            and toks[i].text.split("-")[-1][:1].islower()
            and not _has_article_prefix(toks[i].text)
        ):
            if place is not None:
                start = toks[i].start
                mentions.append(Mention(place, start, start + len(place), EntityType.PLACE))
            i += 1
            continue
        j = i
        run: list[Token] = []
        while j < len(toks):
            word = toks[j].text
            if j > i and (_never_in_name(word) or _breaks_name(word) or word == "The"):
                break  # "Gary Ross Is Boss", "BST The Obama": no name goes on through these
            if (
                _is_capitalised(word)
                and not word[0].isdigit()
                and ("-" not in word or _has_article_prefix(word) or word.split("-")[-1][:1].isupper())
            ) or (
                _joins_names(word)
                and run
                and j + 1 < len(toks)
                and _is_capitalised(toks[j + 1].text)
                and not _gap(text, toks[j - 1], toks[j])
            ):
                run.append(toks[j])
            else:
                break
            if j + 1 < len(toks) and _gap(text, toks[j], toks[j + 1]):
                j += 1
                break
            if _possessive_name(word, lowercase_words) or (len(run) > 1 and _possessive_place(word)):
                j += 1
                break  # "Toronto's Sam Mitchell", "Oklahoma City's P.J. Carlesimo": two names
            j += 1
        titled_before = i > 0 and strip_possessive(toks[i - 1].text).lower() in lex.titles
        # "Secretary of the Interior Ken Salazar": the name after the office's domain is titled.
        of_the = (
            i >= 3
            and toks[i - 1].text.lower() == "the"
            and toks[i - 2].text.lower() == "of"
            and strip_possessive(toks[i - 3].text).lower() in lex.titles
        )
        if of_the:
            run = _drop_domain(run, lowercase_words)
        initial = i == 0 or _starts_clause(text, toks[i]) or _is_file_name(toks[i - 1].text)
        mentions.extend(
            _split_run(text, run, titled_before or of_the, initial, lowercase_words, inner_capitals)
        )
        i = max(j, i + 1)
    return _with_declared_aliases(text, mentions)


def _gap(text: str, left: Token, right: Token) -> bool:
    """Whether punctuation (not a space or hyphen) separates two tokens, ending a name."""
    between = text[left.end : right.start]
    if between.strip() == "." and len(left.text) == 1 and left.text.isupper():
        return False  # an initial: "George W. Bush"
    return bool(between.strip())


def _starts_clause(text: str, token: Token) -> bool:
    before = text[: token.start].rstrip()
    return not before or before[-1] in ".:;\"“‘'(—–-"


def _is_acronym(word: str) -> bool:
    return re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,6}", word) is not None


def _adjective_place(token: str) -> str | None:
    """The place inside a hyphenated adjective ("US-led" -> "US"), None when there is none."""
    head, sep, tail = token.partition("-")
    if sep and tail[:1].islower() and head.lower() in lexicon().places:
        return head
    return None


def strip_possessive(word: str) -> str:
    """Drop a possessive ending: Biden's -> Biden, Jones' -> Jones."""
    if "'" not in word and "’" not in word:
        return word
    return _POSSESSIVE.sub("", word)


_POSSESSIVE = re.compile(r"['’]s?$")


def _split_run(
    text: str,
    run: list[Token],
    titled: bool,
    initial: bool,
    lowercase_words: set[str] | frozenset[str],
    inner_capitals: frozenset[str] | None = None,
) -> list[Mention]:
    lex = lexicon()
    # Drop leading words that are not part of a name: calendar words and connectors anywhere,
    # ordinary words ("However", "The", "Currently") at the start of a clause. A known place
    # ("New York") and a title ("Mr Biden", split below) stay.
    while (
        run
        and not _starts_place(run)
        and (
            _ordinary(run[0].text, initial, lowercase_words, inner_capitals)
            or (initial and len(run) > 1 and _opening_participle(run[0].text, inner_capitals))
            or _leading_determiner(text, run)
            or run[0].text.lower() in lex.common_abbreviations  # "EDT Ellen DeGeneres"
        )
    ):
        run = run[1:]
        initial = False
    # Trailing particles and calendar words go: "Maurice Cheeks Saturday".
    while run and (
        run[-1].text.lower() in lex.name_particles
        or (len(run) > 1 and strip_possessive(run[-1].text).lower() in lex.weekdays)
    ):
        run = run[:-1]
    if not run:
        return []
    if _is_vessel(run):
        return _make_mentions(text, run, titled=False)  # "MS Estonia": "MS" is no title here
    # Split at titles: "Iraqi Prime Minister Mustafa al-Kadhimi" -> "Iraqi" + "Mustafa al-Kadhimi".
    title_at = [k for k, tok in enumerate(run) if _is_title(run, k)]
    if title_at:
        before, after = run[: title_at[0]], run[title_at[-1] + 1 :]
        while before and before[-1].text.lower() in lex.title_parts:
            before = before[:-1]
        if len(after) > 2 and after[0].text.lower() == "of":
            # "Secretary of Homeland Security Janet Napolitano": the office's domain goes.
            after = _drop_domain(after[2:], lowercase_words)
        else:
            # "Chief Executive Bob Dudley": the rest of the office goes.
            after = _drop_domain(after, lowercase_words)
        found = _split_run(text, before, titled, initial, lowercase_words, inner_capitals) if before else []
        if after and after[0].text.lower() not in lexicon().name_particles:
            found += _person_then_affiliation(text, after, True, lowercase_words)
        return found
    return _person_then_affiliation(text, run, titled, lowercase_words)


def _leading_determiner(text: str, run: list[Token]) -> bool:
    """ "The Obama administration" after a dateline: an article never opens a name (an initial
    "A." does: "A. J. Smith")."""
    return len(run) > 1 and run[0].text.lower() in _DETERMINERS and text[run[0].end : run[0].end + 1] != "."


def _drop_domain(run: list[Token], lowercase_words: set[str] | frozenset[str]) -> list[Token]:
    """The name after an office's domain ("[Homeland Security] Janet Napolitano"): leading words
    that name a field of government or are ordinary words in the story go, two words stay."""
    lex = lexicon()
    while len(run) > 2:
        lowered = run[0].text.lower()
        if not (
            lowered in lex.title_parts
            or lowered in lex.organization_words
            or lowered in lex.domain_words
            or lowered in lowercase_words
        ):
            break
        run = run[1:]
    return run


def _shouted_word(lowered: str) -> bool:
    """A word in capitals that is no acronym: "TV", "GMT", or an ordinary word in a shouted line
    ("UPDATE", "WATCH", "JUNE"); "WHO" and "US" stay acronyms."""
    lex = lexicon()
    return lowered in lex.common_abbreviations or (
        (lowered in lex.not_names or lowered in lex.stopwords) and lowered not in lex.word_acronyms
    )


def plural_demonym(lowered: str) -> bool:
    """ "greeks", "afghans": the people of a place (a group, typed other), not the place itself
    ("philippines" is a place)."""
    places = lexicon().places
    place = places.get(lowered[:-1]) if lowered.endswith("s") else None
    return place is not None and places.get(lowered) == place and place.lower() != lowered


def _is_title(run: Sequence[Token], k: int) -> bool:
    """Whether the run's k-th word is a title: a title word before a name ("President Biden"), or
    closing an office ("the Iraqi Prime Minister", "the US President"). A title word that ends a
    name is a surname ("Billy King", "John Constable")."""
    lex = lexicon()
    if strip_possessive(run[k].text).lower() not in lex.titles:
        return False
    if k + 1 < len(run) or k == 0:
        return True
    previous = strip_possessive(run[k - 1].text).lower()
    return (
        run[k].text.lower() in lex.abbreviations  # "Alaska Gov.", "Texas Sen."
        or previous in lex.title_parts
        or previous in lex.titles
        or previous in lex.places
    )


def _is_vessel(run: Sequence[Token]) -> bool:
    """ "USS Cole", "INS Sukanya": a ship's prefix in capitals, then its name."""
    return len(run) > 1 and run[0].text.isupper() and run[0].text.lower() in lexicon().vessel_prefixes


def _ordinary(
    word: str,
    initial: bool,
    lowercase_words: set[str] | frozenset[str],
    inner_capitals: frozenset[str] | None = None,
) -> bool:
    """Whether the first word of a run is an ordinary word, not part of the name after it."""
    lex = lexicon()
    lowered = word.lower()
    if _is_acronym(word):
        return False
    if lowered in lexicon().name_particles or lowered in lex.months or lowered in lex.weekdays:
        return True
    if not initial or lowered in lex.titles:
        return False
    if lowered in lex.not_names or lowered in lex.stopwords:
        return True
    if lowered in lowercase_words and lowered not in lex.places:
        return True
    # "Having Jackman host", "Choosing DeGeneres": a word the story writes capitalised only where
    # a sentence starts, and in lowercase in another form ("have"), is an ordinary word.
    return (
        inner_capitals is not None
        and strip_possessive(lowered) not in inner_capitals
        and lowered not in lex.places
        and (stem := term(word)) is not None
        and stem != lowered
        and stem in _lowercase_stems(frozenset(lowercase_words))
    )


def _opening_participle(word: str, inner_capitals: frozenset[str] | None) -> bool:
    """ "Choosing DeGeneres as host": a word ending in -ing that opens a clause before a name, and
    that the story never writes capitalised inside a clause, is a verb, not a first name."""
    lowered = word.lower()
    return (
        inner_capitals is not None
        and len(lowered) > 5
        and lowered.endswith("ing")
        and lowered not in inner_capitals
    )


@lru_cache(maxsize=4)
def _lowercase_stems(lowercase_words: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in (term(w) for w in lowercase_words) if t)


def _starts_place(run: list[Token]) -> bool:
    """Whether the run opens with a multi-word place name ("New York", "South Africa")."""
    places = lexicon().places
    return any(" ".join(t.text for t in run[:n]).lower() in places for n in (2, 3) if len(run) >= n)


def _make_mentions(text: str, run: list[Token], titled: bool) -> list[Mention]:
    lex = lexicon()
    words = [strip_possessive(tok.text) for tok in run]
    # A run of places ("US Iraqi") is several mentions, one per place.
    if (
        len(run) > 1
        and all(w.lower() in lex.places for w in words)
        and " ".join(words).lower() not in lex.places
    ):
        return [m for tok in run for m in _make_mentions(text, [tok], False)]
    start = run[0].start
    end = run[-1].start + len(strip_possessive(run[-1].text))
    surface = text[start:end]
    lowered = " ".join(words).lower()
    acronym = len(words) == 1 and _is_acronym(words[0])
    if (lowered in lex.not_names and not acronym) or (acronym and _shouted_word(lowered)):
        return []
    if (lowered in lex.places or lowered.replace(".", "") in lex.places) and not plural_demonym(lowered):
        kind = EntityType.PLACE
    elif _is_vessel(run) or (
        len(words) > 1
        and (
            words[0].lower() in lex.event_first_words
            or words[-1].lower() in lex.event_last_words
            or words[-1].lower() in lex.group_words
        )
    ):
        kind = EntityType.OTHER  # a ship, an event, a flight, a law or a group: not a person
    elif titled:
        kind = EntityType.PERSON
    elif (
        words[-1].lower() in lex.organization_words
        or (len(words) > 1 and " ".join(words[-2:]).lower() in lex.organization_words)
        or acronym
    ):
        kind = EntityType.ORGANIZATION
    elif _place_cue(text, start, end, words):
        kind = EntityType.PLACE
    elif 2 <= len(words) <= 4 and "of" not in lowered.split():
        kind = EntityType.PERSON
    else:
        kind = EntityType.OTHER
    return [Mention(surface, start, end, kind, titled)]


def _place_cue(text: str, start: int, end: int, words: list[str]) -> bool:
    """A place by its shape: "Nasr City", or after "in"/"near" ("in Balad"), not a possessive."""
    lex = lexicon()
    if len(words) > 1 and words[-1].lower() in lex.place_last_words:
        return True
    before = text[:start].split()
    possessive = text[end : end + 2] in ("'s", "’s")
    return bool(before) and before[-1].lower() in lex.place_prepositions and not possessive


def _with_declared_aliases(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mark acronyms declared in brackets after a name: "Islamic State (IS)"."""
    result = []
    for mention in mentions:
        declared = _DECLARED.match(text, mention.end)
        if declared and mention.type is not EntityType.PERSON:
            result.append(
                Mention(
                    mention.text,
                    mention.start,
                    mention.end,
                    EntityType.ORGANIZATION if mention.type is EntityType.OTHER else mention.type,
                    mention.titled,
                )
            )
        else:
            result.append(mention)
    return result


def declared_aliases(text: str, mentions: tuple[Mention, ...]) -> list[tuple[str, str]]:
    """(full name, acronym) pairs declared in brackets right after a name."""
    pairs: list[tuple[str, str]] = []
    for mention in mentions:
        declared = _DECLARED.match(text, mention.end)
        if declared:
            pairs.extend((mention.text, acr) for acr in declared.groups() if acr)
    return pairs


def _hedged(text: str, start: int) -> bool:
    before = text[max(0, start - 25) : start].lower().rstrip()
    return before.endswith((*_HEDGES, *_LOWER_BOUNDS, *_UPPER_BOUNDS))


def _bound(text: str, start: int) -> str:
    """'min' when the number is a floor ("at least 30"), 'max' when a ceiling ("up to 30")."""
    before = text[max(0, start - 25) : start].lower().rstrip()
    if before.endswith(_LOWER_BOUNDS):
        return "min"
    if before.endswith(_UPPER_BOUNDS):
        return "max"
    return ""


def find_quantities(
    text: str, toks: Sequence[Token], taken: list[tuple[int, int]], mentions: list[Mention]
) -> list[Quantity]:
    """Numbers with what they count: "2,500 US troops" -> 2500, unit "troop", modifier "us"."""
    found: list[Quantity] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for match in _NUMBER.finditer(text):
        if not free(match.start("num"), match.end("num")):
            continue
        start = match.start() + len(match.group()) - len(match.group().lstrip())  # "— 12": at the 1
        value = float(match.group("num").replace(",", ""))
        scale = match.group("scale") or match.group("cscale")
        if scale:
            value *= _SCALES[scale.lower()]
        if match.group("pct"):
            unit = "%"
        elif match.group("cur"):
            unit = match.group("cur")
        elif match.group("hyunit"):
            unit = term(match.group("hyunit")) or ""
        else:
            unit = ""
        modifier = ""
        if not unit:
            unit, modifier = _unit_after(text, match.end(), toks, mentions)
        found.append(
            Quantity(
                match.group().strip(),
                value,
                unit,
                _hedged(text, start),
                modifier,
                start,
                _bound(text, start),
            )
        )
    for match in _WORD_NUMBER.finditer(text):
        if not free(match.start(), match.end()):
            continue
        word = match.group("word").lower()
        unit, modifier = _unit_after(text, match.end(), toks, mentions)
        if not unit or (
            word in ("hundreds", "thousands", "dozens") and not text[match.end() :].lstrip().startswith("of")
        ):
            continue
        found.append(
            Quantity(
                match.group(),
                float(_WORD_NUMBERS[word]),
                unit,
                word.endswith("s") or _hedged(text, match.start()),
                modifier,
                match.start(),
                "min" if word.endswith("s") else _bound(text, match.start()),
            )
        )
    return sorted(found, key=lambda q: q.start)


def _unit_after(text: str, position: int, toks: Sequence[Token], mentions: list[Mention]) -> tuple[str, str]:
    """The counted noun after a number, skipping "of" and names ("2,500 US troops")."""
    lex = lexicon()
    modifier = ""
    first = bisect.bisect_left(toks, position, key=lambda tok: tok.start)
    following = toks[first : first + 4]
    for tok in following:
        if text[position : tok.start].strip(" -"):
            break
        lowered = strip_possessive(tok.text).lower()
        mention = next((m for m in mentions if m.start <= tok.start < m.end), None)
        if mention is not None or lowered in lex.places:
            place = lex.places.get(lowered) or lex.places.get(mention.text.lower() if mention else "", "")
            modifier = modifier or (place or (mention.text if mention else tok.text)).lower()
            position = tok.end
            continue
        if lowered == "of" or lowered in ("more", "additional", "other", "new", "extra"):
            position = tok.end
            continue
        stem = term(tok.text)
        return (stem or "", modifier) if tok.text.isalpha() else ("", modifier)
    return "", modifier


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Dates in a sentence, most specific first where patterns overlap, resolved where possible."""
    lex = lexicon()
    anchor = dt.date.fromisoformat(published) if published else None
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            if any(not (end <= a or start >= b) for a, b in taken):
                continue
            parts = match.groupdict()
            iso = _resolve(kind, parts, anchor, lex.months)
            if kind == "year" and _looks_like_count(text, end):
                continue
            context = tuple(t for t in (term(tok.text) for tok in _tokens_before(text, start, 4)) if t)
            found.append(DateMention(match.group(), kind, iso, context[-3:], start))
            taken.append((start, end))
    return sorted(found, key=lambda d: d.start)


def _looks_like_count(text: str, end: int) -> bool:
    following = text[end : end + 20].split()
    return bool(following) and term(following[0]) in {
        "troop",
        "person",
        "die",
        "kill",
        "peopl",
        "vote",
        "home",
        "job",
    }


def _resolve(
    kind: str, parts: dict[str, str | None], anchor: dt.date | None, months: dict[str, int]
) -> str | None:
    year = int(parts["y"] or 0) if parts.get("y") else (anchor.year if anchor else None)
    month = months.get((parts.get("mon") or "").lower().rstrip(".")[:3]) if parts.get("mon") else None
    if parts.get("mon") and month is None:
        month = months.get((parts.get("mon") or "").lower())
    if kind == "year":
        return f"{year:04d}" if year else None
    if kind == "month":
        return f"{year:04d}-{month:02d}" if year and month else None
    if kind == "day":
        if not (year and month and parts.get("d")):
            return None
        try:
            return dt.date(year, month, int(parts["d"] or 0)).isoformat()
        except ValueError:
            return None
    if anchor is None:
        return None
    if kind == "weekday":
        target = lexicon().weekdays[(parts["wd"] or "").lower()]
        back = (anchor.weekday() - target) % 7
        return (anchor - dt.timedelta(days=back)).isoformat()
    relative = (parts.get("rel") or "").lower()
    if relative in ("today", "yesterday", "tomorrow"):
        shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[relative]
        return (anchor + dt.timedelta(days=shift)).isoformat()
    which, unit = relative.split()
    step = {"last": -1, "previous": -1, "this": 0, "next": 1}[which]
    if unit == "year":
        return f"{anchor.year + step:04d}"
    if unit == "month":
        month_index = anchor.year * 12 + anchor.month - 1 + step
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    return (anchor + dt.timedelta(weeks=step)).isoformat()


# --- the per-source report ----------------------------------------------------------------------

_WEEKDAY_DAY_NUMBER = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*\(\d{1,2}\)", re.IGNORECASE
)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[\w”\"’)] [,.;:](?=\s|$)")
_MOSTLY_REMOVED = 0.5  # share of the file's words taken out as page furniture
_ENGLISH_FLOOR = 0.2  # share of English function words below which a text is not English
_MIN_WORDS = 30  # fewer words than this say too little about language


_SCRIPT_SAMPLE = 20_000  # letters read to tell a text's script: enough, and bounded
_MIN_LETTERS = 40  # fewer letters than this say too little about the script


def main_script(text: str) -> str | None:
    """The scripts most of `text`'s letters are written in ("CJK", "Arabic", "Hiragana and CJK":
    Unicode's names for them, each of at least a fifth of the letters) when Latin letters are
    fewer than half; None for a Latin text or one too short to tell. It tells texts written
    without spaces (Chinese, Japanese, Thai), where counting English function words cannot."""
    counts: dict[str, int] = {}
    letters = 0
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        script = name.split(" ")[0] if name else "UNKNOWN"
        counts[script] = counts.get(script, 0) + 1
        letters += 1
        if letters >= _SCRIPT_SAMPLE:
            break
    if letters < _MIN_LETTERS or counts.get("LATIN", 0) >= letters / 2:
        return None
    ranked = sorted(((c, name) for name, c in counts.items() if name != "LATIN"), reverse=True)
    shown = [name for c, name in ranked if c >= letters / 5] or [ranked[0][1]]
    return " and ".join(name if len(name) <= 3 else name.title() for name in shown)  # CJK, Arabic


def assess_source(source: Source) -> tuple[Problem, ...]:
    """What a reader of the source page should know about the extraction: mostly page
    furniture, not English, or signs of machine translation. Each is an INFO note (a report,
    never a build failure): the article is still used, and only an editor can say it is wrong."""
    notes: list[Problem] = []
    kept = [word for s in source.sentences for word in s.text.split()]
    removed = sum(len(line.text.split()) for line in source.removed)
    total = len(kept) + removed
    if total and removed / total > _MOSTLY_REMOVED and len(source.removed) >= 3:
        notes.append(
            Problem(
                source.path,
                f"mostly page furniture: {removed / total:.0%} of the words were removed"
                f" ({len(source.removed)} lines); check the Removed list",
                Severity.INFO,
            )
        )
    language = (source.meta.language or "").lower()
    stopwords = lexicon().stopwords
    english = (
        sum(word.lower().strip('.,;:!?"“”‘’()') in stopwords for word in kept) / len(kept) if kept else 1.0
    )
    text = " ".join(s.text for s in source.sentences)
    script = main_script(text)
    if language and not language.startswith("en"):
        notes.append(Problem(source.path, f"not English: its language is given as {language}", Severity.INFO))
    elif script is not None:
        notes.append(
            Problem(
                source.path,
                f"probably not English: most of its letters are in {script} script",
                Severity.INFO,
            )
        )
    elif len(kept) >= _MIN_WORDS and english < _ENGLISH_FLOOR:
        notes.append(
            Problem(
                source.path,
                f"probably not English: only {english:.0%} of its words are English function words",
                Severity.INFO,
            )
        )
    signals = [
        f"{len(found)} × {what}"
        for what, pattern in (
            ("a day number in brackets after a weekday (“Wednesday (7)”)", _WEEKDAY_DAY_NUMBER),
            ("a space before punctuation (“word ,”)", _SPACE_BEFORE_PUNCTUATION),
        )
        if (found := pattern.findall(text))
    ]
    if signals:
        notes.append(
            Problem(
                source.path,
                "possibly machine-translated: " + "; ".join(signals) + "; names may be mistranslated too",
                Severity.INFO,
            )
        )
    return tuple(notes)
