"""The decision log: every decision request as one JSON line, appended, fsync'd in batches,
rotated by size.

A request adds its line to the batch in memory; a thread writes the batch with whole lines
and fsyncs it when it holds ``batch`` lines or ``interval`` seconds have passed. A crash (the
process killed, the machine stopped) loses at most the batch not yet written, never a line
written before: lines are only appended, each write ends with a newline, and a file found
ending inside a line when the log opens (a write cut by the crash) is cut back to its last
whole line. When the file would pass ``max_bytes`` it is renamed ``FILE.1`` (``FILE.1``
becomes ``FILE.2`` …, ``keep`` files kept) and a new one begun.

Sensitive facts about a person are masked (``"***"``) unless named in ``unmasked``: the
input's columns of ``SENSITIVE`` (pregnancy, illness, investigation …) and the teacher fields
a policy declares itself (``own_fields``: county_draft.pol's 患病证明), and in the decisions
an exemption that reads one of them (its code would tell: ``pregnancy``), with the clauses
an exempt person's decision cites and the grounds a person may decline on. The decision's
status, rule and the rest are kept: the log is there to show what was decided."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

from policylang.io import roster as R
from policylang.io.id_number import holds_id_number, masked_in_text
from policylang.io.safe_text import json_utf8
from policylang.lang import schema as S
from policylang.lang.reads import exemptions_reading

log = logging.getLogger("policylang.service")

SENSITIVE = S.SENSITIVE_FIELDS
ID_NUMBER = "id_number"  # the resident ID number: who the person is, masked like them
_ID_NUMBER_OTHERS = ("证件号码",)  # read as no column, yet an ID number all the same
MASK = "***"


def own_fields(policy) -> tuple[S.Field, ...]:
    """The teacher fields ``policy`` (an ``api.Policy``) declares itself (``field
    teacher.患病证明: bool``): no contract says what they hold, so nothing says they are harmless."""
    contract = {f.name for f in S.TEACHER_FIELDS}
    return tuple(f for f in policy.checked.teachers.fields if f.name not in contract)


def _masked_fields(unmasked: Iterable[str], policy=None) -> list[S.Field]:
    """The teacher fields masked: the sensitive ones, the ID number and ``policy``'s own, less
    those named (English or Chinese) in ``unmasked``."""
    keep = set(unmasked)
    fields = [f for f in S.TEACHER_FIELDS if f.name in (*SENSITIVE, ID_NUMBER)]
    fields += own_fields(policy) if policy is not None else ()
    return [f for f in fields if f.name not in keep and f.zh not in keep]


def sensitive_headers(unmasked: Iterable[str] = (), policy=None) -> frozenset[str]:
    """Every header a sensitive column, the ID number, or a field ``policy`` declares itself
    may be given under (English, Chinese, every alias the readers take, any case)."""
    out = set() if ID_NUMBER in set(unmasked) else set(_ID_NUMBER_OTHERS)
    for f in _masked_fields(unmasked, policy):
        out |= {f.name, f.name.lower(), f.zh, *f.aliases}
    return frozenset(out)


def masked_assumptions(decision: dict, headers: frozenset[str]) -> dict:
    """``decision`` with what it says of a sensitive column masked: the value of an assumption
    about it (``pregnant=true`` would tell what its exemption's mask hides), and its name among
    the ``uncertain`` dates (``sanction_until`` there tells that a sanction is on record)."""
    said = decision.get("assumptions") or ()
    unsure = decision.get("uncertain") or ()
    if not any(a.partition("=")[0] in headers for a in said) and not any(u in headers for u in unsure):
        return decision
    return decision | {"assumptions": [f"{name}={MASK}" if name in headers else f"{name}={value}"
                                       for name, _, value in (a.partition("=") for a in said)],
                       **({"uncertain": [MASK if u in headers else u for u in unsure]} if "uncertain" in decision else {})}


def sensitive_exemptions(policy, unmasked: Iterable[str] = ()) -> frozenset[str]:
    """The ids and codes of the exemptions of ``policy`` (an ``api.Policy``) that read a
    sensitive column or one of its own fields: written in a decision they would tell it."""
    read = (f.name for f in _masked_fields(unmasked, policy) if f.name != ID_NUMBER)
    return frozenset(x for e in exemptions_reading(policy.checked, read) for x in (e.id, e.code))


def masked_record(record: Mapping, headers: frozenset[str], table: S.Table = S.TEACHERS) -> dict:
    """``record`` with every value of a sensitive column masked, an empty one too: an empty
    yes/no cell reads as no, and left showing it would tell what a masked false hides. A key is
    known as the readers know it (``table``: the policy's teachers, its own fields among them):
    trimmed (a BOM, a zero-width space), and by ``Table.header_field``, so that 孕期（是/否）,
    孕 期 or ｐｒｅｇｎａｎｔ, read as 孕期 and deciding as it, is masked as it is."""
    return masked_records([record], headers, table)[0]


def masked_records(records, headers: frozenset[str], table: S.Table = S.TEACHERS) -> list[dict]:
    """``masked_record`` of each record, each key looked up once (a batch repeats its keys); and,
    unless the ID number is unmasked, a value of any other key that holds one (``holds_id_number``):
    a key the readers do not take for the column (`sfzh`, Jackson's `idNumber`, 身份证件号) is read
    by nothing (R012), and its numbers went into the log as sent."""
    masked: dict[object, bool] = {}
    by_value = ID_NUMBER in headers

    def hidden(key) -> bool:
        if key not in masked:
            masked[key] = _masked_key(key, headers, table)
        return masked[key]

    return [{k: (MASK if hidden(k) or (by_value and holds_id_number(v)) else v) for k, v in record.items()}
            for record in records]


def _masked_key(key: object, headers: frozenset[str], table: S.Table) -> bool:
    if key in headers:
        return True
    name = R.header_name(key)  # trimmed as every reader trims a header
    if name in headers or name.lower() in headers:
        return True
    field = table.header_field(name)
    return field is not None and field.name in headers


def masked_decision_id(decision: dict, headers: frozenset[str]) -> dict:
    """``decision`` with its id masked where it is an ID number (``holds_id_number``: a roster whose
    工号 are 身份证号), as a decisions file shows it (``masked_in_text``: 110105********0028), unless
    the ID number is unmasked: the answer echoes the caller's ids, the log keeps no person's number."""
    ident = decision.get("id")
    if ID_NUMBER not in headers or not holds_id_number(ident):
        return decision
    return decision | {"id": masked_in_text(str(ident))}


def masked_decision(decision: dict, exemptions: frozenset[str]) -> dict:
    """``decision`` with each sensitive exemption (``sensitive_exemptions``) masked wherever it
    would show: as the exemption, with the clauses it cites (an exempt person's ``cite`` is
    their exemption's), in ``fired`` and among the grounds in ``may_decline``."""
    fired = decision.get("fired") or ()
    may_decline = decision.get("may_decline") or ()
    exempted = decision.get("exemption") in exemptions
    if not exemptions or not (exempted or any(f.get("exemption") in exemptions for f in fired)
                              or any(code in exemptions for code in may_decline)):
        return decision
    out = dict(decision)
    if exempted:
        out["exemption"] = MASK
        out["cite"] = [MASK] if decision.get("cite") else []
    if "fired" in decision:
        out["fired"] = [f | {"exemption": MASK} if f.get("exemption") in exemptions else f for f in fired]
    if "may_decline" in decision:
        out["may_decline"] = [MASK if code in exemptions else code for code in may_decline]
    return out


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


class DecisionLog:
    """Appends JSON lines to ``path`` (see the module's text)."""

    def __init__(self, path: str | Path, *, max_bytes: int = 100 * 1024 * 1024, keep: int = 10, batch: int = 256,
                 interval: float = 1.0, log_input: bool = False, unmasked: Iterable[str] = ()):
        self.path = Path(path)
        self.max_bytes, self.keep, self.batch, self.interval = max_bytes, keep, batch, interval
        self.log_input = log_input
        self.unmasked = frozenset(unmasked)
        self._pending: list[bytes] = []
        self._cond = threading.Condition()
        self._closed = False
        self._write_lock = threading.Lock()  # the thread's writes and flush() one at a time
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._repair()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._size = os.fstat(self._fd).st_size
        self._thread = threading.Thread(target=self._run, name="decision-log", daemon=True)
        self._thread.start()

    def masks(self, policy) -> tuple[frozenset[str], frozenset[str]]:
        """The headers and the exemptions masked in a line of ``policy``'s requests."""
        return sensitive_headers(self.unmasked, policy), sensitive_exemptions(policy, self.unmasked)

    def append(self, entry: Mapping) -> None:
        """Add one line to the batch (the thread writes it)."""
        # escaped as the answer is (json_utf8): an id or a key of the request's, its U+202E or CSI (U+009B) raw,
        # would reorder or drive the terminal of whoever reads the log (tail -f)
        line = json_utf8(json.dumps(entry, ensure_ascii=False, separators=(",", ":"), default=str)) + b"\n"
        with self._cond:
            if self._closed:
                raise RuntimeError("the decision log is closed")
            self._pending.append(line)
            if len(self._pending) >= self.batch:
                self._cond.notify()

    def flush(self) -> None:
        """Write and fsync what is pending now (the thread does this by itself)."""
        with self._cond:
            lines, self._pending = self._pending, []
        self._write(lines)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join(timeout=30)
        self.flush()
        os.close(self._fd)

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._closed and len(self._pending) < self.batch:
                    self._cond.wait(self.interval)
                lines, self._pending = self._pending, []
                closed = self._closed
            try:
                self._write(lines)
            except OSError:
                log.exception("cannot write the decision log %s; %d lines lost", self.path, len(lines))
            if closed:
                return

    def _write(self, lines: list[bytes]) -> None:
        """Write whole lines, starting a new file before one would pass ``max_bytes``; then fsync."""
        if not lines:
            return
        with self._write_lock:
            start, size = 0, 0
            for k, line in enumerate(lines):
                if self._size + size + len(line) > self.max_bytes and self._size + size > 0:
                    self._append(lines[start:k])
                    self._rotate()
                    start, size = k, 0
                size += len(line)
            self._append(lines[start:])
            os.fsync(self._fd)

    def _append(self, lines: list[bytes]) -> None:
        """Append whole lines; a write that fails part way (a full disk) is cut back to where
        it began, so that the next batch does not follow half a line."""
        view = memoryview(b"".join(lines))
        try:
            while view:
                view = view[os.write(self._fd, view):]
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self._size)
            raise
        self._size += len(b"".join(lines))

    def _rotate(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)
        for k in range(self.keep - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{k}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{k + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        self._size = 0
        _fsync_dir(self.path.parent)

    def _repair(self) -> None:
        """Cut a line a crash left unfinished (the file's end not a newline) back to the last
        whole line: every line of the log then parses."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size == 0:
            return
        with open(self.path, "rb+") as f:
            f.seek(size - 1)
            if f.read(1) == b"\n":
                return
            keep = 0
            step = 1 << 16
            end = size
            while end > 0:
                start = max(0, end - step)
                f.seek(start)
                block = f.read(end - start)
                at = block.rfind(b"\n")
                if at >= 0:
                    keep = start + at + 1
                    break
                end = start
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())
        log.warning("decision log %s ended inside a line (a crash while writing); cut back to %d bytes",
                    self.path, keep)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
