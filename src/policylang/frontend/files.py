"""Policy files as text: the encodings a policy may be saved in, and how much is read.

A policy is read as the roster reader reads a CSV: UTF-16 by its byte order mark, else
UTF-8 (a BOM, as Windows editors write, is dropped), else GB18030 (a superset of GBK and
GB2312, as editors on Chinese Windows save by default). GB18030 is tried only when the
bytes are not UTF-8, which text in Chinese practically never is by accident; bytes that
are none of the three are a diagnostic (P006) pointing at the first one, never a
``UnicodeDecodeError``. At most ``limits.MAX_SOURCE_BYTES`` are read of any file, so a
device or a huge file is refused, not read into memory.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import attrs

from policylang.core import file_errors
from policylang.core.diagnostics import Diagnostic, PolicyError, did_you_mean, error
from policylang.core.source import Source
from policylang.frontend import limits

ENCODINGS_EN = "UTF-8 (with or without a BOM), UTF-16 with a BOM, or GB18030 (GBK)"
ENCODINGS_ZH = "UTF-8（带或不带 BOM）、带 BOM 的 UTF-16 或 GB18030（GBK）"


@attrs.frozen
class UnreadableSource(Source):
    """A file that is no policy text (not in a known encoding, or too large): its text as
    far as it could be read, and the problem, which the pipeline reports instead of parsing."""

    problem: Diagnostic = attrs.field(kw_only=True, eq=False)


def decode(data: bytes) -> tuple[str, int | None]:
    """The text of a policy file and None; or, when it is in none of the encodings, the
    text read as UTF-8 with each undecodable byte shown as U+FFFD, and the offset in that
    text of the first one."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            return _replaced(data, "utf-16", exc)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first = exc
    try:
        return data.decode("gb18030"), None
    except UnicodeDecodeError:
        return _replaced(data, "utf-8-sig", first)


def _replaced(data: bytes, encoding: str, exc: UnicodeDecodeError) -> tuple[str, int]:
    good = data[:exc.start].decode(encoding, errors="replace")
    return data.decode(encoding, errors="replace"), len(good)


def encoding_error(text: str, offset: int, name: str) -> Diagnostic:
    return error(
        "P006", limits.position(text, offset, name),
        f"the file is not text in a known encoding: this byte is not {ENCODINGS_EN}",
        f"文件不是可识别编码的文本：此处的字节不属于 {ENCODINGS_ZH}",
        help_en="save the file as UTF-8 (in Notepad or WPS: Save As, encoding UTF-8)",
        help_zh="请将文件另存为 UTF-8 编码（记事本或 WPS：另存为，编码选 UTF-8）")


def too_large(name: str) -> Diagnostic:
    return limits.limit_error(
        None, f"`{name}` is larger than {limits.MAX_SOURCE_BYTES:,} bytes",
        f"`{name}` 超过 {limits.MAX_SOURCE_BYTES:,} 字节",
        f"a policy file holds at most {limits.MAX_SOURCE_CHARS:,} characters; "
        "split it into a base policy and a policy that extends it",
        f"一份政策文件最多 {limits.MAX_SOURCE_CHARS:,} 个字符；请拆分为基础政策和继承它的政策")


# why a file cannot be opened, in Chinese (the system's own words are in English)

class UnreadablePolicy(PolicyError, OSError):
    """A policy file that cannot be opened or read (P008): the project's error, with its code
    and a message in both languages; an ``OSError`` too, for callers that catch one."""

    def __init__(self, path: str | Path, exc: OSError):
        reason, reason_zh = file_errors.reason(exc)
        meant = _policy_meant(Path(path)) if isinstance(exc, FileNotFoundError) else None
        problem = error("P008", None, f"cannot read the policy file `{path}`: {reason}",
                        f"无法读取政策文件“{path}”：{reason_zh}",
                        help_en=f"did you mean `{meant}`?" if meant else
                        "check the file's name and folder (a policy file ends in .pol)",
                        help_zh=f"是否要读取 `{meant}`？" if meant else
                        "请检查文件名和所在文件夹（政策文件以 .pol 结尾）")
        PolicyError.__init__(self, [problem])
        self.errno, self.strerror, self.filename = exc.errno, exc.strerror, str(path)

    def __str__(self) -> str:
        return self.diagnostics[0].en

    def message(self, lang: str = "en") -> str:
        return self.diagnostics[0].message(lang)


def _policy_meant(path: Path) -> str | None:
    """The policy file a name that is none most likely meant: the name with `.pol` added
    (`policies/miyun`), or a near name among the folder's policy files (`fujain.pol`)."""
    if path.suffix != ".pol" and path.with_name(path.name + ".pol").is_file():
        return f"{path}.pol"
    try:
        names = [p.name for p in path.parent.iterdir() if p.suffix == ".pol"]
    except OSError:
        return None
    near = did_you_mean(path.name if path.suffix == ".pol" else path.name + ".pol", names)
    return str(path.parent / near) if near else None


def read_policy(path: Path, name: str) -> Source:
    """A policy file as a ``Source`` named ``name``, or an ``UnreadableSource``; raises
    ``OSError`` when it cannot be opened or read."""
    with open(path, "rb") as f:
        data = f.read(limits.MAX_SOURCE_BYTES + 1)
    return decode_source(name, data)


# what a table file begins with, or is named: given where a policy goes (the roster before the
# policy, as `eval 花名册.xlsx 政策.pol`), it is said for what it is, not as text in no known encoding
_TABLE_FILES = ((b"PK\x03\x04", ("an Excel workbook (or another zip file)", "Excel 工作簿（或其他压缩文件）")),
                (b"\xd0\xcf\x11\xe0", ("an old Excel workbook (.xls)", "Excel 97-2003 工作簿（.xls）")),
                (b"PAR1", ("a Parquet table", "Parquet 表格文件")))
_TABLE_SUFFIXES = {".csv": ("a CSV table", "CSV 表格文件"), ".xlsx": ("an Excel workbook", "Excel 工作簿"),
                   ".xls": ("an old Excel workbook (.xls)", "Excel 97-2003 工作簿（.xls）"),
                   ".parquet": ("a Parquet table", "Parquet 表格文件")}


def table_file(name: str, data: bytes) -> Diagnostic | None:
    """The problem of a roster or other table given as a policy file (P006), or None."""
    kind = next((k for magic, k in _TABLE_FILES if data.startswith(magic)), None) \
        or _TABLE_SUFFIXES.get(Path(name).suffix.lower())
    if kind is None:
        return None
    return error("P006", None, f"`{name}` is {kind[0]}, not a policy file",
                 f"“{name}”是 {kind[1]}，不是政策文件",
                 help_en="give the policy file (.pol) first and the roster after it: "
                         "policylang eval POLICY.pol TEACHERS --schools SCHOOLS",
                 help_zh="第一个参数应为政策文件（.pol），名册放在其后：policylang eval 政策.pol 教师名册 --schools 学校名册")


def decode_source(name: str, data: bytes) -> Source:
    """Bytes of a policy as a ``Source``, or an ``UnreadableSource`` saying why not."""
    if len(data) > limits.MAX_SOURCE_BYTES:
        return UnreadableSource(name, "", problem=too_large(name))
    if (problem := table_file(name, data)) is not None:
        return UnreadableSource(name, "", problem=problem)
    text, bad = decode(data)
    if bad is not None:
        return UnreadableSource(name, text, problem=encoding_error(text, bad, name))
    return Source(name, text)
