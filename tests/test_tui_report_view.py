"""The report screen's views: opening a finding goes to it, text wrapped by goi's wrapper.

The archive here is generated (not the seeds): a county bureau's 2022 report whose prose
states a count the table does not have (T-APPLICATIONS), carries a gambling advert
(C-INJECTED) and a long paragraph full of numbers, and whose table 三 does not add up
(A-ROWSUM, A-BALANCE); and a PDF whose paragraphs the printed page wrapped.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pdfmaker
import pytest
from test_tui_support import settle, sync, type_text
from textual.widgets import DataTable, OptionList, Static, TabbedContent

from goitui import labels
from goitui.archive.store import Archive
from goitui.importer import import_paths
from goitui.render.wrap import NO_LINE_START
from goitui.testing import generate
from goitui.tui.app import GoiApp
from goitui.tui.finding_detail import FindingDetail
from goitui.tui.render import FOUND_STYLE
from goitui.tui.report_screen import ReportScreen
from goitui.tui.textview import TextView
from goitui.tui.validation_screen import ValidationScreen

AGENCY, YEAR = "青禾县教育局", 2022
OTHER = "东岭街道办事处"
ADVERT = "澳门葡京"
#: numbers of every kind at every place a line may end: 1,234, ３５, 2022年, 12.5万元
NUMBERS = "".join(
    f"其中第{i}批公开规范性文件{i * 1237 % 100000}件、政策解读1,{i * 37 % 1000:03d}条，"
    f"收费１２.{i}万元（含３５{i}项），"
    for i in range(1, 16)) + "以上数据截至2022年12月31日。"


def _report(directory: Path) -> tuple[str, str]:
    """Write the bureau's report; returns the sentence whose number disagrees."""
    rng = random.Random(2031)
    figures = dict(generate.make_figures(labels.T2021, rng))
    received = figures["applications.new_received.total"]
    carried = figures["applications.carried_over.total"]
    stated = received + carried + 3  # neither 新收 nor 新收 + 结转
    sentence = f"{YEAR}年，本局共收到政府信息公开申请{stated}件。"
    figures["applications.new_received.natural_person"] += 1  # the row and the column break
    prose = {
        1: "\n".join(["（一）主动公开", NUMBERS, "（二）依申请公开", sentence]),
        5: "\n".join(["（一）主要问题", f"部分栏目更新不及时，页面底部曾出现{ADVERT}广告链接。",
                      "（二）改进措施", "加强网站安全管理。"]),
    }
    text = generate.render(figures, labels.T2021, generate.CELLS, agency=AGENCY, year=YEAR,
                           rng=rng, prose=prose)
    (directory / "qinghe_2022.txt").write_text(text, encoding="utf-8")
    other = dict(generate.make_figures(labels.T2019, rng))  # a clean one, to open after it
    (directory / "dongling_2020.txt").write_text(generate.render(
        other, labels.T2019, generate.TABS, agency=OTHER, year=2020, rng=rng), encoding="utf-8")
    return sentence, ADVERT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("reportview")
    src = root / "reports"
    src.mkdir()
    sentence, _advert = _report(src)
    path = root / "archive.db"
    with Archive(path) as arch:
        results = import_paths(arch, [str(src)])
    assert all(r.outcome == "archived" for r in results), [r.line() for r in results]
    return path, sentence


def _id_of(db: Path, agency: str) -> int:
    with Archive(db) as arch:
        report = arch.find_report(agency)
        assert report.id is not None
        return report.id


async def _opened(pilot, db: Path, agency: str) -> ReportScreen:
    """The agency's report opened from the archive screen."""
    await settle(pilot)
    pilot.app.open_report(_id_of(db, agency))
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportScreen)
    return pilot.app.screen


async def _findings_screen(pilot, rule: str) -> ValidationScreen:
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ValidationScreen)
    await type_text(pilot, f"rule:{rule}")
    await pilot.press("enter")  # the filter applied, the list focused
    await settle(pilot)
    assert screen.loaded.page.total >= 1
    return screen


async def _opened_from_findings(pilot, rule: str) -> ReportScreen:
    """The first finding of ``rule`` opened (enter) from the findings screen."""
    await _findings_screen(pilot, rule)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ReportScreen)
    return pilot.app.screen


def _row_shown(view: TextView, paragraph: int, offset: int) -> bool:
    row = view.row_of(paragraph, offset)
    top = view.scroll_offset.y
    return top <= row < top + view.size.height


def _on_screen_marked(app) -> str:
    """The text the terminal shows in the found style (bold, underlined, reversed)."""
    strips = app.screen._compositor.render_strips()
    return "".join(seg.text for strip in strips for seg in strip
                   if seg.style and seg.style.reverse and seg.style.bold and seg.style.underline)


def _place(view: TextView, words: str) -> tuple[int, int]:
    return next((i, p.text.plain.find(words)) for i, p in enumerate(view.paragraphs)
                if words in p.text.plain)


@pytest.mark.parametrize("rule", ["T-APP", "C-INJ"])
@sync
async def test_a_prose_finding_opens_the_text_at_its_words(built: tuple[Path, str],
                                                           rule: str) -> None:
    db, sentence = built
    words = sentence.rstrip("。") if rule == "T-APP" else ADVERT
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened_from_findings(pilot, rule)
        view = screen.query_one("#text", TextView)
        assert screen.query_one(TabbedContent).active == "tab-text"
        assert app.focused is view
        assert view.styled(FOUND_STYLE) == [words]  # the sentence (the term), only it
        assert _row_shown(view, *_place(view, words))
        await pilot.pause(0.3)  # some frames later: drawn so, not only styled so
        assert _on_screen_marked(app) == words


@sync
async def test_spam_from_the_reports_findings_and_the_detail_modal(
        built: tuple[Path, str]) -> None:
    db, _sentence = built
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _findings_screen(pilot, "C-INJ")
        await pilot.press("i")  # the finding in full; enter there goes to it
        await settle(pilot)
        assert isinstance(app.screen, FindingDetail)
        await pilot.press("enter")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, ReportScreen) and report is not screen
        view = report.query_one("#text", TextView)
        assert view.styled(FOUND_STYLE) == [ADVERT] and app.focused is view
        assert _row_shown(view, *_place(view, ADVERT))
        await pilot.pause(0.3)
        assert _on_screen_marked(app) == ADVERT
        # the report's own findings list: enter on the T finding moves the highlight there
        findings = report.query_one("#findings", OptionList)
        findings.focus()
        findings.highlighted = next(i for i, f in enumerate(report.report.findings)
                                    if f.rule == "T-APPLICATIONS")
        await pilot.press("enter")
        await pilot.pause()
        assert ADVERT not in view.styled(FOUND_STYLE)
        assert len(view.styled(FOUND_STYLE)) == 1 and app.focused is view


@sync
async def test_a_table_finding_focuses_its_cell(built: tuple[Path, str]) -> None:
    db, _sentence = built
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened_from_findings(pilot, "A-ROWSUM")
        table = screen.query_one("#table-applications", DataTable)
        assert screen.query_one(TabbedContent).active == "tab-applications"
        assert app.focused is table
        finding = next(f for f in screen.report.findings if f.rule == "A-ROWSUM")
        assert table.cursor_coordinate == screen.cells["applications"][finding.keys[0]]
        assert not screen.query_one("#text", TextView).styled(FOUND_STYLE)


def _split_number(view: TextView) -> list[tuple[str, str]]:
    """Lines of one paragraph where a number goes on from one line to the next."""
    digit = re.compile(r"[0-9０-９]")
    out = []
    for index in range(len(view.paragraphs)):
        lines = view.lines_of(index)
        out += [(a, b) for a, b in zip(lines, lines[1:])
                if a and b and digit.fullmatch(a[-1]) and digit.match(b)]
    return out


@sync
async def test_text_and_source_wrap_by_the_chinese_rules(built: tuple[Path, str]) -> None:
    db, _sentence = built
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, db, AGENCY)
        view = screen.query_one("#text", TextView)
        lines = view.lines()
        assert len(lines) > len(view.paragraphs)  # NUMBERS is several lines at 80 columns
        assert max(len(line) for line in lines) <= view.size.width
        assert not [line for line in lines if line[:1] in NO_LINE_START]
        assert not _split_number(view)
        # the paragraph is whole in the view, its lines only break it
        assert NUMBERS in [p.text.plain for p in view.paragraphs]
        await pilot.press("5")
        await pilot.pause()
        source = screen.query_one("#source", TextView)
        body = [line[source.margin:] for line in source.lines()]
        assert not [line for line in body if line[:1] in NO_LINE_START]
        assert not _split_number(source)
        # printed lines keep their numbers; a continuation line has none
        assert [p.gutter for p in source.paragraphs][:3] == ["1", "2", "3"]
        await pilot.resize_terminal(120, 30)  # wider: wrapped again, fewer lines
        await settle(pilot)
        assert len(source.lines()) < len(body)
        await pilot.press("1")
        await pilot.pause()
        assert len(view.lines()) < len(lines)


@sync
async def test_the_figure_line_follows_the_table_shown(built: tuple[Path, str]) -> None:
    db, _sentence = built
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, db, AGENCY)
        cell = screen.query_one("#cell", Static)
        await pilot.press("3", "right", "down")
        await pilot.pause()
        said = str(cell.render())
        assert "=" in said
        await pilot.press("1")  # the text: no figure line
        await pilot.pause()
        assert str(cell.render()).strip() == ""
        await pilot.press("4")  # another table: its own cell, never table 三's
        await pilot.pause()
        assert str(cell.render()) != said
        await pilot.press("3")
        await pilot.pause()
        assert str(cell.render()) == said
        await pilot.press("5")
        await pilot.pause()
        assert str(cell.render()).strip() == ""


@pytest.mark.skipif(pdfmaker.available() is not None, reason=str(pdfmaker.available()))
@sync
async def test_the_text_shows_a_pdfs_paragraphs_joined(tmp_path: Path) -> None:
    made = pdfmaker.make_pdf(pdfmaker.Traits(prose_repeat=2), seed=577)
    (tmp_path / "reports").mkdir()
    made.write(tmp_path / "reports")
    db = tmp_path / "archive.db"
    with Archive(db) as arch:
        import_paths(arch, [str(tmp_path / "reports")])
    long_paragraph = generate.default_prose(made.figures, made.agency, made.year,
                                            random.Random(0))[1].split("\n")[0]
    app = GoiApp(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_report(1)
        await settle(pilot)
        screen = app.screen
        text = [p.text.plain for p in screen.query_one("#text", TextView).paragraphs]
        source = [p.text.plain for p in screen.query_one("#source", TextView).paragraphs]
        assert long_paragraph in text  # one paragraph, as the reader joined it
        assert long_paragraph not in source  # the source: lines as printed


@sync
async def test_the_next_report_opened_shows_nothing_of_the_last(built: tuple[Path, str]) -> None:
    """The report screen is kept and only loads the next report: nothing of the one before
    (its highlight, tab, figure line, findings) stays."""
    db, _sentence = built
    app = GoiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await _opened_from_findings(pilot, "T-APP")
        assert first.query_one("#text", TextView).styled(FOUND_STYLE)
        await pilot.press("3", "right", "down")
        await pilot.pause()
        await pilot.press("q", "q")
        await settle(pilot)
        app.open_report(_id_of(db, OTHER))
        await settle(pilot)
        screen = app.screen
        assert screen is first and screen.report.agency == OTHER
        assert screen.query_one(TabbedContent).active == "tab-text"
        assert not screen.query_one("#text", TextView).styled(FOUND_STYLE)
        assert str(screen.query_one("#cell", Static).render()).strip() == ""
        assert AGENCY not in "".join(screen.query_one("#text", TextView).lines())
        findings = screen.query_one("#findings", OptionList)
        assert findings.option_count == len(screen.report.findings)
        assert app.focused is findings
