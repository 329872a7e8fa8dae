"""Records' keys and values as the row reader reads them (io/roster/): a key sent with spaces is
looked up as sent (``HeaderMap.keys``), a text column refuses a yes/no value and a record's
number with a fraction or an exponent (R048), and a few blank yes/no cells (R033) are named by
their rows and their teachers' ids."""

from __future__ import annotations

import json

import polars as pl
import pytest

from policylang.io.columnar import frame_blank_warnings
from policylang.io.roster.header import map_header
from policylang.io.roster.reader import (TEACHER_RECORDS, load_table, records_alike_warnings, records_blank_warnings,
                                         table_from_records)
from policylang.lang import schema as S

from .conftest import POLICIES

TEACHER = {"id": "T1", "sex": "F", "birth_date": "1980-01-01", "school_id": "S1", "school_start": "2010-09-01",
           "work_start": "2000-09-01", "pregnant": "yes"}


@pytest.fixture(scope="module")
def read():
    """The teachers' table as a policy reading 孕期 (pregnant) reads it: its blank cells are said."""
    import policylang

    return policylang.load(POLICIES / "fujian_pilot_district.pol").checked.teachers


def _teachers(n: int, key: str = "pregnant", **changed) -> list[dict]:
    """``n`` teachers T1, T2, …, their pregnant value under ``key``; ``changed``: record number -> value."""
    out = []
    for k in range(1, n + 1):
        record = {(key if name == "pregnant" else name): value for name, value in TEACHER.items()}
        record["id"] = f"T{k}"
        if f"r{k}" in changed:
            record[key] = changed[f"r{k}"]
        out.append(record)
    return out


def test_the_header_map_keeps_each_key_as_given_beside_its_name_in_messages():
    mapped = map_header(TEACHER_RECORDS, S.TEACHERS, ["id", " pregnant", "\ufeff性别"])
    assert mapped.written["pregnant"] == "pregnant" and mapped.keys["pregnant"] == " pregnant"
    assert mapped.written["sex"] == "性别" and mapped.keys["sex"] == "\ufeff性别"


@pytest.mark.parametrize("key", [" pregnant", "pregnant ", "\ufeffpregnant", " 孕期"])
def test_a_key_sent_with_spaces_is_looked_up_as_sent(read, key):
    # the cells were looked up under the trimmed name, which no record has: a filled column was
    # said empty in every row (R027), everyone read as no
    records = _teachers(12, key)
    mapped = map_header(TEACHER_RECORDS, read, list(records[0]))
    assert records_blank_warnings(TEACHER_RECORDS, read, mapped, records) == []
    records[4][key] = None
    [said] = records_blank_warnings(TEACHER_RECORDS, read, mapped, records)
    assert (said.code, said.rows, said.column) == ("R033", (5,), mapped.written["pregnant"])
    assert "T5" in said.message("zh") and "T5" in said.message("en")


def test_ids_alike_under_a_key_sent_with_a_space_are_said():
    records = _teachers(3, id="T1")
    records = [{(" 工号" if k == "id" else k): v for k, v in r.items()} for r in records]
    records[2][" 工号"] = "Ｔ1"  # full-width: perhaps the same person twice
    mapped = map_header(TEACHER_RECORDS, S.TEACHERS, list(records[0]))
    codes = [w.code for w in records_alike_warnings(TEACHER_RECORDS, S.TEACHERS, mapped, records)]
    assert codes == ["R037"]


def test_a_table_s_column_named_with_a_space_is_read_as_named(read):
    frame = pl.DataFrame({"id": [f"T{k}" for k in range(1, 13)], " pregnant": ["yes"] * 11 + [None]})
    [said] = frame_blank_warnings(TEACHER_RECORDS, read, frame.columns, frame)
    assert (said.code, said.rows) == ("R033", (12,)) and "T12" in said.message("zh")


@pytest.mark.parametrize("value, shown", [(True, "true"), (False, "false")])
def test_a_yes_no_value_in_a_text_column_is_refused_naming_record_and_key(value, shown):
    records = _teachers(2)
    records[1]["id"] = value
    loaded = table_from_records(records, S.TEACHERS)
    assert loaded.rows[0].valid
    [problem] = loaded.rows[1].problems
    assert (problem.code, problem.row, problem.column, problem.value) == ("R048", 2, "id", shown)
    assert problem.message("zh").startswith(f"“id”一项是 {shown}（是/否值），不是文字")
    assert loaded.rows[1].values["id"] is None  # not the text "true"


def test_a_chinese_key_s_yes_no_value_is_refused_in_a_json_file(tmp_path):
    record = {"工号": "T1", "姓名": False, "性别": "女", "出生日期": "1980-01-01", "学校代码": "S1",
              "到校时间": "2010-09-01", "参加工作时间": "2000-09-01"}
    path = tmp_path / "t.json"
    path.write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    [problem] = load_table(path, S.TEACHERS).rows[0].problems
    assert (problem.code, problem.row, problem.column) == ("R048", 1, "姓名")
    assert "姓名应为文字" in problem.message("zh")


def test_a_record_s_number_in_a_text_column_is_read_only_when_whole():
    # 123 is its digits; 1.5e3 (and 1001.0) arrive as a float whose digits as written are not
    # known: no id
    records = _teachers(3, r1="yes")
    records[0]["id"], records[1]["id"], records[2]["id"] = 123, 1.5e3, 1001.0
    rows = table_from_records(records, S.TEACHERS).rows
    assert rows[0].valid and rows[0].values["id"] == "123"
    for row, shown in zip(rows[1:], ("1500.0", "1001.0")):
        [problem] = row.problems
        assert (problem.code, problem.column, problem.value) == ("R048", "id", shown)
        assert f"（\"{shown[:-2]}\"）" in problem.message("zh")


def test_a_sheet_s_number_cell_in_a_text_column_is_still_its_digits(tmp_path):
    # a workbook stores an id typed as 1001 as the number 1001.0: that is no fraction
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间"])
    book.active.append([1001, "女", "1980-01-01", "S1", "2010-09-01", "2000-09-01"])
    book.save(tmp_path / "t.xlsx")
    [row] = load_table(tmp_path / "t.xlsx", S.TEACHERS).rows
    assert row.valid and row.values["id"] == "1001"


def test_a_few_blank_cells_are_named_by_rows_and_ids(read, tmp_path):
    lines = ["工号,性别,出生日期,学校代码,到校时间,参加工作时间,孕期"]
    lines += [f"T{k:02d},女,1980-01-01,S1,2010-09-01,2000-09-01,{'' if k in (3, 7) else '否'}" for k in range(1, 21)]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    [said] = [w for w in load_table(tmp_path / "t.csv", read).warnings if w.code == "R033"]
    assert said.rows == (4, 8)
    assert said.message("zh").startswith("列“孕期”有 2 行空白（第 4、8 行，工号 T03、T07），")
    assert "(row 4, 8; ids T03, T07)" in said.message("en")
