"""Regenerate the golden files: `make golden` (or `python -m tests.regenerate_golden`).

Review `git diff tests/golden` before committing: every change in it is a change in what the
site says about the seed story.
"""

from __future__ import annotations

from pathlib import Path

from generator.export import dumps, story_json
from generator.pipeline import build_site
from generator.render import SiteRenderer

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
STORY = "us-iraq-combat-mission"


def golden_outputs() -> dict[str, str]:
    """{golden file name: expected content} for the seed story as it builds now."""
    site = build_site(ROOT / "content")
    failure = next((f for f in site.failures if f.path.name == STORY), None)
    if failure is not None:  # never write a golden file from a build that failed
        raise RuntimeError(f"{failure.describe()}\n{failure.traceback}")
    story = next(s for s in site.stories if s.info.id == STORY)
    pages, _ = SiteRenderer(ROOT / "site_templates").render([story])
    by_path = {page.path: page.content for page in pages}
    return {
        f"{STORY}.json": dumps(story_json(story)),
        f"{STORY}.index.md": by_path[f"{STORY}/index.md"],
    }


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for name, content in golden_outputs().items():
        (GOLDEN / name).write_text(content, encoding="utf-8")
        print(f"wrote tests/golden/{name}")


if __name__ == "__main__":
    main()
