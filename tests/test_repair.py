"""Keys that can be repaired, and undone: re-file, remove, versions, merge and split, history."""

from __future__ import annotations

import json

import pytest
from conftest import parse_text, seed_text
from typer.testing import CliRunner

from goitui import repair
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.pipeline import store_report


def put(arch: Archive, agency: str, year: int, tag: str) -> int:
    """A report of ``agency`` for ``year`` from distinct bytes (``tag``)."""
    report = parse_text(seed_text("001"), agency=agency, year=year)
    return store_report(arch, report, path=f"{tag}.txt", sha=tag * 64, size=1).report_id


def places(arch: Archive) -> dict[int, tuple[str, int, int, int]]:
    return {r["id"]: (r["agency"], r["year"], r["version"], r["is_current"]) for r in arch.q(
        "SELECT r.id, a.name AS agency, r.year, r.version, r.is_current FROM reports r "
        "JOIN agencies a ON a.id = r.agency_id")}


def reviews(arch: Archive) -> list[tuple]:
    return sorted(tuple(r.values()) for r in arch.q(
        "SELECT a.name, v.year, v.fingerprint, v.state, v.note FROM reviews v "
        "JOIN agencies a ON a.id = v.agency_id"))


def first_finding(arch: Archive, agency: str, year: int):
    report = arch.find_report(agency, year)
    return report, report.findings[0]


def test_merge_keeps_both_reviews_of_one_finding_and_split_restores_them(archive) -> None:
    put(archive, "东湖镇人民政府", 2021, "a")
    put(archive, "西岭乡人民政府", 2021, "b")
    report, finding = first_finding(archive, "东湖镇", 2021)
    archive.set_review(report, finding, "acknowledged", "东湖的说明")
    other, same = first_finding(archive, "西岭乡", 2021)
    assert same.fingerprint == finding.fingerprint  # the same finding in both agencies' years
    archive.set_review(other, same, "dismissed", "西岭的说明")
    before_places, before_reviews = places(archive), reviews(archive)

    plan = repair.merge_plan(archive, "东湖镇", "西岭乡")
    assert [r["agency"] for r in plan.earlier] == ["东湖镇人民政府"]
    assert plan.reviews_joined and "both notes are kept" in "\n".join(plan.lines())
    repair.merge(archive, "东湖镇", "西岭乡")
    merged = archive.q("SELECT state, note FROM reviews")
    assert merged == [{"state": "dismissed", "note": "东湖的说明 / 西岭的说明"}]

    back = repair.split(archive, "西岭乡")
    assert back["name"] == "西岭乡人民政府"
    assert places(archive) == before_places
    assert reviews(archive) == before_reviews
    ops = [(h["operation"], bool(h["undone_by"])) for h in repair.history(archive)]
    assert ops[:2] == [("split", False), ("merge", True)]


def test_undo_puts_back_a_merge_with_versions(archive) -> None:
    put(archive, "南山街道办事处", 2020, "c")
    put(archive, "南山街道办事处", 2021, "d")
    put(archive, "北坡街道办事处", 2021, "e")
    before = places(archive)
    repair.merge(archive, "北坡街道", "南山街道")
    assert sorted(v[1:] for v in places(archive).values()) == [(2020, 1, 1), (2021, 1, 0),
                                                               (2021, 2, 1)]
    repair.undo(archive)
    assert places(archive) == before
    with pytest.raises(Exception, match="nothing to undo"):
        for _ in range(5):
            repair.undo(archive)


def test_refile_moves_a_report_and_undo_moves_it_back(archive) -> None:
    one = put(archive, "青石镇人民政府", 2019, "f")
    two = put(archive, "青石镇人民政府", 2019, "g")  # v2, current
    before = places(archive)
    moved = repair.refile(archive, two, agency=None, year=2020)
    assert moved["year"] == 2020 and moved["version"] == 1
    after = places(archive)
    assert after[two] == ("青石镇人民政府", 2020, 1, 1)
    assert after[one] == ("青石镇人民政府", 2019, 1, 1)  # what remains becomes current
    assert archive.find_report("青石镇", 2020).id == two
    repair.undo(archive)
    assert places(archive) == before


def test_refile_to_another_agency_by_import_options(archive, tmp_path) -> None:
    from goitui.importer import import_paths

    f = tmp_path / "r.txt"
    f.write_text(seed_text("002"), encoding="utf-8")
    first = import_paths(archive, [str(f)])[0]
    again = import_paths(archive, [str(f)], agency="白沙镇人民政府", year=2018)[0]
    assert again.outcome == "refiled" and (again.agency, again.year) == ("白沙镇人民政府", 2018)
    assert f"was {first.agency} {first.year} v1" in again.line()
    assert archive.find_report("白沙镇", 2018).id == first.report_id
    assert import_paths(archive, [str(f)], agency="白沙镇人民政府", year=2018)[0].outcome == \
        "unchanged"


def test_make_current_and_remove_keep_history(archive) -> None:
    one = put(archive, "金沙乡人民政府", 2022, "h")
    two = put(archive, "金沙乡人民政府", 2022, "i")
    repair.make_current(archive, "金沙乡", 2022, 1)
    assert archive.find_report("金沙乡", 2022).id == one
    repair.undo(archive)
    assert archive.find_report("金沙乡", 2022).id == two
    repair.remove(archive, "金沙乡", 2022)
    assert archive.find_report("金沙乡", 2022).id == one
    entry = repair.history(archive, 1)[0]
    assert entry["operation"] == "remove" and entry["before"]["source_path"] == "i.txt"
    repair.undo(archive)
    back = archive.find_report("金沙乡", 2022)
    assert (back.version, back.source_path) == (2, "i.txt")


def test_undo_a_review(archive) -> None:
    put(archive, "红旗镇人民政府", 2021, "j")
    report, finding = first_finding(archive, "红旗镇", 2021)
    archive.set_review(report, finding, "dismissed", "无误")
    assert reviews(archive)
    repair.undo(archive)
    assert reviews(archive) == []


def test_cli_versions_remove_history_undo(tmp_path) -> None:
    db = str(tmp_path / "r.db")
    with Archive(db) as arch:
        put(arch, "石门镇人民政府", 2020, "k")
        put(arch, "石门镇人民政府", 2020, "l")
    run = CliRunner().invoke
    r = run(app, ["versions", "石门镇", "2020", "--db", db])
    assert r.exit_code == 0 and r.stdout.splitlines()[1].startswith("* v2")
    r = run(app, ["versions", "石门镇", "2020", "--make-current", "1", "--db", db])
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith("* v1")
    r = run(app, ["remove", "石门镇", "2020", "--db", db])
    assert r.exit_code == 1 and "--yes" in r.stderr and "remove 石门镇人民政府 2020 v1" in r.stderr
    r = run(app, ["remove", "石门镇", "2020", "--version", "2", "--yes", "--db", db])
    assert r.exit_code == 0
    r = run(app, ["history", "--db", db, "--format", "json"])
    assert [h["operation"] for h in json.loads(r.stdout)] == ["remove", "make-current"]
    r = run(app, ["undo", "--db", db])
    assert r.exit_code == 1 and "--yes" in r.stderr and "undo #2: removed" in r.stderr
    r = run(app, ["undo", "--yes", "--db", db])
    assert r.exit_code == 0
    r = run(app, ["history", "--db", db])
    assert "removed 石门镇人民政府 2020 v2 (l.txt)  (undone by #3)" in r.stdout
    assert "brought back 石门镇人民政府 2020 v2 (l.txt)" in r.stdout
    r = run(app, ["versions", "石门镇", "2020", "--db", db])
    assert [line[:4] for line in r.stdout.splitlines()] == ["* v1", "  v2"]  # v1 stayed current


def whole(arch: Archive, report_id: int) -> dict:
    """Everything a reader sees of a stored report, without its id."""
    shown = arch.load(report_id).to_dict()
    shown.pop("id")
    return shown


def test_undo_of_a_removal_restores_figures_sections_findings_reviews_and_search(archive) -> None:
    from goitui.archive.search import refresh_index, search

    put(archive, "望江街道办事处", 2020, "m")
    gone = put(archive, "望江街道办事处", 2021, "n")
    report, finding = first_finding(archive, "望江街道", 2021)
    archive.set_review(report, finding, "dismissed", "已核实")
    refresh_index(archive)
    word = report.text.strip().splitlines()[0][:6]
    assert any(h.report_id == gone for h in search(archive, word, year=2021).hits)
    before, before_reviews = whole(archive, gone), reviews(archive)
    before_2020 = archive.find_report("望江街道", 2020).findings

    repair.remove(archive, "望江街道", 2021)
    archive.conn.execute("DELETE FROM reviews")  # lost since (another operation, say)
    assert archive.list_reports(year=2021) == []
    assert search(archive, word, year=2021).count == 0

    undo = repair.undo(archive)
    assert undo["operation"] == "remove"
    back = archive.find_report("望江街道", 2021)
    assert whole(archive, back.id) == before
    assert reviews(archive) == before_reviews
    assert [f.fingerprint for f in archive.find_report("望江街道", 2020).findings] == \
        [f.fingerprint for f in before_2020]
    assert [h.report_id for h in search(archive, word, year=2021).hits] == [back.id]
    latest = repair.history(archive, 1)[0]
    assert latest["operation"] == "undo" and latest["after"]["id"] == back.id


def test_a_removal_cannot_be_undone_once_its_file_is_back(archive) -> None:
    put(archive, "柳河镇人民政府", 2019, "o")
    repair.remove(archive, "柳河镇", 2019)
    put(archive, "柳河镇人民政府", 2019, "o")  # the same bytes imported again
    with pytest.raises(repair.RepairError, match="imported again"):
        repair.undo(archive)


def test_undo_of_a_removal_follows_a_merge_of_its_agency(archive) -> None:
    put(archive, "松林乡人民政府", 2018, "p")
    put(archive, "松林乡人民政府", 2019, "q")
    put(archive, "松林镇人民政府", 2020, "r")
    repair.remove(archive, "松林乡", 2019)
    removal = repair.history(archive, 1)[0]["id"]
    repair.merge(archive, "松林镇", "松林乡")
    repair.undo(archive, removal)  # the merge stays; the report joins the merged agency
    assert archive.find_report("松林镇人民政府", 2019).source_path == "q.txt"


def compilation(tmp_path, *keys: tuple[str, int]):
    """A file holding one generated report per (agency, year), one after another."""
    import random

    from goitui import labels
    from goitui.testing import generate

    rng = random.Random(str(keys))
    texts = [generate.render(generate.make_figures(labels.T2021, rng), labels.T2021,
                             generate.TABS, agency=a, year=y) for a, y in keys]
    path = tmp_path / "huibian.txt"
    path.write_text("\n（2024年1月20日）\n\n".join(texts), encoding="utf-8")
    return path


def test_refiling_a_compilation_moves_every_report_when_the_keys_stay_apart(tmp_path) -> None:
    path = compilation(tmp_path, ("云溪镇人民政府", 2023), ("石桥乡人民政府", 2023),
                       ("梅岭街道办事处", 2023))
    db = str(tmp_path / "c.db")
    run = CliRunner().invoke
    assert run(app, ["import", str(path), "--db", db]).exit_code == 0
    r = run(app, ["import", str(path), "--year", "2022", "--db", db])
    assert r.exit_code == 0, r.output
    assert r.stdout.count("refiled") == 3 and "(report 3 of 3)" in r.stdout
    listed = json.loads(run(app, ["list", "--db", db, "--format", "json"]).stdout)
    assert sorted((x["agency"], x["year"]) for x in listed) == [
        ("云溪镇人民政府", 2022), ("梅岭街道办事处", 2022), ("石桥乡人民政府", 2022)]
    history = json.loads(run(app, ["history", "--db", db, "--format", "json"]).stdout)
    assert [h["operation"] for h in history] == ["refile"]  # one entry: one undo
    assert run(app, ["undo", "--yes", "--db", db]).exit_code == 0
    listed = json.loads(run(app, ["list", "--db", db, "--format", "json"]).stdout)
    assert {x["year"] for x in listed} == {2023}


def test_refiling_a_compilation_under_one_agency_needs_part(tmp_path) -> None:
    path = compilation(tmp_path, ("云溪镇人民政府", 2021), ("石桥乡人民政府", 2021))
    db = str(tmp_path / "c.db")
    run = CliRunner().invoke
    assert run(app, ["import", str(path), "--db", db]).exit_code == 0
    r = run(app, ["import", str(path), "--agency", "白鹭镇人民政府", "--db", db])
    assert r.exit_code == 2 and "--part" in r.stderr  # both would be 白鹭镇 2021
    assert "import" in run(app, ["import", "--help"]).stdout and "--part" in \
        run(app, ["import", "--help"]).stdout
    r = run(app, ["import", str(path), "--agency", "白鹭镇人民政府", "--part", "2", "--db", db])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("unchanged  云溪镇人民政府 2021")
    assert lines[1].startswith("refiled    白鹭镇人民政府 2021 v1") and "(report 2 of 2)" in lines[1]
    assert "was 石桥乡人民政府 2021 v1" in lines[1]
    r = run(app, ["import", str(path), "--agency", "白鹭镇人民政府", "--part", "2", "--db", db])
    assert r.stdout.count("unchanged") == 2
    r = run(app, ["import", str(path), "--year", "2020", "--part", "3", "--db", db])
    assert r.exit_code == 2 and "holds 2 reports" in r.stderr


def test_part_gives_one_report_of_a_new_compilation_its_year(tmp_path) -> None:
    path = compilation(tmp_path, ("云溪镇人民政府", 2020), ("石桥乡人民政府", 2020))
    db = str(tmp_path / "c.db")
    run = CliRunner().invoke
    r = run(app, ["import", str(path), "--year", "2019", "--db", db])
    assert r.exit_code == 2 and "--part" in r.stderr
    r = run(app, ["import", str(path), "--year", "2019", "--part", "1", "--db", db])
    assert r.exit_code == 0, r.output
    listed = json.loads(run(app, ["list", "--db", db, "--format", "json"]).stdout)
    assert sorted((x["agency"], x["year"]) for x in listed) == [
        ("云溪镇人民政府", 2019), ("石桥乡人民政府", 2020)]


def test_part_names_the_one_report_of_a_compilation_that_does_not_say_its_agency(tmp_path) -> None:
    path = compilation(tmp_path, ("云溪镇人民政府", 2020), ("石桥乡人民政府", 2020))
    path.write_text(path.read_text(encoding="utf-8").replace("石桥乡人民政府", "我乡"),
                    encoding="utf-8")
    db = str(tmp_path / "c.db")
    run = CliRunner().invoke
    r = run(app, ["import", str(path), "--db", db])
    assert r.exit_code == 2 and "give it with --agency and --part 2" in r.stderr
    r = run(app, ["import", str(path), "--agency", "石桥乡人民政府", "--part", "2", "--db", db])
    assert r.exit_code == 0, r.output
    listed = json.loads(run(app, ["list", "--db", db, "--format", "json"]).stdout)
    assert sorted(x["agency"] for x in listed) == ["云溪镇人民政府", "石桥乡人民政府"]
