"""A birth year typed into a date cell: the template's date columns were formatted as dates, so
a clerk typing 1975.10 (as its own 填表说明 allows) stored the number 1975.1, read as a day of
1905, and 1969-09 became 1969-09-01, a day the roster does not know. The date columns are now
text, and a birth date in Excel's serial days of the years 1900-2100 is refused by every reader."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import policylang
from policylang.api import RosterError
from policylang.cli import cli

from .conftest import POLICIES

EXAMPLES = POLICIES.parent / "examples"
DISTRICT = str(POLICIES / "fujian_pilot_district.pol")


def _filled_template(tmp_path, births: list[object]):
    """The Chinese template with teachers whose 出生日期 is typed as given, as Excel keeps it."""
    path = tmp_path / "模板.xlsx"
    assert CliRunner().invoke(cli, ["template", "--lang", "zh", "--policy", DISTRICT, "-o", str(path)]).exit_code == 0
    wb = load_workbook(path)
    ws = wb["教师"]
    header = [c.value for c in ws[1]]
    base = {"性别": "男", "学校代码": "S02", "到校时间": "2015-09-01", "参加工作时间": "1995-09-01", "岗位": "教师",
            "在编在岗": "是", "任课": "是", "职称": "一级教师", "孕期": "否", "富余学科": "否", "农村任教年限": 0,
            "薄弱学校任教年限": 0, "任教学校数": 1}
    for row, birth in enumerate(births, start=2):
        for key, value in {**base, "工号": f"N{row}", "出生日期": birth}.items():
            cell = ws.cell(row=row, column=header.index(key) + 1)
            cell.value = value
            cell.number_format = ws.column_dimensions[cell.column_letter].number_format  # as a typed cell takes it
    schools = wb["学校"]
    for i, v in enumerate(["S02", "九中", "城区", "初中", "否", "否", "正常", "片区", "城区", 1200, 85, "否"], start=1):
        schools.cell(row=2, column=i, value=v)
    wb.save(path)
    return path


def test_the_template_keeps_a_typed_year_month_as_text_and_it_is_decided_uncertain(tmp_path):
    path = _filled_template(tmp_path, ["1969-09"])  # what a clerk types: kept as text in a text column
    ws = load_workbook(path)["教师"]
    birth = ws.cell(row=2, column=[c.value for c in ws[1]].index("出生日期") + 1)
    assert birth.number_format == "@" and birth.value == "1969-09"
    result = CliRunner().invoke(cli, ["--lang", "zh", "eval", DISTRICT, str(path), "--schools", str(path),
                                      "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(open(tmp_path / "out.csv", encoding="utf-8-sig")))
    assert row["数据不全待核实"] == "出生日期"  # 55 in September 2025 or not: the day decides


@pytest.mark.parametrize("typed", [1975.1, 1969.09, 1969])
def test_a_year_stored_as_a_number_in_a_date_cell_is_refused_not_read_as_1905(tmp_path, typed):
    path = _filled_template(tmp_path, [typed])
    wb = load_workbook(path)
    ws = wb["教师"]
    column = [c.value for c in ws[1]].index("出生日期") + 1
    ws.cell(row=2, column=column).number_format = "yyyy-mm-dd"  # a workbook whose cell is a date cell
    wb.save(path)
    result = CliRunner().invoke(cli, ["--lang", "zh", "eval", DISTRICT, str(path), "--schools", str(path),
                                      "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 3 and "[R017]" in result.output
    assert "把年份或年.月（如 1975.10）当作数字填进了日期格式的单元格" in result.output


def test_every_reader_refuses_a_birth_in_excels_serial_days_of_the_years():
    with open(EXAMPLES / "teachers.csv", encoding="utf-8") as f:
        teacher = next(csv.DictReader(f))
    with open(EXAMPLES / "schools.csv", encoding="utf-8") as f:
        school = next(r for r in csv.DictReader(f) if r["school_id"] == teacher["school_id"])
    policy = policylang.load(DISTRICT)
    for birth in ("1905-05-28", dt.date(1905, 3, 14), dt.date(1905, 9, 30)):
        with pytest.raises(RosterError) as caught:
            policy.decide({**teacher, "birth_date": birth}, school)
        assert [(p.code, p.column) for p in caught.value.problems] == [("R017", "birth_date")]
    teachers = [{**teacher, "id": f"T{i}", "birth_date": "1905-05-28" if i == 70 else teacher["birth_date"]}
                for i in range(100)]
    with pytest.raises(RosterError) as caught:  # the columnar path of a table
        policy.evaluate_table(teachers, [school])
    assert [(p.code, p.row) for p in caught.value.problems] == [("R017", 71)]
    assert policy.decide({**teacher, "birth_date": dt.date(1905, 10, 1)}, school).status  # no serial of a year


def test_the_template_says_an_empty_number_cell_is_not_known_not_zero(tmp_path):
    """A clerk leaving 交流优秀年数 empty for “none” had every teacher marked to check: each number
    column's note and the 填表说明 say that empty is not known and none is 0."""
    path = tmp_path / "模板.xlsx"
    assert CliRunner().invoke(cli, ["template", "--lang", "zh", "--policy", DISTRICT, "-o", str(path)]).exit_code == 0
    wb = load_workbook(path)
    comments = {c.value: c.comment.text for c in wb["教师"][1]}
    assert "空白表示不详，没有请填 0" in comments["农村任教年限"]
    assert "空白" not in comments["姓名"]
    guide = "\n".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "数字列空白表示不详（不按 0 计算" in guide


def test_the_template_s_id_number_column_shows_18_digits_whole(tmp_path):
    path = tmp_path / "模板.xlsx"
    assert CliRunner().invoke(cli, ["template", "--lang", "zh", "-o", str(path)]).exit_code == 0
    ws = load_workbook(path)["教师"]
    letter = next(c.column_letter for c in ws[1] if c.value == "身份证号")
    assert ws.column_dimensions[letter].width >= 20  # 18 digits and the filter button
