"""A teacher at the school before starting work (到校时间 before 参加工作时间). A roster whose two
columns were filled the wrong way round counted every tenure from the first job: 17 of 40 teachers
must rotate became 21, without a word (HR trial hr25). Not refused (a 职员 who became a teacher at
the school, a 代课教师 taken on the staff later, may have one), but said (R050), naming the rows and
their ids, and on most rows asking whether the columns were swapped; by the row reader, the streamed
reader and for records alike. A year-month date stands for its month."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools_zh.csv"
ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:41]
HEADER = ROWS[0]
SCHOOL, WORK = HEADER.index("到校时间"), HEADER.index("参加工作时间")


def _write(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def _swapped(rows: list[list[str]], which) -> list[list[str]]:
    out = [list(r) for r in rows]
    for k in which:
        out[k][SCHOOL], out[k][WORK] = out[k][WORK], out[k][SCHOOL]
    return out


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


def _said(policy, path: Path) -> list:
    roster = policy.read_roster(path, SCHOOLS)
    said = [w for w in roster.warnings if w.code == "R050"]
    _problems, _frame, _read, warnings = read_frame(policy.checked, path, SCHOOLS, chunk_rows=7)
    assert [w for w in warnings if w.code == "R050"] == said  # the streamed reader, in chunks: the same words
    return said


def test_the_two_columns_swapped_are_said_with_the_question(policy, tmp_path):
    [said] = _said(policy, _write(tmp_path / "swapped.csv", _swapped(ROWS, range(1, 41))))
    assert said.warning and said.column == "到校时间" and said.count == 40 and said.rows == tuple(range(2, 12))
    assert said.message_zh == (
        "列“到校时间”有 40 行早于“参加工作时间”（第 2、3、4、5、6、7、8、9、10、11 行等，工号 T0001、T0002、T0003、"
        "T0004、T0005、T0006、T0007、T0008、T0009、T0010 等）：到本校一般在参加工作之后，本校任教年限按所填的“到校时间”计算；"
        "全部 40 行都如此，是否把两列填反了？")
    assert said.message_en.endswith("all of the 40 rows say so: were the two columns filled the wrong way round?")


def test_a_few_rows_are_named_to_check(policy, tmp_path):
    [said] = _said(policy, _write(tmp_path / "few.csv", _swapped(ROWS, (3, 9))))
    assert (said.count, said.rows) == (2, (4, 10))
    assert said.message_zh.endswith("（第 4、10 行，工号 T0003、T0009）：到本校一般在参加工作之后，"
                                    "本校任教年限按所填的“到校时间”计算；请核对这些行")


def test_a_roster_in_order_and_a_start_in_the_same_month_say_nothing(policy, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][WORK], rows[2][SCHOOL] = "2005年9月", "2005年9月1日"  # a year-month date stands for its month
    rows[3][WORK], rows[3][SCHOOL] = "2005-09-20", "2005-09-01"  # the same month: not said
    assert _said(policy, _write(tmp_path / "plain.csv", rows)) == []


def test_records_and_eval_say_it_too(policy, tmp_path):
    rows = _swapped(ROWS, range(1, 41))
    records = [dict(zip(HEADER, r)) for r in rows[1:]]
    path = tmp_path / "swapped.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    [said] = [w for w in policy.read_roster(path, SCHOOLS).warnings if w.code == "R050"]
    assert said.count == 40
    csv_path = _write(tmp_path / "swapped.csv", rows)
    result = CliRunner().invoke(cli, ["eval", POLICY, str(csv_path), "--schools", SCHOOLS, "--lang", "zh",
                                      "-o", str(tmp_path / "decisions.csv")])
    assert result.exit_code == 0, result.output
    assert "[R050]" in result.output and "是否把两列填反了？" in result.output



@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))),
                          st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)))),
                min_size=1, max_size=40))
def test_the_polars_rule_is_the_row_reader_s(pairs):
    """R050 is said of a typed table by a polars expression (``starts_before_work_exprs``: the streamed
    reader, the API's tables) and of a row by ``plausible.starts_before_work``: the same rows, the same
    count of rows giving both dates (review rv27)."""
    import polars as pl

    from policylang.io.columnar import starts_before_work_exprs
    from policylang.io.roster.plausible import starts_before_work

    frame = pl.DataFrame({"school_start": [s for s, _ in pairs], "work_start": [w for _, w in pairs]},
                         schema={"school_start": pl.Date, "work_start": pl.Date})
    early, both = starts_before_work_exprs()
    found = frame.select(early.fill_null(False).alias("early"), both.alias("both"))
    assert found["early"].to_list() == [starts_before_work(s, w) for s, w in pairs]
    assert found["both"].sum() == sum(s is not None and w is not None for s, w in pairs)
