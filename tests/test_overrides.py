"""Editors' overrides (`overrides.yaml`), end to end on a copy of the seed story.

Each kind of override is applied and its effect checked in the Story records, the JSON export
and the rendered pages (and, for a few, in a real `mkdocs build`); every validation message is
checked with its file, line and column; the CLI and MkDocs stop or pass as documented; a story
without overrides builds exactly as before; overrides survive a new article; the schema is the
one shipped; and nothing an editor writes reaches the HTML as markup.

Fact and conflict ids are always read from a build of the seed without overrides (`baseline`),
never written down, except the ids of the seed's own shipped `overrides.yaml`.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.cli import main
from generator.export import dumps, story_json
from generator.facts import fact_id_for, fact_ids
from generator.ingest import find_stories
from generator.overrides import NO_OVERRIDES, OVERRIDES_FILE
from generator.pipeline import build, build_folder, site_overrides
from generator.records import Fact, Problem, Source, Story
from generator.render import SiteRenderer, html_escape, md_escape
from tests.conftest import ROOT, SEED_STORY, assert_inert, make_project, mkdocs_build, parse_html

STORY = SEED_STORY.name
SHIPPED = (SEED_STORY / OVERRIDES_FILE).read_text(encoding="utf-8")
OWN_FILE = f"stories/{STORY}/{OVERRIDES_FILE}"  # problems name it relative to the content folder
# The seed's source ids (its article file names): S1 has no outlet, S2 is rt.com (from its footer),
# S3 spells "Jane Sackie" and "Mustafa al-Kazmi", S4 spells "Mustafa al-Kadhimi".
S1, S2, S3, S4 = (
    "000-4a880f4701c9c3dd",
    "001-b8e82f10cd3f249e",
    "002-07c260de697e1ec0",
    "003-27a6ac5fe9030e41",
)
S3_FILE = "002_07c260de697e1ec0.txt"
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1))"


# --- helpers ------------------------------------------------------------------------------------


@dataclass
class Built:
    """One build of a story folder: the records, its problems, the JSON and the rendered pages."""

    content: Path
    story: Story
    problems: list[Problem]
    data: dict[str, Any]
    pages: dict[str, str]

    def page(self, name: str) -> str:
        return self.pages[f"{STORY}/{name}"]

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.story.facts if f.id == fact_id), None)

    def json_fact(self, fact_id: str) -> dict[str, Any] | None:
        return next((f for f in self.data["facts"] if f["id"] == fact_id), None)

    def source(self, source_id: str) -> Source:
        return next(s for s in self.story.sources if s.id == source_id)

    def entity_named(self, name: str) -> Any:
        return next(e for e in self.story.entities if e.name == name)

    @property
    def consensus(self) -> list[str]:
        return [c.fact for c in self.story.consensus]

    @property
    def messages(self) -> list[str]:
        """Each problem as `file:line:column: severity: message`, file relative to content/."""
        return [p.describe().replace(f"{self.content}/", "") for p in self.problems]


def new_content(root: Path, overrides: str | None, site: str | None = None) -> Path:
    """A copy of the project's content in `root` with the given story overrides (None: no file)
    and site-wide overrides; returns the content folder."""
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    write_overrides(content, overrides, site)
    return content


def write_overrides(content: Path, overrides: str | None, site: str | None = None) -> None:
    for path, text in (
        (content / "stories" / STORY / OVERRIDES_FILE, overrides),
        (content / OVERRIDES_FILE, site),
    ):
        path.unlink(missing_ok=True)
        if text is not None:
            path.write_text(text, encoding="utf-8")


def rebuild(content: Path) -> Built:
    """What the plugin does for the one story: site-wide overrides, then the story's own."""
    folders, problems = find_stories(content)
    site, site_problems = site_overrides(content)
    story = build_folder(folders[0], site=site)
    pages, _ = SiteRenderer(ROOT / "site_templates").render([story])
    return Built(
        content,
        story,
        [*problems, *site_problems, *story.problems],
        story_json(story),
        {p.path: p.content for p in pages},
    )


def build_with(root: Path, overrides: str | None, site: str | None = None) -> Built:
    return rebuild(new_content(root, overrides, site))


def md(text: str) -> str:
    """How a text appears in the generated Markdown."""
    return str(md_escape(text))


def h(text: str) -> str:
    """How a text appears in the HTML that a generated page sets apart from Markdown (fact lists)."""
    return str(html_escape(text))


def block(mapping: dict[str, Any]) -> str:
    """YAML for an overrides file, from data (so ids and texts need no quoting by hand)."""
    return yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True, width=1000)


def clean_facts(built: Built, among: list[str]) -> list[str]:
    """Ids from `among` of facts in no conflict, in order."""
    return [f for f in among if not built.fact(f).conflicts_with]  # type: ignore[union-attr]


def fact_containing(built: Built, words: str) -> Fact:
    return next(f for f in built.story.facts if words in f.text)


def editor_keys(data: Any, found: set[str] | None = None) -> set[str]:
    """The keys, anywhere in the JSON, that only overrides add."""
    found = set() if found is None else found
    only_with_overrides = {
        "corrections",
        "overrides_applied",
        "note",
        "role",
        "added_by_editors",
        "outside_citations",
        "original_text",
        "resolution",
        "right",
    }
    if isinstance(data, dict):
        found |= only_with_overrides & set(data)
        for value in data.values():
            editor_keys(value, found)
    elif isinstance(data, list):
        for value in data:
            editor_keys(value, found)
    return found


html = parse_html


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The seed story without any overrides file: where every id in these tests comes from."""
    built = build_with(tmp_path_factory.mktemp("baseline"), None)
    assert built.problems == []
    return built


@pytest.fixture(scope="module")
def conflict(baseline: Built) -> Any:
    """The seed's one conflict ("2,500 Iraqi forces" against "2,500 US troops")."""
    assert len(baseline.story.conflicts) == 1
    return baseline.story.conflicts[0]


# --- the shipped file ---------------------------------------------------------------------------


def test_the_shipped_seed_overrides_apply_cleanly(tmp_path: Path) -> None:
    built = build_with(tmp_path, SHIPPED)
    assert built.problems == []
    assert built.entity_named("Jen Psaki").role == "White House press secretary"
    assert built.entity_named("Fuad Hussein").role == "Iraqi foreign minister"
    resolved = built.story.conflicts[0]
    assert (resolved.id, resolved.resolution, resolved.right) == ("c-c7c2492b", "resolved", "f-cb7a677c")
    reworded = built.fact("f-34e7fa6c")
    assert reworded is not None and reworded.text == "There are currently about 2,500 US troops in Iraq."
    assert reworded.status.value == "confirmed"
    assert {c["kind"] for c in built.data["corrections"]} == {"entity", "fact", "conflict"}
    assert f"{STORY}/corrections.md" in built.pages


# --- entities -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def entities_case(tmp_path_factory: pytest.TempPathFactory, baseline: Built) -> Built:
    psaki_fact = fact_containing(baseline, "Jane Sackie").id
    overrides = block(
        {
            "entities": [
                {
                    "name": "Jen Psaki",
                    "aliases": ["Jane Sackie"],
                    "role": "White House press secretary",
                    "note": "Mistranslated name.",
                },
                {"name": "Fuad Hussein", "aliases": ["Fawad Hussein"]},
                {"name": "Shia militias", "aliases": ["Shia", "Shiite"], "type": "organization"},
                {"split": ["Mustafa al-Kadhimi", "Mustafa al-Kazmi"]},
            ],
            "facts": {psaki_fact: {"consensus": "pin"}},  # so the consensus shows the name too
        }
    )
    return build_with(tmp_path_factory.mktemp("entities"), overrides)


def test_a_canonical_name_renames_the_entity_and_fact_texts_but_not_the_articles(
    baseline: Built, entities_case: Built
) -> None:
    built = entities_case
    assert built.problems == []
    before = fact_containing(baseline, "Jane Sackie")
    psaki = built.entity_named("Jen Psaki")
    assert "Jane Sackie" in psaki.aliases
    assert not any(e.name == "Jane Sackie" for e in built.story.entities)
    entity_json = next(e for e in built.data["entities"] if e["name"] == "Jen Psaki")
    assert {"field": "name", "from": "Jane Sackie", "to": "Jen Psaki"} in entity_json["overrides_applied"]
    assert entity_json["role"] == "White House press secretary"
    # The fact sheet and the consensus use the canonical name ...
    after = built.fact(before.id)
    assert after is not None and "Jen Psaki" in after.text and "Jane Sackie" not in after.text
    assert after.text == before.text.replace("Jane Sackie", "Jen Psaki")
    assert h(after.text) in built.page("facts.md")
    pinned = next(c for c in built.story.consensus if c.fact == before.id)
    assert "Jen Psaki" in pinned.text
    assert "Jen Psaki" in built.page("index.md")
    # ... while the source keeps the outlet's words (its facts list shows the corrected fact).
    source_page = built.page(f"sources/{S3}.md")
    article = source_page[source_page.index('<div class="cb-article">') : source_page.index("</div>")]
    assert "Jane Sackie" in article and "Jen Psaki" not in article
    assert h(after.text) in source_page
    sentences = next(s for s in built.data["sources"] if s["id"] == S3)["sentences"]
    assert any("Jane Sackie" in s["text"] for s in sentences)
    # A canonical name can also be a spelling the matcher had merged under another one.
    assert "Fuad Hussein" in baseline.entity_named("Fawad Hussein").aliases
    assert any("Fuad Hussein" in f.text for f in built.story.facts)
    assert not any("Fawad Hussein" in f.text for f in built.story.facts)


def test_aliases_merge_two_entities_and_type_moves_it(baseline: Built, entities_case: Built) -> None:
    shia, shiite = baseline.entity_named("Shia"), baseline.entity_named("Shiite")
    assert shia.id != shiite.id and shia.type.value == "other"  # two entities before
    merged = entities_case.entity_named("Shia militias")
    assert merged.type.value == "organization"
    assert {"Shia", "Shiite"} <= set(merged.aliases)
    assert set(merged.sources) == set(shia.sources) | set(shiite.sources)
    assert not any(e.name in ("Shia", "Shiite") for e in entities_case.story.entities)
    changes = next(e for e in entities_case.data["entities"] if e["name"] == "Shia militias")[
        "overrides_applied"
    ]
    assert {"field": "type", "from": "other", "to": "organization"} in changes
    assert {"field": "merged spellings", "from": None, "to": "Shiite"} in changes
    # The entities page lists it with the organisations, marked edited.
    page = entities_case.page("entities.md")
    organisations = page[page.index("## Organisations") : page.index("## Places")]
    assert f'**{md("Shia militias")}** <span class="cb-edited">edited</span>' in organisations


def test_a_role_is_shown_on_the_entities_page(entities_case: Built) -> None:
    page = entities_case.page("entities.md")
    assert f'**Jen Psaki**<br>{md("White House press secretary")} <span class="cb-edited">' in page
    corrections = entities_case.page("corrections.md")
    assert "## Names" in corrections and "Mistranslated name" in corrections


def test_split_keeps_apart_two_spellings_the_matcher_merges(baseline: Built, entities_case: Built) -> None:
    together = baseline.entity_named("Mustafa al-Kadhimi")
    assert "Mustafa al-Kazmi" in together.aliases  # one entity without the override
    kadhimi = entities_case.entity_named("Mustafa al-Kadhimi")
    kazmi = entities_case.entity_named("Mustafa al-Kazmi")
    assert kadhimi.id != kazmi.id
    assert kadhimi.sources == (S4,) and kazmi.sources == (S3,)
    assert ("kept apart from", "Mustafa al-Kazmi") in [(e.field, e.after) for e in kadhimi.edits]
    # S3's fact no longer takes S4's spelling of the name.
    signed = fact_containing(baseline, "formally signed an agreement")
    assert "Mustafa al-Kadhimi" in signed.text
    split_text = entities_case.fact(signed.id).text  # type: ignore[union-attr]
    assert "Mustafa al-Kazmi" in split_text and "Kadhimi" not in split_text
    page = entities_case.page("entities.md")
    assert f"**{md('Mustafa al-Kadhimi')}**" in page and f"**{md('Mustafa al-Kazmi')}**" in page


def test_site_wide_entities_apply_to_the_story(tmp_path: Path) -> None:
    site = block(
        {
            "entities": [
                {"name": "Jen Psaki", "aliases": ["Jane Sackie"], "role": "Press secretary"},
                {"name": "Kamala Harris"},  # in no story here: site-wide rules need not match
            ]
        }
    )
    built = build_with(tmp_path, None, site)
    assert built.problems == []
    assert built.entity_named("Jen Psaki").role == "Press secretary"
    assert any("Jen Psaki" in f.text for f in built.story.facts)
    correction = next(c for c in built.data["corrections"] if c["kind"] == "entity")
    assert correction["override"] == "content/overrides.yaml:2"


# --- facts --------------------------------------------------------------------------------------


@dataclass
class FactsCase:
    built: Built
    hidden: str
    false: str
    disputed: str
    reworded: str
    consensus_worded: str
    dropped: str
    pinned: str
    confirmed: str
    by_later_sentence: str


NEW_WORDING = "Iraq declared victory, the editors checked."
CONSENSUS_WORDING = "A short consensus wording."


@pytest.fixture(scope="module")
def facts_case(tmp_path_factory: pytest.TempPathFactory, baseline: Built) -> FactsCase:
    in_consensus = clean_facts(baseline, baseline.consensus)
    elsewhere = clean_facts(baseline, [f.id for f in baseline.story.facts if f.id not in baseline.consensus])
    assert len(in_consensus) >= 6 and len(elsewhere) >= 2
    hidden, false, disputed, reworded, consensus_worded, dropped = in_consensus[:6]
    pinned, confirmed = elsewhere[:2]
    chosen = {hidden, false, disputed, reworded, consensus_worded, dropped, pinned, confirmed}
    several = next(f for f in baseline.story.facts if len(f.citations) >= 2 and f.id not in chosen)
    later_id = fact_id_for(several.citations[-1])
    assert later_id != several.id
    overrides = block(
        {
            "facts": {
                hidden: {"status": "hidden", "note": "Not part of this story."},
                false: {"status": "false"},
                disputed: {"status": "disputed"},
                # pinned as well, so that the consensus surely shows the editors' words
                reworded: {"text": NEW_WORDING, "consensus": "pin"},
                consensus_worded: {"consensus_text": CONSENSUS_WORDING, "consensus": "pin"},
                dropped: {"consensus": "drop"},
                pinned: {"consensus": "pin"},
                confirmed: {"status": "confirmed", "note": "Checked with the ministry."},
                later_id: {"status": "confirmed", "note": "Found by its last sentence."},
            }
        }
    )
    built = build_with(tmp_path_factory.mktemp("facts"), overrides)
    return FactsCase(
        built, hidden, false, disputed, reworded, consensus_worded, dropped, pinned, confirmed, several.id
    )


def test_fact_overrides_raise_no_problem(facts_case: FactsCase) -> None:
    assert facts_case.built.problems == []


def test_a_hidden_fact_disappears_everywhere_but_the_corrections(
    baseline: Built, facts_case: FactsCase
) -> None:
    built, hidden = facts_case.built, facts_case.hidden
    text = baseline.fact(hidden).text  # type: ignore[union-attr]
    assert hidden in baseline.consensus
    assert built.fact(hidden) is None and built.json_fact(hidden) is None
    assert hidden not in built.consensus
    assert all(c["fact"] != hidden for c in built.data["consensus"])
    assert f'id="{hidden}"' not in built.page("facts.md") and h(text) not in built.page("facts.md")
    assert md(text) not in built.page("index.md")
    for source in built.story.sources:
        assert f"#{hidden})" not in built.page(f"sources/{source.id}.md")
    # Listed as hidden on the Corrections page and in the JSON, without its text.
    correction = next(c for c in built.data["corrections"] if c["target"] == hidden)
    assert correction["label"] == "(hidden)"
    assert [change["to"] for change in correction["changes"]] == ["hidden"]
    assert text not in dumps(built.data["corrections"])
    corrections = built.page("corrections.md")
    assert md(hidden) in corrections and md(text) not in corrections
    assert "Not part of this story" in corrections


def test_false_and_disputed_facts_leave_the_consensus(baseline: Built, facts_case: FactsCase) -> None:
    built = facts_case.built
    for fact_id, status in ((facts_case.false, "false"), (facts_case.disputed, "disputed")):
        assert fact_id in baseline.consensus and fact_id not in built.consensus
        assert built.fact(fact_id).status.value == status  # type: ignore[union-attr]
        applied = built.json_fact(fact_id)["overrides_applied"]  # type: ignore[index]
        was = baseline.fact(fact_id).status.value  # type: ignore[union-attr]
        assert {"field": "status", "from": was, "to": status} in applied
    page = built.page("facts.md")
    shown_false = page[page.index("## Shown false by the editors (1)") :]
    assert f'id="{facts_case.false}"' in shown_false
    disputed = page[page.index("## Disputed") : page.index("## Corroborated")]
    assert f'id="{facts_case.disputed}"' in disputed


def test_a_confirmed_fact_is_listed_first_with_the_editors_note(facts_case: FactsCase) -> None:
    built, fact_id = facts_case.built, facts_case.confirmed
    page = built.page("facts.md")
    confirmed = page[page.index("## Confirmed by the editors") : page.index("## Disputed")]
    assert f'id="{fact_id}"' in confirmed
    entry = confirmed[confirmed.index(f'id="{fact_id}"') :]
    assert '<span class="cb-edited">edited</span>' in entry.split("\n\n")[0]
    assert f"Editors' note: {h('Checked with the ministry.')}" in entry.split("\n\n")[0]
    assert built.json_fact(fact_id)["note"] == "Checked with the ministry."  # type: ignore[index]


def test_replacement_text_is_shown_with_the_sources_wording(baseline: Built, facts_case: FactsCase) -> None:
    built, fact_id = facts_case.built, facts_case.reworded
    old = baseline.fact(fact_id).text  # type: ignore[union-attr]
    fact = built.fact(fact_id)
    assert fact is not None and fact.text == NEW_WORDING and fact.original_text == old
    data = built.json_fact(fact_id)
    assert data is not None and data["text"] == NEW_WORDING and data["original_text"] == old
    assert {"field": "text", "from": old, "to": NEW_WORDING} in data["overrides_applied"]
    page = built.page("facts.md")
    assert f"<strong>{h(NEW_WORDING)}</strong>" in page
    assert f"The sources' wording: “{h(old)}”" in page
    assert next(c.text for c in built.story.consensus if c.fact == fact_id) == NEW_WORDING


def test_consensus_text_changes_only_the_consensus(baseline: Built, facts_case: FactsCase) -> None:
    built, fact_id = facts_case.built, facts_case.consensus_worded
    assert next(c.text for c in built.story.consensus if c.fact == fact_id) == CONSENSUS_WORDING
    assert md(CONSENSUS_WORDING) in built.page("index.md")
    assert built.fact(fact_id).text == baseline.fact(fact_id).text  # type: ignore[union-attr]
    assert CONSENSUS_WORDING not in built.page("facts.md")


def test_pin_and_drop_steer_the_consensus(baseline: Built, facts_case: FactsCase) -> None:
    built = facts_case.built
    assert facts_case.pinned not in baseline.consensus and facts_case.pinned in built.consensus
    assert facts_case.dropped in baseline.consensus and facts_case.dropped not in built.consensus
    assert built.fact(facts_case.dropped) is not None  # still on the fact sheet
    changes = {
        fact_id: built.json_fact(fact_id)["overrides_applied"]  # type: ignore[index]
        for fact_id in (facts_case.pinned, facts_case.dropped)
    }
    assert changes[facts_case.pinned] == [{"field": "consensus", "from": None, "to": "pinned"}]
    assert changes[facts_case.dropped] == [{"field": "consensus", "from": None, "to": "dropped"}]


def test_an_override_keyed_by_a_later_sentence_of_a_fact_applies(facts_case: FactsCase) -> None:
    built, fact_id = facts_case.built, facts_case.by_later_sentence
    fact = built.fact(fact_id)  # the fact keeps the id of its first sentence
    assert (
        fact is not None and fact.status.value == "confirmed" and fact.note == "Found by its last sentence."
    )
    correction = next(c for c in built.data["corrections"] if c["note"] == "Found by its last sentence.")
    assert correction["target"] == fact_id  # reported under the id readers see


def test_order_puts_a_fact_at_its_place_in_the_consensus(tmp_path: Path, baseline: Built) -> None:
    last = baseline.consensus[-1]
    assert baseline.consensus.index(last) > 0
    built = build_with(tmp_path, block({"facts": {last: {"order": 1}}}))
    assert built.problems == []
    assert built.consensus[0] == last
    assert sorted(built.consensus) == sorted(baseline.consensus)
    assert built.data["consensus"][0]["fact"] == last


def test_two_ordered_facts_both_take_their_places(tmp_path: Path, baseline: Built) -> None:
    first, last = baseline.consensus[0], baseline.consensus[-1]
    built = build_with(tmp_path, block({"facts": {last: {"order": 2}, first: {"order": 3}}}))
    assert built.problems == []
    assert built.consensus[1] == last and built.consensus[2] == first


def undisputed(fact: Fact) -> str:
    """The status a disputed fact has once nothing disputes it."""
    return "corroborated" if fact.support >= 2 else "single source"


def test_hiding_one_side_of_a_conflict_leaves_the_other_undisputed(
    tmp_path: Path, baseline: Built, conflict: Any
) -> None:
    hidden, other = conflict.facts
    built = build_with(tmp_path, block({"facts": {hidden: {"status": "hidden"}}}))
    assert built.story.conflicts == ()
    fact_ids = {f["id"] for f in built.data["facts"]}
    for fact in built.data["facts"]:
        assert set(fact["conflicts_with"]) <= fact_ids
    assert built.fact(other).status.value == undisputed(baseline.fact(other))  # type: ignore[arg-type]
    assert f'href="#{hidden}"' not in built.page("facts.md")


def test_a_hidden_fact_with_new_wording_still_keeps_its_text_out_of_the_corrections(
    tmp_path: Path, baseline: Built
) -> None:
    fact_id = clean_facts(baseline, baseline.consensus)[0]
    text = baseline.fact(fact_id).text  # type: ignore[union-attr]
    built = build_with(tmp_path, block({"facts": {fact_id: {"status": "hidden", "text": "Reworded."}}}))
    assert built.fact(fact_id) is None
    assert text not in dumps(built.data["corrections"])
    assert md(text) not in built.page("corrections.md")


# --- facts added by the editors -----------------------------------------------------------------


OUTSIDE = "https://www.whitehouse.gov/briefing-room/statements-releases/2021/07/26/joint-statement/"


@pytest.fixture(scope="module")
def new_facts_case(tmp_path_factory: pytest.TempPathFactory, baseline: Built) -> Built:
    s3_sentence = baseline.source(S3).sentences[0].id
    overrides = block(
        {
            "new_facts": [
                {
                    "text": "The agreement was signed on 26 July 2021.",
                    "cites": [f"{S3}#{s3_sentence}", OUTSIDE],
                    "consensus": "pin",
                    "note": "From the joint statement.",
                },
                {"text": "Only an outside page says this.", "cites": ["https://example.org/report"]},
            ]
        }
    )
    return build_with(tmp_path_factory.mktemp("new-facts"), overrides)


def test_added_facts_are_on_the_fact_sheet_marked_and_linked(baseline: Built, new_facts_case: Built) -> None:
    built = new_facts_case
    assert built.problems == []
    signed = fact_containing(built, "signed on 26 July 2021")
    assert signed.added and signed.outside == (OUTSIDE,)
    assert [(c.source, c.sentence) for c in signed.citations] == [(S3, baseline.source(S3).sentences[0].id)]
    page = built.page("facts.md")
    entry = page[page.index(f'id="{signed.id}"') :].split("\n\n")[0]
    assert '<span class="cb-edited">added by the editors</span>' in entry
    assert f'<a class="cb-outside" href="{OUTSIDE}" rel="nofollow noopener">www.whitehouse.gov</a>' in entry
    assert f'href="sources/{S3}.md#{signed.citations[0].sentence}"' in entry
    data = built.json_fact(signed.id)
    assert data is not None and data["added_by_editors"] is True and data["outside_citations"] == [OUTSIDE]
    kinds = [c["kind"] for c in built.data["corrections"]]
    assert kinds.count("added fact") == 2


def test_an_added_fact_can_cite_a_headline(tmp_path: Path, baseline: Built) -> None:
    headline = baseline.source(S3).headline
    assert headline is not None
    overrides = block(
        {"new_facts": [{"text": "The mission ends in December.", "cites": [f"{S3}#{headline.id}"]}]}
    )
    built = build_with(tmp_path, overrides)
    assert built.problems == []  # no orphaned citation
    added = fact_containing(built, "The mission ends in December.")
    assert [(c.source, c.sentence) for c in added.citations] == [(S3, headline.id)]
    assert f'<a href="sources/{S3}.md#{headline.id}">S3.H</a>' in built.page("facts.md")


def test_a_pinned_added_fact_enters_the_consensus_with_its_outside_citation(new_facts_case: Built) -> None:
    built = new_facts_case
    signed = fact_containing(built, "signed on 26 July 2021")
    entry = next(c for c in built.data["consensus"] if c["fact"] == signed.id)
    assert entry["text"] == signed.text and entry["outside_citations"] == [OUTSIDE]
    assert f'href="{OUTSIDE}" rel="nofollow noopener"' in built.page("index.md")
    # An added fact enters the consensus only when pinned.
    unpinned = fact_containing(built, "Only an outside page")
    assert unpinned.id not in built.consensus and unpinned.citations == ()


# --- conflicts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["first sentence", "last sentence"])
def test_resolving_a_conflict_confirms_one_fact_and_shows_the_other_false(
    tmp_path: Path, baseline: Built, conflict: Any, key: str
) -> None:
    wrong, right = conflict.facts  # ("2,500 Iraqi forces", "2,500 US troops")
    assert "US troops" in next(s.value for s in conflict.sides if s.fact == right)
    right_fact = baseline.fact(right)
    named = right if key == "first sentence" else fact_id_for(right_fact.citations[-1])  # type: ignore[union-attr]
    built = build_with(tmp_path, block({"conflicts": {conflict.id: {"resolve": named, "note": "Checked."}}}))
    assert built.problems == []
    assert built.fact(right).status.value == "confirmed"  # type: ignore[union-attr]
    assert built.fact(wrong).status.value == "false"  # type: ignore[union-attr]
    data = built.data["conflicts"][0]
    assert (data["resolution"], data["right"], data["note"]) == ("resolved", right, "Checked.")
    page = built.page("conflicts.md")
    assert "<strong>Resolved by the editors:</strong> 2,500 US troops is right. Checked." in page
    assert wrong not in built.consensus


def test_dismissing_a_conflict_leaves_neither_fact_disputed(
    tmp_path: Path, baseline: Built, conflict: Any
) -> None:
    built = build_with(tmp_path, block({"conflicts": {conflict.id: {"dismiss": True, "note": "Both true."}}}))
    assert built.problems == []
    for fact_id in conflict.facts:
        assert built.fact(fact_id).status.value == undisputed(baseline.fact(fact_id))  # type: ignore[union-attr, arg-type]
    assert built.data["conflicts"][0]["resolution"] == "dismissed"
    page = built.page("conflicts.md")
    assert "<strong>Dismissed by the editors:</strong> not a real disagreement. Both true." in page
    assert "Disputed (0)" in built.page("facts.md")


# --- sources and boilerplate --------------------------------------------------------------------


SOURCE_META = {
    "title": "The US will withdraw its combat troops",
    "outlet": "Example News",
    "url": "https://example.com/news/1",
    "published": "2021-04-08",
    "language": "en",
    "author": "Jane Doe",
}
SOURCE_NOTE = "From the outlet's page."
S1_LINE = "The announcement comes at a time when US forces receive rocket attacks almost daily"
S2_LINE = "Hussein and Blinken agreed to"


@pytest.fixture(scope="module")
def sources_case(tmp_path_factory: pytest.TempPathFactory) -> Built:
    overrides = block(
        {
            "sources": {
                S1: {**SOURCE_META, "note": SOURCE_NOTE, "boilerplate": [f"^{S1_LINE}"]},
                S4: {"copy_of": S3},
            },
            "boilerplate": [{"pattern": f"^{S2_LINE}", "outlet": "RT.com", "reason": "quoted statement"}],
        }
    )
    return build_with(tmp_path_factory.mktemp("sources"), overrides)


def test_source_metadata_corrections_show_on_the_page_and_in_the_json(
    baseline: Built, sources_case: Built
) -> None:
    built = sources_case
    assert built.problems == []
    data = next(s for s in built.data["sources"] if s["id"] == S1)
    before = next(s for s in baseline.data["sources"] if s["id"] == S1)
    for field, value in SOURCE_META.items():
        assert data[field] == value
        assert {"field": field, "from": before[field], "to": value} in data["overrides_applied"]
    assert data["note"] == SOURCE_NOTE
    page = built.page(f"sources/{S1}.md")
    assert f'title: "{SOURCE_META["title"]}"' in page
    heading = next(line for line in page.splitlines() if line.startswith("# "))
    assert heading.endswith(f" {md(SOURCE_META['title'])}</span>")  # the corrected title is the headline
    assert "| Outlet | Example News |" in page and "| Author | Jane Doe |" in page
    assert "| Published | 8 April 2021 |" in page
    assert '<a href="https://example.com/news/1" rel="nofollow noopener">' in page
    corrected = "| Corrected | title, outlet, url, published, language, author, by the editors:"
    assert f"{corrected} {md(SOURCE_NOTE)} |" in page
    assert "[Example News](sources/" in built.page("index.md")


def test_copy_of_counts_a_source_once_with_its_original(baseline: Built, sources_case: Built) -> None:
    built = sources_case
    assert built.source(S4).copy_of == S3
    shared = [
        f for f in baseline.story.facts if {c.source for c in f.citations} == {S3, S4} and f.support == 2
    ]
    assert shared
    for fact in shared:  # found by any sentence it cites: counting a copy once may regroup it
        [now] = [f for f in built.story.facts if fact.id in fact_ids(f)]
        assert now.support == 1
    data = next(s for s in built.data["sources"] if s["id"] == S4)
    assert data["copy_of"] == S3
    assert data["overrides_applied"] == [{"field": "copy_of", "from": None, "to": S3}]
    assert "counted as one independent source with it" in built.page(f"sources/{S4}.md")


def test_copy_of_false_makes_a_detected_copy_independent(tmp_path: Path) -> None:
    content = new_content(tmp_path, None)
    folder = content / "stories" / STORY
    shutil.copy(folder / S3_FILE, folder / "004_reprint.txt")  # the same article again
    detected = rebuild(content)
    assert detected.source("004-reprint").copy_of == S3
    only_s3 = fact_containing(detected, "formally signed an agreement")
    assert only_s3.support == 1
    write_overrides(content, block({"sources": {"004-reprint": {"copy_of": False, "note": "Not a copy."}}}))
    ruled = rebuild(content)
    assert ruled.problems == []
    assert ruled.source("004-reprint").copy_of is None
    assert ruled.fact(only_s3.id).support == 2  # type: ignore[union-attr]
    data = next(s for s in ruled.data["sources"] if s["id"] == "004-reprint")
    assert data["overrides_applied"] == [{"field": "copy_of", "from": S3, "to": None}]
    assert data["note"] == "Not a copy."


def test_boilerplate_patterns_strip_lines_for_a_source_and_an_outlet(
    baseline: Built, sources_case: Built
) -> None:
    built = sources_case
    for source_id, line, reason in (
        (S1, S1_LINE, "editor: editor's pattern"),
        (S2, S2_LINE, "editor: quoted statement"),
    ):
        assert any(s.text.startswith(line) for s in baseline.source(source_id).sentences)
        assert not any(s.text.startswith(line) for s in built.source(source_id).sentences)
        removed = [r for r in built.source(source_id).removed if r.text.startswith(line)]
        assert [r.reason for r in removed] == [reason]
        page = built.page(f"sources/{source_id}.md")
        assert f"<td>{removed[0].line}</td>\n<td>{h(reason)}</td>\n<td>{h(line)}" in page
        json_source = next(s for s in built.data["sources"] if s["id"] == source_id)
        assert not any(s["text"].startswith(line) for s in json_source["sentences"])
    # other sources keep their lines: the outlet pattern applies to rt.com only
    assert all(not r.reason.startswith("editor") for r in built.source(S3).removed)
    lines = {
        c["target"]: c["changes"][0]["to"] for c in built.data["corrections"] if c["kind"] == "boilerplate"
    }
    assert lines == {f"^{S1_LINE}": f"1 from {S1}", f"^{S2_LINE}": f"1 from {S2}"}


# --- validation: every message with its file, line and column -----------------------------------


# {name: (file text, 'line:column: severity', words the message must contain...)}. `{fact}`,
# `{near}`, `{other}`, `{conflict}`, `{near_conflict}` and `{was}` come from the baseline build: a
# fact of the conflict, that id with its last digit changed, a fact outside the conflict, the
# conflict's id (and changed), and a short fact's text. Source ids are the seed's file names.
PROBLEMS: dict[str, tuple[str, ...]] = {
    "yaml syntax": (
        "facts:\n  {fact}:\n    note: a: b\n",
        "3:12: error",
        "YAML syntax error: mapping values are not allowed here",
        "hint: check indentation",
    ),
    "duplicate top-level key": (
        "facts:\n  {fact}: {{note: a}}\nfacts:\n  {fact}: {{note: b}}\n",
        "3:1: error",
        "duplicate key 'facts'",
        "hint: merge the two entries into one",
    ),
    "duplicate nested key": (
        f"sources:\n  {S2}:\n    outlet: RT\n    note: x\n    outlet: RT2\n",
        "5:5: error",
        f"duplicate key 'outlet' in 'sources.{S2}'",
    ),
    "duplicate key in a list item": (
        "entities:\n  - name: Jen Psaki\n    role: a\n    role: b\n",
        "4:5: error",
        "duplicate key 'role' in 'entities[1]'",
    ),
    "unknown key": (
        "entities:\n  - name: Jen Psaki\n    alias: [Jane Sackie]\n",
        "3:5: error",
        "unknown key 'alias' in 'entities[1]'",
        "(did you mean 'aliases'?)",
        "allowed here: aliases, name",
    ),
    "unknown top-level key": (
        "fact:\n  {fact}: {{note: a}}\n",
        "1:1: error",
        "unknown key 'fact'",
        "(did you mean 'facts'?)",
    ),
    "wrong type": (
        "entities:\n  - name: Jen Psaki\n    aliases: Jane Sackie\n",
        "3:14: error",
        "'entities[1].aliases' must be a list; found text 'Jane Sackie'",
    ),
    "wrong type of number": (
        "facts:\n  {fact}:\n    order: first\n",
        "3:12: error",
        "'facts.{fact}.order' must be a whole number; found text 'first'",
    ),
    "bad status": (
        "facts:\n  {fact}:\n    status: confirmd\n",
        "3:13: error",
        "must be one of confirmed, disputed, false, hidden; found text 'confirmd'",
        "(did you mean 'confirmed'?)",
    ),
    "bad entity type": (
        "entities:\n  - name: Jen Psaki\n    type: persn\n",
        "3:11: error",
        "'entities[1].type' must be one of person, organization, place, other",
        "(did you mean 'person'?)",
    ),
    "bad fact id": (
        "facts:\n  F-34E7FA6C:\n    note: x\n",
        "2:3: error",
        "'F-34E7FA6C' is not a fact id in 'facts'",
        "fact ids look like f-1a2b3c4d",
    ),
    "bad conflict id": (
        "conflicts:\n  c-123:\n    dismiss: true\n",
        "2:3: error",
        "'c-123' is not a conflict id in 'conflicts'",
    ),
    "bad regular expression": (
        "boilerplate:\n  - pattern: 'Read (more'\n",
        "2:14: error",
        "'boilerplate[1].pattern' is not a valid regular expression: missing ), unterminated subpattern",
    ),
    "bad regular expression for a source": (
        f"sources:\n  {S2}:\n    boilerplate: ['[unclosed']\n",
        "3:19: error",
        f"'sources.{S2}.boilerplate[1]' is not a valid regular expression",
    ),
    "impossible date": (
        f"sources:\n  {S2}:\n    published: '2021-02-30'\n",
        "3:16: error",
        f"'published' of source '{S2}' is not a real date: 2021-02-30",
    ),
    "impossible unquoted date": (
        f"sources:\n  {S2}:\n    published: 2021-02-30\n",
        "3:16: error",
        f"bad value in 'sources.{S2}.published': day is out of range for month",
    ),
    "date in words": (
        f"sources:\n  {S2}:\n    published: 7 April 2021\n",
        "3:16: error",
        "must be a date as YYYY-MM-DD; found text '7 April 2021'",
    ),
    "unknown source id": (
        f"sources:\n  {S2[:-1]}:\n    outlet: RT\n",
        "2:3: error",
        f"source '{S2[:-1]}' is not a source of this story (did you mean '{S2}'?)",
    ),
    "unknown copy_of": (
        f"sources:\n  {S4}:\n    copy_of: {S3[:-1]}\n",
        "2:3: error",
        f"copy_of '{S3[:-1]}' is not a source of this story (did you mean '{S3}'?)",
    ),
    "unknown cited source": (
        f"new_facts:\n  - text: A fact.\n    cites: ['{S3[:-1]}#s-0123abcd']\n",
        "2:5: error",
        f"cited source '{S3[:-1]}' is not a source of this story (did you mean '{S3}'?)",
    ),
    "unknown fact id": (
        "facts:\n  {near}:\n    note: x\n",
        "2:3: error",
        "no fact {near} in this story (did you mean {fact} “",
    ),
    "orphaned fact": (
        "facts:\n  f-00000000:\n    was: {was}\n    status: confirmed\n",
        "2:3: warning",
        "orphaned override: fact f-00000000 no longer exists",
        "it matched “{was}”",
    ),
    "conflict without a ruling": (
        "conflicts:\n  {conflict}:\n    note: x\n",
        "3:5: error",
        "'conflicts.{conflict}' needs exactly one of 'resolve: <fact id>' or 'dismiss: true'",
    ),
    "conflict with both rulings": (
        "conflicts:\n  {conflict}:\n    dismiss: true\n    resolve: {fact}\n",
        "3:5: error",
        "needs exactly one of 'resolve: <fact id>' or 'dismiss: true'",
    ),
    "resolve naming another fact": (
        "conflicts:\n  {conflict}:\n    resolve: {other}\n",
        "2:3: error",
        "'resolve: {other}' is not one of the facts of {conflict}: {fact} (",
    ),
    "unknown conflict id": (
        "conflicts:\n  {near_conflict}:\n    dismiss: true\n",
        "2:3: error",
        "no conflict {near_conflict} in this story (did you mean {conflict} “Sources differ on",
    ),
    "entity matching nothing": (
        "entities:\n  - name: Kamala Harris\n    aliases: [Harris]\n",
        "2:5: warning",
        "no name in this story is spelled Kamala Harris or Harris",
    ),
    "boilerplate matching nothing": (
        "boilerplate:\n  - pattern: ^Subscribe to our podcast\n",
        "2:5: warning",
        "boilerplate pattern '^Subscribe to our podcast' matches no line of this story",
    ),
    "source boilerplate matching nothing": (
        f"sources:\n  {S2}:\n    boilerplate: ['^Nothing like this']\n",
        "3:19: warning",
        "boilerplate pattern '^Nothing like this' matches no line of this story",
    ),
    "dismiss: false": (
        "conflicts:\n  {conflict}:\n    dismiss: false\n",
        "3:14: error",
        "'conflicts.{conflict}.dismiss' must be true",
    ),
    "citation that is neither a sentence nor an address": (
        f"new_facts:\n  - text: A fact.\n    cites: ['{S3}']\n",
        "3:13: error",
        "'new_facts[1].cites[1]' must be <source-id>#<sentence-id>",
        "or an http(s) address",
    ),
    "javascript address": (
        f"sources:\n  {S2}:\n    url: javascript:alert(1)\n",
        "3:10: error",
        "must be an http(s) address; found text 'javascript:alert(1)'",
    ),
    "copy of itself": (
        f"sources:\n  {S2}:\n    copy_of: {S2}\n",
        "2:3: error",
        f"source '{S2}' cannot be a copy of itself",
    ),
    "not a mapping": (
        "- facts\n- entities\n",
        "1:1: error",
        "the file must be a mapping of keys to values; found a list",
    ),
    "python tag": (
        "facts:\n  {fact}:\n    note: !!python/object:os.system x\n",
        "3:11: error",
        "bad value in 'facts.{fact}.note': could not determine a constructor",
    ),
}


@pytest.fixture(scope="module")
def ids(baseline: Built, conflict: Any) -> dict[str, str]:
    fact = conflict.facts[0]
    other = next(f.id for f in baseline.story.facts if f.id not in conflict.facts)
    short = next(f.text for f in baseline.story.facts if len(f.text.split()) <= 14)  # quoted whole
    flip = {"0": "1", "1": "0"}

    def near(value: str) -> str:
        return value[:-1] + flip.get(value[-1], "0")

    return {
        "fact": fact,
        "near": near(fact),
        "other": other,
        "conflict": conflict.id,
        "near_conflict": near(conflict.id),
        "was": short,
    }


@pytest.mark.parametrize("case", PROBLEMS)
def test_each_problem_names_file_line_and_column(tmp_path: Path, ids: dict[str, str], case: str) -> None:
    text, where, *words = PROBLEMS[case]
    built = build_with(tmp_path, text.format(**ids))
    [message] = built.messages  # one mistake, one message
    assert message.startswith(f"{OWN_FILE}:{where}: "), message
    for word in words:
        assert word.format(**ids) in message


def test_the_orphan_quotes_its_wording_and_the_closest_fact_now(tmp_path: Path, baseline: Built) -> None:
    """The realistic case: the sources reword a fact the editors had corrected."""
    fact = next(f for f in baseline.story.facts if len(f.citations) == 2 and not f.conflicts_with)
    content = new_content(tmp_path, block({"facts": {fact.id: {"was": fact.text, "status": "confirmed"}}}))
    reword_sentences(content, baseline, fact)
    built = rebuild(content)
    [message] = built.messages
    assert message.startswith(f"{OWN_FILE}:2:3: warning: orphaned override: fact {fact.id} no longer exists")
    assert (
        f"it matched “{fact.text}”" in message
        or f"it matched “{' '.join(fact.text.split()[:14])}…”" in message
    )
    assert "(closest fact now: f-" in message
    orphan = next(c for c in built.data["corrections"] if c["kind"] == "orphaned")
    assert orphan["target"] == fact.id and orphan["label"] == fact.text
    page = built.page("corrections.md")
    assert "## Corrections that no longer match" in page and md(fact.text) in page


def reword_sentences(content: Path, baseline: Built, fact: Fact) -> None:
    """Change the wording of each sentence of `fact` in the articles, as a corrected article would."""
    folder = content / "stories" / STORY
    for citation in fact.citations:
        source = baseline.source(citation.source)
        sentence = next(s for s in source.sentences if s.id == citation.sentence)
        text = source.path.read_text(encoding="utf-8")
        assert sentence.text in text
        reworded = sentence.text[:-1] + ", the outlet reported later."
        (folder / source.path.name).write_text(text.replace(sentence.text, reworded), encoding="utf-8")


@pytest.mark.parametrize(
    ("site", "line", "column", "words"),
    [
        ("facts:\n  f-34e7fa6c: {note: a}\n", 1, 1, "'facts' belongs in a story's overrides.yaml"),
        (
            f"boilerplate:\n  - pattern: ^Read more\n    source: {S2}\n",
            3,
            5,
            "a source id belongs in a story's overrides.yaml (use 'outlet' here)",
        ),
    ],
    ids=["facts", "source"],
)
def test_site_wide_file_takes_only_entities_and_boilerplate(
    tmp_path: Path, site: str, line: int, column: int, words: str
) -> None:
    built = build_with(tmp_path, None, site)
    assert built.messages == [f"overrides.yaml:{line}:{column}: error: {words}"]


def test_a_file_with_any_error_is_not_applied_at_all(tmp_path: Path) -> None:
    text = "entities:\n  - name: Jen Psaki\n    aliases: [Jane Sackie]\n    rol: Press secretary\n"
    built = build_with(tmp_path, text)
    assert [m.split(": error: ")[0] for m in built.messages] == [f"{OWN_FILE}:4:5"]
    assert not any(e.name == "Jen Psaki" for e in built.story.entities)
    assert built.story.corrections == ()


def test_a_split_matching_nothing_is_a_warning(tmp_path: Path) -> None:
    built = build_with(tmp_path, "entities:\n  - split: [Kamala Harris, Kamala Haris]\n")
    assert len(built.messages) == 1
    assert built.messages[0].startswith(f"{OWN_FILE}:2:5: warning: ")


def test_a_site_wide_pattern_for_another_outlet_raises_no_warning(tmp_path: Path) -> None:
    site = "boilerplate:\n  - pattern: ^Subscribe now\n    outlet: Another Outlet\n"
    built = build_with(tmp_path, None, site)
    assert built.messages == []


# --- MkDocs and the command line ----------------------------------------------------------------


def test_mkdocs_build_stops_with_the_message(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    write_overrides(project / "content", "entities:\n  - name: Jen Psaki\n    alias: [Jane Sackie]\n")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert f"{OWN_FILE}:3:5: error: unknown key 'alias' in 'entities[1]' (did you mean 'aliases'?)" in (
        result.stderr
    )
    assert "Aborted with a BuildError" in result.stdout + result.stderr
    assert not (project / "site" / STORY).exists()


def test_check_prints_every_problem_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = "facts:\n  f-34e7fa6c:\n    stauts: confirmed\n    consensus: pinned\nfacts:\n  f-34e7fa6c: {}\n"
    content = new_content(tmp_path, story, site="facts:\n  f-34e7fa6c: {note: x}\n")
    assert main(["check", str(content)]) == 1
    out = capsys.readouterr().out
    own, site = content / OWN_FILE, content / OVERRIDES_FILE
    for expected in (
        f"{site}:1:1: error: 'facts' belongs in a story's overrides.yaml",
        f"{own}:3:5: error: unknown key 'stauts' in 'facts.f-34e7fa6c' (did you mean 'status'?)",
        f"{own}:4:16: error: 'facts.f-34e7fa6c.consensus' must be one of pin, drop; found text 'pinned'",
        f"{own}:5:1: error: duplicate key 'facts'",
    ):
        assert expected in out
    assert re.search(r"\n1 stories, 4 articles: 4 errors, 0 warnings, \d+ notes$", out.rstrip())


def test_check_reports_unknown_source_and_fact_ids_together(
    tmp_path: Path, ids: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    story = f"sources:\n  {S2[:-1]}:\n    outlet: RT\nfacts:\n  {ids['near']}:\n    note: x\n"
    content = new_content(tmp_path, story)
    assert main(["check", str(content)]) == 1
    out = capsys.readouterr().out
    assert f"{content / OWN_FILE}:2:3: error: source '{S2[:-1]}'" in out
    assert f"{content / OWN_FILE}:5:3: error: no fact {ids['near']}" in out


@pytest.fixture(scope="module")
def orphan_project(tmp_path_factory: pytest.TempPathFactory, baseline: Built) -> Path:
    """A project whose story has an orphaned override (its fact's sentences were reworded)."""
    project = make_project(tmp_path_factory.mktemp("orphan"))
    fact = next(f for f in baseline.story.facts if len(f.citations) == 2 and not f.conflicts_with)
    write_overrides(project / "content", block({"facts": {fact.id: {"was": fact.text, "note": "Old."}}}))
    reword_sentences(project / "content", baseline, fact)
    return project


def test_check_passes_an_orphan_and_check_strict_fails_it(
    orphan_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = orphan_project / "content"
    assert main(["check", str(content)]) == 0
    out = capsys.readouterr().out
    assert f"{content / OWN_FILE}:2:3: warning: orphaned override" in out
    assert "0 errors, 1 warnings" in out
    assert main(["check", str(content), "--strict"]) == 1


def test_mkdocs_build_strict_fails_on_an_orphan(orphan_project: Path) -> None:
    lenient = mkdocs_build(orphan_project, "-d", "lenient")
    assert lenient.returncode == 0, lenient.stderr
    assert "warning: orphaned override" in lenient.stderr
    corrections = html(orphan_project / "lenient" / STORY / "corrections" / "index.html")
    assert "Corrections that no longer match" in corrections.visible
    strict = mkdocs_build(orphan_project, "--strict", "-d", "strict")
    assert strict.returncode != 0
    assert "warning: orphaned override" in strict.stderr


def test_export_applies_an_overrides_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = new_content(tmp_path, None)
    folder = content / "stories" / STORY
    assert main(["export", str(folder)]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert "corrections" not in plain
    other = tmp_path / "elsewhere" / "mine.yaml"
    other.parent.mkdir()
    other.write_text(SHIPPED, encoding="utf-8")
    assert main(["export", str(folder), "--overrides", str(other)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(e["name"] == "Jen Psaki" for e in data["entities"])
    assert {c["override"].split(":")[0] for c in data["corrections"]} == {"elsewhere/mine.yaml"}
    other.write_text("entities:\n  - name: Jen Psaki\n    alias: [Jane Sackie]\n", encoding="utf-8")
    assert main(["export", str(folder), "--overrides", str(other)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{other}:3:5: error: unknown key 'alias'" in captured.err


# --- without overrides, nothing changes ---------------------------------------------------------


def test_build_folder_without_a_file_equals_build_without_overrides(baseline: Built) -> None:
    folders, _ = find_stories(baseline.content)
    folder = folders[0]
    direct = build(folder.info, folder.article_paths, overrides=NO_OVERRIDES)
    pages, _ = SiteRenderer(ROOT / "site_templates").render([direct])
    assert {p.path: p.content for p in pages} == baseline.pages
    assert dumps(story_json(direct)) == dumps(baseline.data)


def test_without_overrides_the_json_has_no_editors_fields(baseline: Built) -> None:
    assert editor_keys(baseline.data) == set()
    assert baseline.story.corrections == ()
    assert f"{STORY}/corrections.md" not in baseline.pages
    assert not any("cb-edited" in text for path, text in baseline.pages.items() if path.endswith(".md"))


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "# only a comment\n# and another\n", "---\n", "# c\nfacts: {}\nentities: []\n"],
    ids=["empty", "blank lines", "comments", "document marker", "empty sections"],
)
def test_an_empty_overrides_file_changes_nothing(tmp_path: Path, baseline: Built, text: str) -> None:
    built = build_with(tmp_path, text)
    assert built.problems == []
    assert built.pages == baseline.pages  # every page and the JSON, byte for byte


@pytest.mark.parametrize("kind", ["source", "fact"])
def test_an_override_that_changes_nothing_adds_no_correction(
    tmp_path: Path, baseline: Built, conflict: Any, kind: str
) -> None:
    if kind == "source":
        assert baseline.source(S2).meta.outlet == "rt.com"
        text = block({"sources": {S2: {"outlet": "rt.com"}}})
    else:
        text = block({"facts": {conflict.facts[0]: {"status": "disputed"}}})  # it is already
    built = build_with(tmp_path, text)
    assert built.problems == []
    assert "corrections" not in built.data
    assert built.pages == baseline.pages


# --- rebuilds: an override keeps applying when a new article joins ------------------------------


def test_overrides_survive_a_new_article_that_renames_their_facts(tmp_path: Path) -> None:
    content = new_content(tmp_path, SHIPPED)
    folder = content / "stories" / STORY
    shutil.copy(folder / S3_FILE, folder / "0000_reprint.txt")  # sorts first: a new first sentence
    built = rebuild(content)
    assert built.problems == []
    assert built.story.sources[0].id == "0000-reprint"
    reworded = fact_containing(built, "about 2,500 US troops in Iraq")
    assert reworded.id != "f-34e7fa6c"  # its display id changed ...
    assert reworded.original_text == "There are currently about 2,500 troops in Iraq."  # ... the text applies
    assert reworded.status.value == "confirmed"
    [resolved] = built.story.conflicts
    assert resolved.id != "c-c7c2492b" and resolved.resolution == "resolved"
    right = built.fact(resolved.right)  # type: ignore[arg-type]
    assert right is not None and "f-cb7a677c" in [fact_id_for(c) for c in right.citations]
    assert {c["kind"] for c in built.data["corrections"]} == {"entity", "fact", "conflict"}
    assert "orphaned" not in dumps(built.data)


# --- the schema ---------------------------------------------------------------------------------


def test_schema_command_prints_the_shipped_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    shipped = json.loads((ROOT / "generator" / "data" / "overrides.schema.json").read_text(encoding="utf-8"))
    committed = (ROOT / "content" / "overrides.schema.json").read_text(encoding="utf-8")
    assert schema == shipped == json.loads(committed)
    assert printed == committed  # `corroborate schema -o content/overrides.schema.json` wrote it
    assert main(["schema", "-o", str(tmp_path / "s.json")]) == 0
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == printed


def test_the_seed_overrides_validate_against_the_schema() -> None:
    schema = json.loads((ROOT / "content" / "overrides.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(yaml.safe_load(SHIPPED), schema, cls=jsonschema.Draft202012Validator)
    # and the file's editor hint points at the committed copy
    hint = re.search(r"\$schema=(\S+)", SHIPPED)
    assert (
        hint is not None
        and (SEED_STORY / hint.group(1)).resolve() == ROOT / "content" / "overrides.schema.json"
    )
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"facts": {"f-34e7fa6c": {"stauts": "x"}}}, schema)


# --- a real site with every kind of override ----------------------------------------------------


@pytest.fixture(scope="module")
def corrected_site(tmp_path_factory: pytest.TempPathFactory, baseline: Built, conflict: Any) -> Path:
    """`mkdocs build --strict` of the seed with overrides of each kind; returns the site folder."""
    project = make_project(tmp_path_factory.mktemp("corrected"))
    hidden, reworded = clean_facts(baseline, baseline.consensus)[:2]
    overrides = yaml.safe_load(SHIPPED)  # entities, the conflict and the reworded fact
    overrides["entities"].append({"split": ["Mustafa al-Kadhimi", "Mustafa al-Kazmi"]})
    overrides["facts"].update({hidden: {"status": "hidden"}, reworded: {"text": NEW_WORDING}})
    overrides["new_facts"] = [{"text": "Added by hand.", "cites": [OUTSIDE], "consensus": "pin"}]
    overrides["sources"] = {S1: {**SOURCE_META, "boilerplate": [f"^{S1_LINE}"]}}
    write_overrides(project / "content", block(overrides))
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_the_built_site_shows_every_kind_of_correction(corrected_site: Path) -> None:
    story = corrected_site / STORY
    facts = html(story / "facts" / "index.html")
    assert "Confirmed by the editors (2)" in facts.visible  # both facts of the resolved conflict
    assert "The sources' wording: “There are currently about 2,500 troops in Iraq.”" in facts.visible
    assert NEW_WORDING in facts.visible and "added by the editors" in facts.visible
    outside = [a for tag, a in facts.tags if tag == "a" and a.get("href") == OUTSIDE]
    assert outside and all(a.get("rel") == "nofollow noopener" for a in outside)
    assert (
        "Resolved by the editors: 2,500 US troops is right."
        in html(story / "conflicts" / "index.html").visible
    )
    entities = html(story / "entities" / "index.html").visible
    assert "Jen Psaki White House press secretary edited" in entities
    assert "Mustafa al-Kazmi" in entities and "Mustafa al-Kadhimi" in entities
    source = html(story / "sources" / S1 / "index.html").visible
    assert "Example News" in source and "editor: editor's pattern" in source
    corrections = html(story / "corrections" / "index.html").visible
    for heading in ("Facts", "Facts added by the editors", "Disagreements", "Names", "Sources"):
        assert heading in corrections
    home = html(story / "index.html").visible
    assert "Added by hand." in home and "editorial changes" in home
    data = json.loads((corrected_site / "api" / f"{STORY}.json").read_text(encoding="utf-8"))
    assert {c["kind"] for c in data["corrections"]} >= {"entity", "fact", "added fact", "conflict", "source"}


# --- escaping -----------------------------------------------------------------------------------


def test_editors_text_never_becomes_markup(tmp_path: Path, baseline: Built, conflict: Any) -> None:
    first, second = clean_facts(baseline, baseline.consensus)[:2]
    overrides = {
        "entities": [{"name": HOSTILE, "aliases": ["Jane Sackie"], "role": HOSTILE, "note": HOSTILE}],
        "facts": {
            first: {"text": HOSTILE, "note": HOSTILE},
            second: {"consensus_text": HOSTILE, "note": HOSTILE},
            fact_containing(baseline, "Jane Sackie").id: {"consensus": "pin"},
        },
        "new_facts": [
            {
                "text": HOSTILE,
                "cites": ["https://example.com/?q=<script>alert(1)</script>"],
                "consensus": "pin",
                "note": HOSTILE,
            }
        ],
        "conflicts": {conflict.id: {"dismiss": True, "note": HOSTILE}},
        "sources": {
            S1: {
                "title": HOSTILE,
                "outlet": HOSTILE,
                "author": HOSTILE,
                "note": HOSTILE,
                "url": "https://example.com/x?q=[x](javascript:alert(1))",
            }
        },
        "boilerplate": [{"pattern": f"^{S1_LINE}", "reason": HOSTILE, "note": HOSTILE}],
    }
    project = make_project(tmp_path)
    write_overrides(project / "content", block(overrides))
    result = mkdocs_build(project, "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    pages = sorted((site / STORY).rglob("index.html"))
    assert len(pages) >= 9
    for path in pages:
        page = html(path)
        assert_inert(path, page)
    shown = {
        name: html(site / STORY / name / "index.html").visible
        for name in ("facts", "entities", "conflicts", "corrections", f"sources/{S1}", "")
    }
    for name, visible in shown.items():
        assert HOSTILE in visible, f"{name or 'home'} does not show the editor's text as text"


# A last sanity check on the helpers: the JSON walker finds what overrides add.
def test_editor_keys_sees_nested_fields() -> None:
    assert editor_keys({"a": [{"b": {"overrides_applied": []}}], "corrections": []}) == {
        "overrides_applied",
        "corrections",
    }


def test_export_of_a_story_folder_applies_the_site_wide_file_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = new_content(tmp_path, None)
    write_overrides(content, None, site="entities:\n  - name: Jen Psaki\n    aliases: [Jane Sackie]\n")
    assert main(["export", str(content / "stories" / STORY)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any(e["name"] == "Jen Psaki" for e in data["entities"])


def test_a_copy_of_circle_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """An editor's copy_of that points back at a detected copy's original makes a circle."""
    content = new_content(tmp_path, None)
    folder = content / "stories" / STORY
    original = sorted(folder.glob("*.txt"))[0]
    shutil.copy(original, folder / "zzz_reprint.txt")  # detected: a copy of the original
    write_overrides(content, f"sources:\n  {original.stem.replace('_', '-')}:\n    copy_of: zzz-reprint\n")
    built = rebuild(content)
    assert any("copy_of makes a circle" in p.message for p in built.problems)
