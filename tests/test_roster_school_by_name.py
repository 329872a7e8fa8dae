"""A teachers' roster giving each teacher's school by its name (学校名称, 单位名称) and no 学校代码:
R001 said only that 学校代码 was missing, and R012 that 学校名称 was no roster column, which reads
as if renaming it would do (HR trial hr25: renamed, every row was R005). R001 now says the column
holds the schools' names, which cannot stand for their codes, and where the codes are."""

from __future__ import annotations

from pathlib import Path

import pytest

import policylang

from .conftest import write_table

HEADER = ["工号", "姓名", "性别", "出生日期", "{}", "到校时间", "参加工作时间"]
ROW = ["T1", "王芳", "女", "1980-03-01", "中山中学", "2015-09-01", "2002-09-01"]


@pytest.mark.parametrize("header", ["学校名称", "单位名称", "校名"])
def test_a_school_given_by_name_is_said_to_need_its_code(tmp_path: Path, header: str):
    teachers = write_table(tmp_path / "t.csv", [h.format(header) for h in HEADER], [ROW])
    roster = policylang.load("policies/fujian.pol").read_roster(teachers, "examples/schools_zh.csv")
    [missing] = [p for p in roster.problems if p.code == "R001"]
    assert missing.column == "school_id"
    assert missing.message_zh == (f"缺少必需的列“学校代码”（school_id）；名册中的“{header}”列是学校名称，不能代替学校代码："
                                  "请按学校名册（--schools）中各校的代码，补上“学校代码”列")
    assert f"the roster's column `{header}` gives each teacher's school by its name" in missing.message_en


def test_a_column_that_may_be_the_code_is_asked_about_as_before(tmp_path: Path):
    teachers = write_table(tmp_path / "t.csv", [h.format("学校") for h in HEADER], [ROW])
    roster = policylang.load("policies/fujian.pol").read_roster(teachers, "examples/schools_zh.csv")
    [missing] = [p for p in roster.problems if p.code == "R001"]
    assert missing.message_zh.endswith("名册中的“学校”列是否就是此列？如是，请把表头改为“学校代码”")
