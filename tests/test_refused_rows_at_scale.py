"""A roster refused in every row (one column in a code the policy does not know, every id given twice: an
export appended to itself) is refused as fast as it is read. The streamed reader asks its recognisers of a
form's rows (the header again, a totals row, a group's title) only of the refused rows with a cell one of
them needs, each distinct cell of a column looked at once (``layout.cell_marks``), and makes each wrong
cell's problem once a column and value: 200,000 such rows took 21-22 s, row by row in Python."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang
from policylang.io import columnar
from policylang.io.roster import layout

from .conftest import write_table

POLICY = "policies/fujian_pilot_district.pol"
SCHOOLS = "examples/schools.csv"
with open("examples/teachers.csv", encoding="utf-8") as _f:
    HEADER, *ROWS = list(csv.reader(_f))
ID, SEX, SCHOOL = (HEADER.index(c) for c in ("id", "sex", "school_id"))


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICY)


def _people(n: int) -> list[list[str]]:
    """``n`` of the example's teachers, each with an id of their own."""
    return [[f"P{k:05d}" if i == ID else cell for i, cell in enumerate(ROWS[k % len(ROWS)])] for k in range(n)]


@pytest.fixture
def asked(monkeypatch) -> Counter:
    """How many rows each recogniser of a form's rows was asked about, by the streamed reader."""
    counts: Counter = Counter()

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return fn(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(layout.HeaderAgain, "kind", counted("kind", layout.HeaderAgain.kind))
    for name in ("summary_label", "summary_only", "lone_text"):
        monkeypatch.setattr(columnar, name, counted(name, getattr(columnar, name)))
    return counts


@pytest.mark.parametrize("broken", ["a sex code", "every id twice"])
def test_a_roster_refused_in_every_row_asks_no_recogniser_about_a_person_s_row(policy, tmp_path, asked, broken):
    people = _people(300)
    if broken == "a sex code":
        rows = [[("X" if i == SEX else cell) for i, cell in enumerate(row)] for row in people]
    else:
        rows = people + people
    path = write_table(tmp_path / "teachers.csv", HEADER, rows)
    streamed = policy.stream_decisions(path, SCHOOLS, tmp_path / "out.csv", as_of="2026-09-01")
    codes = Counter(p.code for p in streamed.problems)
    assert codes == ({"R003": 300} if broken == "a sex code" else {"R004": 600})
    assert sorted({p.row for p in streamed.problems}) == list(range(2, len(rows) + 2))
    # each refused row is a person's, with no cell a recogniser needs: none was asked about it
    assert asked == Counter(), asked
    assert not (tmp_path / "out.csv").exists()


def test_each_wrong_cell_s_problem_is_its_own_row_s(policy, tmp_path):
    """The problems made once a value are each of their row, as the row reader gives them."""
    rows = [[("男性" if i == SEX and k % 3 else "X" if i == SEX else cell) for i, cell in enumerate(row)]
            for k, row in enumerate(_people(30))]
    path = write_table(tmp_path / "teachers.csv", HEADER, rows)
    streamed = policy.stream_decisions(path, SCHOOLS, tmp_path / "out.csv", as_of="2026-09-01", chunk_rows=7)
    by_rows = policy.read_roster(path, SCHOOLS).problems
    assert list(streamed.problems) == list(by_rows)
    assert [p.row for p in streamed.problems] == list(range(2, 32))


# rows a form puts among its people, and people's rows refused or not
_BLANK = [""] * len(HEADER)
_FORM_ROWS = {
    "header again": list(HEADER),
    "totals": ["合计", "12人"] + [""] * (len(HEADER) - 2),
    # (a count beside it: not the one filled cell a title is)
    "subtotal by school": [("12" if i == ID else "S01 汇总" if i == SCHOOL else "") for i in range(len(HEADER))],
    "title": ["第一组 城区学校"] + [""] * (len(HEADER) - 1),
    "footer note": ["注：以上人员已核对"] + [""] * (len(HEADER) - 1),
    "name alone": [""] * ID + ["张三"] + [""] * (len(HEADER) - ID - 1),
}


def _rows(kinds: list[str]) -> list[list[str]]:
    people = _people(len(kinds))
    rows = []
    for k, kind in enumerate(kinds):
        row = list(people[k])
        if kind in _FORM_ROWS:
            row = list(_FORM_ROWS[kind])
        elif kind == "bad sex":
            row[SEX] = "X"
        elif kind == "id again":  # the id of the row above, a person's or not
            row[ID] = rows[-1][ID] if rows else people[-1][ID]
        elif kind == "unknown school":
            row[SCHOOL] = "S99"
        rows.append(row)
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(["person", "person", "bad sex", "id again", "unknown school", *_FORM_ROWS]),
                      min_size=1, max_size=24),
       chunk=st.sampled_from([3, 10, 1000]))
def test_the_rows_set_aside_and_refused_are_those_of_asking_every_refused_row(policy, tmp_path, monkeypatch, kinds,
                                                                             chunk):
    """Asking the recognisers only of the rows ``cell_marks`` lets through, and a totals record only
    of a row with a total's label (none of a sheet's, whose totals rows were set aside), gives what
    asking every refused row gives: the same problems, warnings and rows read."""
    path = write_table(tmp_path / "teachers.csv", HEADER, _rows(kinds))

    def streamed():
        got = policy.stream_decisions(path, SCHOOLS, tmp_path / "out.csv", as_of="2026-09-01", chunk_rows=chunk,
                                      skip_invalid=True)
        return got.problems, got.warnings, got.read, (tmp_path / "out.csv").read_bytes()

    with monkeypatch.context() as marked:
        marked.setattr(columnar, "_FEW_MARKED", 0)  # (a few rows' marks are all left possible: look at every row's)
        looked = streamed()
    row_problems = columnar._row_problems
    with monkeypatch.context() as every:
        every.setattr(columnar, "_row_marks", lambda chunk, positions, *args: columnar._Marks(
            *[[True] * len(positions)] * 3))
        # and a totals record looked for in every row left, though a sheet's totals rows were set aside before
        every.setattr(columnar, "_row_problems", lambda *args, **kwargs: row_problems(*args, **kwargs | {
            "set_aside": False}))
        assert streamed() == looked


# a cell whose masking twice was not its masking once (review rv30): an ID number ending in X right before a number
# as Excel shows it (1.10105E+17) was seen only once that number was masked, so a problem made once a value and
# remade for another row (``attrs.evolve`` runs the converters again) quoted the cell other than its first row did;
# the masking now finds the number at once (tests/test_id_number.py), and a problem is no longer remade
_MASKED_TWICE_OTHERWISE = "35010219800301002X1.10105E+17"


def test_a_wrong_cell_given_in_many_rows_is_quoted_alike_in_each(policy, tmp_path):
    """The problem made once a column and value is of each row as the row reader makes it: its texts as
    made for the first row, not masked again."""
    rows = [[(_MASKED_TWICE_OTHERWISE if i == SEX else cell) for i, cell in enumerate(row)] for row in _people(3)]
    path = write_table(tmp_path / "teachers.csv", HEADER, rows)
    streamed = policy.stream_decisions(path, SCHOOLS, tmp_path / "out.csv", as_of="2026-09-01")
    assert [p.code for p in streamed.problems] == ["R003"] * 3
    assert list(streamed.problems) == list(policy.read_roster(path, SCHOOLS).problems)
    assert len({(p.value, p.message_en, p.message_zh) for p in streamed.problems}) == 1
