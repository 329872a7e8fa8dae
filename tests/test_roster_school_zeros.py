"""School codes with leading zeros (0101) in the schools table, and the teachers' 学校代码 typed into number
cells, which dropped the zeros (101): R005 said only that 101 was unknown and the command asked whether
the schools file was the wrong one (HR trial hr26). Each row now says the zeros were lost and how to keep
them; the question is not asked."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame
from policylang.io.roster.problems import lost_zeros, said_once

from .conftest import write_table

POLICY = "policies/fujian_pilot_district.pol"
with open("examples/teachers.csv", encoding="utf-8") as _f:
    HEADER, *ROWS = list(csv.reader(_f))
ROWS = ROWS[:12]
with open("examples/schools.csv", encoding="utf-8") as _f:
    SCHOOL_HEADER, *SCHOOL_ROWS = list(csv.reader(_f))

SAID = ("学校代码“{n}”不在学校名册中；学校名册中有“0{n}”：学校代码被当作数字存储，开头的 0 丢失了。请将该列设为文本格式后写作 "
        "0{n}（或将单元格格式设为自定义“0000”）")


def _files(tmp_path, suffix):
    """Schools coded 0101 …; the teachers' codes as numbers, 101 …"""
    code = {r[0]: f"0{100 + k}" for k, r in enumerate(SCHOOL_ROWS, 1)}
    with open(tmp_path / "schools.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([SCHOOL_HEADER, *[[code[r[0]], *r[1:]] for r in SCHOOL_ROWS]])
    at = HEADER.index("school_id")
    rows = [[*r[:at], int(code[r[at]]), *r[at + 1:]] for r in ROWS]
    return write_table(tmp_path / f"teachers{suffix}", HEADER, rows), tmp_path / "schools.csv"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_school_code_that_lost_its_zeros_says_so(tmp_path, suffix):
    teachers, schools = _files(tmp_path, suffix)
    policy = policylang.load(POLICY)
    roster = policy.read_roster(teachers, schools)
    unknown = [p for p in roster.problems if p.code == "R005"]
    assert len(unknown) == 12 and all(p.message_zh == SAID.format(n=p.value) for p in unknown)
    assert "dropped its leading zeros" in unknown[0].message_en
    if suffix == ".csv":
        problems, *_ = read_frame(policy.checked, teachers, schools, skip_invalid=True)
        assert [(p.row, p.message_zh) for p in problems] == [(p.row, p.message_zh) for p in roster.problems]
    result = CliRunner().invoke(cli, ["eval", POLICY, str(teachers), "--schools", str(schools), "--lang", "zh"])
    assert result.exit_code == 3 and "开头的 0 丢失了" in result.output
    assert "是否给错了学校名册" not in result.output  # (the schools file is the right one)


def test_a_code_no_zeros_make_known_is_unknown_as_before():
    from policylang.io.roster.problems import unknown_school_problem

    known = {"0101": "中山中学", "S02": "九中"}
    assert "丢失" not in unknown_school_problem("t.csv", 2, "学校代码", "102", known).message_zh
    assert "丢失" not in unknown_school_problem("t.csv", 2, "学校代码", "0101", {"00101": "x"}).message_zh  # (text)
    assert unknown_school_problem("t.csv", 2, "学校代码", "S2", known).message_zh == "学校代码“S2”不在学校名册中；是否应为“S02”？"


SAID_OF_SCHOOLS = ("学校代码“0{n}”不在学校名册中；学校名册中有“{n}”：学校名册的学校代码被当作数字存储，开头的 0 丢失了，本行的代码无误。"
                   "请在学校名册中将学校代码列设为文本格式后写作 0{n}（或将单元格格式设为自定义“0000”）")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_schools_file_whose_codes_lost_their_zeros_is_the_one_to_correct(tmp_path, suffix):
    """The other way round (HR trial hr27): the teachers' 0101 is right and the schools file's number cells
    hold 101. R005 named no look-alike, or 101 as what to write in the teachers' file, the wrong file; it
    now says the schools file lost the zeros and the row's code is right, by both readers, and the command
    asks no question of a wrong schools file."""
    code = {r[0]: f"0{100 + k}" for k, r in enumerate(SCHOOL_ROWS, 1)}
    book = openpyxl.Workbook()  # the schools as a workbook whose code cells are numbers
    book.active.append(SCHOOL_HEADER)
    for r in SCHOOL_ROWS:
        book.active.append([int(code[r[0]]), *(c if c != "" else None for c in r[1:])])
    book.save(tmp_path / "schools.xlsx")
    at = HEADER.index("school_id")
    teachers = write_table(tmp_path / f"teachers{suffix}", HEADER, [[*r[:at], code[r[at]], *r[at + 1:]] for r in ROWS])
    policy = policylang.load(POLICY)
    roster = policy.read_roster(teachers, tmp_path / "schools.xlsx")
    unknown = [p for p in roster.problems if p.code == "R005"]
    assert len(unknown) == 12 and all(p.message_zh == SAID_OF_SCHOOLS.format(n=p.value[1:]) for p in unknown)
    assert all(lost_zeros(p) for p in unknown) and "this row's code is right" in unknown[0].message_en
    if suffix == ".csv":
        problems, *_ = read_frame(policy.checked, teachers, tmp_path / "schools.xlsx", skip_invalid=True)
        assert [(p.row, p.message_zh, lost_zeros(p)) for p in problems] == [
            (p.row, p.message_zh, lost_zeros(p)) for p in roster.problems]
    result = CliRunner().invoke(cli, ["eval", POLICY, str(teachers), "--schools", str(tmp_path / "schools.xlsx"),
                                      "--lang", "zh"])
    assert result.exit_code == 3 and "学校名册的学校代码被当作数字存储" in result.output
    assert "是否给错了学校名册" not in result.output


def test_lost_zeros_is_the_problem_s_kind_not_its_words():
    """``lost_zeros`` told the case by the English message's words: a problem saying them of something
    else was taken for it, and a rewording would have lost it. It is the problem's kind now."""
    from policylang.io.roster.model import RosterProblem
    from policylang.io.roster.problems import unknown_school_problem

    both = [unknown_school_problem("t.csv", 2, "学校代码", "101", {"0101": "中山中学"}),
            unknown_school_problem("t.csv", 2, "学校代码", "0101", {"101": "中山中学"})]
    assert all(lost_zeros(p) and p.code == "R005" for p in both)
    assert not lost_zeros(unknown_school_problem("t.csv", 2, "学校代码", "102", {"0101": "中山中学"}))
    p = both[0]
    assert not lost_zeros(RosterProblem(p.file, p.row, p.column, p.value, p.code, p.message_en, p.message_zh))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_row_s_lost_zeros_are_said_once_for_the_file(tmp_path, suffix):
    """Every teacher's 学校代码 lost its zeros (HR trial hr28): R005 was a line per school code (hundreds of
    lines for a county's hundreds of schools), each saying the same thing. It is said once for the file, by
    both readers and in both languages: how many rows, which codes (with the schools table's), what to do;
    with the rows and their count for a program. Each row is still refused by its own R005."""
    teachers, schools = _files(tmp_path, suffix)
    policy = policylang.load(POLICY)
    roster = policy.read_roster(teachers, schools)
    assert [p.row for p in roster.problems] == list(range(2, 14)) and all(lost_zeros(p) for p in roster.problems)
    assert all(len(t.problems) == 1 and t.problems[0].code == "R005" for t in roster.teachers)  # each row's own
    [said] = said_once(roster.problems)
    assert (said.row, said.rows, said.count, said.code, said.warning) == (None, tuple(range(2, 12)), 12, "R005", False)
    codes = sorted({p.value for p in roster.problems})
    assert said.message_zh.startswith(f"有 12 行的学校代码不在学校名册中，但补上开头的 0 后都在：“{codes[0]}”（学校名册中为“0{codes[0]}”）、")
    assert f"等 {len(codes)} 个代码。该列被当作数字存储，开头的 0 丢失了：请将该列设为文本格式，按学校名册的写法重新填写" \
           "（或将单元格格式设为自定义“0000”），再运行" in said.message_zh
    assert said.message_en.startswith(f"12 rows' school codes are not in the schools table, but are once their leading "
                                      f"zeros are put back: `{codes[0]}` (the schools table: `0{codes[0]}`)")
    if suffix == ".csv":  # the streamed reader's problems are the row reader's, and said alike
        problems, *_ = read_frame(policy.checked, teachers, schools, skip_invalid=True)
        assert problems == list(roster.problems) and said_once(problems) == [said]
    for lang, where in (("zh", "第2至11行等（共12行） 列“school_id” [R005]：有 12 行"),
                        ("en", "rows 2–11 … (12 rows) column `school_id` [R005]: 12 rows'")):
        result = CliRunner().invoke(cli, ["eval", POLICY, str(teachers), "--schools", str(schools), "--lang", lang])
        assert result.exit_code == 3 and result.output.count("[R005]") == 1 and where in result.output, result.output
    assert "名册有 12 处问题，全部 12 名教师都涉及" in CliRunner().invoke(
        cli, ["eval", POLICY, str(teachers), "--schools", str(schools), "--lang", "zh"]).output


def test_said_once_leaves_a_single_row_and_every_other_problem_as_it_is():
    """One row whose code lost its zeros is said by its own message (it names the row and the code); the
    summary stands where the first such row's problem stood, each file and column apart, the teachers' file's
    zeros apart from the schools file's; other problems keep their places."""
    from policylang.io.roster.problems import unknown_school_problem

    known = {"0101": "中山中学", "0102": "九中", "103": "十五中"}
    lost = [unknown_school_problem("t.csv", line, "学校代码", "101", known) for line in (3, 5)]
    other = unknown_school_problem("t.csv", 4, "学校代码", "S9", known)
    schools_lost = unknown_school_problem("t.csv", 6, "学校代码", "0103", known)
    elsewhere = unknown_school_problem("u.csv", 2, "学校代码", "102", known)
    said = said_once([lost[0], other, lost[1], schools_lost, elsewhere])
    assert [p.row for p in said] == [None, 4, 6, 2]
    assert said[1:] == [other, schools_lost, elsewhere]
    assert (said[0].rows, said[0].count, said[0].value) == ((3, 5), 2, "101")
    assert "“101”（学校名册中为“0101”）。" in said[0].message_zh  # (one code: no 等)
    two = [unknown_school_problem("t.csv", line, "学校代码", code, known) for line, code in ((2, "0103"), (3, "0103"))]
    [summary] = said_once(two)
    assert summary.message_zh == (
        "有 2 行的学校代码不在学校名册中，但去掉开头的 0 后都在：“0103”（学校名册中为“103”）。学校名册的学校代码被当作数字存储，"
        "开头的 0 丢失了，这些行的代码无误：请在学校名册中将学校代码列设为文本格式，按教师名册的写法补上开头的 0"
        "（或将单元格格式设为自定义“0000”），再运行")
