"""The rows an office form ends with (R030): a totals row (合计), the signatures (填表人：),
a note (注：). They are no teacher or school: each is said and not read, by every reader alike.
A row with a required cell filled in is read as a row; a totals or subtotal row in the middle of
a sheet is not read and is said, counted (R053); among records (JSON, Parquet) it is refused with
one problem that says what it is (R031)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame
from policylang.io.roster.layout import footer_rows, summary_label

from .conftest import write_table

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools.csv"
with open("examples/teachers.csv", encoding="utf-8") as _f:
    HEADER, *ROWS = list(csv.reader(_f))
ROWS = ROWS[:20]


def _totals(first: str = "合 计") -> list[str]:
    row = [""] * len(HEADER)
    row[0], row[HEADER.index("name")], row[HEADER.index("rural_years")] = first, "20人", "58"
    return row


FOOTER = [_totals(), [], ["填表人：张三", "", "审核人：李四"], ["注：本表由人事科于2026年9月导出"]]


def _write(tmp_path: Path, rows: list[list[str]], suffix: str) -> Path:
    return write_table(tmp_path / f"teachers{suffix}", HEADER, rows)


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_form_footer_is_said_and_not_read(policy, tmp_path, suffix):
    path = _write(tmp_path, ROWS + FOOTER, suffix)
    roster = policy.read_roster(path, SCHOOLS)
    assert not roster.problems and len(roster.teachers) == 20
    said = [(w.row, w.value) for w in roster.warnings if w.code == "R030"]
    assert said == [(22, "合 计"), (24, "填表人：张三"), (25, "注：本表由人事科于2026年9月导出")]
    assert roster.warnings[-1].message("zh") == "表尾“注：本表由人事科于2026年9月导出”一行不是教师或学校记录，未读取"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("label", ["总人数", "总人数：20", "人数合计", "教师总数：20人"])
def test_a_totals_row_labelled_by_its_count_is_a_footer(policy, tmp_path, suffix, label):
    """总人数 below the data, with the count in the 农村任教年限 column (an HR trial's form): a
    footer, said and not read, not a teacher refused for six empty required cells; both readers."""
    totals = [label, *[""] * (len(HEADER) - 1)]
    totals[HEADER.index("rural_years")] = "32"
    path = _write(tmp_path, ROWS + [totals, [], ["填表人：张晓燕"]], suffix)
    roster = policy.read_roster(path, SCHOOLS)
    assert not roster.problems and len(roster.teachers) == 20
    assert [(w.code, w.row, w.value) for w in roster.warnings if w.code == "R030"] == [
        ("R030", 22, label), ("R030", 24, "填表人：张晓燕")]
    if suffix == ".csv":
        problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
        assert not problems and frame.height == read == 20
        assert [w for w in warnings if w.code == "R030"] == [w for w in roster.warnings if w.code == "R030"]


def test_a_count_s_label_is_one_only_when_nothing_but_the_count_follows():
    required = [0, 2]
    # (a second cell filled: no line of text alone, which is said however it begins)
    assert footer_rows([ROWS[0], ["人数统计表", "", "", "2026"]], required) == {}  # a title of another table, not a count
    assert footer_rows([ROWS[0], ["总数据", "", "", "2026"]], required) == {}
    assert footer_rows([ROWS[0], ["在编人数：18", "", ""]], required) == {1: "在编人数：18"}


def _both(policy, path):
    """The row reader's roster and the streamed reader's (problems, frame, rows read, warnings)."""
    return policy.read_roster(path, SCHOOLS), read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)


# blank lines below the footer, as Excel leaves them: empty cells, or spaces (full-width too) and tabs
@pytest.mark.parametrize("after, blank", [(0, ""), (3, ""), (200, ""), (40, " \u3000\t")])
def test_the_streamed_reader_skips_and_says_the_same_rows(policy, tmp_path, after, blank):
    path = _write(tmp_path, ROWS + FOOTER + [[blank] + [""] * (len(HEADER) - 1)] * after, ".csv")
    rows, (problems, frame, read, warnings) = _both(policy, path)
    assert not problems and not rows.problems and frame.height == read == len(rows.teachers) == 20
    footer = [w for w in rows.warnings if w.code == "R030"]
    assert len(footer) == 3 and [w for w in warnings if w.code == "R030"] == footer
    result = CliRunner().invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "-o", str(tmp_path / "o.csv"),
                                      "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("[R030]") == 3 and "20 条结论" in result.stderr
    with open(tmp_path / "o.csv", encoding="utf-8-sig") as f:
        assert len(list(csv.DictReader(f))) == 20
    for args in (["quota", POLICY], ["diff", POLICY, POLICY, "--set", "age_cap_female=45"]):
        other = CliRunner().invoke(cli, [*args, str(path), "--schools", SCHOOLS, "--lang", "en"])
        assert other.exit_code == 0 and other.stderr.count("[R030]") == 3, other.output


@pytest.mark.parametrize("notes, encoding", [(40, "utf-8"), (300, "gb18030")])
def test_a_footer_longer_than_the_lines_looked_at_first_is_read_by_the_streamed_reader(policy, tmp_path, notes,
                                                                                       encoding):
    """The streamed reader looks further up the file's end (32 lines, then 256, 2,048 …) where it handed
    the file to the row reader before (7 times as long for 100,000 teachers: docs/performance.md); a GBK
    file's lines are looked at again as decoded."""
    path = tmp_path / "teachers.csv"
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS, *([f"注{k}：第{k}条说明"] for k in range(1, notes + 1))])
    rows, (problems, frame, read, warnings) = _both(policy, path)
    assert [w.code for w in rows.warnings].count("R030") == notes and not rows.problems
    assert not problems and frame.height == read == 20
    assert [w for w in warnings if w.code == "R030"] == [w for w in rows.warnings if w.code == "R030"]
    result = CliRunner().invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 0 and result.stderr.count("[R030]") == notes, result.output


def test_a_footer_over_several_lines_is_no_row_over_several_lines(policy, tmp_path):
    path = tmp_path / "teachers.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([HEADER, *ROWS, ["注：\n1. 本表由人事科导出；\n2. 不含借调人员"]])
    rows, (problems, frame, _, warnings) = _both(policy, path)
    assert [(w.code, w.row) for w in rows.warnings] == [(w.code, w.row) for w in warnings] == [("R030", 22)]
    assert frame.height == 20 and not problems


def _subtotal(label: str, count: str) -> list[str]:
    """A row Excel's 分类汇总 inserts: the group's label in the column grouped by, a count beside it."""
    row = [""] * len(HEADER)
    row[HEADER.index("school_id")], row[0] = label, count
    return row


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("summary", [_totals("小计"), _subtotal("S02 汇总", "7"), _subtotal("S03 计数", "12"),
                                     _subtotal("城关第一小学 小计", "6"),  # (the school's name before 小计)
                                     _totals("城关一小小计：6人")])  # (and the count after it)
def test_a_totals_row_inside_the_table_is_set_aside_and_said(policy, tmp_path, suffix, summary):
    """No teacher: not read, and said once, counted (R053), not refused as the required cells it
    leaves empty (nor with the roster: HR trial hr26, WPS users' 小计 after each school); its
    empty cells are no teacher's empty cells (R033 named 小计 as a teacher's id)."""
    path = _write(tmp_path, ROWS[:10] + [summary] + ROWS[10:], suffix)
    roster = policy.read_roster(path, SCHOOLS)
    label = summary[0] or summary[HEADER.index("school_id")]
    label = label if not label.isdigit() else summary[HEADER.index("school_id")]
    assert not roster.problems and len(roster.teachers) == len(roster.valid_teachers()) == 20
    [said] = [w for w in roster.warnings if w.code == "R053"]
    assert (said.row, said.rows, said.count, said.value, said.warning) == (None, (12,), 1, label, True)
    assert said.message_zh == (f"表格中有 1 行是合计、小计或分类汇总行（第12行：“{label}”），不是教师记录，未读取，"
                               "也不计入人数；其上下各行照常读取")
    assert not any(w.code in ("R030", "R033") for w in roster.warnings)


def _blocks() -> list[list[str]]:
    """The teachers a school at a time, each school's followed by its 小计 (the number of its teachers
    beside it), then 合计: as a WPS user lays a county's roster out."""
    rows, school = [], HEADER.index("school_id")
    for code in sorted({r[school] for r in ROWS}):
        block = [r for r in ROWS if r[school] == code]
        rows += block + [["小计", f"{len(block)}人"] + [""] * (len(HEADER) - 2)]
    return rows + [["合计", f"{len(ROWS)}人"] + [""] * (len(HEADER) - 2)]


def test_a_subtotal_after_each_school_is_counted_once_by_both_readers(policy, tmp_path):
    """The last 小计 and the 合计 below it end the table (R030); every other 小计 is one warning that
    counts them (R053). The streamed reader sets them aside itself, saying them as the row reader does
    (it handed the file over, about 8 times slower: docs/performance.md), and eval decides the 20 teachers,
    saying nothing of 小计 as a teacher with problems."""
    rows = _blocks()
    path = _write(tmp_path, rows, ".csv")
    roster = policy.read_roster(path, SCHOOLS)
    inside = [k + 2 for k, r in enumerate(rows[:-2]) if r[0] == "小计"]
    assert not roster.problems and len(roster.teachers) == 20
    [said] = [w for w in roster.warnings if w.code == "R053"]
    assert said.count == len(inside) and said.rows == tuple(inside[:5])
    assert [w.row for w in roster.warnings if w.code == "R030"] == [len(rows), len(rows) + 1]
    for chunk in (1, 4, 100_000):
        problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True,
                                                     chunk_rows=chunk)
        assert not problems and frame.height == read == 20
        assert [w for w in warnings if w.code in ("R030", "R053")] == [
            w for w in roster.warnings if w.code in ("R030", "R053")]
    plain = write_table(tmp_path / "plain.csv", HEADER, [r for r in rows if r[0] not in ("小计", "合计")])
    written = {}
    for each in (plain, path):
        out = tmp_path / f"out-{each.name}"
        result = CliRunner().invoke(cli, ["eval", POLICY, str(each), "--schools", SCHOOLS, "-o", str(out),
                                          "--lang", "zh"])
        assert result.exit_code == 0, result.output
        assert "20 条结论" in result.stderr and "记录有误" not in result.stderr
        written[each] = out.read_bytes()
    assert written[plain] == written[path]
    assert result.stderr.count("[R053]") == 1 and f"表格中有 {len(inside)} 行是合计、小计或分类汇总行" in result.stderr


def test_excel_s_subtotal_formulas_without_their_results_make_a_totals_row(policy, tmp_path):
    """分类汇总 as a program writes it (never opened in Excel: its formulas hold no result): the count
    =SUBTOTAL(3,…) in the 工号 column beside S02 计数 is a total's figure, not a teacher's id lacking its
    value (R019, and R005 for the school S02 计数); so is =COUNTA(…) beside 合计 at the end (R030)."""
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS[:10]:
        sheet.append([c or None for c in row])
    sheet.append([None] * len(HEADER))
    sheet.cell(12, 1).value, sheet.cell(12, HEADER.index("school_id") + 1).value = "=SUBTOTAL(3,A2:A11)", "S02 计数"
    for row in ROWS[10:]:
        sheet.append([c or None for c in row])
    totals = [None] * len(HEADER)
    totals[0], totals[HEADER.index("school_id")] = "合计", "=COUNTA(A2:A21)"  # (in a required column)
    sheet.append(totals)
    book.save(tmp_path / "teachers.xlsx")
    roster = policy.read_roster(tmp_path / "teachers.xlsx", SCHOOLS)
    assert not roster.problems and len(roster.teachers) == 20
    assert [(w.code, w.row, w.rows) for w in roster.warnings if w.code in ("R030", "R053")] == [
        ("R030", 23, ()), ("R053", None, (12,))]


@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_a_totals_record_among_records_is_refused_as_one(policy, tmp_path, suffix):
    """Records (JSON, Parquet, the API's) are no form: a program sending a total sends something
    wrong, and it is refused as one problem (R031), by both readers alike."""
    import polars as pl
    rows = ROWS[:10] + [_totals("小计")] + ROWS[10:]
    frame = pl.DataFrame([dict(zip(HEADER, r)) for r in rows], schema={h: pl.Utf8 for h in HEADER})
    path = tmp_path / f"teachers{suffix}"
    frame.write_json(path) if suffix == ".json" else frame.write_parquet(path)
    roster = policy.read_roster(path, SCHOOLS)
    assert [(p.code, p.row, p.value) for p in roster.problems] == [("R031", 11, "小计")]
    assert roster.problems[0].message_zh == "“小计”一条是合计或分类汇总记录，不是教师或学校记录，请删除该条"
    assert not any(w.code == "R053" for w in roster.warnings)
    if suffix == ".parquet":
        problems, *_ = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
        assert [(p.code, p.row, p.message_zh) for p in problems] == [
            (p.code, p.row, p.message_zh) for p in roster.problems]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_totals_row_giving_the_count_in_a_required_column_is_a_footer(policy, tmp_path, suffix):
    """合计 with the number of teachers in the 工号 column, at the end: a footer, not a row
    refused as a totals row "among the data"."""
    totals = ["合计", *[""] * (len(HEADER) - 1)]
    totals[HEADER.index("school_id")] = "20"
    path = _write(tmp_path, ROWS + [totals, [], ["注：本表由人事科导出"]], suffix)
    roster = policy.read_roster(path, SCHOOLS)
    assert not roster.problems and [w.code for w in roster.warnings if w.code == "R030"] == ["R030", "R030"]
    if suffix == ".csv":
        problems, frame, _, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
        assert not problems and frame.height == 20 and [w.code for w in warnings if w.code == "R030"] == ["R030"] * 2


def test_a_teacher_with_an_empty_cell_is_no_totals_row():
    """Only a row whose filled required cells are totals' texts or figures reads as one: a
    teacher's row keeps the problems of its own cells."""
    required = [HEADER.index(n) for n in ("id", "sex", "birth_date", "school_id")]
    teacher = ["合计01", *ROWS[0][1:]]
    teacher[HEADER.index("birth_date")] = ""
    assert summary_label(teacher, required) is None
    assert summary_label(_subtotal("S02 汇总", "7"), required) == "S02 汇总"
    assert summary_label(_subtotal("总计", "1,024"), required) == "总计"
    assert summary_label(_subtotal("S02", "7"), required) is None  # no label: a teacher lacking cells
    assert summary_label(_subtotal("城关第一小学 小计", "6"), required) == "城关第一小学 小计"


def test_a_teacher_whose_id_begins_like_a_footer_is_a_teacher():
    teacher = ["合计01", *ROWS[0][1:]]
    assert footer_rows([ROWS[0], teacher], [0, 2, 3]) == {}
    assert footer_rows([ROWS[0], ["合计", "", ""], [""], ["", "备注：无"]], [0, 2]) == {1: "合计", 3: "备注：无"}
    assert footer_rows([["注销", "T9", ""]], [1]) == {}  # 注 alone begins many words: a note says 注：


def test_lines_of_text_below_the_last_record_are_said_not_read():
    """The HR trial: after 合计, a note's next line (2.本表一式两份) or a sentence of its own
    (本表由各校人事专干填报) was read as a teacher, and the 合计 above it refused as a totals row
    among the data; written in the 序号 column, such a line was passed over as a blank row. A
    row of one cell of text and nothing else below the last record is no record: said."""
    required = [1, 2]
    note = ["说明：1.出生年月以身份证为准；", "", ""]
    assert footer_rows([ROWS[0], ["合计", "10人", ""], note, ["      2.本表一式两份。", "", ""]], required) == {
        1: "合计", 2: "说明：1.出生年月以身份证为准；", 3: "2.本表一式两份。"}
    assert footer_rows([ROWS[0], ["本表由各校人事专干填报，教育局人事股审核。", "", ""]], required) == {
        1: "本表由各校人事专干填报，教育局人事股审核。"}
    assert footer_rows([ROWS[0], ["制表：张三", "", "审核：李四"], ["共10人"]], required) == {
        1: "制表：张三", 2: "共10人"}
    # one text among the records, or a line of a name (张三) with a cell more, is a row: read, and refused
    assert footer_rows([ROWS[0], ["语文组", "", ""], ROWS[1]], required) == {}
    assert footer_rows([ROWS[0], ["张三", "女", ""]], required) == {}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_note_in_the_row_number_column_is_said_by_both_readers(policy, tmp_path, suffix):
    header = ["序号", *HEADER]
    rows = [[str(k), *r] for k, r in enumerate(ROWS, 1)] + [["合计", "20人"] + [""] * (len(HEADER) - 1),
                                                           ["本表由各校人事专干填报。"] + [""] * len(HEADER)]
    path = write_table(tmp_path / f"teachers{suffix}", header, rows)
    roster = policy.read_roster(path, SCHOOLS)
    assert not roster.problems and len(roster.teachers) == 20
    said = [(w.row, w.value) for w in roster.warnings if w.code == "R030"]
    assert said == [(22, "合计"), (23, "本表由各校人事专干填报。")]
    if suffix == ".csv":
        problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
        assert not problems and frame.height == read == 20
        assert [(w.row, w.value) for w in warnings if w.code == "R030"] == said


def test_a_schools_file_ending_in_a_totals_row(policy, tmp_path):
    with open(SCHOOLS, encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    totals = [""] * len(header)
    totals[0], totals[header.index("students")] = "合计", "12000"
    with open(tmp_path / "schools.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows, totals])
    roster = policy.read_roster(_write(tmp_path, ROWS, ".csv"), tmp_path / "schools.csv")
    assert not roster.problems and [w.code for w in roster.warnings] == ["R030"]


FOOTER_LINES = [_totals(), _totals("总 计"), _totals("总人数：20"), _totals("人数合计"), ["人数统计表"], ["填表人：张三", "", "审核人：李四"], ["注：本表由人事科导出"], ["备注：无"],
                [""] * len(HEADER), [], ["小计"], ["说明：", "", "", "2026-09-01"], ['注：第一行\n第二行'],
                ["张三"], ["合计01", *ROWS[0][1:]]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.integers(0, 20), tail=st.lists(st.sampled_from(range(len(FOOTER_LINES))), max_size=8),
       chunk=st.sampled_from([3, 7, 100_000]))
def test_both_readers_agree_on_any_end_of_a_table(policy, tmp_path_factory, data, tail, chunk):
    """Any rows, then any mix of footer lines, blank lines and rows that are no footer: the row
    reader and the streamed one find the same problems, the same warnings, the same teachers."""
    path = _write(tmp_path_factory.mktemp("end"), ROWS[:data] + [FOOTER_LINES[k] for k in tail], ".csv")
    rows = policy.read_roster(path, SCHOOLS)
    problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True, chunk_rows=chunk)
    assert [p.code for p in problems] != ["R009"]  # (read by the streamed reader itself, never handed over)
    key = lambda ps: sorted((p.code, p.row, p.column) for p in ps)  # noqa: E731
    assert key(problems) == key(rows.problems)
    assert key(w for w in warnings if w.code in ("R030", "R016", "R018")) == key(
        w for w in rows.warnings if w.code in ("R030", "R016", "R018"))
    assert read == len(rows.teachers)
    assert (frame.height if frame is not None else 0) == len(rows.valid_teachers())


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_id_number_in_a_footer_note_is_masked_where_r030_quotes_it(policy, tmp_path, suffix):
    """A form's note below the data names a person as a 备注 cell does (注：… 身份证号…已调出): R030
    quoted it whole, into the terminal and the service's warnings, while R042 and R051 mask the
    same number in a cell; both readers alike."""
    number = "110105198003010028"
    path = _write(tmp_path, ROWS + [[f"注：王芳（身份证号{number}）已调出"]], suffix)
    roster = policy.read_roster(path, SCHOOLS)
    [said] = [w for w in roster.warnings if w.code == "R030"]
    assert number not in said.value + said.message("en") + said.message("zh")
    assert said.value == "注：王芳（身份证号110105********0028）已调出"
    if suffix == ".csv":
        _, _, _, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
        assert [w for w in warnings if w.code == "R030"] == [said]
