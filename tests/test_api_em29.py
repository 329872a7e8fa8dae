"""The embedder's trial em29, the API: a loop deciding teachers with 到校时间 and 参加工作时间
swapped (R050) read each of them a second time through the roster reader to word its warning,
four times the time of any other teacher; the warning is said of the values already read, in one
person's words (review of dr29: not the reader's count of rows). docs/api.md says how a loop collects the warnings, one a teacher."""

from __future__ import annotations

import warnings

import pytest

import policylang

from .conftest import POLICIES

TEACHER = {"id": "T1", "sex": "女", "birth_date": "1978-05-01", "school_id": "S1", "school_start": "2000-09-01",
           "work_start": "2015-09-01", "post": "教师", "post_start": "2015-09-01", "teaching": "是",
           "on_staff": "是", "title": "一级教师", "pregnant": "否", "rural_years": 0, "weak_years": 0,
           "schools_served": 1, "surplus_subject": "否"}
SCHOOL = {"school_id": "S1", "area": "城区", "stage": "小学", "staffing": "正常"}
CHINESE = {"id": "工号", "school_start": "到校时间", "work_start": "参加工作时间", "birth_date": "出生日期"}


@pytest.fixture(scope="module")
def policy():
    return policylang.load(POLICIES / "fujian_pilot_district.pol")


def _said(call) -> list:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [(type(w.message).__name__, p) for w in caught for p in getattr(w.message, "problems", ())]


@pytest.mark.parametrize("keys", [{}, CHINESE], ids=["english", "chinese"])
def test_a_swapped_start_is_said_in_one_person_s_words_with_the_reader_s_reasons(policy, keys):
    """One record is one person: their two dates and whose they are, not the reader's count of rows
    (列“到校时间”有 1 行早于…（第 1 行，工号 T1）…全部 1 行都如此, review of dr29); the reason and the
    question are the reader's, the column as the record names it."""
    teacher = {keys.get(k, k): v for k, v in TEACHER.items()}
    said = _said(lambda: policy.decide(teacher, SCHOOL))
    [(kind, one)] = said
    assert kind == "ValuesToCheck" and (one.code, one.row, one.rows, one.value) == ("R050", None, (), "2000-09-01")
    assert one.column == keys.get("school_start", "school_start")
    assert one.message("zh") == ("工号 T1 的到校时间 2000-09-01 早于参加工作时间 2015-09-01：到本校一般在参加工作之后，"
                                 "本校任教年限按所填的到校时间计算；是否把两项填反了？")
    [reader] = [p for p in policy.roster_from_records([teacher], [SCHOOL]).warnings if p.code == "R050"]
    assert reader.rows == (1,) and "本校任教年限按所填的" in reader.message("zh") and "行" in reader.message("zh")
    assert "全部 1 行" not in reader.message("zh")  # (a list of one record: no count to give)
    assert _said(lambda: policy.explain(teacher, SCHOOL)) == said


def test_each_teacher_of_a_loop_is_said_once_by_its_id(policy):
    ids = [f"T{k}" for k in range(50)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", policylang.ValuesToCheck)
        for ident in ids:
            policy.decide(dict(TEACHER, id=ident), SCHOOL)
        policy.decide(dict(TEACHER, id="in order", school_start="2016-09-01"), SCHOOL)
    assert [f"of teacher {ident} " in w.message.problems[0].message("en") for w, ident in zip(caught, ids)] == [True] * 50
    assert len(caught) == 50


def test_a_swapped_start_is_read_once_not_again_by_the_roster_reader(policy, monkeypatch):
    """The roster reader's second reading made such a teacher about four times the cost of
    another (em29); the warning is worded from the values read once. (What it costs is
    bench/'s to measure, not a test's: a ratio of timings failed on a busy machine.)"""
    again = []
    read = policylang.Policy.roster_from_records
    monkeypatch.setattr(policylang.Policy, "roster_from_records",
                        lambda self, *args, **kw: again.append(args) or read(self, *args, **kw))
    [(kind, one)] = _said(lambda: policy.decide(TEACHER, SCHOOL))
    assert (kind, one.code) == ("ValuesToCheck", "R050") and again == []
    # (a record the fast reader does not read is read by the roster reader: the spy sees it)
    _said(lambda: policy.decide(dict(TEACHER, 备注="调入"), SCHOOL))  # (a key no column has: R012)
    assert len(again) == 1
