"""身份证号 in a roster (issue 11): checked (GB 11643, MOD 11-2), giving birth date and sex
where the roster lacks them, refused where they disagree, never shown whole in a message;
read alike by the row reader, the streamed reader and the API. The corpus is
tests/cases/rosters/id_numbers.csv."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

import policylang
from policylang.api import RosterError
from policylang.cli import cli
from policylang.io.columnar import read_frame
from policylang.io.id_number import check_character
from policylang.io.output import render
from policylang.lang.decisions import MonthDate

CASES = Path("tests/cases/rosters")
BAD = Path("tests/cases/rosters_bad")
ROSTER = CASES / "id_numbers.csv"
SCHOOLS = BAD / "schools.csv"
FULL_NUMBERS = [n for line in ROSTER.read_text(encoding="utf-8").splitlines()[1:] if (n := line.split(",")[2])]
EXPECTED = [  # row, column, code
    (4, "性别", "R022"), (5, "身份证号", "R021"), (7, "出生年月", "R006"), (7, "性别", "R006"),
    (8, "出生年月", "R022"), (11, "身份证号", "R021")]


def _policy():
    return policylang.load(BAD / "policy.pol")


def test_the_row_reader_checks_derives_and_refuses():
    roster = _policy().read_roster(ROSTER, SCHOOLS)
    assert [(p.row, p.column, p.code) for p in roster.problems] == EXPECTED
    values = {r.values["id"]: r.values for r in roster.teachers}
    assert (values["T01"]["birth_date"], values["T01"]["sex"]) == (dt.date(1980, 3, 1), "F")  # from the number
    assert values["T02"]["birth_date"] == dt.date(1975, 5, 6)  # 1975-05 agrees; the number gives the day
    assert not isinstance(values["T02"]["birth_date"], MonthDate)
    assert (values["T08"]["sex"], values["T08"]["id_number"]) == ("M", "11010519701212003X")  # x, canonical
    assert values["T09"]["id_number"] == "110105199204040009"  # full-width digits
    assert [r.values["id"] for r in roster.valid_teachers()] == ["T01", "T02", "T05", "T08", "T09"]


def test_a_text_number_ending_in_000_that_fails_its_check_is_said_to_have_lost_its_end():
    # Excel writes an ID kept as a number into a CSV as …015000: the check then fails, and the
    # message says why, as it does for the cell itself (it said only 校验码与前 17 位不符)
    from policylang.io.roster.plausible import id_number_reading

    lost = "110105198003010000"  # 110105198003010028 as Excel keeps it
    assert check_character(lost[:17]) != lost[17]
    _, [problem] = id_number_reading("t.csv", 2, "身份证号", lost, {}, {})
    assert problem.code == "R021" and "末三位为 000：多半是身份证号曾被存成数字" in problem.message("zh")
    assert "ends in 000: it was likely stored as a number" in problem.message("en")
    assert lost not in problem.message("zh") + problem.message("en")
    other = "35010219720301513" + ("0" if check_character("35010219720301513") != "0" else "1")
    _, [plain] = id_number_reading("t.csv", 2, "身份证号", other, {}, {})
    assert "000" not in plain.message("zh")  # not every wrong number ends so


@pytest.mark.parametrize("cell", ["3.50102E+17", "3.50102197203015E+17", 3.5010219720301e17, 1.10105198003059e17])
def test_a_number_stored_as_a_float_is_shown_by_its_shape_without_a_digit_of_it(cell):
    """The message showed `3.50…`: the first digits of an invalid number, which every other
    invalid number keeps back; and 110105********9008 for a number cell whose digits, padded by
    the float, pass the check by chance (an HR trial)."""
    from policylang.io.roster.plausible import id_number_reading

    _, [problem] = id_number_reading("t.csv", 2, "身份证号", cell, {}, {})
    assert problem.code == "R021" and "stored as a number" in problem.message("en")
    assert not any(ch.isdigit() for ch in problem.value)
    assert "E+" in problem.value if isinstance(cell, str) else problem.value == "*" * 18  # a float: its 18 digits
    assert not any(ch.isdigit() for ch in problem.message("en").split("`")[1])


def test_a_valid_number_ending_in_000_gives_no_sex(tmp_path):
    # a number cell cuts 440305198001010013 to …010000; one such number in eleven still passes its
    # check, and its 17th digit 0 would read a man as a woman: refused where it would give the sex
    first = next(f for day in range(1, 29) for d in range(10)
                 if check_character(f := f"440305198001{day:02d}{d}00") == "0")
    number = first + "0"
    assert number.endswith("000")
    header = "工号,身份证号,{}学校代码,到校时间,参加工作时间,在编在岗,孕期,农村任教年限\n"
    rest = "S1,2015-09-01,2002-09-01,是,否,0\n"
    without = tmp_path / "without.csv"
    without.write_text(header.format("") + f"T1,{number},{rest}", encoding="utf-8")
    given = tmp_path / "given.csv"  # a woman's: nothing the number gives is used, nothing to refuse
    given.write_text(header.format("性别,") + f"T1,{number},女,{rest}", encoding="utf-8")
    man = tmp_path / "man.csv"  # the sex given disagrees with the number's, as it did before
    man.write_text(header.format("性别,") + f"T1,{number},男,{rest}", encoding="utf-8")
    policy = _policy()
    for path, expected in ((without, [(2, "身份证号", "R021")]), (given, []), (man, [(2, "性别", "R022")])):
        roster = policy.read_roster(path, SCHOOLS)
        assert [(p.row, p.column, p.code) for p in roster.problems] == expected
        problems, _, _, _ = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
        assert problems == list(roster.problems)  # the streamed reader agrees
    [problem] = policy.read_roster(without, SCHOOLS).problems
    assert "由此得出的性别可能有误" in problem.message("zh") and number not in problem.message("zh")
    assert policy.read_roster(given, SCHOOLS).teachers[0].values["sex"] == "F"


def test_no_message_shows_a_number_whole():
    roster = _policy().read_roster(ROSTER, SCHOOLS)
    for problem in roster.problems:
        for text in (problem.message("en"), problem.message("zh"), problem.value or ""):
            assert not any(n in text for n in FULL_NUMBERS), text
    r022 = roster.problems[0]
    assert "110105********0020" in r022.message("zh") and r022.value == "M"


def test_the_streamed_reader_agrees(tmp_path):
    policy = _policy()
    roster = policy.read_roster(ROSTER, SCHOOLS)
    streamed = policy.stream_decisions(ROSTER, SCHOOLS, tmp_path / "d.csv", skip_invalid=True, chunk_rows=3)
    assert streamed.problems == list(roster.problems)
    assert (tmp_path / "d.csv").read_bytes() == render(policy.evaluate(roster, engine="reference"), "csv")
    problems, frame, _, _ = read_frame(policy.checked, ROSTER, SCHOOLS, skip_invalid=True, chunk_rows=4)
    assert problems == list(roster.problems)
    assert frame["birth_date"].to_list() == [r.values["birth_date"] for r in roster.valid_teachers()]
    assert frame["id_number"].to_list() == [r.values["id_number"] for r in roster.valid_teachers()]


def _number(birth: str, sequence: str) -> str:
    first = "440305" + birth + sequence
    return first + check_character(first)


TEACHER = {"id": "T1", "school_id": "S1", "school_start": "2015-09-01", "work_start": "2002-09-01",
           "on_staff": True, "pregnant": False, "rural_years": 0}
SCHOOL = {"school_id": "S1", "area": "urban"}


def test_the_api_decides_on_the_number_and_refuses_a_disagreement():
    policy = _policy()
    decided = policy.decide(TEACHER | {"身份证号": _number("19800301", "002")}, SCHOOL)
    assert decided.status == "must_rotate"
    with pytest.raises(RosterError) as caught:
        policy.decide(TEACHER | {"id_number": _number("19800301", "002"), "sex": "M", "birth_date": "1980-03-01"},
                      SCHOOL)
    assert [(p.code, p.column) for p in caught.value.problems] == [("R022", "sex")]
    with pytest.raises(RosterError) as caught:
        policy.decide(TEACHER | {"id_number": "440305198003010021"}, SCHOOL)  # a wrong check digit
    assert [p.code for p in caught.value.problems] == ["R021"]


def test_without_a_birth_date_column_a_roster_needs_the_number_not_the_column():
    roster = _policy().roster_from_records([TEACHER | {"id_number": _number("19800301", "001")}], [SCHOOL])
    assert roster.problems == () and roster.teachers[0].values["sex"] == "M"
    roster = _policy().roster_from_records([TEACHER], [SCHOOL])
    assert {(p.code, p.column) for p in roster.problems} == {("R001", "sex"), ("R001", "birth_date")}


def test_the_command_line_keeps_the_number_only_when_asked(tmp_path):
    args = ["eval", str(BAD / "policy.pol"), str(ROSTER), "--schools", str(SCHOOLS), "--skip-invalid", "--format",
            "json", "--lang", "zh"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert not any(n in result.output for n in FULL_NUMBERS)
    assert "110105********0020" in result.stderr
    kept = json.loads(CliRunner().invoke(cli, [*args, "--keep", "身份证号"]).stdout)
    assert [d["roster"]["id_number"] for d in kept][0] == "110105198003010028"


def test_a_workbook_says_how_it_was_made_with_the_roster_file_masked(tmp_path):
    """The 说明 sheet names the roster files and the command: a file named by its person
    (李四110105….csv, an -o named so) went into it whole, beside the same sheet's warnings naming it
    masked (``output.Notes`` masks them as a roster's problems are masked)."""
    from openpyxl import load_workbook

    number = _number("19850301", "002")
    roster = tmp_path / f"李四{number}.csv"
    roster.write_text(ROSTER.read_text(encoding="utf-8"), encoding="utf-8")
    written = tmp_path / f"结论{number[:6]}-{number[6:14]}-{number[14:]}.xlsx"
    result = CliRunner().invoke(cli, ["eval", str(BAD / "policy.pol"), str(roster), "--schools", str(SCHOOLS),
                                      "--skip-invalid", "-o", str(written)])
    assert result.exit_code == 0, result.output
    notes = [str(c) for row in load_workbook(written)["说明"].iter_rows(values_only=True) for c in row if c]
    masked = number[:6] + "*" * 8 + number[14:]
    assert any(f"李四{masked}.csv" in c for c in notes) and any(f"结论{masked}.xlsx" in c for c in notes), notes
    assert not any(number in c or number[6:14] in c for c in notes)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_explanation_names_the_person_with_a_number_in_their_name_masked(tmp_path, lang):
    """`explain` heads its text with the person's name as the roster gives it: a number typed into
    姓名 (王芳110105…) went whole into the explanation, which the studio and the service give too."""
    number = _number("19850301", "002")
    roster = tmp_path / "t.csv"
    roster.write_text(ROSTER.read_text(encoding="utf-8").replace(",王芳,", f",王芳{number},", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", lang, "explain", str(BAD / "policy.pol"), str(roster), "--schools",
                                      str(SCHOOLS), "--id", "T01"])
    assert result.exit_code == 0, result.output
    assert f"王芳{number[:6]}{'*' * 8}{number[14:]}" in result.stdout and number not in result.output


@pytest.mark.parametrize("number, masked", [("110105198003010028", "110105********0028"),
                                            ("110105 850301 002", "*" * 15)])
def test_a_name_is_read_with_an_id_number_in_it_masked_by_every_reader(tmp_path, number, masked):
    """A name is carried into every decisions file, explanation, studio page and answer unasked; an
    ID number typed into it (王芳110105…) was written whole where the 身份证号 column is written only
    with --keep 身份证号. Every reader reads the name with it masked, the key (工号) as written."""
    from openpyxl import Workbook

    lines = ROSTER.read_text(encoding="utf-8").replace(",王芳,", f",王芳{number},", 1).splitlines()
    roster = tmp_path / "t.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = Workbook()
    for line in lines:
        book.active.append(line.split(","))
    book.save(tmp_path / "t.xlsx")
    assert _policy().read_roster(roster, SCHOOLS).teachers[0].values["name"] == f"王芳{masked}"
    for source, suffix in (("t.csv", "csv"), ("t.csv", "json"), ("t.xlsx", "csv"), ("t.xlsx", "xlsx")):
        written = tmp_path / f"d.{suffix}"
        result = CliRunner().invoke(cli, ["eval", str(BAD / "policy.pol"), str(tmp_path / source), "--schools",
                                          str(SCHOOLS), "--skip-invalid", "-o", str(written)])
        assert result.exit_code == 0, result.output
        if suffix == "xlsx":
            from openpyxl import load_workbook
            text = " ".join(str(c) for sheet in load_workbook(written) for row in sheet.iter_rows(values_only=True)
                            for c in row if c)
        else:
            text = written.read_text(encoding="utf-8-sig")
        assert f"王芳{masked}" in text and number not in text, (source, suffix)


# ---- both readers judge every number alike (the streamed reader checks canonical ones in polars)

_BIRTHS = ["19800301", "19751231", "20000229", "19991301", "00000101", "19700101"]


@st.composite
def _id_rows(draw) -> list[tuple[str, str, str]]:
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        birth = draw(st.sampled_from(_BIRTHS))
        first = "440305" + birth + f"{draw(st.integers(0, 999)):03d}"
        number = first + check_character(first) if first[6:14] not in ("19991301", "00000101") else first + "0"
        kind = draw(st.sampled_from(["as is", "wrong check", "lower x", "full width", "short", "empty", "spaced",
                                     "ends in 000"]))
        if kind == "ends in 000":  # as a number cell keeps it: valid one time in eleven
            number = number[:15] + "000"
        elif kind == "wrong check":
            number = number[:17] + ("1" if number[17] != "1" else "2")
        elif kind == "lower x":
            number = number.lower()
        elif kind == "full width":
            number = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
        elif kind == "short":
            number = number[:15]
        elif kind == "empty":
            number = ""
        elif kind == "spaced":
            number = f" {number}\u3000"
        given_birth = draw(st.sampled_from(["", f"{birth[:4]}-{birth[4:6]}-{birth[6:]}", f"{birth[:4]}-{birth[4:6]}",
                                            "1980-04", "1980-03-02", "not a date"]))
        given_sex = draw(st.sampled_from(["", "M", "F", "男", "女", "?"]))
        rows.append((number, given_birth, given_sex))
    return rows


@settings(max_examples=int(os.environ.get("POLICYLANG_FUZZ_EXAMPLES", "40")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=_id_rows(), columns=st.sampled_from([("身份证号", "性别", "出生日期"), ("身份证号",), ("身份证号", "性别"),
                                                 ("身份证号", "出生年月")]))
def test_both_readers_judge_every_number_alike(tmp_path_factory, rows, columns):
    folder = tmp_path_factory.mktemp("ids")
    header = ["工号", *columns, "学校代码", "到校时间", "参加工作时间", "在编在岗", "孕期", "农村任教年限"]
    lines = [",".join(header)]
    for k, (number, birth, sex) in enumerate(rows):
        cells = {"身份证号": number, "性别": sex, "出生日期": birth, "出生年月": birth}
        lines.append(",".join([f"T{k}", *(cells[c] for c in columns), "S1", "2015-09-01", "2002-09-01", "是", "否", "0"]))
    path = folder / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    policy = _policy()
    roster = policy.read_roster(path, SCHOOLS)
    problems, frame, _, _ = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True, chunk_rows=3)
    assert problems == list(roster.problems)
    valid = roster.valid_teachers()
    for name in ("id_number", "birth_date", "sex"):
        assert (frame[name].to_list() if frame is not None else []) == [r.values[name] for r in valid], name


def test_a_number_typed_into_another_column_is_masked_in_its_problem_by_both_readers(tmp_path):
    # Typed into 出生年月 (or 工号, a count …), an ID number was quoted whole by the cell's own
    # problem (R002), where the 身份证号 column's problems mask it: a problem list goes into tickets.
    number = _number("19850301", "002")
    lines = ROSTER.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("出生年月")] = number
    roster_file = tmp_path / "typed.csv"
    roster_file.write_text("\n".join([lines[0], ",".join(row)]) + "\n", encoding="utf-8")
    policy = _policy()
    roster = policy.read_roster(roster_file, SCHOOLS)
    [problem] = [p for p in roster.problems if p.column == "出生年月"]
    assert problem.value == number[:6] + "*" * 8 + number[14:]
    assert number not in problem.message("zh") and problem.value in problem.message("zh")
    streamed = policy.stream_decisions(roster_file, SCHOOLS, tmp_path / "d.csv", skip_invalid=True)
    assert streamed.problems == list(roster.problems)
    with pytest.raises(RosterError) as raised:
        policy.decide(TEACHER | {"birth_date": number, "sex": "F"}, SCHOOL)
    assert not any(number in (p.message("en") + p.message("zh") + (p.value or "")) for p in raised.value.problems)


@pytest.mark.parametrize("key", ["id_number", "birth_date"])
def test_a_number_sent_in_a_list_is_masked_where_r015_quotes_the_list(key):
    """A client sending a list where a value belongs (`"id_number": ["110105…"]`, a property typed as a
    collection) is refused (R015), quoting the list as sent: the 身份证号 column's own number went whole
    into the problem, which the service answers and logs, while its other problems mask it."""
    number = _number("19850301", "002")
    with pytest.raises(RosterError) as raised:
        _policy().decide(TEACHER | {key: [number]}, SCHOOL)
    [problem] = [p for p in raised.value.problems if p.code == "R015"]
    assert number not in problem.message("en") + problem.message("zh") + problem.value
    assert number[:6] + "*" * 8 + number[14:] in problem.message("zh")


@pytest.mark.parametrize("where", ["学校代码", "header", "file"])
@pytest.mark.parametrize("form", ["18", "15", "parts"])
def test_a_number_is_masked_by_every_problem_whatever_made_it(tmp_path, where, form):
    """A problem's texts are masked where a problem is made (``model.RosterProblem``), not by each
    message's maker: a number typed as the school's code (an unknown school) or as the header of a
    column nothing reads was quoted whole by problems that did not mask, while R002's did. A
    first-generation 15-digit number (110105850301002), and one typed in parts with a dash or dot
    between them, were quoted whole anywhere but in the 身份证号 column: the file's name too."""
    number = _number("19850301", "002")
    number, masked = {"18": (number, number[:6] + "*" * 8 + number[14:]),
                      "15": ("110105850301002", "*" * 15),
                      "parts": (f"{number[:6]}—{number[6:14]}.{number[14:]}", number[:6] + "*" * 8 + number[14:])}[form]
    lines = ROSTER.read_text(encoding="utf-8").splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    if where == "header":
        header, row = header + [number], row + ["x"]
    elif where == "学校代码":
        row[header.index(where)] = number
    roster_file = tmp_path / (f"张三{number}.csv" if where == "file" else "typed.csv")
    roster_file.write_text("\n".join([",".join(header), ",".join(row)]) + "\n", encoding="utf-8")
    policy = _policy()
    roster = policy.read_roster(roster_file, SCHOOLS)
    said = list(roster.problems) + list(roster.warnings)
    quoting = [p for p in said if masked in p.message("zh") + p.message("en") + p.file]
    assert quoting, [p.message("en") for p in said]
    for p in said:
        assert number not in p.message("en") + p.message("zh") + (p.value or "") + (p.column or "") + p.file, p
    streamed = policy.stream_decisions(roster_file, SCHOOLS, tmp_path / "d.csv", skip_invalid=True)
    assert streamed.problems == list(roster.problems)


def test_an_18_digit_school_code_is_shown_not_masked(tmp_path):
    """A school's 18-digit code (its 统一社会信用代码) has no birth date in it: an unknown one and the
    code suggested for it are shown, since the official must read them to fix the row."""
    known, typed = "320102200100000001", "320102200100000002"
    schools = tmp_path / "schools.csv"
    schools.write_text(SCHOOLS.read_text(encoding="utf-8").replace("S1,", f"{known},", 1), encoding="utf-8")
    lines = ROSTER.read_text(encoding="utf-8").splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    row[header.index("学校代码")] = typed
    roster_file = tmp_path / "typed.csv"
    roster_file.write_text("\n".join([lines[0], ",".join(row)]) + "\n", encoding="utf-8")
    roster = _policy().read_roster(roster_file, schools)
    [problem] = [p for p in roster.problems if p.code == "R005"]
    assert problem.value == typed and typed in problem.message("zh") and known in problem.message("zh")
