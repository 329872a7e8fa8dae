"""The policy root: the one folder the studio reads and writes in.

A path from the page is a relative path inside the root. It is refused when it is absolute,
climbs with ``..``, or leads outside the root once symbolic links are followed; only policy
files (``.pol``) and plain-text source documents (``.txt``) are read or written, and a save
replaces the file whole (``io.output.atomic_write``), never leaving half a file."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from policylang.core.diagnostics import BilingualError
from policylang.io.output import atomic_write

EDITABLE = (".pol", ".txt")
MAX_LISTED = 500  # files listed from one root


class FileRefused(BilingualError):
    """A path the page may not use."""


class PolicyRoot:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder).resolve()
        if not self.folder.is_dir():
            raise NotADirectoryError(str(folder))

    def resolve(self, relative: str) -> Path:
        """The file a relative path names, inside the root; raises ``FileRefused``."""
        if not isinstance(relative, str) or not relative.strip() or "\0" in relative:
            raise FileRefused("no file named", "未指定文件")
        pure = PurePosixPath(relative.replace("\\", "/"))
        if pure.is_absolute() or (pure.parts and ":" in pure.parts[0]):
            raise FileRefused(f"`{relative}`: give a path inside the policy folder, not an absolute one",
                              f"“{relative}”：请给出政策文件夹内的相对路径，不能是绝对路径")
        if ".." in pure.parts:
            raise FileRefused(f"`{relative}`: `..` leaves the policy folder", f"“{relative}”：“..”会离开政策文件夹")
        if pure.suffix.lower() not in EDITABLE:
            raise FileRefused(f"`{relative}`: only .pol and .txt files are opened here",
                              f"“{relative}”：这里只能打开 .pol 和 .txt 文件")
        try:
            path = (self.folder / pure).resolve()  # symbolic links followed
            folder = path.is_dir()
        except OSError as exc:  # a name the system refuses (too long, a loop of links): the request's, not a 500
            shown = relative if len(relative) <= 80 else relative[:79] + "…"
            reason = exc.strerror or type(exc).__name__
            raise FileRefused(f"`{shown}`: the system cannot open a file of this name ({reason})",
                              f"“{shown}”：系统无法打开此名称的文件（{reason}）") from None
        if folder:  # a folder named like a file (`dir.pol`): the request's mistake, not the studio's
            raise FileRefused(f"`{relative}` is a folder, not a file", f"“{relative}”是文件夹，不是文件")
        if not path.is_relative_to(self.folder):
            raise FileRefused(f"`{relative}` leads outside the policy folder", f"“{relative}”指向政策文件夹之外")
        return path

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.folder).as_posix()

    def files(self) -> list[str]:
        """The policy and text files inside the root (links leading out of it left out)."""
        found = []
        for path in sorted(self.folder.rglob("*")):
            if path.suffix.lower() in EDITABLE and path.is_file() and not any(p.startswith(".") for p in path.parts):
                if path.resolve().is_relative_to(self.folder):
                    found.append(path.relative_to(self.folder).as_posix())
            if len(found) >= MAX_LISTED:
                break
        return found

    def stamp(self) -> int:
        """When a policy file of the root last changed (a base edited in another editor makes
        the studio compile again)."""
        stamps = [p.stat().st_mtime_ns for p in self.folder.rglob("*.pol") if p.is_file()]
        return max(stamps, default=0)

    def read(self, relative: str) -> str:
        """The file's text; the studio edits UTF-8 (and saves UTF-8)."""
        data = self.resolve(relative).read_bytes()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRefused(f"`{relative}` is not UTF-8; save it as UTF-8 to edit it here",
                              f"“{relative}”不是 UTF-8 编码；请另存为 UTF-8 后在此编辑") from None

    def save(self, relative: str, text: str) -> None:
        path = self.resolve(relative)
        if not path.parent.is_dir():
            raise FileRefused(f"`{relative}`: no such folder", f"“{relative}”：文件夹不存在")
        atomic_write(path, text.encode("utf-8"))
