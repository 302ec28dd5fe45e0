"""X rules on two years of one agency, across a template change too, and in the archive."""

from __future__ import annotations

import re
from pathlib import Path

from test_validate_support import figures, of, parsed, store

from goitui import labels
from goitui.archive.findings import check_report
from goitui.archive.store import Archive
from goitui.model import INFO, WARNING
from goitui.validate.report import validate_report

T19, T21 = labels.T2019, labels.T2021
PROSE = {
    2020: {1: "二〇二〇年，本镇围绕疫情防控和复工复产，及时发布防控通告、物资保障和惠企政策信息，"
              "并在各村公开栏同步张贴，群众知晓率明显提高。",
           5: "主要问题是部分站所报送信息不及时、解读材料偏少。下一步将建立月度通报制度，"
              "把信息报送纳入年终考核。"},
    2021: {1: "这一年我们把乡村振兴、集体经济和人居环境整治作为公开重点，开设专题栏目，"
              "发布项目资金、招投标结果和验收情况，接受群众监督。",
           5: "公开栏目设置与新版标准目录对照仍有缺项，政策解读形式单一。将按标准目录逐项梳理，"
              "增加图解和视频解读。"},
    2022: {1: "本年度重点公开了防汛抗旱、农村危房改造和民生实事项目的进展，"
              "对涉及群众切身利益的事项做到事前公示、事后公开，办理结果及时反馈。",
           5: "网站信息更新仍有滞后，个别栏目长期空白。将明确栏目责任人，每周检查，"
              "发现空白栏目限期补齐。"},
}


def pair(t1: str, t2: str, y1: int, y2: int) -> tuple[dict, dict]:
    """Two coherent years; 本年增/减 of year one set so that X-PREV-ITEMS holds for every row
    (the generator leaves a row free when last year's items + change would be ≤ 0)."""
    f1 = figures(t1, seed=y1)
    f2 = figures(t2, seed=y2, previous=f1)
    if t1 == t2 == T19:
        for k in [k for k in f1 if k.endswith(".change")]:
            prev = k.replace(".change", ".prev_items")
            f1[k] = f2[prev] - f1[prev]
    return f1, f2


def x_findings(f1: dict, f2: dict, t1: str, t2: str, y1: int, y2: int) -> list:
    r1 = parsed(f1, t1, year=y1, prose=PROSE[y1])
    r2 = parsed(f2, t2, year=y2, prose=PROSE[y2])
    return [f for f in validate_report(r2, r1) if f.rule.startswith("X-") and f.rule != "X-JUMP"]


def test_consistent_years_raise_no_x_finding() -> None:
    for t1, t2, y1, y2 in ((T21, T21, 2021, 2022), (T19, T19, 2020, 2021), (T19, T21, 2020, 2021)):
        f1, f2 = pair(t1, t2, y1, y2)
        assert x_findings(f1, f2, t1, t2, y1, y2) == [], (t1, t2)


def test_carry_fires_across_the_template_change() -> None:
    """2020 on the 2019 template, 2021 on the 2021 template: rows 二 and 四 are the same."""
    f1, f2 = pair(T19, T21, 2020, 2021)
    f2["applications.carried_over.natural_person"] += 4
    f2["applications.carried_over.total"] += 4
    found = x_findings(f1, f2, T19, T21, 2020, 2021)
    assert {f.rule for f in found} == {"X-CARRY"}
    f = next(f for f in found if "自然人" in f.message)
    assert f.severity == WARNING and f.actual - f.expected == 4
    assert f.expected == f1["applications.carried_forward.natural_person"]
    assert "二、上年结转 2021 ≠ 四、结转下年度 2020" in f.message


def test_no_section_two_continuity_across_the_template_change() -> None:
    f1, f2 = pair(T19, T21, 2020, 2021)
    f2 = {k: (v + 100 if k.startswith("proactive.") and not k.endswith("amount_wan") else v)
          for k, v in f2.items()}
    found = x_findings(f1, f2, T19, T21, 2020, 2021)
    assert not of(found, "X-IN-FORCE") and not of(found, "X-PREV-ITEMS")


def test_in_force_fires_on_the_2021_template() -> None:
    f1, f2 = pair(T21, T21, 2021, 2022)
    f2["proactive.regulations.in_force"] += 3
    found = of(x_findings(f1, f2, T21, T21, 2021, 2022), "X-IN-FORCE", INFO)
    assert [f.keys for f in found] == [["proactive.regulations.in_force"]]
    assert found[0].actual - found[0].expected == 3 and "规章" in found[0].message


def test_prev_items_fires_on_the_2019_template() -> None:
    f1, f2 = pair(T19, T19, 2020, 2021)
    key = "proactive.penalty.prev_items"
    f2[key] += 2
    found = of(x_findings(f1, f2, T19, T19, 2020, 2021), "X-PREV-ITEMS", INFO)
    assert [f.keys for f in found] == [[key]] and found[0].actual - found[0].expected == 2


def test_jump() -> None:
    f1, f2 = pair(T21, T21, 2021, 2022)
    key = "reviews.review.upheld"
    f2[key] = f1[key]
    r1 = parsed(f1, T21, year=2021, prose=PROSE[2021])
    quiet = parsed(f2, T21, year=2022, prose=PROSE[2022])
    assert not [f for f in of(validate_report(quiet, r1), "X-JUMP") if key in f.keys]
    f2[key] = f1[key] * 100
    loud = parsed(f2, T21, year=2022, prose=PROSE[2022])
    found = [f for f in of(validate_report(loud, r1), "X-JUMP") if key in f.keys]
    assert len(found) == 1 and found[0].severity == INFO and "tenfold" in found[0].message


def test_reuse() -> None:
    f1, f2 = pair(T21, T21, 2021, 2022)
    same = validate_report(parsed(f2, T21, year=2022), parsed(f1, T21, year=2021))  # stock prose
    found = of(same, "X-REUSE", WARNING)
    assert sorted(f.section for f in found) == [1, 5]
    assert all(float(re.search(r"([\d.]+)% the same", f.message)[1]) >= 90 for f in found)
    assert len({f.fingerprint for f in found}) == 2  # one per section, whatever the ratio
    assert not of(validate_report(parsed(f2, T21, year=2022, prose=PROSE[2022]),
                           parsed(f1, T21, year=2021, prose=PROSE[2021])), "X-REUSE")


def test_without_previous_year_says_so() -> None:
    found = [f for f in validate_report(parsed(figures(T21), T21), None) if f.rule.startswith("X-")]
    assert [(f.rule, f.severity) for f in found] == [("X-CARRY", INFO)]
    assert "not assessed" in found[0].message


def test_archive_revalidates_the_following_year(tmp_path: Path) -> None:
    f1, f2 = pair(T19, T21, 2020, 2021)
    f2["applications.carried_over.research"] += 1
    f2["applications.carried_over.total"] += 1
    with Archive(tmp_path / "a.db") as arch:
        store(arch, parsed(f2, T21, year=2021, prose=PROSE[2021]), "2021.txt")
        before = check_report(arch, "青石镇", 2021).reports[0]
        assert [f.severity for f in before.findings if f.rule == "X-CARRY"] == [INFO]
        store(arch, parsed(f1, T19, year=2020, prose=PROSE[2020]), "2020.txt")
        after = check_report(arch, "青石镇", 2021).reports[0]
        carry = [f for f in after.findings if f.rule == "X-CARRY"]
        assert [f.severity for f in carry] == [WARNING, WARNING]
        assert any("科研机构" in f.message for f in carry)


def test_a_figure_is_named_with_its_own_columns_label() -> None:
    from goitui.validate.common import figure_name

    # the 2019 column 处理决定数量, not the 2021 one (本年处理决定数量) that shares its key
    assert figure_name("proactive.other_services.decisions").endswith("· 处理决定数量")
    assert figure_name("applications.new_received.total") == "一、本年新收 · 总计"
