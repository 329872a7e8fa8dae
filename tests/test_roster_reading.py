"""Reading rosters: every date and boolean form of the contract, encodings, headers,
formats, and complete problem reports. No row is ever dropped."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from policylang.lang import schema as S
from policylang.io.roster.cells import parse_bool, parse_date
from policylang.io.roster.reader import load_roster, roster_from_records

from .conftest import EXAMPLES


@pytest.mark.parametrize("text,expected", [
    ("2025-09-01", dt.date(2025, 9, 1)), ("2025/9/1", dt.date(2025, 9, 1)), ("2025.09.01", dt.date(2025, 9, 1)),
    ("2025年9月1日", dt.date(2025, 9, 1)), ("2025-09", dt.date(2025, 9, 1)), ("2025.9", dt.date(2025, 9, 1)),
    ("2025年9月", dt.date(2025, 9, 1)), ("2024-02-29", dt.date(2024, 2, 29)), ("", None),
    ("2025-09-01 00:00:00", dt.date(2025, 9, 1)),
])
def test_date_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2025-13-01", "2023-02-29", "九月", "2025/9/1/2", "01-09-2025"])
def test_bad_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_written_date_form_reads_back(day):
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month:02d}.{day.day:02d}",
                 f"{day.year}年{day.month}月{day.day}日"):
        assert parse_date(text) == day


@pytest.mark.parametrize("text,expected", [
    ("true", True), ("FALSE", False), ("1", True), ("0", False), ("Y", True), ("n", False), ("yes", True),
    ("No", False), ("是", True), ("否", False), ("有", True), ("无", False), ("", False), (None, False),
])
def test_booleans(text, expected):
    assert parse_bool(text) is expected


def _write_csv(path, header, rows, encoding):
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


SCHOOL_HEADER_ZH = ["学校代码", "学校名称", "区域", "学段"]
SCHOOLS_ZH = [["S1", "城关小学", "城区", "小学"]]
TEACHER_HEADER_ZH = ["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "职称", "骨干级别", "孕期"]
TEACHERS_ZH = [["1001", "王芳", "女", "1980年3月1日", "S1", "2015.09", "2002/9/1", "中学高级", "区级", "是"],
               ["1002", "李强", "男", "1975-05-06", "S1", "2010-09-01", "1998-09-01", "小学高级", "无", ""]]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_chinese_headers_and_labels_in_every_encoding(tmp_path, encoding):
    _write_csv(tmp_path / "t.csv", TEACHER_HEADER_ZH, TEACHERS_ZH, encoding)
    _write_csv(tmp_path / "s.csv", SCHOOL_HEADER_ZH, SCHOOLS_ZH, encoding)
    roster = load_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    assert roster.problems == ()
    first, second = (r.values for r in roster.teachers)
    assert (first["sex"], first["birth_date"], first["school_start"], first["title"], first["backbone"],
            first["pregnant"]) == ("F", dt.date(1980, 3, 1), dt.date(2015, 9, 1), "senior", "county", True)
    assert (second["title"], second["backbone"], second["pregnant"]) == ("first", "none", False)
    assert roster.schools["S1"]["area"] == "urban"


def test_explicit_encoding(tmp_path):
    _write_csv(tmp_path / "t.csv", TEACHER_HEADER_ZH, TEACHERS_ZH, "gbk")
    _write_csv(tmp_path / "s.csv", SCHOOL_HEADER_ZH, SCHOOLS_ZH, "gbk")
    assert load_roster(tmp_path / "t.csv", tmp_path / "s.csv", encoding="gbk").problems == ()


def test_xlsx_with_date_cells_and_numeric_ids(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "sex", "birth_date", "school_id", "school_start", "work_start", "rural_years"])
    ws.append([1001.0, "F", dt.datetime(1980, 3, 1), "S1", dt.datetime(2015, 9, 1), "2002-09-01", 3])
    wb.save(tmp_path / "t.xlsx")
    _write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]], "utf-8")
    roster = load_roster(tmp_path / "t.xlsx", tmp_path / "s.csv")
    assert roster.problems == ()
    values = roster.teachers[0].values
    assert (values["id"], values["birth_date"], values["rural_years"]) == ("1001", dt.date(1980, 3, 1), 3)


def test_every_problem_is_reported_and_no_row_dropped():
    roster = load_roster(EXAMPLES / "bad" / "teachers_bad.csv", EXAMPLES / "bad" / "schools.csv")
    assert len(roster.teachers) == 12
    found = {(p.row, p.column, p.value, p.code) for p in roster.problems}
    assert found == {
        (2, "工号", "T0001", "R004"),
        (3, "出生日期", "1985-13-01", "R002"), (4, "性别", "男性", "R003"), (5, "工号", "T0001", "R004"),
        (6, "学校代码", "S99", "R005"), (7, "到校时间", "", "R006"), (8, "职称", "特级教师", "R003"),
        (9, "在编在岗", "也许", "R008"), (10, "农村任教年限", "三年", "R007"),
    }
    assert [r.valid for r in roster.teachers] == [False] * 9 + [True] * 3


def test_missing_required_columns_and_unreadable_files(tmp_path):
    _write_csv(tmp_path / "t.csv", ["id", "sex"], [["1", "M"]], "utf-8")
    _write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]], "utf-8")
    roster = load_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    missing = sorted(p.column for p in roster.problems if p.code == "R001")
    assert missing == ["birth_date", "school_id", "school_start", "work_start"]
    assert not roster.teachers[0].valid
    roster = load_roster(tmp_path / "t.ods", tmp_path / "s.csv")
    assert [p.code for p in roster.problems] == ["R009"]


def test_duplicate_columns_in_two_languages(tmp_path):
    _write_csv(tmp_path / "s.csv", ["school_id", "学校代码"], [["S1", "S1"]], "utf-8")
    _write_csv(tmp_path / "t.csv", TEACHER_HEADER_ZH, TEACHERS_ZH, "utf-8")
    roster = load_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    assert [p.code for p in roster.problems] == ["R010", "R014", "R014"]  # no school read: no teacher decided


def test_extra_columns_are_kept_and_declared_ones_typed(tmp_path):
    _write_csv(tmp_path / "t.csv", TEACHER_HEADER_ZH + ["编外", "备注"], [r + ["是", "无"] for r in TEACHERS_ZH], "utf-8")
    _write_csv(tmp_path / "s.csv", SCHOOL_HEADER_ZH, SCHOOLS_ZH, "utf-8")
    extra = (S.Field("编外", "编外", S.T.BOOL),)
    roster = load_roster(tmp_path / "t.csv", tmp_path / "s.csv", teacher_extra=extra)
    assert roster.problems == ()
    assert roster.teachers[0].values["编外"] is True and roster.teachers[0].values["备注"] == "无"


def test_all_example_formats_give_the_same_rows():
    def rows(teachers, schools):
        roster = load_roster(EXAMPLES / teachers, EXAMPLES / schools)
        assert roster.problems == ()
        return [r.values for r in roster.teachers]

    reference = rows("teachers.csv", "schools.csv")
    assert len(reference) == 400
    for teachers, schools in (("teachers_zh.csv", "schools_zh.csv"), ("teachers.xlsx", "schools.csv"),
                              ("teachers.parquet", "schools.csv"), ("teachers.json", "schools.csv")):
        assert rows(teachers, schools) == reference, teachers


def test_records_in_memory_are_read_the_same_way():
    roster = roster_from_records(
        [{"工号": "1", "性别": "女", "出生日期": dt.date(1980, 1, 1), "学校代码": "S1", "到校时间": "2015年9月",
          "参加工作时间": "2000-09-01", "孕期": True}],
        [{"school_id": "S1", "area": "山区"}])
    assert roster.problems == ()
    assert roster.teachers[0].values["school_start"] == dt.date(2015, 9, 1)
    assert roster.schools["S1"]["area"] == "mountain"


def test_a_utf8_file_with_stray_bytes_is_refused_naming_the_line_not_read_on_a_guess(tmp_path):
    """Three stray bytes before the first row of a UTF-8 file (neither UTF-8 nor GB18030) were
    read on charset_normalizer's guess, cp1252: 1001 became ˙ţú1001 and 王芳 mojibake, exit 0.
    No guess now: R009 naming the line and byte, and saying how to fix it; both readers refuse."""
    import policylang
    from policylang.io.columnar import read_frame

    from .conftest import POLICIES

    _write_csv(tmp_path / "t.csv", TEACHER_HEADER_ZH, TEACHERS_ZH, "utf-8")
    _write_csv(tmp_path / "s.csv", SCHOOL_HEADER_ZH, SCHOOLS_ZH, "utf-8")
    data = (tmp_path / "t.csv").read_bytes()
    at = data.index(b"\n") + 1
    (tmp_path / "t.csv").write_bytes(data[:at] + b"\xff\xfe\xfa" + data[at:])
    roster = load_roster(tmp_path / "t.csv", tmp_path / "s.csv")
    assert [(p.code, p.file) for p in roster.problems] == [("R009", str(tmp_path / "t.csv"))]
    said = roster.problems[0]
    assert f"第 2 行（文件第 {at + 1} 个字节）既不是 UTF-8 也不是 GB18030 编码" in said.message_zh
    assert "另存为“CSV UTF-8”" in said.message_zh and "--encoding" in said.message_zh
    assert f"line 2 (byte {at + 1} of the file)" in said.message_en and "--encoding" in said.message_en
    assert not roster.teachers  # nothing read on a guess
    policy = policylang.load(POLICIES / "fujian.pol")
    problems, _, read, _ = read_frame(policy.checked, tmp_path / "t.csv", tmp_path / "s.csv", skip_invalid=True)
    assert [p.code for p in problems] == ["R009"] and read == 0
