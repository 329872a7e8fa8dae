"""Complementary suppression of the diff's sensitive counts: a withheld cell is not to be worked
out from the column's total (the headline, or another breakdown of the same people, gives it)
less the cells shown, and every withheld cell is shown alike, claiming no range."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
from hypothesis import given, settings, strategies as st

from policylang.analyses.diff import MIN_CELL, breakdown, diff, exemption_summary, exposed, suppressed_cells
from policylang.present.report import (SUPPRESSED, breakdown_rows, html_report, json_report, persons_xlsx,
                                       suppression_note, text_report)

from .test_diff import AS_OF, _person, _policies, _schools, sick_leave_draft


def _backbone_roster(base):
    """Backbone none: 6 ill teachers (exempt under the draft's illness exemption: changed, for a
    sensitive reason); county: 1 ill teacher among 5 changed by the age cap; school and city
    teachers changed by the age cap alone. Everyone a woman: the breakdown by sex shows the 7."""
    return ([_person(base, f"n{k}", 40, 8, backbone="none", serious_illness=True) for k in range(6)]
            + [_person(base, "c0", 40, 8, backbone="county", serious_illness=True)]
            + [_person(base, f"c{k}", 48, 8, backbone="county") for k in range(1, 6)]
            + [_person(base, f"s{k}", 48, 8, backbone="school") for k in range(3)]
            + [_person(base, f"t{k}", 48, 8, backbone="city") for k in range(2)])


def _column(rows):
    """A breakdown's protected column as a reader has it: the cells shown (None: withheld)."""
    return [r["protected"] for r in rows]


def test_the_one_withheld_backbone_cell_is_not_the_total_less_the_others():
    """Last session's leak: by backbone, none 6, county <5, school 0, city 0, and by sex 7: the
    county's cell was 7 - 6 = 1. The smallest other non-zero cell is withheld with it."""
    base, draft = _policies()
    report = diff(base, draft, _backbone_roster(base), _schools(base, "A"), as_of=AS_OF)
    (by_sex,) = breakdown(report, "sex")
    total = by_sex["protected"]
    assert total == 7 and not by_sex["suppressed"]  # published: the total of every breakdown's column
    rows = {r["value"]: r for r in breakdown(report, "backbone")}
    assert set(rows) == {"none", "county", "school", "city"}  # no group merged: county's 1 is among 5 others
    assert [rows[v]["protected"] for v in ("school", "city")] == [0, 0]
    assert rows["county"]["suppressed"] and rows["county"]["protected"] is None
    assert rows["none"]["suppressed"] and rows["none"]["protected"] is None  # 6: withheld beside it
    column = _column(rows.values())
    shown = sum(n for n in column if n is not None)
    withheld = [n is None for n in column]
    assert sum(withheld) >= 2 and total - shown == 7  # 7 over two cells: neither is told
    true = {"none": 6, "county": 1, "school": 0, "city": 0}
    assert not exposed([true[r["value"]] for r in rows.values()], withheld, [r["changed"] for r in rows.values()])


def test_a_merged_row_withheld_alone_has_another_withheld_beside_it():
    """School A's two changes are its two ill teachers: merged with C (fewest changes), 2 of the
    merged row's 6 changed are sensitive, and B's 6 shown would give it (the total 8 less 6)."""
    base, draft = _policies()
    rows = ([_person(base, f"a{k}", 40, 8, school="A", serious_illness=True) for k in range(2)]
            + [_person(base, f"b{k}", 40, 8, school="B", serious_illness=True) for k in range(6)]
            + [_person(base, f"d{k}", 48, 8, school="B") for k in range(3)]
            + [_person(base, f"c{k}", 48, 8, school="C") for k in range(4)])
    report = diff(base, draft, rows, _schools(base, "A", "B", "C"), as_of=AS_OF)
    by_school = breakdown(report, "school")
    assert [(r["value"], r.get("others"), r["changed"]) for r in by_school] == [("B", None, 9), (None, 2, 6)]
    assert all(r["suppressed"] and r["protected"] is None for r in by_school)
    assert not exposed([6, 2], [True, True], [9, 6])
    assert breakdown(report, "sex")[0]["protected"] == 8


def test_the_exemption_summary_withholds_a_count_beside_the_merged_one():
    """Changed people per exemption after: 2 near retirement and 1 on a reason of the county's own
    (sensitive): the merged row withheld alone would be 3 less 2."""
    base, draft = _policies()[0], sick_leave_draft()
    rows = ([_person(base, "s0", 40, 8, 病假开始日期=dt.date(2025, 1, 1),
                     work_start=dt.date(1995, 9, 1))]
            + [_person(base, f"r{k}", 40, 8) for k in range(2)])
    report = diff(base, draft, rows, _schools(base, "A"), as_of=AS_OF)
    summary = exemption_summary(report)
    assert [r["exemption"] for r in summary] == ["near_retirement", "protected (merged)"]
    assert all(r["count"] is None and r["suppressed"] for r in summary)


def test_every_surface_shows_a_withheld_cell_as_one_mark_that_claims_no_range():
    base, draft = _policies()
    report = diff(base, draft, _backbone_roster(base), _schools(base, "A"), as_of=AS_OF)
    for lang in ("zh", "en"):
        text = text_report(report, lang)
        table = text.split("按骨干级别：" if lang == "zh" else "By backbone:")[1].split("\n\n")[0]
        cells = {line.split()[0]: line.split()[-1] for line in table.splitlines()[2:]}
        county, none = ("县级", "无") if lang == "zh" else ("county", "none")
        assert cells[county] == cells[none] == SUPPRESSED, table
        assert "<5" not in text and suppression_note(lang) in text
        page = html_report(report, lang)
        assert "&lt;5" not in page and f"<td>{SUPPRESSED}</td>" in page
        rows = dict((r[0], r[-1]) for r in breakdown_rows(report, "backbone", lang, {}))
        assert rows[county] == rows[none] == SUPPRESSED
        book = openpyxl.load_workbook(io.BytesIO(persons_xlsx(report, lang)))
        sheet = list(book["分项统计" if lang == "zh" else "breakdowns"].iter_rows(values_only=True))
        backbone = {r[1]: r[-1] for r in sheet[1:] if r[0] == ("骨干级别" if lang == "zh" else "backbone")}
        assert backbone[county] == backbone[none] == SUPPRESSED
        assert not any(c == "<5" for r in sheet for c in r)
    data = json.loads(json_report(report))
    backbone = {r["value"]: r for r in data["breakdowns"]["backbone"]}
    # withheld alike: a field telling the complementary one from the primary would tell both counts
    assert backbone["county"] == {"value": "county", "people": 6, "changed": 6, "to_must_rotate": 0,
                                  "from_must_rotate": 6, "protected": None, "suppressed": True}
    assert backbone["none"]["protected"] is None and backbone["none"]["suppressed"] is True
    assert "<5" not in json.dumps(data, ensure_ascii=False)


def test_the_note_says_what_a_withheld_cell_means_chinese_first():
    zh, en = suppression_note("zh"), suppression_note("en")
    assert f"显示为“{SUPPRESSED}”" in zh and f"不表示人数不足 {MIN_CELL} 人，也不表示任何人数范围" in zh
    assert "减去同列显示的各格推算" in zh
    assert f"shown as {SUPPRESSED}" in en and f"not that it holds fewer than {MIN_CELL} people, nor any range" in en
    assert "<5" not in zh + en


# ---- the pure function -----------------------------------------------------------


def _values(counts, withheld, caps, floor, some_small):
    """Per withheld cell, the values it can take in a table a reader holds possible: the withheld
    cells between ``floor`` and their caps, adding up to the total less the cells shown (and, with
    ``some_small``, one of them at least 1 to MIN_CELL - 1, as the note says one is). Made apart from
    ``exposed``: from the sums the other cells can reach, not from intervals."""
    cells = [k for k, w in enumerate(withheld) if w]
    rest = sum(counts[k] for k in cells)

    def span(k):
        return range(floor, (rest if caps[k] is None else min(caps[k], rest)) + 1)

    out = {}
    for k in cells:
        reach = {(0, False)}  # (the sum of the others so far, whether one of them is small)
        for j in cells:
            if j != k:
                reach = {(s + v, small or 0 < v < MIN_CELL) for s, small in reach for v in span(j) if s + v <= rest}
        out[k] = {v for v in span(k) for s, small in reach
                  if s + v == rest and (not some_small or small or 0 < v < MIN_CELL)}
    return out


counts_caps = st.lists(st.tuples(st.integers(0, 9), st.one_of(st.none(), st.integers(0, 4))),
                       min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(counts_caps, st.booleans())
def test_no_withheld_cell_is_told_by_the_total_and_the_cells_shown(cells, capped):
    counts = [n for n, _ in cells]
    caps = [None if extra is None or not capped else n + extra for n, extra in cells]
    withheld = suppressed_cells(counts, caps=caps)
    primary = [0 < n < MIN_CELL for n in counts]
    assert all(w for w, p in zip(withheld, primary) if p)  # every small count withheld
    if not any(primary):
        assert not any(withheld)  # nothing to protect: nothing withheld
        return
    assert withheld == suppressed_cells(counts, caps=caps)  # the same table, the same cells
    told = [k for floor, small in ((0, False), (1, False), (1, True))
            for k, values in _values(counts, withheld, caps, floor, small).items() if values == {counts[k]}]
    assert bool(told) == exposed(counts, withheld, caps)
    if all(withheld):
        return  # a column withheld whole: only its total gives it, which this table cannot hide
    assert not told, (counts, caps, withheld, told)
    if sum(counts) >= 1 and len(counts) >= 2:
        assert sum(withheld) >= 2


def test_the_smallest_other_non_zero_cell_is_withheld_first_of_equals():
    assert suppressed_cells([6, 1, 0, 0]) == (True, True, False, False)  # the backbone leak
    assert suppressed_cells([9, 7, 2, 7]) == (False, True, True, False)  # 7 and 7: the first
    assert suppressed_cells([9, 7, 3]) == (False, True, True)
    assert suppressed_cells([9, 2, 3]) == (False, True, True)  # two of 1-4: neither told
    assert suppressed_cells([9, 1, 1, 8]) == (False, True, True, True)  # 1 and 1 of 2: each is 1
    assert suppressed_cells([3, 0, 0]) == (True, True, False)  # nothing else non-zero: a zero
    assert suppressed_cells([9, 0, 12], primary=[False, False, False]) == (False, False, False)
    # the merged row last: withheld alone, the smallest row shown is withheld beside it
    assert suppressed_cells([12, 6, 2], caps=[30, 9, 6]) == (False, True, True)
