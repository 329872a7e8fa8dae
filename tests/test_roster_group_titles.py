"""A group's title typed into one cell above a school's teachers (中山中学（S01）), as a CSV export keeps a
workbook's merged title (R041 there) or a clerk types it unmerged: no teacher. Standing where the school
changes, it is not read and is said once, counted (R054), by both readers, CSV and XLSX alike; a row of
one text among one school's teachers, or a name alone, is a row, refused as lacking its values."""

from __future__ import annotations

import csv
import os
from itertools import groupby

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame
from policylang.io.roster.layout import title_rows

from .conftest import write_table

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools.csv"
with open("examples/teachers.csv", encoding="utf-8") as _f:
    HEADER, *ROWS = list(csv.reader(_f))
SCHOOL = HEADER.index("school_id")
ROWS = sorted(ROWS[:40], key=lambda r: r[SCHOOL])


def _titled() -> list[list[str]]:
    """The teachers a school at a time, each school's under a row of its name alone."""
    rows = []
    for code, block in groupby(ROWS, key=lambda r: r[SCHOOL]):
        rows += [[f"第{len(rows) + 1}组 {code} 学校"] + [""] * (len(HEADER) - 1), *block]
    return rows


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_title_above_each_school_s_teachers_is_said_once_and_not_read(policy, tmp_path, suffix):
    rows = _titled()
    path = write_table(tmp_path / f"teachers{suffix}", HEADER, rows)
    roster = policy.read_roster(path, SCHOOLS)
    titles = [k + 2 for k, r in enumerate(rows) if r[0].startswith("第")]
    assert not roster.problems and len(roster.teachers) == 40
    [said] = [w for w in roster.warnings if w.code == "R054"]
    assert (said.count, said.rows, said.row, said.warning) == (len(titles), tuple(titles[:5]), None, True)
    assert said.message_zh.startswith(f"表格中有 {len(titles)} 行只有一格文字，位于一所学校的教师之前（第2、")
    assert said.message_zh.endswith("等），是分组标题，不是教师记录，未读取；其下各行照常作出决定；若标题表明其下人员不参加交流"
                                    "（如“借调人员”），请删除这些行")


@pytest.mark.parametrize("chunk", [1, 2, 3, 100_000])
def test_the_streamed_reader_sets_the_titles_aside_itself_and_eval_decides_alike(policy, tmp_path, chunk):
    """The streamed reader no longer hands such a file to the row reader (100,000 teachers with 2,000
    titles took 20 s there: docs/performance.md): it says the titles as the row reader does, whatever
    chunk a title ends or begins, and eval writes what it writes of the plain roster."""
    path = write_table(tmp_path / "titled.csv", HEADER, _titled())
    plain = write_table(tmp_path / "plain.csv", HEADER, ROWS)
    roster = policy.read_roster(path, SCHOOLS)
    problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True, chunk_rows=chunk)
    assert not problems and frame is not None and frame.height == read == 40
    assert frame["id"].to_list() == [r.values["id"] for r in roster.teachers]
    [said] = [w for w in warnings if w.code == "R054"]
    [row_said] = [w for w in roster.warnings if w.code == "R054"]
    assert said == row_said
    written = {}
    for each in (plain, path):
        out = tmp_path / f"out-{each.name}"
        result = CliRunner().invoke(cli, ["eval", POLICY, str(each), "--schools", SCHOOLS, "-o", str(out), "--lang",
                                          "zh"])
        assert result.exit_code == 0 and "40 条结论" in result.stderr, result.output
        written[each] = out.read_bytes()
    assert written[plain] == written[path] and result.stderr.count("[R054]") == 1


@st.composite
def _laid_out(draw) -> list[list[str]]:
    """Schools' teachers as clerks lay them out: the header again above a school's teachers or not (its
    export pasted under another's; the first, a second header row), a school's title above its teachers or
    not, a 小计 after them or not, a row of text among them (语文组: a row, refused), a name alone (a person
    half entered), a blank row; the schools in any order; then a form's footer (of a note longer than the
    streamed reader's first look at the file's end, 33 lines and more, or not), or a row of text, or
    neither."""
    lone = lambda text, at=0: [text if k == at else "" for k in range(len(HEADER))]  # noqa: E731
    blocks = [list(b) for _, b in groupby(ROWS, key=lambda r: r[SCHOOL])]
    order = draw(st.permutations(range(len(blocks))))
    rows: list[list[str]] = []
    for k in order:
        block = blocks[k][:draw(st.integers(1, len(blocks[k])))]
        if draw(st.integers(0, 3)) == 0:
            rows.append(HEADER)
        if draw(st.booleans()):  # (typed in the first column, or in the school's)
            rows.append(lone(f"{block[0][SCHOOL]}学校", draw(st.sampled_from([0, SCHOOL]))))
        for person in block:
            rows.append(person)
            extra = draw(st.sampled_from(["", "", "", "语文组", "张三", "blank"]))
            if extra == "blank":
                rows.append([""] * len(HEADER))
            elif extra:
                rows.append(lone(extra, HEADER.index("name") if extra == "张三" else 0))
        if draw(st.booleans()):
            rows.append(["小计", f"{len(block)}人"] + [""] * (len(HEADER) - 2))
    footer = [[lone("合计")], [lone("本表由各校人事专干填报。")], [lone("本表由各校人事专干填报。", SCHOOL)], [lone("溪口中学")],
              [lone("注：各校说明如下。")] + [lone(f"{k}．第{k}所学校的名单已审核。") for k in range(1, 40)]]
    return rows + [line for part in draw(st.lists(st.sampled_from(footer), max_size=2)) for line in part]


# 15 examples in the suite (about 1.3 s each); `make fuzz` runs 1,500 (POLICYLANG_LAYOUT_EXAMPLES)
@settings(max_examples=int(os.environ.get("POLICYLANG_LAYOUT_EXAMPLES", "15")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_laid_out(), chunk=st.sampled_from([1, 2, 3, 5, 100_000]))
def test_both_readers_set_aside_the_same_titles_and_totals_rows(policy, tmp_path_factory, rows, chunk):
    """Any layout of headers again, titles, 小计 rows, footers and rows that are none, read in chunks of any
    size: the row reader and the streamed one find the same problems, say the same rows set aside (R030,
    R044, R053, R054) and the rest alike, and give the same teachers."""
    path = write_table(tmp_path_factory.mktemp("laid") / "teachers.csv", HEADER, rows)
    roster = policy.read_roster(path, SCHOOLS)
    problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True, chunk_rows=chunk)
    assert [p.code for p in problems] != ["R009"]  # (read by the streamed reader itself, never handed over)
    key = lambda ps: sorted((p.code, p.row, p.column, p.rows, p.count, p.value) for p in ps)  # noqa: E731
    assert key(problems) == key(roster.problems)
    assert key(warnings) == key(roster.warnings)
    assert read == len(roster.teachers)
    assert (frame["id"].to_list() if frame is not None else []) == [r.values["id"] for r in roster.valid_teachers()]


def test_only_a_text_where_the_school_changes_is_a_title():
    """Among one school's teachers a row of text (语文组) is a row: refused as lacking its values, never
    passed over; so is a name alone (张三, in the 姓名 column: a person half entered), a text without two
    Chinese characters (T0500), and one with no school column to tell where the school changes."""
    name = HEADER.index("name")
    lone = lambda text, at=0: [text if k == at else "" for k in range(len(HEADER))]  # noqa: E731
    a, b = [r for r in ROWS if r[SCHOOL] == ROWS[0][SCHOOL]][:2], [r for r in ROWS if r[SCHOOL] != ROWS[0][SCHOOL]][:1]
    assert title_rows([lone("城关一小"), a[0], lone("语文组"), a[1], *b], (), name, SCHOOL) == {0: "城关一小"}
    assert title_rows([*a, lone("二、溪口中学"), *b], (), name, SCHOOL) == {2: "二、溪口中学"}
    assert title_rows([*a, lone("张三", name), *b], (), name, SCHOOL) == {}
    assert title_rows([*a, lone("T0500"), *b], (), name, SCHOOL) == {}
    assert title_rows([*a, lone("溪口中学"), *b], (), name, None) == {}
    assert title_rows([*a, lone("溪口中学")], (), name, SCHOOL) == {}  # below the last row: a footer's, not a title


def test_a_name_alone_between_two_schools_is_refused_by_both_readers_alike(policy, tmp_path):
    """张三 in the 姓名 column, nothing else, where the school changes: a person half entered, refused
    (R006) by the row reader and the streamed one alike, which does not hand the file over for it."""
    rows = _titled()
    at = next(k for k, r in enumerate(rows) if k and r[0].startswith("第"))
    rows[at] = ["" if k != HEADER.index("name") else "张三" for k in range(len(HEADER))]
    path = write_table(tmp_path / "teachers.csv", HEADER, [r for r in rows if not r[0].startswith("第")][:at - 1]
                       + [rows[at]] + [r for r in rows[at + 1:] if not r[0].startswith("第")])
    roster = policy.read_roster(path, SCHOOLS)
    problems, frame, _, _ = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True)
    assert frame is not None and [(p.row, p.code) for p in problems] == [(p.row, p.code) for p in roster.problems]
    assert {p.code for p in roster.problems} == {"R006"} and not any(w.code == "R054" for w in roster.warnings)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_id_number_in_a_title_s_one_cell_is_masked_where_r054_quotes_it(policy, tmp_path, suffix):
    """R054 quotes its titles, as R042 and R051 quote the cells they name, and a warning is copied into
    tickets and logs: a row of one cell holding an ID number (a note of a teacher's left where the school
    changes) went whole into it, while R042 and R051 mask one."""
    number = "110105198003010028"
    rows = _titled()
    rows[0] = [f"原身份证号{number}调出"] + [""] * (len(HEADER) - 1)
    path = write_table(tmp_path / f"teachers{suffix}", HEADER, rows)
    roster = policy.read_roster(path, SCHOOLS)
    [said] = [w for w in roster.warnings if w.code == "R054"]
    assert said.rows[0] == 2
    shown = f"{said.value} {said.message_en} {said.message_zh}"
    assert number not in shown and "110105********0028" in said.message_zh


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("numbering, text", [  # (review rv27b: T0012 alone, read as a number, went unsaid)
    ("7", "借调人员"), ("41、", "T0012"), ("（41）", "借调人员"), ("No.41", "T0012"), ("1-41", "借调人员")])
def test_a_text_in_the_row_number_column_is_no_blank_row(policy, tmp_path, suffix, numbering, text):
    """The HR trial (hr27): a CSV saved from a roster numbered in 序号 held each school's title in that
    column, and both readers passed such rows over as blank, unsaid (a row-number column's cell alone is
    a blank template row). Text there is the row's, as in any column: a title where the school changes
    (R054), a row refused for its empty cells among one school's teachers (借调人员: never dropped
    unsaid); a number alone there is still a blank row, however a template numbers it (review rv27: 41、
    and （41） were text, and a numbered template's empty rows refused the roster)."""
    header = ["序号", *HEADER]
    rows = [["", *r] for r in _titled()]
    titles = [k for k, r in enumerate(rows) if r[1].startswith("第")]
    for k in titles:  # the title moved into the 序号 column
        rows[k] = [rows[k][1]] + [""] * len(HEADER)
    inside = titles[1] + 2
    rows.insert(inside, [text] + [""] * len(HEADER))
    rows.insert(inside + 1, [numbering] + [""] * len(HEADER))  # a number alone: a blank row
    path = write_table(tmp_path / f"teachers{suffix}", header, rows)
    roster = policy.read_roster(path, SCHOOLS)
    [said] = [w for w in roster.warnings if w.code == "R054"]
    assert said.count == len(titles) and len(roster.teachers) == 41
    assert {p.row for p in roster.problems} == {inside + 2} and {p.code for p in roster.problems} == {"R006"}
    if suffix == ".csv":
        for chunk in (2, 100_000):
            problems, frame, read, warnings = read_frame(policy.checked, path, SCHOOLS, skip_invalid=True,
                                                         chunk_rows=chunk)
            assert [(p.row, p.code, p.column) for p in problems] == [(p.row, p.code, p.column) for p in roster.problems]
            assert [w for w in warnings if w.code == "R054"] == [said] and read == 41 and frame.height == 40
