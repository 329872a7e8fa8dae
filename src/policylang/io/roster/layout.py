"""What a sheet holds beside its people: a column numbering the rows, the footer rows below
the table (totals, signatures), the header again among the data, cells under no header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from policylang.lang import schema as S
from policylang.io.roster.model import RosterProblem
from policylang.io.roster.cells import _text, header_name, _letters
from policylang.io.roster.problems import ROWS_SHOWN
from policylang.core.text_width import HAN, HAN_CHARACTER


# a column numbering the rows (序号): a template numbers its rows down the sheet before anyone is
# entered, so a row filled in it alone is a blank row, no teacher with every cell missing
SERIAL_HEADERS = frozenset({"序号", "序", "行号", "No", "No.", "NO", "NO.", "no", "no."})


def serial_columns(header: Sequence[object], read: Iterable[int]) -> frozenset[int]:
    """The positions of ``header``'s row-number columns (``SERIAL_HEADERS``) that give no field (``read``)."""
    taken = set(read)
    return frozenset(k for k, h in enumerate(header) if k not in taken and header_name(h) in SERIAL_HEADERS)


# what a row-number column's cell holds when it numbers the row: a number as templates write one (12, 12.0
# as a number cell reads, ３, 41、, （41）, No.41, 1-41, 2.3) or a formula's text (=ROW()-1): a row of it alone
# is blank. Any other text there (中山中学（S01）, 借调人员, S01, T0012) is the row's, as in any column: a
# title, or a row refused for its empty cells, never passed over unsaid (HR trial hr27; reviews rv27: a
# numbered template's empty rows, 41、, were refused, and with them the roster; rv27b: T0012 alone went
# unsaid). The streamed reader matches the same pattern in polars.
ROW_NUMBER = r"(?:[Nn][Oo][.．]?\s*)?[（(]?\s*[0-9０-９]+(?:[-－.．][0-9０-９]+)*\s*[)）]?\s*[、.．,，]?|=.*"
_ROW_NUMBER = re.compile(ROW_NUMBER)


def without_row_numbers(row: Sequence[object], serial: Collection[int]) -> list[object]:
    """``row``'s cells but those of its row-number columns (``serial``) that number it (``ROW_NUMBER``)."""
    return [c for k, c in enumerate(row) if k not in serial or not _ROW_NUMBER.fullmatch(_text(c))]


# ---- the rows below a table that are no teacher or school: the rule, written once (the columnar
# reader applies it to a CSV's last lines, columnar._footer_lines)

# what begins the line an office form ends with: a totals row, the signatures, a note. A totals row
# may also be labelled by the count it gives (总人数, 总人数：31, 人数合计, 教师总数): what is counted,
# in a few characters, then 人数 or 总数, then nothing but a 合计, a colon or the figure (人数统计表
# is none). The signatures as county forms write them (the HR trial): 制表：, 审核：, 单位负责人：,
# 单位（盖章）, 联系电话：, 分管领导：; a count as a sentence (共10人, 以上共10人); 本页小计
_FOOTER = re.compile(r"(合\s*计|总\s*计|小\s*计|共\s*计|填\s*表\s*人|填报人|制表人|审核人|审批人|负责人|经办人|"
                     r"填表日期|制表日期|填报日期|填报单位|注\s*[：:0-9１-９、.．]|备\s*注\s*[：:]|说\s*明\s*[：:]|"
                     r"(制\s*表|审\s*核|审\s*批|签\s*字|日\s*期)\s*[：:]|单\s*位\s*(负责人|[（(]?\s*盖\s*章)|"
                     r"联\s*系\s*(电\s*话|人)|(分\s*管|主\s*管)\s*(领\s*导|校\s*长)|本\s*页\s*[小合]\s*计|"
                     r"(以\s*上\s*)?共\s*\d+\s*[人名]|"
                     rf"[{HAN}]{{0,6}}?(总\s*人?\s*数|人\s*数)\s*([合总共]\s*计)?\s*([：:（(]|\d|$))")


def footer_rows(rows: Sequence[Sequence[object]], required: Iterable[int]) -> dict[int, str]:
    """The rows at the end of a table (blank rows aside) that are a form's footer, not a
    person or a school: its first filled cell begins as a totals row, a signature or a note
    does (合计, 填表人：, 注：), and every required cell that is filled does so too (审核人：李四
    beside 填表人：张三) or is a figure (the count of teachers in the 工号 column of 合计). A
    teacher whose id begins so has their other required cells filled in (性别 女), and is read.
    Each row's position, with the text that makes it one."""
    required = list(required)
    found: dict[int, str] = {}
    lines: dict[int, str] = {}  # lines of text below, kept once a footer row is found above them
    for position in range(len(rows) - 1, -1, -1):
        row = rows[position]
        texts = [_text(cell) for cell in row]
        filled = [t for t in texts if t]
        if not filled:
            continue
        first = texts.index(filled[0])
        if _FOOTER.match(texts[first]) and all(not texts[i] or _FOOTER.match(texts[i]) or _FIGURE.fullmatch(texts[i])
                                               for i in required if i < len(texts)):
            found[position] = texts[first]
            found.update(lines)
            lines = {}
        elif len(filled) == 1 and len(_HAN.findall(filled[0])) >= 2:
            # a line of text, no record: a note's next line (2.本表一式两份), or a sentence of its own
            lines[position] = filled[0]
        else:
            break
    found.update(lines)  # (below the last record: said, never read as a person, never dropped unsaid)
    return dict(sorted(found.items()))


# a subtotal among the data as Excel's and WPS's 分类汇总 label it, in the column grouped by
# (a subtotal after what it totals: S02 汇总, 体育 计数, 城关第一小学 小计)
# (a school's name before 小计, and the count after a colon: 中山中学小计：35人)
_SUBTOTAL = re.compile(r"(.*\S\s*(汇总|计数|求和|平均值|最大值|最小值|小\s*计|合\s*计)|(合|总|小|共)\s*计\s*(数|值)?)"
                       r"(\s*[：:]\s*[\d,.]+\s*[人名所个]?)?")


# a count as a form writes it (10人), or the formula giving it in a workbook saved by a program that does
# not calculate (=SUBTOTAL(3,A2:A36), as 分类汇总 inserts it; =COUNTA(…), =SUM(…)): no value of a person
_FIGURE = re.compile(r"[-+]?[\d,.]+\s*[%人名所个]?|=\s*(SUBTOTAL|SUM|COUNTA?|AVERAGE)\s*\(.*", re.IGNORECASE)


_HAN = HAN_CHARACTER


def summary_label(cells: Sequence[object], required: Iterable[int]) -> str | None:
    """The text that makes a row among the data a totals or subtotal row, not a person or a
    school: its first filled cell begins as a totals row or a note does (小计, 合计), or a cell
    is a total's or a subtotal's label (总计, S02 汇总, 体育 计数), and every required cell that is filled is such
    a text or a figure (the count or sum beside it). Asked only of a row refused as a record: of
    a sheet's rows (CSV, XLSX), one is not read and is said (``Subtotals``, R053); of records
    (JSON, Parquet, the API's), which have no form's rows, it is refused as one problem (R031)."""
    texts = [_text(cell) for cell in cells]
    first = next((t for t in texts if t), None)
    if first is None:
        return None
    label = first if _FOOTER.match(first) else next((t for t in texts if _SUBTOTAL.fullmatch(t)), None)
    if label is None:
        return None
    filled = [texts[i] for i in required if i < len(texts) and texts[i]]
    if any(not (_FOOTER.match(t) or _SUBTOTAL.fullmatch(t) or _FIGURE.fullmatch(t)) for t in filled):
        return None
    return label


# ---- what a cell shows of its row: a reader that looks at many refused rows at once (the columnar one, a
# roster whose every row is refused for one wrong column) asks the recognisers below only of the rows with a
# cell they need, each distinct cell of a column looked at once (``cell_marks``)
LABEL, NAME, FILLED = 1, 2, 4


def cell_marks(cell: object, column: int, again: HeaderAgain | None, skipped: Collection[int]) -> int:
    """What the recognisers need of a row, met by this cell (in position ``column``): ``LABEL``, a
    total's label (``summary_label`` needs one among the row's cells); ``NAME``, its column's header
    cell or a column's name (``HeaderAgain.kind`` needs one among the fields' cells); ``FILLED``,
    filled and not a number in a row-number column (``skipped``; ``lone_text`` needs exactly one)."""
    text = _text(cell)
    if not text:
        return 0
    marks = 0 if column in skipped and _ROW_NUMBER.fullmatch(text) else FILLED
    if _FOOTER.match(text) or _SUBTOTAL.fullmatch(text):
        marks |= LABEL
    if again is not None and again.names_its_column(column, text):
        marks |= NAME
    return marks


def summary_problem(file: str, line: int, text: str) -> RosterProblem:
    """A totals or subtotal record among records (JSON, Parquet, the API's: R031): one problem for
    the record, in place of the empty required values it would otherwise be refused for. A
    program's records have no form's rows; one that sends a total sends something wrong."""
    return RosterProblem(file, line, None, text, "R031",
                         f"a totals or subtotal record (`{text}`) among the records, not a person or a school: "
                         "leave it out",
                         f"“{text}”一条是合计或分类汇总记录，不是教师或学校记录，请删除该条")


def summary_only(problems: list[RosterProblem], row: Sequence[object], required: Iterable[int], file: str,
                  line: int) -> list[RosterProblem]:
    """A refused record's problems, or the one problem of a totals record (R031)."""
    label = summary_label(row, required) if problems else None
    return [summary_problem(file, line, label)] if label is not None else problems


class RowsSetAside:
    """Rows of a sheet that are no person or school, row by row (``add``): not read, and said once for
    the table, counted, with the first rows and their different texts (``said``)."""

    SHOWN = ROWS_SHOWN  # the rows a warning names
    LABELS = 3  # the different texts it quotes

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.labels: list[str] = []
        self.count = 0

    def add(self, line: int, label: str) -> None:
        self.count += 1
        if len(self.rows) < self.SHOWN:
            self.rows.append(line)
        if len(self.labels) <= self.LABELS and label not in self.labels:
            self.labels.append(label)

    def said(self) -> tuple[str, str]:
        """The rows and their texts, in English and Chinese: rows 2, 5, …: `小计` / 第2、5行等：“小计”."""
        more = self.count > len(self.rows)
        etc_en, etc_zh = (", …", "等") if len(self.labels) > self.LABELS else ("", "")
        shown = self.labels[:self.LABELS]
        rows_en = ("row " if len(self.rows) == 1 else "rows ") + ", ".join(map(str, self.rows)) + (", …" if more else "")
        rows_zh = "第" + "、".join(map(str, self.rows)) + ("行等" if more else "行")
        return (f"{rows_en}: " + ", ".join(f"`{t}`" for t in shown) + etc_en,
                f"{rows_zh}：" + "、".join(f"“{t}”" for t in shown) + etc_zh)


class Subtotals(RowsSetAside):
    """The totals and subtotal rows among a sheet's data (``summary_label``: 小计 after each school's
    teachers, as WPS users write them; the rows Excel's and WPS's 分类汇总 insert, S02 汇总): no person
    or school, so not read, and said once, counted (R053), as a footer row is below the data (R030).
    Only a row refused as a record is looked at, so no person's row is one. The rows around them are
    the table's as any rows are: a 小计 says nothing of them."""

    def warnings(self, file: str, table: str) -> list[RosterProblem]:
        if not self.count:
            return []
        en, zh = self.said()
        what_en, what_zh = ("school", "学校") if table == "school" else ("teacher", "教师")
        return [RosterProblem(
            file, None, None, self.labels[0], "R053",
            f"{self.count} totals or subtotal row(s) in the table ({en}), not {what_en}s: not read, "
            f"nor counted as {what_en}s; the rows above and below them are read as usual",
            f"表格中有 {self.count} 行是合计、小计或分类汇总行（{zh}），不是{what_zh}记录，未读取，"
            "也不计入人数；其上下各行照常读取", warning=True, rows=tuple(self.rows), count=self.count)]


# ---- a group's title typed into one cell between the data (中山中学（S01） above that school's teachers), as
# a CSV export keeps a workbook's merged title (R041) or a clerk types it unmerged: the rule, written once
# (for both readers: the streamed one finds such rows among those it refuses and sets them aside itself)


def lone_text(cells: Sequence[object], skipped: Collection[int], name: int | None) -> str | None:
    """The text of a row whose one filled cell (the row number of a ``skipped`` column aside: 序号) is text
    of two Chinese characters or more, not in the column of a person's name (``name``: 张三 alone is a
    person half entered), not a total's label (小计: ``Subtotals``): what a group's title may be."""
    found = None
    for k, cell in enumerate(cells):
        if not (text := _text(cell)) or (k in skipped and _ROW_NUMBER.fullmatch(text)):
            continue
        if found is not None or k == name:
            return None
        found = text
    if found is None or len(_HAN.findall(found)) < 2 or _FOOTER.match(found) or _SUBTOTAL.fullmatch(found):
        return None
    return found


def title_rows(rows: Sequence[Sequence[object]], skipped: Collection[int], name: int | None,
               school: int | None) -> dict[int, str]:
    """The rows that are a group's title (``lone_text``) standing where the school changes
    (``where_school_changes``; ``school``: the school's column; none: no title is known). Each row's
    position, with its text. A row of text among one school's teachers is no title, and is refused
    as a row lacking its values."""
    if school is None:
        return {}
    lone = {k: t for k, row in enumerate(rows) if (t := lone_text(row, skipped, name)) is not None}
    return where_school_changes(lone, lambda k: rows[k][school] if school < len(rows[k]) else None, len(rows))


def where_school_changes(lone: Mapping[int, str], school_at: Callable[[int], object], count: int,
                         above: str | None = None, below: str | None = None) -> dict[int, str]:
    """Of the rows of one text among ``count`` rows (``lone``: position -> text), those standing where
    the school changes: above the first row of a school, or between a row of one school and the next
    row of another. A row's school is the text of its cell ``school_at(position)``; a row of one text,
    or one whose school is empty, gives none. ``above``: the school nearest above the first row (of
    rows read before them, as the streamed reader reads a chunk); ``below``: the one nearest below the
    last (none: a row of text below every school is a footer's, never a title). Each title's position,
    with its text; each row is looked at once (the nearest school of a row of text is that of the row
    of text next to it when none lies between)."""
    positions = sorted(lone)
    nearest_above: list[str | None] = []
    start = 0
    for p in positions:
        found = next((s for k in range(p - 1, start - 1, -1) if k not in lone and (s := _text(school_at(k)))), None)
        nearest_above.append(found if found is not None else nearest_above[-1] if nearest_above else above)
        start = p + 1
    nearest_below: list[str | None] = [None] * len(positions)
    end = count
    for i in range(len(positions) - 1, -1, -1):
        p = positions[i]
        found = next((s for k in range(p + 1, end) if k not in lone and (s := _text(school_at(k)))), None)
        nearest_below[i] = found if found is not None else nearest_below[i + 1] if i + 1 < len(positions) else below
        end = p
    return {p: lone[p] for p, up, down in zip(positions, nearest_above, nearest_below)
            if down is not None and up != down}


def nearest_school(rows: Iterable[Sequence[object]], skipped: Collection[int], name: int | None,
                   school: int) -> str | None:
    """The school of the first of ``rows`` that gives one (no row of one text, ``lone_text``; its
    school filled): what ``where_school_changes`` takes as ``above`` (the rows before, last first)
    or ``below`` (the rows after)."""
    for row in rows:
        if lone_text(row, skipped, name) is None and (text := _text(row[school]) if school < len(row) else ""):
            return text
    return None


class Titles(RowsSetAside):
    """The rows of one text above a school's teachers (``title_rows``): group titles, not read, and
    said once, counted (R054; their empty cells were six problems each, and the roster refused)."""

    def warnings(self, file: str) -> list[RosterProblem]:
        if not self.count:
            return []
        en, zh = self.said()
        return [RosterProblem(
            file, None, None, self.labels[0], "R054",
            f"{self.count} row(s) of one text above a school's teachers ({en}): group titles, not teachers: not read; "
            "the rows below them are decided as usual (if a title says its people are not to take part, 借调人员, "
            "delete their rows)",
            f"表格中有 {self.count} 行只有一格文字，位于一所学校的教师之前（{zh}），是分组标题，不是教师记录，未读取；"
            "其下各行照常作出决定；若标题表明其下人员不参加交流（如“借调人员”），请删除这些行",
            warning=True, rows=tuple(self.rows), count=self.count)]


def _as_written(value: object) -> str:
    """A stated value as its caller wrote it: a JSON true is `true`, not Python's `True`."""
    return str(value).lower() if isinstance(value, bool) else "" if value is None else str(value)


def footer_warning(file: str, line: int, text: str) -> RosterProblem:
    """A footer row below the data (R030, a warning): not read, and said (an ID number in its note,
    注：… 身份证号…已调出, is masked as in every problem: ``model.RosterProblem``)."""
    return RosterProblem(file, line, None, text, "R030",
                         f"a footer row below the data (`{text}`), not a person or a school: not read",
                         f"表尾“{text}”一行不是教师或学校记录，未读取", warning=True)


# ---- the header again among the data: a second header row (the columns' English field names, as
# provincial systems export them under the Chinese header, or the header given twice), or the header
# repeated down the sheet (a printed report's, on every page; exports pasted one under another). The
# rule, written once, for the row reader and the columnar one.


class HeaderAgain:
    """Whether a row among the data is a header again (``kind``): most of its filled cells in the
    columns read as fields (``fields``: position -> field) are names of roster columns, or the
    header's own cells (a column's other cells, 备注 under 备注, are not counted). Asked only of a
    row refused as a record (its cells no dates, codes or yes/no values: its problems were thirty
    of one cause), so that no person's row is ever taken for one: a teacher's row has dates, a sex
    and a school, no column's name. Its text cells' readings are kept for the next row."""

    KEPT = 1 << 14  # texts whose reading is kept, at most (a file of bad rows has many)

    def __init__(self, header: Sequence[object], fields: Mapping[int, S.Field], table: S.Table):
        self.header = [header_name(h) for h in header]
        self.fields = sorted(fields)
        self._read = frozenset(fields)
        self.tables = (table, S.SCHOOLS if table.name == "teacher" else S.TEACHERS)
        self._named: dict[str, bool] = {}

    def _names_a_column(self, text: str) -> bool:
        known = self._named.get(text)
        if known is None:
            if len(self._named) >= self.KEPT:
                self._named.clear()
            known = self._named[text] = any(t.header_field(text) is not None for t in self.tables)
        return known

    def names_its_column(self, i: int, text: str) -> bool:
        """Whether a cell's text in position ``i`` counts towards ``kind``: a field's cell that is its
        header's own cell or a column's name."""
        return i in self._read and ((i < len(self.header) and text == self.header[i]) or self._names_a_column(text))

    def kind(self, cells: Sequence[object]) -> str | None:
        """``repeat`` for the header's own cells, ``english`` for column names in ASCII (teacher_id,
        birth_date …), ``names`` for other names of the columns; None for a row that is none."""
        filled = same = named = 0
        english = True
        for i in self.fields:
            text = _text(cells[i]) if i < len(cells) else ""
            if not text:
                continue
            filled += 1
            if i < len(self.header) and text == self.header[i]:
                same += 1
            elif self._names_a_column(text):
                named += 1
                english = english and text.isascii()
        if filled < 2 or 2 * (same + named) <= filled:
            return None
        return "repeat" if not named else "english" if english else "names"


def header_again_warning(file: str, line: int, kind: str, first: bool, table: str, text: str) -> RosterProblem:
    """R044: a row among the data that is the header again (``HeaderAgain``), not a person or a
    school: not read, and said once (its cells were as many problems). ``first``: the row right
    under the header (a second header row); ``text``: its first cells, as a message quotes them."""
    what_en, what_zh = ("a school", "学校") if table == "school" else ("a teacher", "教师")
    if kind == "repeat" and first:
        en, zh = "the header given again (a header row twice)", "与表头相同（表头重复了一行）"
    elif kind == "repeat":
        en, zh = ("the header repeated (a printed report's header on each page, or several exports pasted one under "
                  "another?)", "重复了表头（分页打印的表格每页都有表头，或几份名册上下粘贴在了一起？）")
    else:
        names_en, names_zh = ("English field names", "英文字段名") if kind == "english" else ("other names", "另一种列名")
        en = f"a second header row (the columns' {names_en})"
        zh = f"是第二行表头（各列的{names_zh}）"
    return RosterProblem(file, line, None, text, "R044", f"{en}, not {what_en}: skipped, not read",
                         f"{zh}，已跳过，不作为{what_zh}读取", warning=True)


def header_again_text(cells: Sequence[object]) -> str:
    """A header row's first filled cells, as a warning quotes them (teacher_id, name, sex …)."""
    texts = [t for c in cells if (t := _text(c))]
    shown = ", ".join(texts[:4]) + (", …" if len(texts) > 4 else "")
    return shown if len(shown) <= 60 else shown[:59] + "…"


# ---- cells under no header


def cells_said(shown: Sequence[tuple[int, str]], count: int) -> tuple[str, str, str]:
    """The cells a note names (line, text), in English and Chinese, and in Chinese how many there are
    beyond them (等 12 行), as R042 and R051 list a column's notes (an ID number among them is masked
    by the problem quoting them: ``model.RosterProblem``)."""
    return (", ".join(f"row {line} `{text}`" for line, text in shown),
            "、".join(f"第{line}行“{text}”" for line, text in shown), f"等 {count} 行" if count > len(shown) else "")


class Unheaded:
    """The cells filled in a column with no header (an empty header cell, or right of the header's
    last), row by row (``look``): read by nothing, and said (R042), lest a note beside a person
    (已调出, 已退休，勿计) go unseen while they are decided like everyone else."""

    SHOWN = ROWS_SHOWN  # the rows a warning quotes

    def __init__(self, header: Sequence[object], beyond: bool = True):
        # ``beyond``: cells right of the header are looked at (a workbook's; a CSV's row is as wide as its header)
        self.width = len(header) if beyond else None
        self.blank = [k for k, h in enumerate(header) if not header_name(h)]
        self.found: dict[int, list[tuple[int, str]]] = {}
        self.counts: dict[int, int] = {}

    def look(self, row: Sequence[object], line: int) -> None:
        wider = self.width is not None and len(row) > self.width
        for k in self.blank + list(range(self.width, len(row))) if wider else self.blank:
            if k < len(row) and (text := _text(row[k])):
                self.counts[k] = self.counts.get(k, 0) + 1
                if len(kept := self.found.setdefault(k, [])) < self.SHOWN:
                    kept.append((line, text))

    def warnings(self, file: str, keys: Sequence[str] | None = None) -> list[RosterProblem]:
        """R042 for each column with no header that rows fill in; ``keys``: the header is records'
        keys (the service's lists), and such a column is a key with no name (`""`, as a client
        makes one of an empty header cell), named as its records give it, not by a letter."""
        out = []
        for k in sorted(self.found):
            shown, count = self.found[k], self.counts[k]
            cells_en, cells_zh, more_zh = cells_said(shown, count)
            if keys is None:
                column = letter = _letters(k + 1)
                en = f"column {letter} has no header but {count} row(s) fill it in ({cells_en})"
                zh = f"第 {letter} 列没有表头，但有 {count} 行填了内容（{cells_zh}{more_zh}）"
                end_en, end_zh = "delete their row", "请删除其行"
            else:
                column = keys[k]
                # ("": quoted, or it would not show; None: csv.DictReader's key for a row's cells past its header)
                key = json.dumps(column, ensure_ascii=False) if isinstance(column, str) else repr(column)
                en = f"the key {key} is a name left empty, no column's, yet {count} record(s) give it a value ({cells_en})"
                zh = f"键名 {key} 是空的，不是任何列的名称，但有 {count} 条记录给出了值（{cells_zh}{more_zh}）"
                end_en, end_zh = "leave them out of the records", "请勿在记录中包含此人"
            out.append(RosterProblem(
                file, None, column, None, "R042",
                f"{en}: it is read by nothing, and those people are decided like the others; if a note says someone "
                f"is not to be decided (已调出, 已退休), {end_en}",
                f"{zh}：该列不读取，这些人员照常作出决定；如注明某人不应参加（如已调出、已退休），{end_zh}", warning=True,
                rows=tuple(l for l, _ in shown), count=count))
        return out


# what a note beside a person says when they are no longer at the school (已调出, 已退休, 离职, 病故): the one
# pattern of both readers (the streamed one looks a chunk at a time: ``GoneNotes.add``)
GONE_WORDS = ("调出", "调离", "调走", "退休", "离职", "辞职", "离岗", "去世", "病故", "死亡", "已故", "解聘", "辞退",
              "开除", "除名")
GONE = re.compile("|".join(GONE_WORDS))


class GoneNotes:
    """The cells of columns read by nothing (备注, 人员状态: ``extras``) saying that a person has left (``GONE``:
    已调出, 已退休, 离职 …), row by row (``look``): that person is decided like everyone else, and a list of
    those who must move would name someone no longer there. Said once a column (R051), with the rows and
    their text, as R042 says a note in a column with no header."""

    SHOWN = ROWS_SHOWN

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:  # (a streamed pass again, knowing the duplicates, reads the same rows)
        self.found: dict[str, list[tuple[int, str]]] = {}
        self.counts: dict[str, int] = {}

    def look(self, column: str, text: str | None, line: int) -> None:
        if text and GONE.search(text):
            self.add(column, 1, [(line, text)])

    def add(self, column: str, count: int, first: Sequence[tuple[int, str]]) -> None:
        """``count`` more such cells of ``column``, the first of them (line, text) ``first`` (the streamed
        reader's, a chunk at a time)."""
        self.counts[column] = self.counts.get(column, 0) + count
        kept = self.found.setdefault(column, [])
        kept += first[:self.SHOWN - len(kept)]

    def warnings(self, file: str) -> list[RosterProblem]:
        out = []
        # by the row of each column's first note (then the columns' order), however the rows were looked at
        for column, shown in sorted(self.found.items(), key=lambda item: item[1][0][0]):
            count = self.counts[column]
            cells_en, cells_zh, more_zh = cells_said(shown, count)
            out.append(RosterProblem(
                file, None, column, None, "R051",
                f"column `{column}`, which nothing reads, says of {count} person(s) that they have left or are "
                f"leaving ({cells_en}): they are decided like the others; if one is no longer at the school (moved, "
                "retired), delete their row and run again",
                f"列“{column}”不读取，但有 {count} 行注明人员已调出、退休或离职等（{cells_zh}{more_zh}）：这些人员照常作出决定；"
                "如其已不在本校，请删除其行后再运行", warning=True, rows=tuple(line for line, _ in shown), count=count))
        return out
