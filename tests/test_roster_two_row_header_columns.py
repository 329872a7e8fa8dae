"""A workbook whose header takes two rows (a group's name, 基本信息 or 任教经历, above the columns
it spans; the other cells merged down) is read as one header (R024), but the decisions' columns
were chosen from the upper row alone: `--keep 农村任教年限` was refused, "the roster has no column
农村任教年限", and a 姓名 under 基本信息 was left out of every decisions file (HR trial hr25). The
header the decisions' columns are chosen from is now the one the rows are read by."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook

from policylang.cli import cli
from policylang.io.columnar import roster_header
from policylang.lang import schema as S

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools.csv"
GROUPS = {"基本信息": ("name", "sex"), "任教经历": ("rural_years", "schools_served")}


def _two_rows(path: Path, rows: int = 12) -> Path:
    header, *body = list(csv.reader(Path("examples/teachers.csv").read_text(encoding="utf-8-sig").splitlines()))
    spans = {group: (header.index(a), header.index(b)) for group, (a, b) in GROUPS.items()}
    upper = list(header)
    for group, (a, b) in spans.items():
        upper[a:b + 1] = [group] * (b - a + 1)
    book = Workbook()
    sheet = book.active
    sheet.append(["XX县2026年教师花名册"])
    sheet.append(upper)
    sheet.append(header)
    for row in body[:rows]:
        sheet.append(row)
    grouped = {k for a, b in spans.values() for k in range(a, b + 1)}
    for k in range(len(header)):
        if k not in grouped:
            sheet.merge_cells(start_row=2, start_column=k + 1, end_row=3, end_column=k + 1)
    for a, b in spans.values():
        sheet.merge_cells(start_row=2, start_column=a + 1, end_row=2, end_column=b + 1)
    book.save(path)
    return path


def test_the_header_of_a_two_row_header_is_the_one_its_rows_are_read_by(tmp_path):
    header = roster_header(_two_rows(tmp_path / "two_rows.xlsx"), table=S.TEACHERS)
    assert {"name", "sex", "rural_years", "schools_served"} <= set(header)
    assert "基本信息" not in header and "任教经历" not in header


def test_keep_names_a_column_under_a_group_and_the_decisions_carry_the_name(tmp_path):
    roster = _two_rows(tmp_path / "two_rows.xlsx")
    plain = tmp_path / "plain.csv"
    with plain.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(list(csv.reader(Path("examples/teachers.csv").read_text(encoding="utf-8-sig")
                                                .splitlines()))[:13])
    runner = CliRunner()
    got = {}
    for name, path in (("two_rows", roster), ("plain", plain)):
        out = tmp_path / f"{name}_decisions.csv"
        result = runner.invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "--keep", "农村任教年限,sex",
                                     "--lang", "zh", "-o", str(out)])
        assert result.exit_code == 0, result.output
        got[name] = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert got["two_rows"] == got["plain"]
    assert {"姓名", "农村任教年限", "性别"} <= set(got["two_rows"][0])
