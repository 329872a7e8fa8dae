"""Headers as templates decorate them (an HR trial): a required column's mark (*工号, 工号*),
white space inside (孕 期, 性别\\n（男/女）) and a hint in brackets at the end (性别(男/女),
出生日期(yyyy-mm-dd)) are read as their column when the header is no name itself and the
reading is one field (``Table.header_reading``); the header as written is what messages quote.
The header row below a title is found by the same reading, in both readers. A hint that says
what the column holds (its values, a date's form, its unit) is left out silently; any other is
left out and said (R032), so that 出生日期(年) or 农村任教年限（月） does not pass unseen."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

import policylang
from policylang.io.columnar import read_frame
from policylang.io.roster.header import map_header
from policylang.io.roster.reader import load_table
from policylang.lang import schema as S

CORPUS = Path("tests/cases/rosters_bad")
SCHOOLS = CORPUS / "schools.csv"
HEADER = ["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "在编在岗", "孕期", "农村任教年限",
          "职称", "姓名"]
DECORATED = ["*工号", "性别\n（男/女）", "出生日期(yyyy-mm-dd)", "学校代码*", "到校时间", "参加工作时间",
             "在编在岗(是/否)", "孕　期", "农村任教年限（年）", "专业技术职务（职称）", "姓 名"]
TITLE = "青溪县2025年义务教育学校教师交流轮岗花名册（2025年9月）"
ROWS = [["T1", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01", "是", "否", "0", "一级教师", "王芳"],
        ["T2", "男性", "1979-03-01", "S1", "2015-09-01", "2002-09-01", "是", "否", "4", "一级教师", "李明"]]


@pytest.fixture(scope="module")
def policy():
    return policylang.load(CORPUS / "policy.pol")


@pytest.mark.parametrize("header, name", [
    ("*工号", "id"), ("工号*", "id"), ("＊工号", "id"), ("※工号", "id"), ("性别(男/女)", "sex"),
    ("性别\n（男/女）", "sex"), ("出生日期(yyyy-mm-dd)", "birth_date"), ("农村任教年限（年）", "rural_years"),
    ("在编在岗(是/否)", "on_staff"), ("孕 期", "pregnant"), ("孕\u3000期", "pregnant"), ("是否在编在岗*", "on_staff"),
    ("*性别*【男/女】", "sex"), ("工号[必填]", "id"), ("birth_date (yyyy-mm-dd)", "birth_date"),
    ("专业技术职务（职称）", "title"), ("任教学校数（所）", "schools_served")])
def test_a_decorated_header_is_read_as_its_column(header, name):
    assert S.TEACHERS.header_field(header).name == name


@pytest.mark.parametrize("header", ["岗位（职称）", "【必填】工号", "（必填）", "*", "工号(必填)(新)", "工 号 码"])
def test_a_header_no_one_reading_makes_a_column_is_unknown(header):
    """A hint naming another column (岗位 or 职称?) is no one field; only a hint at the end is left out."""
    assert S.TEACHERS.header_field(header) is None


def _workbook(path: Path, header: list[str]) -> Path:
    book = openpyxl.Workbook()
    book.active.append([TITLE])
    book.active.append(header)
    for row in ROWS:
        book.active.append(row)
    book.save(path)
    return path


def _csv(path: Path, header: list[str]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        pad = [""] * (len(header) - len(HEADER))
        csv.writer(f).writerows([[TITLE] + [""] * (len(header) - 1), header, *(row + pad for row in ROWS)])
    return path


def _with(decorated: str) -> list[str]:
    """HEADER with the column ``decorated`` decorates in its place."""
    return [decorated if decorated.startswith(h) else h for h in HEADER]


@pytest.mark.parametrize("write", [_workbook, _csv])
def test_a_decorated_header_below_a_title_is_found_and_read_as_the_plain_one(policy, tmp_path, write):
    """The HR trial's workbook: the title row was taken for the header (16 columns missing, every
    teacher undecided). Row 2 is the header; the rows read as under the plain header, the one
    problem quoting the header as written; nothing is said of the hints."""
    suffix = ".xlsx" if write is _workbook else ".csv"
    plain = policy.read_roster(write(tmp_path / f"plain{suffix}", HEADER), SCHOOLS)
    path = write(tmp_path / f"decorated{suffix}", DECORATED)
    roster = policy.read_roster(path, SCHOOLS)
    assert [(p.code, p.row, p.column, p.value) for p in roster.problems] == [("R003", 4, "性别\n（男/女）", "男性")]
    assert [(p.code, p.row, p.message_zh) for p in plain.problems] == [(p.code, p.row, p.message_zh)
                                                                        for p in roster.problems]
    assert [r.values for r in roster.teachers] == [r.values for r in plain.teachers]
    assert {w.code for w in roster.warnings} == {"R024"}  # the title; no R012, no R032
    if suffix == ".csv":  # the streamed reader finds the same header and says the same
        problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
        assert problems == list(roster.problems) and read == 2 and frame["id"].to_list() == ["T1"]
        assert [w for w in warnings if w.code in ("R024", "R032")] == [w for w in roster.warnings]


@pytest.mark.parametrize("header, hint", [("出生日期(年)", "年"), ("孕期（天数）", "天数"), ("性别(1男2女)", "1男2女")])
def test_a_hint_that_does_not_say_what_the_column_holds_is_said(policy, tmp_path, header, hint):
    """Read as the column all the same, and said once (R032, a warning naming the header as
    written), by both readers: months read as years would pass unseen otherwise."""
    path = _csv(tmp_path / "t.csv", _with(header))
    loaded = load_table(path, policy.checked.teachers)
    (said,) = [w for w in loaded.warnings if w.code == "R032"]
    field = S.TEACHERS.header_field(header)
    assert (said.file, said.row, said.column, said.warning) == (str(path), None, header, True)
    assert said.message_zh == (f"列“{header}”按“{field.zh}”读取，括注“{hint}”不是该列的取值、格式或单位，已忽略；"
                               f"请核对该列填写的确实是{field.zh}（{field.type.describe('zh')}）")
    assert f"column `{header}` is read as `{field.name}`" in said.message_en
    assert loaded.headers[field.name] == header
    _, _, _, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
    assert [w for w in warnings if w.code == "R032"] == [said]


@pytest.mark.parametrize("header, unit", [("农村任教年限（月）", "月"), ("农村任教年限(个月)", "月"),
                                          ("农村任教年限（单位：天）", "天"), ("农村任教年限 (months)", "月")])
def test_a_header_naming_another_unit_of_time_refuses_the_roster(policy, tmp_path, header, unit):
    """农村任教年限（月） over month counts (an HR trial: 6 months read as 6 years changed 64
    promotion decisions, with only a warning): the roster is refused (R039, naming the header
    and both units), by both readers; the column's own unit (年) is read silently."""
    path = _csv(tmp_path / "t.csv", _with(header))
    loaded = load_table(path, policy.checked.teachers)
    (said,) = [p for p in loaded.problems if p.code == "R039"]
    assert (said.row, said.column, said.warning) == (None, header, False)
    assert f"注明单位为{unit}" in said.message_zh and "按年计" in said.message_zh
    problems, frame, _, _ = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
    assert frame.height == 0 and [(p.code, p.column) for p in problems if p.row is None] == [("R039", header)]
    assert not map_header("t.csv", policy.checked.teachers, _with("农村任教年限（年）")).problems


@pytest.mark.parametrize("header", ["出生日期(年月日)", "出生日期（如：1985-03-01）", "出生日期(格式：YYYYMMDD)",
                                    "在编在岗(是否)", "孕期（有/无）", "农村任教年限(单位：年)", "工号（必填）",
                                    "姓名(按身份证填写)"])
def test_a_hint_that_says_what_the_column_holds_is_left_out_silently(policy, header):
    mapped = map_header("t.csv", policy.checked.teachers, _with(header))
    assert header in mapped.written.values() and not mapped.problems
    assert not [w for w in mapped.warnings if w.code == "R032"]


def test_a_column_and_its_decorated_twin_are_a_column_given_twice(policy, tmp_path):
    """出生日期 and 出生日期(yyyy-mm-dd) both: which is read is not known (R010, naming both)."""
    path = _csv(tmp_path / "t.csv", [*HEADER, "出生日期(yyyy-mm-dd)"])
    loaded = load_table(path, policy.checked.teachers)
    assert [(p.code, p.column) for p in loaded.problems] == [("R010", "出生日期(yyyy-mm-dd)")]
