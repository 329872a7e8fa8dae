"""A note in a column nothing reads (备注, 人员状态) saying that a person has left: 已调出, 2024年退休,
离职. The HR trial's roster had 张伟 备注 已调出, and he was listed 须交流 without a word: R012 said
only that 备注 is not read. Such notes are said (R051), a column at a time, naming the rows and their
text, by every reader (the streamed one a chunk at a time), as R042 says a note
in a column with no header. The people are still decided: deleting the row is the clerk's call."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame

from .conftest import write_table

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools_zh.csv"
ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:21]
NOTES = {3: "已调出", 7: "2024年退休", 9: "借调至教育局", 12: "优秀班主任"}


def _noted(column: str = "备注", notes: dict[int, str] = NOTES) -> tuple[list[str], list[list[str]]]:
    return ROWS[0] + [column], [r + [notes.get(k, "")] for k, r in enumerate(ROWS[1:])]


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_note_that_someone_has_left_is_said_with_its_rows(policy, tmp_path, suffix):
    path = write_table(tmp_path / f"t{suffix}", *_noted())
    roster = policy.read_roster(path, SCHOOLS)
    [said] = [w for w in roster.warnings if w.code == "R051"]
    assert (said.column, said.rows, said.count, said.warning) == ("备注", (5, 9), 2, True)
    assert said.message_zh == ("列“备注”不读取，但有 2 行注明人员已调出、退休或离职等（第5行“已调出”、第9行“2024年退休”）："
                               "这些人员照常作出决定；如其已不在本校，请删除其行后再运行")
    assert len(roster.valid_teachers()) == 20  # still decided


def test_the_streamed_reader_says_it_alike_chunk_by_chunk_and_eval_says_it(policy, tmp_path):
    header, rows = _noted("人员状态", {3: "离职", 15: "已调离", 16: "退休"})
    header, rows = header + ["备注"], [r + ["病故" if k == 16 else ""] for k, r in enumerate(rows)]
    path = write_table(tmp_path / "t.csv", header, rows)
    said = [w for w in policy.read_roster(path, SCHOOLS).warnings if w.code == "R051"]
    assert [(w.column, w.rows) for w in said] == [("人员状态", (5, 17, 18)), ("备注", (18,))]
    problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, chunk_rows=4)
    assert problems == [] and frame is not None and read == 20
    assert [w for w in warnings if w.code == "R051"] == said
    result = CliRunner().invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "--lang", "zh",
                                      "-o", str(tmp_path / "decisions.csv")])
    assert result.exit_code == 0, result.output
    assert "[R051]" in result.output and "第5行“离职”" in result.output


def test_other_notes_say_nothing_and_the_streamed_reader_reads_them(policy, tmp_path):
    path = write_table(tmp_path / "t.csv", *_noted(notes={9: "借调至教育局", 12: "优秀班主任"}))
    assert not [w for w in policy.read_roster(path, SCHOOLS).warnings if w.code == "R051"]
    problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS)
    assert problems == [] and frame is not None and read == 20
    assert not [w for w in warnings if w.code == "R051"]


def test_an_id_number_in_a_note_or_a_column_with_no_header_is_masked_as_every_reader_masks_it(policy, tmp_path):
    """R042 and R051 quote the cells they are about, and a column no header names (or a 备注) may
    hold the resident ID numbers all the same: `row 2 `110105197805010025`` went whole to the
    terminal, and into the service's warnings, which are copied into tickets and logs; the contract
    writes ID numbers to no output unless asked. They are masked as a refused one is (R021)."""
    from policylang.io.id_number import check_character

    number = "11010519780501002" + check_character("11010519780501002")
    header, rows = _noted("备注", {3: f"已调出 {number}"})
    header, rows = header + [""], [r + ([number] if k == 5 else [""]) for k, r in enumerate(rows)]
    path = write_table(tmp_path / "t.csv", header, rows)
    said = {w.code: w for w in policy.read_roster(path, SCHOOLS).warnings if w.code in ("R042", "R051")}
    assert set(said) == {"R042", "R051"}
    for w in said.values():
        assert number not in w.message_en + w.message_zh and "110105********0025" in w.message_en
    result = CliRunner().invoke(cli, ["eval", POLICY, str(path), "--schools", SCHOOLS, "-o", str(tmp_path / "d.csv")])
    assert result.exit_code == 0 and number not in result.output and "110105********0025" in result.output
    # (a longer run of digits is no ID number, and a shorter one neither)
    from policylang.io.id_number import masked_in_text

    assert masked_in_text(f"{number}1 13800138000") == f"{number}1 13800138000"
