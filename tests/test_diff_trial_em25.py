"""What a county official reads in `policylang diff` (the what-if trial em25): the parameters a run
was given are said above its numbers, and a workbook's counts are numbers."""

from __future__ import annotations

import json
import re

import openpyxl
from click.testing import CliRunner

from policylang.cli import cli

DISTRICT = "policies/fujian_pilot_district.pol"
ROSTER = ["examples/teachers.csv", "--schools", "examples/schools.csv"]


def _diff(*args: str):
    result = CliRunner().invoke(cli, ["diff", DISTRICT, DISTRICT, *ROSTER, *args])
    assert result.exit_code == 0, result.output
    return result


def test_both_sides_given_the_same_parameter_say_so_above_the_numbers(tmp_path):
    # Both sides at 45: no difference between them, and every count is of a cap of 45, not the
    # policy's 50. Without a word above the numbers, a reader takes them for the policy's own
    # (114 must rotate against the policy's 139).
    args = ("--set", "age_cap_female=45", "--base-set", "age_cap_female=45")
    zh = _diff(*args, "--lang", "zh").stdout
    head = zh.split("政策差异")[0]
    assert "本次以 --base-set 指定的参数：age_cap_female = 45周岁（政策中为 50周岁）" in head
    assert "本次以 --set 指定的参数：age_cap_female = 45周岁（政策中为 50周岁）" in head
    en = _diff(*args, "--lang", "en").stdout.split("Differences between")[0]
    assert "parameters set with --set for this run: age_cap_female = 45 years (the policy's: 50 years)" in en
    assert "--base-set" in en
    page = tmp_path / "report.html"
    _diff(*args, "--lang", "zh", "-o", str(page))
    html = page.read_text(encoding="utf-8")
    given = html[html.index("id='given'"):html.index("政策差异")]
    assert "本次以 --base-set 指定的参数" in given and "本次以 --set 指定的参数" in given
    book = tmp_path / "report.xlsx"
    _diff(*args, "--lang", "zh", "-o", str(book))
    overview = {r[0]: r[1] for r in openpyxl.load_workbook(book)["概况"].iter_rows(values_only=True)}
    assert overview["本次以 --base-set 指定的参数"] == "age_cap_female = 45周岁（政策中为 50周岁）"
    assert overview["本次以 --set 指定的参数"] == "age_cap_female = 45周岁（政策中为 50周岁）"


def test_a_run_without_parameters_says_none_were_given():
    text = _diff("--lang", "zh").stdout
    assert "本次以" not in text


def test_the_quota_sheet_counts_people_in_numbers(tmp_path):
    book = tmp_path / "report.xlsx"
    _diff("--set", "age_cap_female=40", "--lang", "zh", "-o", str(book))
    rows = list(openpyxl.load_workbook(book)["名额变化"].iter_rows(values_only=True))
    expected = json.loads(_diff("--set", "age_cap_female=40", "--format", "json").stdout)["quota_changes"]
    assert rows[1:] and len(rows[1:]) == len(expected)
    for row, change in zip(rows[1:], expected):
        # a number a spreadsheet sums, not the text "2" (Excel flags "number stored as text")
        assert row[1:3] == (change["movers_before"], change["movers_after"])
        assert all(type(v) is int for v in row[1:3])


def test_a_group_without_a_quota_before_says_so_in_words_beside_numbers(tmp_path):
    book = tmp_path / "report.xlsx"
    result = CliRunner().invoke(cli, ["diff", "policies/fujian.pol", DISTRICT, *ROSTER, "--lang", "zh",
                                      "-o", str(book)])
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(book)["名额变化"].iter_rows(values_only=True))
    assert rows[1][1] == "无名额要求" and type(rows[1][2]) is int


SENSITIVE = {"FJ-X2", "CD-2.2a", "CD-2.2b", "CD-2.2c", "CD-2.2d", "CD-2.3", "CD-2.4"}  # pregnancy … sanction


def test_the_text_report_names_no_one_whose_change_a_sensitive_reason_is_part_of():
    # Its tables withhold a cell of fewer than 5 on a sensitive reason (*); listing the people
    # beneath by name with "删除豁免 FJ-X2" (怀孕期间) among their causes undid that in the
    # same printout (T0013 范雨). Withheld as the HTML page withholds them, and counted.
    args = ["diff", "policies/fujian.pol", "policies/county_draft.pol", *ROSTER, "--limit", "1000"]
    everyone = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    keys = {d["key"]: d["id"] for d in everyone["differences"]}
    touched = {p["id"] for p in everyone["persons"]
               if any(keys.get(k) in SENSITIVE for c in p["causes"] for k in c["changes"])}
    assert "T0013" in touched
    for lang, more in (("zh", "另有 {} 人的变化涉及受保护事由"), ("en", "{} of the people above involve a protected reason")):
        text = CliRunner().invoke(cli, [*args, "--lang", lang]).stdout
        listed = [line.split()[0] for line in text.split("\n") if line.startswith("  T0")]
        assert not touched & set(listed)
        assert more.format(len(everyone["persons"]) - len(listed)) in text
        assert len(everyone["persons"]) - len(listed) >= len(touched)
        assert not [line for line in text.split("\n") if line.startswith("  T0") and SENSITIVE & set(line.split())]


def test_the_text_reports_causes_name_no_sensitive_exemption_as_the_html_and_workbook_do(tmp_path):
    args = ["diff", "policies/fujian.pol", "policies/county_draft.pol", *ROSTER, "--lang", "zh"]
    text = CliRunner().invoke(cli, args).stdout
    causes = text.split("原因（人数）：")[1].split("按学校：")[0]
    assert "受保护事由的豁免条款" in causes
    assert not SENSITIVE & set(re.findall(r"[A-Z]{2}-[\w.]+", causes))
    book = tmp_path / "r.xlsx"
    CliRunner().invoke(cli, [*args, "-o", str(book)])
    sheet = [r[0] for r in openpyxl.load_workbook(book)["变化原因"].iter_rows(min_row=2, values_only=True)]
    # the same causes, in the same order, only shorter (each change by its kind and id)
    assert [line.split(None, 1)[1] for line in causes.strip().split("\n")[:len(sheet)]] == \
        [re.sub(r"“[^”]*”", "", cell).replace("须以下修改合在一起才导致，缺一不可（任一项或任两项都不足以导致；其余修改或许也有关）", "缺一不可")
         for cell in sheet]
