"""A roster with many problems: the same problem down a column is one line naming its rows,
the first lines are listed on the terminal and every problem is counted."""

from __future__ import annotations

import csv
import re

from click.testing import CliRunner

from policylang.cli import cli
from policylang.cli.common import PROBLEMS_SHOWN
from policylang.io.output import roster_problem_lines
from policylang.io.roster.model import RosterProblem

ROWS = list(csv.DictReader(open("examples/teachers.csv", encoding="utf-8-sig")))


def _eval(tmp_path, rows, lang):
    with open(tmp_path / "t.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(ROWS[0]))
        writer.writeheader()
        writer.writerows(rows)
    return CliRunner().invoke(cli, ["eval", "policies/fujian_pilot_district.pol", str(tmp_path / "t.csv"),
                                    "--schools", "examples/schools.csv", "--lang", lang])


def _listed(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if re.search(r"\[R\d{3}\]", line)]


def test_a_long_problem_list_is_capped_on_the_terminal_and_counted_whole(tmp_path):
    # 1,200 rows, each with a birth date of its own that is no date: a line each
    bad = [r | {"id": f"X{k}-{r['id']}", "birth_date": f"not a date {k}-{n}"} for k in range(3)
           for n, r in enumerate(ROWS)]
    for lang, not_listed, total_pattern in (("en", "{} more problem(s) not listed", r"(\d+) problem"),
                                            ("zh", "另有 {} 处问题未列出", r"(\d+) 处问题")):
        result = _eval(tmp_path, bad, lang)
        assert result.exit_code == 3
        listed = _listed(result)
        assert len(listed) == PROBLEMS_SHOWN and "[R002]" in listed[0]
        total = int(re.search(total_pattern, result.stderr.splitlines()[-1]).group(1))
        assert total >= len(bad)  # every problem is counted, listed or not
        assert not_listed.format(total - PROBLEMS_SHOWN) in result.stderr


def test_one_problem_down_a_column_is_one_line_naming_its_rows(tmp_path):
    """A label no code has, written so for every teacher (an export's own spelling), was 400
    lines saying the same thing."""
    bad = [r | {"title": "初级"} for r in ROWS]
    bad[7] = bad[7] | {"title": "senior", "birth_date": "1980-02-30"}  # another problem, between
    bad[9] = bad[9] | {"title": "senior"}
    result = _eval(tmp_path, bad, "zh")
    assert result.exit_code == 3
    listed = _listed(result)
    assert len(listed) == 2
    assert listed[0].startswith(f"{tmp_path / 't.csv'} 第2至8、10、12至{len(ROWS) + 1}行（共{len(ROWS) - 2}行） 列“title” [R003]：“初级”")
    assert " 第9行 列“birth_date” [R002]" in listed[1]
    assert f"名册有 {len(ROWS) - 1} 处问题" in result.stderr
    english = _listed(_eval(tmp_path, bad, "en"))
    assert f"rows 2–8, 10, 12–{len(ROWS) + 1} ({len(ROWS) - 2} rows) column `title` [R003]" in english[0]


def test_rows_far_apart_are_named_up_to_a_few_runs_and_counted():
    problems = [RosterProblem("t.csv", row, "sex", "x", "R003", "`x` is no sex", "“x”不是性别") for row in range(2, 40, 2)]
    (line,), listed = roster_problem_lines(problems, "zh")
    assert listed == len(problems)
    assert line == "t.csv 第2、4、6、8、10、12、14、16行等（共19行） 列“sex” [R003]：“x”不是性别"
    (line,), _ = roster_problem_lines(problems, "en")
    assert line == "t.csv rows 2, 4, 6, 8, 10, 12, 14, 16 … (19 rows) column `sex` [R003]: `x` is no sex"
    file_wide = [RosterProblem("t.csv", None, "sex", None, "R011", "missing", "缺少")] * 2
    assert len(roster_problem_lines(file_wide, "en")[0]) == 2  # problems of no row are never merged


def test_the_grades_hr_forms_write_are_read_and_the_ambiguous_one_is_refused(tmp_path):
    import policylang

    policy = policylang.load("policies/fujian_pilot_district.pol")
    rows = [ROWS[0] | {"title": t} for t in ("中级 职称", "高级职称", "副高", "正高级　教师", "初级", "小学 一级教师")]
    with open(tmp_path / "t.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, list(ROWS[0]))
        writer.writeheader()
        writer.writerows(rows)
    roster = policy.read_roster(tmp_path / "t.csv", "examples/schools.csv")
    assert [r.values["title"] for r in roster.teachers[:4]] == ["first", "senior", "senior", "full_senior"]
    # a primary school's 一级教师, or the old 小学一级 (二级)? refused, not joined into the old title
    assert [(p.row, p.code) for p in roster.problems if p.column == "title"] == [(6, "R003"), (7, "R003")]
    junior, _ = [p for p in roster.problems if p.column == "title"]
    assert junior.message("zh") == "“初级”包括二级教师和三级教师两级，无法确定是哪一级：请写明二级教师或三级教师"
