"""The machine-readable export: a story as the JSON others build on (schema_version 1).

Field names in `story_json` are a contract: add fields freely, never rename or remove one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .records import Citation, Edit, Entity, Fact, Source, Story

SCHEMA_VERSION = 1


def _citations(citations: Sequence[Citation]) -> list[dict[str, str]]:
    return [{"source": c.source, "sentence": c.sentence} for c in citations]


def _edits(edits: Sequence[Edit]) -> list[dict[str, str | None]]:
    return [{"field": e.field, "from": e.before, "to": e.after} for e in edits]


def _editorial(record: Fact | Entity | Source) -> dict[str, Any]:
    """`overrides_applied` (and the editors' note) for a record an override changed; nothing for
    the others, so a story without overrides exports exactly as before."""
    if not record.edits:
        return {"note": record.note} if record.note else {}
    return {"overrides_applied": _edits(record.edits), "note": record.note}


def story_json(story: Story) -> dict[str, Any]:
    """The story as plain data, in a stable order."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "story": {
            "id": story.info.id,
            "title": story.title,
            "summary": story.info.summary,
            "dates": list(story.dates),
        },
        "sources": [
            {
                "id": s.id,
                "title": s.meta.title,
                "outlet": s.meta.outlet,
                "url": s.meta.url,
                "published": s.meta.published,
                "language": s.meta.language,
                "author": s.meta.author,
                "copy_of": s.copy_of,
                "sentences": [
                    {
                        "id": x.id,
                        "text": x.text,
                        "paragraph": x.paragraph,
                        **({"headline": True} if x.headline else {}),
                    }
                    for x in s.citable
                ],
                "removed": [r.text for r in s.removed],
                "removed_details": [{"line": r.line, "text": r.text, "reason": r.reason} for r in s.removed],
                "report": {
                    "words_kept": sum(len(x.text.split()) for x in s.sentences),
                    "words_removed": sum(len(r.text.split()) for r in s.removed),
                    "notes": [{"line": n.line, "message": n.message} for n in s.notes],
                },
                **_editorial(s),
            }
            for s in story.sources
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type.value,
                "aliases": list(e.aliases),
                "sources": list(e.sources),
                "mentions": e.mentions,
                "spellings": {source: list(names) for source, names in e.spellings},
                **({"role": e.role} if e.role else {}),
                **_editorial(e),
            }
            for e in story.entities
        ],
        "facts": [
            {
                "id": f.id,
                "text": f.text,
                "status": f.status.value,
                "support": f.support,
                "citations": _citations(f.citations),
                "conflicts_with": list(f.conflicts_with),
                **({"added_by_editors": True} if f.added else {}),
                **({"outside_citations": list(f.outside)} if f.outside else {}),
                **({"original_text": f.original_text} if f.original_text else {}),
                **_editorial(f),
            }
            for f in story.facts
        ],
        "conflicts": [
            {
                "id": c.id,
                "kind": c.kind,
                "topic": c.topic,
                "summary": c.summary,
                "facts": list(c.facts),
                "sides": [
                    {"value": side.value, "fact": side.fact, "citations": _citations(side.citations)}
                    for side in c.sides
                ],
                **({"resolution": c.resolution, "right": c.right, "note": c.note} if c.resolution else {}),
            }
            for c in story.conflicts
        ],
        "consensus": [
            {
                "text": c.text,
                "citations": _citations(c.citations),
                "fact": c.fact,
                "support": c.support,
                "single_source": c.single_source,
                **({"outside_citations": list(c.outside)} if c.outside else {}),
            }
            for c in story.consensus
        ],
        "key_figures": [
            {"value": k.value, "label": k.label, "support": k.support, "citations": _citations(k.citations)}
            for k in story.key_figures
        ],
    }
    if story.corrections:
        data["corrections"] = [
            {
                "kind": c.kind,
                "target": c.target,
                "label": c.label,
                "changes": _edits(c.edits),
                "note": c.note,
                "override": c.where,
            }
            for c in story.corrections
        ]
    return data


def index_json(stories: Sequence[Story]) -> dict[str, Any]:
    """`api/index.json`: the stories of the site and where each one's JSON lives."""
    return {
        "schema_version": SCHEMA_VERSION,
        "stories": [{"id": s.info.id, "title": s.title, "data": f"{s.info.id}.json"} for s in stories],
    }


def dumps(data: Any) -> str:
    """Deterministic, readable JSON: the same data always gives the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
