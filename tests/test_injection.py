"""Hostile roster values in every output (issue 12, items 3 and 5).

Formula injection: a text cell of a CSV or XLSX output that starts with = + - @ TAB or CR
must not be read as a formula by a spreadsheet. Terminal injection: rich markup and control
sequences in a value must be shown as text, never obeyed, wherever a value reaches a
terminal (tables, explanations, reports, problem messages, diagnostics).

The values are in tests/cases/injection/values.json; they go into teacher ids, names and
school ids, and every command runs on them through the command line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner
from openpyxl import load_workbook

from policylang import api
from policylang.core.text_width import TRIMMED
from policylang.cli import cli

CASES = Path(__file__).parent / "cases" / "injection"
VALUES = json.loads((CASES / "values.json").read_text(encoding="utf-8"))
HOSTILE = VALUES["formulas"] + VALUES["terminal"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")  # (full-width: a Chinese input method's)
DISTRICT = "policies/fujian_pilot_district.pol"
BASE = "policies/fujian.pol"
TEACHERS = "examples/teachers.csv"
SCHOOLS = "examples/schools.csv"
# what a terminal must never receive from a value: C0 but newline, DEL, C1, bidirectional overrides
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def unquote(cell: str) -> str:
    """A CSV cell as it was before the formula escape (a quote before a trigger character)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(TRIGGERS) else cell


def _rows(path=TEACHERS) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def hostile_roster(tmp_path: Path, ids: list[str] | None = None) -> Path:
    """The sample roster with the hostile values as the ids and names of some teachers (the
    first ones, or those with ``ids``)."""
    rows = _rows()
    targets = [r for r in rows if r["id"] in ids] if ids else rows
    for row, value in zip(targets, HOSTILE):
        row["id"] = row["name"] = value
    return _write(tmp_path / "teachers.csv", rows)


def ids_as_read(teachers: Path) -> list[str]:
    """The ids as the reader reads them (it strips surrounding blanks), from the JSON output."""
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--format", "json")
    assert result.exit_code == 0, result.output
    return [d["id"] for d in json.loads(result.stdout)]


def assert_no_formula_in_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(TRIGGERS), (column, cell)
    return rows


def assert_no_formula_in_xlsx(path: Path) -> list[list]:
    sheet = load_workbook(path).worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type not in ("f", "e"), (cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                assert cell.quotePrefix, (cell.coordinate, cell.value)  # Excel's "typed with a leading quote"
        rows.append([c.value for c in row])
    return rows


def assert_terminal_safe(text: str) -> None:
    found = UNSAFE.search(text)
    where = text[max(0, found.start() - 40):found.end() + 40] if found else ""
    assert found is None, f"{found.group()!r} reaches the terminal: {where!r}"


def assert_shown_as_text(text: str) -> None:
    """The markup and the control sequences of the hostile values appear as text."""
    assert_terminal_safe(text)
    assert "[/bold]" in text
    assert "[link=http://x]y[/link]" in text
    assert r"\x1b]0;title\x07" in text
    assert ":cow:" in text and "🐄" not in text


# ---- eval ----------------------------------------------------------------------------


@pytest.fixture
def roster(tmp_path):
    teachers = hostile_roster(tmp_path)
    return teachers, ids_as_read(teachers)


def test_the_reader_keeps_the_hostile_ids(roster):
    _, ids = roster
    assert ids[:len(HOSTILE)] == [v.strip(TRIMMED) for v in HOSTILE]


def test_eval_csv_escapes_formulas(roster):
    teachers, ids = roster
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = assert_no_formula_in_csv(result.stdout)
    assert [unquote(r["id"]) for r in rows] == ids
    assert rows[0]["id"] == "'=cmd|' /C calc'!A6"
    assert rows[ids.index("-3")]["id"] == "'-3"  # a text id, not a number: escaped like any text


@pytest.mark.parametrize("extra", [[], ["--bom"], ["--fired"]], ids=["streamed", "in memory", "streamed fired"])
def test_eval_csv_file_escapes_formulas_on_every_path(roster, tmp_path, extra):
    """``-o out.csv`` streams through the columnar writer (``--bom`` goes through the row path):
    the same escape, the same bytes as on standard output."""
    teachers, ids = roster
    out = tmp_path / "out.csv"
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    rows = assert_no_formula_in_csv(text)
    assert [unquote(r["id"]) for r in rows] == ids
    stdout = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--format", "csv", *extra).stdout
    assert text == stdout.lstrip("\ufeff")


def test_eval_xlsx_writes_text_cells_never_formulas(roster, tmp_path):
    teachers, ids = roster
    out = tmp_path / "out.xlsx"
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", out)
    assert result.exit_code == 0, result.output
    rows = assert_no_formula_in_xlsx(out)
    # the text as read, except what XML cannot hold (ESC, BEL): shown as in a terminal; and XML
    # reads a carriage return as a newline (Excel would write _x000D_, which openpyxl reads as such)
    shown = [i.replace("\x1b", r"\x1b").replace("\x07", r"\x07").replace("\r", "\n") for i in ids]
    assert [r[0] for r in rows[1:]] == shown
    assert rows[1][0] == "=cmd|' /C calc'!A6"


def test_the_teachers_left_out_are_text_on_every_sheet_of_the_workbook(tmp_path):
    """--skip-invalid: a refused row's school as written (`=1+1`) goes to 未作结论 and is counted under
    it on 汇总: a cell of text on both, never a formula."""
    rows = _rows(TEACHERS)
    rows[2]["school_id"], rows[2]["birth_date"] = "=1+1", "1985-13-01"
    teachers = tmp_path / "t.csv"
    with open(teachers, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out.xlsx"
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--skip-invalid", "--lang", "zh", "-o", out)
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    seen = []
    for title in ("汇总", "未作结论"):
        for row in book[title].iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (title, cell.coordinate, cell.value)
                if cell.value == "=1+1":
                    assert cell.quotePrefix, (title, cell.coordinate)
                    seen.append(title)
    assert seen == ["汇总", "未作结论"]


def test_eval_json_keeps_every_value(roster):
    teachers, ids = roster
    text = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--format", "json").stdout
    assert_terminal_safe(text)  # JSON escapes control characters itself: \u001b, \u009b, \u202e
    assert [d["id"] for d in json.loads(text)] == ids


def test_eval_table_shows_markup_and_control_characters_as_text(roster):
    teachers, _ = roster
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--format", "table", "--limit", len(HOSTILE),
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    assert_shown_as_text(result.stdout)
    assert r"\u202egnp.exe" in result.stdout and r"\x9b31mred" in result.stdout


def test_eval_csv_on_a_terminal_shows_control_characters(roster):
    """CSV to standard output is data, written as it is, unless standard output is a terminal."""
    from policylang.io.safe_text import terminal_bytes

    teachers, _ = roster
    data = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--format", "csv").stdout_bytes
    shown = terminal_bytes(data).decode("utf-8")
    assert_terminal_safe(shown)
    assert r"\x1b]0;title\x07" in shown and "'=cmd|' /C calc'!A6" in shown


# ---- explain -----------------------------------------------------------------------


def test_explain_shows_markup_and_control_characters_as_text(roster):
    teachers, ids = roster
    args = [a for i in ids[:len(HOSTILE)] for a in ("--id", i)]
    result = run("explain", DISTRICT, teachers, "--schools", SCHOOLS, *args, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert_shown_as_text(result.stdout)
    assert "[/bold] ([/bold]) — reference date" in result.stdout
    assert r"a\nb (a\nb) — reference date" in result.stdout  # a value never starts a line of its own


def test_explain_shows_a_hostile_field_value_as_text(tmp_path):
    rows = _rows()
    rows[0]["subject"] = "\x1b]0;title\x07[/bold]"
    teachers = _write(tmp_path / "teachers.csv", rows)
    policy = tmp_path / "p.pol"
    policy.write_text('policy "p"\n  as of 2025-09-01\nsource S "s"\nrule R1 "r"\n  cite S "1"\n'
                      '  when subject = "体育"\n  then must_rotate\n', encoding="utf-8")
    result = run("explain", policy, teachers, "--schools", SCHOOLS, "--id", "T0001", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.stdout)
    assert r"\x1b]0;title\x07[/bold]" in result.stdout


# ---- diff --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def changed_ids():
    result = run("diff", BASE, DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "json")
    return [p["id"] for p in json.loads(result.stdout)["persons"]]


@pytest.fixture
def diff_roster(tmp_path, changed_ids):
    teachers = hostile_roster(tmp_path, changed_ids[:len(HOSTILE)])
    return teachers, set(ids_as_read(teachers)) - set(_ids_of(TEACHERS))


def _ids_of(path):
    return [r["id"] for r in _rows(path)]


def _diff(teachers, *args):
    return run("diff", BASE, DISTRICT, teachers, "--schools", SCHOOLS, "--lang", "en", *args)


def test_diff_persons_csv_escapes_formulas(diff_roster):
    teachers, hostile = diff_roster
    result = _diff(teachers, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = assert_no_formula_in_csv(result.stdout)
    assert hostile <= {unquote(r["id"]) for r in rows}


def test_diff_persons_xlsx_writes_text_cells_never_formulas(diff_roster, tmp_path):
    teachers, hostile = diff_roster
    out = tmp_path / "changes.xlsx"
    result = _diff(teachers, "-o", out)
    assert result.exit_code == 0, result.output
    rows = assert_no_formula_in_xlsx(out)
    ids = {r[0] for r in rows[1:]}
    assert {i.replace("\r", "\n") for i in hostile if "\x1b" not in i} <= ids
    assert r"\x1b]0;title\x07" in ids


def test_diff_text_report_shows_control_characters_as_text(diff_roster):
    teachers, _ = diff_roster
    result = _diff(teachers, "--limit", 400)
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.stdout)
    assert "[/bold]" in result.stdout and r"\x1b]0;title\x07" in result.stdout and r"a\nb: " in result.stdout


def test_diff_text_report_shows_a_hostile_school_name_as_text(tmp_path):
    # the breakdown by school now shows each school's name from the schools file
    schools = _rows(SCHOOLS)
    schools[0]["name"], schools[1]["name"] = "\x1b]0;title\x07", "[link=http://x]y[/link]"
    path = _write(tmp_path / "schools.csv", schools)
    result = run("diff", BASE, DISTRICT, TEACHERS, "--schools", path, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.stdout)
    assert r"\x1b]0;title\x07" in result.stdout and "[link=http://x]y[/link]" in result.stdout


def test_diff_html_and_json_reports(diff_roster, tmp_path):
    teachers, hostile = diff_roster
    out = tmp_path / "r.html"
    assert _diff(teachers, "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert_terminal_safe(page.replace("\n", ""))
    assert r"\x1b]0;title\x07" in page and "[link=http://x]y[/link]" in page
    text = _diff(teachers, "--format", "json").stdout
    assert_terminal_safe(text)
    assert hostile <= {p["id"] for p in json.loads(text)["persons"]}


# ---- quota -------------------------------------------------------------------------

SCHOOL_IDS = {"S01": "[/bold]", "S02": "\x1b]0;title\x07", "S03": "=HYPERLINK(\"http://x\")",
              "S04": "[link=http://x]y[/link]"}


@pytest.fixture
def quota_roster(tmp_path):
    schools = _rows(SCHOOLS)
    for s in schools:
        s["school_id"] = SCHOOL_IDS.get(s["school_id"], s["school_id"])
    teachers = _rows()
    for t, value in zip(teachers, HOSTILE):
        t["id"] = t["name"] = value
    for t in teachers:
        t["school_id"] = SCHOOL_IDS.get(t["school_id"], t["school_id"])
    return _write(tmp_path / "teachers.csv", teachers), _write(tmp_path / "schools.csv", schools)


def test_quota_table_shows_markup_and_control_characters_as_text(quota_roster):
    teachers, schools = quota_roster
    result = run("quota", DISTRICT, teachers, "--schools", schools, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert_terminal_safe(result.stdout)
    # each group by its school id and the school's name (as the roster gives it) after it
    assert "school [/bold] " in result.stdout and r"school \x1b]0;title\x07 " in result.stdout
    assert "school [link=http://x]y[/link] " in result.stdout


def test_quota_json_keeps_the_groups(quota_roster):
    teachers, schools = quota_roster
    text = run("quota", DISTRICT, teachers, "--schools", schools, "--format", "json").stdout
    assert_terminal_safe(text)
    assert set(SCHOOL_IDS.values()) <= {p["group"] for p in json.loads(text)}


# ---- problems and diagnostics -----------------------------------------------------


def test_problem_messages_show_a_cell_as_text(tmp_path):
    rows = _rows()
    rows[0]["birth_date"] = "\x1b]0;title\x07"
    rows[1]["school_id"] = "[link=http://x]y[/link]"
    rows[2]["sex"] = "\x9b31m[/bold]"
    teachers = _write(tmp_path / "teachers.csv", rows)
    for args in ([], ["-o", tmp_path / "out.csv"]):
        result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--lang", "en", *args)
        assert result.exit_code == 3
        assert_terminal_safe(result.stderr)
        assert r"`\x1b]0;title\x07` is not a date" in result.stderr
        assert "[link=http://x]y[/link]" in result.stderr and r"\x9b31m[/bold]" in result.stderr


def test_diagnostics_show_a_control_character_of_the_source_as_text(tmp_path):
    policy = tmp_path / "p.pol"
    # a lint on the line (no citation): the caret spans the line as shown, escape included
    policy.write_text('policy "p"\n  as of 2025-09-01\nsource S "s"\nrule R1 "\x1b[31mred"\n'
                      '  when tenure >= 1 years\n  then must_rotate\n', encoding="utf-8")
    result = run("check", policy, "--lang", "en")
    assert_terminal_safe(result.stderr)
    lines = result.stderr.splitlines()
    at = lines.index(r'4 | rule R1 "\x1b[31mred"')
    assert lines[at + 1] == "  | " + "^" * len(r'rule R1 "\x1b[31mred"')


def test_test_check_and_doc_show_a_hostile_title_and_file_name_as_text(tmp_path):
    """The security review: a test's title, a policy's title and the file's own name reached the
    terminal raw from `test` and `check` (an OSC title, a colour, a right-to-left override), and
    `doc`'s page carried them raw into its HTML."""
    hostile = "\x1b]0;PWN\x07\x1b[31mevil\u202e"
    policy = tmp_path / f"{hostile}.pol"
    policy.write_text(f'policy "T{hostile}"\n  as of 2025-09-01\nsource S "s{hostile}"\n'
                      f'rule R1 "r{hostile}" cite S "1"\n  when tenure >= 1 years\n  then must_rotate\n'
                      f'test "t{hostile}"\n  teacher {{ sex: F, birth_date: 1985-01-01, work_start: 2008-09-01, '
                      f'school_start: 2015-09-01 }}\n  school {{ school_id: "S1" }}\n  expect status eligible\n',
                      encoding="utf-8")
    for command in (["test", policy], ["test", policy, "--coverage"], ["check", policy]):
        result = run(*command, "--lang", "en")
        assert_terminal_safe(result.stdout + result.stderr)
        assert "\\x1b]0;PWN" in result.stdout + result.stderr  # shown, not run
    page = tmp_path / "p.html"
    assert run("doc", policy, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html and "\\x1b]0;PWN" in html


# ---- the rules themselves ---------------------------------------------------------


def test_spreadsheet_escape_rules():
    from policylang.io.safe_text import csv_cell

    for value in HOSTILE:
        cell = csv_cell(value)
        assert not cell.startswith(TRIGGERS) and unquote(cell) == value
    assert csv_cell("-3") == "'-3" and csv_cell("'=x") == "'=x" and csv_cell("") == ""
    assert csv_cell(-3) == -3 and csv_cell(-2.5) == -2.5  # numbers stay numbers
    assert csv_cell("T0001") == "T0001" and csv_cell("a=b") == "a=b"


_JSON_UNSAFE = "\x7f\x80\x85\x9b\x9f\u061c\u200e\u200f\u202a\u202e\u2066\u2069\u2028\u2029"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(_JSON_UNSAFE + "a\"\\中\u00e9\u00a0\u00b7\u201c\u2027\u202f\u0600\U0001f600\x00\n")),
       st.sampled_from([0, 1, 4096]))
def test_json_text_escapes_what_it_promises_however_the_text_is_found(text, looked_at):
    """``json_text`` looks for the first UTF-8 byte of each character it escapes, and the bytes
    after it, before running its pattern (``·`` and ``“`` share a first byte with some; past
    ``looked_at`` such bytes it runs the pattern): it must escape exactly the pattern's
    characters, and leave the rest as they are, in text and in UTF-8."""
    from policylang.io import safe_text

    expected = "".join(f"\\u{ord(c):04x}" if c in _JSON_UNSAFE else c for c in text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(safe_text, "_LOOKED_AT", looked_at)
        assert safe_text.json_text(text) == expected
        assert safe_text.json_utf8(text) == expected.encode("utf-8")


def test_the_streamed_escape_is_the_row_escape():
    import polars as pl

    from policylang.io.safe_text import csv_cell, spreadsheet_expr, spreadsheet_frame

    values = HOSTILE + ["", "T0001", "'=x", " =x", "＝1", "a-b", None]
    expected = [None if v is None else csv_cell(v) for v in values]
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8}).select(spreadsheet_expr(pl.col("v")))
    assert frame["v"].to_list() == expected
    # the frame's form, which joins only in a column holding such a cell: each column as the rule says,
    # the hostile values in any column, and at any row
    for at in (0, len(values) - 1):
        codes = ["eligible"] * len(values)
        hostile = codes[:at] + ["=1+1"] + codes[at + 1:]
        frame = pl.DataFrame({"v": values, "codes": codes, "one": hostile, "n": range(len(values))})
        safe = spreadsheet_frame(frame, ["v", "codes", "one"])
        assert safe["v"].to_list() == expected and safe["n"].to_list() == list(range(len(values)))
        assert safe["codes"].to_list() == codes and safe["one"].to_list() == [csv_cell(v) for v in hostile]
    assert spreadsheet_frame(frame.head(0), ["v"]).height == 0
    # a column whose one such cell starts with any of the characters (found by its first byte)
    from policylang.io.safe_text import FORMULA_START

    for start in FORMULA_START:
        one = ["eligible", f"{start}1", "（注）", None]
        assert spreadsheet_frame(pl.DataFrame({"one": one}), ["one"])["one"].to_list() == \
            [None if v is None else csv_cell(v) for v in one]


def test_decisions_with_hostile_ids_in_every_writer(tmp_path):
    """Values the reader cannot produce (a leading tab or CR: it strips them) still meet the rule."""
    from policylang.io.output import csv_bytes, xlsx_bytes

    policy = api.load(DISTRICT)
    decisions = policy.evaluate(policy.read_roster(TEACHERS, SCHOOLS))[:len(HOSTILE)]
    decisions = [attrs.evolve(d, id=v) for d, v in zip(decisions, HOSTILE)]
    rows = assert_no_formula_in_csv(csv_bytes(decisions).decode("utf-8"))
    assert [unquote(r["id"]) for r in rows] == HOSTILE
    path = tmp_path / "d.xlsx"
    path.write_bytes(xlsx_bytes(decisions))
    ids = [r[0] for r in assert_no_formula_in_xlsx(path)[1:]]
    # XML reads a carriage return as a newline (Excel would write _x000D_, which openpyxl reads as such)
    assert ids[:6] == [v.replace("\r", "\n") for v in HOSTILE[:6]] and ids[4] == "\ttab"


def test_terminal_text_rules():
    from policylang.io.safe_text import terminal_text

    assert terminal_text("\x1b]0;title\x07") == r"\x1b]0;title\x07"
    assert terminal_text("a\nb\tc\rd") == r"a\nb\tc\rd"
    assert terminal_text("a\nb", newlines=True) == "a\nb"
    assert terminal_text("\x7f\x9b\u202e\u2028") == r"\x7f\x9b\u202e\u2028"
    assert terminal_text("[/bold] 邵欣 ✓") == "[/bold] 邵欣 ✓"  # markup: values go to rich as Text
    assert terminal_text(None) == "" and terminal_text(3) == "3"
