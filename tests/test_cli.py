"""The command line, as a user runs it: exit codes, formats, languages, atomic output."""

from __future__ import annotations

import csv
import io
import json

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import policylang
from policylang.cli import cli

from .conftest import EXAMPLES

DISTRICT = "policies/fujian_pilot_district.pol"
TEACHERS = "examples/teachers.csv"
SCHOOLS = "examples/schools.csv"


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def _ids(path=TEACHERS):
    with open(path, encoding="utf-8") as f:
        return [r["id"] for r in csv.DictReader(f)]


def test_check_passes_on_bundled_policies():
    result = run("check", "policies/fujian.pol", DISTRICT, "--lang", "en")
    assert result.exit_code == 0
    assert "✓ policies/fujian_pilot_district.pol: 6 rules" in result.output


def test_check_reports_every_error_with_code_and_caret():
    result = run("check", "tests/cases/bad/unknown_names.pol", "--lang", "en")
    assert result.exit_code == 1
    assert "error[R107]: unknown name `tenur`" in result.output
    assert "help: did you mean `tenure`?" in result.output
    assert result.output.count("error[") == 5  # (not `primary`, the code beside the misspelt `school.stag`)
    assert "^^^^^" in result.output


def test_check_json_and_chinese():
    result = run("check", "tests/cases/bad/unit_mismatch.pol", "--format", "json")
    data = json.loads(result.stdout)
    assert [d["code"] for d in data] == ["T202", "T202"]
    result = run("check", "tests/cases/bad/unit_mismatch.pol", "--lang", "zh")
    assert "错误[T202]：单位不一致" in result.output


def test_one_parameter_set_twice_is_refused_not_decided_by_the_last():
    twice = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--set", "age_cap_female=45",
                "--set", "age_cap_female=40", "--lang", "zh")
    assert twice.exit_code == 2
    assert "--set 为参数 age_cap_female 给出了两个不同的取值：“age_cap_female=45”和“age_cap_female=40”，请只给出一个" \
        in twice.output
    same = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--set", "age_cap_female=45",
               "--set", "age_cap_female=45 years", "--format", "json")
    assert same.exit_code == 0  # one value, written twice


def test_check_strict_fails_on_warnings():
    assert run("check", "tests/cases/bad/lints.pol").exit_code == 0
    strict = run("check", "tests/cases/bad/lints.pol", "--strict", "--lang", "zh")
    assert strict.exit_code == 1
    warned = run("check", "tests/cases/bad/lints.pol", "--format", "json")
    n = len(json.loads(warned.stdout))
    # the labels say 警告; the summary says why they fail the check
    assert f"✗ tests/cases/bad/lints.pol：{n} 个错误（其中 {n} 个是警告，--strict 下视为错误）" in strict.output


def test_test_command_counts_and_exit_codes(tmp_path):
    result = run("test", DISTRICT, "--lang", "en")
    assert result.exit_code == 0
    assert f"{len(policylang.load(DISTRICT).checked.tests)} passed, 0 failed" in result.output
    broken = tmp_path / "broken.pol"
    broken.write_text((open("policies/fujian.pol", encoding="utf-8").read()).replace(
        "  expect status exempt\n  expect exemption pregnancy\n  expect rule FJ-2",
        "  expect status must_rotate\n  expect exemption pregnancy\n  expect rule FJ-2"), encoding="utf-8")
    result = run("test", str(broken), "--lang", "en")
    assert result.exit_code == 4
    assert "status: expected must_rotate, got exempt" in result.output
    assert f"{len(policylang.load(broken).checked.tests) - 1} passed, 1 failed" in result.output


@pytest.mark.parametrize("teachers,schools", [
    ("examples/teachers.csv", "examples/schools.csv"),
    ("examples/teachers_zh.csv", "examples/schools_zh.csv"),
    ("examples/teachers.xlsx", "examples/schools.csv"),
    ("examples/teachers.parquet", "examples/schools.csv"),
    ("examples/teachers.json", "examples/schools_zh.csv"),
])
def test_eval_decides_every_teacher_in_every_input_format(teachers, schools):
    result = run("eval", DISTRICT, teachers, "--schools", schools, "--format", "csv", "--lang", "en")  # the contract's
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == _ids()
    assert {r["status"] for r in rows} == {"must_rotate", "eligible", "exempt", "not_eligible"}


def test_eval_outputs_are_the_same_decisions_in_every_format(tmp_path):
    outputs = {}
    for fmt in ("csv", "json", "xlsx"):
        out = tmp_path / f"d.{fmt}"
        result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", str(out))
        assert result.exit_code == 0, result.output
        outputs[fmt] = out
    rows = list(csv.DictReader(open(outputs["csv"], encoding="utf-8-sig")))  # a CSV file starts with a BOM
    data = json.loads(outputs["json"].read_text("utf-8"))
    sheet = load_workbook(outputs["xlsx"], read_only=True).worksheets[0]
    xlsx = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(rows) == len(data) == len(xlsx) - 1 == 400
    assert [(r["id"], r["status"], r["rule"]) for r in rows] == [(d["id"], d["status"], d["rule"] or "") for d in data]
    assert [(x[0], x[1]) for x in xlsx[1:]] == [(r["id"], r["status"]) for r in rows]
    promoted = next(d for d in data if d["promotion"].get("senior", {}).get("unmet"))
    row = next(r for r in rows if r["id"] == promoted["id"])
    assert row["promotion_senior"] == ";".join(promoted["promotion"]["senior"]["unmet"])


def test_eval_refuses_a_bad_roster_and_lists_every_problem():
    result = run("eval", DISTRICT, "examples/bad/teachers_bad.csv", "--schools", "examples/bad/schools.csv",
                 "--lang", "en")
    assert result.exit_code == 3
    assert result.stdout == ""
    for expected in ("row 2 column `工号` [R004]", "row 3 column `出生日期` [R002]", "row 4 column `性别` [R003]",
                     "row 5 column `工号` [R004]",
                     "row 6 column `学校代码` [R005]", "row 7 column `到校时间` [R006]", "row 8 column `职称` [R003]",
                     "row 9 column `在编在岗` [R008]", "row 10 column `农村任教年限` [R007]"):
        assert expected in result.stderr
    assert "9 problem(s) in the roster, 9 of 12 teachers affected" in result.stderr


BAD = ["examples/bad/teachers_bad.csv", "--schools", "examples/bad/schools.csv", "--lang", "en"]


@pytest.mark.parametrize("args", [["eval", DISTRICT, *BAD], ["eval", DISTRICT, *BAD, "-o", "{tmp}/out.csv"],
                                  ["quota", DISTRICT, *BAD], ["diff", DISTRICT, DISTRICT, *BAD]],
                         ids=["eval", "eval streamed", "quota", "diff"])
def test_every_reader_counts_the_teachers_a_bad_roster_affects(args, tmp_path):
    """The row reader (eval), the streamed reader (eval -o) and the columnar one (quota, diff)."""
    result = run(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.exit_code == 3
    assert "9 problem(s) in the roster, 9 of 12 teachers affected" in result.stderr


@pytest.mark.parametrize("args", [["eval", DISTRICT], ["eval", DISTRICT, "-o", "{tmp}/out.csv"], ["quota", DISTRICT],
                                  ["diff", DISTRICT, DISTRICT]], ids=["eval", "eval streamed", "quota", "diff"])
def test_a_csv_with_an_unclosed_quote_is_refused_naming_its_row_by_every_command(args, tmp_path):
    """A quote never closed reads the rest of the file into one cell: the rows after it would
    vanish uncounted. Every command refuses the file (R009, naming the row), with
    --skip-invalid too (issue 12, item 1)."""
    lines = Path("examples/teachers.csv").read_text(encoding="utf-8").splitlines()
    roster = tmp_path / "quote.csv"
    roster.write_text("\n".join(lines[:5] + ['T9999,"unclosed,F,1980-01-01'] + lines[-3:]) + "\n", encoding="utf-8")
    command = [a.replace("{tmp}", str(tmp_path)) for a in args]
    where = 3 if command[0] == "diff" else 2
    for extra in ([], ["--skip-invalid"]):
        refused = run(*command[:where], str(roster), "--schools", "examples/schools.csv", *command[where:],
                      "--lang", "en", *extra)
        assert refused.exit_code == 3
        assert "row 6 [R009]: cannot read the file: the quote opened in row 6 is never closed: none of the 4 lines" \
            in refused.stderr
        assert "skipped" not in refused.stderr and not (tmp_path / "out.csv").exists()


def test_skip_invalid_decides_the_rest_and_still_reports():
    result = run("eval", DISTRICT, "examples/bad/teachers_bad.csv", "--schools", "examples/bad/schools.csv",
                 "--skip-invalid", "--lang", "en")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["T0010", "T0011", "T0012"]  # T0001 is on two rows: neither is decided
    assert "skipped 9 of 12 teachers" in result.stderr


def test_set_overrides_a_parameter_for_one_run():
    base = list(csv.DictReader(io.StringIO(run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS).stdout)))
    lower = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--set", "age_cap_female=45")
    assert lower.exit_code == 0
    changed = [(a["id"], a["status"], b["status"]) for a, b in
               zip(base, csv.DictReader(io.StringIO(lower.stdout))) if a["status"] != b["status"]]
    assert changed and all(old == "must_rotate" and new == "eligible" for _, old, new in changed)
    bad = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--set", "age_cap_female=45 months", "--lang", "en")
    assert bad.exit_code == 2 and "years" in bad.output
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--set", "nope=1").exit_code == 2


def test_a_fractional_count_set_on_the_command_line_decides_as_the_next_whole_one(tmp_path):
    """`--set principal_schools=2.5` was passed to the bulk plan as a Fraction, which polars read
    as the text "5/2": a traceback."""
    written = {}
    for value in ("2.5", "3"):
        out = tmp_path / f"{value}.csv"
        result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--set", f"principal_schools={value}",
                     "-o", str(out))
        assert result.exit_code == 0, result.output
        written[value] = out.read_bytes()
    assert written["2.5"] == written["3"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_error_no_check_foresaw_is_said_in_one_line_with_the_details_kept_in_a_file(lang, tmp_path, monkeypatch,
                                                                                       capsys):
    """The last resort of ``main``: exit 7 (a bug of policylang), nothing written, no traceback
    on the terminal; the traceback in a file the message names."""
    import sys

    import policylang.api as api
    from policylang.cli import main

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("an unforeseen fault")

    monkeypatch.setattr(api.Policy, "stream_decisions", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    out = tmp_path / "decisions.csv"
    monkeypatch.setattr(sys, "argv", ["policylang", "--lang", lang, "eval", DISTRICT, TEACHERS, "--schools", SCHOOLS,
                                      "-o", str(out)])
    with pytest.raises(SystemExit) as ended:
        main()
    said = capsys.readouterr().err
    assert ended.value.code == 7 and not out.exists()
    assert "Traceback" not in said and "ZeroDivisionError" in said
    assert ("内部错误（ZeroDivisionError）：这是 policylang 的缺陷" if lang == "zh" else
            "internal error (ZeroDivisionError): a bug of policylang") in said
    [kept] = tmp_path.glob("policylang-error-*.txt")
    assert str(kept) in said
    details = kept.read_text(encoding="utf-8")
    assert "Traceback" in details and "an unforeseen fault" in details and "eval" in details


def test_a_csv_whose_lines_end_with_a_carriage_return_alone_is_decided_as_its_lf_twin_by_every_command(tmp_path):
    """Polars ends a line at a line feed only: a file saved with old Mac line ends read as one
    header line of 14,000 columns, and `eval -o` wrote 0 decisions with exit 0. It is read by
    the row reader, which splits its lines as the csv module does."""
    data = Path(TEACHERS).read_bytes().replace(b"\r\n", b"\n")
    cr = tmp_path / "old_mac.csv"
    cr.write_bytes(data.replace(b"\n", b"\r"))
    for fmt in ("csv", "json"):
        written = {}
        for name, teachers in (("cr", str(cr)), ("lf", TEACHERS)):
            out = tmp_path / f"{name}.{fmt}"
            result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", str(out), "--lang", "en")
            assert result.exit_code == 0 and "400 decisions" in result.stderr, result.stderr[-300:]
            written[name] = out.read_bytes()
        assert written["cr"] == written["lf"]
    for command in (["quota", DISTRICT], ["diff", "policies/fujian.pol", DISTRICT]):
        cr_said, lf_said = (run(*command, teachers, "--schools", SCHOOLS) for teachers in (str(cr), TEACHERS))
        assert cr_said.exit_code == lf_said.exit_code == 0 and cr_said.stdout == lf_said.stdout


def test_keep_and_the_identity_columns_read_headers_as_the_readers_do(tmp_path):
    """A header with a zero-width space after it is the column to the readers: --keep refused it,
    and the name column was left out; a file of carriage returns alone skipped --keep's check."""
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()
    header = lines[0].replace("birth_date", "birth_date\u200b").replace("name", "name\u200b", 1)
    marked = tmp_path / "marked.csv"
    marked.write_text("\n".join([header, *lines[1:]]) + "\n", encoding="utf-8")
    out = tmp_path / "d.csv"
    result = run("eval", DISTRICT, str(marked), "--schools", SCHOOLS, "--keep", "birth_date", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    written = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert "name" in written and "birth_date" in written
    unnamed = tmp_path / "unnamed.csv"
    cells = [line.split(",") for line in lines]
    keep = [i for i, h in enumerate(cells[0]) if h != "name"]
    unnamed.write_bytes("\r".join(",".join(row[i] for i in keep) for row in cells).encode("utf-8") + b"\r")
    refused = run("eval", DISTRICT, str(unnamed), "--schools", SCHOOLS, "--keep", "姓名", "-o", str(tmp_path / "u.csv"))
    assert refused.exit_code == 2 and "姓名" in refused.stderr


def test_as_of_changes_the_reference_date():
    later = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--as-of", "2025-09-02", "--format", "json")
    data = {d["id"]: d for d in json.loads(later.stdout)}
    assert data["T0002"]["status"] == "must_rotate"  # one day short of 6 years on 2025-09-01
    assert data["T0002"]["as_of"] == "2025-09-02"


def test_output_is_written_atomically(tmp_path, monkeypatch):
    out = tmp_path / "d.csv"
    out.write_text("previous", encoding="utf-8")
    import policylang.io.output as output

    def explode(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", explode)
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", str(out))
    assert result.exit_code == 5
    assert out.read_text("utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["d.csv"]
    assert "无法写入" in run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", str(out), "--lang", "zh").output
    assert "磁盘空间不足" in run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", str(out), "--lang", "zh").output


@pytest.mark.parametrize("args", [
    ("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o"),
    ("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "json", "-o"),
    ("quota", "policies/shenyang.pol", TEACHERS, "--schools", SCHOOLS, "-o"),
    ("template", "-o"),
])
def test_a_file_that_cannot_be_written_is_said_in_the_user_s_language(tmp_path, args):
    """The operating system's reason (`No such file or directory`) is English and says nothing of
    what to do: an official reads what went wrong, in Chinese."""
    blocker = tmp_path / "结论.csv"
    blocker.write_text("", encoding="utf-8")
    name = "x.xlsx" if args[0] == "template" else "x.json"
    for target, reason in ((tmp_path / "不存在" / name, "文件夹不存在"),
                           (blocker / name, "路径中有一部分是文件，不是文件夹")):
        result = run(*args, str(target), "--lang", "zh")
        assert result.exit_code == 5
        assert f"无法写入“{target}”：{reason}" in result.output
        assert "No such file" not in result.output and "Not a directory" not in result.output
    assert "cannot write" in run(*args, str(tmp_path / "不存在" / name), "--lang", "en").output


def test_writing_refused_by_the_system_names_a_file_open_in_excel():
    """Windows refuses to replace a file Excel or WPS holds open with `permission denied`."""
    import errno

    from policylang.core.file_errors import cannot_read, cannot_write

    denied = PermissionError(errno.EACCES, "Permission denied")
    assert "Excel 或 WPS 打开" in cannot_write("结论.xlsx", denied, "zh")
    assert "Excel" not in cannot_read("结论.xlsx", denied, "zh")
    assert cannot_read("x", OSError(errno.EIO, "Input/output error"), "zh") == "无法读取“x”：系统错误：Input/output error"


def test_explain_says_a_column_no_rule_reads_once_as_the_roster_does_not_as_a_python_warning(tmp_path):
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()
    extra = tmp_path / "t.csv"
    extra.write_text("\n".join([lines[0] + ",备注"] + [line + ",无" for line in lines[1:]]) + "\n", encoding="utf-8")
    import subprocess
    import sys

    # a process of its own: warnings reach its stderr as a user sees them (pytest would catch them)
    result = subprocess.run([sys.executable, "-c", "from policylang.cli import main; main()", "explain", DISTRICT,
                             str(extra), "--schools", SCHOOLS, "--id", "T0001", "--lang", "zh"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0
    assert result.stderr.count("[R012]") == 1 and "备注" in result.stderr
    assert "UnknownKeys" not in result.stderr and ".py:" not in result.stderr, result.stderr


def test_the_table_says_how_many_decisions_its_limit_leaves_out_and_refuses_a_negative_one():
    shown = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "table", "--limit", "3", "--lang", "zh")
    assert shown.exit_code == 0 and shown.stdout.count("│ T0") == 3
    assert "另有 397 条结论未显示（--limit 3）" in shown.stderr
    every = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "table", "--limit", "0", "--lang", "en")
    assert every.stdout.count("│ T0") == 400 and "not shown" not in every.stderr
    for lang, said in (("zh", "错误：--limit 的取值 `-1` 无效，应不小于 0。"), ("en", "-1 is not in the range x>=0")):
        negative = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "table", "--limit=-1",
                       "--lang", lang)
        assert negative.exit_code == 2 and said in negative.stderr


def test_the_chinese_table_names_the_not_teaching_exemption_in_chinese():
    """`not_teaching` is no contract code: the Chinese table said it in English beside 孕期, then by
    the clause's whole title; it has a label of its own now (未任课), as 孕期 has; English shows codes."""
    zh = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "table", "--limit", "0", "--lang", "zh")
    assert "not_teaching" not in zh.stdout and "未任课" in zh.stdout and "目前未任课的人员" not in zh.stdout
    assert "not_teaching" in run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "table", "--limit", "0",
                                 "--lang", "en").stdout


def test_explain_in_both_languages():
    zh = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "T0001", "--lang", "zh")
    assert zh.exit_code == 0
    assert "结论：须交流（依据规则 JA-1）" in zh.output
    # names in Chinese; a parameter named in English by its value, as the document writes it (任教满6年)
    assert "✓ 本校任教年限 ≥ 6年   （本校任教年限 = 6年）" in zh.output and "teacher_tenure" not in zh.output
    changed = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "T0001", "--lang", "zh",
                  "--set", "teacher_tenure=7")
    assert "✗ 本校任教年限 ≥ 7年   （本校任教年限 = 6年）" in changed.output  # the value in force, not the file's
    en = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "T0002", "--lang", "en")
    assert "status: eligible (decided by JA-3)" in en.output
    assert "✗ tenure >= teacher_tenure   (tenure = 5 years; teacher_tenure = 6 years)" in en.output
    assert run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "NOPE").exit_code == 3
    # an id copied with a space around it, as cells are read (trimmed)
    spaced = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", " T0001 ", "--lang", "zh")
    assert spaced.exit_code == 0 and "（T0001）" in spaced.output


def test_a_condition_left_unknown_beside_a_false_one_is_said_not_to_matter():
    """The drafter's trial: a teacher's explanation marked `? 校长在本校任职年限 ≥ 10年` in FJ-3b, a rule
    that fails on 岗位 = 校长: `?` (无法判断) asked for a value that decides nothing."""
    zh = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "T0001", "--lang", "zh").output
    fj3b = zh[zh.index("FJ-3b"):zh.index("FJ-3 ")]
    assert "✗ 岗位 = 校长" in fj3b and "\n      – 校长在本校任职年限 ≥ 10年" in fj3b and "不影响结论）" in fj3b
    assert "? " not in fj3b
    en = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "T0001", "--lang", "en").output
    assert "; does not matter)" in en and "\n      – principal_years >= principal_tenure_max" in en



def test_an_exemption_read_alike_for_each_rule_is_explained_once_naming_the_rules():
    """T0001 is a target of JA-1 and of JA-3: the pregnancy exemption FJ-X2 reads the same 孕期 for
    both, and was listed twice, one block per rule, for the official to compare line by line."""
    zh = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "T0001", "--lang", "zh").output
    exemptions = zh[zh.index("\n豁免："):zh.index("\n晋升前提：")]
    assert exemptions.count("FJ-X2") == 1 and "— 不适用（JA-1、JA-3）" in exemptions
    assert exemptions.count("✗ 孕期") == 1
    en = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", "T0001", "--lang", "en").output
    assert "does not apply (JA-1, JA-3)" in en


def test_explain_needs_no_id_for_a_roster_of_one_teacher(tmp_path):
    lines = Path(TEACHERS).read_text("utf-8").splitlines()
    one = tmp_path / "one.csv"
    one.write_text("\n".join(lines[:1] + lines[2:3]) + "\n", encoding="utf-8")
    alone = run("explain", DISTRICT, str(one), "--schools", SCHOOLS, "--lang", "en")
    assert alone.exit_code == 0, alone.output
    assert f"({lines[2].split(',')[0]})" in alone.output and "status:" in alone.output
    many = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--lang", "zh")
    assert many.exit_code == 2 and "请用 --id 指明要说明的教师（名册中有 400 位）" in many.output
    nobody = tmp_path / "nobody.csv"
    nobody.write_text(lines[0] + "\n", encoding="utf-8")
    empty = run("explain", DISTRICT, str(nobody), "--schools", SCHOOLS, "--lang", "zh")
    assert empty.exit_code == 0 and "教师名册中没有教师记录" in empty.output and "--id" not in empty.output


def test_language_defaults_from_the_locale(monkeypatch):
    monkeypatch.delenv("POLICYLANG_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "错误[T202]" in run("check", "tests/cases/bad/unit_mismatch.pol").output
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert "error[T202]" in run("check", "tests/cases/bad/unit_mismatch.pol").output


def test_missing_files_exit_5():
    assert run("eval", DISTRICT, "nope.csv", "--schools", SCHOOLS).exit_code == 5
    assert run("check", "nope.pol").exit_code == 5


@pytest.mark.parametrize("policy", sorted(p.as_posix() for p in __import__("pathlib").Path("policies").glob("*.pol")))
def test_both_engines_write_identical_decisions(policy, tmp_path):
    """JSON (with the rules that fired), and CSV with --fired: streamed by the bulk engine, written
    from the interpreter's decisions by the reference one."""
    for suffix, extra in ((".json", ()), (".csv", ("--fired",))):
        outputs = []
        for engine in ("bulk", "reference"):
            out = tmp_path / f"{engine}{suffix}"
            result = run("eval", policy, TEACHERS, "--schools", SCHOOLS, "--engine", engine, "-o", str(out), *extra)
            assert result.exit_code == 0, result.output
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1], suffix
    header = outputs[0].decode("utf-8").splitlines()[0].split(",")
    assert header[-1] == "fired"
    fired = [row["fired"] for row in csv.DictReader(io.StringIO(outputs[0].decode("utf-8")))]
    assert any(fired) and len(fired) == len(_ids())


def test_api_evaluate_table_accepts_polars_and_pandas_free_inputs():
    import polars as pl

    import policylang

    policy = policylang.load(DISTRICT)
    teachers = pl.read_csv(TEACHERS, infer_schema=False)
    schools = pl.read_csv(SCHOOLS, infer_schema=False)
    table = policy.evaluate_table(teachers, schools)
    assert table["id"].to_list() == _ids()
    reference = policy.evaluate(policy.read_roster(TEACHERS, SCHOOLS), engine="reference")
    assert table["status"].to_list() == [d.status for d in reference]
    arrow = policy.evaluate_table(teachers.to_arrow(), schools.to_arrow())
    assert arrow.equals(table)
    # typed columns (dates, yes/no, numbers) decide as their text does, on the columnar path
    typed = pl.read_csv(TEACHERS, try_parse_dates=True)
    assert pl.Date in typed.dtypes and pl.Boolean in typed.dtypes
    assert policy.evaluate_table(typed, schools).equals(table)
    assert policy.evaluate_table(pl.read_parquet(EXAMPLES / "teachers.parquet"), schools).equals(table)
    assert policy.evaluate_table(teachers.to_dicts(), schools.to_dicts()).equals(table)  # the row path's answer


def test_api_evaluate_table_refuses_a_bad_row_with_the_row_reader_s_problem():
    import polars as pl

    import policylang

    policy = policylang.load(DISTRICT)
    teachers = pl.read_csv(TEACHERS, infer_schema=False)
    broken = teachers.with_columns(pl.when(pl.int_range(pl.len()) == 7).then(pl.lit("2015-13-45"))
                                   .otherwise(pl.col("school_start")).alias("school_start"))
    with pytest.raises(policylang.RosterError) as refused:
        policy.evaluate_table(broken, pl.read_csv(SCHOOLS, infer_schema=False))
    (problem,) = refused.value.problems
    assert (problem.code, problem.row, problem.column) == ("R002", 8, "school_start")  # the 8th record
    # a column the policy reads, absent: refused (R011), never decided as if every cell were empty
    with pytest.raises(policylang.RosterError) as refused:
        policy.evaluate_table(teachers.drop("pregnant"), pl.read_csv(SCHOOLS, infer_schema=False))
    assert [(p.code, p.column) for p in refused.value.problems] == [("R011", "pregnant")]


def test_parquet_decisions_are_the_same_streamed_or_written_from_the_interpreter(tmp_path):
    import polars as pl

    streamed, written = tmp_path / "bulk.parquet", tmp_path / "reference.parquet"
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--fired", "-o", str(streamed)).exit_code == 0
    assert run("eval", DISTRICT, "examples/teachers.xlsx", "--schools", SCHOOLS, "--fired", "--engine", "reference",
               "-o", str(written)).exit_code == 0
    assert pl.read_parquet(streamed).equals(pl.read_parquet(written))
    assert pl.read_parquet(written).columns[-1] == "fired"
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "parquet", "--engine",
               "reference").exit_code == 2  # binary output needs a file


def test_a_date_moved_past_the_calendar_is_refused_by_every_command_without_a_traceback(tmp_path):
    """`support_end + 1 years` on a roster's 9999-06-01: the bulk evaluator used to decide it on
    year 10000 (must_rotate, exit 0) and `explain` crashed; now both refuse, exit 3, write nothing."""
    rows = list(csv.reader((EXAMPLES / "teachers.csv").open(encoding="utf-8")))[:2]
    rows[1][rows[0].index("support_end")] = "9999-06-01"
    with (tmp_path / "t.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    (tmp_path / "p.pol").write_text('policy "t"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "x"\n  cite S\n'
                                    '  when support_end + 1 years > 2025-01-01\n  then must_rotate\n', encoding="utf-8")
    common = [str(tmp_path / "p.pol"), str(tmp_path / "t.csv"), "--schools", str(EXAMPLES / "schools.csv")]
    for args in (["eval", *common], ["eval", *common, "-o", str(tmp_path / "out.csv")],
                 ["explain", *common, "--id", rows[1][0]]):
        result = CliRunner().invoke(cli, ["--lang", "zh", *args], catch_exceptions=False)
        assert result.exit_code == 3, result.output
        assert "超出公历范围" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()


def test_lang_before_the_command_asks_for_a_chinese_file_as_after_it(tmp_path):
    """`policylang --lang zh eval … -o x.csv` wrote an English file; only `eval --lang zh` wrote Chinese."""
    before, after = tmp_path / "before.csv", tmp_path / "after.csv"
    assert run("--lang", "zh", "eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", str(before)).exit_code == 0
    assert run("eval", "--lang", "zh", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", str(after)).exit_code == 0
    assert before.read_bytes() == after.read_bytes()
    assert before.read_text(encoding="utf-8-sig").startswith("工号,结论")


ROSTER_WIDE = [["eval", DISTRICT, "{roster}", "--schools", SCHOOLS, "--format", "json"],
               ["eval", DISTRICT, "{roster}", "--schools", SCHOOLS, "-o", "{tmp}/out.csv"],
               ["eval", DISTRICT, "{roster}", "--schools", SCHOOLS, "-o", "{tmp}/out.xlsx"],
               ["quota", DISTRICT, "{roster}", "--schools", SCHOOLS],
               ["diff", DISTRICT, DISTRICT, "{roster}", "--schools", SCHOOLS]]
ROSTER_WIDE_IDS = ["eval", "eval streamed", "eval xlsx", "quota", "diff"]


def _renamed(tmp_path, old, new):
    """examples/teachers.csv with one header renamed."""
    header, rest = Path(TEACHERS).read_text(encoding="utf-8").split("\n", 1)
    roster = tmp_path / "renamed.csv"
    roster.write_text(",".join(new if h == old else h for h in header.split(",")) + "\n" + rest, encoding="utf-8")
    return roster


@pytest.mark.parametrize("args", ROSTER_WIDE, ids=ROSTER_WIDE_IDS)
def test_a_missing_column_is_refused_with_skip_invalid_too(args, tmp_path):
    """A column the policy reads renamed away (孕期 written 孕妇) is a problem of the whole roster,
    not of each row: --skip-invalid skips rows, so it cannot skip this; nothing is written."""
    roster = _renamed(tmp_path, "pregnant", "孕妇")
    command = [a.format(roster=roster, tmp=tmp_path) for a in args]
    for extra in ([], ["--skip-invalid"]):
        refused = run(*command, "--lang", "en", *extra)
        assert refused.exit_code == 3, refused.stderr
        assert "column `pregnant` [R011]" in refused.stderr
        assert "1 problem(s) of the roster as a whole" in refused.stderr
        assert "none of its 400 teachers can be decided" in refused.stderr
        assert "skipped" not in refused.stderr and "Use --skip-invalid" not in refused.stderr
        assert refused.stdout == "" and [p.name for p in tmp_path.iterdir()] == ["renamed.csv"]
    zh = run(*command, "--lang", "zh", "--skip-invalid")
    assert zh.exit_code == 3 and "名册有 1 处涉及整个文件的问题" in zh.stderr and "全部 400 名教师都无法作决定" in zh.stderr


def test_swapped_rosters_say_no_teacher_was_read_not_none_of_0():
    """The teachers' and the schools' files swapped: R034 for each, and the summary says that no
    teacher was read ("none of its 0 teachers can be decided" read as nonsense)."""
    en = run("eval", DISTRICT, SCHOOLS, "--schools", TEACHERS, "--lang", "en")
    assert en.exit_code == 3 and en.stderr.count("[R034]") == 2
    assert "2 problem(s) of the roster as a whole" in en.stderr
    assert "no teacher was read; nothing decided" in en.stderr and "0 teachers" not in en.stderr
    zh = run("eval", DISTRICT, SCHOOLS, "--schools", TEACHERS, "--lang", "zh")
    assert zh.exit_code == 3 and zh.stderr.count("[R034]") == 2
    assert "未读取到任何教师；未作决定" in zh.stderr and "全部 0 名" not in zh.stderr


@pytest.mark.parametrize("output", ["out.csv", "out.xlsx"])
def test_an_unknown_header_under_strict_is_refused_with_skip_invalid_too(output, tmp_path):
    roster = tmp_path.parent / f"remarks_{output}.csv"  # (a 备注 where the file has 序号, which is said by nothing)
    roster.write_bytes(Path("tests/cases/rosters/alias_headers.csv").read_bytes().replace(
        "序号".encode("gb18030"), "备注".encode("gb18030"), 1))
    refused = run("eval", "policies/miyun.pol", str(roster), "--schools",
                  "examples/schools_zh.csv", "--strict", "--skip-invalid", "-o", str(tmp_path / output), "--lang", "en")
    assert refused.exit_code == 3
    assert "column `备注` [R012]" in refused.stderr and "problem(s) of the roster as a whole" in refused.stderr
    assert "skipped" not in refused.stderr and not list(tmp_path.iterdir())


@pytest.mark.parametrize("args", ROSTER_WIDE, ids=ROSTER_WIDE_IDS)
def test_skip_invalid_refuses_a_roster_whose_every_row_is_invalid(args, tmp_path):
    """Skipping every row would leave an empty result announced as a success: refused, exit 3."""
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()
    roster = tmp_path / "bad.csv"
    roster.write_text("\n".join([lines[0]] + [line.replace(",F,", ",X,").replace(",M,", ",X,") for line in lines[1:6]])
                      + "\n", encoding="utf-8")
    command = [a.format(roster=roster, tmp=tmp_path) for a in args]
    refused = run(*command, "--lang", "en", "--skip-invalid")
    assert refused.exit_code == 3, refused.stderr
    assert "[R003]" in refused.stderr and "all 5 teachers have problems (listed above)" in refused.stderr
    assert "skipped" not in refused.stderr
    assert refused.stdout == "" and [p.name for p in tmp_path.iterdir()] == ["bad.csv"]
    zh = run(*command, "--lang", "zh", "--skip-invalid")
    assert zh.exit_code == 3 and "全部 5 名教师的记录都有误（见上），没有可作决定的记录" in zh.stderr


def test_serve_on_a_port_in_use_is_a_bad_command_line_not_a_roster_problem(monkeypatch):
    """uvicorn exits 3 when it cannot bind, the code of a roster's problems: the command says why
    in both languages and exits 2, as for its other unusable options, before starting."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "policies", "--insecure-no-auth", "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert f"无法在 127.0.0.1:{port} 上提供服务：端口已被占用。请用 --port 换一个端口" in result.stderr
    assert f"cannot listen on 127.0.0.1:{port}: the port is in use" in result.stderr
    # taken between the look and uvicorn's bind: uvicorn's startup failure is given the same code
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE

    def taken_meanwhile(*_args, **_kwargs):
        raise SystemExit(STARTUP_FAILURE)

    monkeypatch.setattr(uvicorn, "run", taken_meanwhile)
    raced = CliRunner().invoke(cli, ["serve", "policies", "--insecure-no-auth", "--port", "0"])
    assert raced.exit_code == 2 and "could not start serving on 127.0.0.1:0" in raced.stderr


def test_an_id_given_twice_is_decided_and_explained_on_neither_row(tmp_path):
    """Which of two rows with one id is the person is not known: eval decided the first and
    refused the second (R004), on the first row's values, which may be the stale ones. Neither
    is decided now, both are listed, and explain says why it explains neither."""
    lines = open("examples/teachers.csv", encoding="utf-8").read().splitlines()
    roster = tmp_path / "dup.csv"
    roster.write_text("\n".join([*lines[:9], lines[1]]) + "\n", encoding="utf-8")
    args = ["explain", "policies/fujian.pol", str(roster), "--schools", "examples/schools.csv", "--id", "T0001"]
    result = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    assert result.exit_code == 3 and result.stdout == ""
    assert ("工号 T0001 在名册中出现 2 次（第2、10行）：不知哪一行正确，eval 均不作决定，也无法说明；"
            "请先在名册中更正工号") in result.stderr
    decided = CliRunner().invoke(cli, ["eval", "policies/fujian.pol", str(roster), "--schools", "examples/schools.csv",
                                       "--skip-invalid", "--format", "json", "--lang", "en"])
    assert decided.exit_code == 0
    assert [d["id"] for d in json.loads(decided.stdout)] == [line.split(",")[0] for line in lines[2:9]]
    assert "row 2 column `id` [R004]: duplicate id `T0001` (again in row 10)" in decided.stderr
    assert "row 10 column `id` [R004]: duplicate id `T0001` (first in row 2)" in decided.stderr
    assert "skipped 2 of 9" in decided.stderr


def test_quota_of_a_roster_no_quota_applies_to_does_not_say_it_has_no_teacher(tmp_path):
    """national.pol's quotas are for urban and quality schools: a roster of one rural school was
    answered "the roster has no teacher"."""
    (tmp_path / "s.csv").write_text("school_id,area,stage,quality\nS1,rural,primary,false\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("id,sex,birth_date,school_id,school_start,work_start,post,post_start,backbone,"
                                    "on_staff\nT1,M,1980-01-01,S1,2010-09-01,2005-09-01,teacher,,none,是\n", encoding="utf-8")
    args = ["quota", "policies/national.pol", str(tmp_path / "t.csv"), "--schools", str(tmp_path / "s.csv")]
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    assert zh.exit_code == 0 and zh.stdout.strip().splitlines()[-1] == \
        "名册中 1 名教师所在的学校都不适用本政策的名额要求，本年无须按名额选派。"
    assert "no quota of this policy applies" in CliRunner().invoke(cli, [*args, "--lang", "en"]).stdout.lower()


def test_explain_lists_only_the_problems_of_the_teachers_it_explains(tmp_path):
    """Explaining T1 listed every other teacher's bad cell and "skipped 2 of 3 teachers"."""
    (tmp_path / "s.csv").write_text("school_id,area\nS1,urban\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text("id,sex,birth_date,school_id,school_start,work_start\n"
                                    "T1,F,1980-01-01,S1,2010-09-01,2005-09-01\n"
                                    "T2,X,1980-01-01,S1,2010-09-01,2005-09-01\n", encoding="utf-8")
    (tmp_path / "p.pol").write_text('policy "p"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S "1"\n'
                                    '  when tenure at least 6 years\n  then must_rotate\n', encoding="utf-8")
    args = ["explain", str(tmp_path / "p.pol"), str(tmp_path / "t.csv"), "--schools", str(tmp_path / "s.csv"),
            "--lang", "zh"]
    one = CliRunner().invoke(cli, [*args, "--id", "T1"])
    assert "R003" not in one.stderr and "已跳过" not in one.stderr
    other = CliRunner().invoke(cli, [*args, "--id", "T2"])
    assert other.exit_code == 3 and "第3行" in other.stderr and "R003" in other.stderr and "无法说明" in other.stderr


@pytest.mark.parametrize("out", [None, "d.csv", "d.json", "d.xlsx"])
def test_a_roster_of_nobody_is_said_not_passed_in_silence(out, tmp_path):
    """A header and no row (the wrong sheet exported): an empty result, and a word that it is."""
    empty = tmp_path / "teachers.csv"
    empty.write_text(Path("examples/teachers.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    for lang, said in (("zh", "提示：教师名册中没有教师记录"), ("en", "warning: the teachers file has no teacher rows")):
        args = ["eval", "policies/fujian.pol", str(empty), "--schools", "examples/schools.csv", "--lang", lang]
        result = run(*args, *(["-o", str(tmp_path / out)] if out else []))
        assert result.exit_code == 0, result.output
        assert said in result.stderr
    full = run("eval", "policies/fujian.pol", "examples/teachers.csv", "--schools", "examples/schools.csv")
    assert "no teacher rows" not in full.stderr and "没有教师记录" not in full.stderr


@pytest.mark.parametrize("args", [["fields", "policies/fujian.pol"],
                                  ["eval", "policies/fujian.pol", "examples/teachers.csv", "--schools",
                                   "examples/schools.csv"]])
def test_output_to_a_reader_that_went_away_ends_quietly_with_141(args):
    """`policylang fields … | head -1`: exit 141 (128 + SIGPIPE) with nothing said, not 1 (the
    policy has errors) as rich's own exit was, nor a traceback."""
    import subprocess
    import sys

    command = [sys.executable, "-c", "from policylang.cli import main; main()", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the first line is written
    err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141 and err == ""


def test_a_reader_going_away_part_way_through_a_large_output_ends_it_with_141(tmp_path):
    """Past the pipe's 64 KB the write returned short and the command ended 0 with its output cut
    off; the rest is written or refused (BrokenPipeError), so it ends 141."""
    import subprocess
    import sys

    lines = Path("examples/teachers.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.replace("T", f"T{k}", 1) for k in range(10) for line in lines[1:]]
    (tmp_path / "t.csv").write_text("\n".join([lines[0], *rows]) + "\n", encoding="utf-8")
    command = [sys.executable, "-c", "from policylang.cli import main; main()", "eval", "policies/fujian.pol",
               str(tmp_path / "t.csv"), "--schools", "examples/schools.csv"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline().startswith(b"id,status")
    process.stdout.close()  # the reader goes away after the first line, as `| head -1`
    err = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=120) == 141 and err == ""


def test_a_workbook_of_the_valid_rows_names_the_teachers_it_leaves_out(tmp_path):
    """--skip-invalid -o 结论.xlsx: the workbook handed on says who is missing from it, with each
    person's row and why, on a sheet of its own (not a count alone)."""
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    bad = lines[3].split(",")
    bad[header.index("birth_date")] = "1980-13-45"
    roster = tmp_path / "t.csv"
    roster.write_text("\n".join([lines[0], lines[1], lines[2], ",".join(bad), *lines[4:]]) + "\n", encoding="utf-8")
    out = tmp_path / "结论.xlsx"
    result = run("eval", DISTRICT, str(roster), "--schools", SCHOOLS, "--skip-invalid", "--lang", "zh", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    rows = list(book["未作结论"].iter_rows(values_only=True))
    school = bad[header.index("school_id")]
    assert rows == [("行号", "工号", "姓名", "学校代码", "未作结论的原因"),
                    (4, bad[0], bad[1], school, "列“birth_date” [R002]：“1980-13-45”不是有效日期：没有13月")]
    # the summary counts every row of the roster: the one left out under its school, in the totals
    summary = list(book["汇总"].iter_rows(values_only=True))
    assert summary[0][-3:] == ("未作结论", "合计", "其中数据不全待核实")
    by_school = {r[0]: r for r in summary[1:]}
    assert by_school[school][-3] == 1 and by_school[school][-2] == sum(by_school[school][2:-2])
    assert by_school["合计"][-3:-1] == (1, len(lines) - 1)
    notes = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True)}
    assert notes["因记录有误未作结论的教师（--skip-invalid）"] == "1 人，见“未作结论”表"
    assert bad[0] not in [r[0] for r in book["交流结论"].iter_rows(values_only=True)]
    whole = tmp_path / "全.xlsx"
    run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--lang", "zh", "-o", str(whole))
    assert "未作结论" not in load_workbook(whole).sheetnames
    assert "未作结论" not in next(load_workbook(whole)["汇总"].iter_rows(values_only=True))


@pytest.mark.parametrize("asked, meant", [("1", "T0001"), ("t0001", "T0001"), ("T0000", None), ("T001", "T0001"),
                                          ("T00001", "T0001"), ("X0001", "T0001"), ("T0401", None)])
def test_explain_of_an_id_the_roster_lacks_suggests_the_one_meant(tmp_path, asked, meant):
    """`--id 5` for 00005 (a spreadsheet drops an id's leading zeros), `t0001` for T0001, `T001`
    for T0001 (a zero left out: one character from T0010 and T0101 too, but of T0001's number);
    T0000 and T0401 are a character from several ids (T0001, T0010 …; T0400, T0101 …): no guess."""
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()
    roster = tmp_path / "t.csv"
    if asked == "1":  # ids of digits, as many offices number their teachers
        lines = [lines[0], "0001" + lines[1][len("T0001"):], "0002" + lines[2][len("T0002"):]]
        meant = "0001"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("explain", DISTRICT, str(roster), "--schools", SCHOOLS, "--id", asked, "--lang", "zh")
    assert result.exit_code == 3
    said = f"名册中没有工号为 {asked} 的教师"
    assert (said + f"；是否应为“{meant}”？" if meant else said + "\n") in result.output


def test_an_id_a_character_away_is_found_on_a_roster_of_a_million_without_reading_every_id():
    """The suggestion for an unknown --id on a large roster: each spelling one character away is
    looked up (a few hundred lookups), never every id compared."""
    from policylang.cli.explain import _id_meant

    class Million:  # T0000001 … T1000000, which may be looked up but not walked through
        def __contains__(self, ident):
            return len(ident) == 8 and ident[0] == "T" and ident[1:].isdigit() and 1 <= int(ident[1:]) <= 1_000_000

        def __len__(self):
            return 1_000_000

        def __iter__(self):
            raise AssertionError("every id was read")

    ids = Million()
    assert _id_meant("X0012345", ids) == "T0012345"  # one typed wrong
    assert _id_meant("T0012X345", ids) == "T0012345"  # one typed extra
    assert _id_meant("0012345", ids) == "T0012345"  # one left out
    assert _id_meant("T012345", ids) == "T0012345"  # a zero left out: the same number (not T0123450 …)
    assert _id_meant("T0000000", ids) is None  # T0000001, T0000002 …: no guess


def test_the_terminal_table_shows_the_columns_keep_asks_for():
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "table", "--keep", "出生日期,职称",
                 "--lang", "zh", "--limit", "2")
    header = next(line for line in result.output.splitlines() if "工号" in line)
    assert [h.strip() for h in header.strip("┃ ").split("┃")][:5] == ["工号", "姓名", "学校", "出生日期", "职称"]
    first = next(line for line in result.output.splitlines() if "T0001" in line)
    assert "1980-03-01" in first and "高级教师" in first
    refused = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "table", "--keep", "身份证号", "--lang", "zh")
    assert refused.exit_code == 2 and "名册中没有“身份证号”列" in refused.output


def test_explain_of_a_name_given_as_the_id_says_whose_id_it_is(tmp_path):
    """Officials type the name (`--id 邵欣`): it said only that no teacher has that id."""
    import csv as _csv

    with open(TEACHERS, encoding="utf-8-sig") as f:
        rows = list(_csv.DictReader(f))
    name = rows[0]["name"]
    result = run("explain", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--id", name, "--lang", "zh")
    assert result.exit_code == 3
    assert f"--id 应为工号：名册中名为 {name} 的教师工号为 {rows[0]['id']}，请写 --id {rows[0]['id']}" in result.output
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()  # a second teacher of that name
    (tmp_path / "t.csv").write_text("\n".join([*lines[:3], lines[2].replace(rows[1]["name"], name)
                                               .replace(rows[1]["id"], "T9999")]) + "\n", encoding="utf-8")
    twice = run("explain", DISTRICT, str(tmp_path / "t.csv"), "--schools", SCHOOLS, "--id", name, "--lang", "en")
    assert twice.exit_code == 3
    assert f"the roster has 2 teachers named {name}, ids {rows[0]['id']}, T9999; write one of them" in twice.output
    # a second person given the first one's id: --id of that id would explain the first, not them
    (tmp_path / "d.csv").write_text("\n".join([*lines[:2], lines[2].replace(rows[1]["id"], rows[0]["id"])]) + "\n",
                                    encoding="utf-8")
    repeated = run("explain", DISTRICT, str(tmp_path / "d.csv"), "--schools", SCHOOLS, "--id", rows[1]["name"],
                   "--lang", "zh")
    assert repeated.exit_code == 3
    assert (f"名为 {rows[1]['name']} 的教师（第3行）工号为 {rows[0]['id']}，但第2行 {name}的工号也是 {rows[0]['id']}"
            "（工号重复，两行都不作决定）；请先在名册中更正工号") in repeated.output


def test_explain_names_a_penalty_s_effects_in_force_by_their_labels():
    """`正在执行（awaiting_appointment）`: the effect's code, where eval's files write its label (待聘)."""
    zh = run("explain", "policies/shenyang.pol", "examples/teachers_zh.csv", "--schools", "examples/schools_zh.csv",
             "--id", "T0023", "--lang", "zh")
    assert zh.exit_code == 0, zh.output
    assert "— 正在执行（待聘）" in zh.output and "awaiting_appointment" not in zh.output
    timed = run("explain", "policies/county_draft.pol", "examples/teachers_zh.csv", "--schools",
                "examples/schools_zh.csv", "--id", "T0012", "--lang", "zh")
    assert "正在执行（延后两年晋升高一级专业技术职务 至 2025-09-28，不得申报评选优秀教师 至 2025-09-28）" in timed.output
    en = run("explain", "policies/county_draft.pol", "examples/teachers_zh.csv", "--schools",
             "examples/schools_zh.csv", "--id", "T0012", "--lang", "en")
    assert "in force (promotion_delayed until 2025-09-28, no_excellent_teacher_award until 2025-09-28)" in en.output


def test_the_counts_of_a_bad_roster_read_as_chinese():
    """`涉及 9/12 名教师` and `全部 1 名教师的记录都有误` (explain of one teacher) read as a form's
    fraction and a count of one: said as a sentence says them."""
    args = ["examples/bad/teachers_bad.csv", "--schools", "examples/bad/schools.csv", "--lang", "zh"]
    refused = run("eval", DISTRICT, *args)
    assert refused.exit_code == 3 and "名册有 9 处问题，12 名教师中有 9 名涉及；未作决定。" in refused.stderr
    skipped = run("eval", DISTRICT, *args, "--skip-invalid")
    assert skipped.exit_code == 0 and "12 名教师中有 9 名记录有误，已跳过（见上）。" in skipped.stderr
    one = run("explain", DISTRICT, *args, "--id", "T0005")
    assert one.exit_code == 3 and "该教师的记录有误（见上），无法说明。" in one.stderr
    assert "全部 1 名" not in one.stderr


def test_a_schools_file_holding_none_of_the_teachers_schools_is_asked_about(tmp_path):
    """400 lines of R005, one per teacher, and no word that the schools file was the wrong one."""
    (tmp_path / "s.csv").write_text("school_id,name,area,stage,staffing\nX1,某校,urban,primary,normal\n",
                                    encoding="utf-8")
    result = run("eval", DISTRICT, TEACHERS, "--schools", str(tmp_path / "s.csv"), "--lang", "zh")
    assert result.exit_code == 3 and "是否给错了学校名册（--schools）？" in result.stderr
    assert "全部 400 名教师都涉及；未作决定。" in result.stderr
    one_typo = run("eval", DISTRICT, "examples/bad/teachers_bad.csv", "--schools", "examples/bad/schools.csv")
    assert "--schools）？" not in one_typo.stderr and "--schools)?" not in one_typo.stderr


def test_the_terminal_table_names_each_teacher_s_school_and_reads_as_chinese():
    """An HR clerk's table had no school, and `高级 FJ-4,JA-5a; 校长 ✓` in Chinese."""
    result = run("eval", DISTRICT, "examples/teachers_zh.csv", "--schools", "examples/schools_zh.csv", "--format",
                 "table", "--limit", "2", "--lang", "zh")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [h.strip() for h in lines[1].strip("┃ ").split("┃")][:3] == ["工号", "姓名", "学校"]
    assert "│ 九中 │" in lines[3] and "高级：FJ-4、JA-5a；校长 ✓" in lines[4]


def test_python_dash_m_runs_the_same_command():
    """`python -m policylang`, for a machine where the `policylang` script is not on PATH."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "policylang", "check", "policies/fujian.pol", "--lang", "zh"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0 and result.stdout.startswith("✓ policies/fujian.pol：规则"), result.stderr


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "table"])
def test_a_column_kept_is_not_warned_of_as_a_column_nothing_reads(tmp_path, fmt):
    """`--keep 备注` carries a column no rule reads: the warning that nothing reads it, and that
    `--keep 备注` would carry it, is for a roster run without it (the HR trial found it given with it,
    on stderr and in the 说明 sheet)."""
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()
    extra = tmp_path / "t.csv"
    extra.write_text("\n".join([lines[0] + ",备注"] + [line + ",无" for line in lines[1:]]) + "\n", encoding="utf-8")
    out = tmp_path / f"out.{fmt}"
    target = ["--format", "table", "--limit", "1"] if fmt == "table" else ["-o", str(out)]
    plain = run("eval", DISTRICT, str(extra), "--schools", SCHOOLS, *target, "--lang", "zh")
    assert plain.exit_code == 0 and "列“备注”不是名册规定的列" in plain.stderr
    kept = run("eval", DISTRICT, str(extra), "--schools", SCHOOLS, *target, "--keep", "备注", "--lang", "zh")
    assert kept.exit_code == 0 and "[R012]" not in kept.stderr, kept.stderr
    if fmt == "xlsx":
        book = load_workbook(out, read_only=True)
        assert not any("R012" in str(cell) or "不是名册规定的列" in str(cell)
                       for row in book["说明"].iter_rows(values_only=True) for cell in row)
        assert "备注" in next(book[book.sheetnames[0]].iter_rows(values_only=True))
    elif fmt == "csv":
        assert "备注" in out.read_text(encoding="utf-8-sig").splitlines()[0]
    strict = run("eval", DISTRICT, str(extra), "--schools", SCHOOLS, *target, "--keep", "备注", "--strict")
    assert strict.exit_code == 0, strict.stderr  # asked for by name: no unknown column, even under --strict


def test_a_parameter_no_clause_reads_is_said_when_set():
    """fujian_pilot_district repeals FJ-X1, the only reader of new_teacher_years: `--set
    new_teacher_years=1` (and a sweep of it) changed nothing, and said nothing of why."""
    district = "policies/fujian_pilot_district.pol"
    roster = ["examples/teachers.csv", "--schools", "examples/schools.csv"]
    result = CliRunner().invoke(cli, ["diff", district, district, *roster, "--set", "new_teacher_years=1",
                                      "--lang", "zh"])
    assert "提示：--set new_teacher_years=1：本政策没有条款读取参数 new_teacher_years" in result.stderr
    swept = CliRunner().invoke(cli, ["diff", district, district, *roster, "--sweep", "new_teacher_years=1..3",
                                     "--lang", "en"])
    assert "no clause of this policy reads new_teacher_years" in swept.stderr
    read = CliRunner().invoke(cli, ["eval", district, *roster, "--set", "teacher_tenure=5", "--lang", "en"])
    assert read.exit_code == 0 and "no clause" not in read.stderr
    assert "no clause" not in CliRunner().invoke(cli, ["eval", "policies/fujian.pol", *roster, "--set",
                                                       "new_teacher_years=1"]).stderr  # FJ-X1 reads it there


def test_a_school_all_of_whose_teachers_are_left_out_keeps_its_name_in_the_summary(tmp_path):
    """Its name came from its decided teachers' rows, and it had none (HR trial hr25): the 汇总 row
    named the school by its code alone. The schools table names it."""
    lines = Path(TEACHERS).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    at_school, birth = header.index("school_id"), header.index("birth_date")
    school = lines[1].split(",")[at_school]
    rows = [line.split(",") for line in lines[1:]]
    for row in rows:
        if row[at_school] == school:
            row[birth] = "1980-13-45"
    roster = tmp_path / "t.csv"
    roster.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")
    out = tmp_path / "结论.xlsx"
    result = run("eval", DISTRICT, str(roster), "--schools", SCHOOLS, "--skip-invalid", "--lang", "zh", "-o", str(out))
    assert result.exit_code == 0, result.output
    by_school = {r[0]: r for r in list(load_workbook(out)["汇总"].iter_rows(values_only=True))[1:]}
    names = {r["school_id"]: r["name"] for r in csv.DictReader(open(SCHOOLS, encoding="utf-8-sig"))}
    assert by_school[school][1] == names[school] and by_school[school][-3] == sum(
        r[at_school] == school for r in rows)
