"""One cell grammar (issue 12, item 9): the row reader (``io/roster/``) and the streamed,
columnar reader (``io/columnar.py``) read the same cell text as the same value, or refuse it
with the same problem. A differential test: hypothesis writes cells of every kind (dates in
each form, year-month, full-width and Arabic-Indic digits, 400-digit numbers, thousands
separators, yes/no words, padded and odd whitespace, codes) into one column of a roster, and
both readers must agree on every row: its problems, word for word, and its typed value."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang
from policylang.io.columnar import read_frame

CORPUS = Path("tests/cases/rosters_bad")
HEADER = ["id", "sex", "birth_date", "school_id", "school_start", "work_start", "on_staff", "pregnant",
          "rural_years", "title", "name"]
BASE = ["T{}", "F", "1980-03-01", "S1", "2015-09-01", "2002-09-01", "是", "否", "0", "一级教师", "王芳"]
COLUMNS = ["birth_date", "school_start", "rural_years", "on_staff", "title", "name", "sex"]

DIGITS = st.sampled_from(["0", "1", "2", "9", "０", "１", "９", "٣", "۵", "〇", "³", "₂", "①"])
SPACE = st.sampled_from(["", " ", "\t", "\u3000", "\u00a0", "\x1c", "\x1f", "\u2028"])
WORDS = st.sampled_from(["是", "否", "有", "无", "Y", "n", "TRUE", "ｙｅｓ", "1", "0", "1.0", "true ", "对",
                         "一级教师", "first", "中学高级", "高级", "none", "", "女", "男", "F", "m", "Ｆ", "女性", "男 性"])
DATES = st.builds(lambda y, m, d, sep: sep.join(p for p in (y, m, d) if p),
                  st.sampled_from(["1980", "2015", "１９８５", "0000", "0001", "9999", "1899"]),
                  st.sampled_from(["", "3", "03", "12", "13", "0", "１２"]),
                  st.sampled_from(["", "1", "01", "31", "30", "29"]),
                  st.sampled_from(["-", "/", ".", "", "。"]))  # (。: a Chinese input method's full stop)
CHINESE_DATES = st.builds(lambda y, m, d, s, day: f"{y}{s}年{s}{m}{s}月" + (f"{s}{d}{s}{day}" if d else ""),
                          st.sampled_from(["1985", "2015"]), st.sampled_from(["3", "03", "13"]),
                          st.sampled_from(["", "1", "15", "32"]), st.sampled_from(["", " ", "\u3000", "\t"]),
                          st.sampled_from(["日", "号"]))
NUMBERS = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 999), st.integers(0, 999)),
    st.sampled_from(["1,200", "1,5", "12,345.5", "+3", "-0", ".5", "5.", "1e3", "inf", "nan", "9" * 400,
                     "1" * 20, "0x10", "٣", "３", "1_000"]),
    st.lists(DIGITS, min_size=1, max_size=6).map("".join),
)
# (a leading apostrophe: Excel's mark of text, which some exports write into a CSV, read without it: R046)
CELLS = st.builds(lambda pad, mark, value, tail: pad + mark + value + tail, SPACE, st.sampled_from(["", "", "", "'"]),
                  st.one_of(DATES, CHINESE_DATES, NUMBERS, WORDS, st.text(max_size=8)), SPACE)
EXAMPLES = int(os.environ.get("POLICYLANG_FUZZ_EXAMPLES", "40"))


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return (a.year, a.month, a.day) == (b.year, b.month, b.day)
    return a == b


def _write(folder: Path, column: str, cells: list[str]) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    where = HEADER.index(column)
    for k, cell in enumerate(cells):
        row = [b.format(k) if i == 0 else b for i, b in enumerate(BASE)]
        row[where] = cell
        writer.writerow(row)
    path = folder / "t.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def policy():
    return policylang.load(CORPUS / "policy.pol")


def _cells_ok(cells: list[str]) -> bool:
    # line breaks and NUL make a CSV's structure, not a cell's grammar (tests/test_roster_hardening.py)
    return all("\n" not in c and "\r" not in c and "\x00" not in c and "\x85" not in c for c in cells)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])
@given(column=st.sampled_from(COLUMNS), cells=st.lists(CELLS, min_size=1, max_size=12).filter(_cells_ok))
def test_both_readers_read_every_cell_alike(policy, tmp_path_factory, column, cells):
    path = _write(tmp_path_factory.mktemp("cells"), column, cells)
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    problems, frame, read, _ = read_frame(policy.checked, path, CORPUS / "schools.csv", skip_invalid=True,
                                          chunk_rows=5)
    assert problems == list(roster.problems), cells
    assert read == len(roster.teachers)
    valid = roster.valid_teachers()
    got = frame[column].to_list() if frame is not None else []
    assert len(got) == len(valid)
    for row, value in zip(valid, got):
        assert _same(row.values[column], value), (row.values[column], value, cells)


@pytest.mark.parametrize("column,cell", [
    ("birth_date", "１９８５－０３－０１"), ("birth_date", "198503"), ("birth_date", "١٩٨٥-٠٣-٠١"),
    ("rural_years", "9" * 400), ("rural_years", "３"), ("rural_years", "٣"), ("name", "\x1c王芳\x1c"),
    ("rural_years", " 1,200 "), ("on_staff", "ｙｅｓ"), ("school_start", "2015年9月1日"),
    ("school_start", "2015。09。01"), ("school_start", "2015年9月1号"), ("birth_date", "1985。1"),
])
def test_the_corpus_of_disagreements_found_in_review(policy, tmp_path, column, cell):
    """The cells the adversarial review found read differently (issue 12, item 9), now alike."""
    path = _write(tmp_path, column, [cell])
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    problems, frame, _, _ = read_frame(policy.checked, path, CORPUS / "schools.csv", skip_invalid=True)
    assert problems == list(roster.problems)
    if roster.valid_teachers():
        assert _same(roster.teachers[0].values[column], frame[column][0])


def test_a_131072_character_cell_reads_alike(policy, tmp_path):
    """Past the csv module's default field limit: both readers read it, as a name."""
    path = _write(tmp_path, "name", ["王" * 131_073])
    roster = policy.read_roster(path, CORPUS / "schools.csv")
    problems, frame, _, _ = read_frame(policy.checked, path, CORPUS / "schools.csv")
    assert roster.problems == () and problems == []
    assert roster.teachers[0].values["name"] == frame["name"][0] == "王" * 131_073
