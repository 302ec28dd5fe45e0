"""A finding about the prose keeps the report's own words it is about (``Finding.words``).

The browser opens such a finding at those words and highlights them, so each word must be
found as it is in its section's text. The words are a new key of a finding's JSON: they do
not enter the fingerprint (a stored review stays with its finding) and older archives,
without them, still load.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from test_validate_support import of, parsed, store

from goitui import labels
from goitui.archive.findings import finding_dict
from goitui.archive.store import Archive
from goitui.model import WARNING, Finding
from goitui.testing import generate
from goitui.validate.report import validate_report

T21 = labels.T2021
AGENCY = "白沙河乡人民政府"


def _figures(seed: int, previous: dict | None = None) -> dict:
    return dict(generate.make_figures(T21, random.Random(seed), previous=previous))


def test_a_disagreeing_sentence_is_the_findings_words() -> None:
    figs = _figures(83)
    carried = figs["applications.carried_over.total"]
    sentence = f"2023年，本乡上年结转政府信息公开申请{carried + 4}件"
    prose = {1: f"（一）依申请公开\n{sentence}。各项申请均依法答复。"}
    report = parsed(figs, T21, agency=AGENCY, year=2023, prose=prose)
    found = of(validate_report(report, None), "T-APPLICATIONS", WARNING)
    assert [f.words for f in found] == [[sentence]]
    assert sentence in report.sections[found[0].section].body


def test_spam_terms_are_the_words_as_printed() -> None:
    prose = {5: "（一）存在问题\n网站曾被植入BET365与时时彩链接，已清理。\n（二）改进措施\n加强巡查。"}
    report = parsed(_figures(84), T21, agency=AGENCY, year=2021, prose=prose)
    found = of(validate_report(report, None), "C-INJECTED")
    assert len(found) == 1 and found[0].section == 5
    assert sorted(found[0].words) == ["BET365", "时时彩"]  # case as printed, not as matched
    assert all(w in report.sections[5].body for w in found[0].words)


def test_copied_sentences_are_the_words_of_a_reuse_finding() -> None:
    before = _figures(85)
    after = _figures(86, previous=before)
    fresh = "今年新建了村务公开电子屏十二块。"
    last = parsed(before, T21, agency=AGENCY, year=2020)
    now = parsed(after, T21, agency=AGENCY, year=2021)
    body = now.sections[1].body
    now.sections[1].body = body + "\n" + fresh
    found = [f for f in of(validate_report(now, last), "X-REUSE") if f.section == 1]
    assert found and found[0].words
    assert fresh not in found[0].words
    assert all(w in now.sections[1].body for w in found[0].words)


def test_words_are_a_new_key_outside_the_fingerprint() -> None:
    plain = Finding("T-REVIEWS", WARNING, "the prose says 3", keys=["reviews.review.total"],
                    section=1, expected=2, actual=3)
    worded = Finding("T-REVIEWS", WARNING, "the prose says 3", keys=["reviews.review.total"],
                     section=1, expected=2, actual=3, words=["收到行政复议3件"])
    assert plain.fingerprint == worded.fingerprint
    old_keys = [k for k in plain.to_dict() if k != "words"]
    assert list(worded.to_dict()) == old_keys[:-1] + ["words", "fingerprint"]
    assert worded.to_dict()["words"] == ["收到行政复议3件"]
    assert list(finding_dict(worded))[-2:] == ["words", "fingerprint"]  # goi validate's JSON


def test_the_archive_keeps_the_words_and_reads_older_rows(tmp_path: Path) -> None:
    prose = {5: "（一）存在问题\n页面出现六合彩广告。"}
    report = parsed(_figures(87), T21, agency=AGENCY, year=2022, prose=prose)
    report.findings += validate_report(report, None)
    path = tmp_path / "archive.db"
    with Archive(path) as arch:
        rid = store(arch, report)
        loaded = arch.load(rid)
    assert [f.words for f in of(loaded.findings, "C-INJECTED")] == [["六合彩"]]
    with sqlite3.connect(path) as conn:  # a finding stored before words were kept
        conn.execute("UPDATE findings SET words = NULL")
    with Archive(path) as arch:
        assert all(f.words == [] for f in arch.load(rid).findings)
