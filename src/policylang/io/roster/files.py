"""Files that cannot be read, or not whole: the errors that stop a file (an unknown format, a
broken CSV, a workbook of several sheets or too large, a value that is no cell) and the
file-wide problems of its rows (a row cut short, a cell over several lines, a bad school row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from policylang.core.text_width import TRIMMED
from policylang.io.roster.model import RosterProblem, sheet_shown
from policylang.io.roster.problems import _file_problem


class BrokenCsv(ValueError):
    """A CSV that cannot be read from ``row`` (a spreadsheet row), which starts on ``line`` of
    the file, to its end (``lines`` lines): a quote opened there is never closed
    (``unclosed``), or the csv module gives up (``reason``)."""

    def __init__(self, row: int, line: int, lines: int, unclosed: bool, reason: str = ""):
        super().__init__(reason or "unclosed quote")
        self.row, self.line, self.lines, self.unclosed, self.reason = row, line, lines, unclosed, reason

    def problem(self, file: str) -> RosterProblem:
        n, k = self.row, self.lines
        where_zh = f"第{n}行" + (f"（文件第{self.line}行）" if self.line != n else "")
        where_en = f"row {n}" + (f" (line {self.line} of the file)" if self.line != n else "")
        lost_en = f"none of the {k} line{'s' if k != 1 else ''} from there to the end of the file could be read"
        lost_zh = f"从此处到文件末尾的 {k} 行都无法读取"
        if self.unclosed:
            en, zh = f"the quote opened in {where_en} is never closed: {lost_en}", f"{where_zh}的引号没有闭合：{lost_zh}"
        else:
            en, zh = f"{where_en} cannot be read ({self.reason}): {lost_en}", f"{where_zh}无法读取（{self.reason}）：{lost_zh}"
        return RosterProblem(file, n, None, None, "R009", f"cannot read the file: {en}", f"无法读取文件：{zh}")


class UnreadableFile(ValueError):
    """A file that is no roster this reader can read, said in both languages (R009)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en, self.zh = en, zh

    def problem(self, file: str) -> RosterProblem:
        return _file_problem(file, "R009", f"cannot read the file: {self.en}", f"无法读取文件：{self.zh}")


# a file with nothing to read: said once, as a file that cannot be read (R009: no row of it is known,
# nothing is decided), not as every required column missing from a roster of nobody
_ZERO_BYTES = ("it is empty (0 bytes), with no header and no rows; check that it is the roster, or save or export it "
               "again",
               "文件是空的（0 字节），没有表头，也没有任何数据；请确认选对了文件，或重新保存、导出")


EMPTY_CSV = ("it holds nothing but blank space, delimiters or a byte-order mark, with no header and no rows; check "
             "that it is the roster, or save or export it again",
             "文件中只有空白、分隔符或字节顺序标记（BOM），没有表头，也没有任何数据；请确认选对了文件，或重新保存、导出")


_EMPTY_WORKBOOK = ("no sheet of the workbook has a cell filled in, so there is no header and no row; check that it "
                   "is the roster, or save it again",
                   "工作簿的各工作表都没有填写任何单元格，没有表头，也没有任何数据；请确认选对了文件，或重新保存")


_BLANK_CSV = TRIMMED + ',;"'  # what a CSV of no cell holds: white space, delimiters, empty quoted cells


def empty_csv(text: str) -> bool:
    """Whether a CSV's text holds no cell (``EMPTY_CSV``): the one rule for both readers."""
    return not text.strip(_BLANK_CSV)


_UNKNOWN_ENCODING = (
    "its text encoding cannot be told. Save it from Excel or WPS as “CSV UTF-8”, or name its encoding (on the "
    "command line: --encoding)",
    "无法判断其文字编码。请在 Excel 或 WPS 中另存为“CSV UTF-8”，或指明其编码（命令行：--encoding）")


# an error's reason in Chinese, first match; "{}" takes the English reason, a library's own
# words, which have no translation
_OS_ERRORS_ZH = ((FileNotFoundError, "文件不存在"), (IsADirectoryError, "这是一个文件夹，不是文件"),
                 (PermissionError, "没有读取该文件的权限"),
                 (UnicodeError, "文件的编码无法识别，请另存为 UTF-8 或 GB18030 编码的 CSV（{}）"),
                 (OSError, "读取文件时出错（{}）"), (LookupError, "不认识所给的编码（{}）"),
                 (ValueError, "文件内容无法解析（{}）"))


class NotScalar(ValueError):
    """A table file (Parquet) with columns whose cells are not single values: lists, structs
    or bytes. Read as text they would be `['是']` or `b'T01'`; no cell grammar reads them."""

    def __init__(self, columns: Sequence[tuple[str, str]]):  # (header, type as the file names it)
        super().__init__(", ".join(f"{name} ({kind})" for name, kind in columns))
        self.columns = list(columns)

    def problem(self, file: str) -> RosterProblem:
        names_en = ", ".join(f"`{name}` ({kind})" for name, kind in self.columns)
        names_zh = "、".join(f"“{name}”（{kind}）" for name, kind in self.columns)
        return RosterProblem(
            file, None, self.columns[0][0], None, "R009",
            f"cannot read the file: column{'s' if len(self.columns) > 1 else ''} {names_en} "
            f"hold{'' if len(self.columns) > 1 else 's'} lists, structures "
            "or bytes, not one value per cell; write them as text, numbers, dates or yes/no",
            f"无法读取文件：列{names_zh}的单元格存放的是列表、结构或字节，而不是单个值；请改存为文本、数字、日期或是/否")


def scalar_columns_or_raise(schema: Mapping[str, object]) -> None:
    """``NotScalar`` when a column of a polars schema holds lists, structs, objects or bytes:
    the one rule for both readers of a Parquet file."""
    import polars as pl

    bad = [(name, str(dtype)) for name, dtype in schema.items() if dtype.is_nested() or dtype == pl.Binary
           or dtype == pl.Object]
    if bad:
        raise NotScalar(bad)


def text_lines(text: str) -> int:
    """The lines of a text, as polars counts them (a last line break ends the last line)."""
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def unreadable_error(exc: BaseException) -> bool:
    """Whether an exception raised reading a file says the file cannot be read: any error, and
    a panic of polars's Rust code on a corrupt Parquet file (a ``BaseException``); not an
    interrupt or an exit."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97-2003 workbook, or any workbook with a password


_ZIP = b"PK\x03\x04"  # an .xlsx workbook (a zip), whatever its name


def _what_it_really_is(file: str) -> tuple[str, str] | None:
    """What a file that could not be read as its name says is, by its first bytes: nothing (0
    bytes), a workbook under a .csv name, an old or password-protected workbook."""
    try:
        with open(file, "rb") as f:
            head = f.read(8)
    except OSError:
        return None
    if not head:  # whatever its name: no workbook, no JSON, no Parquet is 0 bytes
        return _ZERO_BYTES
    if head.startswith(_OLE):
        return ("it is an Excel 97-2003 workbook (.xls) or a workbook with a password: save it from Excel or WPS as "
                ".xlsx, without a password",
                "这是 Excel 97-2003 工作簿（.xls）或设有密码的工作簿：请在 Excel 或 WPS 中另存为 .xlsx（不设密码）")
    if head.startswith(_ZIP) and Path(file).suffix.lower() in (*CSV_SUFFIXES, ".json"):
        return ("it is an Excel workbook (.xlsx) under another name: name it .xlsx",
                f"这是 Excel 工作簿（.xlsx），只是文件名以 {Path(file).suffix} 结尾：请把文件名改为 .xlsx")
    return None


def unreadable_problem(file: str, exc: BaseException) -> RosterProblem:
    """A file that cannot be read at all (R009), or from one of its rows on."""
    if isinstance(exc, (BrokenCsv, NotScalar, SeveralSheets, WorkbookTooLarge)):
        return exc.problem(file)
    if (really := _what_it_really_is(file)) is not None:
        return _file_problem(file, "R009", f"cannot read the file: {really[0]}", f"无法读取文件：{really[1]}")
    if isinstance(exc, UnreadableFile):
        return exc.problem(file)
    if isinstance(exc, (OSError, ValueError, UnicodeDecodeError, LookupError)):
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        reason_zh = next(zh for kind, zh in _OS_ERRORS_ZH if isinstance(exc, kind)).format(reason)
        return _file_problem(file, "R009", f"cannot read the file: {reason}", f"无法读取文件：{reason_zh}")
    # a corrupt xlsx or parquet raises library-specific errors
    kind = _FILE_KINDS.get(Path(file).suffix.lower())
    en = f"it is no {kind[0]} or is damaged" if kind else "it is damaged"
    zh = f"不是有效的{kind[1]}，或文件已损坏" if kind else "文件已损坏"
    again = {".xlsx": ("open it in Excel or WPS and save it as .xlsx (or CSV) again", "请用 Excel 或 WPS 打开，另存为 .xlsx（或 CSV）后再试"),
             ".xlsm": ("open it in Excel or WPS and save it as .xlsx again", "请用 Excel 或 WPS 打开，另存为 .xlsx 后再试")}.get(
        Path(file).suffix.lower(), ("export it again", "请重新导出后再试"))
    # (the library's words in English, for whoever reports it; a reader of Chinese is told what to do)
    return _file_problem(file, "R009", f"cannot read the file: {en} ({exc.__class__.__name__}: {exc}); {again[0]}",
                         f"无法读取文件：{zh}；{again[1]}")


_FILE_KINDS = {".xlsx": ("Excel workbook (.xlsx)", " Excel 工作簿（.xlsx）"), ".xlsm": ("Excel workbook", " Excel 工作簿"),
               ".parquet": ("Parquet file", " Parquet 文件"), ".json": ("JSON file", " JSON 文件")}


def school_row_problem(file: str, line: int, column: str, school_id: object, school_file: str,
                       school_line: int | None, school_sheet: str | None = None) -> RosterProblem:
    """A teacher whose school is in the schools table, but not usably (R014): its row has
    problems (``school_line``, on ``school_sheet`` of a workbook of several), or the schools file
    itself has (None). Decided without it, the teacher would be decided as if the school were empty."""
    listed = school_file.startswith("<")  # records in memory (the API, the service): a list, not a file
    on_en, on_zh = ((f" sheet {sheet_shown(school_sheet, 'en')}", f" 工作表{sheet_shown(school_sheet, 'zh')}")
                    if school_sheet is not None else ("", ""))
    if school_line is None:
        where_en, where_zh = ("the schools list", "学校列表") if listed else (f"the schools file {school_file}{on_en}",
                                                                         f"学校名册 {school_file}{on_zh} ")
        en = (f"the school `{school_id}` cannot be read: {where_en} has problems of its own "
              "(listed above); the teacher is not decided without their school")
        zh = f"无法读取学校“{school_id}”：{where_zh}本身有问题（见上）；缺少学校信息，不对该教师作出决定"
    else:
        where_en, where_zh = ((f"its record {school_line} in the schools list", f"学校列表第{school_line}条记录")
                              if listed else (f"its row {school_line} of {school_file}{on_en}",
                                              f"{school_file}{on_zh} 第{school_line}行"))
        en = (f"the school `{school_id}` cannot be read: {where_en} has problems; the "
              "teacher is not decided without their school")
        zh = f"无法读取学校“{school_id}”：{where_zh}有问题；缺少学校信息，不对该教师作出决定"
    return RosterProblem(file, line, column, str(school_id), "R014", en, zh)


def ragged_problem(file: str, line: int, cells: int, width: int) -> RosterProblem:
    """A CSV row with fewer or more cells than the header (R016): which cell is which is not
    known, and the missing ones would read as empty (a yes/no as "no")."""
    what_en, what_zh = ("cut short", "不完整") if cells < width else ("too long", "过长")
    return RosterProblem(
        file, line, None, None, "R016",
        f"the row has {cells} cell{'s' if cells != 1 else ''} where the header has {width} (a row {what_en}); "
        "its cells cannot be matched to the columns",
        f"该行有 {cells} 个单元格，表头有 {width} 列（行{what_zh}），无法确定各单元格对应的列")


def multiline_warning(file: str, line: int, column: str | None, first: int, lines: int) -> RosterProblem:
    """A CSV row running over several lines of the file (R018, a warning): a cell holds line
    breaks, which is how a quote left open looks when a later quote closes it."""
    last = first + lines - 1
    where_en = f"the cell of `{column}`" if column else "a cell"
    where_zh = f"“{column}”单元格" if column else "某个单元格"
    return RosterProblem(
        file, line, column, None, "R018",
        f"the row runs over lines {first}–{last} of the file: {where_en} holds line breaks. If a quote was left "
        f"open in line {first}, the rows up to line {last} were read into that cell",
        f"该行跨越文件的第{first}–{last}行：{where_zh}含换行。若第{first}行的引号未闭合，到第{last}行为止的各行都被读入了该单元格",
        warning=True)


def unreadable_files(problems: Iterable[RosterProblem]) -> list[str]:
    """The files that could not be read (R009), in order: nothing can be decided on such a
    roster, with ``--skip-invalid`` too (no row of it is known, so none can be counted)."""
    return list(dict.fromkeys(p.file for p in problems if p.code == "R009"))


def whole_file_problems(problems: Iterable[RosterProblem]) -> list[RosterProblem]:
    """The problems of a file as a whole, not of one of its rows: a column missing (R001, R011)
    or given twice (R010), a header that is no roster column under ``--strict`` (R012), a file
    that cannot be read (R009). No row of such a roster can be decided, so ``--skip-invalid``,
    which skips the rows with problems, does not skip these."""
    return [p for p in problems if p.row is None and not p.warning]


def skipping_cannot_help(problems: Iterable[RosterProblem], invalid: int, total: int) -> bool:
    """Whether ``--skip-invalid`` (deciding the rows without problems) is refused all the same:
    for a problem of a whole file (``whole_file_problems``), and when all ``total`` teacher rows
    have problems (``invalid``): an empty result is no success."""
    return bool(whole_file_problems(problems)) or bool(total and invalid >= total)


# the text tables read as CSV: comma-, tab- or semicolon-separated, the delimiter found by the header;
# .tsv is tab-separated by its name (a header of one column is then a tab's), .txt as Excel's
# "Unicode text" and "Text (tab delimited)" save a sheet
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


class SeveralSheets(ValueError):
    """A workbook with the table on several sheets: which one holds the roster is not known."""

    def __init__(self, table: str, sheets: Sequence[str]):
        super().__init__(", ".join(sheets))
        self.table, self.sheets = table, list(sheets)

    def problem(self, file: str) -> RosterProblem:
        what_en, what_zh = ("teachers", "教师") if self.table == "teacher" else ("schools", "学校")
        en = ", ".join(sheet_shown(s, "en") for s in self.sheets)
        zh = "、".join(sheet_shown(s, "zh") for s in self.sheets)
        return RosterProblem(file, None, None, None, "R009",
                             f"cannot read the file: sheets {en} each hold a {what_en} table; which one is the roster "
                             "is not known. If each holds part of the roster (a sheet per school), copy their rows "
                             "under one header on one sheet; if one is an old copy, delete it",
                             f"无法读取文件：工作表{zh}都含有{what_zh}表，无法确定哪一张是名册。如果各表是名册的一部分"
                             "（一校一表），请把各表的行复制到同一张工作表的同一表头下；如果其中有旧表或副本，请删除该表")


class WorkbookTooLarge(ValueError):
    """A workbook whose parts unpack too large to read (``xlsx.check_unpacked_size``)."""

    def __init__(self, unpacked: int, packed: int, most: int, ratio_from: int, ratio: int):
        # the reader's limits (``xlsx.MAX_UNPACKED``; above ``xlsx.RATIO_FROM``, ``xlsx.MAX_RATIO`` times the file)
        super().__init__(f"{unpacked} bytes unpacked from {packed}")
        self.unpacked, self.packed = unpacked, packed
        self.most, self.ratio_from, self.ratio = most, ratio_from, ratio

    def problem(self, file: str) -> RosterProblem:
        MAX_UNPACKED, RATIO_FROM, MAX_RATIO = self.most, self.ratio_from, self.ratio  # noqa: N806 - as xlsx names them
        mb, packed_mb = self.unpacked / 1e6, self.packed / 1e6
        limit_en = (f"more than {MAX_UNPACKED >> 30} GiB" if self.unpacked > MAX_UNPACKED else
                    f"more than {RATIO_FROM >> 20} MB at over {MAX_RATIO} times the file's size")
        limit_zh = (f"超过 {MAX_UNPACKED >> 30} GiB" if self.unpacked > MAX_UNPACKED else
                    f"超过 {RATIO_FROM >> 20} MB 且超过文件大小的 {MAX_RATIO} 倍")
        return RosterProblem(
            file, None, None, None, "R009",
            f"cannot read the file: the workbook ({packed_mb:,.1f} MB) unpacks to {mb:,.0f} MB, {limit_en}; no "
            "roster is that large (a damaged or crafted file?). Save the roster again in Excel or WPS, or as CSV",
            f"无法读取文件：该工作簿（{packed_mb:,.1f} MB）解压后为 {mb:,.0f} MB，{limit_zh}；名册不会这么大"
            "（文件损坏或被构造？）。请用 Excel 或 WPS 重新保存，或另存为 CSV")
