"""A text file's encoding: UTF-8 with or without BOM, GB18030/GBK as Excel and WPS write it,
UTF-16 as Excel's "Unicode text" writes it; a file of mixed encodings said.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Sequence

from policylang.io.roster.model import RosterProblem
from policylang.io.roster.problems import _file_problem
from policylang.io.roster.files import UnreadableFile, _UNKNOWN_ENCODING


_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


# Latin Extended to Thaana: what GBK's Chinese becomes when its bytes happen to be UTF-8 (女 as Ů);
# not Arabic, in which names in Uyghur and Kazakh are written
_NOT_CHINESE = re.compile("[\u0100-\u05ff\u0700-\u07ff]")


def may_be_gbk_by_chance(text: str) -> bool:
    """Whether UTF-8 text has letters GBK bytes read as UTF-8 give (a cheap first look)."""
    return _NOT_CHINESE.search(text) is not None


def _gbk_by_chance(text: str, line: bytes) -> bool:
    """A line that is UTF-8 only by chance: GBK bytes reading as letters of other scripts and no
    Chinese (郑一 as ֣һ, 女 as Ů), which read as GB18030 are Chinese."""
    if not may_be_gbk_by_chance(text) or _CJK.search(text):
        return False
    try:
        chinese = line.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return _CJK.search(chinese) is not None and not may_be_gbk_by_chance(chinese)


def decode_line(line: bytes) -> tuple[str, bool]:
    """A line of a UTF-8 file that may hold lines in GB18030 (rows pasted from another export):
    its text, and whether it was read as GB18030. The one rule for both readers."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("gb18030"), True  # UnicodeDecodeError when it is neither
    if _gbk_by_chance(text, line):
        return line.decode("gb18030"), True
    return text, False


def utf8_lines(lines: Iterable[bytes]) -> bool:
    """Whether some line beyond ASCII is UTF-8, not by chance: the file is UTF-8 (perhaps with
    some lines in GB18030), not GB18030 throughout."""
    for line in lines:
        if not line.isascii():
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if not _gbk_by_chance(text, line):
                return True
    return False


def mixed_encoding_warning(file: str, lines: Sequence[int]) -> RosterProblem:
    """A UTF-8 file with lines that are not UTF-8, read as GB18030 (R023, a warning)."""
    shown = ", ".join(f"{n:,}" for n in lines[:5]) + (f" and {len(lines) - 5:,} more" if len(lines) > 5 else "")
    shown_zh = "、".join(str(n) for n in lines[:5]) + (f" 行等 {len(lines)} 行" if len(lines) > 5 else " 行")
    return _file_problem(file, "R023", f"the file is UTF-8 but line{'s' if len(lines) > 1 else ''} {shown} "
                         f"{'are' if len(lines) > 1 else 'is'} not: read as GB18030 (GBK); check "
                         f"{'them' if len(lines) > 1 else 'it'}",
                         f"文件为 UTF-8 编码，但第 {shown_zh}不是：已按 GB18030（GBK）读取，请核对", warning=True)


def _mixed(data: bytes) -> tuple[str, list[int]] | None:
    """A UTF-8 file with some lines in GB18030: its text read line by line (``decode_line``) and
    the numbers of the GB18030 lines; None when no line is UTF-8 beyond ASCII (a GB18030 file)."""
    lines = list(io.BytesIO(data))  # lines end at \n alone, as the streamed reader reads them
    if not utf8_lines(lines):
        return None
    texts, other = [], []
    for number, line in enumerate(lines, 1):
        text, gb = decode_line(line)
        texts.append(text)
        if gb:
            other.append(number)
    return "".join(texts).removeprefix("\ufeff"), other


def _decode(data: bytes, encoding: str | None) -> str:
    return _decode_text(data, encoding)[0]


def _decode_text(data: bytes, encoding: str | None) -> tuple[str, list[int]]:
    """Text of a file: the given encoding, else UTF-16 by its BOM, UTF-8 (BOM or not), UTF-8
    with some lines in GB18030 (those lines' numbers are returned, to be said), GB18030 (a
    superset of GBK and GB2312, as Excel and WPS write on Chinese systems); any other, R009 (no guess)."""
    if encoding:
        return data.decode(encoding), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), []
    try:
        text = data.decode("utf-8-sig")
        if not may_be_gbk_by_chance(text):
            return text, []
    except UnicodeDecodeError:
        pass  # (a UTF-8 file whose letters may be GBK read by chance: line by line, as a mixed one)
    try:
        mixed = _mixed(data)
    except UnicodeDecodeError:
        mixed = None
    if mixed is not None:
        return mixed
    try:
        return data.decode("gb18030"), []
    except UnicodeDecodeError:
        pass
    # no guess (charset_normalizer's read three stray bytes of a UTF-8 file as cp1252, and every
    # id and name with them, without a word): refused, saying where the text stops being either
    raise UnreadableFile(*_undecodable(data))


def _undecodable(data: bytes) -> tuple[str, str]:
    """``_UNKNOWN_ENCODING``, naming the line and byte where the text is first no UTF-8."""
    try:
        data.decode("utf-8")
        return _UNKNOWN_ENCODING
    except UnicodeDecodeError as exc:
        at = exc.start
    line = data.count(b"\n", 0, at) + 1
    return (f"line {line} (byte {at + 1} of the file) is neither UTF-8 nor GB18030: {_UNKNOWN_ENCODING[0]}",
            f"第 {line} 行（文件第 {at + 1} 个字节）既不是 UTF-8 也不是 GB18030 编码：{_UNKNOWN_ENCODING[1]}")
