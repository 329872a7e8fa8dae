"""The streaming (columnar) roster path reads and decides exactly as the row reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.output import render
from policylang.io.roster.reader import AssumptionError, load_roster

from .conftest import decided_valid, stating_every_column

DISTRICT = "policies/fujian_pilot_district.pol"


@pytest.mark.parametrize("teachers,schools", [
    ("examples/teachers.csv", "examples/schools.csv"),
    ("examples/teachers_zh.csv", "examples/schools_zh.csv"),
    ("examples/teachers.parquet", "examples/schools.csv"),
])
def test_streamed_decisions_equal_the_row_path(teachers, schools, tmp_path):
    streamed = tmp_path / "s.csv"
    policy = policylang.load(DISTRICT)
    problems, _, _, _ = policy.stream_decisions(teachers, schools, streamed)
    assert problems == []
    rows = pl.read_csv(streamed, infer_schema=False).fill_null("").to_dicts()
    expected = [d.to_row() for d in policy.evaluate(policy.read_roster(teachers, schools), engine="reference")]
    assert rows == expected


def test_streamed_validation_reports_the_same_problems():
    policy = policylang.load(DISTRICT)
    problems, count, _, _ = policy.stream_decisions("examples/bad/teachers_bad.csv", "examples/bad/schools.csv",
                                       "/nonexistent/never-written.csv")
    assert count is None  # nothing written
    reference = load_roster("examples/bad/teachers_bad.csv", "examples/bad/schools.csv").problems
    assert sorted(map(repr, problems)) == sorted(map(repr, reference))


def test_cli_streams_to_parquet_and_skips_invalid(tmp_path):
    out = tmp_path / "d.parquet"
    result = CliRunner().invoke(cli, ["eval", DISTRICT, "examples/bad/teachers_bad.csv", "--schools",
                                      "examples/bad/schools.csv", "--skip-invalid", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out)["id"].to_list() == ["T0010", "T0011", "T0012"]
    assert "[R002]" in result.stderr and "skipped 9 of 12 teachers" in result.stderr  # the row path's words


def test_streamed_reading_agrees_on_edge_cases(tmp_path):
    """Blank rows, number forms and mixed date separators read as the row reader reads them."""
    header = "工号,性别,出生日期,学校代码,到校时间,参加工作时间,农村任教年限"
    lines = [header,
             "1,女,1980-03-01,S1,2015-09-01,2002-09-01,\"1,200\"",  # read, then more than a working life (R017)
             ",,,,,,",
             "2,男,1980-03/01,S1,2015-09-01,2002-09-01,1e3",
             "3,男,1981.3.1,S1,2015.09,2002/9/1,\"1,5\"",
             "4,女,1982年3月1日,S1,2015年9月,2002-09-01,inf"]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("school_id\nS1\n", encoding="utf-8")
    policy = stating_every_column(policylang.load(DISTRICT))
    problems, _, _, _ = policy.stream_decisions(tmp_path / "t.csv", tmp_path / "s.csv", tmp_path / "o.csv")
    reference = policy.read_roster(tmp_path / "t.csv", tmp_path / "s.csv").problems
    assert sorted((p.row, p.column, p.value, p.code) for p in problems) == \
        sorted((p.row, p.column, p.value, p.code) for p in reference)
    assert {(p.row, p.code) for p in reference} == {(2, "R017"), (4, "R002"), (4, "R007"), (5, "R007"), (6, "R007")}


# ---- chunked streaming -----------------------------------------------------------------

SAMPLES = [("examples/teachers.parquet", "examples/schools.csv"), ("examples/teachers.csv", "examples/schools.csv")]
SMALL_CHUNK = 37  # the sample's 400 teachers in 11 chunks


def _roster_with(tmp_path, edits: dict[int, dict[str, str]], extra: list[dict[str, str]] = ()) -> Path:
    """The sample roster as a CSV with some cells changed (by 0-based data row) and rows added."""
    frame = pl.read_csv("examples/teachers.csv", infer_schema=False)
    rows = frame.to_dicts()
    for index, cells in edits.items():
        rows[index].update(cells)
    path = tmp_path / "teachers.csv"
    pl.DataFrame(rows + list(extra), schema=frame.schema).write_csv(path)
    return path


@pytest.mark.parametrize("teachers,schools", SAMPLES)
def test_chunked_csv_is_byte_identical_to_the_in_memory_path(teachers, schools, tmp_path):
    policy = policylang.load(DISTRICT)
    chunked, whole = tmp_path / "chunked.csv", tmp_path / "whole.csv"
    assert policy.stream_decisions(teachers, schools, chunked, chunk_rows=SMALL_CHUNK) == ([], 400, 400, [])
    assert policy.stream_decisions(teachers, schools, whole) == ([], 400, 400, [])
    in_memory = render(policy.evaluate(policy.read_roster(teachers, schools)), "csv")
    assert chunked.read_bytes() == whole.read_bytes() == in_memory


@pytest.mark.parametrize("teachers,schools", SAMPLES)
def test_chunked_parquet_holds_the_same_decisions(teachers, schools, tmp_path):
    policy = policylang.load(DISTRICT)
    chunked, whole = tmp_path / "chunked.parquet", tmp_path / "whole.parquet"
    policy.stream_decisions(teachers, schools, chunked, chunk_rows=SMALL_CHUNK)
    policy.stream_decisions(teachers, schools, whole)
    assert pl.read_parquet(chunked).equals(pl.read_parquet(whole))
    expected = [d.to_row() for d in policy.evaluate(policy.read_roster(teachers, schools))]
    assert pl.read_parquet(chunked).fill_null("").to_dicts() == expected


def test_a_problem_in_a_later_chunk_is_reported_and_nothing_is_written(tmp_path):
    teachers = _roster_with(tmp_path, {350: {"birth_date": "1980-02-30"}, 360: {"post": "janitor"}})
    out = tmp_path / "out" / "d.parquet"
    out.parent.mkdir()
    policy = policylang.load(DISTRICT)
    problems, count, _, _ = policy.stream_decisions(teachers, "examples/schools.csv", out,
                                       chunk_rows=SMALL_CHUNK)
    assert count is None and list(out.parent.iterdir()) == []  # no file, no temporary file left
    assert problems == list(load_roster(teachers, "examples/schools.csv").problems)
    assert [(p.row, p.code) for p in problems] == [(352, "R002"), (362, "R003")]


def test_duplicate_ids_across_chunks_refuse_every_row_with_them(tmp_path):
    policy = policylang.load(DISTRICT)
    original = pl.read_csv("examples/teachers.csv", infer_schema=False).to_dicts()
    # row 3's id again in a later chunk (with blanks around it), and row 200's twice more
    teachers = _roster_with(tmp_path, {100: {"id": f" {original[2]['id']} "}, 300: {"id": original[199]["id"]},
                                       390: {"id": original[199]["id"]}})
    problems, count, _, _ = policy.stream_decisions(teachers, "examples/schools.csv", tmp_path / "d.csv",
                                       chunk_rows=SMALL_CHUNK)
    assert count is None and not (tmp_path / "d.csv").exists()
    assert problems == list(load_roster(teachers, "examples/schools.csv").problems)
    assert [(p.row, p.code, p.value) for p in problems] == [
        (4, "R004", original[2]["id"]), (102, "R004", original[2]["id"]), (201, "R004", original[199]["id"]),
        (302, "R004", original[199]["id"]), (392, "R004", original[199]["id"])]
    assert "again in row 102" in problems[0].message_en and "first in row 4" in problems[1].message_en
    assert "again in row 302" in problems[2].message_en and "first in row 201" in problems[4].message_en


def test_ids_that_look_alike_are_said_alike_by_every_reader(tmp_path):
    """`Ｔ0003` (typed with full-width letters) beside `T0003` were two people, each decided, without a
    word; school ids alike got one (R005). R037, from the streamed reader (the alike ids in later
    chunks), the row reader and a service batch alike; both rows still decided."""
    policy = policylang.load(DISTRICT)
    original = pl.read_csv("examples/teachers.csv", infer_schema=False).to_dicts()
    same = original[2]["id"]
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in same)
    teachers = _roster_with(tmp_path, {300: {"id": wide}, 350: {"id": same.lower()}})
    streamed = policy.stream_decisions(teachers, "examples/schools.csv", tmp_path / "d.csv", chunk_rows=SMALL_CHUNK)
    assert streamed.problems == [] and streamed.decided == 400
    alike = [w for w in streamed.warnings if w.code == "R037"]
    assert alike == [w for w in load_roster(teachers, "examples/schools.csv").warnings if w.code == "R037"]
    assert [(w.row, w.value) for w in alike] == [(352, same.lower())]
    assert f"“{same}”（第4行）、“{wide}”（第302行）、“{same.lower()}”（第352行）只是全角/半角或大小写不同" in alike[0].message_zh
    plain = _roster_with(tmp_path, {})  # none alike: nothing said, the hashes only
    assert not [w for w in policy.stream_decisions(plain, "examples/schools.csv", tmp_path / "d.csv").warnings
                if w.code == "R037"]


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200e", "\u2060"])
def test_an_id_with_an_invisible_character_at_its_end_is_the_same_id_to_every_reader(tmp_path, invisible):
    """`T0001` and `T0001` with a zero-width space pasted after it were two teachers, both
    decided: a cell's ends lose what shows nothing, as they lose spaces (text_width.TRIMMED)."""
    policy = policylang.load(DISTRICT)
    original = pl.read_csv("examples/teachers.csv", infer_schema=False).to_dicts()
    teachers = _roster_with(tmp_path, {300: {"id": original[2]["id"] + invisible}})
    problems, count, _, _ = policy.stream_decisions(teachers, "examples/schools.csv", tmp_path / "d.csv",
                                                    chunk_rows=SMALL_CHUNK)
    assert problems == list(load_roster(teachers, "examples/schools.csv").problems)
    assert [(p.row, p.code, p.value) for p in problems] == [(4, "R004", original[2]["id"]),
                                                            (302, "R004", original[2]["id"])]
    records = [dict(t) for t in original]
    records[300]["id"] = original[2]["id"] + invisible
    schools = pl.read_csv("examples/schools.csv", infer_schema=False).to_dicts()
    with pytest.raises(policylang.RosterError) as refused:  # the API's table, read column by column
        policy.evaluate_table(pl.DataFrame(records), schools)
    assert [p.code for p in refused.value.problems] == ["R004", "R004"]


@pytest.mark.parametrize("column, cell", [("sex", "F\u200b"), ("title", "一级教师\u200b"), ("title", "\u200b")])
def test_a_code_with_an_invisible_character_at_its_end_is_read_alike_by_every_reader(tmp_path, column, cell):
    """A code's lookup trimmed plain spaces only: the row reader read `F` followed by a zero-width
    space as F, the streamed reader refused it, and an empty title read as `none` by one, as
    missing by the other."""
    policy = policylang.load(DISTRICT)
    teachers = _roster_with(tmp_path, {7: {column: cell}})
    roster = load_roster(teachers, "examples/schools.csv")
    problems, count, _, _ = policy.stream_decisions(teachers, "examples/schools.csv", tmp_path / "d.csv")
    assert problems == list(roster.problems) == [] and count == 400
    assert (tmp_path / "d.csv").read_bytes() == render(policy.evaluate(policy.read_roster(teachers,
                                                                                          "examples/schools.csv")),
                                                       "csv")


def test_skip_invalid_across_chunks_decides_exactly_the_valid_rows(tmp_path):
    policy = policylang.load(DISTRICT)
    first_id = pl.read_csv("examples/teachers.csv", infer_schema=False)["id"][0]
    teachers = _roster_with(tmp_path, {5: {"sex": "X"}, 120: {"school_id": "S404"}, 250: {"id": first_id},
                                       399: {"birth_date": ""}})
    out = tmp_path / "d.csv"
    problems, count, _, _ = policy.stream_decisions(teachers, "examples/schools.csv", out,
                                       skip_invalid=True, chunk_rows=SMALL_CHUNK)
    roster = policy.read_roster(teachers, "examples/schools.csv")
    assert problems == list(roster.problems)
    assert [p.code for p in problems] == ["R004", "R003", "R005", "R004", "R006"]
    expected = policy.evaluate(roster, engine="reference", skip_invalid=True)
    assert count == len(expected) == len(roster.valid_teachers()) == 395
    assert out.read_bytes() == render(expected, "csv")


def test_progress_is_reported_chunk_by_chunk_up_to_the_total(tmp_path):
    policy = policylang.load(DISTRICT)
    calls = []
    policy.stream_decisions("examples/teachers.parquet", "examples/schools.csv", tmp_path / "d.parquet",
                     chunk_rows=SMALL_CHUNK, progress=lambda done, total: calls.append((done, total)))
    done = [d for d, _ in calls]
    assert {t for _, t in calls} == {400}
    assert done[0] == 0 and done[-1] == 400 and done == sorted(done) and len(set(done)) == len(done)
    assert len(calls) == 1 + -(-400 // SMALL_CHUNK)


def test_a_roster_that_cannot_be_decided_at_all_still_gives_a_file_with_skip_invalid(tmp_path):
    """A missing required column leaves no row decidable, as in the row reader; with --skip-invalid
    the output is written, empty, as the in-memory path writes it."""
    frame = pl.read_csv("examples/teachers.csv", infer_schema=False).drop("sex")
    frame.write_csv(tmp_path / "t.csv")
    policy = policylang.load(DISTRICT)
    out = tmp_path / "d.csv"
    problems, count, _, _ = policy.stream_decisions(tmp_path / "t.csv", "examples/schools.csv", out,
                                       skip_invalid=True, chunk_rows=SMALL_CHUNK)
    assert problems == list(load_roster(tmp_path / "t.csv", "examples/schools.csv").problems)
    assert count == 0 and out.read_bytes() == render([], "csv")


def test_the_cli_progress_bar_counts_rows_on_a_terminal_only():
    import io

    from rich.console import Console

    from policylang.cli.eval import _progress_bar

    screen = io.StringIO()
    with _progress_bar(Console(file=screen, force_terminal=True, width=100), "en") as update:
        update(0, 400)
        update(400, 400)
    assert "400/400" in screen.getvalue()
    with _progress_bar(Console(file=io.StringIO(), force_terminal=False), "en") as update:
        assert update is None


def test_a_file_unreadable_part_way_through_is_r009_and_nothing_is_written(tmp_path):
    rows = pl.read_csv("examples/teachers.csv", infer_schema=False)
    pl.concat([rows.with_columns(pl.col("id") + f"-{k}") for k in range(40)]).write_csv(tmp_path / "t.csv")
    data = (tmp_path / "t.csv").read_bytes()
    (tmp_path / "t.csv").write_bytes(data[:-300] + b"\xff" + data[-300:])  # far beyond the sniffed head
    policy = policylang.load(DISTRICT)
    problems, count, _, _ = policy.stream_decisions(tmp_path / "t.csv", "examples/schools.csv",
                                       tmp_path / "d.csv", chunk_rows=1000)
    assert [(p.code, p.row) for p in problems] == [("R009", None)] and count is None
    assert not (tmp_path / "d.csv").exists()


def _same_as_row_reader(teachers, schools, tmp_path, **options):
    """Streamed problems and decisions (with --skip-invalid) equal the row reader's."""
    policy = stating_every_column(policylang.load(DISTRICT))
    out = tmp_path / "streamed.csv"
    problems, _, _, _ = policy.stream_decisions(teachers, schools, out, skip_invalid=True, chunk_rows=2, **options)
    roster = policy.read_roster(teachers, schools)
    assert problems == list(roster.problems)
    assert out.read_bytes() == render(decided_valid(policy, roster), "csv")
    return problems


def test_typed_parquet_cells_read_as_the_row_reader_reads_them(tmp_path):
    """NaN is empty, infinity is not a number, 1.0 is yes, an id typed as a number has no ".0"."""
    nan, inf = float("nan"), float("inf")
    pl.DataFrame({
        "id": [1001.0, 1002.0, 1003.0, 1004.0, 1005.0],
        "sex": ["F", " M ", "女", "m", ""],
        "birth_date": [dt.date(1980, 3, 1)] * 5,
        "school_id": ["S02", "S02", "S02", "S02", "S02"],
        "school_start": [dt.datetime(2015, 9, 1)] * 5,
        "work_start": [dt.date(2002, 9, 1)] * 5,
        "on_staff": [1.0, 0.0, None, 2.0, nan],
        "rural_years": [nan, inf, 3.0, None, 1.5],
        "title": ["senior", None, " ", "中级", "chief"],
    }).write_parquet(tmp_path / "t.parquet")
    problems = _same_as_row_reader(tmp_path / "t.parquet", "examples/schools.csv", tmp_path)
    assert {(p.row, p.code) for p in problems} == {(2, "R007"), (4, "R008"), (5, "R003"), (5, "R006")}


def test_csv_headers_and_schools_read_as_the_row_reader_reads_them(tmp_path):
    """A semicolon-separated file with a column given twice (every row undecidable), and a
    teacher at a school whose own row is invalid (known, so not R005, but not decided: R014)."""
    (tmp_path / "s.csv").write_text("school_id,area\nS1,urban\nS2,moon\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text(
        "工号;性别;出生日期;学校代码;到校时间;参加工作时间\n"
        "1;女;1980-03-01;S2;2015-09-01;2002-09-01\n2;男;1980-03-01;S3;2015-09-01;2002-09-01\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", tmp_path / "s.csv", tmp_path)
    assert [(p.column, p.value, p.code) for p in problems] == [("area", "moon", "R003"), ("学校代码", "S2", "R014"),
                                                               ("学校代码", "S3", "R005")]
    (tmp_path / "t.csv").write_text("id;ID;sex;birth_date;school_id;school_start;work_start\n"
                                    "1;1;F;1980-03-01;S1;2015-09-01;2002-09-01\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", tmp_path / "s.csv", tmp_path)
    assert [(p.column, p.code) for p in problems] == [("ID", "R010"), ("area", "R003")]


@pytest.mark.parametrize("birth_dates", [
    ["1980-3-1", "1980-02-30", "0000-01-01", "2024-02-29"],  # ISO only: the fast reading
    ["1980/3/1", "1980-02-30", "0000-01", " 2024年2月29日 "],  # mixed forms
])
def test_text_dates_read_as_the_row_reader_reads_them(birth_dates, tmp_path):
    header = "id,sex,birth_date,school_id,school_start,work_start"
    lines = [f"{k},F,{d},S02,2015-09-01,2002-09-01" for k, d in enumerate(birth_dates)]
    (tmp_path / "t.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    # born 2024, at school since 2015: read, but no one starts work before being born (R017)
    assert [(p.row, p.code) for p in problems] == [(3, "R002"), (4, "R002"), (5, "R017"), (5, "R017")]


# (birth, a start of work, a refusal): a start in the month of the 16th birthday, or a refusal in the month
# of birth, may be later in it; the month before cannot be right; a birth after the reference date is R029's
_WORKING_LIFE = [("1980-03-15", "1996-03-01", ""), ("1980-03-15", "1996-02-29", ""), ("1980.03", "1996-02", "1980-03"),
                 ("1980-03-15", "2002-09-01", "1980-02-29"), ("2030-01-01", "2002-09-01", ""),
                 ("1984-02-29", "2000-02-01", ""), ("1980-03-15", "2002-09-01", "")]


@pytest.mark.parametrize("form", ["csv", "parquet"])
@pytest.mark.parametrize("as_of", [dt.date(2026, 9, 1), dt.date(2001, 9, 1)])
def test_the_dates_of_a_working_life_are_read_against_the_birth_month_alike_by_every_reader(tmp_path, form, as_of):
    """The streamed reader reads a CSV's birth months once per distinct text (``_Reading``), a
    typed Parquet column's per row: both as the row reader (``roster.plausible``)."""
    rows = [{"id": str(k), "sex": "F", "birth_date": b, "school_id": "S02", "school_start": "2015-09-01",
             "work_start": w, "refused_exchange": r} for k, (b, w, r) in enumerate(_WORKING_LIFE * 2)]
    frame = pl.DataFrame(rows)
    if form == "csv":
        frame.write_csv(teachers := tmp_path / "t.csv")
    else:
        typed = {c: pl.col(c).str.to_date(strict=False) for c in ("birth_date", "work_start", "refused_exchange")}
        frame.with_columns(**typed).write_parquet(teachers := tmp_path / "t.parquet")
    policy = stating_every_column(policylang.load(DISTRICT))
    out = tmp_path / "streamed.csv"
    problems, _, _, _ = policy.stream_decisions(teachers, "examples/schools.csv", out, skip_invalid=True,
                                                chunk_rows=3, as_of=as_of)
    roster = policy.read_roster(teachers, "examples/schools.csv", as_of=as_of)
    assert problems == list(roster.problems)
    first = 2 if form == "csv" else 1  # (a CSV's header is its first row; "1980.03" no Parquet date: R006)
    assert {p.row - first for p in problems if p.code == "R017"} == ({1, 2, 3, 8, 9, 10} if form == "csv" else {1, 3, 8, 10})


def test_text_yes_no_values_read_as_the_row_reader_reads_them(tmp_path):
    values = ["是", " YES ", "t", "", "无", "maybe", "2"]
    lines = [f"{k},F,1980-03-01,S02,2015-09-01,2002-09-01,{v}" for k, v in enumerate(values)]
    (tmp_path / "t.csv").write_text("\n".join(["id,sex,birth_date,school_id,school_start,work_start,pregnant", *lines])
                                    + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.value) for p in problems] == [(7, "R008", "maybe"), (8, "R008", "2")]


def _eval(*args):
    return CliRunner().invoke(cli, ["eval", DISTRICT, *args, "--lang", "en"])


def test_an_unreadable_roster_writes_nothing_and_says_so_even_when_skipping(tmp_path):
    broken = tmp_path / "t.parquet"
    broken.write_bytes(b"PAR1 this is not a parquet file")
    out = tmp_path / "d.csv"
    result = _eval(str(broken), "--schools", "examples/schools.csv", "--skip-invalid", "-o", str(out))
    assert result.exit_code == 3 and "[R009]" in result.stderr and "no file written" in result.stderr
    assert not out.exists() and "wrote" not in result.stderr
    diff = CliRunner().invoke(cli, ["diff", DISTRICT, DISTRICT, str(broken), "--schools", "examples/schools.csv",
                                    "--skip-invalid", "--lang", "en"])
    assert diff.exit_code == 3 and "nothing compared" in diff.stderr


def test_an_empty_csv_has_the_row_readers_problems(tmp_path):
    empty = tmp_path / "t.csv"
    empty.write_bytes(b"")
    policy = stating_every_column(policylang.load(DISTRICT))
    problems, decided, read, _ = policy.stream_decisions(empty, "examples/schools.csv", tmp_path / "d.csv")
    assert problems == list(policy.read_roster(empty, "examples/schools.csv").problems)
    assert [(p.code, p.row) for p in problems] == [("R009", None)] and (decided, read) == (None, 0)  # said empty, once


def test_a_schools_file_with_a_doubled_column_is_refused_as_by_the_row_reader_with_skip_invalid(tmp_path):
    schools = pl.read_csv("examples/schools.csv", infer_schema=False)
    text = schools.write_csv().splitlines()
    text[0] += ",area"  # a second `area` column: every school row is invalid (R010)
    (tmp_path / "s.csv").write_text("\n".join(line + ("" if k == 0 else ",urban") for k, line in enumerate(text)) + "\n",
                                    encoding="utf-8")
    streamed, reference = tmp_path / "bulk.csv", tmp_path / "reference.csv"
    for engine, out in (("bulk", streamed), ("reference", reference)):
        result = _eval("examples/teachers.csv", "--schools", str(tmp_path / "s.csv"), "--skip-invalid",
                       "--engine", engine, "-o", str(out))
        assert result.exit_code == 3 and "[R010]" in result.stderr, result.output
        assert "problem(s) of the roster as a whole" in result.stderr and not out.exists()


def test_a_missing_column_counts_every_teacher_and_is_refused_with_skip_invalid(tmp_path):
    pl.read_csv("examples/teachers.csv", infer_schema=False).drop("sex").write_csv(tmp_path / "t.csv")
    result = _eval(str(tmp_path / "t.csv"), "--schools", "examples/schools.csv", "--skip-invalid",
                   "-o", str(tmp_path / "d.csv"))
    assert result.exit_code == 3 and "none of its 400 teachers can be decided" in result.stderr
    assert not (tmp_path / "d.csv").exists()


def test_a_gb18030_csv_whose_head_looks_like_utf8_is_read_whole(tmp_path):
    teachers = pl.read_csv("examples/teachers.csv", infer_schema=False)
    plain = teachers.with_columns(pl.format("teacher {}", pl.col("id")).alias("name"))
    late_chinese = pl.concat([plain, plain.tail(1).with_columns(pl.lit("张三").alias("name"),
                                                                 pl.lit("T9999").alias("id"))])
    path = tmp_path / "t.csv"
    path.write_bytes(late_chinese.write_csv().encode("gb18030"))
    assert len(path.read_bytes().split("张三".encode("gb18030"))[0]) > 1 << 16  # past the sampled head
    policy = policylang.load(DISTRICT)
    problems, decided, read, _ = policy.stream_decisions(path, "examples/schools.csv", tmp_path / "d.csv")
    assert problems == list(load_roster(path, "examples/schools.csv").problems) == []
    assert decided == read == 401


def test_the_format_option_decides_the_output_format_not_the_file_name(tmp_path):
    out = tmp_path / "decisions.out"
    assert _eval("examples/teachers.csv", "--schools", "examples/schools.csv", "--format", "parquet",
                 "-o", str(out)).exit_code == 0
    assert pl.read_parquet(out).height == 400


def test_texts_first_seen_in_a_later_chunk_read_as_the_row_reader_reads_them(tmp_path):
    """A CSV's coded, dated and numeric columns are read once per distinct text, the texts of
    each column growing chunk by chunk (two rows a chunk here): a text first met in a later
    chunk (a year-month date, a wrong yes/no, a blank code, a wrong number) is read as the row
    reader reads it, and the texts read for one file never stand for another's."""
    header = "id,sex,birth_date,school_id,school_start,work_start,pregnant,rural_years"
    rows = ["1,F,1980-03-01,S02,2015-09-01,2002-09-01,否,1",
            "2,M,1980-03-01,S02,2015-09-01,2002-09-01,否,1",
            "3,F,1980-03-01,S02,2015-09-01,2002-09-01,是,2",
            "4,女,1985.03,S02,2015-09-01,2002-09-01,否,1",
            "5,  ,1980-03-01,S02,2015-09-01,2002-09-01,否,1",
            "6,F,1980-03-01,S02,2015-09-01,2002-09-01,maybe,x",
            "7,F,1980-03-01,S02,2015-09,2002-09-01,,-1"]
    first = tmp_path / "t.csv"
    first.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(first, "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.value) for p in problems] == [
        (6, "R006", ""), (7, "R008", "maybe"), (7, "R007", "x"), (8, "R017", "-1")]
    # the same texts meaning other things in a second file: yes/no where numbers were
    second = tmp_path / "t2.csv"
    second.write_text("\n".join([header.replace("rural_years", "nursing"),
                                 *(r.rsplit(",", 1)[0] + ",1" for r in rows)]) + "\n", encoding="utf-8")
    _same_as_row_reader(second, "examples/schools.csv", tmp_path)


def test_the_texts_read_are_those_of_the_column_at_hand():
    """``_per_category`` keeps what it read of a column's texts for the next chunk: texts added
    to the column since are read too, and another column with as many texts in another order
    (another file's) is read afresh."""
    from policylang.io import columnar

    field = policylang.load(DISTRICT).checked.teachers.field("pregnant")

    def read(texts: list[str | None], categories) -> list[tuple]:
        frame = pl.DataFrame({"c": pl.Series(texts, dtype=pl.Categorical(categories))})
        cells = columnar._per_category(field, pl.col("c"), frame.schema["c"], required=False,
                                       top=frame["c"].to_physical().max())
        return frame.select(cells.value.alias("v"), cells.bad.alias("bad")).rows()

    growing = pl.Categories.random()
    assert read(["否", None], growing) == [(False, False), (False, False)]
    assert read(["否", "是", "maybe"], growing) == [(False, False), (True, False), (None, True)]
    other = pl.Categories.random()
    assert read(["maybe", "是", "否"], other) == [(None, True), (True, False), (False, False)]


def test_batches_read_their_own_texts_when_the_batches_before_them_are_gone(monkeypatch):
    """A service's batches share each field's categories, so that the texts they repeat are read
    once; polars frees categories with the last series using them, and a later batch cast by
    the same name would put other texts under the same codes. Each batch reads its own dates."""
    import gc

    from policylang.io import columnar
    from policylang.io.roster.reader import table_from_records

    checked = stating_every_column(policylang.load(DISTRICT)).checked
    schools = table_from_records(pl.read_csv("examples/schools.csv", infer_schema=False).to_dicts(), checked.schools)
    header = ["id", "sex", "birth_date", "school_id", "school_start", "work_start"]

    def births(dates: list[str]) -> list:
        cells = [[f"T{k}" for k in range(len(dates))], ["F"] * len(dates), dates, ["S02"] * len(dates),
                 ["2015-09-01"] * len(dates), ["2010-09-01"] * len(dates)]  # (at work from 16 at least)
        frame, _ = columnar.checked_records(checked, header, cells, schools)
        return frame["birth_date"].to_list()

    assert births(["1971-01-01", "1972-02-02", "1973-03-03"]) == [dt.date(1971, 1, 1), dt.date(1972, 2, 2),
                                                                   dt.date(1973, 3, 3)]
    gc.collect()
    assert births(["1980-05-05", "1972-02-02"]) == [dt.date(1980, 5, 5), dt.date(1972, 2, 2)]
    # a field's categories start afresh past a bound (memory stays bounded), and read the same
    kept = columnar._LASTING[checked.teachers.field("birth_date")]
    monkeypatch.setattr(columnar, "_LASTING_TEXTS", 3)
    assert births(["1990-01-01", "1972-02-02"]) == [dt.date(1990, 1, 1), dt.date(1972, 2, 2)]
    assert columnar._LASTING[checked.teachers.field("birth_date")] is not kept


def test_batches_read_at_once_by_many_threads_each_read_their_own_texts():
    """The service reads batches on several threads, sharing each field's categories and
    their readings: every batch still reads its own dates."""
    from concurrent.futures import ThreadPoolExecutor

    from policylang.io import columnar
    from policylang.io.roster.reader import table_from_records

    checked = stating_every_column(policylang.load(DISTRICT)).checked
    schools = table_from_records(pl.read_csv("examples/schools.csv", infer_schema=False).to_dicts(), checked.schools)
    header = ["id", "sex", "birth_date", "school_id", "school_start", "work_start"]

    def births(k: int) -> bool:
        dates = [dt.date(1960 + (k * 7 + i) % 30, 1 + i % 12, 1 + (k + i) % 28) for i in range(30)]
        n = len(dates)
        cells = [[f"T{i}" for i in range(n)], ["F"] * n, [d.isoformat() for d in dates], ["S02"] * n,
                 ["2015-09-01"] * n, ["2010-09-01"] * n]
        frame, _ = columnar.checked_records(checked, header, cells, schools)
        return frame["birth_date"].to_list() == dates

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(births, range(200)))


def test_a_count_with_a_fraction_is_refused_as_the_row_reader_refuses_it(tmp_path):
    """任教学校数 1.5 (a count, R017) in the streamed reader as in the row reader; 农村任教年限 2.5 is read."""
    header = "id,sex,birth_date,school_id,school_start,work_start,rural_years,schools_served"
    rows = ["1,F,1980-03-01,S02,2015-09-01,2002-09-01,2.5,2", "2,F,1980-03-01,S02,2015-09-01,2002-09-01,1,1.5",
            "3,F,1980-03-01,S02,2015-09-01,2002-09-01,1,3.0"]
    (tmp_path / "t.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.column, p.value) for p in problems] == [(3, "R017", "schools_served", "1.5")]


def test_a_woman_s_retirement_category_is_55_or_50_in_both_readers(tmp_path):
    """退休类别 60, 45, 50.5 or 0 for a woman is no statutory age (R017): her retirement date, which
    near-retirement exemptions read, would be unknown without a word; a man's cell is not read."""
    header = "id,sex,birth_date,retirement_category,school_id,school_start,work_start"
    cells = [("F", "60"), ("F", "45"), ("F", "50.5"), ("F", "0"), ("F", "50"), ("F", "55.0"), ("F", ""), ("M", "60")]
    rows = [f"{i},{sex},1972-12-01,{category},S02,2015-09-01,2002-09-01" for i, (sex, category) in enumerate(cells, 1)]
    (tmp_path / "t.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.value) for p in problems] == [(2, "R017", "60"), (3, "R017", "45"), (4, "R017", "50.5"),
                                                            (5, "R017", "0")]
    assert "只能是55（干部和专业技术人员）或50（工人）" in problems[0].message_zh
    policy = policylang.load("policies/county_managed.pol")
    with pytest.raises(AssumptionError):  # stated for every woman of a roster without the column
        policy.assuming({"retirement_category": 60})


def test_a_man_pregnant_on_maternity_leave_or_nursing_is_refused_in_every_reader(tmp_path):
    """孕期、产假、哺乳期 是 for a man (R017): an HR trial's man marked pregnant (a value one row
    off) was exempted as pregnant, exit 0. No for a man, yes for a woman, yes with no sex known
    from the row: read as they are."""
    header = "id,sex,birth_date,school_id,school_start,work_start,pregnant,maternity_leave,nursing"
    cells = [("M", "是", "", ""), ("M", "", "是", ""), ("M", "否", "否", "是"), ("M", "否", "否", "否"), ("F", "是", "是", "是")]
    rows = [f"{i},{sex},1985-03-01,S02,2015-09-01,2008-09-01,{p},{m},{n}" for i, (sex, p, m, n) in enumerate(cells, 1)]
    (tmp_path / "t.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.column) for p in problems] == [(2, "R017", "pregnant"), (3, "R017", "maternity_leave"),
                                                             (4, "R017", "nursing")]
    assert "此人性别为男" in problems[0].message_zh
    policy = stating_every_column(policylang.load(DISTRICT))
    with pytest.raises(policylang.RosterError) as refused:  # the API's record reader, as the files' readers
        policy.decide({"id": "T1", "sex": "M", "birth_date": "1985-03-01", "school_id": "S02",
                       "school_start": "2015-09-01", "work_start": "2008-09-01", "pregnant": "是"},
                      {"school_id": "S02", "area": "urban", "stage": "primary"})
    assert [(p.code, p.column) for p in refused.value.problems] == [("R017", "pregnant")]


def test_the_form_s_example_row_is_no_teacher_in_every_reader(tmp_path):
    """A template's example row left under the header (姓名 张三（示例）, 工号 示例1) was decided as a
    401st teacher, exit 0 (an HR trial): refused (R017, 该行是填表示例), in both readers."""
    header = "id,name,sex,birth_date,school_id,school_start,work_start"
    rows = ["T9999,张三（示例）,F,1980-03-01,S02,2015-09-01,2002-09-01", "示例1,李四,F,1980-03-01,S02,2015-09-01,2002-09-01",
            "T1,王示,F,1980-03-01,S02,2015-09-01,2002-09-01"]
    (tmp_path / "t.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.column) for p in problems] == [(2, "R017", "name"), (3, "R017", "id")]
    assert "该行是填表示例，不是教师" in problems[0].message_zh


def test_a_spreadsheet_error_value_is_named_as_a_formula_that_failed(tmp_path):
    """#N/A, #REF!, #DIV/0! (a VLOOKUP that found nothing, pasted as values) were called no yes/no
    value, no number, an unknown school: said as a formula's error, in both readers."""
    header = "id,sex,birth_date,school_id,school_start,work_start,pregnant,rural_years"
    rows = ["1,F,1980-03-01,S02,2015-09-01,2002-09-01,#N/A,1", "2,F,1980-03-01,S02,2015-09-01,2002-09-01,否,#DIV/0!",
            "3,F,#VALUE!,S02,2015-09-01,2002-09-01,否,1", "4,F,1980-03-01,#REF!,2015-09-01,2002-09-01,否,1"]
    (tmp_path / "t.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    assert [(p.row, p.column) for p in problems] == [(2, "pregnant"), (3, "rural_years"), (4, "birth_date"),
                                                     (5, "school_id")]
    assert all("公式出错时显示的错误值" in p.message_zh for p in problems), [p.message_zh for p in problems]


def test_a_column_with_no_header_that_holds_notes_is_said(tmp_path):
    """已调出 and 已退休，勿计 typed in a column with no header (an HR trial: those teachers were decided
    like everyone, nothing said): R042 naming the column, its rows and their text, as a warning;
    by `eval` on the CSV (the streamed reader hands such a file to the row reader) and on the
    workbook alike. An empty header column with nothing in it (a trailing comma) says nothing."""
    from click.testing import CliRunner

    from policylang.cli import cli as main

    lines = (Path("examples") / "teachers.csv").read_text(encoding="utf-8").splitlines()[:9]
    notes = {3: "已调出", 7: "已退休，勿计"}
    (tmp_path / "t.csv").write_text("\n".join([lines[0] + ","] + [row + "," + notes.get(k, "") for k, row in
                                                                   enumerate(lines[1:], 1)]) + "\n", encoding="utf-8")
    (tmp_path / "plain.csv").write_text("\n".join(line + "," for line in lines) + "\n", encoding="utf-8")
    book = openpyxl.Workbook()
    for k, line in enumerate(lines):
        book.active.append(line.split(",") + [None, notes.get(k)])  # the note two columns right of the header
    book.save(tmp_path / "t.xlsx")
    for name in ("t.csv", "t.xlsx"):
        result = CliRunner().invoke(main, ["--lang", "zh", "eval", DISTRICT, str(tmp_path / name), "--schools",
                                           "examples/schools.csv", "-o", str(tmp_path / "o.csv")])
        assert result.exit_code == 0, result.output
        assert "[R042]" in result.output and "第4行“已调出”、第8行“已退休，勿计”" in result.output, (name, result.output)
    roster = policylang.load(DISTRICT).read_roster(tmp_path / "t.xlsx", "examples/schools.csv")
    (said,) = [w for w in roster.warnings if w.code == "R042"]
    assert (said.rows, said.count, said.warning) == ((4, 8), 2, True)
    plain = CliRunner().invoke(main, ["--lang", "zh", "eval", DISTRICT, str(tmp_path / "plain.csv"), "--schools",
                                      "examples/schools.csv", "-o", str(tmp_path / "o.csv")])
    assert plain.exit_code == 0 and "R042" not in plain.output
    # a CSV's row longer than its header is that row's problem (ragged), not a column with no header
    (tmp_path / "long.csv").write_text("\n".join([lines[0], lines[1] + ",已调出", *lines[2:]]) + "\n", encoding="utf-8")
    roster = policylang.load(DISTRICT).read_roster(tmp_path / "long.csv", "examples/schools.csv")
    assert [w.code for w in roster.warnings if w.code == "R042"] == [] and roster.problems


def test_cells_written_for_excel_as_formulas_of_text_are_read_as_the_text(tmp_path):
    """="T0001", ="S02", ="1980-03-01": how systems export a CSV for Excel to keep leading zeros,
    which Excel shows as the text (an HR trial: the ids were handed on as '="T0001"'). Read as that
    text: the streamed reader hands such a file to the row reader, and `eval` writes the decisions
    of the plain file."""
    from click.testing import CliRunner

    from policylang.cli import cli
    from policylang.io.columnar import unparsed_csv

    header, *plain = (Path("examples") / "teachers.csv").read_text(encoding="utf-8").splitlines()[:6]
    columns = header.split(",")
    wrapped = [",".join(f'="{cell}"' if columns[k] in ("id", "birth_date", "school_id") and n % 2 == 0 else cell
                        for k, cell in enumerate(row.split(","))) for n, row in enumerate(plain)]
    assert wrapped[0].startswith('="T')
    written = {}
    for name, rows in (("plain.csv", plain), ("wrapped.csv", wrapped)):
        (tmp_path / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        result = CliRunner().invoke(cli, ["eval", DISTRICT, str(tmp_path / name), "--schools", "examples/schools.csv",
                                          "-o", str(tmp_path / f"out-{name}")])
        assert result.exit_code == 0, result.output
        written[name] = (tmp_path / f"out-{name}").read_bytes()
    assert written["plain.csv"] == written["wrapped.csv"] and b"T0001," in written["wrapped.csv"]
    policy = stating_every_column(policylang.load(DISTRICT))
    problems, _, _, _ = policy.stream_decisions(tmp_path / "wrapped.csv", "examples/schools.csv", tmp_path / "s.csv")
    assert unparsed_csv(problems, tmp_path / "wrapped.csv")  # the row reader's to read
    assert not policy.read_roster(tmp_path / "wrapped.csv", "examples/schools.csv").problems


def test_a_parquet_day_outside_the_calendar_is_its_cell_s_problem_in_every_reader(tmp_path):
    """A typed date before year 1 or after 9999 (polars panics rendering it, Python has no such
    date): R002 naming its row and column, by the row reader, the streamed one and the API; the
    streamed reader decided such a row before, the row reader refused the whole file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    days = [(dt.date(2015, 9, 1) - dt.date(1970, 1, 1)).days, 2**31 - 1, 2932897, -719529]
    table = pa.table({"id": ["1", "2", "3", "4"], "sex": ["F"] * 4, "birth_date": [dt.date(1980, 3, 1)] * 4,
                      "school_id": ["S02"] * 4, "school_start": pa.array(days, pa.date32()),
                      "work_start": pa.array([dt.datetime(2002, 9, 1)] * 3 + [None], pa.timestamp("us"))})
    pq.write_table(table, tmp_path / "t.parquet")
    problems = _same_as_row_reader(tmp_path / "t.parquet", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.column) for p in problems if p.column == "school_start"] == [
        (2, "R002", "school_start"), (3, "R002", "school_start"), (4, "R002", "school_start")]
    assert problems[0].value == "day 2147483647 from 1970-01-01"
    policy = stating_every_column(policylang.load(DISTRICT))
    with pytest.raises(policylang.RosterError) as refused:
        policy.evaluate_table(pl.read_parquet(tmp_path / "t.parquet"), pl.read_csv("examples/schools.csv"))
    assert [(p.row, p.code) for p in refused.value.problems if p.column == "school_start"] == [
        (2, "R002"), (3, "R002"), (4, "R002")]


def test_a_year_typed_for_a_number_of_years_is_refused_in_both_readers(tmp_path):
    """农村任教年限 2015 (the year, not the years) counted as 2015 years and met every `at least`:
    more than a working life (S.MOST_YEARS) is R017; 60 is read."""
    header = "id,sex,birth_date,school_id,school_start,work_start,rural_years,schools_served"
    rows = ["1,F,1980-03-01,S02,2015-09-01,2002-09-01,2015,2", "2,F,1980-03-01,S02,2015-09-01,2002-09-01,60,61",
            "3,F,1980-03-01,S02,2015-09-01,2002-09-01,60.5,3"]
    (tmp_path / "t.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = _same_as_row_reader(tmp_path / "t.csv", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.column, p.value) for p in problems] == [
        (2, "R017", "rural_years", "2015"), (3, "R017", "schools_served", "61"), (4, "R017", "rural_years", "60.5")]
    assert "是否把年份填成了年数" in problems[0].message_zh


def test_a_zoned_time_a_day_from_the_calendar_s_edge_is_its_cell_s_problem_in_every_reader(tmp_path):
    """0001-01-01T02:00Z is in year 0 in New York: a cell-level R002 in both readers (it was an
    internal error streamed, R009 for the whole file in the row reader)."""
    edge = pl.Series("school_start", [dt.datetime(1, 1, 1, 2, tzinfo=dt.timezone.utc),
                                      dt.datetime(2015, 9, 1, tzinfo=dt.timezone.utc)])
    teachers = pl.DataFrame({"id": ["1", "2"], "sex": ["F", "F"], "birth_date": [dt.date(1980, 3, 1)] * 2,
                             "school_id": ["S02", "S02"], "school_start": edge.dt.convert_time_zone("America/New_York"),
                             "work_start": [dt.date(2002, 9, 1)] * 2})
    teachers.write_parquet(tmp_path / "t.parquet")
    problems = _same_as_row_reader(tmp_path / "t.parquet", "examples/schools.csv", tmp_path)
    assert [(p.row, p.code, p.column) for p in problems if p.column == "school_start"] == [(1, "R002", "school_start")]


def test_a_decisions_file_is_on_the_disk_before_it_takes_its_name(tmp_path, monkeypatch):
    """The streamed writer syncs each chunk's data as it goes (on its own thread, while the rows
    after are read), and ``publish`` syncs the whole before the rename: a power cut never leaves
    the name on data not yet written."""
    import os

    from policylang.io import columnar, output

    said = []
    monkeypatch.setattr(columnar, "sync_data", lambda fd: said.append(("chunk", os.fstat(fd).st_size)))
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (said.append(("fsync", os.fstat(fd).st_size)), real_fsync(fd)))
    monkeypatch.setattr(output.os, "replace", lambda a, b: (said.append(("replace", Path(b).name)), real_replace(a, b)))
    out = tmp_path / "d.csv"
    streamed = policylang.load(DISTRICT).stream_decisions("examples/teachers.csv", "examples/schools.csv", out,
                                                          chunk_rows=40, skip_invalid=True)
    chunks = -(-streamed.read // 40)
    assert [k for k, _ in said] == ["chunk"] * chunks + ["fsync", "replace"]
    sizes = [s for k, s in said if k == "chunk"]
    assert sizes == sorted(sizes) and sizes[-1] == said[-2][1] == out.stat().st_size  # (each chunk's data, then all)


def test_a_file_system_that_cannot_sync_still_gets_the_file(tmp_path, monkeypatch):
    """Some network and virtual file systems refuse to sync (EINVAL, ENOTSUP): the file is
    written as it is; any other error of the disk is the command's (it says it cannot write)."""
    import errno
    import os

    from policylang.io import output

    def refused(fd):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "fsync", refused)
    monkeypatch.setattr(os, "fdatasync", refused, raising=False)
    out = tmp_path / "d.csv"
    policylang.load(DISTRICT).stream_decisions("examples/teachers.csv", "examples/schools.csv", out, skip_invalid=True)
    assert out.read_text(encoding="utf-8").startswith("id,")

    def failed(fd):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", failed)
    with pytest.raises(OSError):
        output.atomic_write(tmp_path / "e.csv", b"x")
    assert not (tmp_path / "e.csv").exists() and list(tmp_path.iterdir()) == [out]
