"""Builds the workbook and Parquet cases of this folder from teachers.csv and schools.csv
(issue 12, items 6 and 11): ``.venv/bin/python tests/cases/rosters_bad/make_binary_cases.py``.
The files are kept in the repository; this says how each was made.

- xlsx_split.xlsx: a 说明 sheet and the teachers on two sheets (一部, 二部): which is the roster?
- xlsx_workbook.xlsx: 说明, 花名册 (the teachers) and 学校 (the schools) in one workbook; the
  school of T01-T02 is one merged cell (E2:E3), T05's on_staff is a formula with no computed
  value, and T06's pregnant a formula whose value (否) the file holds.
- parquet_list.parquet: `name` as a list column; parquet_binary.parquet: `id` as bytes.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl

HERE = Path(__file__).parent


def _rows(name: str) -> list[list[str]]:
    return list(csv.reader((HERE / name).open(encoding="utf-8")))


def _save(wb: openpyxl.Workbook, path: Path, cached: dict[str, tuple[str, str]] | None = None) -> None:
    """Saved with a fixed timestamp; ``cached``: sheet file -> (cell, value) whose formula gets a computed value."""
    wb.properties.created = wb.properties.modified = __import__("datetime").datetime(2026, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            for sheet, (cell, value) in (cached or {}).items():
                if item.filename == sheet:
                    data = re.sub(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?'.encode(),
                                  lambda m: f'<c r="{cell}" t="str"><f>'.encode() + m.group(2) + f"</f><v>{value}</v>".encode(),
                                  data)
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            dst.writestr(info, data, zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())


def main() -> None:
    teachers, schools = _rows("teachers.csv"), _rows("schools.csv")

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本工作簿为教师名册"])
    for title, part in (("一部", teachers[1:6]), ("二部", teachers[6:])):
        sheet = wb.create_sheet(title)
        for row in [teachers[0], *part]:
            sheet.append(row)
    _save(wb, HERE / "xlsx_split.xlsx")

    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本工作簿含教师名册和学校表"])
    sheet = wb.create_sheet("花名册")
    for row in teachers:
        sheet.append(row)
    sheet.merge_cells("E2:E3")  # T01 and T02 are both at S1
    sheet["H6"] = '=IF(1=1,"是","否")'  # T05: no computed value
    sheet["I7"] = '=IF(1=1,"否","是")'  # T06: computed as 否
    sheet = wb.create_sheet("学校")
    for row in schools:
        sheet.append(row)
    _save(wb, HERE / "xlsx_workbook.xlsx", {"xl/worksheets/sheet2.xml": ("I7", "否")})

    frame = pl.read_csv(HERE / "teachers.csv", infer_schema=False)
    frame.with_columns(pl.col("name").map_elements(lambda s: [s], return_dtype=pl.List(pl.Utf8))).write_parquet(
        HERE / "parquet_list.parquet")
    frame.with_columns(pl.col("id").cast(pl.Binary)).write_parquet(HERE / "parquet_binary.parquet")


if __name__ == "__main__":
    main()
