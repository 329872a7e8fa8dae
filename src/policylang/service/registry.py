"""The policies a service decides with: the ``*.pol`` files of one folder, loaded at start.

A ``Snapshot`` is immutable (a read-only mapping of frozen entries); ``Registry.current`` is
replaced whole by ``reload``, so a request that took the snapshot once sees one version of
every policy to its end. A file that changed is loaded and checked before its entry is
replaced; a file that fails (an error, or a test of its own that fails) keeps the last good
version, with the error beside it."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import types
from collections.abc import Mapping
from pathlib import Path

import attrs

import policylang
from policylang.lang import types as T
from policylang.lang.schema import SERVICE_CALLER
from policylang.core.diagnostics import PolicyError


@attrs.frozen
class Problem:
    """Why a file is not (or no longer) the running version."""

    code: str
    en: str
    zh: str
    at: str | None = None  # file:line:column, when known

    def to_json(self) -> dict:
        return {"code": self.code, "message": {"en": self.en, "zh": self.zh}, "at": self.at}


@attrs.frozen
class Entry:
    name: str  # the file's stem
    path: Path
    policy: policylang.Policy | None  # the running version; None if the file never loaded
    version: str | None  # content hash of the running version
    files: tuple[tuple[str, str], ...] = ()  # (file relative to the folder, sha256) of the running version
    loaded_at: str | None = None
    errors: tuple[Problem, ...] = ()  # why the file on disk is not running (empty: it is)
    seen: str | None = None  # hash of the main file as last tried, to skip unchanged files

    def to_json(self) -> dict:
        policy = self.policy
        return {
            "name": self.name,
            "title": policy.title if policy else None,
            "version": self.version,
            "files": [{"path": p, "sha256": h} for p, h in self.files],
            "as_of": policy.as_of.isoformat() if policy and policy.as_of else None,
            "parameters": {k: _json_value(v) for k, v in policy.parameters.items()} if policy else {},
            "parameter_details": {k: _parameter_json(p) for k, p in policy.checked.parameters.items()} if policy else {},
            "reads": {k: list(v) for k, v in policy.reads.items()} if policy else {},
            "loaded_at": self.loaded_at,
            "ok": not self.errors,
            "errors": [e.to_json() for e in self.errors],
        }


Snapshot = Mapping[str, Entry]


def _json_value(value: object) -> object:
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        from fractions import Fraction

        if isinstance(value, Fraction):
            return float(value)
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def _parameter_json(param) -> dict:
    """A parameter beside its bare value in ``parameters`` (kept as it was for the callers reading
    it): its type, its unit (45 is `years`), the policy's description of it (usually Chinese),
    and whether it is compared with a whole count (a fraction then acts as the whole number
    next to it, L313)."""
    type_ = param.type
    kind = {T.NumberType: "number", T.DateType: "date", T.BoolType: "boolean", T.TextType: "text",
            T.EnumType: "code"}.get(type(type_), "text")
    return {"value": _json_value(param.value), "type": kind,
            "unit": type_.unit if isinstance(type_, T.NumberType) else None,
            **({"codes": list(type_.codes)} if isinstance(type_, T.EnumType) else {}),
            "description": param.doc, "whole": param.whole}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Registry:
    """The policies of ``folder``; ``current`` is the snapshot requests read."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).resolve()
        if not self.folder.is_dir():
            raise NotADirectoryError(str(folder))
        self._lock = threading.Lock()  # one reload at a time; readers never wait
        self.current: Snapshot = types.MappingProxyType({})
        self.generation = 0
        self.reload()

    def reload(self) -> dict:
        """Re-read the folder: unchanged files keep their entry, changed or new ones are loaded
        and checked, and replace the running version only if they load; removed files are
        dropped. Returns what changed: ``{"loaded": [...], "failed": [...], "removed": [...]}``."""
        with self._lock:
            old = self.current
            new: dict[str, Entry] = {}
            report = {"loaded": [], "failed": [], "unchanged": [], "removed": []}
            for path in sorted(self.folder.glob("*.pol")):
                name = path.stem
                before = old.get(name)
                if not path.resolve().is_relative_to(self.folder):  # a link leading out: nothing of it is read
                    problem = Problem("S010", f"{path.name} leads outside the policy folder: not read",
                                      f"{path.name} 指向政策文件夹之外，未读取")
                    new[name] = _failed(None, name, path, (problem,), None)
                    report["failed"].append(name)
                    continue
                try:
                    data = path.read_bytes()  # read once: what is hashed is what is loaded
                    main_hash = hashlib.sha256(data).hexdigest()
                except OSError as exc:
                    problem = Problem("S010", f"cannot read {path.name}: {exc.strerror or exc}",
                                      f"无法读取 {path.name}：{exc.strerror or exc}")
                    new[name] = _failed(before, name, path, (problem,), None)
                    report["failed"].append(name)
                    continue
                if before is not None and before.seen == main_hash and not self._dependency_changed(before):
                    new[name] = before
                    report["unchanged"].append(name)
                    continue
                entry = self._load(before, name, path, data, main_hash)
                new[name] = entry
                report["failed" if entry.errors else "loaded"].append(name)
            report["removed"] = sorted(set(old) - set(new))
            self.current = types.MappingProxyType(new)  # one assignment: readers see old or new, whole
            self.generation += 1
            return report

    def _dependency_changed(self, entry: Entry) -> bool:
        """Whether a file the running version extends changed (or was tried and failed)."""
        if entry.errors:
            return True  # try again: a fixed base file mends a failed one
        for rel, digest in entry.files:
            try:
                if _sha256(self.folder / rel) != digest:
                    return True
            except OSError:
                return True
        return False

    def _load(self, before: Entry | None, name: str, path: Path, data: bytes, main_hash: str) -> Entry:
        """The entry of ``path`` loaded from ``data`` (the bytes hashed). A file it extends is
        read by the loader: its hash is taken before and after, and the load done again if it
        changed in between (a file rewritten during a reload never runs under another's hash)."""
        if not data.strip():  # a file caught between its truncation and its writing (write_text), or emptied
            problem = Problem("S011", f"{path.name} is empty (being written?); the running version is kept",
                              f"{path.name} 为空（可能正在写入）；继续使用当前版本")
            return _failed(before, name, path, (problem,), main_hash)
        known = before  # the files the last load read
        for _attempt in range(5):
            try:
                deps_before = self._hashes(known, path)
                policy = policylang.loads(data, name=str(path), root=self.folder).asked_by(SERVICE_CALLER)
                files = self._files(policy, path, main_hash)
            except PolicyError as exc:
                problems = tuple(Problem(d.code, self._private(d.en, "`.` (the service's policy folder)"),
                                         self._private(d.zh, "`.`（服务的政策目录）"),
                                         self._where(d.span)) for d in exc.errors) or \
                    (Problem("S011", "the policy has errors", "政策有错误"),)
                return _failed(before, name, path, problems, main_hash)
            except OSError as exc:
                problem = Problem("S010", f"cannot read {path.name}: {exc.strerror or exc}",
                                  f"无法读取 {path.name}：{exc.strerror or exc}")
                return _failed(before, name, path, (problem,), main_hash)
            if all(deps_before.get(rel, digest) == digest for rel, digest in files):
                break
            known = Entry(name, path, None, None, files)
        failing = [r for r in policy.test() if not r.passed]
        if failing:  # its own examples say it decides wrongly (or a file cut short lost the clauses they test)
            shown = "、".join(r.title for r in failing[:3]) + (" …" if len(failing) > 3 else "")
            line = self._where(failing[0].span)
            running = before is not None and before.policy is not None
            problem = Problem("S011", f"{len(failing)} of the policy's own tests fail ({shown}); "
                              + ("the running version is kept" if running else "it does not run until they pass")
                              + " (`policylang test` says why)",
                              f"政策自带的测试有 {len(failing)} 个未通过（{shown}）；"
                              + ("继续使用当前版本" if running else "测试通过之前不使用此政策")
                              + "（`policylang test` 可查看原因）", line)
            return _failed(before, name, path, (problem,), main_hash)
        if len(files) == 1:
            version = files[0][1]  # what `sha256sum` gives for the file
        else:
            version = hashlib.sha256("".join(f"{p}\0{h}\n" for p, h in files).encode()).hexdigest()
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        return Entry(name, path, policy, version, files, now, (), main_hash)

    def _where(self, span) -> str | None:
        """``file:line:column`` with the file relative to the folder, as ``files`` names it: the
        loader names the main file by its path and a file it extends relative to the working
        folder (`fujian.pol:229:8` beside `pols/fujian.pol:229:8`), and the server's own paths
        stay its own."""
        if span is None:
            return None
        source = span.source
        if not source.startswith("<"):  # (<builtin>, <--set>: no file)
            path = Path(source).resolve()
            source = path.relative_to(self.folder).as_posix() if path.is_relative_to(self.folder) else path.name
        return f"{source}:{span.line}:{span.column}"

    def _private(self, message: str, called: str) -> str:
        """A load error's message without the server's own path to the folder (R102 names the
        policy root): a client with a read token sees where a file is in the folder, not on the disk."""
        for folder in {str(self.folder.resolve()), str(self.folder)}:
            message = message.replace(f"`{folder}`", called).replace(folder + os.sep, "").replace(folder, called)
        return message

    def _files(self, policy: policylang.Policy, main: Path, main_hash: str) -> tuple[tuple[str, str], ...]:
        out = []
        for item in policy.checked.chain:
            if item.startswith("<"):
                continue
            p = Path(item).resolve()
            try:
                rel = p.relative_to(self.folder).as_posix()
            except ValueError:
                rel = p.name
            out.append((rel, main_hash if p == main.resolve() else _sha256(p)))
        return tuple(out)

    def _hashes(self, entry: Entry | None, main: Path) -> dict[str, str]:
        """The files ``entry`` extends (not ``main`` itself) as they are on disk now."""
        out = {}
        for rel, _ in entry.files if entry is not None else ():
            if self.folder / rel == main:
                continue
            try:
                out[rel] = _sha256(self.folder / rel)
            except OSError:
                pass
        return out


def _failed(before: Entry | None, name: str, path: Path, problems: tuple[Problem, ...], seen: str | None) -> Entry:
    """The entry of a file that did not load: the last good version runs on, with the error."""
    if before is None or before.policy is None:
        return Entry(name, path, None, None, (), None, problems, seen)
    return attrs.evolve(before, errors=problems, seen=seen)
