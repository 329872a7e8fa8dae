"""The files a policy is made of, read as an editor sees them: the open (unsaved) text of
each file, else the file on disk; the chain of ``extends`` from the prelude to the file; and
the declarations of each, found lexically so that a half-typed file still has them."""

from __future__ import annotations

import functools
import os
import re
from importlib import resources
from pathlib import Path

import attrs

from policylang.editing.text import Declaration, declarations
from policylang.frontend.files import UnreadableSource, read_policy
from policylang.frontend.limits import MAX_EXTENDS
from policylang.frontend.resolve import PRELUDE_NAME, prelude_source

_EXTENDS = re.compile(r'^extends\s+(?:"([^"\n]*)"|“([^”\n]*)”)', re.MULTILINE)


@functools.cache
def prelude_path() -> Path:
    """Where the prelude's text is (inside the package), so an editor can open it."""
    return Path(str(resources.files("policylang.frontend").joinpath("prelude.pol"))).resolve()


@attrs.frozen
class File:
    path: Path
    text: str
    decls: tuple[Declaration, ...]

    @property
    def is_prelude(self) -> bool:
        return self.path == prelude_path()

    def shown(self, root: Path) -> str:
        """The file's name as a drafter reads it."""
        if self.is_prelude:
            return PRELUDE_NAME
        try:
            return self.path.relative_to(root).as_posix()
        except ValueError:
            return self.path.name


class Files:
    """The open texts over the files on disk."""

    def __init__(self) -> None:
        self.overlay: dict[Path, str] = {}

    def text(self, path: Path) -> str:
        path = path.resolve()
        if path in self.overlay:
            return self.overlay[path]
        if path == prelude_path():
            return prelude_source().text
        try:
            source = read_policy(path, str(path))
        except OSError:
            return ""
        return "" if isinstance(source, UnreadableSource) else source.text

    def file(self, path: Path) -> File:
        text = self.text(path)
        return _file(path.resolve(), text)

    def chain(self, path: Path) -> list[File]:
        """The prelude, then each base, then the file itself (as `extends` reads them: inside
        the file's folder, as `policylang check` does; a cycle or a missing file ends it)."""
        path = path.resolve()
        root = path.parent
        out = [self.file(path)]
        while len(out) < MAX_EXTENDS:
            m = _EXTENDS.search(out[-1].text)
            if m is None:
                break
            target = (out[-1].path.parent / (m.group(1) or m.group(2) or "")).resolve()
            if not target.is_relative_to(root) or not target.is_file() or any(f.path == target for f in out):
                break
            out.append(self.file(target))
        out.append(self.file(prelude_path()))
        return out[::-1]


@functools.lru_cache(maxsize=256)
def _file(path: Path, text: str) -> File:
    return File(path, text, tuple(declarations(text)))


def extends_target(file: File) -> tuple[str, Path] | None:
    """The path an `extends` line names, as written and resolved."""
    m = _EXTENDS.search(file.text)
    if m is None:
        return None
    written = m.group(1) or m.group(2) or ""
    return written, (file.path.parent / written).resolve()


MAX_POLICY_FILES = 500  # read for references; a workspace is a folder of policies, not a disk


def policy_files(root: Path) -> list[Path]:
    """The `.pol` files under ``root``, at most ``MAX_POLICY_FILES``, skipping hidden folders and
    node_modules (an editor's workspace may be a whole repository)."""
    out: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        out += [Path(folder, n).resolve() for n in sorted(names) if n.endswith(".pol")]
        if len(out) >= MAX_POLICY_FILES:
            return out[:MAX_POLICY_FILES]
    return out
