"""The canonical roster schema of ``contract.md``: fields, types and enum codes.

This module is data only. The roster reader uses it to map headers and labels
(English or Chinese) to canonical names and codes; the checker uses it to bind
field names in policies; tests use it to build records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import attrs

from policylang.core.diagnostics import did_you_mean
from policylang.core.text_width import TRIMMED, ascii_forms
from policylang.lang import types as T


_NEGATIONS = ("非", "不", "无", "未", "没")  # words before a label that deny it


@attrs.frozen
class Enum:
    """An enum: its codes in order, the Chinese label of each, and extra aliases."""

    name: str
    labels: Mapping[str, str]  # code -> Chinese label
    aliases: Mapping[str, str] = attrs.field(factory=dict)  # other spelling -> code

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.labels)

    @property
    def type(self) -> T.EnumType:
        return T.EnumType(self.name, self.codes)

    def lookup(self, text: str) -> str | None:
        """The code that ``text`` names (code, Chinese label or alias), or None."""
        key = text.strip(TRIMMED)
        if key in self.labels:
            return key
        lowered = key.lower()
        if lowered in self.labels:
            return lowered
        found = self._labelled(key) or self.aliases.get(key) or self.aliases.get(lowered)
        if found is None and not key.isascii() and (squeezed := "".join(key.split())) != key:
            # a Chinese label spaced out by hand (高级　教师, 中级 职称); not an old title, where a space
            # may part a school's stage from today's grade (小学 一级教师 is no 小学一级教师)
            return self._labelled(squeezed) or (self.aliases.get(squeezed) if squeezed.endswith("职称") else None)
        return found

    def meant(self, text: str) -> str | None:
        """The code a value naming none most likely means, for a did-you-mean: the one whose
        Chinese label or alias the value holds, the longest (女性 → F, 县级骨干 → county); else
        the nearest name (``did_you_mean``); None where that is no one code."""
        key = text.strip(TRIMMED)
        if any(word in key for word in _NEGATIONS):
            return None  # 非农村, 不缺编: the code named is the one the cell denies
        names = {code: code for code in self.labels} | {label: code for code, label in self.labels.items()} \
            | dict(self.aliases)
        held = [n for n in names if not n.isascii() and n in key]
        if held:
            longest = max(map(len, held))
            codes = {names[n] for n in held if len(n) == longest}
            return codes.pop() if len(codes) == 1 else None
        # a part of names of one code alone (正高 of 正高级教师; not 一级, of 一级教师 and 小学一级, two codes)
        within = {names[n] for n in names if not n.isascii() and len(key) >= 2 and key in n}
        if len(within) == 1:
            return within.pop()
        hint = did_you_mean(key, names)
        return names[hint] if hint else None

    def _labelled(self, text: str) -> str | None:
        """The code whose Chinese label is ``text``."""
        return next((code for code, label in self.labels.items() if label == text), None)


SEX = Enum("sex", {"M": "男", "F": "女"}, {"m": "M", "f": "F", "male": "M", "female": "F"})
POST = Enum(
    "post",
    {"teacher": "教师", "principal": "校长", "vice_principal": "副校长", "staff": "职员"},
    # the national teacher-management system's 岗位类别 for a teacher; its other classes (行政人员,
    # 教辅人员, 工勤人员) are not one code each: a principal is 行政人员 too
    {"专任教师": "teacher"},
)
TITLE = Enum(
    "title",
    {
        "none": "未定级",
        "third": "三级教师",
        "second": "二级教师",
        "first": "一级教师",
        "senior": "高级教师",
        "full_senior": "正高级教师",
    },
    {
        # the titles before the 2015 reform (人社部发〔2015〕79号), as it mapped them: 中学高级 to
        # 高级; 中学一级 and 小学高级 to 一级; 中学二级 and 小学一级 to 二级; 中学三级, 小学二级
        # and 小学三级 to 三级; and today's full names, 中小学X级教师
        **{f"{old}{tail}": code for old, code in (
            ("中学高级", "senior"), ("中学一级", "first"), ("小学高级", "first"), ("中学二级", "second"),
            ("小学一级", "second"), ("中学三级", "third"), ("小学二级", "third"), ("小学三级", "third"),
            ("中小学正高级", "full_senior"), ("中小学高级", "senior"), ("中小学一级", "first"),
            ("中小学二级", "second"), ("中小学三级", "third")) for tail in ("", "教师")},
        # the grades as HR forms write them, with or without 职称 (初级 is 二级 or 三级: not read)
        **{f"{grade}{tail}": code for grade, code in (
            ("中级", "first"), ("高级", "senior"), ("副高级", "senior"), ("副高", "senior"), ("正高级", "full_senior"),
            ("正高", "full_senior")) for tail in ("", "职称")},
        "无": "none",
        # a teacher not yet given a title, as county rosters write it: 未评 (not yet evaluated) is 未定级
        "未评": "none", "未评定": "none", "无职称": "none",
        "": "none",
    },
)
BACKBONE = Enum(
    "backbone",
    {
        "none": "无",
        "school": "校级",
        "county": "县级",
        "city": "市级",
        "province": "省级",
        "national": "国家级",
    },
    {"区级": "county", "": "none"},
)
RATING = Enum(
    "rating",
    {"excellent": "优秀", "qualified": "合格", "basic": "基本合格", "unqualified": "不合格"},
)
AREA = Enum(
    "area",
    {"urban": "城区", "town": "县城", "plain": "平原", "rural": "农村", "mountain": "山区"},
)
STAGE = Enum(
    "stage",
    {"primary": "小学", "junior": "初中", "senior": "高中", "complete": "完中", "nine_year": "九年一贯"},
    {"九年一贯制": "nine_year", "完全中学": "complete"},
)
STAFFING = Enum("staffing", {"over": "超编", "normal": "正常", "under": "缺编"})
# the section of a school a teacher teaches in: a 完中's 初中部 is compulsory education, its 高中部 not
SECTION = Enum(
    "section",
    {"junior": "初中", "senior": "高中"},
    {"初中部": "junior", "高中部": "senior"},
)

# Words that name more than one code: read as neither, and said so wherever they are written (a
# roster's cell, a policy's code). 城镇 in the sources means town as against country, 城区 and
# 县城 both; 镇区, the national statistics' class between 城区 and 乡村 (统计上划分城乡的规定), is
# every town outside a city's 城区: a county seat (县城) or a township's town, which the policies
# count as 农村; 初级 is the grades below 中级, 二级 and 三级.
AMBIGUOUS: dict[tuple[str, str], tuple[str, ...]] = {
    ("area", "城镇"): ("urban", "town"),
    ("area", "镇区"): ("town", "rural"),
    ("title", "初级"): ("second", "third"),
    # the old titles: 中学一级 is 一级教师, 小学一级 二级教师 (and 中学二级 二级教师, 小学二级 三级教师)
    ("title", "一级"): ("first", "second"),
    ("title", "二级"): ("second", "third"),
}


def ambiguous(enum: Enum, text: str) -> tuple[str, ...] | None:
    """The codes ``text`` may mean, when it is a word for several of ``enum``'s (城镇, 初级职称)."""
    word = "".join(text.split())
    return AMBIGUOUS.get((enum.name, word.removesuffix("职称") if enum.name == "title" else word))


ENUMS: dict[str, Enum] = {
    e.name: e for e in (SEX, POST, TITLE, BACKBONE, RATING, AREA, STAGE, STAFFING, SECTION)
}

# Codes every real teacher or school has, with no reading for an empty cell (an empty 职称 is
# 未定级, an empty 退休类别 the default): where a policy reads one, an empty cell would leave its
# rules undecided, and the person decided as if they did not apply; the row is refused instead.
NEEDED_WHEN_READ = {"teacher": ("post",), "school": ("area", "stage", "staffing")}

# Title levels in ascending order; promotion targets are the next level up.
TITLE_ORDER = ("none", "third", "second", "first", "senior", "full_senior")
PROMOTION_TARGETS = ("first", "senior", "full_senior", "principal")


@attrs.frozen
class Field:
    name: str
    zh: str
    type: T.Type
    required: bool = False
    unique: bool = False
    doc: str = ""
    aliases: tuple[str, ...] = ()  # other headers real exports use (see HEADER_ALIASES)
    # what of a policy reads a field every person or school has a value of (``NEEDED_WHEN_READ``):
    # an empty cell of it is then refused, as a required one is, never decided as unknown
    needed_by: tuple[str, ...] = ()
    # a column a roster may lack though a policy reads it: absent, every cell of it is empty, and
    # a decision an empty cell could change is marked uncertain (never refused, never assumed)
    open_when_absent: bool = False
    # (a school field, its codes): the schools at which an empty cell of this field is a value not
    # known; elsewhere the school itself says it (a 小学's teacher teaches in its 小学), so an empty
    # cell there leaves no decision uncertain. None: at every school
    open_at: tuple[str, tuple[str, ...]] | None = None

    @property
    def must_fill(self) -> bool:
        """An empty cell of this field is a problem of its row (R006)."""
        return self.required or bool(self.needed_by)

    @property
    def enum(self) -> Enum | None:
        if isinstance(self.type, T.EnumType):
            return ENUMS[self.type.name]
        return None


# Headers that teacher-management systems, Excel and WPS templates export for a contract
# column, beside its English and Chinese names: the one table of them (docs/roster.md).
# A header that is close to a column but may mean something else (在编 alone, without 在岗) is
# not an alias: the refusal of a missing column suggests it instead. 是否在编, the systems' own
# export of the column (contract.md names it), is one, read with a word to check it (SAYS_LESS).
HEADER_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "teacher": {
        "id": ("教师编号", "人员编号", "职工号", "教职工号"),
        "birth_date": ("出生年月", "出生年月日", "出生时间"),
        "id_number": ("身份证号码", "公民身份号码", "身份证件号码", "身份证"),
        "school_id": ("学校编码", "学校编号", "单位代码", "单位编码"),
        "school_start": ("调入本校时间", "来校时间", "进校时间", "到本校时间", "到校日期", "进本校年月", "调入本校年月"),
        "work_start": ("参工时间", "参加工作日期", "参加工作年月"),
        "post": ("职务", "岗位类别"),
        "post_start": ("任职时间", "现职务任职时间", "任现职务时间"),
        "on_staff": ("是否在编", "是否在编在岗"),
        "teaching": ("是否任课",),
        "title": ("专业技术职称", "专业技术职务", "职称等级"),
        "title_date": ("职称评定时间", "取得职称时间", "现职称取得时间", "职称取得日期"),
        "backbone": ("骨干教师", "骨干教师级别"),
        "subject": ("任教学科",),
        "teaching_stage": ("任教学部", "所在学部"),
        "pregnant": ("怀孕", "是否怀孕", "是否孕期"),
        "maternity_leave": ("是否产假", "休产假", "是否休产假"),
        "nursing": ("是否哺乳期", "是否处于哺乳期"),
        "serious_illness": ("重大疾病", "患重病"),
        "under_investigation": ("纪律审查", "正在接受纪律审查"),  # 正在接受纪律审查的，不得交流
        "sanction_until": ("处分期满日期", "处分期满时间"),
        "last_rating": ("上年度考核", "年度考核结果", "考核结果"),
    },
    "school": {
        "school_id": ("学校编码", "学校编号", "单位代码", "单位编码"),
        "name": ("校名", "单位名称"),
        "area": ("学校区域", "所在区域", "城乡类别"),
        "staffing": ("编制情况",),
        "students": ("在校生数", "学生人数"),
        "establishment": ("核定编制数",),
    },
}


# Yes/no columns nearly everyone reads 是 in (在编在岗, 任课): an empty cell, read as 否, takes the
# person out of scope or exempts them, and a roster leaves none empty by habit (as it leaves 孕期
# empty but for the few). Any number of empty cells but all is said (R033), not only a few.
USUALLY_YES: frozenset[tuple[str, str]] = frozenset({("teacher", "on_staff"), ("teacher", "teaching")})


# Aliases that say less than their column: 是否在编 is what systems export for 在编在岗, but says
# nothing of 在岗. Read as the column (the contract names it an alias), with a word to check it
# (R038): a teacher on the establishment and not at work (seconded, on long leave) reads 否.
SAYS_LESS: dict[tuple[str, str], tuple[str, ...]] = {("teacher", "on_staff"): ("是否在编",)}


def _f(name: str, zh: str, type_: T.Type, doc: str = "", *, required: bool = False, unique: bool = False,
       open_when_absent: bool = False, open_at: tuple[str, tuple[str, ...]] | None = None) -> Field:
    return Field(name, zh, type_, required, unique, doc, open_when_absent=open_when_absent, open_at=open_at)


def _with_aliases(table: str, fields: tuple[Field, ...]) -> tuple[Field, ...]:
    aliases = HEADER_ALIASES[table]
    return tuple(attrs.evolve(f, aliases=aliases.get(f.name, ())) for f in fields)


# roster columns that say something about a person's health, family or discipline: masked in what
# is circulated (a diff's report, the decision log)
SENSITIVE_FIELDS = ("pregnant", "maternity_leave", "nursing", "serious_illness", "under_investigation",
                    "sanction_until")

TEACHER_FIELDS: tuple[Field, ...] = _with_aliases("teacher", (
    _f("id", "工号", T.TEXT, "person id", required=True, unique=True),
    _f("name", "姓名", T.TEXT),
    _f("sex", "性别", SEX.type, required=True),
    _f("birth_date", "出生日期", T.DATE, required=True),
    _f("id_number", "身份证号", T.TEXT,
       "18-character resident ID (GB 11643); gives birth date and sex when those columns are absent"),
    _f("retirement_category", "退休类别", T.NUMBER,
       "women only: the original statutory retirement age, 55 (干部和专业技术人员, the default for "
       "teachers) or 50 (工人)"),
    _f("school_id", "学校代码", T.TEXT, "key into schools", required=True),
    _f("school_start", "到校时间", T.DATE, "started at the current school", required=True),
    _f("work_start", "参加工作时间", T.DATE, "first employment as a teacher", required=True),
    _f("post", "岗位", POST.type),
    _f("post_start", "任现职时间", T.DATE, "started the current post at the current school"),
    _f("on_staff", "在编在岗", T.BOOL),
    _f("teaching", "任课", T.BOOL),
    _f("title", "职称", TITLE.type),
    _f("title_date", "职称取得时间", T.DATE),
    _f("backbone", "骨干级别", BACKBONE.type),
    _f("subject", "学科", T.TEXT),
    _f("surplus_subject", "富余学科", T.BOOL),
    _f("starting_grade", "起始年级", T.BOOL),
    _f("pregnant", "孕期", T.BOOL),
    _f("maternity_leave", "产假", T.BOOL),
    _f("nursing", "哺乳期", T.BOOL),
    _f("serious_illness", "重病", T.BOOL),
    _f("under_investigation", "审查调查", T.BOOL),
    _f("sanction_until", "处分期满", T.DATE),
    _f("support_end", "支教结束时间", T.DATE),
    _f("support_selected", "已选派支教", T.BOOL),
    _f("rural_years", "农村任教年限", T.YEARS),
    _f("rural_continuous_years", "农村连续任教年限", T.YEARS),
    _f("weak_years", "薄弱学校任教年限", T.YEARS),
    _f("mountain_years", "山区任教年限", T.YEARS),
    _f("schools_served", "任教学校数", T.NUMBER),
    _f("last_rating", "上年考核", RATING.type),
    _f("unqualified_streak", "连续不合格年数", T.YEARS),
    _f("exchange_excellent_years", "交流优秀年数", T.YEARS),
    _f("refused_exchange", "拒绝交流日期", T.DATE),
    _f("left_exchange_early", "未满服务期日期", T.DATE),
    _f("exchange_failed", "交流考核不合格日期", T.DATE),
    _f("exchange_years", "交流任教年限", T.YEARS),
    _f("teaching_stage", "任教学段", SECTION.type,
       "the section a teacher of a 完中 (complete school) teaches in: 初中 (compulsory education) or 高中; "
       "optional: a roster without it leaves a 完中 teacher's compulsory-school rules uncertain",
       open_when_absent=True, open_at=("stage", ("complete",))),
))

SCHOOL_FIELDS: tuple[Field, ...] = _with_aliases("school", (
    _f("school_id", "学校代码", T.TEXT, required=True, unique=True),
    _f("name", "学校名称", T.TEXT),
    _f("area", "区域", AREA.type),
    _f("stage", "学段", STAGE.type),
    _f("weak", "薄弱学校", T.BOOL),
    _f("quality", "优质学校", T.BOOL),
    _f("staffing", "编制", STAFFING.type),
    _f("cluster", "片区", T.TEXT),
    _f("township", "乡镇", T.TEXT),
    _f("students", "学生数", T.NUMBER),
    _f("establishment", "编制数", T.NUMBER),
    _f("pilot", "改革试点", T.BOOL),
))


@attrs.frozen
class Assumption:
    """A value that stands in for a column the roster does not have, stated by the policy
    (``field … default …``) or by the user (``--assume``), and reported with the decisions."""

    field: str
    value: object
    source: str  # "policy" or "user"
    reason: str | None = None
    table: str = "teacher"  # the table of the column it stands in for
    # no value stated as the caller's None (the API's None, JSON's null), not as the text "": how a message quotes it
    as_none: bool = attrs.field(default=False, eq=False, repr=False)

    def text(self) -> str:
        """As ``--assume`` takes it: ``nursing=false``, ``school.area=urban``."""
        value = self.value
        shown = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        return f"{'school.' if self.table == 'school' else ''}{self.field}={shown}"


@attrs.frozen
class Caller:
    """Who asks for a roster to be read or a parameter set, and so how a message tells them to
    state a value: a column's, for every row (``--assume`` on the command line,
    ``Policy.assuming`` in the API, a field of the service's request), or a parameter's
    (``--set``, ``params``). Kept on the tables a roster is read with (``Table.caller``): every
    reader words its problems (R011, R012, R013) for whoever asked."""

    assume_en: str  # what states a column's value, as a sentence names it
    assume_zh: str
    example_en: str  # a value so stated, from {name} and {value}
    example_zh: str
    strict: str  # what makes unknown columns errors
    params: str  # what parameter values are written in: the source their diagnostics name
    keep: str = ""  # what carries a column no rule reads into the decisions, from {name} (eval's --keep)
    quote: str = ""  # what a text value is set off by where {value} stands (the API's and JSON's `"`)
    none: str = ""  # how no value is written where {value} stands (the API's None, JSON's null; --assume's empty)

    def example(self, name: str, value: str | None, lang: str = "en") -> str:
        """A value stated so (``example_en`` or ``example_zh``): ``value`` a text as this caller
        writes it, or None, no value, as it writes that (``None``, ``null``), not as the text ""."""
        shown = self.none if value is None else f"{self.quote}{value}{self.quote}"
        return (self.example_zh if lang == "zh" else self.example_en).format(name=name, value=shown)


CLI_CALLER = Caller("--assume", "--assume", "`--assume {name}={value}`", "--assume {name}={value}", "--strict",
                    "<--set>", "--keep {name}")
API_CALLER = Caller("Policy.assuming", "Policy.assuming", '`Policy.assuming({{"{name}": {value}}})`',
                    '`Policy.assuming({{"{name}": {value}}})`', "assuming(strict=True)", "<params>", quote='"',
                    none="None")
SERVICE_CALLER = Caller("the request's `assume` field", "请求的 `assume` 字段",
                        'the request\'s `"assume": {{"{name}": {value}}}`', '请求中的 `"assume": {{"{name}": {value}}}`',
                        "strict", "<params>", quote='"', none="null")


# what templates add to a header (``Table.header_reading``): a required column's mark, and a hint
# in brackets at its end, half- or full-width
_MARKS = "*＊※"
_WITH_HINT = re.compile(r"(?P<stem>.+?)[(（\[［【](?P<hint>[^()（）\[\]［］【】]*)[)）\]］】]")


@attrs.frozen
class Table:
    """One roster table: its fields by canonical name, findable by Chinese name too. A table
    as a roster is read for a policy also knows which fields the policy reads (and what reads
    each), what stands in for an absent column, and whether unknown headers are an error."""

    name: str
    fields: tuple[Field, ...]
    reads: tuple[tuple[str, tuple[str, ...]], ...] = ()  # field -> ids of what reads it
    assumed: tuple[Assumption, ...] = ()
    strict: bool = False  # unknown headers are errors, not warnings
    caller: Caller = API_CALLER  # whom the reader's messages are for
    # headers no schema declares that the caller writes beside the decisions (eval's --keep 备注):
    # asked for by name, so no warning that nothing reads them (R012)
    carried: frozenset[str] = frozenset()
    # the date the rows are read to be decided at: a date of the person's life after it is refused (R029)
    reference: dt.date | None = None
    _by_header: dict[str, Field] = attrs.field(init=False, eq=False, repr=False)
    _absent: dict[str, object] = attrs.field(init=False, eq=False, repr=False)

    @_by_header.default
    def _index(self) -> dict[str, Field]:
        index: dict[str, Field] = {}
        # a field's own names before any alias; among equals, the first field declared
        for keys in (lambda f: (*f.aliases, *(a.lower() for a in f.aliases)), lambda f: (f.name.lower(), f.zh, f.name)):
            for f in reversed(self.fields):
                index.update(dict.fromkeys(keys(f), f))
        return index

    @_absent.default
    def _absent_values(self) -> dict[str, object]:
        return {f.name: self._absent_value(f) for f in self.fields}

    def field(self, name: str) -> Field | None:
        """The field a policy names: by its English or its Chinese name."""
        f = self._by_header.get(name)
        return f if f is not None and name in (f.name, f.zh) else None

    def label(self, name: str, lang: str) -> str:
        """A field as an official reads it: its Chinese name in ``zh``, its name otherwise."""
        f = self.field(name)
        return f.zh if lang == "zh" and f is not None else name

    def header_field(self, header: str) -> Field | None:
        """The field a roster header gives: its English name (any case, full-width letters as a
        Chinese input method types them: ｐｒｅｇｎａｎｔ), Chinese name or an alias, as written or
        as a template decorates it (``header_reading``)."""
        reading = self.header_reading(header)
        return reading[0] if reading is not None else None

    def header_reading(self, header: str) -> tuple[Field, str | None] | None:
        """The field a roster header gives, and the hint in brackets left out to read it (None
        when none was). A header that is no name of a field is read without what templates add
        to one: a required column's mark (*工号, 工号*), white space inside it (孕 期; 性别 and
        （男/女） on two lines of one cell) and, after those, a hint in brackets at its end
        (性别(男/女), 出生日期(yyyy-mm-dd)). Only a reading that is one field: a hint naming another
        field (岗位（职称）) leaves the header unknown. Every reader maps headers, and finds the
        header row, by this one rule."""
        reading = self._reading(header)
        return None if reading is None else (reading[0], reading[2])

    def says_less(self, header: str) -> bool:
        """Whether ``header`` gives its field by an alias that says less than it (``SAYS_LESS``)."""
        reading = self._reading(header)
        return reading is not None and reading[1] in SAYS_LESS.get((self.name, reading[0].name), ())

    def _reading(self, header: str) -> tuple[Field, str, str | None] | None:
        """``header_reading``'s field, with the spelling of it the header was read by."""
        found = self._named(header)
        if found is not None:
            return found, header, None
        bare = "".join(header.split()).strip(_MARKS)
        found = self._named(bare) if bare != header else None
        if found is not None:
            return found, bare, None
        hinted = _WITH_HINT.fullmatch(bare)
        stem = hinted["stem"].strip(_MARKS) if hinted is not None else ""
        if hinted is None or (found := self._named(stem)) is None:
            return None
        other = self._named(hinted["hint"])
        return (found, stem, hinted["hint"]) if other is None or other is found else None

    def _named(self, header: str) -> Field | None:
        """The field ``header`` is a name of, as written (any case, full-width letters too)."""
        for name in (header,) if header.isascii() else (header, ascii_forms(header)):
            found = self._by_header.get(name) or self._by_header.get(name.lower())
            if found is not None:
                return found
        return None

    def assumption(self, name: str) -> Assumption | None:
        return next((a for a in self.assumed if a.field == name), None)

    def absent_value(self, field: Field) -> object:
        """What a field reads as when the roster has no column for it: the stated assumption;
        else empty (false for yes/no, as an empty cell reads). A field the policy reads never
        gets the empty value: a roster without it is refused (R011)."""
        return self._absent[field.name] if field.name in self._absent else self._absent_value(field)

    @property
    def absent_values(self) -> dict[str, object]:
        """Every field's ``absent_value``, by name: a fresh dict, the caller's to fill."""
        return dict(self._absent)

    def _absent_value(self, field: Field) -> object:
        stated = self.assumption(field.name)
        if stated is not None:
            return stated.value
        return False if isinstance(field.type, T.BoolType) else None

    def reading(self, reads: Mapping[str, tuple[str, ...]], assumed: tuple[Assumption, ...],
                strict: bool = False) -> Table:
        needed = NEEDED_WHEN_READ.get(self.name, ())
        fields = tuple(attrs.evolve(f, needed_by=tuple(reads.get(f.name, ()))) if f.name in needed else f
                       for f in self.fields)
        return attrs.evolve(self, fields=fields, reads=tuple(reads.items()), assumed=assumed, strict=strict)

    def gives_value(self, field: Field) -> bool:
        """Whether a record must give ``field`` (a required field, a code it must fill, one the
        policy reads): a record lacking its key, where others give it, is refused (R006, R026)."""
        return field.must_fill or not field.open_when_absent and any(name == field.name for name, _ in self.reads)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def with_extra(self, extra: tuple[Field, ...]) -> Table:
        return attrs.evolve(self, fields=self.fields + extra)


TEACHERS = Table("teacher", TEACHER_FIELDS)
SCHOOLS = Table("school", SCHOOL_FIELDS)


# a teacher's years and counts of working life (农村任教年限, 任教学校数 …): never negative, and
# none more than MOST_YEARS, longer than a working life (a year typed for a number of years, 2015
# for 农村任教年限, would count as 2015 years): the readers refuse them (R017), verify covers the rest
WORKING_LIFE_COUNTS = ("rural_years", "rural_continuous_years", "weak_years", "mountain_years", "schools_served",
                       "unqualified_streak", "exchange_excellent_years")
MOST_YEARS = 60
# the dates of a teacher's own working life: none is before the month they turned WORKING_AGE, the
# youngest anyone may be employed (劳动法 art. 15); the readers refuse earlier ones (R017, a typo:
# a start in 1982 for 2012 gives a child at work), verify's domain starts there (backends/smt.py)
WORKING_LIFE = ("school_start", "work_start", "post_start", "title_date")
WORKING_AGE = 16
# counts: schools, people, yearly assessments; 1.5 is no count (years of service may be 2.5)
WHOLE = {"teacher": ("schools_served", "unqualified_streak", "exchange_excellent_years"),
         "school": ("students", "establishment")}


def column_label(name: str, lang: str) -> str:
    """A decision's field (a teacher's, or a school's as ``school.FIELD``) as an official reads
    it: 山区工作年限, 学校区域 in Chinese; its name otherwise."""
    if not name.startswith("school.") or lang != "zh":
        return TEACHERS.label(name, lang)
    label = SCHOOLS.label(name[len("school."):], lang)
    return label if label.startswith("学校") or label == name[len("school."):] else f"学校{label}"
def unknown_values_text(names, lang: str) -> str:
    """Decision fields whose value is not known, as said to an official: empty, or (a date) known
    to the month only: `任教学段空白、到校时间空白或只有年月`; `post_start empty or known to the month only`."""
    def is_date(name: str) -> bool:
        table, field = (SCHOOLS, name[len("school."):]) if name.startswith("school.") else (TEACHERS, name)
        found = table.field(field)
        return found is not None and isinstance(found.type, T.DateType)

    names = list(names)
    parts = []
    for dated in (False, True):  # the plain empty ones first, then the dates
        group = [n for n in names if is_date(n) is dated]
        if group:
            joined = ("、" if lang == "zh" else ", ").join(column_label(n, lang) if lang == "zh" else n for n in group)
            parts.append(joined + (("空白或只有年月" if dated else "空白") if lang == "zh" else
                                   (" empty or known to the month only" if dated else " empty")))
    return ("、" if lang == "zh" else "; ").join(parts)


T.ENUM_ZH.update({f.type.name: f.zh for f in (*TEACHER_FIELDS, *SCHOOL_FIELDS) if isinstance(f.type, T.EnumType)})
