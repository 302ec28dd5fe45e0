"""``goi history`` reads in the language of whoever looks at it, not of whoever made the change:
an entry keeps its summary's template and values (migration 0014) and is worded when shown; an
entry recorded before that shows its summary as it was written."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import parse_text, seed_text
from typer.testing import CliRunner

from goitui import repair
from goitui.archive.store import Archive
from goitui.cli import app
from goitui.importer import import_paths
from goitui.pipeline import store_report

runner = CliRunner()
CJK = re.compile(r"[\u4e00-\u9fff]")
#: English words of the summaries, which a Chinese reader must not meet
ENGLISH = re.compile(r"\b(renamed|removed|brought|back|made current|merged|split|re-filed|"
                     r"undid|undone|acknowledged|review cleared|was)\b")


def speak(monkeypatch: pytest.MonkeyPatch, locale: str) -> None:
    """The reader's language as a terminal gives it: LANG only."""
    for variable in ("GOI_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", locale)


def put(arch: Archive, agency: str, year: int, tag: str) -> int:
    report = parse_text(seed_text("001"), agency=agency, year=year)
    return store_report(arch, report, path=f"{tag}.txt", sha=tag * 64, size=1).report_id


def every_operation(db: Path, tmp_path: Path) -> None:
    """A merge and its split, a rename, a review and its clearing, a change of version, a
    removal, undoing both, and a re-filing: each kind of summary the history keeps."""
    with Archive(db) as arch:
        put(arch, "柳林镇人民政府", 2019, "m")
        put(arch, "柳林镇人民政府", 2019, "n")
        put(arch, "桃园乡人民政府", 2019, "o")
        repair.merge(arch, "柳林镇", "桃园乡")
        repair.split(arch, "桃园乡")
        arch.rename("柳林镇", "柳林镇政府")
        repair.undo(arch)
        report = arch.find_report("柳林镇", 2019)
        arch.set_review(report, report.findings[0], "acknowledged", "核实无误")
        arch.clear_review(report, report.findings[0])
        repair.make_current(arch, "柳林镇", 2019, 1)
        repair.remove(arch, "柳林镇", 2019, 2)
        repair.undo(arch)  # brings the removed version back
        repair.undo(arch)  # and then undoes the change of version: an undo of an entry
    text = tmp_path / "石桥村2019.txt"
    text.write_text(seed_text("001"), encoding="utf-8")
    with Archive(db) as arch:
        import_paths(arch, [str(text)], agency="石桥村委会", year=2019)
        import_paths(arch, [str(text)], agency="石桥村委会", year=2018)


def shown(db: Path) -> list[str]:
    result = runner.invoke(app, ["history", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    # "#id  time  operation  summary": the operation (padded) is followed by two spaces at least
    return [re.fullmatch(r"#\d+ +\S+ +(.+?) {2,}(.+)", line)[2]  # type: ignore[index]
            for line in result.stdout.splitlines()]


def recorded_and_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorded: str,
                      read: str, recorded_line: str) -> list[str]:
    """The history of ``every_operation`` done under one locale, as shown under another."""
    db = tmp_path / "history.db"
    speak(monkeypatch, recorded)
    every_operation(db, tmp_path)
    assert recorded_line in shown(db)
    speak(monkeypatch, read)
    lines = shown(db)
    assert len(lines) == 11
    return lines


def test_recorded_in_english_read_in_chinese(tmp_path: Path, monkeypatch) -> None:
    chinese = recorded_and_read(tmp_path, monkeypatch, "en_US.UTF-8", "zh_CN.UTF-8",
                                "renamed 柳林镇人民政府 to 柳林镇政府  (undone by #4)")
    for line in chinese:
        assert CJK.search(line.replace("柳林镇", "").replace("石桥村", "")) and \
            not ENGLISH.search(line), line
    assert chinese[-1] == "已将桃园乡人民政府并入柳林镇人民政府  （已由 #2 撤销）"
    assert "已将桃园乡人民政府从柳林镇人民政府中重新拆分出来" in chinese
    assert "已改回名称 柳林镇人民政府" in chinese
    assert sum("已确认" in line or "已撤销复核" in line for line in chinese) == 2
    assert [line for line in chinese if line.startswith("已撤销：")] == [
        "已撤销：柳林镇人民政府 2019 年：第 1 版设为当前版本（原为第 2 版）"]
    assert any(line.startswith("已恢复 柳林镇人民政府 2019 年 第 2 版") for line in chinese)
    assert chinese[0] == "已将 石桥村委会 2019 年 第 1 版 改归为 石桥村委会 2018 年 第 1 版"


def test_recorded_in_chinese_read_in_english(tmp_path: Path, monkeypatch) -> None:
    english = recorded_and_read(tmp_path, monkeypatch, "zh_CN.UTF-8", "en_US.UTF-8",
                                "已改回名称 柳林镇人民政府")
    for line in english:
        assert not CJK.search(re.sub("柳林镇人民政府|桃园乡人民政府|柳林镇政府|石桥村委会",
                                     "", line)), line
    assert english[-1] == "merged 桃园乡人民政府 into 柳林镇人民政府  (undone by #2)"
    assert "split 桃园乡人民政府 off 柳林镇人民政府 again" in english
    assert "renamed back to 柳林镇人民政府" in english
    assert sum(line.endswith((": acknowledged", ": review cleared")) for line in english) == 2
    assert "undid: 柳林镇人民政府 2019: v1 made current (was v2)" in english
    assert "brought back 柳林镇人民政府 2019 v2 (n.txt)" in english
    assert english[0] == "re-filed 石桥村委会 2019 v1 as 石桥村委会 2018 v1"


def test_json_keeps_english_and_gives_chinese(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "json.db"
    speak(monkeypatch, "zh_CN.UTF-8")
    with Archive(db) as arch:
        put(arch, "枫树坪乡人民政府", 2020, "p")
        arch.rename("枫树坪乡", "枫树坪乡政府")
    speak(monkeypatch, "en_US.UTF-8")
    result = runner.invoke(app, ["history", "--db", str(db), "--format", "json"])
    [entry] = json.loads(result.stdout)
    assert entry["summary"] == "renamed 枫树坪乡人民政府 to 枫树坪乡政府"
    assert entry["summary_zh"] == "已将 枫树坪乡人民政府 改名为 枫树坪乡政府"
    assert "summary_phrase" not in entry


def test_an_entry_recorded_before_is_shown_as_written(tmp_path: Path, monkeypatch) -> None:
    """An older goi wrote the summary in its own language and kept no template: that text is
    what every reader gets (and JSON says there is no Chinese of it to give)."""
    db = tmp_path / "old.db"
    with Archive(db) as arch:
        put(arch, "青龙镇人民政府", 2021, "q")
        arch.rename("青龙镇", "青龙镇政府")
    con = sqlite3.connect(db)
    con.execute("UPDATE history SET summary = '已将 青龙镇人民政府 改名为 青龙镇政府', "
                "summary_phrase = NULL")
    con.commit()
    con.close()
    for locale in ("en_US.UTF-8", "zh_CN.UTF-8"):
        speak(monkeypatch, locale)
        assert shown(db) == ["已将 青龙镇人民政府 改名为 青龙镇政府"]
    result = runner.invoke(app, ["history", "--db", str(db), "--format", "json"])
    assert json.loads(result.stdout)[0]["summary_zh"] is None
    speak(monkeypatch, "en_US.UTF-8")
    with Archive(db) as arch:
        repair.undo(arch)
    assert shown(db)[0] == "renamed back to 青龙镇人民政府"
