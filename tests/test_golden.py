"""Golden tests: the seed story's JSON and home page, compared whole.

After a deliberate change, run `make golden` and review `git diff tests/golden`.
"""

from __future__ import annotations

import pytest

from tests.regenerate_golden import GOLDEN, golden_outputs


@pytest.mark.parametrize("name", sorted(golden_outputs()))
def test_output_matches_golden(name: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    actual = golden_outputs()[name]
    assert actual == expected, f"{name} changed: run `make golden` and review the diff"
