"""An XLSX workbook's rows: the sheet chosen, formulas the file holds no value for, group
titles, merged-down, hidden and struck-through rows said.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.io.roster.model import RosterProblem, Shape, sheet_shown
from policylang.io.roster.cells import SheetNumber, Uncomputed, _text, header_name, _letters, _blank
from policylang.io.roster.problems import _file_problem, _first_rows
from policylang.io.roster.files import UnreadableFile, _EMPTY_WORKBOOK, SeveralSheets
from policylang.io.roster.header import find_header, header_row_notes


def formula_problem(file: str, line: int, column: str, cell: Uncomputed) -> RosterProblem:
    return RosterProblem(file, line, column, cell.formula, "R019",
                         f"`{cell.formula}` is a formula whose value the file does not hold; open and save the "
                         "workbook in Excel or WPS (which calculate it), or paste the values",
                         f"“{cell.formula}”是公式，文件中没有它的计算结果；请用 Excel 或 WPS 打开并保存（会计算公式），"
                         "或粘贴为数值")


def uncomputed_kept_warning(file: str, column: str, lines: Sequence[int]) -> RosterProblem:
    """R045: a column no rule reads, carried into the decisions (``--keep``), with formula cells whose
    result the workbook does not hold (written by a program, never calculated): the decisions have
    them empty, never the formula's text as if it were the value; said once for the column, with
    how many and the fix. (A column a field reads refuses such a row instead, R019: a decision may
    rest on it.)"""
    n = len(lines)
    shown, rows_en, rows_zh = _first_rows(lines, n)
    said = RosterProblem(
        file, None, column, None, "R045",
        f"column `{column}`, carried into the decisions, has {n} formula cell{'s' if n != 1 else ''} whose result the "
        f"file does not hold (row{'s' if n != 1 else ''} {rows_en}; a workbook written by a program, never calculated): "
        "the decisions leave "
        f"{'them' if n != 1 else 'it'} empty, not the formula's text. Open the roster in Excel or WPS and save it "
        "(which calculates the formulas), then run again",
        f"带出的列“{column}”有 {n} 个公式单元格没有保存计算结果（第 {rows_zh}；名册由程序生成，未经 Excel 或 WPS 计算），"
        "结论文件中这些单元格留空，不写公式本身；请用 Excel 或 WPS 打开名册并保存（会计算公式）后再运行",
        warning=True, rows=tuple(shown), count=n)
    return said


def _read_xlsx(path: Path, encoding: str | None, table: S.Table | None = None
               ) -> tuple[list[str], list[Sequence[object]], Shape]:
    """The rows below the header of the sheet holding ``table`` (``choose_sheet``)."""
    from policylang.io.xlsx import sheets as read_sheets

    sheets = read_sheets(path)
    chosen = choose_sheet(str(path), sheets, table)
    if chosen is None:
        raise UnreadableFile(*_EMPTY_WORKBOOK)
    rows, at, said, sheet = chosen
    group_rows = next((getattr(t, "group_rows", ()) for t, r in sheets if r is rows), ())
    header = [_text(h) for h in rows[at]]
    if table is not None and at + 1 < len(rows) and (joined := _second_header(header, rows[at + 1], table)):
        combined, named = joined  # a header over two rows, its cells merged down: read as one
        said += (_file_problem(
            str(path), "R024", f"the header takes rows {at + 1}–{at + 2} (cells merged down): the columns under "
            f"{', '.join(f'`{h}`' for h in dict.fromkeys(header[i] for i in named))} are read by the names in row "
            f"{at + 2} ({', '.join(f'`{combined[i]}`' for i in named)})",
            f"表头占第{at + 1}–{at + 2}行（单元格上下合并）：" + "、".join(f"“{h}”" for h in dict.fromkeys(header[i] for i in named))
            + f"下的各列按第{at + 2}行的列名（" + "、".join(f"“{combined[i]}”" for i in named) + "）读取",
            warning=True),)
        return combined, _sheet_numbers(combined, rows[at + 2:], table), Shape(
            keep_blank=False, said=said, above=at + 1, sheet=sheet, groups=_groups(rows, group_rows, at + 3))
    return header, _sheet_numbers(header, rows[at + 1:], table), Shape(
        keep_blank=False, said=said, above=at, sheet=sheet, groups=_groups(rows, group_rows, at + 2))


def _groups(rows: list[list[object]], group_rows: Sequence[int], first: int) -> dict[int, str]:
    """The data rows (by position, the first data row being sheet row ``first``) that are a
    group's title merged across the row (``xlsx.SheetTitle.group_rows``), with their text."""
    return {g - first: next(t for c in rows[g - 1] if (t := _text(c))) for g in group_rows if g >= first}


def group_title_warning(file: str, line: int, text: str) -> RosterProblem:
    """R041: a row that is one text merged across the row, between the data: a group's title
    (第二中学教师), not a person: not read, and said once (its cells were 30 problems)."""
    return RosterProblem(file, line, None, text, "R041",
                         f"a title merged across the row (`{text}`), not a person or a school: not read",
                         f"“{text}”一行是跨列合并的标题（分组名），不是教师或学校记录，未读取", warning=True)


def _sheet_numbers(header: list[str], rows: list[list[object]], table: S.Table | None) -> list[list[object]]:
    """The rows, each number cell of a date column that is no whole number marked as the sheet's
    (``SheetNumber``: read as the sheet shows it, 1985.03)."""
    dates = [i for i, h in enumerate(header) if table is not None
             and (f := table.header_field(header_name(h))) is not None and isinstance(f.type, T.DateType)]
    for row in rows if dates else ():
        for i in dates:
            if i < len(row) and type(value := row[i]) is float and not value.is_integer():
                row[i] = SheetNumber(value)
    return rows


def _second_header(header: list[str], below: Sequence[object], table: S.Table) -> tuple[list[str], list[int]] | None:
    """A header over two rows (a group's name above the columns it spans, 任教经历 over 农村任教年限
    …; the others merged down, so the row below repeats them): the header read as one, each
    column by the lower name where it names a column, and the columns so named. None unless
    every filled cell of the row below repeats the header's or names a column the header lacks."""
    texts = [_text(c) for c in below]
    named = _named_below(header, texts, table)
    repeated = [i for i, t in enumerate(texts) if t and i < len(header) and t == header[i]]
    if not named or not repeated or len(named) + len(repeated) != sum(1 for t in texts if t):
        return None
    return [texts[i] if i in named else h for i, h in enumerate(header)], named


def _named_below(header: Sequence[str], texts: Sequence[str], table: S.Table) -> list[int]:
    """The columns whose header cell names no column while the cell below it does (农村任教年限 under
    任教经历): a header over two rows, if the rest of the row below repeats the header."""
    return [i for i, t in enumerate(texts) if t and i < len(header) and t != header[i]
            and table.header_field(header_name(t)) is not None and table.header_field(header_name(header[i])) is None]


def header_below(header: Sequence[str], below: Sequence[object], table: S.Table | None) -> bool:
    """Whether a sheet's header (``header``, its cells' texts) may go on in the row ``below`` (a group's
    name above the columns it spans): the sheet is then to be read as the reader reads it
    (``_read_xlsx``, with its merged cells filled in) to know its columns (``columnar.roster_header``)."""
    return table is not None and bool(_named_below(header, [_text(c) for c in below], table))


# the sheets of the roster template (present.roster_template), by language: teachers, schools, instructions
TEMPLATE_SHEETS = {"en": ("teachers", "schools", "instructions"), "zh": ("教师", "学校", "填表说明")}


TEMPLATE_NOTES_SHEETS = frozenset(names[2] for names in TEMPLATE_SHEETS.values())


def choose_sheet(file: str, sheets: Iterable[tuple[str, list[Sequence[object]]]], table: S.Table | None
                 ) -> tuple[list[Sequence[object]], int, tuple[RosterProblem, ...], str | None] | None:
    """Of a workbook's sheets (title, rows), the rows of the one holding ``table`` (a header in
    its first rows: ``find_header``), the header's index, what is said of the choice and, of a
    workbook of several sheets with rows, the sheet's title (a row number alone would not say
    which sheet's row); when none holds it, the first sheet with rows, its header the first
    row; None when no sheet has rows. ``SeveralSheets`` when several hold it. In a workbook of
    several sheets with rows, the sheet read is said (R020); a header below the first row too
    (R024)."""
    with_rows = []  # (title, rows) of the sheets with any row
    for title, rows in sheets:
        while rows and _blank(rows[-1]):
            rows.pop()
        if rows:
            with_rows.append((title, rows))
    if not with_rows:
        return None
    holding = [s for s in with_rows if table is not None and find_header(s[1], table) is not None]
    if len(holding) > 1:
        raise SeveralSheets(table.name, [title for title, _ in holding])
    title, rows = (holding or with_rows)[0]
    at = find_header(rows, table) if holding else (table is not None and find_header(rows, table, loose=True)) or 0
    said = ()
    # the sheets a workbook is known to hold beside this table: the other table's, and the
    # instructions of the roster template (policylang template): no word of them
    other = (S.SCHOOLS if table.name == "teacher" else S.TEACHERS) if table is not None else None
    others = [(t, sum(not _blank(row) for row in r)) for t, r in with_rows
              if t != title and t not in TEMPLATE_NOTES_SHEETS and not (other is not None and find_header(r, other) is not None)]
    if others:  # each with its rows, not read: a teacher on a sheet without a header is no teacher decided
        what_en, what_zh = ("teachers", "教师") if table is None or table.name == "teacher" else ("schools", "学校")
        one = len(others) == 1
        said = (_file_problem(
            file, "R020", f"the workbook has {len(with_rows)} sheets with rows: read {sheet_shown(title, 'en')}; "
            + ", ".join(f"{sheet_shown(t, 'en')} ({n} row{'s' if n != 1 else ''})" for t, n in others)
            + f" {'has' if one else 'have'} no header of the {what_en} table and {'is' if one else 'are'} not read: "
            f"any {what_en} there belong in {sheet_shown(title, 'en')}",
            f"工作簿有 {len(with_rows)} 张含数据的工作表：读取了{sheet_shown(title, 'zh')}；"
            + "、".join(f"{sheet_shown(t, 'zh')}（{n} 行）" for t, n in others)
            + f"没有{what_zh}表头，未读取：其中如有{what_zh}，请移到{sheet_shown(title, 'zh')}", warning=True),)
    return (rows, at, said + header_row_notes(file, rows, at) + _hidden_rows_note(file, title, rows, at)
            + _hidden_columns_note(file, title, rows, at) + _struck_rows_note(file, title, rows, at)
            + _merged_down_notes(file, title, rows, at, table), title if len(with_rows) > 1 else None)


def _per_person(field: S.Field) -> bool:
    """A field whose value is each person's own (a date, a yes/no, a number, sex, an id): a
    merged cell giving one value to several rows there is more likely a slip than meant."""
    return field.name in ("id", "id_number", "sex") or isinstance(field.type, (T.DateType, T.BoolType, T.NumberType))


def _merged_down_notes(file: str, title: str, rows: list[Sequence[object]], at: int, table: S.Table | None
                       ) -> tuple[RosterProblem, ...]:
    """R040: a column of each person's own value (``_per_person``) with cells merged down over the
    rows of several people (``xlsx.SheetTitle.merged_down``): each row is read as holding the
    merged cell's value, which the sheet shows once (an HR trial's 孕期 是 merged over a man and a
    woman exempted both). One warning a column, naming its first ranges."""
    if table is None or not getattr(title, "merged_down", ()):
        return ()
    header = rows[at]
    ranges: dict[int, list[tuple[int, int]]] = {}
    for top, left, bottom, right in title.merged_down:
        if top <= at + 1:  # a merged header cell
            continue
        for c in range(left - 1, min(right, len(header))):
            field = table.header_field(header_name(header[c]))
            if field is not None and _per_person(field):
                ranges.setdefault(c, []).append((top, bottom))
    out = []
    for c, spans in ranges.items():
        name, shown = header_name(header[c]), spans[:_HIDDEN_LISTED]
        cells = ", ".join(f"{_letters(c + 1)}{top}:{_letters(c + 1)}{bottom}" for top, bottom in shown)
        more_en = f" and {len(spans) - len(shown)} more" if len(spans) > len(shown) else ""
        more_zh = f"等 {len(spans)} 处" if len(spans) > len(shown) else ""
        out.append(_file_problem(
            file, "R040", f"column `{name}` has cells merged down over several people's rows ({cells}{more_en}): each "
            "row is read as holding the merged cell's value; if that is not each person's own, unmerge the cells and "
            "fill in each row", f"列“{name}”有跨多人的合并单元格（{cells}{more_zh}）：合并单元格的值被读作其覆盖的每一行"
            "各自的值；如不是每人各自的情况，请取消合并后逐行填写", name, warning=True))
    return tuple(out)


_HIDDEN_LISTED = 10  # hidden rows a note names


def _hidden_rows_note(file: str, title: str, rows: list[Sequence[object]], at: int) -> tuple[RosterProblem, ...]:
    """R028: the sheet's hidden rows below the header that hold data (``xlsx.SheetTitle``):
    hidden by hand, by a filter left on, or by an outline collapsed (分类汇总 shown at its totals'
    level), they are out of the clerk's sight but read and decided like every other row. Rows the
    outline hides are said as such, with how to show them: a filter it is not."""
    hidden = [r for r in getattr(title, "hidden_rows", ()) if at + 1 < r <= len(rows) and not _blank(rows[r - 1])]
    outline = set(getattr(title, "outline_rows", ()))
    folded, other = [r for r in hidden if r in outline], [r for r in hidden if r not in outline]
    return tuple(_hidden_note(file, title, each, by_outline) for each, by_outline in ((folded, True), (other, False))
                 if each)


def _hidden_note(file: str, title: str, hidden: list[int], by_outline: bool) -> RosterProblem:
    shown = hidden[:_HIDDEN_LISTED]
    more_en = f" and {len(hidden) - len(shown)} more" if len(hidden) > len(shown) else ""
    several = len(hidden) > 1
    rows_are, they = ("rows {} are".format, "they were") if several else ("row {} is".format, "it was")
    more_zh = f"等 {len(hidden)} 行" if len(hidden) > len(shown) else "行"
    these = "这些行" if several else "该行"
    if by_outline:
        en_how = ("hidden in a collapsed outline (Data → Subtotal or Group, shown only to the totals' level; the largest "
                  "of the level buttons at the top left, or + beside the rows, shows them)")
        zh_how = "因分级显示折叠而被隐藏（分类汇总或组合后只显示到汇总一级；点左上角分级按钮中最大的数字，或行左侧的“+”，即可展开）"
    else:
        en_how, zh_how = "hidden (perhaps by a filter left on)", "被隐藏（可能是筛选未取消）"
    return _file_problem(
        file, "R028", f"sheet {sheet_shown(title, 'en')}: {rows_are(', '.join(map(str, shown)) + more_en)} {en_how}; "
        f"{they} read and taken like the others. If only some people are to be decided, delete the other rows",
        f"工作表{sheet_shown(title, 'zh')}的第 {'、'.join(map(str, shown))} {more_zh}{zh_how}，"
        f"{these}也已读取，与其他行一样处理；如只应处理部分人员，请删除其他行", warning=True)


def _hidden_columns_note(file: str, title: str, rows: list[Sequence[object]], at: int) -> tuple[RosterProblem, ...]:
    """R052: the sheet's hidden columns with a header and a value below it (``xlsx.SheetTitle``):
    out of the clerk's sight, but read like the others, so a stale hidden 任课 or 身份证号 decides
    people unseen; said, by their headers."""
    if not getattr(title, "hidden_columns", ()):
        return ()
    header = rows[at]
    hidden = [header_name(h) for k, h in enumerate(header) if header_name(h) and title.column_hidden(k + 1)
              and any(k < len(row) and not _blank([row[k]]) for row in rows[at + 1:])]
    if not hidden:
        return ()
    several = len(hidden) > 1
    return (_file_problem(
        file, "R052", f"sheet {sheet_shown(title, 'en')}: column{'s' if several else ''} "
        + ", ".join(f"`{h}`" for h in hidden) + f" {'are' if several else 'is'} hidden; {'they are' if several else 'it is'} "
        "read like the others. Unhide them to check what they say, or delete them if they are not to be read",
        f"工作表{sheet_shown(title, 'zh')}的列" + "、".join(f"“{h}”" for h in hidden) + "被隐藏，"
        f"{'这些列' if several else '该列'}也已读取，与其他列一样处理；请取消隐藏核对其内容，如不应读取请删除", warning=True),)


def _struck_rows_note(file: str, title: str, rows: list[Sequence[object]], at: int) -> tuple[RosterProblem, ...]:
    """R047: the sheet's rows below the header that hold data in a cell struck through
    (``xlsx.SheetTitle.struck_rows``), as clerks mark a person deleted from the list: such a row is
    read and decided like the others, which a strike-through does not say; so it is said."""
    struck = [r for r in getattr(title, "struck_rows", ()) if at + 1 < r <= len(rows) and not _blank(rows[r - 1])]
    if not struck:
        return ()
    shown = struck[:_HIDDEN_LISTED]
    more_en = f" and {len(struck) - len(shown)} more" if len(struck) > len(shown) else ""
    more_zh = f"等 {len(struck)} 行" if len(struck) > len(shown) else "行"
    several = len(struck) > 1
    rows_have = ("rows {} have".format if several else "row {} has".format)(", ".join(map(str, shown)) + more_en)
    said = _file_problem(
        file, "R047", f"sheet {sheet_shown(title, 'en')}: {rows_have} cells struck through (a mark clerks use for "
        f"a person deleted from the list); {'they are' if several else 'it is'} read and decided like the others. If "
        "someone there is not to be decided, delete their row",
        f"工作表{sheet_shown(title, 'zh')}的第 {'、'.join(map(str, shown))} {more_zh}有带删除线的单元格（常用来标记已删除的人员），"
        f"{'这些行' if several else '该行'}照常读取并作出决定；如其中有不应参加的人员，请删除其行", warning=True)
    return (attrs.evolve(said, rows=tuple(shown), count=len(struck)),)
