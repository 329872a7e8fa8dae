"""Write the synthetic sample roster in examples/ (deterministic: the same rows every run).

    python examples/make_examples.py

About 400 teachers over 12 schools of every area type, reference date 2025-09-01,
with the boundary cases the bundled policies care about (exactly 6 years at the
school and one day short, ages exactly at a cap and one year over, a man of
exactly 60, a 29 February birthday, exchange events at the edge of a three-year
look-back, a few women in the 50 retirement category). The same people are written
with English headers and codes (teachers.csv, .xlsx, .parquet, .json) and with
Chinese headers and labels in GB18030, as WPS writes it (teachers_zh.csv). examples/bad/ holds a roster with
mixed problems, to show the error report. Every run writes the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from policylang.lang import schema as S  # noqa: E402

AS_OF = dt.date(2025, 9, 1)
FIXED_TIME = dt.datetime(2025, 9, 1)  # stamped into the xlsx, so its bytes are the same every run

SCHOOLS = [
    # id, name, area, stage, weak, quality, staffing, cluster, township, students, establishment, pilot
    ("S01", "中山中学", "urban", "junior", False, True, "over", "中山中学片区", "城区", 1800, 120, True),
    ("S02", "九中", "urban", "junior", False, False, "normal", "中山中学片区", "城区", 1200, 85, False),
    ("S03", "砺青中学", "urban", "junior", False, True, "normal", "砺青中学片区", "城区", 1500, 100, True),
    ("S04", "十五中", "urban", "junior", True, False, "under", "砺青中学片区", "城区", 700, 60, False),
    ("S05", "麟峰小学", "urban", "primary", False, True, "over", "麟峰小学片区", "城区", 2000, 90, True),
    ("S06", "梅峰小学", "urban", "primary", False, True, "normal", "梅峰小学片区", "城区", 1600, 75, False),
    ("S07", "第三实小", "urban", "primary", False, False, "normal", "第三实小片区", "城区", 1100, 55, False),
    ("S08", "新溪小学", "town", "primary", True, False, "under", "第三实小片区", "新溪镇", 450, 30, False),
    ("S09", "拱辰中心小学", "rural", "primary", True, False, "under", "麟峰小学片区", "拱辰镇", 300, 22, False),
    ("S10", "石城山区学校", "mountain", "nine_year", True, False, "under", "山区片区", "石城乡", 180, 18, False),
    ("S11", "城关二中", "town", "senior", False, True, "over", "县城片区", "城关镇", 1400, 95, False),
    ("S12", "平原镇中学", "plain", "junior", False, False, "normal", "平原片区", "平原镇", 800, 50, False),
]
SCHOOL_FIELDS = [f.name for f in S.SCHOOL_FIELDS]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚"
    "沈钟姜崔谭陆范汪廖石金贾韦夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玲红建文辉林晨欣悦琳瑶宇浩然思雨佳怡梓涵子轩一诺欣怡"


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def make_teacher(rng: random.Random, n: int) -> dict:
    school = SCHOOLS[rng.randrange(len(SCHOOLS))]
    sex = rng.choice("MFF")
    age = rng.randint(23, 59)
    birth = _date(rng, _years_before(AS_OF, age + 1) + dt.timedelta(days=1), _years_before(AS_OF, age))
    work_start = dt.date(birth.year + rng.randint(21, 24), 9, 1)
    work_start = min(work_start, AS_OF - dt.timedelta(days=30))
    school_start = _date(rng, work_start, AS_OF - dt.timedelta(days=1))
    if rng.random() < 0.5:
        school_start = school_start.replace(month=9, day=1)
    post = rng.choices(["teacher", "principal", "vice_principal", "staff"], [88, 4, 5, 3])[0]
    service = (AS_OF - work_start).days // 365
    title = ("none" if service < 1 else "second" if service < 6 else rng.choice(["first", "first", "senior"])
             if service < 20 else rng.choice(["first", "senior", "senior", "full_senior"]))
    rural = school[2] in ("rural", "mountain")
    teacher = {
        "id": f"T{n:04d}",
        "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
        "sex": sex,
        "birth_date": birth,
        "school_id": school[0],
        "school_start": school_start,
        "work_start": work_start,
        "post": post,
        "post_start": _date(rng, school_start, AS_OF) if post in ("principal", "vice_principal") else None,
        "on_staff": rng.random() > 0.03,
        "teaching": post == "teacher" and rng.random() > 0.04 or post == "vice_principal",
        "title": title,
        "title_date": _date(rng, work_start, AS_OF) if title != "none" else None,
        "backbone": rng.choices(["none", "school", "county", "city", "province"], [70, 12, 10, 6, 2])[0],
        "subject": rng.choice(["语文", "数学", "英语", "物理", "化学", "体育", "音乐", "美术", "信息技术"]),
        "surplus_subject": school[6] == "over" and rng.random() < 0.25,
        "starting_grade": rng.random() < 0.18,
        "pregnant": sex == "F" and age < 40 and rng.random() < 0.06,
        "maternity_leave": sex == "F" and age < 40 and rng.random() < 0.03,
        "nursing": sex == "F" and age < 40 and rng.random() < 0.05,
        "serious_illness": rng.random() < 0.015,
        "under_investigation": rng.random() < 0.01,
        "sanction_until": _date(rng, dt.date(2024, 1, 1), dt.date(2026, 12, 31)) if rng.random() < 0.02 else None,
        "support_end": _date(rng, dt.date(2019, 7, 1), dt.date(2025, 7, 15)) if rng.random() < 0.12 else None,
        "support_selected": rng.random() < 0.03,
        "rural_years": (rng.randint(1, 12) if rural else rng.choice([0, 0, 0, 1, 2, 3])),
        "rural_continuous_years": 0,
        "weak_years": rng.choice([0, 0, 0, 1, 2, 3, 4]) if not school[4] else rng.randint(1, 10),
        "mountain_years": (rng.randint(1, 10) if school[2] == "mountain" else rng.choice([0, 0, 0, 0, 1, 2])),
        "schools_served": rng.choice([1, 1, 2, 2, 3, 4]),
        "last_rating": rng.choices(["excellent", "qualified", "basic", "unqualified"], [20, 72, 6, 2])[0],
        "unqualified_streak": 0,
        "exchange_excellent_years": rng.choice([0, 0, 0, 0, 1, 2, 3]),
        "refused_exchange": _date(rng, dt.date(2021, 1, 1), dt.date(2025, 6, 30)) if rng.random() < 0.03 else None,
        "left_exchange_early": _date(rng, dt.date(2022, 1, 1), dt.date(2025, 6, 30)) if rng.random() < 0.02 else None,
        "exchange_failed": _date(rng, dt.date(2022, 1, 1), dt.date(2025, 6, 30)) if rng.random() < 0.02 else None,
    }
    if rural:
        teacher["rural_continuous_years"] = min(teacher["rural_years"], (AS_OF - school_start).days // 365 + 1)
    # excellent ratings on exchange only for people who have served at a rural or mountain school
    if not (teacher["rural_years"] or teacher["mountain_years"]) or rng.random() < 0.6:
        teacher["exchange_excellent_years"] = 0
    if teacher["last_rating"] == "unqualified":
        teacher["unqualified_streak"] = rng.choice([1, 2])
    return teacher


BOUNDARIES = [
    # (overrides for T0001, T0002, ..., what it shows)
    ({"sex": "F", "birth_date": dt.date(1980, 3, 1), "school_start": dt.date(2019, 9, 1)}, "exactly 6 years at school"),
    ({"sex": "F", "birth_date": dt.date(1980, 3, 1), "school_start": dt.date(2019, 9, 2)}, "one day short of 6 years"),
    ({"sex": "F", "birth_date": dt.date(1975, 9, 1), "school_start": dt.date(2010, 9, 1)}, "woman exactly 50"),
    ({"sex": "F", "birth_date": dt.date(1974, 8, 31), "school_start": dt.date(2010, 9, 1)}, "woman aged 51"),
    ({"sex": "M", "birth_date": dt.date(1970, 9, 1), "school_start": dt.date(2010, 9, 1)}, "man exactly 55"),
    ({"sex": "M", "birth_date": dt.date(1969, 8, 31), "school_start": dt.date(2010, 9, 1)}, "man aged 56"),
    ({"sex": "F", "birth_date": dt.date(1988, 2, 29), "school_start": dt.date(2016, 2, 29)}, "29 February"),
    ({"sex": "M", "birth_date": dt.date(1965, 9, 1), "school_start": dt.date(2010, 9, 1)}, "man exactly 60"),
]

# Exchange events at the edge of a three-year look-back from AS_OF, set on people after
# the boundary cases (set, not drawn, so the random stream and everyone else stay as they are).
EVENTS = [
    (20, "left_exchange_early", dt.date(2021, 7, 10)),   # more than three years ago
    (21, "exchange_failed", dt.date(2022, 9, 1)),        # exactly three years ago
    (22, "refused_exchange", dt.date(2022, 9, 2)),       # one day inside three years
]


# Women whose original statutory retirement age is 50 (workers): their retirement dates follow the
# 2024 decision's third table (born 1975-1979: retiring 2026-2031). Every other woman is in the 55
# category, men have none.
RETIREMENT_50 = {14, 62, 104, 159, 250, 337}


def teachers() -> list[dict]:
    rng = random.Random(20250901)
    people = [make_teacher(rng, n) for n in range(1, 401)]
    for k, (overrides, _why) in enumerate(BOUNDARIES):
        person = people[k]
        person.update(overrides, post="teacher", teaching=True, on_staff=True, pregnant=False,
                      maternity_leave=False, nursing=False, serious_illness=False, under_investigation=False,
                      sanction_until=None, support_end=None, support_selected=False, school_id="S02",
                      work_start=min(person["work_start"], dt.date(2005, 9, 1)))
        born = person["birth_date"]
        if person["work_start"] < dt.date(born.year + 18, born.month, 1):  # drawn for another birth: a child at work
            person["work_start"] = dt.date(born.year + 22, 9, 1)
    for k, field, day in EVENTS:
        people[k][field] = day
    for n, person in enumerate(people):
        # women: the original retirement age, 55 (teachers: 干部和专业技术人员), a few 50 (工人); men: empty
        person["retirement_category"] = (50 if n in RETIREMENT_50 else 55) if person["sex"] == "F" else None
    return people


def cell(value, enum: S.Enum | None = None, zh: bool = False) -> str:
    """A typed value as a person types it in a roster: English codes and ISO dates, or Chinese
    labels, 年月日 dates and 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("true" if value else "false")
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日" if zh else value.isoformat()
    if enum is not None and zh:
        return enum.labels[value]
    return str(value)


# the example people have no resident ID numbers (personal data; rosters/ has cases with them),
# no 交流任教年限 column, as many offices' rosters lack it: miyun.pol states and reports its value;
# and no 任教学段, which only a 完中's teachers need (the example schools have none)
_EXAMPLE_TEACHER_FIELDS = [f for f in S.TEACHER_FIELDS if f.name not in ("id_number", "exchange_years",
                                                                        "teaching_stage")]


def _csv(rows: list[dict], fields: list[S.Field], zh: bool) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f.zh if zh else f.name for f in fields])
    for row in rows:
        writer.writerow([cell(row[f.name], f.enum, zh) for f in fields])
    return buf.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_all(out: Path = HERE) -> None:
    import polars as pl
    from openpyxl import Workbook

    school_rows = [dict(zip(SCHOOL_FIELDS, s, strict=True)) for s in SCHOOLS]
    people = teachers()
    tf, sf = _EXAMPLE_TEACHER_FIELDS, list(S.SCHOOL_FIELDS)
    _write(out / "schools.csv", _csv(school_rows, sf, False).encode("utf-8"))
    _write(out / "schools_zh.csv", _csv(school_rows, sf, True).encode("utf-8-sig"))
    _write(out / "teachers.csv", _csv(people, tf, False).encode("utf-8"))
    _write(out / "teachers_zh.csv", _csv(people, tf, True).encode("gb18030"))
    _write(out / "teachers.json", json.dumps(
        [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in p.items()} for p in people],
        ensure_ascii=False, indent=1).encode("utf-8"))
    frame = pl.DataFrame(people, schema={f.name: (pl.Date if f.type.describe() == "date" else pl.Boolean
                                                   if f.type.describe() == "bool" else pl.Float64
                                                   if f.type.describe().startswith("number") else pl.Utf8)
                                         for f in tf})
    frame.write_parquet(out / "teachers.parquet", statistics=False)
    wb = Workbook()
    ws = wb.active
    ws.title = "教师"
    ws.append([f.zh for f in tf])  # Chinese headers, English codes, real date cells
    for p in people:
        ws.append([p[f.name] for f in tf])
    buf = io.BytesIO()
    wb.save(buf)
    _write(out / "teachers.xlsx", _fixed_zip(buf.getvalue()))
    _write_bad(out / "bad", school_rows, people[:12])


def _fixed_zip(data: bytes) -> bytes:
    """The workbook repacked with fixed timestamps: openpyxl stamps the save time into
    docProps/core.xml and every zip entry, so the bytes would change on each run."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, body)
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            entry.create_system = 3  # as written on Unix, whatever the platform
            dst.writestr(entry, body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _write_bad(folder: Path, school_rows: list[dict], people: list[dict]) -> None:
    """A roster with one of each problem, in GBK with Chinese headers, as WPS writes it."""
    rows = [dict(p) for p in people]
    rows[1]["birth_date"] = "1985-13-01"            # no 13th month
    rows[2]["sex"] = "男性"                          # not a sex code
    rows[3]["id"] = rows[0]["id"]                   # duplicate id
    rows[4]["school_id"] = "S99"                    # no such school
    rows[5]["school_start"] = None                  # required, empty
    rows[6]["title"] = "特级教师"                    # not a title code
    rows[7]["on_staff"] = "也许"                     # not a yes/no value
    rows[8]["rural_years"] = "三年"                  # not a number
    fields = _EXAMPLE_TEACHER_FIELDS
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([f.zh for f in fields])
    for row in rows:
        writer.writerow([row[f.name] if isinstance(row[f.name], str) and f.enum is None or
                         (isinstance(row[f.name], str) and f.enum is not None and row[f.name] not in f.enum.labels)
                         else cell(row[f.name], f.enum, True) for f in fields])
    _write(folder / "teachers_bad.csv", buf.getvalue().encode("gbk"))
    _write(folder / "schools.csv", _csv(school_rows, list(S.SCHOOL_FIELDS), True).encode("gbk"))


if __name__ == "__main__":
    write_all()
    print(f"wrote the sample roster to {HERE}")
