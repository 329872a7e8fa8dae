"""A blank roster workbook (``policylang template``): the contract's columns as headers, a
drop-down list on every coded and yes/no column, dates and texts formatted as such, a
sheet for the schools, and a sheet saying what each column means, how to fill it and
which rules of the given policies read it.

The headers are the contract's names (Chinese or English), so a filled sheet is read as
it is; what is shown as a label in a list (男, 县级) is what the reader takes for the code.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.lang.policy import CheckedPolicy
from policylang.io import roster as R
from policylang.io.roster.problems import reader_words
from policylang.lang.reads import columns_read
from policylang.core.text_width import display_width

ROWS = 1_048_576  # a list or a format holds down to the sheet's last row
_REQUIRED_FILL, _READ_FILL, _OPTIONAL_FILL = "F8CBAD", "FFE699", "DDEBF7"
_SHEETS = R.TEMPLATE_SHEETS  # (the readers know them: its instructions are no table)

# What each column holds (contract.md), in English and Chinese.
MEANINGS: dict[tuple[str, str], tuple[str, str]] = {
    ("teacher", "id"): ("person id, unique", "工号（人员编号），每人唯一"),
    ("teacher", "name"): ("name", "姓名"),
    ("teacher", "sex"): ("sex; may be left out when the ID number is given", "性别；填写身份证号时可不填"),
    ("teacher", "birth_date"): ("date of birth; the year and month alone will do",
                                "出生日期；可只填年月（如 1985-03）"),
    ("teacher", "id_number"): ("18-character resident ID number; gives birth date and sex; never written to "
                               "decision files unless asked (--keep)",
                               "18位公民身份号码；可代替出生日期、性别；除非用 --keep 指定，不会写入结论文件"),
    ("teacher", "retirement_category"): ("women only: the original statutory retirement age, 55 (cadres and "
                                         "professional staff, the default for teachers) or 50 (workers)",
                                         "仅女性填写：原法定退休年龄，55（干部和专业技术人员，教师默认）或 50（工人）"),
    ("teacher", "school_id"): ("code of the current school (a school_id of the schools sheet)",
                               "现任教学校的代码（须为“学校”表中的学校代码）"),
    ("teacher", "school_start"): ("started at the current school", "调入（到）本校的时间"),
    ("teacher", "work_start"): ("first employment as a teacher", "参加工作时间"),
    ("teacher", "post"): ("post", "岗位"),
    ("teacher", "post_start"): ("started the current post at the current school (principal tenure)",
                                "在本校任现职的时间（校长任职年限由此计算）"),
    ("teacher", "on_staff"): ("on the establishment and at work", "是否在编在岗"),
    ("teacher", "teaching"): ("currently teaches classes", "目前是否任课"),
    ("teacher", "title"): ("professional title (old names such as 中学高级 are read too)",
                           "专业技术职称（小学高级、中学一级等旧称也可识别）"),
    ("teacher", "title_date"): ("when the current title was awarded", "现职称取得时间"),
    ("teacher", "backbone"): ("backbone teacher level", "骨干教师级别"),
    ("teacher", "subject"): ("subject taught", "任教学科"),
    ("teacher", "surplus_subject"): ("teaches a subject the school has in surplus", "所教学科在本校是否富余"),
    ("teacher", "starting_grade"): ("teaches a starting grade (grade 1 or 7) this year", "本学年是否任教起始年级（一年级或七年级）"),
    ("teacher", "pregnant"): ("pregnant", "是否在孕期"),
    ("teacher", "maternity_leave"): ("on maternity leave", "是否在产假期间"),
    ("teacher", "nursing"): ("nursing", "是否在哺乳期"),
    ("teacher", "serious_illness"): ("serious illness certified by a county-level or higher hospital",
                                     "是否患重病（有县级以上医院证明）"),
    ("teacher", "under_investigation"): ("under audit, disciplinary review, criminal investigation or unfinished "
                                         "judicial proceedings", "是否正在接受审计、纪律审查，或涉嫌犯罪正被调查、司法程序尚未终结"),
    ("teacher", "sanction_until"): ("last day of an administrative sanction period; empty if none",
                                    "行政处分期满日（处分期最后一天）；无处分不填"),
    ("teacher", "support_end"): ("end of the most recent support-teaching stint; empty if none",
                                 "最近一次支教结束时间；未支教不填"),
    ("teacher", "support_selected"): ("selected for support teaching this year", "本年度是否已选派支教"),
    ("teacher", "rural_years"): ("cumulative years taught at rural or mountain schools", "在农村（山区）学校累计任教年限"),
    ("teacher", "rural_continuous_years"): ("years of the current unbroken stretch in rural schools",
                                            "在农村学校连续任教年限"),
    ("teacher", "weak_years"): ("cumulative years taught at weak schools", "在薄弱学校累计任教年限"),
    ("teacher", "mountain_years"): ("cumulative years taught at mountain schools", "在山区学校累计任教年限"),
    ("teacher", "schools_served"): ("schools worked at, the current one included", "任教过的学校数（含本校）"),
    ("teacher", "last_rating"): ("latest annual assessment", "上一年度考核结果"),
    ("teacher", "unqualified_streak"): ("consecutive latest years rated unqualified", "最近连续考核不合格的年数"),
    ("teacher", "exchange_excellent_years"): ("years rated excellent while on exchange at a mountain or rural school",
                                              "在山区、农村学校交流期间考核优秀的年数"),
    ("teacher", "refused_exchange"): ("date the person refused an exchange they were selected for; empty if never",
                                      "拒不服从交流安排的日期；没有不填"),
    ("teacher", "left_exchange_early"): ("date the person left an exchange before its term; empty if never",
                                         "未满服务期离开交流岗位的日期；没有不填"),
    ("teacher", "exchange_failed"): ("date the person failed an exchange assessment; empty if never",
                                     "交流考核不合格的日期；没有不填"),
    ("teacher", "exchange_years"): ("cumulative years served on exchange at another school", "到其他学校交流任教的累计年限"),
    ("teacher", "teaching_stage"): ("teachers of a 完中 (complete school) only: the section taught in, 初中 "
                                    "(compulsory education) or 高中; empty elsewhere",
                                    "仅完中教师填写：任教的学部，初中（属义务教育）或高中；其他学校不填"),
    ("school", "school_id"): ("school code, unique", "学校代码，每校唯一"),
    ("school", "name"): ("school name", "学校名称"),
    ("school", "area"): ("where the school is", "学校所在区域"),
    ("school", "stage"): ("school stage", "学段"),
    ("school", "weak"): ("a weak school", "是否薄弱学校"),
    ("school", "quality"): ("a high-quality or key school", "是否优质（重点）学校"),
    ("school", "staffing"): ("staffing against the establishment", "编制情况"),
    ("school", "cluster"): ("exchange cluster (片区, 大学区)", "所属交流片区（大学区）"),
    ("school", "township"): ("township", "所在乡镇"),
    ("school", "students"): ("number of students", "在校学生数"),
    ("school", "establishment"): ("approved full-time teacher posts", "核定专任教师编制数"),
    ("school", "pilot"): ("the school is in a reform pilot", "是否改革试点学校"),
}


_WIDTHS = {"id_number": 21}  # an 18-digit resident ID number shown whole


def _words(lang: str) -> dict[str, str]:
    if lang == "zh":
        return {"yes": "是", "no": "否", "text": "文本", "date": "日期（2015-09-01 或 2015年9月1日）",
                "month": "日期（2015-09-01；可只填年月 1985-03）", "bool": "是/否（下拉选择；空白视为“否”）",
                # an empty number is not known (a rule reading it does not apply), never 0
                "number": "数字（空白表示不详，没有请填 0）", "years": "数字（年；空白表示不详，没有请填 0）",
                "whole": "整数（空白表示不详，没有请填 0）", "whole_years": "整数（年；空白表示不详，没有请填 0）",
                "one_of": "下拉选择：", "required": "必填",
                "read": "政策读取", "optional": "选填", "sep": "、"}
    return {"yes": "yes", "no": "no", "text": "text", "date": "date (2015-09-01)",
            "month": "date (2015-09-01; the year and month alone will do: 1985-03)",
            "bool": "yes/no (from the list; empty means no)", "number": "number (empty: not known; write 0 for none)",
            "years": "number (years; empty: not known; write 0 for none)",
            "whole": "whole number (empty: not known; write 0 for none)",
            "whole_years": "whole number (years; empty: not known; write 0 for none)",
            "one_of": "one of: ", "required": "required", "read": "read by the policy", "optional": "optional",
            "sep": ", "}


def _choices(field: S.Field, lang: str) -> list[str] | None:
    """What a drop-down list offers: an enum's labels (codes in English), yes and no."""
    if field.enum is not None:
        return list(field.enum.labels.values()) if lang == "zh" else list(field.enum.codes)
    if isinstance(field.type, T.BoolType):
        words = _words(lang)
        return [words["yes"], words["no"]]
    return None


# columns whose number is no count of things a person may have none of: no "write 0 for none"
_TYPE_TEXT = {
    ("teacher", "retirement_category"): ("55 or 50 (women only; empty: 55, the default for teachers)",
                                         "55 或 50（仅女教师填写；空白按 55 计，教师一般为 55）"),
    ("teacher", "schools_served"): ("whole number, the current school included (at least 1; empty: not known)",
                                    "整数，含本校（至少为 1；空白表示不详）"),
}


def _type_text(field: S.Field, lang: str, table: str) -> str:
    if (table, field.name) in _TYPE_TEXT:
        return _TYPE_TEXT[table, field.name][lang == "zh"]
    words = _words(lang)
    t = field.type
    choices = _choices(field, lang)
    if field.enum is not None:
        shown = [f"{code} ({label})" for code, label in field.enum.labels.items()] if lang == "en" else choices
        return words["one_of"] + words["sep"].join(shown)
    if isinstance(t, T.BoolType):
        return words["bool"]
    if isinstance(t, T.DateType):
        return words["month"] if field.name == "birth_date" else words["date"]
    if isinstance(t, T.NumberType):
        whole = field.name in S.WHOLE.get(table, ())
        return words["whole_years" if whole and t.unit == "years" else "years" if t.unit == "years"
                     else "whole" if whole else "number"]
    return words["text"]


def _header(field: S.Field, lang: str) -> str:
    return field.zh if lang == "zh" else field.name


def _fields(table: S.Table, policies: Sequence[tuple[str, CheckedPolicy]]) -> list[S.Field]:
    """The contract's columns, then those the policies declare (``field teacher.参加交流``)."""
    fields = list(table.fields)
    for _, policy in policies:
        declared = policy.teachers if table.name == "teacher" else policy.schools
        fields += [f for f in declared.fields if all(f.name != g.name for g in fields)]
    return fields


def _readers(table: str, field: str, policies: Sequence[tuple[str, CheckedPolicy]],
             reads: Sequence[dict], lang: str) -> str:
    """Which rules of each policy read the column: ``fujian.pol：FJ-4、JA-5a``."""
    lines = []
    for (name, _), read in zip(policies, reads):
        ids = [reader_words(i)[lang == "zh"] for i in read.get((table, field)) or ()]  # promotion in words
        if ids:
            lines.append(f"{name}：{'、'.join(ids)}" if lang == "zh" else f"{name}: {', '.join(ids)}")
    return "\n".join(lines)


def template_bytes(lang: str = "zh", policies: Sequence[tuple[str, CheckedPolicy]] = (), version: str = "") -> bytes:
    """The blank roster as an XLSX workbook. ``policies``: (name shown, checked policy) whose
    columns are marked as read and listed with the rules that read them."""
    from openpyxl import Workbook

    lang = "zh" if lang == "zh" else "en"
    reads = [columns_read(p) for _, p in policies]
    read_by_any = {column for read in reads for column in read}
    if not policies:  # no policy named: the codes every policy that reads them refuses empty (岗位, 区域 …)
        read_by_any = {(table, name) for table, names in S.NEEDED_WHEN_READ.items() for name in names}
    wb = Workbook()
    wb.remove(wb.active)
    names = _SHEETS[lang]
    tables = ((S.TEACHERS, names[0]), (S.SCHOOLS, names[1]))
    for table, title in tables:
        _entry_sheet(wb.create_sheet(title), _fields(table, policies), table.name, read_by_any, lang)
    _instructions(wb.create_sheet(names[2]), tables, policies, reads, read_by_any, lang, version)
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
    _print_across(wb.worksheets[-1])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _entry_sheet(ws, fields: list[S.Field], table: str, read_by_any: set, lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for i, field in enumerate(fields, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(row=1, column=i, value=_header(field, lang))
        fill = _REQUIRED_FILL if field.required else _READ_FILL if (table, field.name) in read_by_any else _OPTIONAL_FILL
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        meaning = field_meaning(table, field, lang)
        cell.comment = Comment(f"{meaning}\n{_type_text(field, lang, table)}", "policylang", width=260, height=110)
        column = ws.column_dimensions[letter]
        column.width = max(display_width(cell.value) + 4, _WIDTHS.get(field.name, 12 if isinstance(field.type, T.DateType)
                                                                         else 8))
        cells = f"{letter}2:{letter}{ROWS}"
        if not isinstance(field.type, (T.NumberType, T.BoolType)) and field.enum is None:
            # text: a code 0012 keeps its zeros, an id is never a number, and a date is kept as typed:
            # in a cell formatted as a date, Excel turns 1985-03 into 1985-03-01 (a day the roster does
            # not know) and 1975.10 into the number 1975.1, read as a day of 1905
            column.number_format = "@"
        choices = _choices(field, lang)
        if choices is not None:
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=_header(field, lang),
                                error=(f"请从下拉列表中选择：{'、'.join(choices)}" if lang == "zh" else
                                       f"choose from the list: {', '.join(choices)}"))
        elif isinstance(field.type, T.NumberType):
            whole = field.name in S.WHOLE.get(table, ())  # a count: the readers refuse 1.5 (R017)
            kind = ("整数", "a whole number") if whole else ("数字", "a number")
            dv = DataValidation(type="whole" if whole else "decimal", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True, showErrorMessage=True, errorTitle=_header(field, lang),
                                error=f"请填写不小于 0 的{kind[0]}" if lang == "zh" else f"{kind[1]}, 0 or more")
        else:
            dv = None
        if dv is not None:
            dv.prompt, dv.promptTitle, dv.showInputMessage = _type_text(field, lang, table)[:255], _header(field, lang), True
            dv.add(cells)
            ws.add_data_validation(dv)
    ws.freeze_panes = "B2" if table == "teacher" else "A2"
    ws.row_dimensions[1].height = 22


def _print_across(ws) -> None:
    """Printed as wide as the page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def field_meaning(table: str, field: S.Field, lang: str) -> str:
    """What a roster column holds, as a person filling it reads it (the template's 填表说明, a form's hint)."""
    known = MEANINGS.get((table, field.name))
    if known:
        return known[1] if lang == "zh" else known[0]
    return field.doc or field.zh


def _lines(text: str, width: int) -> int:
    """Lines a text takes wrapped in a column ``width`` characters wide."""
    return sum(max(1, -(-display_width(line) // max(width - 1, 1))) for line in text.split("\n"))




def _instructions(ws, tables, policies, reads, read_by_any: set, lang: str, version: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    zh = lang == "zh"
    words = _words(lang)
    teachers_sheet, schools_sheet = tables[0][1], tables[1][1]
    named = "、".join(name for name, _ in policies) if zh else ", ".join(name for name, _ in policies)
    notes = ([f"教师交流轮岗花名册填表说明（policylang {version}）".replace("（policylang ）", ""),
              f"1. “{teachers_sheet}”表每位教师一行；第一行是列名，请勿改动（不需要的选填列可以删除）。",
              "2. 列名底色：橙色为必填；黄色为所选政策读取的列（名册缺少此列时不作决定，除非政策或 --assume 声明了取值）；蓝色为选填。",
              "3. 日期写作 2015-09-01 或 2015年9月1日，不知道具体日子的可只写年月（如 1985-03）；日期列已设为文本格式，"
              "请照写，不要改成日期格式（否则 Excel 会把 1985-03 改成 1985-03-01，把 1975.10 改成数字）。是/否 列与代码列从"
              "下拉列表选择，是/否 列空白视为“否”；数字列空白表示不详（不按 0 计算，读取它的条款不适用，结论标为待核实），没有的请填 0。出生日期、参加工作时间、到校时间、任现职时间和职称取得时间不能晚于"
              "参考日期（年龄、年限按此日计算：政策文件的 as of，或 --as-of 指定的日期），否则不对该教师作决定。"
              "表格末尾的合计、填表人、注等行不作为教师读取。",
              f"4. 填好的工作簿可直接使用，教师和学校都用它：policylang 按表头从“{teachers_sheet}”表读取教师、"
              f"从“{schools_sheet}”表读取学校（本说明表不读取），例如："
              f"policylang eval 政策.pol 花名册.xlsx --schools 花名册.xlsx -o 结论.xlsx（学校名册也可以另存为单独的文件）。",
              "5. 身份证号等个人信息只在用 --keep 指定时才写入结论文件。",
              f"6. 所选政策：{named}。" if policies else "6. 未指定政策（用 --policy 指定后，将标出政策读取的列及读取它的规则）。"]
             if zh else
             [f"Roster template: how to fill it in (policylang {version})".replace(" (policylang )", ""),
              f"1. One teacher per row of the `{teachers_sheet}` sheet; the first row holds the column names: keep "
              "them as they are (optional columns you do not need may be deleted).",
              "2. Header colours: orange, required; yellow, read by the policies named below (a roster without such "
              "a column is refused unless the policy or --assume states its value); blue, optional.",
              "3. Dates as 2015-09-01, or a year and month (1985-03) where the day is not known; the date columns are "
              "formatted as text: keep them so (as dates, Excel turns 1985-03 into 1985-03-01 and 1975.10 into a "
              "number). Yes/no and coded columns from their lists; an empty yes/no cell reads as no; an empty number "
              "cell is not known (not 0: a rule reading it does not apply, and the decision is marked to check), "
              "write 0 for none. A birth, or a "
              "start at work, at the school, in the post or in a title, after the reference date (the date ages and "
              "years are counted at: the policy file's as of, or --as-of) leaves the teacher undecided. A totals "
              "row, the signatures and a note below the table (合计, 填表人：, 注：) are not read as teachers.",
              f"4. Use the filled workbook as it is, for both tables: policylang reads the teachers from the "
              f"`{teachers_sheet}` sheet and the schools from the `{schools_sheet}` sheet, telling them by their "
              "headers (this sheet is not read): policylang eval policy.pol roster.xlsx --schools roster.xlsx "
              "-o decisions.xlsx (the schools may also be saved as a file of their own).",
              "5. The ID number and other personal data are written to decision files only when named with --keep.",
              f"6. Policies: {named}." if policies else
              "6. No policy named (with --policy, the columns it reads are marked, with the rules that read them)."])
    for k, line in enumerate(notes, start=1):
        cell = ws.cell(row=k, column=1, value=line)
        cell.font = Font(bold=True, size=14) if k == 1 else Font()
    top = len(notes) + 2
    headers = (["表", "列名", "英文列名", "含义", "类型与取值", "是否必填", "读取此列的政策规则"] if zh else
               ["sheet", "column", "Chinese name", "meaning", "type and values", "required", "read by"])
    for i, h in enumerate(headers, start=1):
        cell = ws.cell(row=top, column=i, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_OPTIONAL_FILL)
    widths = (8, 18, 24, 46, 40, 10, 40)
    row = top + 1
    for table, title in tables:
        for field in _fields(table, policies):
            read = (table.name, field.name) in read_by_any
            need = words["required"] if field.required else words["read"] if read else words["optional"]
            values = [title, _header(field, lang), field.name if zh else field.zh, field_meaning(table.name, field, lang),
                      _type_text(field, lang, table.name), need, _readers(table.name, field.name, policies, reads, lang)]
            for i, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=i, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if i == 6 and (field.required or read):
                    cell.fill = PatternFill("solid", fgColor=_REQUIRED_FILL if field.required else _READ_FILL)
            # as tall as its longest wrapped cell (a spreadsheet does not grow a row written with text)
            lines = max(_lines(str(v), w) for v, w in zip(values, widths))
            ws.row_dimensions[row].height = 16 * lines
            row += 1
    for letter, width in zip("ABCDEFG", widths):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(row=top + 1, column=1).coordinate
    ws.auto_filter.ref = f"A{top}:G{row - 1}"
