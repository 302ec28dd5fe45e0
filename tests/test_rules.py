"""The rule catalogue: complete against spec/rules.md, every rule implemented somewhere."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from goitui.cli import app
from goitui.errors import UnknownRule
from goitui.render.display import width
from goitui.validate import rules

SPEC = Path("/work/shared/spec/rules.md")
SOURCES = Path(__file__).resolve().parents[1] / "goitui"


@pytest.mark.skipif(not SPEC.exists(), reason="spec not present")
def test_catalogue_matches_the_spec() -> None:
    ids = set(re.findall(r"^\| ([SAXTC]-[A-Z-]+) \|", SPEC.read_text(encoding="utf-8"), re.M))
    assert ids == set(rules.BY_ID)


def test_every_rule_is_emitted_by_some_check() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in SOURCES.rglob("*.py")
                   if p.name != "rules.py")
    assert [r.id for r in rules.RULES if f'"{r.id}"' not in code] == []


def test_select() -> None:
    assert [r.id for r in rules.select(["a-bal"])] == ["A-BALANCE"]
    assert {r.group for r in rules.select(["X"])} == {"X"} and len(rules.select(["X"])) == 5
    with pytest.raises(UnknownRule):
        rules.select(["Q"])


def test_goi_rules() -> None:
    res = CliRunner().invoke(app, ["rules"])
    assert res.exit_code == 0
    assert all(f"  {r.id}" in res.stdout for r in rules.RULES)
    assert all(width(line) <= 80 for line in res.stdout.splitlines())
    data = json.loads(CliRunner().invoke(app, ["rules", "C", "--format", "json"]).stdout)
    assert [d["id"] for d in data] == ["C-INJECTED", "C-TEMPLATE-TEXT", "C-EMPTY"]
    assert data[0]["severities"] == ["error"] and data[0]["why"]
    assert CliRunner().invoke(app, ["rules", "nope"]).exit_code == 2
