"""The embedding API: load a policy, decide records and rosters, get typed decisions
and explanations. No global state: a ``Policy`` is an immutable value.

    import policylang
    policy = policylang.load("policies/fujian_pilot_district.pol")
    decision = policy.decide({"id": "T1", "sex": "女", ...}, {"school_id": "S1", "area": "城区"})
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import numbers
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import attrs

from policylang.io import roster as R
from policylang.io.roster import RosterError
from policylang.io.roster.layout import GONE
from policylang.lang import schema as S
from policylang.lang.schema import API_CALLER, CLI_CALLER, SERVICE_CALLER  # noqa: F401 - for Policy.asked_by
from policylang.backends.closures import Decider, compile_decider
from policylang.backends.polars import decide_frame, frame_from_records, plan_decider
from policylang.lang.decisions import (OPEN_CATEGORY, UNCERTAIN_COLUMN, Decision, Explanation, MonthDate,
                                       decision_from_row, open_values, split_joined, uncertain_fields)
from policylang.lang.reads import decisions_read
from policylang.io.columnar import (MONTH, Deciding, FrameDecider, Streamed, after_reference_in_frame, checked_frame,
                                    contract_frame, decided_rows, decided_with_uncertain,
                                    frame_blank_warnings, month_flags,
                                    open_category_rows, starts_before_work_exprs, stream_decisions, stream_layout)
from policylang.core.diagnostics import Diagnostic, PolicyError, did_you_mean, error
from policylang.core.i18n import CHINESE_EXEMPTIONS, without_assumption_label
from policylang.frontend.pipeline import compile_source, decode_source, load_policy, read_source
from policylang.backends.reference import decide as _decide
from policylang.lang.policy import CheckedPolicy, reference_date
from policylang.io.record_reader import RecordReader
from policylang.core.source import Source
from policylang.analyses.diff import DiffReport, diff_frame, sweep_frame, widest
from policylang.analyses.quota import GroupPlan, plan_quotas_frame, quota_changes
from policylang.analyses.testing import TestResult, coverage, default_record, describe_result, run_tests  # noqa: F401 - the CLI's
from policylang.frontend.files import UnreadableSource
from policylang.frontend.format import ascii_punctuation, format_text  # noqa: F401 - policylang fmt, editors
from policylang.frontend.vocabulary import Term, terms as terms_of


_STREAMED = ("csv", "parquet", "json")  # what stream_decisions writes


def _streamable_output(output: str | Path, fmt: str | None) -> None:
    """Refuse a format ``stream_decisions`` does not write, and an output whose name says another."""
    from policylang.io.output import suffix_against

    workbook_en = "evaluate() and policylang.io.output.render(decisions, 'xlsx', ...)"
    workbook_zh = "用 evaluate() 作出结论，再用 policylang.io.output.render(decisions, 'xlsx', ...) 写出"
    if fmt is not None and fmt not in _STREAMED:
        raise WrongArgument("T201", f"stream_decisions writes csv, parquet or json, not {fmt!r}: for a workbook, "
                                    f"{workbook_en}",
                            f"stream_decisions 只写 csv、parquet 或 json，不写 {fmt!r}；工作簿请{workbook_zh}")
    shown = fmt or {".parquet": "parquet", ".json": "json"}.get(Path(output).suffix.lower(), "csv")
    if (suffix := suffix_against(output, shown)) is not None:
        raise WrongArgument("T201", f"{output}: a {shown.upper()} file named {suffix} would not open, or be misread, "
                                    f"where its name sends it: name it .{shown}" + ("" if fmt else ", or give fmt=")
                            + (f" (a workbook: {workbook_en})" if suffix == ".xlsx" else ""),
                            f"{output}：{shown.upper()} 文件以 {suffix} 命名，按文件名打开时会打不开或读错：请命名为 .{shown}"
                            + ("" if fmt else "，或给出 fmt=") + (f"（工作簿请{workbook_zh}）" if suffix == ".xlsx" else ""))


class _RosterWarning(UserWarning):
    """A warning of roster problems, ``problems``: its args are what makes it again (as pickle and
    copy do, and pytest-xdist, which sends a test's warning to the controller as ``cls(*args)``),
    its text says them in English."""

    def __init__(self, problems: Sequence[R.RosterProblem]):
        self.problems = tuple(problems)
        super().__init__(self.problems)

    def __str__(self) -> str:
        return "; ".join(p.message("en") for p in self.problems)


class UnknownKeys(_RosterWarning):
    """Keys of a record that name no column (R012): each read as absent, which may be a
    misspelling (``pregnnt``); ``problems`` says which, with a did-you-mean. ``decide`` and
    ``explain`` also say a key with no name that the record gives a value (R042: ``""``, or
    ``None``, where ``csv.DictReader`` puts a row's cells past its header), read by nothing too, and
    (as does ``evaluate_table``) a key nothing reads whose value says the person has left (R051:
    ``备注`` 已调出), which ``strict`` does not refuse."""


class BlankCells(_RosterWarning):
    """Yes/no or coded columns of a table empty in every row (R027) or in a few (R033): each
    such cell read as the contract's empty value (否, none), as a file's empty cell is. A client
    writing null for a Boolean it does not know exempts a teacher as "not teaching" otherwise
    without a word; ``problems`` says which columns and rows."""


class ValuesToCheck(_RosterWarning):
    """Values read as given that change decisions and that a roster seldom holds: teachers at the
    school before starting work (R050: 到校时间 before 参加工作时间; on most rows the two columns
    perhaps filled the wrong way round, which counts every tenure from the first job). Decided as
    given and said, as ``eval`` and the service say them; ``problems`` names the rows."""


class SkippedRows(UserWarning):
    """Teachers of a roster left undecided by ``evaluate`` or ``decide_each``, their rows having
    problems (``roster.problems`` lists them): said, so that no row is dropped unseen."""

    def __init__(self, skipped: int, total: int):
        self.skipped, self.total = skipped, total
        super().__init__(f"{skipped} of {total} teachers not decided: their rows have problems (roster.problems)")


_MAX_DECIDERS = 32  # compiled deciders (closures, plans) kept per policy, by reference date and parameters


@attrs.frozen
class Policy:
    """A checked policy, ready to decide."""

    checked: CheckedPolicy
    # Built once per policy: the one-record reader, and deciders compiled per (as_of, params).
    _reader: RecordReader = attrs.field(
        init=False, eq=False, repr=False,
        default=attrs.Factory(lambda self: RecordReader(self.checked.teachers, self.checked.schools), takes_self=True))
    _deciders: dict = attrs.field(init=False, eq=False, repr=False, factory=dict)
    _checked_at: dict = attrs.field(init=False, eq=False, repr=False, factory=dict)  # ``checked_at``, by date
    # whether a decision reads the retirement category: only then is an empty one tried as 50
    _reads_category: bool = attrs.field(
        init=False, eq=False, repr=False,
        default=attrs.Factory(lambda self: decisions_read(self.checked, "teacher", OPEN_CATEGORY[0]), takes_self=True))
    # the school columns read with no stated value: only these make a decision need a school
    # (a school column with one needs none: `field school.试点: bool default false`)
    _school_fields_needed: tuple = attrs.field(
        init=False, eq=False, repr=False,
        default=attrs.Factory(lambda self: _school_fields_without_value(self.checked.schools), takes_self=True))

    @property
    def title(self) -> str:
        return self.checked.title

    @property
    def as_of(self) -> dt.date | None:
        return self.checked.as_of

    @property
    def reads(self) -> dict[str, tuple[str, ...]]:
        """Every roster column the policy reads (``school.FIELD`` for the schools table), with
        the ids of what reads it: a roster or record without one is refused unless a value
        is stated for it (``field … default …`` in the policy, or ``assuming``)."""
        return {("" if t.name == "teacher" else "school.") + name: ids
                for t in (self.checked.teachers, self.checked.schools) for name, ids in t.reads}

    def neutral_values(self) -> dict[str, object]:
        """The values an in-language test starts from where it gives none (docs/language.md, "Test
        defaults"): a classroom teacher on the staff, yes/no fields no, numbers 0; school fields
        as ``school.FIELD``. Dates and texts have none (they stay empty)."""
        return default_record(self.checked.teachers) | {
            f"school.{k}": v for k, v in default_record(self.checked.schools).items() if k != "school_id"}

    def terms(self) -> tuple[Term, ...]:
        """Every name the policy lets a drafter write, with its Chinese name, type and unit:
        fields and their codes, parameters (value, file that set it), definitions, outcomes,
        exemption codes, directions, promotion targets (``policylang fields``)."""
        return terms_of(self.checked)

    @property
    def parameters(self) -> dict[str, object]:
        return {name: p.value for name, p in self.checked.parameters.items()}

    def decide(self, teacher: Mapping, school: Mapping | None = None, *, as_of: dt.date | None = None,
               params: Mapping[str, object] | None = None, strict: bool = False) -> Decision:
        """Decide one person; values may be codes or Chinese labels, dates as text or ``date``.
        Decides as the reference interpreter does, with the policy compiled to closures
        (once per reference date and parameter set). A key that is no column (``pregnnt``) is
        an ``UnknownKeys`` warning naming it, and with ``strict`` a ``RosterError`` (R012); a start
        at the school before starting work a ``ValuesToCheck`` warning (R050)."""
        as_of = reference_date(_date(as_of), self.checked)
        t, s, assumed = self._normalise(teacher, school, strict, as_of)
        decider = self._decider(as_of, self._params(params))
        return _assuming(_uncertain(lambda values: decider(values, s), t, self._reads_category), assumed)

    def explain(self, teacher: Mapping, school: Mapping | None = None, *, as_of: dt.date | None = None,
                params: Mapping[str, object] | None = None, strict: bool = False) -> Explanation:
        as_of, params = reference_date(_date(as_of), self.checked), self._params(params)
        t, s, assumed = self._normalise(teacher, school, strict, as_of)
        explained = _decide(self.checked, t, s, as_of=as_of, params=params, explain=True)
        decision = explained.decision
        if open_values(t, self._reads_category):  # the values the roster does not give it hangs on, as ``decide``
            decider = self._decider(as_of, params)
            decision = attrs.evolve(decision, uncertain=uncertain_fields(lambda v: decider(v, s), t, decision,
                                                                         self._reads_category))
        return attrs.evolve(explained, decision=_assuming(decision, assumed))

    def evaluate(self, roster: R.Roster, *, as_of: dt.date | None = None,
                 params: Mapping[str, object] | None = None, engine: str = "bulk",
                 skip_invalid: bool = False) -> list[Decision]:
        """Decide every valid teacher of a roster, in input order. ``engine`` is ``bulk``
        (compiled to polars, the default) or ``reference`` (the interpreter, one by one);
        both give the same decisions (another: ``WrongArgument``, T201). A roster no row of
        which can be decided raises ``RosterError``; rows with problems are left undecided, with
        a ``SkippedRows`` warning unless ``skip_invalid`` says the caller means to skip them."""
        if not (isinstance(engine, str) and engine in _ENGINES):  # (first: a roster's problems are not what is wrong)
            raise _unknown_engine(engine)
        as_of, params = reference_date(_date(as_of), self.checked), self._params(params)
        self._decidable(roster, as_of, skip_invalid)
        rows = roster.valid_teachers()
        if engine == "reference":
            decisions = [_uncertain(lambda values, school=roster.schools.get(row.values.get("school_id"), {}):
                                    _decide(self.checked, values, school, as_of=as_of, params=params), row.values,
                                    self._reads_category)
                         for row in rows]
        else:
            frame = frame_from_records(self.checked, [r.values for r in rows], roster.schools)
            frame = frame.with_columns(month_flags([r.values for r in rows]))
            flat = decided_with_uncertain(lambda f: decide_frame(self.checked, f, as_of=as_of, params=params,
                                                                 fired=True), frame).to_dicts()
            labels = self.checked.effect_labels()
            decisions = [decision_from_row(row, as_of, labels) for row in flat]
        return [_assuming(d, roster.assumptions) for d in decisions]

    def decide_each(self, roster: R.Roster, *, as_of: dt.date | None = None,
                    params: Mapping[str, object] | None = None, skip_invalid: bool = False) -> list[Decision]:
        """What ``evaluate`` gives, each valid teacher decided by the compiled closures (as
        ``decide``, from the values the roster reader read): for a few teachers, where a polars
        plan's fixed cost is milliseconds however few the rows."""
        as_of = reference_date(_date(as_of), self.checked)
        self._decidable(roster, as_of, skip_invalid)
        decider = self._decider(as_of, self._params(params))
        decisions = [_uncertain(lambda values, school=roster.schools.get(row.values.get("school_id"), {}):
                                decider(values, school), row.values, self._reads_category)
                     for row in roster.valid_teachers()]
        return [_assuming(d, roster.assumptions) for d in decisions]

    def evaluate_table(self, teachers, schools, *, as_of: dt.date | None = None,
                       params: Mapping[str, object] | None = None, fired: bool = False, strict: bool = False):
        """Decide a whole table at once: ``teachers`` and ``schools`` as polars, pandas or
        pyarrow tables (or lists of dicts) with the roster's columns. Returns a polars
        DataFrame with the flat decision columns (``Decision.to_row``: ``uncertain`` and
        ``assumptions`` among them), one row per teacher in input order; with ``fired``, also a
        ``fired`` column (the rules that fired, ``RULE`` or ``RULE:EXEMPTION``).
        Raises ``RosterError`` if any row has a problem. A column that is no roster column
        (``nursng``) is an ``UnknownKeys`` warning naming it, as with ``decide``, and with
        ``strict`` a ``RosterError`` (R012); so is a column with no name that rows fill in (R042),
        and a column nothing reads saying someone has left is one too (R051), never refused.
        Teachers at the school before starting work are a ``ValuesToCheck`` warning (R050)."""
        import polars as pl

        teachers, schools = _table_or_records(teachers, "teacher"), _table_or_records(schools, "school")
        school_rows = schools.to_dicts() if isinstance(schools, pl.DataFrame) else schools
        unknown = [w for source, rows, table in ((R.TEACHER_RECORDS, teachers, self.checked.teachers),
                                                 (R.SCHOOL_RECORDS, schools, self.checked.schools))
                   for w in [*R.map_header(source, table, _header_of(rows)).warnings,
                             *_reading_notes(source, table, rows)] if w.code in _UNREAD]
        if strict and (refused := [w for w in unknown if w.code in _UNKNOWN]):
            raise RosterError(refused)
        if unknown:  # a misspelt column, or a note that someone has left, would otherwise go without a word
            warnings.warn(UnknownKeys(unknown), stacklevel=2)
        blank = (frame_blank_warnings(R.TEACHER_RECORDS, self.checked.teachers, teachers.columns, teachers)
                 if isinstance(teachers, pl.DataFrame) else
                 R.records_blank_warnings(R.TEACHER_RECORDS, self.checked.teachers,
                                          R.map_header(R.TEACHER_RECORDS, self.checked.teachers, _header_of(teachers)),
                                          teachers))
        if blank:  # as the service and the readers of files say them
            warnings.warn(BlankCells(blank), stacklevel=2)
        as_of = reference_date(_date(as_of), self.checked)
        decide = self.frame_decider(as_of=as_of, params=params, fired=fired)
        if isinstance(teachers, pl.DataFrame) and not any(d.is_nested() or d in (pl.Binary, pl.Object)
                                                          for d in teachers.dtypes):
            # as the streamed reader checks a Parquet chunk: column by column, typed columns as they
            # are; anything it would report, the row reader reads again and words
            with _read_as_cells("teacher"):  # a column of a kind no cell is (a pandas period) fails here
                read = checked_frame(self.checked_at(as_of), teachers.columns, teachers,
                                     R.table_from_records(school_rows, self.checked.schools))
            if read is not None:
                written = R.map_header(R.TEACHER_RECORDS, self.checked.teachers, teachers.columns).written
                _values_to_check(_early_starts_in(read[0], written), stacklevel=3)
                return contract_frame(decided_rows(decide, *read))
        if isinstance(teachers, pl.DataFrame):
            teachers = teachers.to_dicts()
        roster = self.roster_from_records(teachers, school_rows, as_of=as_of)
        if roster.problems:
            raise RosterError(roster.problems)
        _values_to_check(roster.warnings, stacklevel=3)
        rows = [r.values for r in roster.teachers]
        frame = frame_from_records(self.checked, rows, roster.schools).with_columns(month_flags(rows))
        return contract_frame(decided_rows(decide, frame, roster.assumptions))

    def evaluate_frame(self, frame, *, as_of: dt.date | None = None, params: Mapping[str, object] | None = None,
                       fired: bool = False):
        """Decide a table as ``roster_frame`` or ``io.columnar.read_frame`` gives it: a polars
        DataFrame of the flat decision columns (``fired`` too, if asked) and ``uncertain``, one row
        per teacher. ``uncertain`` is marked where the frame has the year-month flags
        (``roster_frame(roster, months=True)``, ``read_frame(..., months=True)``);
        without them it is empty. The values assumed for absent columns are the roster's, not
        the frame's: ``assumptions`` is not among the columns."""
        frame = _frame_or_raise(frame, "evaluate_frame")
        as_of = reference_date(_date(as_of), self.checked)
        self._frame_none_after(frame, as_of)
        with _typed_frame("evaluate_frame"):
            return contract_frame(decided_with_uncertain(self.frame_decider(as_of=as_of, params=params, fired=fired),
                                                         frame))

    def frame_decider(self, *, as_of: dt.date | str | None = None, params: Mapping[str, object] | None = None,
                      fired: bool = False) -> FrameDecider:
        """Typed rows (teacher columns and ``school.*``, as ``roster_frame`` gives them) to their
        flat decisions, bound to one reference date and parameters: what the streamed reader
        decides each chunk with."""
        return self._frame_decider(reference_date(_date(as_of), self.checked), self._params(params), fired)

    def _frame_decider(self, as_of: dt.date, params: Mapping[str, object] | None, fired: bool) -> FrameDecider:
        """``frame_decider`` of a reference date and parameters already checked."""
        return self._compiled(("frame", fired), as_of, params,
                              lambda: plan_decider(self.checked, as_of=as_of, params=params, fired=fired))

    def stream_decisions(self, teachers: str | Path, schools: str | Path, output: str | Path, *, layout=None,
                         as_of: dt.date | str | None = None, params: Mapping[str, object] | None = None,
                         fired: bool = False, **reading) -> Streamed:
        """Validate and decide a CSV or Parquet roster chunk by chunk, streaming the decisions to
        ``output``, written atomically (memory bounded by the chunk). Without ``layout`` the flat
        decision columns (``fired`` adds the rules that fired); with an ``io.output.Layout``, the
        file ``eval -o`` writes. ``reading``: ``encoding``, ``skip_invalid``, ``progress``,
        ``chunk_rows``, ``fmt`` (csv, parquet or json; default from the output's suffix). A
        ``WrongArgument`` (T201, a ``ValueError``) for another ``fmt``, or an output named for another
        format (``.xlsx``, a ``.csv`` with ``fmt="json"``): the file would not open in the program its
        name chooses."""
        for path, what in ((teachers, "teacher"), (schools, "school"), (output, "output")):
            _path_or_raise(path, what, "stream_decisions")
        _reading_options_or_raise("stream_decisions", **reading)
        if (rows := reading.get("chunk_rows")) is not None and (type(rows) is not int or rows < 1):
            raise WrongArgument("T201", f"chunk_rows is the number of rows read at a time, a whole number from 1, not "
                                        f"{rows!r}", f"chunk_rows 是每次读取的行数，应为不小于 1 的整数，而不是 {rows!r}")
        _streamable_output(output, reading.get("fmt"))
        as_of = reference_date(_date(as_of), self.checked)
        if layout is not None:  # JSON gives the rules that fired whenever the evaluation did, as json_bytes
            decide = self.frame_decider(as_of=as_of, params=params, fired=layout.fired or reading.get("fmt") == "json")
            return stream_layout(self.checked_at(as_of), teachers, schools, output, layout, decide=decide, as_of=as_of,
                                 **reading)
        deciding = Deciding(self.frame_decider(as_of=as_of, params=params, fired=fired), fired, as_of)
        return stream_decisions(self.checked_at(as_of), teachers, schools, output, deciding=deciding, **reading)

    def read_roster(self, teachers: str | Path, schools: str | Path, *, encoding: str | None = None,
                    as_of: dt.date | str | None = None) -> R.Roster:
        """Read roster files with the fields this policy declares. With ``as_of``, the date the
        roster is to be decided at, a birth or a date of a teacher's working life after it is a
        problem of the row (R029): ``evaluate`` at that date refuses it in any case."""
        _path_or_raise(teachers, "teacher", "read_roster"), _path_or_raise(schools, "school", "read_roster")
        _reading_options_or_raise("read_roster", encoding=encoding)
        return R.load_roster(teachers, schools, encoding=encoding, tables=self._tables_at(_date(as_of)))

    def roster_from_records(self, teachers: Iterable[Mapping], schools: Iterable[Mapping], *,
                            as_of: dt.date | str | None = None) -> R.Roster:
        """Records in memory read as a roster file is (``as_of`` as ``read_roster``'s); a polars,
        pandas or pyarrow table is read as its rows' records, as ``evaluate_table`` reads one;
        ``RosterError`` (R015) when a record, or either list itself, is no mapping of columns
        to values."""
        return R.roster_from_records(_records(teachers, "teacher"), _records(schools, "school"),
                                     tables=self._tables_at(_date(as_of)))

    def roster_frame(self, roster: R.Roster, *, months: bool = False):
        """The valid teachers of a roster as one polars frame, their school's columns beside as
        ``school.*``: what ``quota_plans`` and ``what_if`` take; with ``months``, also the
        flags of the year-month dates ``evaluate_frame`` marks ``uncertain`` decisions by."""
        rows = [r.values for r in _roster_or_raise(roster).valid_teachers()]
        frame = frame_from_records(self.checked, rows, roster.schools)
        return frame.with_columns(month_flags(rows)) if months else frame

    def assuming(self, values: Mapping[str, object], *, strict: bool = False, open_ended: bool = False) -> Policy:
        """This policy reading rosters with stated values for absent columns (``{"nursing": False}``,
        ``{"哺乳期": "否"}``; ``school.FIELD`` for the schools table), as ``--assume`` does: a roster
        without a column the policy reads is refused unless such a value is stated. ``strict``:
        columns that are no roster column are errors, not warnings. Raises
        ``roster.AssumptionError`` (a ``RosterError`` of one problem, its ``code`` saying why) for a
        name that is no column or a value not of its type, or an empty value for a column no cell of
        which may be empty (a school's stage), unless ``open_ended`` (a what-if that says the rules
        such a value leaves undecided)."""
        if isinstance(values, Mapping):
            for key in values:
                if isinstance(key, str) and not R.names_a_column(self._tables, key):
                    raise _undeclared_column(self._tables, key)
        teachers, schools = R.with_assumptions(self._tables, values, strict=strict, open_ended=open_ended)
        return Policy(attrs.evolve(self.checked, teachers=teachers, schools=schools))

    @property
    def caller(self) -> S.Caller:
        """Whom this policy's messages are for (``asked_by``)."""
        return self.checked.teachers.caller

    def asked_by(self, caller: S.Caller) -> Policy:
        """This policy with its messages worded for ``caller``: ``API_CALLER`` (what ``load``
        gives), ``CLI_CALLER`` or ``SERVICE_CALLER``. A message on a roster lacking a column
        (R011), a stated value (R013, ``AssumptionError``) or a parameter's value then names that
        caller's way to give one (``Policy.assuming``, ``--assume``, the request's ``assume``)."""
        if not isinstance(caller, S.Caller):  # ("cli": every message it words would fail)
            raise WrongArgument("T201", f"asked_by takes policylang.api.API_CALLER, CLI_CALLER or SERVICE_CALLER, "
                                        f"not {type(caller).__name__}",
                                f"asked_by 应为 policylang.api.API_CALLER、CLI_CALLER 或 SERVICE_CALLER，"
                                f"而不是 Python 的 `{type(caller).__name__}`")
        teachers, schools = (attrs.evolve(table, caller=caller) for table in self._tables)
        return Policy(attrs.evolve(self.checked, teachers=teachers, schools=schools))

    def carrying(self, teacher_headers: Iterable[str], school_headers: Iterable[str] = ()) -> Policy:
        """This policy reading rosters whose columns of these headers, which no rule reads, are
        written beside the decisions (``eval --keep 备注``): asked for, so not warned of (R012)."""
        teachers, schools = (attrs.evolve(table, carried=frozenset(_headers_or_raise(headers)))
                             for table, headers in zip(self._tables, (teacher_headers, school_headers)))
        return Policy(attrs.evolve(self.checked, teachers=teachers, schools=schools))

    def parse_parameter(self, name: str, text: str) -> object:
        """A parameter value written as in a policy (`45 years`, `45`, `2025-09-01`, `urban`),
        checked against the parameter's type; raises ``PolicyError`` if it does not fit. A value not
        text (``45``, ``None``) is checked as ``params`` checks it."""
        if not isinstance(text, str):  # ('45'.strip() of an int was a bare AttributeError)
            return self._params({name: text})[name]
        return parse_parameter_value(self.checked, name, text)

    def _params(self, params: Mapping[str, object] | None) -> dict[str, object] | None:
        """Parameter overrides checked as ``--set`` checks them: a name the policy declares, a
        value of its type (text is read as in a policy: ``45 years``, ``urban``); raises
        ``PolicyError`` otherwise, never deciding on a value of another type."""
        if not params:
            return None
        if not isinstance(params, Mapping):
            raise WrongArgument("T201", "params must map parameter names to values", "params 应为“参数名: 取值”的映射")
        return {name: parse_parameter_value(self.checked, name, value) if isinstance(value, str)
                else typed_parameter_value(self.checked, name, value) for name, value in params.items()}

    def test(self) -> list[TestResult]:
        return run_tests(self.checked)

    def quota_plans(self, frame, *, as_of: dt.date | str | None = None,
                    params: Mapping[str, object] | None = None) -> list[GroupPlan]:
        """Per quota group of a roster table (teacher columns and ``school.*``, as the readers
        give it): how many must move under each quota, whether the pool can meet it, and a
        proposed selection in the policy's priority order. A frame with the year-month flags
        (``roster_frame(roster, months=True)``, ``read_frame(..., months=True)``) also gives each
        group's people whose decision is ``uncertain``, and marks them in the selection."""
        frame = _frame_or_raise(frame, "quota_plans")
        as_of, params = reference_date(_date(as_of), self.checked), self._params(params)
        self._frame_none_after(frame, as_of)
        with _typed_frame("quota_plans"):
            decided = decided_with_uncertain(self._frame_decider(as_of, params, False), frame)
        return plan_quotas_frame(self.checked, frame, decided["status"], as_of=as_of, params=params,
                                 declines=decided["may_decline"], uncertain=decided[UNCERTAIN_COLUMN])

    @property
    def _tables(self):
        """The tables as a roster is read for this policy: what it reads, what stands in."""
        return self.checked.teachers, self.checked.schools

    def _tables_at(self, as_of: dt.date | None):
        """``_tables``, the teachers read to be decided at ``as_of`` (R029; none: not checked)."""
        return self.checked_at(as_of).teachers, self.checked.schools

    def reading_at(self, as_of: dt.date | str) -> Policy:
        """This policy reading rosters to be decided at ``as_of``: a birth or a date of a
        teacher's working life after it is a problem of the row (R029), as the CLI reads them."""
        return Policy(self.checked_at(_date(as_of)))

    def checked_at(self, as_of: dt.date | None) -> CheckedPolicy:
        """The checked policy whose readers refuse a date of a teacher's life after ``as_of``
        (kept per date, as the compiled deciders are)."""
        if as_of is None:
            return self.checked
        try:
            return self._checked_at[as_of]
        except KeyError:
            if len(self._checked_at) >= _MAX_DECIDERS:
                self._checked_at.clear()
            read = attrs.evolve(self.checked, teachers=attrs.evolve(self.checked.teachers, reference=as_of))
            self._checked_at[as_of] = read
            return read

    def _decidable(self, roster: R.Roster, as_of: dt.date, skip_invalid: bool) -> None:
        """Raises ``RosterError`` when no row of ``roster`` can be decided (a problem of the whole
        file: unreadable, a column missing or given twice), or when a valid teacher has a date of
        their life after ``as_of`` (R029: a roster read without that date is checked against it
        here); warns ``SkippedRows`` when rows with problems are left undecided unasked."""
        _roster_or_raise(roster)
        if whole := R.whole_file_problems(roster.problems):
            raise RosterError(whole)
        problems = R.after_reference_rows(roster, self.checked_at(as_of).teachers)
        if problems:
            raise RosterError(problems)
        if not skip_invalid and (skipped := sum(not r.valid for r in roster.teachers)):
            warnings.warn(SkippedRows(skipped, len(roster.teachers)), stacklevel=3)

    def _frame_none_after(self, frame, as_of: dt.date) -> None:
        """``_decidable``'s R029 check of a frame of typed rows, its problems named by the teacher's id."""
        problems = after_reference_in_frame(frame, self.checked_at(as_of).teachers)
        if problems:
            raise RosterError(problems)

    def _decider(self, as_of: dt.date, params: Mapping[str, object] | None) -> Decider:
        return self._compiled("closures", as_of, params, lambda: compile_decider(self.checked, as_of, params))

    def _compiled(self, kind: object, as_of: dt.date, params: Mapping[str, object] | None, build: Callable):
        """``build()``, kept per (``kind``, reference date, parameters): compiling costs more
        than deciding one record or a small batch."""
        try:
            # the type is part of the key: True == 1, but a condition must be `True` to hold
            key = (kind, as_of, tuple(sorted((k, type(v), v) for k, v in params.items())) if params else None)
            return self._deciders[key]
        except KeyError:
            pass
        except TypeError:  # unhashable or unorderable parameters: compile for this call only
            return build()
        if len(self._deciders) >= _MAX_DECIDERS:
            self._deciders.clear()  # callers with ever-new dates or parameters: stay small
        compiled = self._deciders[key] = build()
        return compiled

    def _normalise(self, teacher: Mapping, school: Mapping | None, strict: bool = False,
                   as_of: dt.date | None = None) -> tuple[dict, dict, tuple[S.Assumption, ...]]:
        """Typed values of the teacher and their school, and the values stated for the columns
        they lack (as a roster of them has them), to be decided at ``as_of``; raises
        ``RosterError`` listing every problem."""
        _mappings_or_raise([teacher], "teacher")
        fields = self._school_fields_needed
        if school is None and fields:
            raise RosterError([R.RosterProblem(
                "api", 1, "school", None, "R005",
                f"no school given: the policy reads the teacher's school ({', '.join(f.name for f in fields)}): "
                "pass it as `school`",
                f"未给出学校：政策读取教师所在学校的{'、'.join(f.zh for f in fields)}，请以 school 参数给出该学校的记录")])
        _mappings_or_raise([school or {}], "school")
        teacher = dict(teacher)
        school = dict(school or {})
        keys = [_school_id_key(record, table) for record, table in ((teacher, self.checked.teachers),
                                                                     (school, self.checked.schools))]
        school_id = next((record[key] for record, key in zip((teacher, school), keys) if key and record[key]), "-")
        for record, key in zip((teacher, school), keys):  # under any header: two would be two columns for one field
            if key is None:
                record["school_id"] = school_id
        read = self._reader.read(teacher, school)
        teachers = self.checked_at(as_of).teachers
        if read is not None and not R.after_reference(teachers, read[0], R.LIFE_DATES):
            values = read[0]
            if R.starts_before_work(values.get("school_start"), values.get("work_start")):
                # said (R050) of the values read, not by reading the record again through the roster reader:
                # a loop over teachers with the two dates swapped took four times as long
                _values_to_check([self._early_start_of_one(teacher)], stacklevel=4)
            return read
        roster = self.roster_from_records([teacher], [school], as_of=as_of)  # unusual forms, and every problem
        # a key no column has (R012), and one with no name given a value (R042: csv.DictReader's None for a row's
        # cells past its header, an empty header cell's ""), each read by nothing
        unknown = [w for w in roster.warnings if w.code in _UNREAD]  # (and R051: a note nothing reads, 已调出)
        refused = [w for w in unknown if w.code in _UNKNOWN] if strict else []
        if roster.problems or refused:
            raise RosterError([_another_school(p, school, keys[1]) for p in roster.problems] + refused)
        if unknown:  # a misspelt key would otherwise read as absent without a word
            warnings.warn(UnknownKeys(unknown), stacklevel=3)
        _values_to_check([self._early_start_of_one(teacher) if w.code == "R050" else w for w in roster.warnings],
                         stacklevel=4)
        row = roster.teachers[0]
        return row.values, roster.schools.get(row.values.get("school_id"), {}), roster.assumptions

    def _early_start_of_one(self, teacher: Mapping) -> R.RosterProblem:
        """R050 of the one ``teacher`` decided: their two dates as given, not the roster's count of rows
        (列“到校时间”有 1 行…) a list of records is told."""
        written = R.map_header(R.TEACHER_RECORDS, self.checked.teachers, list(teacher)).written
        given = {name: teacher[written[name]] for name in (*R.EARLY_START, "id") if name in written}
        return R.early_start_of_one(R.TEACHER_RECORDS, self.checked.teachers, given.get("school_start"),
                                    given.get("work_start"), given.get("id"), written.get("school_start"))


# what reading a record's keys says of values nothing reads (``UnknownKeys``): a key no column has (R012), one
# with no name given a value (R042), both refused with ``strict``; and a column nothing reads saying that
# someone has left (R051: 备注 已调出), as ``eval`` and the service say it, never refused (a carried 备注 says it too)
_UNKNOWN = ("R012", "R042")
_UNREAD = (*_UNKNOWN, "R051")


def _reading_notes(source: str, table: S.Table, rows) -> list[R.RosterProblem]:
    """What the readers say of records' cells nothing reads (``roster.records_reading_notes``: R042, R051,
    numbered from 1 as the service's records are), of a list of records or a polars table (``evaluate_table``'s):
    of a table, only its rows with text in a column with no name or a note saying someone has left are
    looked at, each by its row."""
    import polars as pl

    header = _header_of(rows)
    mapped = R.map_header(source, table, header)
    lines = None
    if isinstance(rows, pl.DataFrame):
        unheaded = [name for name in header if not R.header_name(name)]
        notes = [header[k] for k in mapped.extras] if table.name == "teacher" else []
        if not unheaded and not notes:
            return []
        text = [pl.col(name).cast(pl.Utf8).str.strip_chars() for name in (*unheaded, *notes)]
        noted = pl.any_horizontal(*(t.str.len_bytes().fill_null(0) > 0 for t in text[:len(unheaded)]),
                                  *(t.str.contains(GONE.pattern).fill_null(False) for t in text[len(unheaded):]))
        with _read_as_cells(table.name):
            found = rows.with_row_index("\x00row", offset=1).filter(noted)
        if not found.height:
            return []
        lines, rows = found["\x00row"].to_list(), found.drop("\x00row").to_dicts()
    return [w for w in R.records_reading_notes(source, table, mapped, rows, lines) if w.code in _UNREAD[1:]]


# what reading says of values it read as given that a roster seldom holds (``ValuesToCheck``): teachers at the
# school before starting work (R050), as ``eval`` and the service say it
_TO_CHECK = ("R050",)


def _values_to_check(notes: Iterable[R.RosterProblem], stacklevel: int) -> None:
    """A ``ValuesToCheck`` warning of those of ``notes`` (a roster's warnings) that say one, if any."""
    found = [w for w in notes if w.code in _TO_CHECK]
    if found:
        warnings.warn(ValuesToCheck(found), stacklevel=stacklevel)


def _early_starts_in(typed, written: Mapping[str, str]) -> list[R.RosterProblem]:
    """R050 of a typed table's rows (numbered from 1, as records are), as the row reader says it: polars
    counts them and finds the first, and ``roster.early_start_notes`` words them; ``written``: the
    table's headers. (A table's every row is no Python object: a million teachers, most of them with the
    two columns swapped, took a second more.)"""
    if not all(name in written for name in R.EARLY_START):  # (as the row reader: both columns given)
        return []
    early, both = starts_before_work_exprs()
    count, given = typed.select(early.sum().alias("early"), both.sum().alias("both")).row(0)
    if not count:
        return []
    first = (typed.lazy().with_row_index("\x00row", offset=1).select("\x00row", "id", *R.EARLY_START)
             .filter(early).head(R.ROWS_NAMED).collect())  # (the few columns only: a table may have many)
    return R.early_start_notes(R.TEACHER_RECORDS, written, first.iter_rows(), (count, given))


def _another_school(problem: R.RosterProblem, school: Mapping, key: str | None) -> R.RosterProblem:
    """The reader's R005 for the one school given to ``decide`` (another teacher's, in a loop) in
    words for a call given one school: 'not in the schools table' named a table there was none of."""
    if problem.code != "R005" or problem.file != R.TEACHER_RECORDS or key is None or not school.get(key):
        return problem
    given = R.header_name(school[key])  # (as a cell's text)
    return attrs.evolve(problem, message_en=f"the school given is `{given}`, and the teacher's school_id is "
                                            f"`{problem.value}`: pass the teacher's own school as `school`",
                        message_zh=f"给出的学校是“{given}”，而该教师的学校代码是“{problem.value}”：请以 school 参数给出该教师"
                                   "所在学校的记录")


_ENGINES = ("bulk", "reference")


def _unknown_engine(engine: object) -> WrongArgument:
    """T201: ``evaluate``'s engine is none it has, the nearest named (`Bulk`, `ref`)."""
    shown, said = repr(engine)[:80], str(engine).strip().lower()
    hint = next((e for e in _ENGINES if said and e.startswith(said)), None) or did_you_mean(said, _ENGINES)
    return WrongArgument("T201", f"`evaluate` takes engine=\"bulk\" (compiled to polars, the default) or \"reference\" "
                                 f"(the interpreter), not {shown}" + (f"; did you mean \"{hint}\"?" if hint else ""),
                         f"evaluate 的 engine 应为 \"bulk\"（编译为 polars，默认）或 \"reference\"（解释器），而不是 {shown}"
                         + (f"；是否应为 \"{hint}\"？" if hint else ""))


def _school_fields_without_value(schools) -> tuple:
    return tuple(schools.field(n) for n, _ in schools.reads if n != "school_id" and schools.assumption(n) is None)


@attrs.frozen
class WhatIf:
    """What a draft changes on one roster: the diff, the change in each quota group's
    requirement (None when neither policy has quotas), and a sweep's points if asked."""

    report: DiffReport
    quota_changes: list[dict] | None
    sweep: list[tuple[object, int, int]] | None  # (value, people whose decision changes, of them in status)


def reading_both(base: Policy, draft: Policy) -> Policy:
    """A policy reading every column either policy reads: the one roster both are decided on."""
    return Policy(widest(base.checked, draft.checked))


def _undeclared_column(tables: tuple[S.Table, S.Table], key: str) -> R.AssumptionError:
    """R043: a value stated for a column this policy neither declares nor reads. Often a column
    another policy declares (a county's `field teacher.婴儿出生日期`, stated for the province it
    extends), which no near name of this policy's is meant for (婴儿出生日期 is no 出生日期): a
    name is offered only where it may be a slip (援派结束 for 援派结束时间), not where the stated
    one says more than it."""
    by = tables[0].caller
    table_name, name = R.table_and_name(key, tables)
    table = next(t for t in tables if t.name == table_name)
    hint = did_you_mean(name, [f.name for f in table.fields] + [f.zh for f in table.fields])
    if hint is not None and hint in name:
        hint = None
    return R.AssumptionError(
        by, "R043",
        f"{by.assume_en} {key} [R043]: this policy neither declares nor reads a column `{key}` (no roster column, "
        f"no `field` of this policy)" + (f"; did you mean `{hint}`?" if hint else
                                         "; a column another policy declares (a county file's `field`) is stated for "
                                         "that policy, not this one"),
        f"{by.assume_zh} {key} [R043]：本政策没有声明、也不读取“{key}”这一列（它不是名册规定的列，也不是本政策用 field 声明的列）"
        + (f"，是否应为“{hint}”？" if hint else "；另一份政策（如县级文件）用 field 声明的列，请为那份政策声明取值，本政策用不上"),
        key)


def assuming_both(base: Policy, draft: Policy, values: Mapping[str, object], *, strict: bool = False
                  ) -> tuple[Policy, Policy]:
    """Two policies compared on one roster (a what-if), each with the values stated for its own
    absent columns (``Policy.assuming``): a column only one of them declares (a county's new
    婴儿出生日期) is stated for that one alone; one neither declares is refused by the draft's
    columns (``AssumptionError``, naming the nearest). What ``diff --assume``, the studio's
    report and ``/v1/diff`` all do."""
    known = [{k for k in values if R.names_a_column(p._tables, k)} for p in (base, draft)]
    return (base.assuming({k: v for k, v in values.items() if k in known[0]}, strict=strict),
            draft.assuming({k: v for k, v in values.items() if k in known[1] or k not in known[0]}, strict=strict))


def comparison_date(base: Policy, draft: Policy, as_of: dt.date | str | None = None) -> dt.date:
    """The one date two policies are compared at: the caller's, else the draft's own, else the
    base's (``reference_date``); a roster compared is read for it."""
    return reference_date(_date(as_of), draft.checked, base.checked)


def what_if(base: Policy, draft: Policy, frame, *, as_of: dt.date | str | None = None,
            base_params: Mapping | None = None, draft_params: Mapping | None = None,
            sweep: tuple[str, Sequence[object]] | None = None) -> WhatIf:
    """Compare two policies (or one with other parameters) on a roster table read for both
    (``reading_both``), at one reference date (``comparison_date``)."""
    _policy_or_raise(base, "what_if"), _policy_or_raise(draft, "what_if")
    frame = _frame_or_raise(frame, "what_if")
    as_of = comparison_date(base, draft, as_of)
    reading_both(base, draft)._frame_none_after(frame, as_of)
    base_params, draft_params = base._params(base_params), draft._params(draft_params)
    with _typed_frame("what_if"):
        uncertain = _uncertain_rows(frame, base._frame_decider(as_of, base_params, False),
                                    draft._frame_decider(as_of, draft_params, False), _open_columns(base, draft))
    report = diff_frame(base.checked, draft.checked, frame, as_of=as_of, base_params=base_params,
                        draft_params=draft_params, uncertain=uncertain)
    quotas = None
    if base.checked.quotas or draft.checked.quotas:
        quotas = quota_changes(base.checked, draft.checked, frame, report.statuses["before"],
                               report.statuses["after"], as_of=as_of, base_params=base_params,
                               draft_params=draft_params)
    points = None
    if sweep:
        name, values = _sweep_or_raise(draft, sweep)
        points = sweep_frame(base.checked, draft.checked, frame, name, values, as_of=as_of,
                             base_params=base_params, draft_params=draft_params)
    return WhatIf(report, quotas, points)


def _sweep_or_raise(draft: Policy, sweep: object) -> tuple[str, list]:
    """``what_if``'s sweep, (a parameter of the draft, its values), each value checked as ``params``
    checks one (a name the draft has not, with the nearest; a value not of its type): a misspelt
    name swept nothing, every point 'no one changes'. ``WrongArgument`` (T201) for another shape."""
    if not (isinstance(sweep, Sequence) and not isinstance(sweep, str) and len(sweep) == 2
            and isinstance(sweep[1], Iterable) and not isinstance(sweep[1], (str, bytes, Mapping))):
        raise WrongArgument("T201", f"`what_if` takes sweep=(parameter, values), such as (\"age_cap_female\", "
                                    f"[45, 50, 55]), not {sweep!r:.80}",
                            f"what_if 的 sweep 应为 (参数名, 取值列表)，如 (\"age_cap_female\", [45, 50, 55])，"
                            f"而不是 {sweep!r:.80}")
    name, values = sweep[0], list(sweep[1])
    return name, [draft._params({name: value})[name] for value in values]


def _open_columns(*policies: Policy) -> list[str]:
    """The frame's columns an empty value of which may leave a decision open: those a reader can
    leave empty that the conditions of ``policies`` read (``lang.reads.decision_reads``)."""
    from policylang.lang.frame import column_name
    from policylang.lang.reads import decision_reads
    from policylang.lang.semantics import empty_fields

    return sorted({column_name(*f) for p in (p.checked for p in policies)
                   for f in empty_fields(p, set().union(*decision_reads(p).values()))})


def _uncertain_rows(frame, base: FrameDecider, draft: FrameDecider, open_columns: Sequence[str] = ()
                    ) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The rows of ``frame`` (with the year-month flags) whose decision by ``base`` or by
    ``draft`` a value the roster does not give leaves uncertain: row -> the fields, under each.
    Only the rows with a year-month date or an empty cell in ``open_columns`` are decided again."""
    import polars as pl

    months = [c for c in frame.columns if c.startswith(MONTH)]
    empty = [pl.col(c).is_null() for c in open_columns if c in frame.columns]
    candidates = [pl.col(months).fill_null(False)] if months else []
    if (open_category := open_category_rows(frame)) is not None:
        candidates.append(open_category)
    if not candidates and not empty:
        return {}
    rows = frame.select(pl.arg_where(pl.any_horizontal(*candidates, *empty))).to_series()
    if rows.is_empty():
        return {}
    some = frame[rows]
    marks = [decided_with_uncertain(decide, some)[UNCERTAIN_COLUMN].to_list() for decide in (base, draft)]
    return {row: (split_joined(b), split_joined(d)) for row, b, d in zip(rows.to_list(), *marks) if b or d}


def check_file(path: str | Path) -> tuple[CheckedPolicy | None, list[Diagnostic], dict[str, Source]]:
    """Check a policy file without raising: the checked policy (None on errors), every
    diagnostic, and the texts to render them with. ``OSError`` when it cannot be read."""
    return compile_source(read_source(path))


def format_file(path: str | Path) -> tuple[str, str]:
    """A policy file's text and the same text in the canonical layout (``format_text``).
    Raises ``PolicyError`` when the file is no policy text or does not parse (``text``: the
    file's text, when it is one), ``OSError`` when it cannot be read."""
    source = read_source(path)
    if isinstance(source, UnreadableSource):
        raise PolicyError([source.problem], {source.name: source})
    try:
        return source.text, format_text(source.text, source.name)
    except PolicyError as exc:
        exc.text = source.text  # the punctuation can still be mended (``ascii_punctuation``)
        raise


def _date(value: dt.date | str | None) -> dt.date | None:
    """A reference date given as a date, or as text in any full-date form a roster may write
    (``2025-09-01``, ``2025/9/1``, ``2025年9月1日``, ``20250901``, also as the number 20250901, as
    the service's ``as_of`` takes it); a month alone is not a reference date.
    A ``datetime`` without an offset is its day (``datetime.now()``); one with an offset is a
    moment whose own day may not be Beijing's (2025-08-31T16:00Z is 9月1日 there): refused (T225)
    naming its day in Beijing time, as text of a moment is, and as the service refuses both."""
    if type(value).__name__ == "datetime64":  # numpy's, as a pandas or numpy column gives it: its day
        day = value.astype("datetime64[D]").item()
        if day is None:  # numpy's NaT: no date, not the policy's default one
            raise NotADate(value)
        value = day
    if type(value).__name__ == "NaTType":  # pandas's NaT (a datetime whose .date() fails to compare): no date
        raise NotADate(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # a Python caller's datetime.now(): its day
            return value.date()
        raise NotADate(value, R.why_no_day(value, None))  # a moment: its own day may not be Beijing's
    if value is None or isinstance(value, dt.date):
        return value
    try:  # text, or the number 20250901, as the service's `as_of` and a record's date take it
        day = R.parse_date(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    except ValueError:
        day = None
    if day is None or isinstance(day, MonthDate):
        raise NotADate(value, R.why_no_day(value, day))
    return day


class WrongArgument(PolicyError, ValueError):
    """An option of an API call given a value it does not take (an engine, a date, a chunk size, a
    format): the API's own error, a ``PolicyError`` with its code (T201, T225); a ``ValueError``
    too, as such a refusal always was."""

    def __init__(self, code: str, en: str, zh: str):
        super().__init__([error(code, None, en, zh)], {})


class NotADate(WrongArgument):
    """A reference date that is no full date (T225)."""

    def __init__(self, value: object, why: tuple[str, str] = ("", "")):
        super().__init__("T225", f"`{value}` is not a date{why[0]} (YYYY-MM-DD, 2025/9/1, 2025.9.1, "
                                 "2025年9月1日 or 20250901, as text or a number; a datetime.date)",
                         f"`{value}` 不是日期{why[1]}（应写作 2025-09-01、2025/9/1、2025.9.1、2025年9月1日 或 20250901，"
                         "文本或数字均可；或 datetime.date）")


def _parameter(policy: CheckedPolicy, name: object):
    param = policy.parameters.get(name) if isinstance(name, str) else None
    if param is None:
        said = str(name)
        hint = did_you_mean(said, policy.parameters)
        by_call: dict[str, list[str]] = {}  # what the descriptions call each parameter -> the parameters so called
        for n, p in policy.parameters.items():
            if p.doc:
                by_call.setdefault(parameter_called(p.doc), []).append(n)
        called = {c: names[0] for c, names in by_call.items() if len(names) == 1}  # no guess between two
        if hint is None:  # a drafter's own words for it: the parameter's description (女教师交流年龄上限)
            holding = [c for c in by_call if said and (said in c or c in said)]
            near = did_you_mean(said, by_call) or (holding[0] if len(holding) == 1 else None)
            hint = called.get(near) if near else None
        # each with what its description calls it, or the whole description where two are called alike
        names = {n: (parameter_called(p.doc) if len(by_call.get(parameter_called(p.doc), ())) == 1 else p.doc or "")
                 for n, p in policy.parameters.items()}
        if hint is not None:
            en = f"; did you mean `{hint}`" + (f" ({names[hint]})" if names[hint] else "") + "?"
            zh = f"；是否应为 `{hint}`" + (f"（{names[hint]}）" if names[hint] else "") + "？"
        else:  # the names there are, with what each is
            listed = list(names.items())[:_PARAMETERS_LISTED]
            more = len(names) > len(listed)
            en = "; the policy's parameters: " + ", ".join(n + (f" ({d})" if d else "") for n, d in listed) \
                + (", …" if more else "") if listed else "; the policy has no parameters"
            zh = "；本政策的参数：" + "、".join(n + (f"（{d}）" if d else "") for n, d in listed) \
                + ("等" if more else "") if listed else "；本政策没有参数"
        raise PolicyError([error("R107", None, f"unknown parameter `{name}`{en}", f"未知参数 `{name}`{zh}")], {})
    return param


_PARAMETERS_LISTED = 12  # named in an unknown parameter's message


def parameter_called(doc: str | None) -> str:
    """What a parameter's description calls it: without a bracketed remark at its end
    (女教师交流年龄上限, of 女教师交流年龄上限（45周岁以下，含45）) or an ASSUMPTION's label before it."""
    called = without_assumption_label(doc or "")
    return re.sub(r"\s*[（(][^（）()]*[）)]$", "", called)


def typed_parameter_value(policy: CheckedPolicy, name: str, value: object) -> object:
    """A parameter value given as a Python value, checked against the parameter's type:
    a finite number (not a yes/no) for a number, a ``date``, a ``bool``, a code."""
    from policylang.frontend import limits
    from policylang.lang import types as T

    type_ = _parameter(policy, name).type
    if isinstance(value, decimal.Decimal) and value.is_finite():  # as a database's NUMERIC gives it: exact
        value = Fraction(value)
    elif isinstance(value, numbers.Real) and not isinstance(value, (int, float, Fraction)):
        # a numpy number (np.int64 from a frame): as the Python number it stands for; a float32 by its
        # own shortest form (0.1, not the float64 nearest to it)
        value = int(value) if isinstance(value, numbers.Integral) else float(str(value))
    if isinstance(type_, T.NumberType) and isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
        if not isinstance(value, float) or math.isfinite(value):
            # within the numbers and durations a policy may state, as the same value written as text
            # (a float by its shortest decimal form: 0.1 is the 0.1 written, not the binary fraction)
            exact = _decimal(float(value)) if isinstance(value, float) else Fraction(value)
            problem = limits.number_beyond_error(None, _shown(value)) if limits.value_beyond(exact) else None
            longest = limits.duration_beyond(abs(exact), type_.unit)
            if problem is None and longest is not None:
                problem = limits.duration_beyond_error(None, longest, type_.unit)
            if problem is not None:
                raise PolicyError([attrs.evolve(problem, en=f"parameter `{name}`: {problem.en}",
                                                zh=f"参数 `{name}`：{problem.zh}")], {})
            return policy.checked_override(name, T.number_value(exact))
    elif isinstance(type_, T.DateType) and isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    elif isinstance(type_, T.BoolType) and isinstance(value, bool):
        return value
    shown = _given(value)
    raise PolicyError([error("T201", None, f"parameter `{name}` is a {type_.describe()}, not `{shown}`",
                             f"参数 `{name}` 应为{type_.describe('zh')}，不能取 `{shown}`")], {})


def _given(value: object) -> str:
    """A value of the wrong kind given for a parameter, as the caller wrote it: the service's
    callers write JSON (`null`, `true`, `[1]`), so that is how it reads; at most 60 characters."""
    try:
        shown = repr(value) if isinstance(value, float) else json.dumps(value, ensure_ascii=False, default=repr)
    except ValueError:  # a list holding itself
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def _decimal(value: float) -> Fraction:
    """A float given for a parameter as the decimal meant: its shortest form (0.1), or that
    rounded to the decimals a policy may write when the rest is a float's noise, far below the
    value (0.1 + 0.2 = 0.30000000000000004 is 0.3; 1e-07, 1e-300 and 100/3 are not rounded, and
    are refused)."""
    from policylang.frontend import limits

    exact = Fraction(repr(value))
    rounded = round(value, limits.MAX_DECIMALS)
    if limits.value_beyond(exact) and abs(value - rounded) <= 1e-12 * abs(value):  # a float's own error
        return Fraction(repr(rounded))
    return exact


def _shown(value: object) -> str:
    """A number given as a value, as a message shows it: `1e+308`, `2.5`, `5/2`."""
    return repr(value) if isinstance(value, float) else str(value)


def parse_parameter_value(policy: CheckedPolicy, name: str, text: str) -> object:
    """A parameter value written as in a policy, checked against the parameter's type and
    ``checked_override``; raises ``PolicyError``."""
    from policylang.lang import types as T

    param, given_in = _parameter(policy, name), policy.teachers.caller.params
    if not isinstance(param.type, T.NumberType):
        return policy.checked_override(name, _written_value(param, text, given_in))
    written = text.strip()
    # the language writes no negative number: `-5 years` would be a syntax error, where the caller
    # is owed the reason it cannot be (checked_override: not negative)
    negative = written.startswith("-")
    value = _written_value(param, written[1:] if negative else text, given_in)
    # within the numbers and durations a policy may state (`540 years` for 54), as a typed value is
    return typed_parameter_value(policy, name, -value if negative else value)


def _written_value(param, text: str, given_in: str) -> object:
    """The value of a parameter written as in a policy, of the parameter's type; ``given_in``
    names where the caller wrote it (``<--set>``), for the diagnostics."""
    from policylang.frontend.check import Checker
    from policylang.frontend.lower import lower
    from policylang.frontend.parser import parse
    from policylang.frontend.resolve import Merged
    from policylang.lang import types as T

    name = param.name
    source = Source(given_in, f"parameter {name} = {text}")
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    number = re.match(r"\s*(\d+(?:\.\d+)?)", text)
    unit = param.type.unit if isinstance(param.type, T.NumberType) else None
    # (an age in 周岁, as the policy's own text says it: 岁 alone may be read as a nominal age, 虚岁)
    forms = {"years": ("years", "周岁" if getattr(param, "age", False) else "年"), "months": ("months", "个月"),
             "days": ("days", "天"), "percent": ("%", "%")}
    # `45岁` for a parameter in years: the forms it may take, with the number given
    said = (forms[unit], number[1]) if number and unit in forms else None
    not_of_type = PolicyError([error("T201", None, f"parameter `{name}` is a {param.type.describe()}, not `{shown}`",
                                     f"参数 `{name}` 应为{param.type.describe('zh')}，不能取 `{shown}`",
                                     help_en=f"write `{said[1]}` or `{said[1]} {said[0][0]}`" if said else None,
                                     help_zh=f"可写作 `{said[1]}` 或 `{said[1]}{said[0][1]}`" if said else None)], {})
    tree, diagnostics = parse(source)
    if tree is None:  # `45 kg`: the parser's "unexpected `kg`" named neither the parameter nor what it takes
        raise not_of_type
    module, diagnostics = lower(tree, source.name)
    if len(module.decls) != 1:  # `45 years` and then a declaration of its own: one value, not a policy
        raise not_of_type
    decl = module.decls[0]
    checker = Checker(Merged())
    value, type_ = checker.value_of(decl.value, param.type, decl.span, f"parameter `{name}`", f"参数 `{name}`")
    problems = diagnostics + checker.diagnostics
    if problems or value is None:
        raise PolicyError(problems, {source.name: source})
    return value


def _assuming(decision: Decision, assumed: Sequence[S.Assumption]) -> Decision:
    """The decision listing the values stated for the columns its record or roster lacked."""
    return attrs.evolve(decision, assumptions=tuple(a.text() for a in assumed)) if assumed else decision


def _header_of(table) -> list[str]:
    """A table's columns: a frame's, or its records' (``roster.records_header``)."""
    return list(table.columns) if hasattr(table, "columns") else R.records_header(table)


@contextmanager
def _read_as_cells(what: str):
    """A table read as cells: a column holding no single values is R009 (``NotScalar``, as in a
    Parquet file), and what a table library raises (a panic too) for a column of a kind no cell
    is (a period, a complex number, a union) R015 with its words, as ``RosterError``."""
    try:
        yield
    except R.NotScalar as exc:
        raise RosterError([exc.problem(R.RECORDS)]) from None
    except BaseException as exc:  # noqa: BLE001 - a library's own, of any kind
        if not R.unreadable_error(exc):
            raise
        what_zh = {"teacher": "教师", "school": "学校"}[what]
        detail = _error_detail(exc)
        raise _refused(f"the {what} table cannot be read as cells of text, numbers, dates or yes/no ({detail})",
                       f"{what_zh}表无法读取为文本、数字、日期或是/否的单元格：请先转换其中的特殊类型列（{detail}）") from None


def _table_or_records(table, what: str):
    """A polars, pandas or pyarrow table (a polars LazyFrame collected) as a polars DataFrame
    checked as a Parquet file's columns are; anything else as records (``_mappings_or_raise``)."""
    import polars as pl

    if isinstance(table, pl.LazyFrame):  # pl.scan_csv(...): what evaluate_frame takes too
        with _read_as_cells(what):
            table = table.collect()
    pandas = hasattr(table, "to_numpy") and hasattr(table, "iloc")
    arrow = hasattr(table, "__arrow_c_stream__") or type(table).__module__.startswith("pyarrow")
    if not (isinstance(table, pl.DataFrame) or pandas or arrow):
        return _mappings_or_raise(table, what)  # records, or the API's error (R015)
    if pandas and (records := _mixed_as_records(table, what)) is not None:
        return records
    with _read_as_cells(what):
        if pandas:
            table = pl.from_pandas(table)
        elif not isinstance(table, pl.DataFrame):
            table = pl.from_arrow(table)
        R.scalar_columns_or_raise(table.schema)  # as a Parquet file's: lists or bytes are no cells
        return R.outside_calendar_as_text(table)


_UNSHOWN = object()


def _refused(en: str, zh: str, given: object = _UNSHOWN, row: int | None = None) -> RosterError:
    """R015: an API call given what it does not take, ``given`` quoted (to 80 characters) where shown."""
    value = None if given is _UNSHOWN else repr(given)[:80]
    return RosterError([R.RosterProblem(R.RECORDS, row, None, value, "R015", en, zh)])


def _error_detail(exc: BaseException) -> str:
    """A library's error in one line for a message: its kind and first line, to 200 characters."""
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:200]


def _roster_or_raise(roster: object) -> R.Roster:
    """``roster`` if it is one; ``RosterError`` (R015) saying what reads one otherwise (records, a
    frame, None)."""
    if not isinstance(roster, R.Roster):
        given = type(roster).__name__
        raise _refused(f"a roster is read by `read_roster` or `roster_from_records`, not given as {given}; "
                       "records are decided by `decide`, a table by `evaluate_table`",
                       f"名册应由 read_roster 或 roster_from_records 读入，而不是 Python 的 `{given}`；"
                       "单条记录用 decide，表格用 evaluate_table", roster)
    return roster


def _frame_or_raise(frame: object, method: str):
    """A typed roster table (``roster_frame``'s, ``io.columnar.read_frame``'s; a LazyFrame collected)
    for ``method``; ``RosterError`` (R015) for anything else (records, a pandas table, None)."""
    import polars as pl

    if isinstance(frame, pl.LazyFrame):
        with _read_as_cells("teacher"):
            frame = frame.collect()
    if not isinstance(frame, pl.DataFrame):
        given = type(frame).__name__
        raise _refused(f"`{method}` takes a polars table of typed columns as `roster_frame` gives it, not {given}; "
                       "records or a table as read are decided by `evaluate_table`",
                       f"{method} 应传入 roster_frame 给出的 polars 表（各列已按类型读取），而不是 Python 的 `{given}`；"
                       "原始记录或表格请用 evaluate_table", frame)
    return frame


@contextmanager
def _typed_frame(method: str):
    """A frame whose columns are not typed as ``roster_frame`` types them (text where a date or a
    yes/no is read: a table as read from a file) fails in polars: ``RosterError`` (R015) saying so."""
    import polars as pl

    try:
        yield
    except pl.exceptions.PolarsError as exc:
        detail = _error_detail(exc)
        raise _refused(f"`{method}` takes a table typed as `roster_frame` gives it (dates, yes/no and numbers as such), "
                       f"and this one's columns are not ({detail}); a table as read is decided by `evaluate_table`",
                       f"{method} 应传入 roster_frame 给出的表（日期、是/否、数字均已按类型读取），此表的列类型不符（{detail}）；"
                       "原样读入的表格请用 evaluate_table") from None


def _path_or_raise(path: object, what: str, method: str) -> None:
    """``RosterError`` (R015) unless ``path`` names a file (str or pathlib.Path), as ``load`` says
    P008 of a policy's: ``Path(None)`` is pathlib's bare TypeError."""
    if isinstance(path, (str, os.PathLike)):  # (bytes is neither)
        return
    given = type(path).__name__
    what_zh = {"teacher": "教师名册", "school": "学校名册", "output": "输出"}[what]
    raise _refused(f"`{method}` takes the {what} file's path (str or pathlib.Path), not {given}; records or a table "
                   "in memory are read by `roster_from_records` or decided by `evaluate_table`",
                   f"{method} 的{what_zh}文件应以路径（str 或 pathlib.Path）给出，而不是 Python 的 `{given}`；"
                   "内存中的记录或表格请用 roster_from_records 或 evaluate_table", path)


def _reading_options_or_raise(method: str, encoding: object = None, progress: object = None, **_) -> None:
    """``WrongArgument`` (T201) for an ``encoding`` that is no encoding's name (an unknown name is each
    file's R009, as a file in no encoding it names is) or a ``progress`` that is no function: an
    encoding of 1 was said as each file "damaged", a progress of 1 failed after the first chunk."""
    if encoding is not None and not isinstance(encoding, str):
        raise WrongArgument("T201", f"`{method}` takes encoding as an encoding's name (\"utf-8\", \"gb18030\"), not "
                                    f"{encoding!r:.80}",
                            f"{method} 的 encoding 应为编码名称（如 \"utf-8\"、\"gb18030\"），而不是 {encoding!r:.80}")
    if progress is not None and not callable(progress):
        raise WrongArgument("T201", f"`{method}` takes progress as a function of the rows read, not {progress!r:.80}",
                            f"{method} 的 progress 应为以已读行数为参数的函数，而不是 {progress!r:.80}")


def _root_or_raise(root: object) -> Path | None:
    """``load``'s and ``loads``'s ``root`` as a folder's path; ``PolicyError`` (P008) for anything else,
    as a policy's path that is none (``Path(123)`` is pathlib's bare TypeError)."""
    if root is None or isinstance(root, (str, os.PathLike)):
        return Path(root) if root else None
    raise PolicyError([error("P008", None, f"root is a folder's path (str or pathlib.Path), not {type(root).__name__}",
                             f"root 应为文件夹的路径（str 或 pathlib.Path），而不是 Python 的 `{type(root).__name__}`")], {})


def _headers_or_raise(headers: object) -> list[str]:
    """``carrying``'s headers: a list of texts; ``RosterError`` (R015) for a lone text (which would be
    carried letter by letter: 备 and 注), None or a list of other things."""
    if isinstance(headers, Iterable) and not isinstance(headers, (str, bytes, Mapping)):
        headers = list(headers)
        if all(isinstance(h, str) for h in headers):
            return headers
    raise _refused(f"`carrying` takes a list of headers (`[\"备注\"]`), not {headers!r:.80}",
                   f"carrying 应传入表头的列表（如 [\"备注\"]），而不是 {headers!r:.80}", headers)


def _policy_or_raise(policy: object, method: str) -> None:
    """``PolicyError`` (P008) unless ``policy`` is a loaded ``Policy``, as ``load(None)`` says."""
    if not isinstance(policy, Policy):
        given = type(policy).__name__
        raise PolicyError([error("P008", None, f"`{method}` takes policies loaded by load or loads, not {given}",
                                 f"{method} 应传入由 load 或 loads 载入的政策，而不是 Python 的 `{given}`")], {})


def _mixed_as_records(table, what: str) -> list[Mapping] | None:
    """A pandas table with a column of Python objects of more than one kind (an HR export's 工号 of
    numbers and text, 出生年月 of dates and text, a column of ``Fraction``s), which Arrow cannot hold
    as one typed column, as its records: each cell read as a record's value is, as ``decide`` reads
    it, not the table refused (R015). None for a table Arrow can hold."""
    import pandas as pd

    if not isinstance(table, pd.DataFrame):  # (a Series: refused as the table it is not, R015)
        return None
    objects = [name for name, dtype in table.dtypes.items() if dtype == object]
    if not objects or not table.columns.is_unique:  # (a column given twice: R015, as from Arrow)
        return None
    import pyarrow as pa

    try:
        for name in objects:
            pa.array(table[name], from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        rows = table.astype(object).where(pd.notna(table), None).to_dict("records")
        return _mappings_or_raise(rows, what)
    return None


def _records(table, what: str) -> list[Mapping]:
    """Records, or a table's rows as records: a DataFrame iterated gave its columns, each refused
    as "must map columns to values, not Series"."""
    read = _table_or_records(table, what)
    return read if isinstance(read, list) else read.to_dicts()


def _mappings_or_raise(records: object, what: str) -> list[Mapping]:
    """``records`` as a list of mappings; ``RosterError`` (R015) naming the first that is none."""
    what_zh = {"teacher": "教师", "school": "学校"}[what]
    if type(records) is not list:  # (a list of dicts, the usual, is checked with the cheapest tests: per record)
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
            bad, where_en, where_zh = records, f"the {what} records", f"{what_zh}记录"
            en, zh = (f"{where_en} must be a list of records, not {type(bad).__name__}",
                      f"{where_zh}应为记录的列表，而不是 Python 的 `{type(bad).__name__}`")
            raise _refused(en, zh, bad)
        records = list(records)
    for row, record in enumerate(records, 1):
        if type(record) is not dict and not isinstance(record, Mapping):
            # a pandas row (df.iloc[i], iterrows()) is a Series, no Mapping: how to give one is said
            series = type(record).__name__ == "Series" and hasattr(record, "to_dict")
            hint_en, hint_zh = ((" (a pandas row: give row.to_dict(), or the whole table to evaluate_table)",
                                 "（pandas 的一行请写作 row.to_dict()，或把整张表交给 evaluate_table）") if series else ("", ""))
            raise _refused(f"the {what} record must map columns to values, not {type(record).__name__}{hint_en}",
                           f"{what_zh}记录应为“列名: 取值”的映射（Mapping），而不是 Python 的 `{type(record).__name__}`"
                           + hint_zh, record, row if len(records) > 1 else None)
    return records


def _school_id_key(record: Mapping, table: S.Table) -> str | None:
    """The key under which a record gives its school's id (`school_id`, `学校代码`, an alias)."""
    for usual in ("school_id", "学校代码"):  # the usual keys first: this runs for every record decided
        if usual in record:
            return usual
    return next((k for k in record if isinstance(k, str) and (f := table.header_field(k)) is not None
                 and f.name == "school_id"), None)


def _uncertain(decide: Callable[[Mapping], Decision], values: Mapping, category: bool) -> Decision:
    """A person decided, with the values the roster does not give that their decision depends on
    (contract.md): year-month dates, and with ``category`` (the policy reads it) an empty
    retirement category."""
    decision = decide(values)
    if not open_values(values, category):
        return decision
    return attrs.evolve(decision, uncertain=uncertain_fields(decide, values, decision, category))


def load(path: str | Path, *, root: str | Path | None = None) -> Policy:
    """Load and check a policy file (UTF-8, UTF-16 with a BOM, or GB18030); raises
    ``PolicyError`` listing every problem (P008 if the file cannot be read: that error is an
    ``OSError`` too). ``extends``
    may name only files inside ``root`` (default: the policy's folder)."""
    if not isinstance(path, (str, os.PathLike)):  # Path(None) raises a bare TypeError; a bytes path is refused too
        raise PolicyError([error("P008", None, f"a policy file is named by a path (str or pathlib.Path), not "
                                 f"{type(path).__name__}; give the text itself to loads",
                                 f"政策文件应以路径（str 或 pathlib.Path）给出，而不是 Python 的 `{type(path).__name__}`；"
                                 "政策文本本身请交给 loads")], {})
    return Policy(load_policy(path, root=_root_or_raise(root)))


def loads(text: str | bytes, *, name: str = "<string>", root: str | Path | None = None) -> Policy:
    """Load a policy from a string (or from bytes, read as a file is); raises ``PolicyError``
    listing every problem. ``extends`` is resolved relative to ``root`` and may name only
    files inside it (default: the working folder, as for a file its folder)."""
    if not isinstance(text, (str, bytes)):
        raise PolicyError([error("P008", None, f"a policy is text, not {type(text).__name__}",
                                 f"政策应为文本，而不是 Python 的 `{type(text).__name__}`")], {})
    source = decode_source(name, text) if isinstance(text, bytes) else Source(name, text)
    policy, diagnostics, texts = compile_source(source, root=_root_or_raise(root))
    if policy is None:
        raise PolicyError(diagnostics, texts)
    return Policy(policy)


def verify(policy: Policy, *, refines: Policy | None = None, no_stricter_than: Policy | None = None,
           equivalent: Policy | None = None, allow_exemption: Sequence[str] = (),
           only: Sequence[str] = ("status", "promotion", "consequences"), as_of: dt.date | str | None = None,
           params: Mapping | None = None, other_params: Mapping | None = None, limit: int = 5):
    """What ``policy`` does for every possible person (docs/verify.md), proved with an SMT solver:
    alone, each rule, exemption, prerequisite and consequence, overlaps and gaps; with
    ``refines``, ``no_stricter_than`` or ``equivalent``, that question against the other policy
    (its parameters ``other_params``). Returns an ``analyses.verify.Report`` whose findings carry
    witnesses the reference interpreter has confirmed. Raises ``VerifyError`` for a policy the
    solver cannot be given exactly. (z3 is imported here: no other command pays for it.)"""
    from policylang.analyses import verify as V

    for given in (policy, refines, no_stricter_than, equivalent):
        if given is not None or given is policy:
            _policy_or_raise(given, "verify")
    other = refines or no_stricter_than or equivalent
    as_of = reference_date(_date(as_of), policy.checked, *([other.checked] if other else []))
    params = policy._params(params)
    if other is None:
        return V.verify_policy(policy.checked, as_of=as_of, params=params)
    mine, theirs = ("A", "B") if equivalent is not None else ("DRAFT", "BASE")
    a, b = V.Side(mine, policy.checked, params), V.Side(theirs, other.checked, other._params(other_params))
    if equivalent is not None:
        return V.verify_equivalent(a, b, as_of=as_of, aspects=tuple(only), limit=limit)
    allowed = tuple(CHINESE_EXEMPTIONS.get(code, code) for code in allow_exemption)  # 孕期 is pregnancy
    return V.verify_refines(a, b, as_of=as_of, allowed=allowed, reverse=refines is None, limit=limit)
