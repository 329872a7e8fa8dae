"""The roster the page works on: the uploaded teachers and schools files, read once per
policy's columns, and the decisions of every policy text and parameters asked for.

Files are read by the package's own readers: a CSV or Parquet file by the streamed reader
(``io.columnar.read_frame``, a 100,000-row roster in a fraction of a second), any other by
the row reader; both list every problem by file, row and column. Decisions are kept as one
polars table per (policy, parameters), so that filtering and paging a page of 50 rows out of
100,000 costs milliseconds."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

import attrs
import polars as pl

import policylang
from policylang.core.diagnostics import BilingualError
from policylang.io.columnar import (BLANK, MONTH, STREAMABLE, assumptions_applied, blank_flags,
                                    decided_with_uncertain, read_frame, unparsed_csv)
from policylang.io.id_column import IN_STUDIO, IdsShown, frame_ids_warning
from policylang.io.id_number import masked_in_text
from policylang.io.roster.model import RosterProblem
from policylang.io.roster.files import unreadable_files

SUFFIXES = (".csv", ".xlsx", ".xlsm", ".json", ".parquet", ".txt")
KINDS = {"teachers": ("teachers", "教师名册"), "schools": ("schools", "学校名册")}
SCHOOL_NAME = "school.name"
_KEPT = 8  # decision tables kept (policy texts x parameters)


class UploadError(BilingualError):
    """An uploaded file refused before it is read."""


@attrs.frozen
class Loaded:
    """A roster read for one policy's columns."""

    frame: pl.DataFrame | None  # the valid teachers with their school's columns; None if unusable
    problems: tuple[RosterProblem, ...]
    warnings: tuple[RosterProblem, ...]
    read: int  # teacher rows read
    assumptions: tuple[str, ...] = ()  # values stated for absent columns, as each decision lists them
    months: pl.DataFrame | None = None  # which of ``frame``'s dates were year-month forms (``__month_*``)
    blanks: pl.DataFrame | None = None  # which fields each row read from an empty cell (``__blank_*``)

    @classmethod
    def of(cls, frame: pl.DataFrame | None, *rest, **more) -> Loaded:
        """``frame`` read with its year-month and blank-cell flags, kept apart: the what-if and
        the explanations take the typed columns alone, the decisions the year-month flags too
        (``uncertain``), an explanation the blank cells (任课 = 否（空白）)."""
        if frame is None:
            return cls(None, *rest, **more)
        months = [c for c in frame.columns if c.startswith(MONTH)]
        blanks = [c for c in frame.columns if c.startswith(BLANK)]
        return cls(frame.drop(months, blanks), *rest, **more, months=frame.select(months),
                   blanks=frame.select(blanks))

    def blank(self, row: int) -> frozenset[str]:
        """The fields row ``row`` of the frame read from an empty cell as their empty value."""
        if self.blanks is None or not self.blanks.width:
            return frozenset()
        return frozenset(c[len(BLANK):] for c, flag in self.blanks.row(row, named=True).items() if flag)

    def decidable(self) -> pl.DataFrame:
        """The frame with its year-month flags, to be decided."""
        return self.frame.hstack(self.months) if self.months is not None else self.frame


class RosterStore:
    """The uploaded files (in a folder of their own, outside the policy root) and what was read
    from them. One studio is one drafter's page: one roster at a time."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="policylang-studio-"))
        self.names: dict[str, str] = {}  # kind -> the file's name as uploaded
        self.version = 0  # bumped by every upload: cached readings and decisions are of one version
        self._lock = threading.Lock()
        self._loaded: OrderedDict[object, Loaded] = OrderedDict()
        self._decided: OrderedDict[object, pl.DataFrame] = OrderedDict()

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # ---- files -------------------------------------------------------------------------

    def path(self, kind: str) -> Path | None:
        found = [p for p in self.folder.glob(f"{kind}.*")]
        return found[0] if found else None

    def store(self, kind: str, name: str, data: bytes) -> None:
        """Keep an uploaded file under its kind, with its suffix (which says how it is read). Its name
        is kept to be shown (the page's files, the problems' and the workbook's), an ID number in it
        masked as a roster's problems mask one (张三110105….xlsx)."""
        if kind not in KINDS:
            raise UploadError(f"`{kind}` is neither teachers nor schools", f"“{kind}”既不是教师名册也不是学校名册")
        name = masked_in_text(name or "")
        suffix = Path(name).suffix.lower()
        if suffix not in SUFFIXES:
            old = suffix in (".xls", ".et")  # Excel 97-2003, WPS's own: the roster the office has, saved once more
            raise UploadError(f"`{name}`: upload a .csv, .xlsx, .json or .parquet file"
                              + ("; save it from Excel or WPS as .xlsx first" if old else ""),
                              f"“{name}”：请上传 .csv、.xlsx、.json 或 .parquet 文件"
                              + ("；请先在 Excel 或 WPS 中另存为 .xlsx" if old else ""))
        if not data:
            raise UploadError(f"`{name}` is empty", f"“{name}”是空文件")
        with self._lock:
            for old in self.folder.glob(f"{kind}.*"):
                old.unlink()
            (self.folder / f"{kind}{suffix}").write_bytes(data)
            self.names[kind] = Path(name).name
            self.version += 1
            self._loaded.clear()
            self._decided.clear()

    def store_path(self, kind: str, path: str | Path) -> None:
        """A roster file given on the command line (``--roster``): copied in, like an upload."""
        path = Path(path)
        self.store(kind, path.name, path.read_bytes())

    @property
    def ready(self) -> bool:
        return all(self.path(k) for k in KINDS)

    # ---- reading -----------------------------------------------------------------------

    def load(self, policy: policylang.Policy, as_of: dt.date) -> Loaded:
        """The roster read for ``policy``'s columns, to be decided at ``as_of`` (a table per
        distinct set of columns read and reference date: a date after it is a row's problem)."""
        reading = policy.checked_at(as_of)
        key = (self.version, reading.teachers, reading.schools)
        with self._lock:
            try:
                self._loaded.move_to_end(key)
                return self._loaded[key]
            except (KeyError, TypeError):
                pass
            loaded = self._read(policy, as_of)
            try:
                self._loaded[key] = loaded
            except TypeError:
                pass
            while len(self._loaded) > _KEPT:  # a reading per set of columns and reference date asked
                self._loaded.popitem(last=False)
            return loaded

    def _read(self, policy: policylang.Policy, as_of: dt.date) -> Loaded:
        teachers, schools = self.path("teachers"), self.path("schools")
        if teachers.suffix.lower() in STREAMABLE:
            problems, frame, read, warnings = read_frame(policy.checked_at(as_of), teachers, schools, skip_invalid=True,
                                                         months=True, blanks=True)
            if frame is not None or not unparsed_csv(problems, teachers):
                if unreadable_files(problems):
                    frame = None
                applied = tuple(a.text() for a in assumptions_applied(policy.checked, teachers, schools))
                return Loaded.of(frame, tuple(self._named(problems)), tuple(self._named([*warnings, *self._ids(frame)])),
                                 read, applied)
        roster = policy.read_roster(teachers, schools, as_of=as_of)
        frame = None if unreadable_files(roster.problems) else policy.roster_frame(roster, months=True).with_columns(
            blank_flags([r.blank for r in roster.valid_teachers()]))
        return Loaded.of(frame, tuple(self._named(roster.problems)), tuple(self._named([*roster.warnings,
                                                                                        *self._ids(frame)])),
                         len(roster.teachers), tuple(a.text() for a in roster.assumptions))

    def _ids(self, frame: pl.DataFrame | None) -> list[RosterProblem]:
        """R061 when the teachers' ids are ID numbers, as the decisions and downloads show them (masked:
        the studio has no ``--keep``), said with the roster's other warnings."""
        warning = frame_ids_warning(str(self.path("teachers")), None, frame, IdsShown(), keep=False,
                                    shown_in=IN_STUDIO)
        return [warning] if warning is not None else []

    def _named(self, problems) -> list[RosterProblem]:
        """Problems naming the files as the user uploaded them, not the studio's copies."""
        names = {str(self.path(k)): self.names.get(k, k) for k in KINDS}
        return [attrs.evolve(p, file=names.get(p.file, p.file)) for p in problems]

    # ---- deciding ----------------------------------------------------------------------

    def decisions(self, policy: policylang.Policy, key: object, as_of: dt.date,
                  params: Mapping[str, object] | None) -> tuple[Loaded, pl.DataFrame | None]:
        """Every valid teacher's flat decision (with the rules that fired), their name and school;
        ``key`` names the policy text and parameters (cached)."""
        loaded = self.load(policy, as_of)
        if loaded.frame is None:
            return loaded, None
        full = (self.version, key)
        with self._lock:
            if full in self._decided:
                self._decided.move_to_end(full)
                return loaded, self._decided[full]
        # the evaluator's own flat form (a benefit's last day kept for the page's decisions), not
        # the decisions file's evaluate_frame gives
        decided = decided_with_uncertain(policy.frame_decider(as_of=as_of, params=params, fired=True),
                                         loaded.decidable())
        frame = loaded.frame
        carried = [frame[c] for c in ("name", "school_id") if c in frame.columns]
        if SCHOOL_NAME in frame.columns:
            carried.append(frame[SCHOOL_NAME].alias("school_name"))
        decided = decided.with_columns(*(c.cast(pl.Utf8) for c in carried), pl.int_range(pl.len()).alias("row"))
        with self._lock:
            self._decided[full] = decided
            while len(self._decided) > _KEPT:
                self._decided.popitem(last=False)
        return loaded, decided

    def stream_csv(self, policy: policylang.Policy, layout, as_of: dt.date, params) -> bytes | None:
        """The decisions as a CSV file, written as ``eval -o FILE.csv`` streams a CSV or Parquet
        roster (chunk by chunk, no Python object per teacher); None for other rosters."""
        teachers, schools = self.path("teachers"), self.path("schools")
        if teachers.suffix.lower() not in STREAMABLE:
            return None
        out = Path(tempfile.mkdtemp(dir=self.folder)) / "decisions.csv"
        try:
            _, decided, _, _ = policy.stream_decisions(teachers, schools, out, layout=layout, fmt="csv", as_of=as_of,
                                                       params=params, skip_invalid=True)
            return out.read_bytes() if decided is not None else None
        finally:
            shutil.rmtree(out.parent, ignore_errors=True)

    def record(self, policy: policylang.Policy, row: int, as_of: dt.date) -> tuple[dict, dict, frozenset[str]]:
        """The typed teacher and school values of one row of the valid teachers (read for
        ``as_of``), and the fields it read from an empty cell."""
        loaded = self.load(policy, as_of)
        values = loaded.frame.row(row, named=True)
        teacher = {k: v for k, v in values.items() if not k.startswith("school.")}
        school = {k[len("school."):]: v for k, v in values.items() if k.startswith("school.")}
        return teacher, school, loaded.blank(row)
