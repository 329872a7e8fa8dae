"""The held-out rosters' two forms: the contract's English columns and codes, and the
Chinese-header GB18030 export an official's system would give (headers from the Chinese
names and aliases of docs/roster.md, values as Chinese labels, dates as 年月日).

Both are written from one list of people (tests/heldout/build.py), and test_heldout.py
checks that each committed Chinese file is still the translation of its English one.
The tables below are written from the contract (../shared/spec/contract.md) and
docs/roster.md, not from the tool's code: they are part of what is under test.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

TEACHER_COLUMNS = (
    "id", "name", "sex", "birth_date", "retirement_category", "school_id", "school_start",
    "work_start", "post", "post_start", "on_staff", "teaching", "title", "title_date",
    "backbone", "subject", "surplus_subject", "starting_grade", "pregnant", "maternity_leave",
    "nursing", "serious_illness", "under_investigation", "sanction_until", "support_end",
    "support_selected", "rural_years", "rural_continuous_years", "weak_years", "mountain_years",
    "schools_served", "last_rating", "unqualified_streak", "exchange_excellent_years",
    "refused_exchange", "left_exchange_early", "exchange_failed", "exchange_years",
)
SCHOOL_COLUMNS = (
    "school_id", "name", "area", "stage", "weak", "quality", "staffing", "cluster", "township",
    "students", "establishment", "pilot",
)

# Chinese headers: the contract's Chinese name or one of docs/roster.md's aliases (a real
# export mixes them; the aliases are the harder case, so most are used here).
ZH_HEADERS = {
    "teacher": {
        "id": "教职工号", "name": "姓名", "sex": "性别", "birth_date": "出生年月",
        "retirement_category": "退休类别", "school_id": "单位代码", "school_start": "调入本校时间",
        "work_start": "参加工作时间", "post": "职务", "post_start": "任现职务时间",
        "on_staff": "是否在编在岗", "teaching": "是否任课", "title": "专业技术职务",
        "title_date": "取得职称时间", "backbone": "骨干教师级别", "subject": "任教学科",
        "surplus_subject": "富余学科", "starting_grade": "起始年级", "pregnant": "是否怀孕",
        "maternity_leave": "休产假", "nursing": "是否哺乳期", "serious_illness": "患重病",
        "under_investigation": "审查调查", "sanction_until": "处分期满日期",
        "support_end": "支教结束时间", "support_selected": "已选派支教",
        "rural_years": "农村任教年限", "rural_continuous_years": "农村连续任教年限",
        "weak_years": "薄弱学校任教年限", "mountain_years": "山区任教年限",
        "schools_served": "任教学校数", "last_rating": "年度考核结果",
        "unqualified_streak": "连续不合格年数", "exchange_excellent_years": "交流优秀年数",
        "refused_exchange": "拒绝交流日期", "left_exchange_early": "未满服务期日期",
        "exchange_failed": "交流考核不合格日期", "exchange_years": "交流任教年限",
    },
    "school": {
        "school_id": "学校编码", "name": "校名", "area": "城乡类别", "stage": "学段",
        "weak": "薄弱学校", "quality": "优质学校", "staffing": "编制情况", "cluster": "片区",
        "township": "乡镇", "students": "在校生数", "establishment": "核定编制数", "pilot": "改革试点",
    },
}

LABELS = {
    "sex": {"M": "男", "F": "女"},
    "post": {"teacher": "教师", "principal": "校长", "vice_principal": "副校长", "staff": "职员"},
    "title": {"none": "未定级", "third": "三级教师", "second": "二级教师", "first": "一级教师",
              "senior": "高级教师", "full_senior": "正高级教师"},
    "backbone": {"none": "无", "school": "校级", "county": "县级", "city": "市级",
                 "province": "省级", "national": "国家级"},
    "last_rating": {"excellent": "优秀", "qualified": "合格", "basic": "基本合格", "unqualified": "不合格"},
    "area": {"urban": "城区", "town": "县城", "plain": "平原", "rural": "农村", "mountain": "山区"},
    "stage": {"primary": "小学", "junior": "初中", "senior": "高中", "complete": "完中",
              "nine_year": "九年一贯"},
    "staffing": {"over": "超编", "normal": "正常", "under": "缺编"},
}
BOOLEAN_COLUMNS = {
    "on_staff", "teaching", "surplus_subject", "starting_grade", "pregnant", "maternity_leave",
    "nursing", "serious_illness", "under_investigation", "support_selected",
    "weak", "quality", "pilot",
}
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")  # 出生年月 as most exports give it


# Real exports differ from row to row in how they write the same value: each row uses one of
# three styles (row number mod 3), all of them forms the contract accepts.
OLD_TITLES = (
    {},                                              # 一级教师, 高级教师
    {"first": "中级", "senior": "高级"},              # the grade words
    {"first": "中学一级", "senior": "中学高级"},      # the pre-2015 names
)
BOOLEANS = ({"true": "是", "false": "否"}, {"true": "是", "false": ""}, {"true": "有", "false": "无"})


def zh_value(column: str, value: str, style: int = 0) -> str:
    """A cell as a Chinese export writes it, in one of three styles."""
    if column in BOOLEAN_COLUMNS:
        return BOOLEANS[style][value] if value else ""
    if column == "title" and value in OLD_TITLES[style]:
        return OLD_TITLES[style][value]
    if column == "backbone" and value == "county" and style == 1:
        return "区级"
    if column in LABELS and value:
        return LABELS[column][value]
    match = DATE.match(value)
    if match:
        year, month, day = match.groups()
        return (f"{year}年{int(month)}月{int(day)}日", f"{year}/{month}/{day}", f"{year}.{month}.{day}")[style]
    match = YEAR_MONTH.match(value)
    if match:
        year, month = match.groups()
        return (f"{year}年{int(month)}月", f"{year}.{month}", f"{year}{month}")[style]
    return value


def to_zh(table: str, rows: list[dict[str, str]], columns: tuple[str, ...]) -> list[list[str]]:
    headers = ZH_HEADERS[table]
    return [[headers[c] for c in columns]] + [
        [zh_value(c, row[c], number % 3) for c in columns] for number, row in enumerate(rows)]


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def zh_bytes(table: str, english_csv: Path) -> bytes:
    """The GB18030 Chinese roster that corresponds to an English one."""
    rows = read_csv(english_csv)
    columns = TEACHER_COLUMNS if table == "teacher" else SCHOOL_COLUMNS
    return csv_text(to_zh(table, rows, columns)).encode("gb18030")
