"""Findings in both languages: ``message`` in English as before, ``message_zh`` beside it."""

from __future__ import annotations

import json
import re

from test_validate_support import figures, of, parsed, seed, store
from typer.testing import CliRunner

from goitui import labels
from goitui.archive.findings import check_archive
from goitui.cli import app
from goitui.i18n import set_language
from goitui.model import Finding
from goitui.validate.report import validate_report

CJK = re.compile(r"[\u4e00-\u9fff]")


def _broken_report():
    figs = dict(figures(labels.T2021, seed=7))
    figs["applications.carried_over.research"] = (figs["applications.carried_over.research"]
                                                  or 0) + 3
    return parsed(figs, labels.T2021, agency="白沙乡人民政府", year=2023)


def _all_findings() -> list[Finding]:
    found = []
    for n in range(5):
        report = seed(n)
        found += report.findings + validate_report(report, None)
    broken = _broken_report()
    return found + broken.findings + validate_report(broken, None)


def test_every_finding_has_a_chinese_message_and_an_unchanged_english_one() -> None:
    found = _all_findings()
    assert {f.rule for f in found} >= {"A-BALANCE", "S-TEMPLATE", "X-CARRY"}
    for finding in found:
        assert finding.message_zh, finding
        assert type(finding.message) is str and type(finding.message_zh) is str
        assert CJK.search(finding.message_zh), finding.message_zh
        assert "{" not in finding.message_zh and "{" not in finding.message


def test_an_identity_that_fails_reads_in_both_languages() -> None:
    balance = of(validate_report(_broken_report(), None), "A-BALANCE")[0]
    assert "科研机构 column" in balance.message and "off by 3" in balance.message
    assert "“科研机构”栏" in balance.message_zh and "相差 3" in balance.message_zh
    assert "二、上年结转" in balance.message_zh  # the template's own labels, as printed


def test_message_zh_is_archived_and_printed_beside_message(archive, tmp_path) -> None:
    report = _broken_report()
    store(archive, report, "白沙乡2023.txt")
    stored = [f for r in check_archive(archive).reports for f in r.findings]
    balance = next(f for f in stored if f.rule == "A-BALANCE")
    assert balance.message_zh and "相差 3" in balance.message_zh
    loaded = archive.load(report.id or 1)
    assert all(f.message_zh for f in loaded.findings)
    keys = list(loaded.findings[0].to_dict())
    assert keys.index("message_zh") == keys.index("message") + 1


def test_json_keeps_message_in_english_and_adds_message_zh(tmp_path) -> None:
    path = tmp_path / "白沙乡2023.txt"
    from goitui.testing import generate
    figs = dict(figures(labels.T2021, seed=7))
    figs["applications.carried_over.research"] = (figs["applications.carried_over.research"]
                                                  or 0) + 3
    path.write_text(generate.render(figs, labels.T2021, generate.TABS, agency="白沙乡人民政府",
                                    year=2023), encoding="utf-8")
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    assert runner.invoke(app, ["import", "--db", db, str(path)]).exit_code in (0, 1)
    for language in ("en", "zh"):
        set_language(language)
        shown = json.loads(runner.invoke(app, ["show", "--db", db, "白沙乡", "2023", "--format",
                                               "json"]).output)
        balance = next(f for f in shown["findings"] if f["rule"] == "A-BALANCE")
        assert "off by 3" in balance["message"] and "相差 3" in balance["message_zh"]
        validated = json.loads(runner.invoke(app, ["validate", "--db", db, "--format",
                                                   "json"]).output)
        finding = validated["reports"][0]["findings"][0]
        assert CJK.search(finding["message_zh"]) and "message" in finding


def test_template_names_follow_the_interface_language() -> None:
    """A report read as neither template alone is 混合 in Chinese; the years stay as printed."""
    from goitui.i18n import set_language
    from goitui.model import template_name

    try:
        set_language("zh")
        assert [template_name(t) for t in ("2019", "2021", "hybrid", "unknown")] == [
            "2019", "2021", "混合", "未知"]
        set_language("en")
        assert template_name("hybrid") == "hybrid"
    finally:
        set_language(None)
