"""The archive: migrations, versions, agencies joined by name, one transaction per report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import parse_text, seed_text

from goitui import names as agency_names
from goitui.archive.store import Ambiguous, Archive, NotFound, migrations_dir
from goitui.importer import import_paths
from goitui.pipeline import store_report
from goitui.repair import merge as merge_agencies


def test_migrations_applied_once_and_recorded(tmp_path) -> None:
    path = tmp_path / "a.db"
    Archive.open(path).close()
    Archive.open(path).close()
    con = sqlite3.connect(path)
    names = [r[0] for r in con.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    files = sorted(p.stem for p in migrations_dir().glob("*.sql"))
    assert names == files and names[0] == "0001_initial"
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN "
                                        "('table', 'view')")}
    assert {"agencies", "agency_names", "reports", "figures", "findings", "sections",
            "reviews"} <= tables


def test_store_and_load_round_trip(archive) -> None:
    report = parse_text(seed_text("000"))
    stored = store_report(archive, report, path="000.txt", sha="x" * 64, size=10)
    back = archive.load(stored.report_id)
    assert back.figures_json() == report.figures_json()
    assert {k: f.raw for k, f in back.figures.items()} == {k: f.raw for k, f in report.figures.items()}
    assert back.figures["proactive.procurement.amount"].unit == "万元"
    assert [s.title for s in back.sections.values()] == [s.title for s in report.sections.values()]
    assert back.template == "2019" and back.year == 2019 and back.version == 1


@pytest.mark.parametrize("a,b,same", [
    ("洪泽区人民政府", "淮安市洪泽区人民政府", True),
    ("洪泽区人民政府", "洪泽区政府", True),
    ("淮安市洪泽区教育局", "洪泽区教育局", True),
    ("沭阳县发展和改革局", "沭阳县发展与改革局", False),  # a near candidate, merged by hand
    ("洪泽区教育局", "洪泽区体育局", False),
    ("南京市公安局", "南京市公安厅", False),
    ("重庆市荣昌区远觉镇人民政府", "远觉镇人民政府", False),  # a township name alone: many
    ("城关镇人民政府", "某县城关镇人民政府", False),
    ("教育局", "洪泽区教育局", False),
    ("沭阳县发展和改革局", "沐阳县发展和改革局", False),  # within the place name: a candidate
    ("江苏省教育厅", "江西省教育厅", False),
    ("淮安市清河区城关镇", "淮安市清浦区城关镇", False),
    ("苏州市吴中区东山镇", "苏州市吴中区西山镇", False),
    ("测试市第一中学", "测试市第二中学", False),
    ("公安局东区分局", "公安局西区分局", False),
    ("东镇人民政府", "西镇人民政府", False),
    ("洪泽区人民政府", "洪泽区人民政府办公室", False),
    ("淮安市人民政府", "淮安市洪泽区人民政府", False),
    ("洪泽区教育局", "洪泽区人民政府", False),
])
def test_same_agency(a, b, same) -> None:
    assert agency_names.same_agency(a, b) is same


def test_names_join_one_agency_and_lookup_by_part(archive) -> None:
    for i, name in enumerate(["洪泽区人民政府", "淮安市洪泽区人民政府", "洪泽区政府"]):
        r = parse_text(seed_text("000"), agency=name, year=2021 + i)
        store_report(archive, r, path=f"{i}.txt", sha=str(i) * 64, size=1)
    rows = archive.agencies()
    assert len(rows) == 1 and rows[0]["name"] == "洪泽区人民政府"
    assert set(rows[0]["aliases"]) == {"洪泽区人民政府", "淮安市洪泽区人民政府", "洪泽区政府"}
    assert archive.find_agency("洪泽")["years"] == [2021, 2022, 2023]
    assert archive.find_report("淮安市洪泽区人民政府", 2022).year == 2022


def test_ambiguous_and_missing_names(archive) -> None:
    for i, name in enumerate(["东镇人民政府", "西镇人民政府"]):
        store_report(archive, parse_text(seed_text("000"), agency=name), path=f"{i}", sha=str(i) * 64,
                      size=1)
    with pytest.raises(Ambiguous) as e:
        archive.find_agency("镇")
    assert set(e.value.candidates) == {"东镇人民政府", "西镇人民政府"}
    with pytest.raises(NotFound):
        archive.find_agency("南镇")
    assert archive.find_agency("东镇")["name"] == "东镇人民政府"


def test_new_version_keeps_the_earlier_one(archive) -> None:
    text = seed_text("000")
    first = store_report(archive, parse_text(text), path="a", sha="a" * 64, size=1)
    changed = text.replace("规章\n　　0", "规章\n　　3")
    second = store_report(archive, parse_text(changed), path="b", sha="b" * 64, size=1)
    assert (first.version, second.version) == (1, 2)
    assert archive.find_report("拉西瓦镇", 2019).value("proactive.regulations.new_made") == 3
    old = archive.find_report("拉西瓦镇", 2019, version=1)
    assert old.value("proactive.regulations.new_made") == 0
    assert len(archive.list_reports(all_versions=True)) == 2 and len(archive.list_reports()) == 1


def test_a_failing_store_leaves_nothing_half_written(archive, monkeypatch) -> None:
    import goitui.pipeline

    def boom(report, previous):
        raise RuntimeError("validation exploded")

    monkeypatch.setattr(goitui.pipeline, "validate_report", boom)
    with pytest.raises(RuntimeError):
        store_report(archive, parse_text(seed_text("000")), path="a", sha="a" * 64, size=1)
    for table in ("reports", "figures", "sections", "findings", "agencies", "agency_names"):
        assert archive.q(f"SELECT count(*) AS n FROM {table}")[0]["n"] == 0, table


def test_merge_and_rename(archive) -> None:
    store_report(archive, parse_text(seed_text("000"), agency="甲镇人民政府", year=2019), path="a",
                  sha="a" * 64, size=1)
    store_report(archive, parse_text(seed_text("000"), agency="乙街道办事处", year=2020), path="b",
                  sha="b" * 64, size=1)
    merged = merge_agencies(archive, "甲镇", "乙街道")
    assert merged["years"] == [2019, 2020] and "乙街道办事处" in merged["aliases"]
    renamed = archive.rename("乙街道办事处", "甲镇")
    assert renamed["name"] == "甲镇" and "甲镇人民政府" in renamed["aliases"]
    assert len(archive.agencies()) == 1


def test_batch_goes_on_past_bad_files(archive, tmp_path, samples_dir) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.pdf").write_bytes(b"\x00\x01garbage" * 10)
    (tmp_path / "notreport.txt").write_text("今天天气很好。\n", encoding="utf-8")
    results = import_paths(archive, [str(tmp_path), str(samples_dir / "000_6daaf83df1efb7d7.txt")])
    by_name = {r.path.split("/")[-1]: r for r in results}
    assert by_name["000_6daaf83df1efb7d7.txt"].outcome == "archived"
    for bad in ("empty.txt", "binary.pdf", "notreport.txt"):
        assert by_name[bad].outcome == "error" and by_name[bad].reason
    assert archive.q("SELECT count(*) AS n FROM reports")[0]["n"] == 1


def test_reimport_identical_changes_nothing(archive, samples_dir) -> None:
    first = import_paths(archive, [str(samples_dir)])
    before = archive.q("SELECT count(*) AS n FROM figures")[0]["n"]
    again = import_paths(archive, [str(samples_dir)])
    assert {r.outcome for r in first} == {"archived"}
    assert {r.outcome for r in again} == {"unchanged"}
    assert archive.q("SELECT count(*) AS n FROM figures")[0]["n"] == before


def test_plain_sqlite_can_read_figures(tmp_path, samples_dir) -> None:
    path = tmp_path / "a.db"
    with Archive.open(path) as arch:
        import_paths(arch, [str(samples_dir / "000_6daaf83df1efb7d7.txt")])
    con = sqlite3.connect(path)
    value, raw, unit = con.execute(
        "SELECT value, raw, unit FROM figures WHERE key = 'proactive.procurement.amount'").fetchone()
    assert (value, unit) == (44.7336, "万元") and "44.7336" in raw


def test_a_huge_file_is_refused_before_it_is_read(archive, tmp_path, samples_dir) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.truncate(210 * 1024 * 1024)  # sparse: no disk used
    results = import_paths(archive, [str(big), str(samples_dir / "000_6daaf83df1efb7d7.txt")])
    assert results[0].outcome == "error" and "file too large (210 MB" in results[0].reason
    assert results[1].outcome == "archived"


def test_sources_are_kept_as_absolute_paths(archive, samples_dir, monkeypatch) -> None:
    from pathlib import Path

    from goitui.render.display import shown_path

    monkeypatch.chdir(samples_dir.parent)
    r = import_paths(archive, ["sample_reports/000_6daaf83df1efb7d7.txt"])[0]
    assert r.path == "sample_reports/000_6daaf83df1efb7d7.txt"  # the line shows what was typed
    stored = archive.load(r.report_id).source_path
    assert Path(stored).is_absolute() and Path(stored).is_file()
    assert shown_path(stored) == "sample_reports/000_6daaf83df1efb7d7.txt"
    monkeypatch.chdir("/")
    assert Path(shown_path(stored)).resolve() == Path(stored)


def test_figures_without_rowid_migration_keeps_every_figure(tmp_path) -> None:
    """An archive made before migration 0005 keeps its figures, values and order."""
    from archive_before import archive_before

    report = parse_text(seed_text("004"))
    (rid,) = archive_before(tmp_path / "a.db", "0004", [report])
    con = sqlite3.connect(tmp_path / "a.db")
    before = [dict(zip(("report_id", "key", "value", "kind", "raw", "unit", "line", "source",
                        "label", "score"), row)) for row in con.execute(
        "SELECT * FROM figures ORDER BY key")]
    assert "WITHOUT ROWID" not in con.execute("SELECT sql FROM sqlite_master WHERE name = "
                                              "'figures'").fetchone()[0]
    con.close()
    with Archive(tmp_path / "a.db") as a:  # 0005, then 0013 makes figures a view
        assert "WITHOUT ROWID" in a.q("SELECT sql FROM sqlite_master WHERE name = "
                                      "'figure_cells'")[0]["sql"]
        after = a.q("SELECT * FROM figures ORDER BY key")
        assert [{k: r[k] for k in before[0]} for r in after] == before
        back = a.load(rid)
    assert list(back.figures) == list(report.figures)  # the order of the printed tables
    assert {k: (f.value, f.raw, f.source) for k, f in back.figures.items()} == {
        k: (f.value, f.raw, f.source) for k, f in report.figures.items()}


def test_name_index_finds_the_same_candidates_as_asking_every_name() -> None:
    from goitui.archive.store import NameIndex

    names = ["洪泽区人民政府", "淮安市洪泽区人民政府", "洪泽区政府", "区", "泽区", "沭阳县人民政府",
             "宿迁市沭阳县", "城关镇人民政府", "某县城关镇人民政府", "教育局", "洪泽区教育局",
             "淮安市洪泽区教育局", "江苏省教育厅", "江西省教育厅", "镇", "·"]
    index = NameIndex()
    for i, n in enumerate(names):
        index.put(n, i, agency_names.core(n))
    for n in [*names, "淮安市洪泽区政府", "沭阳县政府", "城关镇", "东台市城关镇", "教育厅"]:
        assert sorted(index.candidates(n)) == agency_names.candidates(n, index.cores), n


def test_same_file_with_an_agency_alias_is_unchanged_after_rename(archive, samples_dir,
                                                                    tmp_path) -> None:
    src = samples_dir / "000_6daaf83df1efb7d7.txt"
    first = import_paths(archive, [str(src)], agency="拉西瓦镇人民政府")[0]
    assert first.outcome == "archived"
    archive.rename("拉西瓦镇", "化隆县拉西瓦镇")  # a name --agency alone would not join
    again = import_paths(archive, [str(src)], agency="拉西瓦镇人民政府")[0]
    assert again.outcome == "unchanged" and again.report_id == first.report_id


def test_a_folder_is_searched_for_every_extension_a_reader_reads(archive, samples_dir,
                                                                   tmp_path) -> None:
    text = (samples_dir / "000_6daaf83df1efb7d7.txt").read_bytes()
    (tmp_path / "a.mht").write_bytes(b"<html><body><pre>" + text + b"</pre></body></html>")
    (tmp_path / "notes.xyz").write_bytes(text)  # not a report extension: left alone
    results = import_paths(archive, [str(tmp_path)])
    assert [Path(r.path).name for r in results] == ["a.mht"]


@pytest.mark.parametrize("first", ["甲镇人民政府", "乙街道办事处"])
def test_merge_keeps_the_report_imported_last_current(archive, first) -> None:
    second = "乙街道办事处" if first == "甲镇人民政府" else "甲镇人民政府"
    old = store_report(archive, parse_text(seed_text("000"), agency=first, year=2019), path="a",
                        sha="a" * 64, size=1).report_id
    new = store_report(archive, parse_text(seed_text("000"), agency=second, year=2019), path="b",
                        sha="b" * 64, size=1).report_id
    merge_agencies(archive, "甲镇", "乙街道")
    rows = {r["id"]: (r["version"], r["is_current"]) for r in archive.q("SELECT * FROM reports")}
    assert rows == {old: (1, 0), new: (2, 1)}
    assert archive.find_report("甲镇", 2019).id == new
