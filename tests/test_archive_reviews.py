"""Reviews: kept by fingerprint, survive re-import and re-validation, counted apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_validate_support import seed, store
from typer.testing import CliRunner

from goitui.archive.findings import DISMISSED, Filter, ReviewError, check_report, review
from goitui.archive.store import Archive, NotFound
from goitui.cli import app
from goitui.pipeline import recheck

NOTE = "已核实，原网页被篡改"


@pytest.fixture
def arch(tmp_path: Path):
    with Archive(tmp_path / "a.db") as a:
        store(a, seed(1), "001.txt")
        yield a


def test_dismiss_changes_the_status_and_keeps_the_note(arch: Archive) -> None:
    assert check_report(arch, "紫溪镇", 2019).reports[0].status == "fail"
    report, found = review(arch, "紫溪镇", 2019, "C-INJECTED", DISMISSED, NOTE)
    assert [(f.rule, f.review, f.note) for f in found] == [("C-INJECTED", DISMISSED, NOTE)]
    assert report.status == "pass"
    res = check_report(arch, "紫溪镇", 2019)
    r = res.reports[0]
    assert r.status == "pass" and res.exit_code == 0
    assert [f.rule for f in r.reviewed] == ["C-INJECTED"]
    assert "C-INJECTED" not in {f.rule for f in r.findings}
    counted = check_report(arch, "紫溪镇", 2019, flt=Filter(include_reviewed=True))
    assert counted.reports[0].status == "fail" and counted.exit_code == 1


def test_review_survives_reimport_and_revalidation(arch: Archive) -> None:
    review(arch, "紫溪镇", 2019, "c-injected", "acknowledged", "known")
    again = seed(1)
    again.text += "\n"  # other bytes, same findings: a second version
    store(arch, again, "001-again.txt")
    recheck(arch, agency="紫溪镇")
    res = check_report(arch, "紫溪镇", 2019)
    r = res.reports[0]
    assert r.version == 2 and r.status == "pass"
    assert [(f.rule, f.review, f.note) for f in r.reviewed] == [
        ("C-INJECTED", "acknowledged", "known")]


def test_clear(arch: Archive) -> None:
    review(arch, "紫溪镇", 2019, "C-INJECTED", DISMISSED, NOTE)
    report, found = review(arch, "紫溪镇", 2019, "C-INJECTED", None)
    assert found[0].review is None and report.status == "fail"


def test_by_fingerprint_and_errors(arch: Archive) -> None:
    fp = next(f.fingerprint for f in arch.find_report("紫溪镇", 2019).findings
              if f.rule == "S-TEMPLATE")
    _, found = review(arch, "紫溪镇", 2019, fp[:8], "acknowledged")
    assert [f.rule for f in found] == ["S-TEMPLATE"]
    with pytest.raises(NotFound):
        review(arch, "紫溪镇", 2019, "A-BALANCE", DISMISSED)
    with pytest.raises(ReviewError):
        review(arch, "紫溪镇", 2019, "zz", DISMISSED)


def test_several_findings_of_one_rule_need_a_fingerprint(tmp_path: Path) -> None:
    report = seed(1)
    report.sections[5].body += "\n欢迎访问体育投注平台"
    with Archive(tmp_path / "b.db") as arch:
        store(arch, report)
        with pytest.raises(ReviewError, match="fingerprint"):
            review(arch, "紫溪镇", 2019, "C-INJECTED", DISMISSED)
        _, found = review(arch, "紫溪镇", 2019, "C-INJECTED", DISMISSED, every=True)
        assert len(found) == 2 and all(f.review == DISMISSED for f in found)


def test_cli_review(arch: Archive) -> None:
    db = str(arch.path)
    runner = CliRunner()
    res = runner.invoke(app, ["review", "紫溪镇", "2019", "C-INJECTED", "--dismiss", "--note",
                              NOTE, "--db", db])
    assert res.exit_code == 0, res.output
    assert "dismissed: " + NOTE in res.stdout and "now ✓ pass" in res.stdout
    shown = runner.invoke(app, ["validate", "紫溪镇", "2019", "--db", db])
    assert shown.exit_code == 0 and "reviewed (not counted" in shown.stdout
    assert runner.invoke(app, ["validate", "紫溪镇", "2019", "--all", "--db", db]).exit_code == 1
    usage = runner.invoke(app, ["review", "紫溪镇", "2019", "C-INJECTED", "--db", db])
    assert usage.exit_code == 2
    both = runner.invoke(app, ["review", "紫溪镇", "2019", "C-INJECTED", "--ack", "--dismiss",
                               "--db", db])
    assert both.exit_code == 2


def test_the_browser_reviews_through_the_same_function(arch: Archive) -> None:
    """The browser's review keys call review_finding by fingerprint, as goi review does."""
    from goitui.errors import GoiError
    from goitui.tui.review import apply_review

    report = arch.find_report("紫溪镇", 2019)
    injected = next(f for f in report.findings if f.rule == "C-INJECTED")
    apply_review(arch, report.id, injected.fingerprint, DISMISSED, NOTE)
    r = check_report(arch, "紫溪镇", 2019).reports[0]
    assert [(f.rule, f.review, f.note) for f in r.reviewed] == [("C-INJECTED", DISMISSED, NOTE)]
    apply_review(arch, report.id, injected.fingerprint, None, None)
    assert check_report(arch, "紫溪镇", 2019).reports[0].reviewed == []
    with pytest.raises(GoiError, match="no finding"):
        apply_review(arch, report.id, "0123456789abcdef", DISMISSED, NOTE)
