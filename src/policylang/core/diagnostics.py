"""Diagnostics as data: a stable code, a message in English and Chinese, a span,
optional help and extra labelled spans. Rendering (text with a caret, or JSON)
lives in ``render.py``; this module only describes problems.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping

import attrs

from policylang.core.source import Span
from policylang.core.text_width import is_han

ERROR = "error"
WARNING = "warning"

# Every code the project emits, with its title in English and Chinese: the one catalogue
# (docs/diagnostics.md is generated from it: `make docs`). Codes are stable: other systems
# and the corpora refer to them. P, R1xx, T, L: a policy's diagnostics; R0xx: a roster's problems.
CATALOGUE: dict[str, tuple[str, str]] = {
    "P001": ("syntax error", "语法错误"),
    "P002": ("unexpected end of file", "文件意外结束"),
    "P003": ("invalid literal", "无效的字面值"),
    "P004": ("clause given twice", "子句重复"),
    "P005": ("beyond a limit of the language", "超出语言的限度"),
    "P006": ("text encoding not recognised", "无法识别文本编码"),
    "P007": ("too many problems; the rest are not shown", "问题过多，其余未显示"),
    "P008": ("cannot read the policy file", "无法读取政策文件"),
    "P009": ("no policy declared", "未声明政策"),
    "R101": ("cannot read extended policy", "无法读取所扩展的政策"),
    "R102": ("extended policy outside the policy root", "所扩展的政策在政策根目录之外"),
    "R103": ("circular extends", "循环扩展"),
    "R104": ("duplicate declaration", "重复声明"),
    "R105": ("override of something that does not exist", "覆盖了不存在的声明"),
    "R106": ("repeal of a rule that does not exist, or that the file itself declares", "废止了不存在的规则，或本文件自己声明的条款"),
    "R107": ("unknown name", "未知名称"),
    "R108": ("unknown rule", "未知规则"),
    "R109": ("unknown source", "未知来源"),
    "R110": ("cyclic definition", "循环定义"),
    "R111": ("unknown sample", "未知样例"),
    "R112": ("declaration already in the base policy", "基础政策中已有此声明"),
    "T201": ("type mismatch", "类型不符"),
    "T202": ("unit mismatch", "单位不符"),
    "T203": ("condition is not a yes/no value", "条件不是是/否值"),
    "T204": ("unknown code", "未知取值代码"),
    "T205": ("wrong number of arguments", "参数个数不对"),
    "T206": ("not an ordered value", "不是有序的值"),
    "T207": ("unknown field", "未知字段"),
    "T208": ("unknown outcome", "无效的结论"),
    "T209": ("invalid expectation", "无效的测试预期"),
    "T210": ("ambiguous precedence", "豁免优先顺序不明确"),
    "T211": ("cyclic precedence", "豁免优先顺序循环"),
    "T213": ("roster column declared again", "重复声明名册规定的列"),
    "T214": ("reference date out of range", "参考日期超出范围"),
    "T215": ("unknown direction", "未知的交流方向"),
    "T216": ("declaration without a clause it needs", "声明缺少必需的子句"),
    "T217": ("duration without the event it runs from", "期限缺少起算事件"),
    "T218": ("only a penalty's effect bars promotion", "只有惩戒的效果可以限制晋升"),
    "T219": ("not a promotion target", "不是晋升目标"),
    "T220": ("not a way to group quotas", "不是名额的分组方式"),
    "T221": ("not a group of people", "不是人员类别"),
    "T222": ("school scope reads beyond the school's fields", "学校范围读取了学校以外的字段"),
    "T223": ("negative parameter value", "参数取值为负"),
    "T225": ("reference date is not a date", "参考日期不是日期"),
    "T226": ("a later file's penalty or benefit follows another event", "后生效文件的奖惩改变了触发事件"),
    "T227": ("the policy in force before this file has errors", "本文件生效前适用的政策有错误"),
    "T228": ("a dated penalty or benefit in a file without its own effective date", "文件未写明生效日期而规定了奖惩"),
    "L301": ("rule can never fire", "规则永远不会适用"),
    "L302": ("unused parameter", "参数未被使用"),
    "L303": ("rule without citation", "规则没有引用依据"),
    "L304": ("conflicting rules", "规则相互冲突"),
    "L305": ("unused source", "来源未被引用"),
    "L306": ("an exemption about teachers reaches principal rules", "针对教师的豁免涉及校长规则"),
    "L307": ("policy without a rule", "政策没有规则"),
    "L308": ("a name hides a word of the language", "名称遮盖了语言的内置名称"),
    "L309": ("reference date before the policy takes effect", "参考日期早于生效日期"),
    "L310": ("`and` and `or` mixed without brackets", "`and` 与 `or` 混用而未加括号"),
    "L311": ("an effect worded otherwise than its earlier version, whose wording the decisions then give",
             "效果的说明与早先版本不同，决定中沿用本文件的说明"),
    "L312": ("an exemption left setting aside no rule: every rule it named is repealed", "豁免所针对的规则都已废止，对任何人都不适用"),
    "L313": ("a whole count (completed years, schools) compared with a fraction, or a window of a fraction of a year",
             "整数（已满的年数、学校数等）与小数比较，或期间不是整数"),
    "L314": ("a ground to decline (`may decline`) for a rule that concludes `eligible`: given to no one",
             "可不参加的理由针对结论为可交流的规则，不会给任何人"),
    "L315": ("a parameter whose description states another number of its unit than its value",
             "参数说明中写的数与其取值不一致"),
    "L316": ("a penalty's `bars promotion` with no target (appointment as principal barred too) whose words speak "
             "of titles only", "惩处的 `bars promotion` 未列目标（也限制任校长），其文字却只说职称"),
    "L317": ("`more than` or `at most` a count of completed years or months since a date: a period 超过N or 不超过N "
             "of a document reads otherwise", "已满的整年数、整月数用 `more than`、`at most` 比较：与条文中期间的“超过N”“不超过N”含义不同"),
    "L318": ("a test with no `expect`: it asserts nothing", "测试没有写 expect，不检验任何结论"),
    "L319": ("a repeal with neither a reason nor a citation", "废止条款既未写明理由，也未注明出处"),
    "L320": ("the same citation given twice under one declaration (warning)", "同一条款下重复写了相同的引用（提示）"),
    "L321": ("a `precedence` line naming an exemption that is repealed: that part orders nothing",
             "`precedence` 中写了已废止的豁免，这一项不起作用"),
    "R001": ("required column missing", "缺少必需的列"),
    "R002": ("not a date", "不是有效日期"),
    "R003": ("not a code of the column", "不是该列的有效取值"),
    "R004": ("duplicate id", "工号重复"),
    "R005": ("school not in the schools table", "学校不在学校名册中"),
    "R006": ("required value empty", "必填项为空"),
    "R007": ("not a number", "不是数字"),
    "R008": ("not a yes/no value", "不是是/否值"),
    "R009": ("file cannot be read", "无法读取文件"),
    "R010": ("column given twice", "列重复"),
    "R011": ("column the policy reads is missing", "缺少政策读取的列"),
    "R012": ("column that is no roster column (warning)", "名册中不认识的列（提示）"),
    "R013": ("value stated for an absent column applied (warning)", "按声明的取值处理缺少的列（提示）"),
    "R014": ("the teacher's school row is invalid or missing", "教师所在学校的记录有误或缺失"),
    "R015": ("record is not a mapping of columns to values", "记录不是“列名: 取值”的映射"),
    "R016": ("row with fewer or more cells than the header", "行的单元格数与表头不符"),
    "R017": ("value that cannot be right (a birth before 1900, a start before birth …)", "不可能正确的值（1900年前出生、入职早于出生等）"),
    "R018": ("row running over several lines (an unclosed quote?)", "一行跨越多行（引号未闭合？）"),
    "R019": ("formula cell without a computed value", "公式单元格没有计算结果"),
    "R020": ("the sheet read of a workbook with several (warning)", "多工作表工作簿中读取的工作表（提示）"),
    "R021": ("not a valid resident ID number (shown masked)", "身份证号无效（脱敏显示）"),
    "R022": ("birth date or sex disagrees with the ID number", "出生日期或性别与身份证号不符"),
    "R023": ("lines of a UTF-8 file read as GB18030 (warning)", "UTF-8 文件中按 GB18030 读取的行（提示）"),
    "R024": ("rows above the header, a title, not read (warning)", "表头上方的行（标题等）不作为名册读取（提示）"),
    "R025": ("value stated (--assume) for a column the roster has: not used (warning)",
             "为名册已有的列声明了取值（--assume）：声明未被采用（提示）"),
    "R026": ("record without a key other records give, which the policy reads", "记录缺少其他记录有、政策读取的一项"),
    "R027": ("a column the policy reads is empty in every row, which reads as a value (warning)",
             "政策读取的列全部为空，空白按某个取值处理（提示）"),
    "R028": ("hidden rows of a sheet, read and taken like the others (warning)", "工作表中被隐藏的行也已读取，与其他行一样处理（提示）"),
    "R029": ("a birth or a date of the person's working life after the reference date: no decision at that date can "
             "rest on it", "出生日期或本人工作经历中的日期晚于参考日期：不能据此作出该日的决定"),
    "R030": ("a footer row below the data (合计, 填表人：, 注：), not read (warning)", "表尾的合计、填表人、注释等行，未作为记录读取（提示）"),
    "R031": ("a totals or subtotal record among records (JSON, Parquet, the API's): leave it out",
             "记录（JSON、Parquet、接口传入的）中的合计或分类汇总记录：请删除该条"),
    "R032": ("a header read without its note in brackets, which is no value, form or unit of the column (warning)",
             "表头按去掉括注后的列名读取，括注不是该列的取值、格式或单位（提示）"),
    "R033": ("a few empty cells in a column the policy reads, filled in the other rows (of 在编在岗 and 任课, any "
             "number), each read as a value: a cell missed? (warning)",
             "政策读取的列中其余各行都已填写、只有少数行空白（“在编在岗”“任课”两列不论多少行），空白按某个取值处理：是否漏填？（提示）"),
    "R034": ("the teachers' file given for the schools, or the schools' for the teachers: the files swapped?",
             "教师名册与学校名册的位置弄反了？"),
    "R035": ("a value stated for an absent column while the roster has a column that looks like it (在编 for 在编在岗)",
             "为名册缺少的列声明了取值，但名册中有与之相近的列（如“在编”与“在编在岗”）"),
    "R036": ("the schools read from the school columns of the teachers' rows (a one-sheet roster, given for both) "
             "(warning)", "学校信息取自教师名册各行中的学校列（教师与学校在同一张表中）（提示）"),
    "R037": ("ids that differ only in full-width letters or case (Ｔ0001, T0001): perhaps one person twice; both "
             "decided (warning)", "工号等只是全角/半角或大小写不同（Ｔ0001 与 T0001）：可能是同一人录了两次；两行都已作出决定（提示）"),
    "R038": ("a column read under a header that says less than it (是否在编 as 在编在岗): check the cells it "
             "leaves open (warning)", "按含义较窄的表头读取的列（“是否在编”读作“在编在岗”）：请核对其未说明的情形（提示）"),
    "R039": ("a column's header names another unit of time than the column counts (农村任教年限（月）)",
             "表头注明的时间单位与该列不同（“农村任教年限（月）”）"),
    "R040": ("cells merged down over several people's rows in a column of each person's own value, read as each "
             "row's (warning)", "每人各自填写的列中有跨多人的合并单元格，按每行各自的值读取（提示）"),
    "R041": ("a title merged across a row between the data (a group's name), not read (warning)",
             "数据中间跨列合并的标题行（分组名），未读取（提示）"),
    "R042": ("a column with no header holds values, read by nothing (warning)", "没有表头的列填了内容，未读取（提示）"),
    "R043": ("value stated (--assume) for a column the policy neither declares nor reads",
             "为本政策既未声明也不读取的列声明了取值（--assume）"),
    "R044": ("a header row among the data (a second header of the columns' field names, or the header repeated on "
             "each page), not read (warning)", "数据中的表头行（各列英文字段名组成的第二行表头，或分页重复的表头），已跳过（提示）"),
    "R045": ("a column carried into the decisions (--keep) has formula cells without a computed value: written empty "
             "(warning)", "带出的列（--keep）中有没有计算结果的公式单元格：结论文件中留空（提示）"),
    "R046": ("CSV cells beginning with an apostrophe, Excel's mark of text ('T0001), read without it (warning)",
             "CSV 单元格以撇号开头（Excel“以文本形式存储”的标记，如 'T0001），已去掉撇号读取（提示）"),
    "R047": ("rows of a workbook with cells struck through (a person marked deleted), read and decided like the "
             "others (warning)", "工作表中有带删除线的单元格的行（标记为已删除的人员？），照常读取并作出决定（提示）"),
    "R048": ("a text column (an id, a name) given a yes/no value (JSON true/false, a workbook's TRUE), or in records "
             "a number with a decimal point or an exponent (1.5e3)",
             "文字列（工号、姓名等）给出的是是/否值（JSON 的 true/false、工作簿的 TRUE），或记录中给出带小数点或指数的数字（1.5e3）"),
    "R049": ("every data row of a CSV differs from the header only by a separator at the end of its lines (or of the "
             "header's alone): read by the header's columns (warning)",
             "CSV 各行与表头只差在行末多出（或表头行末多出）的分隔符：按表头的列读取（提示）"),
    "R050": ("a teacher at the school before starting work (到校时间 before 参加工作时间): said, and on most rows asked "
             "whether the two columns were swapped (warning)",
             "到校时间早于参加工作时间：提示这些行；多数行如此时，提示是否把两列填反了（提示）"),
    "R051": ("a column nothing reads (备注) says of someone that they have left (已调出, 已退休): they are decided "
             "like the others (warning)", "不读取的列（备注等）注明有人已调出、退休或离职：这些人照常作出决定（提示）"),
    "R052": ("hidden columns of a sheet, read like the others (warning)", "工作表中被隐藏的列也已读取，与其他列一样处理（提示）"),
    "R053": ("totals or subtotal rows among a sheet's data (小计 after each school, 分类汇总's S02 汇总), not read nor "
             "counted as people (warning)", "表格中间的合计、小计或分类汇总行（各校之后的小计、分类汇总的“S02 汇总”），未读取，不计入人数（提示）"),
    "R054": ("rows of one text above a school's teachers (a group's title typed in one cell: 中山中学（S01）), not read "
             "(warning)", "位于一所学校的教师之前、只有一格文字的行（分组标题，如“中山中学（S01）”），未读取（提示）"),
    "R061": ("ids that are resident ID numbers (a 工号 column holding 身份证号): written masked in the decisions, a "
             "diff's report and a quota plan (110105********002X), whole only with --keep 身份证号 (warning)",
             "工号为身份证号：结论、差异报告和配额方案中脱敏写出（110105********002X），加 --keep 身份证号 才完整写出（提示）"),
    # S: the decision service's refusals of a request (`policylang serve`, docs/service.md)
    "S001": ("Content-Length is not a number", "Content-Length 不是数字"),
    "S002": ("request body or upload over the size limit", "请求体或上传文件超过大小上限"),
    "S003": ("body is not JSON in UTF-8", "请求体不是 UTF-8 编码的 JSON"),
    "S004": ("required field or file part missing", "缺少必需的字段或文件"),
    "S005": ("field of the wrong type", "字段类型不对"),
    "S006": ("cell that is no text, number, yes/no or null", "单元格不是文本、数字、是/否或空值"),
    "S007": ("unknown field or file part", "未知的字段或文件"),
    "S008": ("more teachers or decisions than allowed in one request", "单次请求的人数或结论数超过上限"),
    "S009": ("bad date, language, format or query value", "日期、语言、格式或查询参数无效"),
    "S010": ("policy file cannot be read", "无法读取政策文件"),
    "S011": ("policy or parameters with errors", "政策或参数有错误"),
    "S012": ("policy with errors and no running version", "政策有错误且没有可用的版本"),
    "S013": ("value assumed for an absent column is not valid", "为缺失列假定的取值无效"),
    "S014": ("date the decision needs is outside the calendar", "作出决定所需的日期超出历法范围"),
    "S015": ("more problems than are listed", "问题过多，其余未列出"),
    "S016": ("body of a media type the endpoint does not take (not JSON, not a multipart form), compressed otherwise "
             "than with gzip, or a roster file of another kind",
             "请求体的类型不受支持（不是 JSON 或表单）、以 gzip 以外的方式压缩，或名册文件格式不支持"),
    "S017": ("upload form cannot be read", "无法读取上传的表单"),
    "S020": ("no roster uploaded yet (studio)", "尚未上传名册（工作台）"),
    "S021": ("decisions file cannot be written (studio)", "无法生成结论文件（工作台）"),
    "S022": ("file or upload the studio cannot take", "工作台无法接受的文件或上传"),
    "S023": ("the roster was replaced since the page showed it (studio): reload the page", "名册在本页显示之后已更换（工作台）：请刷新页面"),
    "S024": ("the service cannot keep an upload: its work folder (--work-dir) is missing or not writable",
             "服务无法存放上传的文件：工作文件夹（--work-dir）不存在或不可写"),
    "S025": ("the roster uploaded has no teacher rows (a header only, or blank rows): nobody decided; check that the "
             "right sheet was exported", "上传的名册没有教师记录（只有表头，或只有空行）：未对任何人作决定；请检查导出的是否为正确的工作表"),
    "S028": ("body declared gzip'd (Content-Encoding: gzip) cannot be decompressed: no gzip data, cut off, or of "
             "more members than a client writes",
             "请求体声明为 gzip 压缩（Content-Encoding: gzip），但无法解压：不是 gzip 数据、数据不完整，或压缩段过多"),
    "S029": ("a browser's preflight refused: the page's origin is not one given with --cors-origin, or it asks for "
             "a method or header the service does not take", "浏览器的预检请求被拒绝：网页的来源不在 --cors-origin 所列之中，"
             "或请求的方法、请求头不受支持"),
    "S401": ("no valid access token", "没有有效的访问令牌"),
    "S403": ("token not allowed this operation or policy", "令牌无权执行该操作或使用该政策"),
    "S404": ("no such policy or route", "没有该政策或地址"),
    "S405": ("method not allowed", "不支持该请求方法"),
    "S500": ("internal error; the request was not decided", "内部错误，该请求未作出结论"),
}
CODES: dict[str, str] = {code: en for code, (en, _zh) in CATALOGUE.items()}  # the English titles


def catalogue_markdown() -> str:
    """docs/diagnostics.md: every code with its titles."""
    kinds = (("P", "Syntax", "语法"), ("R1", "Extends, overrides and names", "扩展、覆盖与名称"),
             ("T", "Types and meaning", "类型与语义"), ("L", "Lints (warnings)", "提示性检查"),
             ("R0", "Rosters", "名册"), ("S", "Decision service requests", "决策服务请求"))
    out = ["# Diagnostics and roster problems / 诊断与名册问题代码", "",
           "Generated from `policylang.core.diagnostics.CATALOGUE` (`make docs`); a test keeps it current.",
           "Every message says what is wrong and, where it can, how to fix it, in the language of `--lang`.", ""]
    for prefix, en, zh in kinds:
        out += [f"## {en} / {zh}", "", "| code | meaning | 含义 |", "|---|---|---|"]
        out += [f"| {code} | {e} | {z} |" for code, (e, z) in CATALOGUE.items() if code.startswith(prefix)]
        out.append("")
    return "\n".join(out)


class BilingualError(ValueError):
    """A usage error whose message is written in English and Chinese (``message(lang)``)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.message_en, self.message_zh = en, zh

    def message(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" else self.message_en


@attrs.frozen
class Label:
    span: Span
    en: str
    zh: str


@attrs.frozen
class Edit:
    """Replace ``span`` with ``text`` (an empty span inserts). With ``word``, the span may be
    wider than what changes (a declaration, a clause): the edit replaces the first whole word
    ``word`` inside it, outside quoted text (``policylang.editing`` finds it)."""

    span: Span
    text: str
    word: str | None = None


@attrs.frozen
class Fix:
    """A quick fix an editor can offer for a diagnostic: a title and the edits it makes."""

    en: str
    zh: str
    edits: tuple[Edit, ...]


def renamed(span: Span | None, old: str, new: str | None) -> tuple[Fix, ...]:
    """The fix of a "did you mean": write ``new`` for the word ``old`` inside ``span``."""
    if span is None or not new or new == old:
        return ()
    return (Fix(f"Change `{old}` to `{new}`", f"将 `{old}` 改为 `{new}`", (Edit(span, new, old),)),)


@attrs.frozen
class Diagnostic:
    code: str
    severity: str
    en: str
    zh: str
    span: Span | None
    help_en: str | None = None
    help_zh: str | None = None
    labels: tuple[Label, ...] = ()
    fixes: tuple[Fix, ...] = ()  # quick fixes for editors (policylang.editing)

    def message(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en

    def help(self, lang: str = "en") -> str | None:
        return self.help_zh if lang == "zh" else self.help_en

    def hinted(self, lang: str = "en") -> str:
        """The message and its hint, where it has one (`可写作 5 或 5年`), in one line: where a
        message is shown alone (a usage error, a service's refusal)."""
        hint = self.help(lang)
        return self.message(lang) + ((f"；{hint}" if lang == "zh" else f"; {hint}") if hint else "")

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def error(code: str, span: Span | None, en: str, zh: str, *, help_en: str | None = None,
          help_zh: str | None = None, labels: Iterable[Label] = (),
          fixes: Iterable[Fix] = ()) -> Diagnostic:
    return Diagnostic(code, ERROR, en, zh, span, help_en, help_zh, tuple(labels), tuple(fixes))


def warning(code: str, span: Span | None, en: str, zh: str, *, help_en: str | None = None,
            help_zh: str | None = None, labels: Iterable[Label] = (),
            fixes: Iterable[Fix] = ()) -> Diagnostic:
    return Diagnostic(code, WARNING, en, zh, span, help_en, help_zh, tuple(labels), tuple(fixes))


class PolicyError(Exception):
    """Raised when a policy has errors; carries every diagnostic found (warnings too)."""

    def __init__(self, diagnostics: Iterable[Diagnostic], sources: dict | None = None):
        self.diagnostics = tuple(diagnostics)
        self.sources = sources or {}
        first = next((d for d in self.diagnostics if d.is_error), None)
        count = sum(d.is_error for d in self.diagnostics)
        summary = (f"{first.span}: {first.en}" if first.span else first.en) if first else "policy error"
        super().__init__(f"{count} error(s); first: {summary}")

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)


def did_you_mean(name: str, candidates: Iterable[str], at_most: int | None = None) -> str | None:
    """The closest candidate to ``name``, if one is close enough to suggest. A two-character
    Chinese name is close to a candidate of two characters that has one of its characters in
    the same place (孕妇 → 孕期, 授课 → 任课), when that character is in no other candidate and
    is not one that ends many column names (号, 期, 位 …): one shared character of two is too
    little to go on where it is common (学历 is not 学科, 学位 not 岗位). ``at_most``: the
    candidates compared, the first distinct ones given (a request's 200,000 unknown keys are
    no 200,000 fuzzy matches for each missing column: a suggestion is a hint, not a search)."""
    pool = sorted(set(candidates) if at_most is None else _first_distinct(candidates, at_most))
    # a letter typed for the digit it looks like (FJ-XI for FJ-X1, O for 0): that one, before a
    # candidate as near by the letters alone (FJ-X3)
    alike = [c for c in pool if c != name and c.translate(_LOOK_ALIKE) == name.translate(_LOOK_ALIKE)]
    if len(alike) == 1:
        return alike[0]
    sounding = _homophones(name, pool)
    if sounding:
        return sounding[0] if len(sounding) == 1 else None
    matches = _closest(name, pool)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        matches = [lowered[m] for m in _closest(name.lower(), list(lowered))]
    if not matches and len(name) == 2 and _all_han(name):
        matches = [c for c in pool if len(c) == 2 and _all_han(c) and c != name and any(
            a == b and a not in _GENERIC_HAN and sum(a in other for other in pool) == 1 for a, b in zip(name, c))]
    return matches[0] if len(matches) == 1 and not _word_replaced(name, matches[0]) else None


def _word_replaced(name: str, candidate: str) -> bool:
    """Whether two Chinese names differ by a word, two characters or more in a row for as many
    (支教开始日期, 支教中止日期): another word is another meaning, not a slip of the keyboard, which a
    character (孕妇 → 孕期) or a homophone (``_homophones``) is; words of time and number that end
    many column names (日期 for 时间) are one meaning said two ways."""
    if not (_all_han(name) and _all_han(candidate)):
        return False
    import difflib  # (on the error path only)

    return any(op == "replace" and i2 - i1 >= 2 and j2 - j1 >= 2  # (日期 for 时间: the same meaning, said two ways)
               and not set(name[i1:i2] + candidate[j1:j2]) <= _GENERIC_HAN
               for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, name, candidate).get_opcodes())


_LOOK_ALIKE = str.maketrans("IlOo", "1100")
# characters that end many column names (工号, 学位, 孕期, 参加工作时间 …): sharing one says little
_GENERIC_HAN = frozenset("号码名数期时间日年月类别级位度率量况")


def described(name: str, docs: Mapping[str, str | None]) -> str | None:
    """The one name of ``docs`` whose description holds a Chinese ``name``'s characters in
    order: a drafter names a parameter by what it means (任教年限, for `teacher_tenure`
    "教师在同一所学校任教满此年限…"). None for a name of one character or with no Chinese,
    or where no one description holds it."""
    if len(name) < 2 or not _all_han(name):
        return None

    def holds(doc: str) -> bool:
        rest = iter(doc)
        return all(ch in rest for ch in name)  # each character found after the one before

    found = [key for key, doc in docs.items() if doc and holds(doc)]
    return found[0] if len(found) == 1 else None


def _first_distinct(candidates: Iterable[str], at_most: int) -> set[str]:
    """The first ``at_most`` distinct ``candidates``, the rest not read."""
    seen: set[str] = set()
    for c in candidates:
        if len(seen) >= at_most:
            break
        seen.add(c)
    return seen


def _closest(name: str, pool: list[str]) -> list[str]:
    """The candidates nearest ``name`` by difflib's ratio, if near enough (0.6, as
    ``get_close_matches``): one, or all those tied for nearest (QX-1 and QX-2 for QX-9; 一级教师
    and 高级教师 for 特级教师), which suggest none."""
    import difflib  # (on the error path only: no cost at start-up)

    best, nearest, letters = 0.6, [], set(name)
    for c in pool:
        # difflib's real_quick_ratio, which bounds the ratio from above: a candidate of another
        # length (a key of 10,000 characters, or of one) is passed over without building a matcher
        if 2 * min(len(name), len(c)) < best * (len(name) + len(c)) or letters.isdisjoint(c):
            continue
        matcher = difflib.SequenceMatcher(None, name, c)
        if matcher.quick_ratio() < best:  # (a bound too: the characters in common, in any order)
            continue
        score = _similarity(matcher)
        if score > best:
            best, nearest = score, [c]
        elif score == best:
            nearest.append(c)
    return nearest


def _similarity(matcher) -> float:
    """difflib's ratio (a seam: the tests count the candidates scored)."""
    return matcher.ratio()


def _homophones(name: str, pool: list[str]) -> list[str]:
    """The candidates that read as ``name`` does, a character for a character sounding alike
    (a Chinese name typed by pinyin: 年令 for 年龄, 姓别 for 性别, 任教年现 for 任教年限), those
    with most characters in common first; none for a name with no Chinese in it."""
    if not _all_han(name):
        return []
    ours = [_readings(ch) for ch in name]
    found: dict[str, int] = {}
    for c in pool:
        if len(c) == len(name) and c != name and _all_han(c) and all(
                a == b or ours[i] & _readings(b) for i, (a, b) in enumerate(zip(name, c))):
            found[c] = sum(a == b for a, b in zip(name, c))
    best = max(found.values(), default=0)
    return [c for c, same in found.items() if same == best]


@functools.cache  # asked again for each candidate's characters
def _readings(ch: str) -> frozenset[str]:
    """A Chinese character's usual reading without its tone (令: ling), as a pinyin keyboard
    offers it first; its rare readings (位 as li) would make homophones of names that are not."""
    from pypinyin.pinyin_dict import pinyin_dict  # (a large table: read on the first suggestion only)

    usual = pinyin_dict.get(ord(ch), "").split(",")[0]
    return frozenset([unicodedata.normalize("NFD", usual).encode("ascii", "ignore").decode()] if usual else [])


def _all_han(text: str) -> bool:
    """Whether every character of ``text`` is a Chinese character (CJK unified ideographs)."""
    return all(map(is_han, text))


def suggestion(hint: str | None) -> dict[str, str | None]:
    """The help of a diagnostic that suggests ``hint`` (keyword arguments for ``error``)."""
    if hint is None:
        return {"help_en": None, "help_zh": None}
    return {"help_en": f"did you mean `{hint}`?", "help_zh": f"是否应为 `{hint}`？"}
