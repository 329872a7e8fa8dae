"""Why a file could not be read or written, in words an official understands: the operating
system's reason (``strerror``) is English and says nothing of what to do about it."""

from __future__ import annotations

import errno
import os

# errno -> (English, Chinese); where reading and writing call for other advice, writing's is apart
_REASONS = {
    errno.ENOENT: ("No such file or directory", "文件不存在"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "路径中有一部分是文件，不是文件夹"),
    errno.EISDIR: ("this is a folder, not a file", "这是一个文件夹，不是文件"),
    errno.EACCES: ("permission denied", "没有权限"),
    errno.EPERM: ("permission denied", "没有权限"),
    errno.ENOSPC: ("the disk is full", "磁盘空间不足"),
    errno.EDQUOT: ("the disk quota is used up", "超出磁盘配额"),
    errno.EROFS: ("the disk or folder is read-only", "磁盘或文件夹是只读的"),
    errno.ENAMETOOLONG: ("the file name is too long", "文件名过长"),
    errno.EBUSY: ("the file is in use by another program", "文件正被其他程序使用"),
    errno.ETXTBSY: ("the file is in use by another program", "文件正被其他程序使用"),
}
_WRITING = {
    errno.ENOENT: ("the folder does not exist", "文件夹不存在"),
    # Windows says "permission denied" for a file open in Excel or WPS too
    errno.EACCES: ("permission denied, or the file is open in Excel or WPS: close it and try again",
                   "没有写入权限，或该文件正被 Excel 或 WPS 打开（请关闭后重试）"),
    errno.EPERM: ("permission denied, or the file is open in Excel or WPS: close it and try again",
                  "没有写入权限，或该文件正被 Excel 或 WPS 打开（请关闭后重试）"),
}


class NotARegularFile(OSError):
    """An output named a device, a pipe, a socket or a symbolic link: putting a file in its place
    would destroy it (as root, `-o /dev/null` would replace the device itself)."""

    def __init__(self, path: object):
        super().__init__(errno.EEXIST, "not a regular file", str(path))


def replaceable_or_raise(path: object) -> None:
    """``NotARegularFile`` unless ``path`` is absent, a regular file or a folder (which the
    replacing itself refuses, saying so)."""
    import stat

    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise NotARegularFile(path)


def reason(exc: OSError, *, writing: bool = False) -> tuple[str, str]:
    """The reason of ``exc`` in English and in Chinese (the system's own words, when unknown here)."""
    if isinstance(exc, NotARegularFile):
        return ("it is a device, a pipe or a link, not a regular file: name a file to write",
                "这不是普通文件（而是设备、管道或链接），请指定要写入的文件")
    if writing and exc.errno == errno.ENOENT and exc.filename and os.path.isdir(os.path.dirname(str(exc.filename)) or "."):
        # the folder is there (/proc): it takes no new file
        return "no file can be created in this folder", "无法在该文件夹中新建文件"
    known = (_WRITING.get(exc.errno) if writing else None) or _REASONS.get(exc.errno)
    if known:
        return known
    said = exc.strerror or exc.__class__.__name__
    return said, f"系统错误：{said}"


def cannot_write(path: object, exc: OSError, lang: str) -> str:
    en, zh = reason(exc, writing=True)
    return f"无法写入“{path}”：{zh}" if lang == "zh" else f"cannot write {path}: {en}"


def cannot_read(path: object, exc: OSError, lang: str) -> str:
    en, zh = reason(exc)
    return f"无法读取“{path}”：{zh}" if lang == "zh" else f"cannot read {path}: {en}"
