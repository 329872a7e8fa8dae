"""A roster whose ids are resident ID numbers (a county without staff numbers: 工号 holding each
teacher's 身份证号). Every decisions file carries the id, and an ID number is written only when asked
(``--keep 身份证号``): such an id is written masked (110105********0028) in every format, the
streamed writer's and the in-memory one's, said with R061 in both languages; asked for, whole.
Only the shown id is masked: duplicates, explain and the service's answer use the full value.
The corpus is tests/cases/rosters/ids_are_id_numbers.csv (two of its people, 王芳 and 李红, have
ids whose masked forms coincide: one county, the same last four)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from policylang.cli import cli
from policylang.io.id_column import IdsShown, holds_id_numbers, shown_ids
from policylang.io.id_number import (check_character, holds_id_number, mask_id_number, masked_in_text,
                                     parse_id_number)

from .conftest import studio_with_roster

CASES = Path("tests/cases/rosters")
BAD = Path("tests/cases/rosters_bad")
ROSTER = CASES / "ids_are_id_numbers.csv"
POLICY = BAD / "policy.pol"
SCHOOLS = BAD / "schools.csv"
LINES = ROSTER.read_text(encoding="utf-8").splitlines()
NUMBERS = [line.split(",")[0] for line in LINES[1:]]
ALIKE = "110105********0028"  # 王芳's and 李红's ids, masked


def _number(born: str, seq: str, area: str = "110105") -> str:
    first = area + born + seq
    return first + check_character(first)


def _eval(*args: str, lang: str = "zh"):
    return CliRunner().invoke(cli, ["eval", str(POLICY), *args, "--schools", str(SCHOOLS), "--lang", lang])


def _no_full_number(cells) -> None:
    """No cell holds an ID number whole: each is as masking leaves it (``masked_in_text``), and
    no roster number is in it, upper or lower case."""
    for cell in cells:
        text = "" if cell is None else str(cell)
        assert masked_in_text(text) == text, text
        assert not any(n.upper() in text.upper() for n in NUMBERS), text


def _workbook_cells(path: Path) -> list:
    from openpyxl import load_workbook

    return [c for sheet in load_workbook(path) for row in sheet.iter_rows(values_only=True) for c in row]


def _xlsx_roster(tmp_path: Path) -> Path:
    import xlsxwriter

    path = tmp_path / "名册.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("教师")
    for r, line in enumerate(LINES):
        sheet.write_row(r, 0, line.split(","))  # as text: an 18-digit 工号 is a text cell
    book.close()
    return path


# ---- the rule ------------------------------------------------------------------------------


def test_a_valid_number_is_masked_as_mask_id_number_masks_it_and_nothing_else_is_touched():
    ids = [*NUMBERS, " ４４０３０５１９９００１１５００７Ｘ ", "T0001", "", None, "00123", "320102200100000001"]
    shown, found = shown_ids(pl.Series("id", ids), column_of_numbers=False)
    assert found == len(NUMBERS) + 1
    assert shown.to_list() == [mask_id_number(n) for n in NUMBERS] + [
        "440305********007X", "T0001", "", None, "00123", "320102200100000001"]


def test_in_a_column_of_numbers_one_that_only_looks_like_one_is_masked_as_a_message_masks_it():
    typo = NUMBERS[0][:17] + ("1" if NUMBERS[0][17] != "1" else "2")  # the check character mistyped
    parts = f"{NUMBERS[2][:6]} {NUMBERS[2][6:14]} {NUMBERS[2][14:]}"
    ids = pl.Series("id", [*NUMBERS, typo, parts])
    assert holds_id_numbers(ids)
    shown, found = shown_ids(ids, column_of_numbers=True)
    assert found == len(NUMBERS) + 2
    assert shown.to_list()[-2:] == [masked_in_text(typo), masked_in_text(parts)] == ["*" * 18, "320102********0137"]
    # a column of staff numbers some of which look like one (15 digits with a date-like middle) is left alone
    staff = pl.Series("id", [f"{k:015d}" for k in range(1, 400)] + ["110105800301002"])
    assert not holds_id_numbers(staff)
    assert shown_ids(staff, column_of_numbers=False)[0].to_list() == staff.to_list()


def test_a_new_teacher_given_a_number_among_staff_numbers_is_masked_too():
    ids = pl.Series("id", [f"T{k:04d}" for k in range(200)] + [NUMBERS[2]])
    shown = IdsShown()
    assert shown(ids).to_list()[-1] == "320102********0137" and shown.numbers is False
    assert shown.found() == 1
    assert IdsShown(whole=True)(ids).to_list() == ids.to_list()


def test_the_vectorised_check_agrees_with_parse_id_number():
    import random

    rng = random.Random(7)
    ids = []
    for _ in range(3000):
        number = _number(f"{rng.randint(1900, 2030)}{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}",
                         f"{rng.randint(0, 999):03d}", f"{rng.randint(110000, 659999)}")
        if rng.random() < 0.3:  # a digit or the check character changed
            k = rng.randrange(18)
            number = number[:k] + rng.choice("0123456789X") + number[k + 1:]
        ids.append(number)
    shown, _ = shown_ids(pl.Series("id", ids), column_of_numbers=False)
    for number, got in zip(ids, shown.to_list()):
        try:
            parse_id_number(number)
            assert got == mask_id_number(number), number
        except ValueError:
            assert got == number


def test_the_ids_shown_count_the_last_pass_of_a_streamed_writer():
    shown = IdsShown()
    for batch in (NUMBERS, NUMBERS[:2], ["T1", "T2"], NUMBERS[:3]):  # a first pass, then a second of two chunks
        shown(pl.Series("id", batch))
    assert shown.found(5) == 3 and shown.found() == 10


# ---- eval ------------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["bulk", "reference"])  # a CSV file streamed, and written in memory
def test_a_csv_file_holds_the_ids_masked_and_says_so(tmp_path, engine):
    out = tmp_path / "结论.csv"
    result = _eval(str(ROSTER), "-o", str(out), "--engine", engine)
    assert result.exit_code == 0, result.output
    frame = pl.read_csv(out, infer_schema=False)
    assert frame["工号"].to_list() == [mask_id_number(n) for n in NUMBERS]
    assert frame["工号"].to_list()[:2] == [ALIKE, ALIKE] and frame["姓名"].to_list()[:2] == ["王芳", "李红"]
    _no_full_number(v for row in frame.iter_rows() for v in row)
    assert "[R061]" in result.stderr and "全部 5 人的工号是身份证号" in result.stderr
    assert "--keep 身份证号" in result.stderr and not any(n in result.output for n in NUMBERS)


@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_json_and_parquet_files_hold_the_ids_masked(tmp_path, fmt):
    out = tmp_path / f"d.{fmt}"
    result = _eval(str(ROSTER), "-o", str(out), lang="en")
    assert result.exit_code == 0, result.output
    if fmt == "json":
        objects = json.loads(out.read_text(encoding="utf-8"))
        ids = [o["id"] for o in objects]
        _no_full_number(json.dumps(o, ensure_ascii=False) for o in objects)
    else:
        frame = pl.read_parquet(out)
        ids = frame["id"].to_list()
        _no_full_number(v for row in frame.iter_rows() for v in row)
    assert ids == [mask_id_number(n) for n in NUMBERS]
    assert "[R061]" in result.stderr and "all 5 ids are resident ID numbers" in result.stderr


def test_json_on_standard_output_holds_the_ids_masked():
    result = _eval(str(ROSTER), "--format", "json", lang="en")
    assert result.exit_code == 0, result.output
    assert [o["id"] for o in json.loads(result.stdout)] == [mask_id_number(n) for n in NUMBERS]


def test_a_workbook_from_a_workbook_holds_the_ids_masked_and_its_notes_say_so(tmp_path):
    out = tmp_path / "结论.xlsx"
    result = _eval(str(_xlsx_roster(tmp_path)), "-o", str(out))
    assert result.exit_code == 0, result.output
    cells = _workbook_cells(out)
    _no_full_number(cells)
    assert cells.count(ALIKE) == 2
    assert any("[R061]" in str(c) and "已脱敏" in str(c) for c in cells)  # the 说明 sheet


def test_a_workbook_names_the_rows_left_out_by_their_masked_ids(tmp_path):
    roster = tmp_path / "t.csv"
    roster.write_text("\n".join([LINES[0], LINES[1].replace(",S1,", ",S9,"), *LINES[2:]]) + "\n", encoding="utf-8")
    out = tmp_path / "结论.xlsx"
    result = _eval(str(roster), "-o", str(out), "--skip-invalid")
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    left = list(load_workbook(out)["未作结论"].iter_rows(values_only=True))
    assert left[1][1] == ALIKE
    _no_full_number(_workbook_cells(out))


def test_the_table_shows_the_ids_masked():
    result = _eval(str(ROSTER), "--format", "table")
    assert result.exit_code == 0, result.output
    assert ALIKE in result.stdout and not any(n in result.output for n in NUMBERS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_keep_id_number_writes_them_whole_and_says_so(tmp_path, lang):
    out = tmp_path / "结论.csv"
    result = _eval(str(ROSTER), "-o", str(out), "--keep", "身份证号", lang=lang)
    assert result.exit_code == 0, result.output
    assert pl.read_csv(out, infer_schema=False).to_series(0).to_list() == NUMBERS
    said = "完整写出" if lang == "zh" else "written whole"
    assert "[R061]" in result.stderr and said in result.stderr
    out = tmp_path / "结论.xlsx"
    assert _eval(str(ROSTER), "-o", str(out), "--keep", "id_number", lang=lang).exit_code == 0
    assert set(NUMBERS) <= {str(c) for c in _workbook_cells(out)}


def test_keep_id_number_of_a_roster_of_staff_numbers_without_one_is_still_refused(tmp_path):
    roster = tmp_path / "t.csv"
    roster.write_text("\n".join([LINES[0]] + [f"T{k}" + line[line.index(","):] for k, line in enumerate(LINES[1:])])
                      + "\n", encoding="utf-8")
    for out in ("d.csv", "d.xlsx"):
        result = _eval(str(roster), "-o", str(tmp_path / out), "--keep", "身份证号")
        assert result.exit_code == 2 and "名册中没有“身份证号”列" in result.output, result.output
        assert not (tmp_path / out).exists()
    result = _eval(str(roster), "-o", str(tmp_path / "d.csv"))
    assert result.exit_code == 0 and "R061" not in result.output


def test_a_roster_of_staff_numbers_is_written_as_before(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "policies/national.pol", "examples/teachers.csv", "--schools",
                                      "examples/schools.csv", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["id"] == "T0001" and "R061" not in result.output


# ---- the full value inside ------------------------------------------------------------------


def test_two_people_whose_masked_ids_coincide_are_no_duplicates_but_one_number_twice_is(tmp_path):
    result = _eval(str(ROSTER), "-o", str(tmp_path / "d.csv"))
    assert result.exit_code == 0 and "R004" not in result.output
    twice = tmp_path / "twice.csv"
    twice.write_text("\n".join([*LINES, LINES[1].replace("王芳", "王芳芳")]) + "\n", encoding="utf-8")
    for out in ("d2.csv", "d2.xlsx"):
        result = _eval(str(twice), "-o", str(tmp_path / out))
        assert result.exit_code != 0 and "[R004]" in result.output, result.output
        assert not (tmp_path / out).exists()
        assert NUMBERS[0] not in result.output  # the problem names it masked
    result = _eval(str(twice), "-o", str(tmp_path / "d3.csv"), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert pl.read_csv(tmp_path / "d3.csv", infer_schema=False)["姓名"].to_list() == ["李红", "张敏", "刘洋", "陈静"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_takes_the_full_number_and_a_masked_one_it_can_tell_apart(lang):
    def explain(ident):
        return CliRunner().invoke(cli, ["--lang", lang, "explain", str(POLICY), str(ROSTER), "--schools", str(SCHOOLS),
                                        "--id", ident])

    result = explain(NUMBERS[1])
    assert result.exit_code == 0, result.output
    assert "李红" in result.stdout and ALIKE in result.stdout and not any(n in result.output for n in NUMBERS)
    result = explain("320102********0137")  # as copied from a decisions file
    assert result.exit_code == 0 and "张敏" in result.stdout, result.output
    result = explain(ALIKE)  # two people's
    assert result.exit_code != 0 and "王芳" in result.output and "李红" in result.output
    assert ("完整的身份证号" if lang == "zh" else "full ID number") in result.output
    result = explain("张敏")  # a name typed: the id said as the file shows it, which --id takes
    assert "320102********0137" in result.output and NUMBERS[2] not in result.output


# ---- the service ------------------------------------------------------------------------------


@pytest.fixture()
def service(tmp_path):
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from policylang.service.app import create_app
    from policylang.service.decision_log import DecisionLog

    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "corpus.pol").write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    log = tmp_path / "decisions.jsonl"
    client = TestClient(create_app(folder, decision_log=DecisionLog(log, batch=1)))
    client.__enter__()
    running = [True]

    def logged() -> str:
        """The log as written once the service has stopped: its thread writes a batch when it can."""
        if running:
            running.clear()
            client.__exit__(None, None, None)
        return log.read_text(encoding="utf-8")

    yield client, logged
    if running:
        client.__exit__(None, None, None)


def test_the_service_answers_the_callers_ids_and_logs_them_masked(service):
    client, log = service
    header = LINES[0].split(",")
    teachers = [dict(zip(header, line.split(","))) for line in LINES[1:]]
    schools = [dict(zip(("school_id", "name", "area", "students"), line.split(",")))
               for line in SCHOOLS.read_text(encoding="utf-8").splitlines()[1:]]
    answer = client.post("/v1/policies/corpus/decide", json={"teachers": teachers, "schools": schools})
    assert answer.status_code == 200, answer.text
    assert [d["id"] for d in answer.json()["decisions"]] == NUMBERS  # the caller's own ids, to join on
    text = log()
    assert not any(n.upper() in text.upper() for n in NUMBERS), text
    line = json.loads(text.splitlines()[-1])
    assert [d["id"] for d in line["decisions"]] == [mask_id_number(n) for n in NUMBERS]


def test_an_uploaded_rosters_decisions_file_holds_the_ids_masked(service):
    client, _log = service
    files = {"teachers": ("名册.csv", ROSTER.read_bytes(), "text/csv"),
             "schools": ("schools.csv", SCHOOLS.read_bytes(), "text/csv")}
    for fmt in ("csv", "xlsx"):
        answer = client.post(f"/v1/policies/corpus/evaluate?format={fmt}&lang=zh", files=files)
        assert answer.status_code == 200, answer.text
        assert "R061" in answer.headers.get("x-warnings", ""), answer.headers
        assert not any(n.encode() in answer.content for n in NUMBERS)
        if fmt == "csv":
            assert answer.content.decode("utf-8-sig").count(ALIKE) == 2


def test_holds_id_number_finds_every_roster_number():
    assert all(holds_id_number(n) for n in NUMBERS)


# ---- the studio ----------------------------------------------------------------------------------


def test_the_studio_shows_and_downloads_the_ids_masked_and_finds_a_person_by_either(tmp_path):
    with studio_with_roster(tmp_path, POLICY.read_text(encoding="utf-8"), ROSTER, SCHOOLS) as client:
        body = {"path": "corpus.pol", "text": POLICY.read_text(encoding="utf-8"), "lang": "zh"}
        page = client.post("/api/decisions", json=body).json()
        assert [r["id"] for r in page["rows"]] == [mask_id_number(n) for n in NUMBERS]
        # the roster's warnings say so, as eval's do (the studio has no --keep to offer)
        [said] = [w for w in client.post("/api/roster", json=body).json()["warnings"] if w["code"] == "R061"]
        assert said["message"]["zh"].startswith("全部 5 人的工号是身份证号") and "--keep" not in said["message"]["zh"]
        assert said["message"]["zh"].endswith("在搜索框输入完整号码可查到本人")  # (as the page finds a person)
        assert [r["name"] for r in client.post("/api/decisions", json=body | {"query": NUMBERS[1]}).json()["rows"]] \
            == ["李红"]
        assert [r["name"] for r in client.post("/api/decisions", json=body | {"query": ALIKE}).json()["rows"]] \
            == ["王芳", "李红"]
        explained = client.post("/api/explain", json=body | {"row": page["rows"][1]["row"]}).json()
        assert explained["id"] == ALIKE and "李红" in explained["explanation"]["text"]
        for fmt in ("xlsx", "csv"):
            answer = client.post("/api/download", json=body | {"format": fmt})
            assert answer.status_code == 200, answer.text
            assert not any(n.encode() in answer.content for n in NUMBERS)
            if fmt == "xlsx":  # its 说明 sheet says how the ids are written
                (tmp_path / "d.xlsx").write_bytes(answer.content)
                said = [str(c) for c in _workbook_cells(tmp_path / "d.xlsx") if "[R061]" in str(c)]
                assert said and not any("--keep" in c or "explain --id" in c for c in said)
            text = json.dumps(page, ensure_ascii=False) + json.dumps(explained, ensure_ascii=False)
            assert not any(n in text for n in NUMBERS)


# ---- quota ---------------------------------------------------------------------------------------


def test_quota_names_its_proposed_people_by_their_masked_ids(tmp_path):
    teachers = pl.read_csv("examples/teachers.csv", infer_schema=False)
    numbers = [_number(f"{1960 + k % 40}{1 + k % 12:02d}{1 + k % 28:02d}", f"{k % 1000:03d}", "350102")
               for k in range(teachers.height)]
    roster = tmp_path / "teachers.csv"
    teachers.with_columns(pl.Series("id", numbers)).write_csv(roster)
    args = ["quota", "policies/county_exchange.pol", str(roster), "--schools", "examples/schools.csv", "--lang", "zh"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "[R061]" in result.stderr and "350102********" in result.stdout
    # what shows the ids is the plan, by school: no word of decisions, nor of the roster's order
    assert "方案中的工号已脱敏" in result.stderr and "结论" not in result.stderr and "行序" not in result.stderr
    assert not any(n in result.output for n in numbers)
    for out in ("q.json", "q.xlsx"):
        assert CliRunner().invoke(cli, [*args, "-o", str(tmp_path / out)]).exit_code == 0
    text = (tmp_path / "q.json").read_text(encoding="utf-8")
    assert "350102********" in text and not any(n in text for n in numbers)
    cells = [str(c) for c in _workbook_cells(tmp_path / "q.xlsx") if c is not None]
    assert any("350102********" in c for c in cells) and any("[R061]" in c for c in cells)
    assert not any(n in c for c in cells for n in numbers)


def test_a_valid_number_of_a_birth_before_1900_is_no_persons_and_is_left_alone():
    """As the recogniser judges a birth year: of random 18-digit staff numbers, one in 300 passes the check
    with a real date of any year, one in 25,000 with a year from 1900 on."""
    old = _number("18991231", "001")
    assert shown_ids(pl.Series("id", [old]), column_of_numbers=False)[0].to_list() == [old] == [masked_in_text(old)]
