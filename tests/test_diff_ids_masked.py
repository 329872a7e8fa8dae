"""`policylang diff` of a roster whose ids are resident ID numbers (工号 holding 身份证号): every
report (text, JSON, CSV, XLSX, HTML) shows the changed people's ids masked as eval's decisions do
(``id_column``), says so with R061, and writes them whole with ``--keep 身份证号``; the people are
still matched on their full ids (王芳 and 李红, whose masked ids coincide, are two). The studio's
what-if page masks them too; the service's /v1/diff answers the caller's own ids and logs nothing.

The draft makes rule B-1 of tests/cases/rosters_bad/policy.pol need 11 years at the school instead
of 6: 王芳 (10 years) and 李红 (9) no longer must rotate, 陈静 (13) still must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policylang.cli import cli
from policylang.io.id_number import mask_id_number, masked_in_text

from .conftest import studio_with_roster
from .test_id_as_id_number import ALIKE, LINES, NUMBERS, POLICY, ROSTER, SCHOOLS

CHANGED = NUMBERS[:2]  # 王芳's and 李红's (both masked as ALIKE)
FORMATS = ("text", "json", "csv", "xlsx", "html")


@pytest.fixture()
def draft(tmp_path) -> Path:
    path = tmp_path / "draft.pol"
    text = POLICY.read_text(encoding="utf-8")
    assert "tenure at least 6 years" in text
    path.write_text(text.replace("tenure at least 6 years", "tenure at least 11 years"), encoding="utf-8")
    return path


def _diff(draft: Path, *args: str, lang: str = "zh"):
    return CliRunner().invoke(cli, ["diff", str(POLICY), str(draft), str(ROSTER), "--schools", str(SCHOOLS),
                                    "--lang", lang, *args])


def _cells(path: Path) -> list[str]:
    from openpyxl import load_workbook

    return [str(c) for sheet in load_workbook(path) for row in sheet.iter_rows(values_only=True) for c in row
            if c is not None]


def _written(draft: Path, tmp_path: Path, fmt: str, *args: str, lang: str = "zh") -> tuple[str, object]:
    """The report in ``fmt`` as text (a workbook's cells, one a line), and the run."""
    if fmt == "text":
        result = _diff(draft, *args, lang=lang)
        assert result.exit_code == 0, result.output
        return result.stdout, result
    out = tmp_path / f"report.{fmt}"
    result = _diff(draft, *args, "-o", str(out), lang=lang)
    assert result.exit_code == 0, result.output
    return ("\n".join(_cells(out)) if fmt == "xlsx" else out.read_text(encoding="utf-8-sig")), result


def _no_full_number(text: str) -> None:
    """No ID number whole in ``text``: it is as masking leaves it (``masked_in_text``), and no roster
    number is in it, upper or lower case."""
    assert masked_in_text(text) == text
    assert not any(n.upper() in text.upper() for n in NUMBERS)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_of_diff_shows_the_changed_peoples_ids_masked_and_says_so(draft, tmp_path, fmt, lang):
    text, result = _written(draft, tmp_path, fmt, lang=lang)
    _no_full_number(text)
    # two people, both listed (JSON: each with their decision before and after): matched on their full ids
    assert text.count(ALIKE) == (6 if fmt == "json" else 2)
    assert "[R061]" in result.stderr
    assert ("全部 5 人的工号是身份证号" if lang == "zh" else "all 5 ids are resident ID numbers") in result.stderr
    if fmt == "xlsx":  # its 说明 sheet says it again
        assert "[R061]" in text
    if fmt in ("text", "html"):  # a report passed on says it beneath its people
        assert ("工号为身份证号的已脱敏" if lang == "zh" else "ids that are resident ID numbers") in text


def test_json_masks_the_id_of_each_decision_before_and_after_too(draft, tmp_path):
    text, _ = _written(draft, tmp_path, "json")
    persons = json.loads(text)["persons"]
    assert [(p["id"], p["before"]["id"], p["after"]["id"]) for p in persons] == [(ALIKE, ALIKE, ALIKE)] * 2
    assert [p["before"]["status"] for p in persons] == ["must_rotate"] * 2


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("keep", ["身份证号", "id_number"])
def test_keep_the_id_number_writes_them_whole_still_said(draft, tmp_path, fmt, keep):
    text, result = _written(draft, tmp_path, fmt, "--keep", keep)
    assert all(n in text for n in CHANGED) and ALIKE not in text
    assert "[R061]" in result.stderr and "--keep 身份证号" in result.stderr  # (whole, as asked: said so)
    assert "已按 --keep 身份证号 的要求" in result.stderr


def test_keep_of_another_column_is_refused_not_dropped(draft):
    result = _diff(draft, "--keep", "出生日期")
    assert result.exit_code == 2 and "身份证号" in result.output and "出生日期" in result.output
    result = _diff(draft, "--keep", "身份证号,出生日期", lang="en")
    assert result.exit_code == 2 and "出生日期" in result.output


def test_keep_the_id_number_of_a_roster_without_one_is_refused_as_evals(draft, tmp_path):
    roster = tmp_path / "staff.csv"
    roster.write_text("\n".join([LINES[0], *(f"T{k:04d}," + line.split(",", 1)[1] for k, line in enumerate(LINES[1:]))]),
                      encoding="utf-8")
    args = ["diff", str(POLICY), str(draft), str(roster), "--schools", str(SCHOOLS), "--lang", "zh"]
    plain = CliRunner().invoke(cli, args)
    assert plain.exit_code == 0 and "R061" not in plain.stderr and "T0000" in plain.stdout
    kept = CliRunner().invoke(cli, [*args, "--keep", "身份证号"])
    evaluated = CliRunner().invoke(cli, ["eval", str(POLICY), str(roster), "--schools", str(SCHOOLS), "--lang", "zh",
                                         "--keep", "身份证号"])
    assert kept.exit_code == evaluated.exit_code == 2
    assert kept.stderr.strip().splitlines()[-1] == evaluated.stderr.strip().splitlines()[-1]


def test_a_new_teacher_given_an_id_number_among_staff_numbers_is_masked(draft, tmp_path):
    """Staff numbers, one of them an ID number: the column is no column of ID numbers, yet a valid
    number is masked wherever it stands (``id_column``), as eval's decisions show it."""
    roster = tmp_path / "mixed.csv"
    rows = [LINES[1], *(f"T{k:04d}," + line.split(",", 1)[1] for k, line in enumerate(LINES[2:]))]
    roster.write_text("\n".join([LINES[0], *rows]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["diff", str(POLICY), str(draft), str(roster), "--schools", str(SCHOOLS),
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert mask_id_number(NUMBERS[0]) in result.stdout and "T0000" in result.stdout
    _no_full_number(result.stdout)
    assert "[R061]" in result.stderr and "1 of the 5 ids" in result.stderr
    # (what shows the ids is diff's report, not decisions)
    assert "written masked in the report" in result.stderr and "decisions" not in result.stderr


def test_the_report_functions_mask_by_default(draft):
    """A caller of ``present.report`` without ``ids`` (the studio, a script) gets the ids masked."""
    import policylang
    from policylang.api import reading_both, what_if
    from policylang.present.report import html_report, json_report, persons_csv, text_report

    base, new = policylang.load(str(POLICY)), policylang.load(str(draft))
    both = reading_both(base, new)
    frame = both.roster_frame(both.read_roster(ROSTER, SCHOOLS), months=True)
    report = what_if(base, new, frame).report
    for text in (text_report(report, "zh"), json_report(report), persons_csv(report, "zh").decode("utf-8"),
                 html_report(report, "zh")):
        _no_full_number(text)
        assert ALIKE in text


# ---- the studio and the service ------------------------------------------------------------------


def test_the_studios_what_if_page_shows_the_ids_masked(tmp_path, draft):
    with studio_with_roster(tmp_path, POLICY.read_text(encoding="utf-8"), ROSTER, SCHOOLS) as client:
        body = {"path": "corpus.pol", "text": draft.read_text(encoding="utf-8"), "base": "corpus.pol", "lang": "zh"}
        answer = client.post("/api/whatif", json=body)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert page["changed"] == 2
        _no_full_number(page["html"])
        assert page["html"].count(ALIKE) == 2 and "工号为身份证号的已脱敏" in page["html"]


def test_the_services_diff_answers_the_callers_ids_and_logs_none(tmp_path, draft):
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from policylang.service.app import create_app
    from policylang.service.decision_log import DecisionLog

    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "corpus.pol").write_text(POLICY.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "draft.pol").write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
    header = LINES[0].split(",")
    teachers = [dict(zip(header, line.split(","))) for line in LINES[1:]]
    schools = [dict(zip(("school_id", "name", "area", "students"), line.split(",")))
               for line in SCHOOLS.read_text(encoding="utf-8").splitlines()[1:]]
    log = tmp_path / "decisions.jsonl"
    with TestClient(create_app(folder, decision_log=DecisionLog(log, batch=1))) as client:
        answer = client.post("/v1/diff", json={"base": "corpus", "draft": "draft", "teachers": teachers,
                                               "schools": schools})
        assert answer.status_code == 200, answer.text
        persons = answer.json()["report"]["persons"]
        # the caller's own ids, to join on (as /decide answers them)
        assert [(p["id"], p["before"]["id"]) for p in persons] == [(n, n) for n in CHANGED]
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    assert not any(n.upper() in text.upper() for n in NUMBERS), text
