"""Near-name candidates through an index: the same answer as comparing with every name.

A new agency is offered its near candidates (rapidfuzz ratio ≥ 70) from ``NearIndex``, which
scores only the cores that can reach 70; these tests hold it to ``names.near`` over every core,
on names as reports print them and on arbitrary strings (the filter is exact, not a heuristic).
"""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from goitui import names as agency_names
from goitui.archive.store import Archive, NameIndex

PROVINCES = ["河北省", "山西省", "浙江省", "安徽省", "福建省", "江西省", "湖南省", "四川省"]
CITIES = ["石家庄市", "太原市", "温州市", "芜湖市", "泉州市", "赣州市", "岳阳市", "绵阳市",
          "邯郸市", "大同市"]
COUNTIES = ["正定县", "清徐县", "瑞安市", "南陵县", "晋江市", "于都县", "平江县", "三台县",
            "涉县", "阳高县", "永嘉县", "鹿城区", "鸠江区", "丰泽区", "章贡区", "岳阳楼区"]
TOWNS = ["城关镇", "塘下镇", "湖山乡", "东街街道", "西渡镇", "花桥乡", "龙泉镇", "柏林乡"]
OFFICES = ["人民政府", "人民政府办公室", "教育局", "财政局", "公安局", "自然资源局", "卫生健康委员会",
           "市场监督管理局", "生态环境局", "发展和改革局", "交通运输局", "人力资源和社会保障局"]


def realistic_names() -> list[str]:
    """Agency names as annual reports print them: province, city, county and township bodies,
    with and without the regions above them, some one character apart."""
    names = [p + o for p, o in itertools.product(PROVINCES, ["人民政府", "教育厅", "财政厅"])]
    names += [c + o for c, o in itertools.product(CITIES, OFFICES)]
    names += [c + o for c, o in itertools.product(COUNTIES, OFFICES)]
    names += [city + county + o for city, county, o in zip(CITIES * 2, COUNTIES, OFFICES * 2)]
    names += [county + town + "人民政府" for county, town in itertools.product(COUNTIES[:6], TOWNS)]
    names += [town + suffix for town in TOWNS for suffix in ("人民政府", "政府")]
    names += ["沐阳县教育局", "沭阳县教育局", "江苏省教育厅", "江西省教育厅", "洪泽区教育局",
              "洪泽区体育局", "淮安市洪泽区人民政府", "洪泽区政府"]
    return names


def test_near_candidates_are_those_of_every_name_for_realistic_names() -> None:
    names = realistic_names()
    random.Random(4).shuffle(names)
    cores = [agency_names.core(n) for n in names]
    index = agency_names.NearIndex(cores)
    offered = 0
    for name in names + ["温州市鹿城区教育局", "芜湖县财政局", "晋江市城关镇人民政府", "绵阳市三台县公安厅"]:
        for limit in (5, 50):
            assert index.near(name, limit) == agency_names.near(name, cores, limit), name
        offered += len(index.near(name))
    assert offered > len(names)  # the names are near one another: the test compares something


def test_index_grows_as_names_are_added() -> None:
    names = realistic_names()
    index = agency_names.NearIndex()
    for i, name in enumerate(names):
        assert index.near(name) == agency_names.near(name, index.cores)
        assert index.add(agency_names.core(name)) == i


ALPHABET = "洪泽区县镇教育局政府人民ab"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=12), max_size=40), st.text(ALPHABET, max_size=12),
       st.integers(min_value=1, max_value=8))
def test_near_through_the_index_is_exact(cores: list[str], name: str, limit: int) -> None:
    """Any strings, with many ties and scores right at 70: the same positions, same order."""
    assert agency_names.NearIndex(cores).near(name, limit) == agency_names.near(name, cores, limit)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=14), max_size=60), st.text(ALPHABET, max_size=14),
       st.integers(min_value=0, max_value=4))
def test_near_is_exact_whatever_the_rarest_characters_asked(cores: list[str], name: str,
                                                            extra: int) -> None:
    """The pool asks a core to hold ``extra + 1`` of the query's rarest characters, counted
    as often as the query has them: the answer is the same with any number of them."""
    index = agency_names.NearIndex(cores)
    index.EXTRA = extra
    assert index.near(name, 5) == agency_names.near(name, cores, 5)


def test_near_scores_few_cores_for_a_name_with_a_region_in_front() -> None:
    """Names with a region in front (东山市江北县东镇) share their common place characters
    with a tenth of the archive each: a core holding one of the query's rarest characters
    was scored (5 % of 3,000 names, 8 % of 30,000: 1 ms a new agency); one holding two of
    them is (1 %), with the same answers."""
    from goitui.testing.generate import agency_names as generated

    names = generated(3000, random.Random(3))
    index = agency_names.NearIndex(agency_names.core(n) for n in names)
    asked = ["东山市" + n for n in generated(40, random.Random(-3))]
    offered = 0
    for name in asked:
        assert index.near(name) == agency_names.near(name, index.cores), name
        offered += bool(index.near(name))
    scored = sum(len(index._pool(agency_names.core(n))) for n in asked) / len(asked)
    assert offered > 5 and scored < len(names) / 50


def test_a_new_agency_notes_its_near_names(tmp_path) -> None:
    with Archive(tmp_path / "a.db") as archive, archive.transaction():
        for name in ("沐阳县农业农村局", "泗阳县农业农村局", "邳州市财政局"):
            archive.agency_for_import(name)
        agency_id, joined = archive.agency_for_import("沭阳县农业农村局")
        note = archive.agency(agency_id)["note"]
    assert "new agency" in str(joined)
    assert "沐阳县农业农村局" in note and "泗阳县农业农村局" in note and "邳州" not in note


def test_candidates_through_the_archive_index_grow_with_the_names_alone() -> None:
    """Names ending in the same words (…县教育局: one in every county) were each compared
    with every other such name when a new one came; the index asks the few whose core ends
    with its own or that its own ends with: 4× the names cost about 4×, not 16×."""
    from goitui.archive.store import NameIndex
    from goitui.testing import hostile

    place = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def county_offices(count: int) -> tuple[NameIndex, list[str]]:
        rng = random.Random(count)
        index = NameIndex()
        for i in range(count):
            name = "".join(rng.sample(place, 2)) + "县教育局"
            index.put(name, i, agency_names.core(name))
        index.candidates("某某县教育局")  # sorted once, as the first import of a batch does
        return index, ["".join(rng.sample(place, 2)) + "县教育局" for _ in range(count)]

    def ask(made: tuple[NameIndex, list[str]]) -> None:
        index, names = made
        for name in names:
            index.candidates(name)

    assert hostile.growth(ask, county_offices, 1000) < 8.0
    index, names = county_offices(300)
    for name in [*names, "教育局", "县教育局", *[n for n, _ in index.owners[:50]]]:
        assert index.candidates(name) == agency_names.candidates(name, index.cores), name


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(ALPHABET, min_size=1, max_size=10), max_size=80), max_size=6),
       st.text(ALPHABET, max_size=10))
def test_the_archive_index_answers_as_every_name_between_any_batches(
        batches: list[list[str]], asked: str) -> None:
    """Names put a few at a time (an import's new agencies, inserted in place) or by the
    hundred (a load, sorted in at once): every question has ``names.candidates``' answer."""
    index = NameIndex()
    for number, batch in enumerate(batches):
        for name in batch:
            index.put(name, number, agency_names.core(name))
        for name in (asked, *batch[:3]):
            assert index.candidates(name) == agency_names.candidates(name, index.cores), name
