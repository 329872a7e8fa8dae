"""The roster reader (``policylang.io.roster``): every date, boolean and number form of the
contract, encodings, header languages, file formats, and complete problem reports in
which every input row is kept."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.io.roster.model import RosterProblem
from policylang.io.roster.cells import parse_bool, parse_date
from policylang.io.roster.reader import load_roster, roster_from_records

from .conftest import EXAMPLES, make_examples

AS_OF = dt.date(2025, 9, 1)


# ---- helpers ---------------------------------------------------------------------------


def write_csv(path: Path, header, rows, encoding="utf-8", delimiter=",") -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def render(value, field: S.Field, zh: bool) -> str:
    return make_examples().cell(value, field.enum, zh)


def write_table(path: Path, table: S.Table, records: list[dict], *, zh: bool, encoding: str) -> Path:
    fields = [f for f in table.fields if any(f.name in r for r in records)]
    return write_csv(path, [f.zh if zh else f.name for f in fields],
                     [[render(r.get(f.name), f, zh) for f in fields] for r in records], encoding)


def problems_of(roster) -> set[tuple]:
    return {(Path(p.file).name, p.row, p.column, p.value, p.code) for p in roster.problems}


SCHOOL_RECORDS = [
    {"school_id": "S1", "name": "城关小学", "area": "urban", "stage": "primary", "weak": False, "quality": True,
     "staffing": "over", "cluster": "城关片区", "township": "城关镇", "students": 1200, "establishment": 60,
     "pilot": True},
    {"school_id": "S2", "name": "石城山区学校", "area": "mountain", "stage": "nine_year", "weak": True,
     "quality": False, "staffing": "under", "cluster": "山区片区", "township": "石城乡", "students": 180,
     "establishment": 18, "pilot": False},
]

TEACHER_RECORDS = [
    {"id": "T1", "name": "王芳", "sex": "F", "birth_date": dt.date(1980, 3, 1), "school_id": "S1",
     "school_start": dt.date(2015, 9, 1), "work_start": dt.date(2002, 9, 1), "post": "vice_principal",
     "post_start": dt.date(2020, 2, 29), "on_staff": True, "teaching": True, "title": "senior",
     "title_date": dt.date(2018, 12, 1), "backbone": "county", "subject": "语文", "surplus_subject": False,
     "starting_grade": True, "pregnant": False, "maternity_leave": False, "nursing": True,
     "serious_illness": False, "under_investigation": False, "sanction_until": None,
     "support_end": dt.date(2023, 7, 15), "support_selected": False, "rural_years": 3.5,
     "rural_continuous_years": 2, "weak_years": 0, "mountain_years": 1, "schools_served": 2,
     "last_rating": "excellent", "unqualified_streak": 0, "exchange_excellent_years": 1,
     "refused_exchange": None, "left_exchange_early": dt.date(2021, 6, 30), "exchange_failed": None},
    {"id": "T2", "name": "李强", "sex": "M", "birth_date": dt.date(1970, 9, 1), "school_id": "S2",
     "school_start": dt.date(2019, 9, 1), "work_start": dt.date(1992, 9, 1), "post": "principal",
     "post_start": dt.date(2019, 9, 1), "on_staff": True, "teaching": False, "title": "full_senior",
     "title_date": dt.date(2016, 1, 31), "backbone": "province", "subject": "数学", "surplus_subject": True,
     "starting_grade": False, "pregnant": False, "maternity_leave": False, "nursing": False,
     "serious_illness": True, "under_investigation": True, "sanction_until": dt.date(2026, 1, 1),
     "support_end": None, "support_selected": True, "rural_years": 12, "rural_continuous_years": 6,
     "weak_years": 6, "mountain_years": 6, "schools_served": 4, "last_rating": "unqualified",
     "unqualified_streak": 2, "exchange_excellent_years": 0, "refused_exchange": dt.date(2022, 9, 1),
     "left_exchange_early": None, "exchange_failed": dt.date(2024, 1, 5)},
]


def typed(record: dict, table: S.Table) -> dict:
    """What the reader gives for a record: every field present, booleans false when empty."""
    return {f.name: record.get(f.name, False if isinstance(f.type, T.BoolType) else None) for f in table.fields}


# ---- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("2025-09-01", dt.date(2025, 9, 1)),
    ("2025/09/01", dt.date(2025, 9, 1)),
    ("2025.09.01", dt.date(2025, 9, 1)),
    ("2025年09月01日", dt.date(2025, 9, 1)),
    ("2020/9/1", dt.date(2020, 9, 1)),
    ("2020-9-1", dt.date(2020, 9, 1)),
    ("2020.9.1", dt.date(2020, 9, 1)),
    ("2020年9月1日", dt.date(2020, 9, 1)),
    ("2025-09", dt.date(2025, 9, 1)),
    ("2025.09", dt.date(2025, 9, 1)),
    ("2025年9月", dt.date(2025, 9, 1)),
    ("2025-9", dt.date(2025, 9, 1)),
    ("2025/9", dt.date(2025, 9, 1)),  # as Excel exports a yyyy/m cell
    ("２０２５年９月１日", dt.date(2025, 9, 1)),  # full-width digits typed with a Chinese input method
    ("2025。09。01", dt.date(2025, 9, 1)),  # 。 typed for . by a Chinese input method (HR trial hr26)
    ("2025。9", dt.date(2025, 9, 1)),
    ("2025年9月1号", dt.date(2025, 9, 1)),  # 号 for 日, as a day of the month is said
    ("2024-02-29", dt.date(2024, 2, 29)),
    ("2000年2月29日", dt.date(2000, 2, 29)),
    ("  2025-09-01  ", dt.date(2025, 9, 1)),
    ("2025-09-01 00:00:00", dt.date(2025, 9, 1)),  # a date cell exported as text
    ("", None),
    ("   ", None),
    (None, None),
    (float("nan"), None),
    (dt.date(2020, 2, 29), dt.date(2020, 2, 29)),
    (dt.datetime(2020, 9, 1, 0, 0), dt.date(2020, 9, 1)),
])
def test_date_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", [
    "2025-13-01", "2025-00-10", "2025-09-31", "2023-02-29", "1900-02-29", "2025年13月", "2025-09/01",
    "01-09-2025", "2025", "20251301", "九月", "2025-09-01 08:30", "2025年九月一日", "yesterday", "2025。1",
    "2025-09-01号",
])
def test_bad_dates_raise(text):
    with pytest.raises(ValueError):
        parse_date(text)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_form_reads_back(day):
    full = [day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month:02d}.{day.day:02d}",
            f"{day.year}年{day.month}月{day.day}日", f"{day.year}年{day.month:02d}月{day.day:02d}日"]
    for text in full:
        assert parse_date(text) == day, text
    first = day.replace(day=1)
    for text in (f"{day.year}-{day.month:02d}", f"{day.year}.{day.month:02d}", f"{day.year}年{day.month}月"):
        assert parse_date(text) == first, text
    if day.month == 1:  # `2000.1`: January, or 2000.10 kept by Excel as a number: refused
        with pytest.raises(ValueError):
            parse_date(f"{day.year}.1")
    else:
        assert parse_date(f"{day.year}.{day.month}") == first


# ---- booleans --------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("true", True), ("TRUE", True), ("True", True), ("false", False), ("False", False),
    ("1", True), ("0", False), ("Y", True), ("y", True), ("N", False), ("n", False),
    ("yes", True), ("YES", True), ("no", False), ("No", False),
    ("是", True), ("否", False), ("有", True), ("无", False),
    (" 是 ", True), ("", False), ("  ", False), (None, False),
    (True, True), (False, False), (1, True), (0, False), (1.0, True), (0.0, False),
])
def test_boolean_forms(text, expected):
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", ["maybe", "也许", "2", "对", "-1", 2])
def test_bad_booleans_raise(text):
    with pytest.raises(ValueError):
        parse_bool(text)


# ---- headers, labels, encodings --------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_and_english_headers_give_identical_rows(tmp_path, encoding):
    english = load_roster(write_table(tmp_path / "t_en.csv", S.TEACHERS, TEACHER_RECORDS, zh=False, encoding="utf-8"),
                          write_table(tmp_path / "s_en.csv", S.SCHOOLS, SCHOOL_RECORDS, zh=False, encoding="utf-8"))
    chinese = load_roster(write_table(tmp_path / "t_zh.csv", S.TEACHERS, TEACHER_RECORDS, zh=True, encoding=encoding),
                          write_table(tmp_path / "s_zh.csv", S.SCHOOLS, SCHOOL_RECORDS, zh=True, encoding=encoding))
    assert english.problems == chinese.problems == ()
    expected = [typed(r, S.TEACHERS) for r in TEACHER_RECORDS]
    assert [r.values for r in english.teachers] == [r.values for r in chinese.teachers] == expected
    assert english.schools == chinese.schools == {r["school_id"]: typed(r, S.SCHOOLS) for r in SCHOOL_RECORDS}


def test_aliases_and_old_title_names(tmp_path):
    header = ["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "职称", "骨干级别", "岗位",
              "上年考核"]
    rows = [["1", "女", "1980-01-01", "S1", "2010-09-01", "2000-09-01", "小学高级", "区级", "副校长", "基本合格"],
            ["2", "m", "1980-01-01", "S1", "2010-09-01", "2000-09-01", "中学高级", "县级", "Teacher", "优秀"],
            ["3", "F", "1980-01-01", "S1", "2010-09-01", "2000-09-01", "中级", "无", "principal", ""],
            ["4", "female", "1980-01-01", "S1", "2010-09-01", "2000-09-01", "", "", "", ""]]
    roster = load_roster(write_csv(tmp_path / "t.csv", header, rows),
                         write_csv(tmp_path / "s.csv", ["学校代码", "区域", "学段"], [["S1", "县城", "九年一贯制"]]))
    assert roster.problems == ()
    got = [tuple(r.values[k] for k in ("sex", "title", "backbone", "post", "last_rating")) for r in roster.teachers]
    assert got == [("F", "first", "county", "vice_principal", "basic"),
                   ("M", "senior", "county", "teacher", "excellent"),
                   ("F", "first", "none", "principal", None),
                   ("F", "none", "none", None, None)]  # empty title and backbone mean none; other enums None
    assert roster.schools["S1"]["area"] == "town" and roster.schools["S1"]["stage"] == "nine_year"


def test_headers_are_trimmed_and_english_headers_any_case(tmp_path):
    header = [" ID ", "Sex", "BIRTH_DATE", " 学校代码", "school_start ", "work_start"]
    roster = load_roster(write_csv(tmp_path / "t.csv", header, [["7", "M", "1980-01-01", "S1", "2010-09", "2000-09"]]),
                         write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    assert roster.problems == ()
    assert roster.teachers[0].values["id"] == "7" and roster.teachers[0].values["school_start"] == dt.date(2010, 9, 1)


MINIMAL_ZH = ["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "备注"]
MINIMAL_ROWS = [["T1", "王芳", "女", "1980年3月1日", "S1", "2015.09", "2002/9/1", "𠮷字"],  # 𠮷 is outside GBK
                ["T2", "李强", "男", "1975-05-06", "S1", "2010-09-01", "1998-09-01", "无"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH, MINIMAL_ROWS, encoding)
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["学校代码"], [["S1"]], encoding))
    assert roster.problems == ()
    assert [(r.values["name"], r.values["备注"]) for r in roster.teachers] == [("王芳", "𠮷字"), ("李强", "无")]


def test_gbk_csv_as_wps_writes_it(tmp_path):
    rows = [r[:-1] + ["备注"] for r in MINIMAL_ROWS]
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH, rows, "gbk")
    with pytest.raises(UnicodeDecodeError):
        t.read_bytes().decode("utf-8")
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["学校代码"], [["S1"]], "gbk"))
    assert roster.problems == ()
    assert [r.values["name"] for r in roster.teachers] == ["王芳", "李强"]
    assert roster.teachers[0].values["birth_date"] == dt.date(1980, 3, 1)
    assert load_roster(t, tmp_path / "s.csv", encoding="gbk").problems == ()


def test_utf8_bom_does_not_stick_to_the_first_header(tmp_path):
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH, MINIMAL_ROWS, "utf-8-sig")
    assert t.read_bytes().startswith(b"\xef\xbb\xbf")
    for encoding in (None, "utf-8"):  # even when told plain utf-8
        roster = load_roster(t, write_csv(tmp_path / "s.csv", ["学校代码"], [["S1"]]), encoding=encoding)
        assert roster.problems == ()
        assert roster.teachers[0].values["id"] == "T1"


def test_excel_unicode_text_is_utf16_and_tab_separated(tmp_path):
    t = write_csv(tmp_path / "t.txt", MINIMAL_ZH, MINIMAL_ROWS, "utf-16", delimiter="\t")
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["学校代码"], [["S1"]]))
    assert roster.problems == ()
    assert [r.values["name"] for r in roster.teachers] == ["王芳", "李强"]


def test_a_wrong_explicit_encoding_is_a_file_problem(tmp_path):
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH, MINIMAL_ROWS, "utf-8")
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]), encoding="ascii")
    assert [(p.file, p.row, p.code) for p in roster.problems] == [(str(t), None, "R009")]  # s.csv is ASCII
    assert "ascii" in roster.problems[0].message_en
    assert roster.teachers == ()


def test_quoted_cells_with_commas_and_newlines(tmp_path):
    rows = [["T1", "欧阳, 娜", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01", "第一行\n第二行"],
            ["T2", "李强", "男", "1975-05-06", "S1", "2010-09-01", "1998-09-01", ""]]
    roster = load_roster(write_csv(tmp_path / "t.csv", MINIMAL_ZH, rows),
                         write_csv(tmp_path / "s.csv", ["学校代码"], [["S1"]]))
    assert roster.problems == ()
    assert roster.teachers[0].values["name"] == "欧阳, 娜"
    assert roster.teachers[0].values["备注"] == "第一行\n第二行"
    assert roster.teachers[1].line == 3  # spreadsheet rows, not physical lines


# ---- other formats ---------------------------------------------------------------------


def test_xlsx_with_date_cells_numeric_ids_and_blank_rows_below(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["工号", "sex", "birth_date", "school_id", "school_start", "work_start", "rural_years", "pregnant",
               "title", "备注"])
    ws.append([1001, "F", dt.datetime(1980, 3, 1), "S1", dt.date(2015, 9, 1), "2002年9月", 3.5, True, "高级", 12])
    ws.append([1002.0, "男", dt.datetime(1975, 5, 6), 7.0, "2010/9/1", dt.datetime(1998, 9, 1), 2, False, None, None])
    ws.cell(row=9, column=1).number_format = "0"  # a formatted but empty row, as spreadsheets leave them
    wb.save(tmp_path / "t.xlsx")
    roster = load_roster(tmp_path / "t.xlsx", write_csv(tmp_path / "s.csv", ["school_id"], [["S1"], ["7"]]))
    assert roster.problems == ()
    assert len(roster.teachers) == 2
    first, second = (r.values for r in roster.teachers)
    assert (first["id"], first["birth_date"], first["school_start"], first["work_start"], first["rural_years"],
            first["pregnant"], first["title"], first["备注"]) == (
        "1001", dt.date(1980, 3, 1), dt.date(2015, 9, 1), dt.date(2002, 9, 1), 3.5, True, "senior", "12")
    assert (second["id"], second["sex"], second["school_id"], second["school_start"], second["work_start"],
            second["rural_years"], second["title"], second["备注"]) == (
        "1002", "M", "7", dt.date(2010, 9, 1), dt.date(1998, 9, 1), 2, "none", None)
    assert [r.line for r in roster.teachers] == [2, 3]


def test_xlsx_problems_name_spreadsheet_rows(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "sex", "birth_date", "school_id", "school_start", "work_start"])
    ws.append(["A", "F", dt.datetime(1980, 3, 1), "S1", dt.datetime(2015, 9, 1), dt.datetime(2002, 9, 1)])
    ws.append(["B", "F", 19801301, "S1", dt.datetime(2015, 9, 1), dt.datetime(2002, 9, 1)])
    wb.save(tmp_path / "t.xlsx")
    roster = load_roster(tmp_path / "t.xlsx", write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    assert problems_of(roster) == {("t.xlsx", 3, "birth_date", "19801301", "R002")}


def test_parquet_with_typed_columns(tmp_path):
    frame = pl.DataFrame({
        "id": [1001, 1002], "性别": ["女", "M"], "birth_date": [dt.date(1980, 3, 1), dt.date(1975, 5, 6)],
        "school_id": ["S1", "S1"], "school_start": ["2015-09", "2010年9月1日"],
        "work_start": [dt.datetime(2002, 9, 1), dt.datetime(1998, 9, 1)], "rural_years": [3.0, float("nan")],
        "weak_years": [None, 2.5], "pregnant": [True, None], "备注": ["x", None],
    })
    frame.write_parquet(tmp_path / "t.parquet")
    roster = load_roster(tmp_path / "t.parquet", write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    assert roster.problems == ()
    first, second = (r.values for r in roster.teachers)
    assert (first["id"], first["sex"], first["birth_date"], first["school_start"], first["work_start"],
            first["rural_years"], first["weak_years"], first["pregnant"], first["备注"]) == (
        "1001", "F", dt.date(1980, 3, 1), dt.date(2015, 9, 1), dt.date(2002, 9, 1), 3, None, True, "x")
    assert (second["rural_years"], second["weak_years"], second["pregnant"], second["备注"]) == (None, 2.5, False, None)
    assert isinstance(first["rural_years"], int)


def test_json_list_of_objects_numbered_from_one(tmp_path):
    records = [
        {"id": "J1", "sex": "F", "birth_date": "1980-03-01", "school_id": "S1", "school_start": "2015.09",
         "work_start": "2002/9/1", "pregnant": True, "rural_years": 3, "自定义": "甲"},
        {"工号": "J2", "性别": "男", "出生日期": "1975年5月6日", "学校代码": "S1", "到校时间": "2010-09-01",
         "参加工作时间": "1998-09"},
        {"id": "J3", "sex": "X", "birth_date": "1975-05-06", "school_id": "S1", "school_start": "2010-09-01",
         "work_start": "1998-09-01", "pregnant": "maybe"},
    ]
    (tmp_path / "t.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    roster = load_roster(tmp_path / "t.json", write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    # J2 spells its columns in Chinese: the same fields twice over is a doubled column
    assert {(p.code, p.column) for p in roster.problems if p.row is None} == {
        ("R010", "工号"), ("R010", "性别"), ("R010", "出生日期"), ("R010", "学校代码"), ("R010", "到校时间"),
        ("R010", "参加工作时间")}
    assert [r.line for r in roster.teachers] == [1, 2, 3]
    assert {(p.row, p.column, p.value, p.code) for p in roster.problems if p.row is not None} == {
        (2, "id", "", "R006"), (2, "sex", "", "R006"), (2, "birth_date", "", "R006"), (2, "school_id", "", "R006"),
        (2, "school_start", "", "R006"), (2, "work_start", "", "R006"),
        (3, "sex", "X", "R003"), (3, "pregnant", "maybe", "R008")}

    del records[1]
    (tmp_path / "t.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    roster = load_roster(tmp_path / "t.json", tmp_path / "s.csv")
    assert {(p.row, p.column, p.value, p.code) for p in roster.problems} == {
        (2, "sex", "X", "R003"), (2, "pregnant", "maybe", "R008")}
    assert roster.teachers[0].values["school_start"] == dt.date(2015, 9, 1)
    assert roster.teachers[0].values["自定义"] == "甲"
    assert roster.teachers[1].values["自定义"] is None


# ---- problems --------------------------------------------------------------------------

MIXED_HEADER = ["工号", "姓名", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "职称", "在编在岗",
                "农村任教年限", "备注"]
MIXED_ROWS = [
    ["T1", "王芳", "女", "1980年3月1日", "S1", "2015.09", "2002/9/1", "中学高级", "是", "3", "好"],     # row 2: fine
    ["T2", "李强", "男", "1985-13-01", "S1", "2010-09-01", "1998-09-01", "一级教师", "否", "2", ""],   # 3: bad date
    ["T3", "张伟", "男性", "1975-05-06", "S1", "2010-09-01", "1998-09-01", "", "", "", ""],           # 4: bad sex
    ["T1", "赵敏", "女", "1990-01-01", "S1", "2015-09-01", "2012-09-01", "", "", "", ""],             # 5: dup of 2
    ["T5", "陈静", "女", "1990-01-01", "S9", "2015-09-01", "2012-09-01", "", "", "", ""],             # 6: no school
    ["T6", "杨洋", "男", "1990-01-01", "S1", "", "2012-09-01", "", "", "", ""],                       # 7: empty
    ["T7", "黄磊", "男", "1990-01-01", "S1", "2015-09-01", "2012-09-01", "特级教师", "也许", "三年", ""],  # 8: three
    ["T1", "周杰", "男", "1990-01-01", "S1", "2015-09-01", "2012-09-01", "", "", "", ""],             # 9: dup of 2
    ["", "", "", "", "", "", "", "", "", "", ""],                                                      # 10: blank
    ["T9", "吴娟", "", "1990-01-01", "S2", "2015-09-01", "2023-02-29", "", "", "1,5", ""],           # 11: two
    ["T10", "郑明", "男", "1990-01-01", "S1", "2015-09-01", "2012-09-01", "二级教师", "N", "12", ""],  # 12: fine
]
MIXED_SCHOOLS = [["学校代码", "学校名称", "区域", "学段"],
                 ["S1", "城关小学", "城区", "小学"],       # row 2
                 ["S2", "山区学校", "高山", "小学"],       # row 3: bad area
                 ["S1", "重复小学", "农村", "小学"],       # row 4: duplicate school id
                 ["S3", "平原中学", "平原", "初中"]]       # row 5


@pytest.fixture
def mixed(tmp_path):
    t = write_csv(tmp_path / "teachers.csv", MIXED_HEADER, MIXED_ROWS, "gbk")
    s = write_csv(tmp_path / "schools.csv", MIXED_SCHOOLS[0], MIXED_SCHOOLS[1:], "gbk")
    return load_roster(t, s)


def test_mixed_roster_lists_every_problem(mixed):
    assert problems_of(mixed) == {
        ("schools.csv", 2, "学校代码", "S1", "R004"),
        ("schools.csv", 3, "区域", "高山", "R003"),
        ("schools.csv", 4, "学校代码", "S1", "R004"),
        ("teachers.csv", 2, "工号", "T1", "R004"),
        ("teachers.csv", 3, "出生日期", "1985-13-01", "R002"),
        ("teachers.csv", 4, "性别", "男性", "R003"),
        ("teachers.csv", 5, "工号", "T1", "R004"),
        ("teachers.csv", 6, "学校代码", "S9", "R005"),
        ("teachers.csv", 7, "到校时间", "", "R006"),
        ("teachers.csv", 8, "职称", "特级教师", "R003"),
        ("teachers.csv", 8, "在编在岗", "也许", "R008"),
        ("teachers.csv", 8, "农村任教年限", "三年", "R007"),
        ("teachers.csv", 9, "工号", "T1", "R004"),
        ("teachers.csv", 11, "性别", "", "R006"),
        ("teachers.csv", 11, "参加工作时间", "2023-02-29", "R002"),
        ("teachers.csv", 11, "农村任教年限", "1,5", "R007"),  # 1.5 or 15? neither guessed
        # the teachers of S1 (given twice, in rows 2 and 4: which is right?) and of S2 (its row has a
        # problem): decided without a usable school row, they would be decided on a guess (R014)
        *(("teachers.csv", row, "学校代码", "S1", "R014") for row in (2, 3, 4, 5, 7, 8, 9, 12)),
        ("teachers.csv", 11, "学校代码", "S2", "R014"),
    }
    assert len(mixed.problems) == 25  # each reported once


def test_mixed_roster_keeps_every_row_in_order(mixed):
    assert [r.values["id"] for r in mixed.teachers] == ["T1", "T2", "T3", "T1", "T5", "T6", "T7", "T1", "T9", "T10"]
    assert [r.index for r in mixed.teachers] == list(range(10))
    assert [r.line for r in mixed.teachers] == [2, 3, 4, 5, 6, 7, 8, 9, 11, 12]  # row 10 is blank
    assert [r.valid for r in mixed.teachers] == [False] * 10  # rows 2 and 12 only for their school (R014)
    assert [[p.code for p in mixed.teachers[k].problems] for k in (0, 9)] == [["R004", "R014"], ["R014"]]
    # a bad cell leaves the rest of its row read
    t7 = mixed.teachers[6].values
    assert (t7["title"], t7["on_staff"], t7["rural_years"], t7["birth_date"]) == (None, False, None,
                                                                                  dt.date(1990, 1, 1))
    assert mixed.teachers[9].values["rural_years"] == 12
    # the problems of a row are the problems of the roster on that row
    assert set(mixed.teachers[6].problems) == {p for p in mixed.problems if p.row == 8 and "teachers" in p.file}


def test_mixed_roster_keeps_valid_schools_only(mixed):
    assert sorted(mixed.schools) == ["S3"]  # S1 is on two rows: which is right is not known
    # S2 is in the schools table (its row has a problem of its own): its teachers are not R005 but R014
    assert not any(p.code == "R005" and p.value == "S2" for p in mixed.problems)


def test_duplicate_messages_name_the_first_row_and_the_first_the_next(mixed):
    dups = [p for p in mixed.problems if p.code == "R004" and "teachers" in p.file]
    assert [p.row for p in dups] == [2, 5, 9]
    assert [p.message_en for p in dups] == [
        "duplicate id `T1` (again in row 5): which row is right is not known, neither is read",
        "duplicate id `T1` (first in row 2)", "duplicate id `T1` (first in row 2)"]
    assert [p.message_zh for p in dups] == ["工号“T1”重复（第5行再次出现）：不知哪一行正确，均不读取",
                                            "工号“T1”重复（首次出现在第2行）", "工号“T1”重复（首次出现在第2行）"]


def test_problem_messages_in_both_languages(mixed):
    bad_date = next(p for p in mixed.problems if p.code == "R002" and p.row == 3)
    # in a form the reader knows, it says what is wrong with the date itself
    assert bad_date.message("en") == "`1985-13-01` is not a date: there is no month 13"
    assert bad_date.message("zh") == "“1985-13-01”不是有效日期：没有13月"
    by_code = {p.code: p for p in reversed(mixed.problems)}  # the first of each code
    sex = next(p for p in mixed.problems if p.value == "男性")
    # with the code whose label the cell holds
    assert sex.message_en == "`男性` is not a valid sex code (expected one of M (男), F (女)); did you mean `M` (男)?"
    assert sex.message_zh == "“男性”不是有效的性别取值（应为：男（M）、女（F））；是否应为“男”？"
    from policylang.lang import schema as S
    # a cell denying a code is not told that code (非农村 is no 农村)
    assert [S.AREA.meant(v) for v in ("非农村", "农村地区", "不是城区")] == [None, "rural", None]
    title = next(p for p in mixed.problems if p.value == "特级教师")  # an honour, as near 一级教师 as 高级教师: no guess
    assert title.message_zh.startswith("“特级教师”是荣誉称号，不是职称") and "是否应为" not in title.message_zh
    assert by_code["R005"].message("zh") == "学校代码“S9”不在学校名册中"
    assert by_code["R006"].message("en") == "`school_start` is required but empty"
    assert by_code["R007"].message("zh") == "“三年”不是数字：请用阿拉伯数字只写 3"
    assert all(p.message_en and p.message_zh and p.message_en != p.message_zh for p in mixed.problems)


def test_the_example_bad_roster():
    roster = load_roster(EXAMPLES / "bad" / "teachers_bad.csv", EXAMPLES / "bad" / "schools.csv")
    assert len(roster.teachers) == 12
    assert problems_of(roster) == {
        ("teachers_bad.csv", 2, "工号", "T0001", "R004"),
        ("teachers_bad.csv", 3, "出生日期", "1985-13-01", "R002"), ("teachers_bad.csv", 4, "性别", "男性", "R003"),
        ("teachers_bad.csv", 5, "工号", "T0001", "R004"), ("teachers_bad.csv", 6, "学校代码", "S99", "R005"),
        ("teachers_bad.csv", 7, "到校时间", "", "R006"), ("teachers_bad.csv", 8, "职称", "特级教师", "R003"),
        ("teachers_bad.csv", 9, "在编在岗", "也许", "R008"), ("teachers_bad.csv", 10, "农村任教年限", "三年", "R007"),
    }
    assert [r.valid for r in roster.teachers] == [False] * 9 + [True] * 3


def test_missing_required_columns_are_file_problems_and_keep_every_row(tmp_path):
    t = write_csv(tmp_path / "t.csv", ["id", "性别", "备注"], [["1", "M", "a"], ["2", "X", "b"]])
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    file_level = [p for p in roster.problems if p.row is None]
    assert [(p.column, p.code) for p in file_level] == [
        ("birth_date", "R001"), ("school_id", "R001"), ("school_start", "R001"), ("work_start", "R001")]
    assert file_level[0].message_zh == "缺少必需的列“出生日期”（birth_date）"
    assert {(p.row, p.column, p.value, p.code) for p in roster.problems if p.row} == {(3, "性别", "X", "R003")}
    assert len(roster.teachers) == 2 and not any(r.valid for r in roster.teachers)
    assert set(file_level) <= set(roster.teachers[0].problems)


def test_duplicate_columns_in_two_languages(tmp_path):
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH + ["sex"], [r + ["F"] for r in MINIMAL_ROWS])
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    assert [(p.row, p.column, p.code) for p in roster.problems] == [(None, "sex", "R010")]
    assert roster.problems[0].message_en == "columns `性别` (column C) and `sex` (column I) both give `sex`"
    assert not any(r.valid for r in roster.teachers) and len(roster.teachers) == 2


def test_schools_without_an_id_column(tmp_path):
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH, MINIMAL_ROWS)
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["学校名称", "区域"], [["城关小学", "城区"]]))
    assert [(Path(p.file).name, p.column, p.code) for p in roster.problems] == [
        ("s.csv", "school_id", "R001"), ("t.csv", "学校代码", "R014"), ("t.csv", "学校代码", "R014")]
    assert roster.schools == {}
    # no R005 against a schools table that did not load, but no teacher decided without their school
    assert all([p.code for p in r.problems] == ["R014"] for r in roster.teachers)


def _corrupt(tmp_path: Path, name: str, data: bytes) -> Path:
    (tmp_path / name).write_bytes(data)
    return tmp_path / name


@pytest.mark.parametrize("name,data", [
    ("missing.csv", None),
    ("t.ods", b"PK\x03\x04"),
    ("t.xls", b"\xd0\xcf\x11\xe0"),
    ("t.xlsx", b"not a zip file"),
    ("t.parquet", b"PAR1 broken"),
    ("t.json", b"[{\"id\": 1,"),
    ("t.json", b"{\"id\": 1}"),
    ("t.json", b"[1, 2]"),
])
def test_unreadable_files(tmp_path, name, data):
    path = tmp_path / name if data is None else _corrupt(tmp_path, name, data)
    schools = write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]])
    roster = load_roster(path, schools)
    assert [(p.file, p.row, p.column, p.value, p.code) for p in roster.problems] == [(str(path), None, None, None,
                                                                                      "R009")]
    assert roster.teachers == () and roster.problems[0].message_en.startswith("cannot read the file")
    both = load_roster(write_csv(tmp_path / "t.csv", MINIMAL_ZH, MINIMAL_ROWS), path)
    assert [p.code for p in both.problems] == ["R009", "R014", "R014"]  # the teachers' schools unknown, not R005
    assert len(both.teachers) == 2


def test_empty_file_is_said_empty_once(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"")
    roster = load_roster(tmp_path / "t.csv", write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    assert [(p.code, p.file) for p in roster.problems] == [("R009", str(tmp_path / "t.csv"))] and roster.teachers == ()


# ---- extra columns, declared fields ----------------------------------------------------


def test_unknown_columns_are_kept_as_text(tmp_path):
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH + ["编外", "津贴"], [r + ["是", "1200"] for r in MINIMAL_ROWS])
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["school_id", "校训"], [["S1", "求是"]]))
    assert roster.problems == ()
    assert [(r.values["备注"], r.values["编外"], r.values["津贴"]) for r in roster.teachers] == [
        ("𠮷字", "是", "1200"), ("无", "是", "1200")]
    assert roster.schools["S1"]["校训"] == "求是"


def test_declared_extra_fields_are_read_by_their_type(tmp_path):
    extra = (S.Field("contract", "编外", T.BOOL), S.Field("allowance", "津贴", T.NumberType("percent")),
             S.Field("hired", "聘用日期", T.DATE), S.Field("level", "等级", S.BACKBONE.type))
    school_extra = (S.Field("boarding", "寄宿制", T.BOOL),)
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH + ["编外", "津贴", "聘用日期", "等级"],
                  [MINIMAL_ROWS[0] + ["是", "12.5", "2020年9月", "市级"],
                   MINIMAL_ROWS[1] + ["也许", "很多", "2020-02-30", "特级"]])
    s = write_csv(tmp_path / "s.csv", ["学校代码", "寄宿制"], [["S1", "有"]])
    roster = load_roster(t, s, teacher_extra=extra, school_extra=school_extra)
    first = roster.teachers[0].values
    assert (first["contract"], first["allowance"], first["hired"], first["level"]) == (
        True, 12.5, dt.date(2020, 9, 1), "city")
    assert "编外" not in first
    assert problems_of(roster) == {("t.csv", 3, "编外", "也许", "R008"), ("t.csv", 3, "津贴", "很多", "R007"),
                                   ("t.csv", 3, "聘用日期", "2020-02-30", "R002"), ("t.csv", 3, "等级", "特级", "R003")}
    assert roster.schools["S1"]["boarding"] is True
    # declared but absent: read as empty
    roster = load_roster(write_csv(tmp_path / "t2.csv", MINIMAL_ZH, MINIMAL_ROWS), s, teacher_extra=extra)
    assert roster.problems == ()
    assert [roster.teachers[0].values[k] for k in ("contract", "allowance", "hired", "level")] == [False, None, None,
                                                                                                   None]


def test_absent_optional_columns_read_as_empty(tmp_path):
    roster = load_roster(write_csv(tmp_path / "t.csv", MINIMAL_ZH, MINIMAL_ROWS),
                         write_csv(tmp_path / "s.csv", ["学校代码"], [["S1"]]))
    values = roster.teachers[0].values
    assert set(S.TEACHERS.names) <= set(values)
    assert values["pregnant"] is False and values["rural_years"] is None and values["sanction_until"] is None
    assert roster.schools["S1"]["weak"] is False and roster.schools["S1"]["area"] is None


@pytest.mark.parametrize("text,expected", [("3", 3), ("3.0", 3), ("3.5", 3.5), (" 12 ", 12), ("1,200", 1200),
                                           ("12,345,678.5", 12345678.5), ("+1", 1), (".5", 0.5), ("", None),
                                           ("１２．５", 12.5), ("\u3000３\u3000", 3)])
def test_number_forms(tmp_path, text, expected):
    # (交流任教年限: a number with no bound a working life sets, as 农村任教年限's 60)
    roster = roster_from_records([{"id": "1", "sex": "M", "birth_date": "1980-01-01", "school_id": "S1",
                                   "school_start": "2010-09-01", "work_start": "2000-09-01", "exchange_years": text}],
                                 [{"school_id": "S1"}])
    assert roster.problems == ()
    assert roster.teachers[0].values["exchange_years"] == expected
    assert type(roster.teachers[0].values["exchange_years"]) is type(expected)


@pytest.mark.parametrize("text", ["三年", "3年", "inf", "nan", "1e3", "1_000", "3.5.1", "yes", "1,5", "12,00",
                                  "1,2345",
                                  # not digits: a superscript, a subscript, a circled one (read as 13, 3 and 1
                                  # when the cell grammar took every compatibility form as its plain one)
                                  "1³", "₃", "①"])
def test_bad_numbers(text):
    roster = roster_from_records([{"id": "1", "sex": "M", "birth_date": "1980-01-01", "school_id": "S1",
                                   "school_start": "2010-09-01", "work_start": "2000-09-01", "rural_years": text}],
                                 [{"school_id": "S1"}])
    assert [(p.row, p.column, p.value, p.code) for p in roster.problems] == [(1, "rural_years", text, "R007")]


# ---- records in memory -----------------------------------------------------------------


def test_records_give_the_same_rows_as_files(tmp_path):
    files = load_roster(write_table(tmp_path / "t.csv", S.TEACHERS, TEACHER_RECORDS, zh=True, encoding="gbk"),
                        write_table(tmp_path / "s.csv", S.SCHOOLS, SCHOOL_RECORDS, zh=False, encoding="utf-8"))
    records = roster_from_records(TEACHER_RECORDS, SCHOOL_RECORDS)
    assert records.problems == ()
    assert [r.values for r in records.teachers] == [r.values for r in files.teachers]
    assert records.schools == files.schools
    assert (records.teacher_file, records.school_file) == ("<teachers>", "<schools>")


def test_records_mix_typed_values_text_and_chinese_keys():
    roster = roster_from_records(
        [{"工号": 1001, "性别": "女", "出生日期": dt.date(1980, 1, 1), "学校代码": "S1", "到校时间": "2015年9月",
          "参加工作时间": dt.datetime(2000, 9, 1), "孕期": True, "农村任教年限": 3.0, "职称": "中学高级"},
         {"id": "1002", "sex": "M", "birth_date": "1970-02-30", "school_id": "S7", "school_start": None,
          "work_start": "2000-09-01", "pregnant": "否"},
         {"id": 1001.0, "sex": "F", "birth_date": "1980-01-01", "school_id": "S1", "school_start": "2015-09-01",
          "work_start": "2000-09-01"}],
        [{"school_id": "S1", "area": "山区", "weak": 1, "students": "300"}], source="api")
    first = roster.teachers[0].values
    assert (first["id"], first["sex"], first["birth_date"], first["school_start"], first["work_start"],
            first["pregnant"], first["rural_years"], first["title"]) == (
        "1001", "F", dt.date(1980, 1, 1), dt.date(2015, 9, 1), dt.date(2000, 9, 1), True, 3, "senior")
    assert roster.schools == {"S1": typed({"school_id": "S1", "area": "mountain", "weak": True, "students": 300},
                                          S.SCHOOLS)}
    # mixing 工号 and id across records is a doubled column, like the same in a file
    assert {(p.row, p.column, p.code) for p in roster.problems if p.row is None} == {
        (None, c, "R010") for c in ("id", "sex", "birth_date", "school_id", "school_start", "work_start", "pregnant")}
    assert all(p.file == "api" for p in roster.problems)


def test_records_problems_are_numbered_from_one():
    base = {"sex": "M", "birth_date": "1980-01-01", "school_id": "S1", "school_start": "2010-09-01",
            "work_start": "2000-09-01"}
    roster = roster_from_records([base | {"id": "a"}, base | {"id": "b", "birth_date": "1980-02-30"},
                                  base | {"id": "a", "school_id": "S2"}, base | {"id": "c", "sex": None}],
                                 iter([{"school_id": "S1"}]))
    assert {(p.row, p.column, p.value, p.code) for p in roster.problems} == {
        (1, "id", "a", "R004"), (2, "birth_date", "1980-02-30", "R002"), (3, "id", "a", "R004"),
        (3, "school_id", "S2", "R005"), (4, "sex", "", "R006")}
    assert [r.valid for r in roster.teachers] == [False, False, False, False]
    assert RosterProblem("api", 1, "id", "a", "R004", "en", "zh").message("zh") == "zh"


# ---- the bundled sample roster ---------------------------------------------------------

EXAMPLE_FILES = [("teachers.csv", "schools.csv"), ("teachers_zh.csv", "schools_zh.csv"),
                 ("teachers.xlsx", "schools.csv"), ("teachers.parquet", "schools_zh.csv"),
                 ("teachers.json", "schools.csv")]


@pytest.fixture(scope="module")
def example_rosters():
    return {t: load_roster(EXAMPLES / t, EXAMPLES / s) for t, s in EXAMPLE_FILES}


def test_examples_load_without_problems_and_agree_across_formats(example_rosters):
    reference = example_rosters["teachers.csv"]
    assert len(reference.teachers) == 400
    for name, roster in example_rosters.items():
        assert roster.problems == (), name
        assert [r.values for r in roster.teachers] == [r.values for r in reference.teachers], name
        assert roster.schools == reference.schools, name


def test_example_encodings_are_as_promised():
    assert (EXAMPLES / "schools_zh.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (EXAMPLES / "teachers.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        (EXAMPLES / "teachers_zh.csv").read_bytes().decode("utf-8")
    assert (EXAMPLES / "teachers_zh.csv").read_bytes().decode("gb18030").startswith("工号,姓名,性别")
    with pytest.raises(UnicodeDecodeError):
        (EXAMPLES / "bad" / "teachers_bad.csv").read_bytes().decode("utf-8")


def _age(born: dt.date) -> int:
    return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))


def test_example_schools_cover_every_kind(example_rosters):
    schools = example_rosters["teachers.csv"].schools
    assert len(schools) == 12
    assert {s["area"] for s in schools.values()} == set(S.AREA.codes)
    assert {"primary", "junior", "senior"} <= {s["stage"] for s in schools.values()}
    assert {s["staffing"] for s in schools.values()} == set(S.STAFFING.codes)
    assert any(s["weak"] for s in schools.values()) and any(s["quality"] for s in schools.values())
    by_name = {s["name"]: s for s in schools.values()}
    assert by_name["中山中学"]["cluster"] == by_name["九中"]["cluster"] == "中山中学片区"
    assert by_name["砺青中学"]["cluster"] == by_name["十五中"]["cluster"] == "砺青中学片区"
    assert by_name["第三实小"]["cluster"] == by_name["新溪小学"]["cluster"] == "第三实小片区"
    assert by_name["麟峰小学"]["cluster"] == "麟峰小学片区" and by_name["梅峰小学"]["cluster"] == "梅峰小学片区"
    assert any(s["stage"] == "senior" and s["area"] == "town" for s in schools.values())


def test_example_teachers_are_realistic_and_hold_the_boundary_cases(example_rosters):
    people = [r.values for r in example_rosters["teachers.csv"].teachers]
    assert [p["id"] for p in people] == [f"T{n:04d}" for n in range(1, 401)]
    ages = [_age(p["birth_date"]) for p in people]
    assert min(ages) == 23 and max(ages) == 60
    assert all(p["work_start"] <= p["school_start"] <= AS_OF for p in people)
    by_id = {p["id"]: p for p in people}
    assert (by_id["T0001"]["school_start"], by_id["T0002"]["school_start"]) == (dt.date(2019, 9, 1),
                                                                                dt.date(2019, 9, 2))
    women = {p["birth_date"] for p in people if p["sex"] == "F"}
    men = {p["birth_date"] for p in people if p["sex"] == "M"}
    assert {dt.date(1975, 9, 1), dt.date(1974, 8, 31), dt.date(1988, 2, 29)} <= women
    assert {dt.date(1970, 9, 1), dt.date(1969, 8, 31), dt.date(1965, 9, 1)} <= men
    for flag in ("pregnant", "maternity_leave", "nursing", "serious_illness", "under_investigation",
                 "support_selected", "starting_grade", "surplus_subject"):
        assert 0 < sum(p[flag] for p in people) < 100, flag
    assert {p["post"] for p in people} == set(S.POST.codes)
    assert all(p["post_start"] for p in people if p["post"] in ("principal", "vice_principal"))
    assert {"none", "school", "county", "city", "province"} <= {p["backbone"] for p in people}
    assert {"second", "first", "senior", "full_senior"} <= {p["title"] for p in people}
    assert {p["last_rating"] for p in people} == set(S.RATING.codes)
    assert any(p["unqualified_streak"] >= 2 for p in people) and any(p["exchange_excellent_years"] for p in people)
    sanctions = [p["sanction_until"] for p in people if p["sanction_until"]]
    assert any(d > AS_OF for d in sanctions) and any(d <= AS_OF for d in sanctions)
    three_years_ago = dt.date(2022, 9, 1)
    for field in ("refused_exchange", "left_exchange_early", "exchange_failed"):
        dates = [p[field] for p in people if p[field]]
        assert any(d > three_years_ago for d in dates) and any(d <= three_years_ago for d in dates), field
    assert any(p["support_end"] for p in people)


def test_make_examples_is_deterministic_and_current(tmp_path):
    make = make_examples()
    make.write_all(tmp_path / "a")
    make.write_all(tmp_path / "b")
    written = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert written == ["bad/schools.csv", "bad/teachers_bad.csv", "schools.csv", "schools_zh.csv", "teachers.csv",
                       "teachers.json", "teachers.parquet", "teachers.xlsx", "teachers_zh.csv"]
    for name in written:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    # compressed files may differ by zlib/zstd build from machine to machine: compare them by content
    for name in written:
        fresh, committed = tmp_path / "a" / name, EXAMPLES / name
        if name.endswith(".xlsx"):
            assert _sheet(fresh) == _sheet(committed)
        elif name.endswith(".parquet"):
            assert pl.read_parquet(fresh).equals(pl.read_parquet(committed))
        else:
            assert fresh.read_bytes() == committed.read_bytes(), name


def _sheet(path: Path) -> list[tuple]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()


@pytest.mark.parametrize("written, code", [
    ("小学一级教师", "second"), ("小学一级", "second"), ("小学高级教师", "first"), ("中学一级教师", "first"),
    ("中学二级", "second"), ("小学二级教师", "third"), ("中学三级教师", "third"), ("中学高级", "senior"),
    ("中小学一级教师", "first"), ("中小学高级教师", "senior"), ("中小学正高级教师", "full_senior"),
    ("中小学二级教师", "second"), ("中小学三级教师", "third"), ("副高级", "senior"), ("未评", "none"),
    ("未评定", "none"), ("无职称", "none")])
def test_a_title_written_as_before_the_2015_reform_or_by_its_full_name_reads_as_the_reform_mapped_it(written, code):
    """人社部发〔2015〕79号: 小学一级 became 二级 (not 一级, which a look-alike would give); today's
    titles are written 中小学X级教师 in provincial exports."""
    assert S.TITLE.lookup(written) == code


def test_an_honour_in_the_title_column_is_said_to_be_no_title():
    """特级教师 is an honour (a 特级教师 holds 高级 or 正高级): refused as any other word (R003), saying
    so and what to write, not listing the titles as if it were a misspelt one (HR trial hr26)."""
    from policylang.io.roster.problems import bad_value_problem

    problem = bad_value_problem("t.csv", 6, "职称", S.TEACHERS.field("title"), "特级教师")
    assert problem.code == "R003"
    assert problem.message_zh == "“特级教师”是荣誉称号，不是职称：请填写其职称（如高级教师、正高级教师），特级教师可另列一列"


def test_eight_digit_dates_are_read_and_an_excel_serial_number_is_said_as_the_date_it_stands_for(tmp_path):
    """19850312 is how provincial systems export a date (and a number cell holds it): the date;
    19851312 is none. 42248 pasted into a text cell is Excel's number for 2015-09-01: said so."""
    from policylang.io.roster.cells import parse_date

    assert parse_date("19850312") == parse_date(19850312) == dt.date(1985, 3, 12)
    for wrong in ("19851312", "19850230"):
        with pytest.raises(ValueError):
            parse_date(wrong)
    t = write_csv(tmp_path / "t.csv", MINIMAL_ZH, [r[:5] + ["42248"] + r[6:] for r in MINIMAL_ROWS[:1]])
    roster = load_roster(t, write_csv(tmp_path / "s.csv", ["school_id"], [["S1"]]))
    assert [(p.code, p.message_zh) for p in roster.problems] == [(
        "R002", "“42248”不是有效日期；看起来是 Excel 中 2015-09-01 这个日期的序列号（日期单元格被“粘贴为数值”）："
                "请写成 2015-09-01，或将单元格设为日期格式")]


def test_a_word_for_two_areas_is_refused_saying_so(tmp_path):
    """城镇 is 城区 and 县城 both, in the sources and on HR's forms: no school is read as one of them."""
    header = ["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"]
    roster = load_roster(write_csv(tmp_path / "t.csv", header, [["1", "女", "1980-01-01", "S1", "2010-09-01", "2000-09-01"]]),
                         write_csv(tmp_path / "s.csv", ["学校代码", "区域", "学段"], [["S1", "城镇", "小学"]]))
    (problem,) = [p for p in roster.problems if p.column == "区域"]
    assert problem.code == "R003"
    assert problem.message("zh") == "“城镇”包括城区和县城两种，无法确定是哪一种：请写明城区或县城"
    assert "urban (城区) or town (县城)" in problem.message("en")


def test_the_national_system_s_teacher_post(tmp_path):
    """专任教师, as the national teacher-management system's 岗位类别 gives a teacher, reads as
    教师, by the row reader and the fast path alike (one lookup: the enum's aliases)."""
    header = ["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "岗位类别"]
    rows = [["1", "女", "1980-01-01", "S1", "2010-09-01", "2000-09-01", "专任教师"]]
    roster = load_roster(write_csv(tmp_path / "t.csv", header, rows),
                         write_csv(tmp_path / "s.csv", ["学校代码"], [["S1"]]))
    assert not roster.problems and roster.teachers[0].values["post"] == "teacher"
    assert S.POST.lookup("专任教师") == "teacher" and S.POST.lookup("行政人员") is None


def test_the_statistics_town_class_is_refused_naming_the_codes_it_may_be(tmp_path):
    """镇区 (统计上划分城乡的规定) is every town outside a city's 城区: a county seat or a township's
    town. Read as either, some schools would be placed wrongly; the message names both codes."""
    header = ["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"]
    roster = load_roster(write_csv(tmp_path / "t.csv", header, [["1", "女", "1980-01-01", "S1", "2010-09-01", "2000-09-01"]]),
                         write_csv(tmp_path / "s.csv", ["学校代码", "城乡类别", "学段"], [["S1", "镇区", "小学"]]))
    (problem,) = [p for p in roster.problems if p.column == "城乡类别"]
    assert (problem.code, problem.file, problem.row) == ("R003", str(tmp_path / "s.csv"), 2)
    assert problem.message("zh") == "“镇区”包括县城和农村两种，无法确定是哪一种：请写明县城或农村"
    assert "town (县城) or rural (农村)" in problem.message("en")


@pytest.mark.parametrize("text, expected", [
    ("1985 年 3 月", (1985, 3, None)), ("1985　年　3　月", (1985, 3, None)), ("1985 年 3 月 12 日", (1985, 3, 12)),
    ("1985年 3月 1日", (1985, 3, 1))])
def test_spaces_between_the_parts_of_a_chinese_date(text, expected):
    date = parse_date(text)
    year, month, day = expected
    assert (date.year, date.month) == (year, month)
    assert (day is None) == (type(date) is not dt.date) and (day is None or date.day == day)


@pytest.mark.parametrize("text", ["19 85年3月", "1985年1 2月", "1985 年 3 月 1 2 日"])
def test_a_space_inside_a_number_of_a_chinese_date_is_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)
