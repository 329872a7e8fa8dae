"""Writes the held-out acceptance corpus: tests/heldout/<policy>/{teachers,schools}.csv
(contract columns, English), {teachers,schools}_zh.csv (Chinese headers and labels,
GB18030), expected.csv (decisions), quota.csv (what `policylang quota` must report for a
school) and missing.csv (columns whose absence must refuse the roster, or be assumed).

Every expected value here was written from the policy's SOURCE (the seeds in
../shared/seeds, the 2014 national opinion, the 2024 NPC Standing Committee decision on
retirement ages) and the reading conventions of ../shared/spec/domain.md, never by running
the tool. Where the source leaves a choice open, the `why` says so and follows the policy's
named ASSUMPTION. A case the tool gets wrong keeps its expected value and carries an
`xfail` reason (clause: what is wrong); test_heldout.py marks it strict.

Run `python tests/heldout/build.py` after changing a case; commit the files it writes.

Expected-cell syntax (test_heldout.py reads it):
- empty: not checked; `-`: must be empty (null, no entry);
- rule / exemption / direction: one value, or alternatives `A|B` (a choice the source
  leaves to the policy, e.g. which of two grounds is reported);
- may_decline, uncertain: the exact set, `;`-separated (uncertain: the roster columns whose
  unknown day, in a year-month date such as 出生年月 1974-09, could change the decision);
- promotion: `level=ok` or `level=unmet:RULE+RULE` (the exact unmet set); `RULE@DATE` also
  checks that a penalty bars the level and lifts on DATE (`@open`: no date); `;` between levels;
- penalties: `RULE:effect@UNTIL` must be in force (UNTIL its last day, `@open` none),
  `!RULE:effect` must not be; benefits: `RULE` present, `!RULE` absent.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _roster import SCHOOL_COLUMNS, TEACHER_COLUMNS, csv_text, to_zh  # noqa: E402

EXPECTED_COLUMNS = ("id", "as_of", "status", "rule", "exemption", "direction", "may_decline",
                    "promotion", "penalties", "benefits", "uncertain", "xfail", "why")

BASE = dict(
    name="", sex="M", birth_date="1980-03-15", retirement_category="", school_id="",
    school_start="2015-09-01", work_start="2002-09-01", post="teacher", post_start="",
    on_staff=True, teaching=True, title="first", title_date="2018-06-01", backbone="none",
    subject="语文", surplus_subject=False, starting_grade=False, pregnant=False,
    maternity_leave=False, nursing=False, serious_illness=False, under_investigation=False,
    sanction_until="", support_end="", support_selected=False, rural_years=0,
    rural_continuous_years=0, weak_years=0, mountain_years=0, schools_served=1,
    last_rating="qualified", unqualified_streak=0, exchange_excellent_years=0,
    refused_exchange="", left_exchange_early="", exchange_failed="", exchange_years=0,
)
SCHOOL_BASE = dict(name="", area="urban", stage="primary", weak=False, quality=False,
                   staffing="normal", cluster="", township="城关镇", students=800,
                   establishment=50, pilot=False)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = "明华芳静丽强磊军洋勇艳杰娟涛超秀霞平刚桂英"


def cell(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class Corpus:
    def __init__(self, policy: str, as_of: str):
        self.policy, self.as_of = policy, as_of
        self.schools: list[dict] = []
        self.teachers: list[dict] = []
        self.expected: list[dict] = []
        self.missing: list[dict] = []
        self.quotas: list[dict] = []

    def school(self, school_id: str, name: str, **fields):
        self.schools.append({"school_id": school_id, **SCHOOL_BASE, "name": name, **fields})

    def person(self, pid: str, why: str, status: str, *, school: str, as_of: str = "",
               rule="", exemption="", direction="", may_decline="", promotion="",
               penalties="", benefits="", uncertain="", xfail="", also=(), **fields):
        """One teacher and what the source decides for them (at the corpus' as_of, and at
        each further date in `also`, given as dicts of the same expectation keys)."""
        index = len(self.teachers)
        name = SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]
        unknown = set(fields) - set(BASE)
        assert not unknown, unknown
        self.teachers.append({**BASE, "id": pid, "name": name, "school_id": school, **fields})
        first = dict(as_of=as_of or self.as_of, status=status, rule=rule, exemption=exemption,
                     direction=direction, may_decline=may_decline, promotion=promotion,
                     penalties=penalties, benefits=benefits, uncertain=uncertain, xfail=xfail, why=why)
        for expectation in (first, *also):
            row = {"id": pid, **{k: "" for k in EXPECTED_COLUMNS[1:]}, **expectation}
            row["as_of"] = row["as_of"] or self.as_of
            assert row["status"] in {"must_rotate", "eligible", "exempt", "not_eligible"}, row
            self.expected.append(row)

    def others(self, prefix: str, count: int, school: str, **fields):
        """People who fill a school for a quota's base; no decision of theirs is checked."""
        for number in range(1, count + 1):
            index = len(self.teachers)
            name = SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]
            self.teachers.append({**BASE, "id": f"{prefix}{number:02d}", "name": name,
                                  "school_id": school, **fields})

    def quota(self, group: str, quota: str, why: str, *, base="", required="", xfail=""):
        """What `policylang quota` must report for one school (`-`: no such requirement there)."""
        self.quotas.append(dict(group=group, quota=quota, base=base, required=required, xfail=xfail, why=why))

    def refuses_without(self, column: str, why: str, outcome: str = "refused", assumed: str = ""):
        self.missing.append(dict(column=column, outcome=outcome, assumed=assumed, why=why))

    def write(self):
        folder = HERE / self.policy
        folder.mkdir(exist_ok=True)
        teachers = [{c: cell(t[c]) for c in TEACHER_COLUMNS} for t in self.teachers]
        schools = [{c: cell(s[c]) for c in SCHOOL_COLUMNS} for s in self.schools]
        ids = [t["id"] for t in teachers]
        assert len(ids) == len(set(ids)), "duplicate id"
        assert {e["id"] for e in self.expected} <= set(ids)
        for name, rows, columns, table in (("teachers", teachers, TEACHER_COLUMNS, "teacher"),
                                           ("schools", schools, SCHOOL_COLUMNS, "school")):
            english = [list(columns)] + [[r[c] for c in columns] for r in rows]
            (folder / f"{name}.csv").write_text(csv_text(english), encoding="utf-8", newline="")
            (folder / f"{name}_zh.csv").write_bytes(csv_text(to_zh(table, rows, columns)).encode("gb18030"))
        write_dicts(folder / "expected.csv", EXPECTED_COLUMNS, self.expected)
        write_dicts(folder / "missing.csv", ("column", "outcome", "assumed", "why"), self.missing)
        write_dicts(folder / "quota.csv", ("group", "quota", "base", "required", "xfail", "why"), self.quotas)


def write_dicts(path: Path, columns, rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")


# ---------------------------------------------------------------------------------------
# Shared reasons for known faults of the tool (kept in one place, quoted in xfail marks).


def national() -> Corpus:
    c = Corpus("national", "2025-09-01")
    c.school("N1", "实验小学", area="urban", stage="primary", quality=True)
    c.school("N2", "乡中心初中", area="rural", stage="junior")
    c.school("N3", "县一中", area="urban", stage="senior")
    c.school("N4", "城南九年一贯制学校", area="urban", stage="nine_year")
    two_terms = ("教师〔2014〕4号 二：校长、副校长在同一所学校连续任满两届后原则上应交流；"
                 "一届按3年（本文件具名的假设），两届即任现职满6年。")
    c.person("NA01", two_terms + "任现职2019-09-01至2025-09-01恰满6年（满N年按周年计，domain.md）。",
             "must_rotate", school="N1", rule="NA-1p", exemption="-", may_decline="-",
             post="principal", post_start="2019-09-01", school_start="2019-09-01", title="senior",
             birth_date="1975-05-01")
    c.person("NA02", two_terms + "任现职2019-09-02起，参考日差一天满6年：尚未任满两届。",
             "not_eligible", school="N1", rule="-", post="principal", post_start="2019-09-02",
             school_start="2019-09-02", title="senior", birth_date="1975-05-01")
    c.person("NA03", two_terms + "校长条款不限于城镇、优质学校（10%比例才限于城镇学校、优质学校）：农村初中校长任职10年须交流。",
             "must_rotate", school="N2", rule="NA-1p", post="principal", post_start="2015-09-01",
             school_start="2015-09-01", title="senior", birth_date="1972-01-10")
    c.person("NA04", two_terms + "副校长与校长同列：副校长任现职恰满6年，应交流。",
             "must_rotate", school="N1", post="vice_principal", post_start="2019-09-01",
             school_start="2017-09-01", title="senior", birth_date="1976-04-20")
    c.person("NA05", two_terms + "副校长任现职差一天满6年：尚未任满两届。",
             "not_eligible", school="N1", rule="-", post="vice_principal", post_start="2019-09-02",
             school_start="2017-09-01", title="senior", birth_date="1976-04-20")
    c.person("NA06", "意见只涉及县（区）域内义务教育学校；高中校长即使任职12年也不在此列。",
             "not_eligible", school="N3", rule="-", post="principal", post_start="2013-09-01",
             school_start="2013-09-01", title="senior", birth_date="1970-06-01")
    c.person("NA07", "国家意见把教师交流轮岗的具体条件（年限、年龄）交给地方规定，本身不设教师规则：同校20年的教师在本文件中不是交流对象。",
             "not_eligible", school="N1", rule="-", school_start="2005-09-01")
    c.person("NA08", two_terms + "届数按校长任期计，不按到校时间：2010年到校、2021-09-01起任校长，任职4年，未满两届。",
             "not_eligible", school="N1", rule="-", post="principal", post_start="2021-09-01",
             school_start="2010-09-01", title="senior", birth_date="1974-02-02")
    c.person("NA09", two_terms + "国家意见未列任何豁免情形（豁免由地方规定）：怀孕的女校长任满两届，本文件仍列为交流对象。",
             "must_rotate", school="N1", rule="NA-1p", exemption="-", post="principal",
             post_start="2019-03-01", school_start="2019-03-01", sex="F", pregnant=True,
             title="senior", birth_date="1986-07-07")
    c.quota("N1", "NA-1a", "三：城镇学校、优质学校每学年交流轮岗的教师不低于符合交流条件教师总数的10%：实验小学符合条件的是NA01、NA04、NA09三位校级领导，10%向上取整为1。",
            base="3", required="1")
    c.quota("N2", "NA-1a", "10%的比例只对城镇学校、优质学校：农村普通初中没有这一要求（即使有应交流的校长NA03）。",
            required="-")
    c.person("NA10", two_terms + "九年一贯制学校是义务教育学校：校长任满两届须交流。", "must_rotate", school="N4",
             rule="NA-1p", post="principal", post_start="2018-09-01", school_start="2018-09-01",
             title="senior", birth_date="1973-03-03")
    c.person("NA11", two_terms + "职员（非教师、非校级领导岗位）任现职10年，不在交流轮岗人员范围。", "not_eligible",
             school="N1", rule="-", post="staff", post_start="2015-09-01", teaching=False)
    c.refuses_without("post_start", "NA-1p 按任现职时间计届数：名册缺“任现职时间”须拒绝，不得当作未满两届。")
    return c


def fujian() -> Corpus:
    c = Corpus("fujian", "2025-09-01")
    c.school("F1", "城关实验小学", area="urban", stage="primary")
    c.school("F2", "乡初级中学", area="rural", stage="junior")
    c.school("F3", "县第一中学", area="town", stage="senior")
    c.school("F4", "城东九年一贯制学校", area="urban", stage="nine_year")
    fj2 = "001 篇二：同一所学校任教达到6年的教师必须列为交流对象（“达到”含6年）；范围是公办义务教育学校（FJ-1）。"
    c.person("FJ01", fj2 + "到校2019-09-01，参考日恰满6年。", "must_rotate", school="F1",
             rule="FJ-2", exemption="-", may_decline="-", school_start="2019-09-01")
    c.person("FJ02", fj2 + "到校2019-09-02，差一天满6年：不是交流对象。", "not_eligible", school="F1",
             rule="-", school_start="2019-09-02")
    c.person("FJ03", fj2 + "县一中是高中，不属义务教育学校：任教15年也不在省意见的交流范围。",
             "not_eligible", school="F3", rule="-", school_start="2010-09-01")
    c.person("FJ04", fj2 + "农村初中同样是义务教育学校（交流在城乡、优质与薄弱学校之间全方位进行）。",
             "must_rotate", school="F2", rule="FJ-2", school_start="2012-09-01")
    c.person("FJ05", fj2 + "省意见未设年龄上限：59周岁男教师同校8年仍须列为交流对象。",
             "must_rotate", school="F1", rule="FJ-2", birth_date="1966-05-01", school_start="2017-09-01",
             work_start="1987-09-01")
    c.person("FJ06", fj2 + "副校长兼课，是“在同一所学校任教”的教师（fidelity review；本文件的具名读法）：到校恰满6年。",
             "must_rotate", school="F1", rule="FJ-2", post="vice_principal", post_start="2021-09-01",
             school_start="2019-09-01", title="senior")
    c.person("FJ07", fj2 + "副校长到校差一天满6年。", "not_eligible", school="F1", rule="-",
             post="vice_principal", post_start="2021-09-01", school_start="2019-09-02", title="senior")
    fj3 = "001 篇二：校长在一所学校任职达到6至10年，也必须进行交流（自6年起须交流）。"
    c.person("FJ08", fj3 + "任职恰满6年。", "must_rotate", school="F1", rule="FJ-3", exemption="-",
             post="principal", post_start="2019-09-01", school_start="2019-09-01", title="senior",
             schools_served=3)
    c.person("FJ09", fj3 + "九年一贯制学校校长任职差一天满6年。", "not_eligible", school="F4",
             rule="-", post="principal", post_start="2019-09-02", school_start="2019-09-02",
             title="senior", schools_served=3)
    c.person("FJ10", fj3 + "任职10年，已到不得再延的上限：必须交流（规则编号FJ-3或其10年分支均可）。",
             "must_rotate", school="F2", rule="FJ-3|FJ-3b", post="principal",
             post_start="2015-09-01", school_start="2015-09-01", title="senior", schools_served=2)
    c.person("FJ20", fj3 + "任现职时间未填、到校恰满6年：原文以任职年限计，任职是否满6年不得而知（到校前后都可能才任校长），"
             "不按到校时间推定，结论待核实（任现职时间）。",
             "not_eligible", school="F1", rule="-", uncertain="post_start", post="principal", post_start="",
             school_start="2019-09-01", title="senior", schools_served=2)
    c.person("FJ30", fj3 + "任现职时间未填、到校差一天满6年：任职不可能已满6年（任现职在到校之后），不须交流，无须核实。",
             "not_eligible", school="F1", rule="-", uncertain="-", post="principal", post_start="",
             school_start="2019-09-02", title="senior", schools_served=2)
    c.person("FJ11", fj2 + "001 篇三（厦门调研建议）“女教师怀孕期不参加流动”，本文件作为具名假设采用：同校9年的孕期教师免于交流。",
             "exempt", school="F1", rule="FJ-2", exemption="pregnancy", may_decline="-",
             sex="F", pregnant=True, birth_date="1990-04-04", school_start="2016-09-01",
             work_start="2012-09-01")
    c.person("FJ12", "孕期只免除本应交流的人（contract: exempt = would be a target）：到校2年的孕期教师本不是交流对象，不是“免于交流”。",
             "not_eligible", school="F1", rule="-", exemption="-", sex="F", pregnant=True,
             birth_date="1992-04-04", school_start="2023-09-01", work_start="2014-09-01")
    c.person("FJ13", "厦门建议“新参加工作未满3年不能流动”（具名假设）只豁免本应交流的人；参加工作2年364天、到校同样时间的新教师本不是交流对象。",
             "not_eligible", school="F1", rule="-", exemption="-", work_start="2022-09-02",
             school_start="2022-09-02", birth_date="2000-01-01", title="second")
    c.person("FJ14", fj3 + "本文件的具名假设把孕期不参加流动读作同样适用于女校长（厦门调研：“校长首先是教师”）。",
             "exempt", school="F1", rule="FJ-3", exemption="pregnancy", sex="F", pregnant=True,
             post="principal", post_start="2018-09-01", school_start="2018-09-01", title="senior",
             birth_date="1986-02-02", schools_served=2)
    c.person("FJ15", "001 篇二“硬杠杠”：晋升高级教师须到农村学校、薄弱学校任教；当校长须有不少于2所学校工作经历。一级教师无农村、薄弱学校经历、只在1所学校工作过：两项都不满足。",
             "not_eligible", school="F1", promotion="senior=unmet:FJ-4;principal=unmet:FJ-5",
             school_start="2023-09-01", rural_years=0, weak_years=0, schools_served=1)
    c.person("FJ16", "同上两项：有1年薄弱学校任教经历、在2所学校工作过（“不少于2所”含2）：都满足。",
             "not_eligible", school="F1", promotion="senior=ok;principal=ok",
             school_start="2023-09-01", weak_years=1, schools_served=2)
    c.person("FJ17", "省意见的“硬杠杠”未限学段，本文件具名假设对县里聘任的所有教师适用：高中一级教师无农村、薄弱学校经历，不具备晋升高级条件。",
             "not_eligible", school="F3", promotion="senior=unmet:FJ-4", school_start="2023-09-01")
    c.person("FJ21", "当校长须有不少于2所学校工作经历（FJ-5）：只在本校工作过的副校长（任校长的通常人选）不具备任校长条件；他有农村经历，评正高级不受FJ-4（只管高级）约束。",
             "not_eligible", school="F1", promotion="principal=unmet:FJ-5;full_senior=ok", post="vice_principal",
             post_start="2022-09-01", school_start="2021-09-01", title="senior", schools_served=1, rural_years=2)
    c.person("FJ18", "交流对象是校长和教师；职员（非教师岗位）同校15年也不是交流对象。",
             "not_eligible", school="F1", rule="-", post="staff", school_start="2010-09-01", teaching=False)
    c.person("FJ19", fj2 + "九年一贯制学校属义务教育学校：恰满6年须交流。", "must_rotate", school="F4",
             rule="FJ-2", school_start="2019-09-01")
    c.refuses_without("pregnant", "FJ-X2（孕期不参加流动，具名假设）读取“孕期”：名册缺此列须拒绝，不得当作未怀孕。")
    c.refuses_without("schools_served", "FJ-5（任校长须有不少于2所学校经历）读取“任教学校数”。")
    return c


def fujian_pilot_district() -> Corpus:
    c = Corpus("fujian_pilot_district", "2025-09-01")
    c.school("J1", "麟峰小学", area="urban", stage="primary", cluster="麟峰小学片区")
    c.school("J2", "九中", area="urban", stage="junior", staffing="over", cluster="中山中学片区")
    c.school("J3", "拱辰某村小学", area="rural", stage="primary", staffing="under", cluster="麟峰小学片区")
    c.school("J4", "县城初级中学", area="town", stage="junior")
    c.school("J5", "区高级中学", area="town", stage="senior", staffing="over")
    ja1 = "002 四、1（1）：55周岁以下（女50周岁以下）、在同一所学校工作满6年以上（含6年）的，都要分批进行易校交流；“以下”含本数（民法典第1259条）。"
    c.person("JA01", ja1 + "女教师1974-09-02生，参考日50周岁（次日满51）：仍在上限内；片区内交流（JA-4）。",
             "must_rotate", school="J1", rule="JA-1", exemption="-", direction="within_cluster",
             may_decline="-", sex="F", birth_date="1974-09-02", work_start="1996-09-01")
    c.person("JA02", ja1 + "女教师1974-09-01生，参考日满51周岁：超过上限，不须交流；仍可由学校建议或本人申请（四、1（3），四、2（5））。",
             "eligible", school="J1", rule="JA-3", direction="-", sex="F", birth_date="1974-09-01",
             work_start="1996-09-01")
    c.person("JA03", ja1 + "男教师1969-09-02生，参考日55周岁：在上限内。", "must_rotate", school="J1",
             rule="JA-1", birth_date="1969-09-02", work_start="1991-09-01")
    c.person("JA04", ja1 + "男教师1969-09-01生，参考日满56周岁：超过上限，只在可交流之列。",
             "eligible", school="J1", rule="JA-3", birth_date="1969-09-01", work_start="1991-09-01")
    c.person("JA05", ja1 + "到校2019-09-01，恰满6年（含6年）。", "must_rotate", school="J1", rule="JA-1",
             school_start="2019-09-01")
    c.person("JA06", ja1 + "到校2019-09-02，差一天满6年。", "eligible", school="J1", rule="JA-3",
             school_start="2019-09-02")
    c.person("JA07", "002 四、1（2）：超编学校富余学科教师，也需进行易校交流（不论年限、年龄）；超编单位教师视学科余缺统筹调整，流向缺编学校。",
             "must_rotate", school="J2", rule="JA-2", direction="to_understaffed",
             surplus_subject=True, school_start="2023-09-01", subject="音乐")
    c.person("JA08", "四、1（2）只说超编学校：学校编制正常时富余学科教师不因此须交流，仍可申请。",
             "eligible", school="J1", rule="JA-3", surplus_subject=True, school_start="2023-09-01")
    c.person("JA09", ja1 + "同时是超编学校富余学科教师：两条都须交流（报告哪条由本文件决定）。",
             "must_rotate", school="J2", rule="JA-1|JA-2", surplus_subject=True, birth_date="1980-03-15")
    c.person("JA10", "四、1（2）是区里的明文要求；省级文件的“新参加工作未满3年不流动”只是厦门调研的建议（具名假设），不能推翻它：参加工作2年的超编学校富余学科教师须交流。",
             "must_rotate", school="J2", rule="JA-2", exemption="-", work_start="2023-09-01",
             school_start="2023-09-01", birth_date="2000-05-05", title="second", surplus_subject=True)
    c.person("JA11", "四、1（3）、2（5）：在职教师可自愿申请、学校可建议交流，不设教龄下限；省级文件“新参加工作未满3年不流动”只是厦门调研的建议，"
             "试点区文件没有，且区里分步推进交流试点，将一些新入编人员人事关系归属人才服务中心管理（前言）：参加工作2年的新教师可申请交流。",
             "eligible", school="J1", rule="JA-3", exemption="-", work_start="2023-09-01",
             school_start="2023-09-01", birth_date="2000-05-05", title="second")
    c.person("JA12", ja1 + "七、4：非现任课教师不得作为专任教师进行交流：同校10年但未任课，本应交流，免于交流。",
             "exempt", school="J1", rule="JA-1", exemption="not_teaching", may_decline="-", teaching=False)
    c.person("JA13", "七、4 只免除本应作为专任教师交流的人：到校3年、未任课的教师本不是交流对象，不是“免于交流”；未任课也不能作为专任教师申请交流。",
             "not_eligible", school="J1", rule="-", exemption="-", teaching=False, school_start="2022-09-01")
    c.person("JA14", "七、4 针对派出专任教师，不涉及校长：继承的省级FJ-3（校长任职满6年须交流）仍适用于不任课的校长。",
             "must_rotate", school="J1", rule="FJ-3", post="principal", teaching=False,
             post_start="2019-09-01", school_start="2019-09-01", title="senior", schools_served=2)
    c.person("JA15", ja1 + "副校长兼课，是同校工作满6年的教师（本文件与省文件的具名读法）：女副校长48周岁，须交流。",
             "must_rotate", school="J1", rule="JA-1", post="vice_principal", sex="F",
             birth_date="1977-06-06", post_start="2020-09-01", title="senior")
    c.person("JA16", ja1 + "继承省文件具名假设“怀孕期不参加流动”：同校10年的孕期女教师免于交流。",
             "exempt", school="J1", rule="JA-1", exemption="pregnancy", sex="F", pregnant=True,
             birth_date="1988-08-08", work_start="2010-09-01")
    c.person("JA17", "意见只涉及义务教育学校：高中（即使超编、富余学科）不在范围。",
             "not_eligible", school="J5", rule="-", surplus_subject=True, school_start="2010-09-01")
    c.person("JA25", ja1 + "出生年月1974-09（只有年月，contract：按当月1日决定，当月另一日会改变决定的标为不确定）：按1974-09-01为51周岁，只可交流；若生于9月2日以后则为50周岁须交流，故出生日期不确定。",
             "eligible", school="J1", rule="JA-3", uncertain="birth_date", sex="F", birth_date="1974-09",
             work_start="1996-09-01")
    c.person("JA26", ja1 + "出生年月1985-03：整月都是40周岁，决定确定。", "must_rotate", school="J1",
             rule="JA-1", uncertain="-", sex="F", birth_date="1985-03")
    c.person("JA27", "区意见的年龄上限写在教师条款四、1（1）里；校长仍按继承的省级FJ-3（任职满6年须交流，无年龄上限）：58周岁校长任职7年须交流。",
             "must_rotate", school="J1", rule="FJ-3", post="principal", birth_date="1967-05-05",
             post_start="2018-09-01", school_start="2018-09-01", title="senior", schools_served=3,
             work_start="1988-09-01")
    c.person("JA28", "四、1（2）超编学校富余学科教师是单列的一项，不带（1）的年龄、年限条件：58周岁的富余学科教师同样须交流。",
             "must_rotate", school="J2", rule="JA-2", surplus_subject=True, birth_date="1967-05-05",
             work_start="1988-09-01", school_start="2020-09-01")
    ja5 = "002 四、2（2）：城镇中小学教师评聘中、高级职务，须有到农村任教1年或薄弱学校任教3年的经历；城镇义务教育学校40周岁以下（含）教师评聘高级须有到农村任（支）教2年的经历。"
    c.person("JA18", ja5 + "二级教师评一级（中级）：薄弱学校任教3年（含3年），满足。",
             "eligible", school="J1", promotion="first=ok", title="second", weak_years=3,
             school_start="2023-09-01")
    c.person("JA19", ja5 + "二级教师评一级：薄弱学校2.5年、无农村经历，不满足。",
             "eligible", school="J1", promotion="first=unmet:JA-5a", title="second", weak_years=2.5,
             school_start="2023-09-01")
    c.person("JA20", ja5 + "1984-09-02生，参考日40周岁（含）：评高级须农村2年，只有1年，不满足（农村1年已满足省FJ-4和JA-5a）。",
             "eligible", school="J1", promotion="senior=unmet:JA-5b", birth_date="1984-09-02",
             rural_years=1, school_start="2023-09-01")
    c.person("JA21", ja5 + "1984-09-01生，参考日满41周岁：不再适用40周岁以下的2年要求；农村1年满足JA-5a和FJ-4。",
             "eligible", school="J1", promotion="senior=ok", birth_date="1984-09-01", rural_years=1,
             school_start="2023-09-01")
    c.person("JA22", ja5 + "“城镇”含县城：县城初中一级教师无农村、薄弱学校经历评高级，不满足JA-5a，也不满足省FJ-4。",
             "eligible", school="J4", promotion="senior=unmet:JA-5a+FJ-4", school_start="2023-09-01")
    c.person("JA23", ja5 + "农村学校教师不受城镇教师的要求约束；有农村经历，省FJ-4也满足。",
             "eligible", school="J3", promotion="senior=ok", birth_date="1990-01-01", rural_years=5,
             school_start="2021-09-01", work_start="2012-09-01")
    c.person("JA24", ja5 + "35周岁城区教师农村任（支）教恰2年（“应有2年”含2年）：满足。",
             "eligible", school="J1", promotion="senior=ok", birth_date="1990-01-01", rural_years=2,
             school_start="2023-09-01", work_start="2012-09-01")
    c.person("JA29", ja5 + "38周岁城区教师有薄弱学校任教5年、无农村经历：评高级时JA-5a（薄弱3年）和省FJ-4（薄弱学校经历）都满足，但40周岁以下须“到农村任（支）教2年”，薄弱学校年限不能替代。",
             "eligible", school="J1", promotion="senior=unmet:JA-5b", birth_date="1987-02-02",
             weak_years=5, rural_years=0, school_start="2023-09-01", work_start="2009-09-01")
    c.others("JAQ", 10, "J2", surplus_subject=True, birth_date="1995-03-15", work_start="2018-09-01",
             school_start="2023-09-01", title="second")
    c.quota("J2", "JA-1q", "四、1（1）括号内“每年交流数不少于本单位应交流对象的10%”属于第（1）项：基数是该项的对象（55/50周岁以下、同校满6年）；九中只有JA09一人，另有14名超编富余学科教师（第（2）项）不计入：10%向上取整为1。",
            base="1", required="1")
    c.school("J6", "城区某超编初中", area="urban", stage="junior", staffing="over", cluster="中山中学片区")
    c.person("JA30", ja1 + "四、2（1）：“对于超编单位的教师，则可视学科余缺及编制总量等，统筹调整交流”：超编学校中同校满6年、"
             "非富余学科的教师须交流，不限于片区（本文件写作向缺编学校交流，与JA-2同）。",
             "must_rotate", school="J6", rule="JA-1o", direction="to_understaffed", birth_date="1980-03-15")
    c.refuses_without("surplus_subject", "JA-2（超编学校富余学科教师）读取“富余学科”。")
    c.refuses_without("teaching", "七、4（非现任课教师不得作为专任教师交流）读取“任课”：缺此列不得当作未任课或任课。")
    return c





def miyun() -> Corpus:
    c = Corpus("miyun", "2025-09-01")
    c.school("M1", "县城第二小学", area="town", stage="primary")
    c.school("M2", "平原某初中", area="plain", stage="junior")
    c.school("M3", "县城第二中学（高中）", area="town", stage="senior")
    c.school("M4", "山区某小学", area="mountain", stage="primary")
    c.school("M5", "城区第一小学", area="urban", stage="primary")
    c.school("M6", "城区第六中学（高中）", area="urban", stage="senior")
    my1 = "004 篇(2) 二、1：选拔没有山区学校工作经历的、男57岁以下、女52岁以下的县城及平原地区小学和初中任课教师到山区学校交流；县教委“选拔”（自愿报名、单位推荐、县教委批准），故为可选派（eligible）。"
    c.person("MY01", my1 + "女教师1972-09-02生，参考日52周岁：在上限内（以下含本数）。",
             "eligible", school="M1", rule="MY-1", direction="to_mountain", sex="F",
             birth_date="1972-09-02", work_start="1993-09-01")
    c.person("MY02", my1 + "女教师1972-09-01生，参考日满53周岁：超过上限。", "not_eligible", school="M1",
             rule="-", sex="F", birth_date="1972-09-01", work_start="1993-09-01")
    c.person("MY03", my1 + "平原初中男教师1967-09-02生，参考日57周岁：在上限内。",
             "eligible", school="M2", rule="MY-1", direction="to_mountain", birth_date="1967-09-02",
             work_start="1988-09-01")
    c.person("MY04", my1 + "男教师1967-09-01生，参考日满58周岁：超过上限。", "not_eligible", school="M2",
             rule="-", birth_date="1967-09-01", work_start="1988-09-01")
    c.person("MY05", my1 + "有1年山区学校工作经历：不再选派到山区。", "not_eligible", school="M1", rule="-",
             sex="F", birth_date="1985-05-05", mountain_years=1)
    c.person("MY06", my1 + "只选任课教师：不任课者不选派。", "not_eligible", school="M1", rule="-",
             sex="F", birth_date="1985-05-05", teaching=False)
    c.person("MY07", my1 + "本县报告把县城学校也称城区、城内（“安排30名城区教师到农村任教”“28名教师在城内校际换岗”）：区域登记为城区的小学即县城小学。",
             "eligible", school="M5", rule="MY-1", direction="to_mountain", sex="F",
             birth_date="1985-05-05")
    my2 = "二、1：上年度被评为中级、高级职称且无山区工作经历的县城地区高中教师，到平原及山区学校交流；“上年度”为参考日期的上一个自然年度（参考日2025-09-01时为2024年，文件区分“年度”与“学年度”），取得现职称在该年内。"
    c.person("MY08", my2 + "2024-12-01取得高级教师：在上年度内。", "eligible", school="M3", rule="MY-2",
             direction="to_plain_or_mountain", title="senior", title_date="2024-12-01")
    c.person("MY09", my2 + "一级教师2020年取得：不是上年度评定。", "not_eligible", school="M3", rule="-",
             title="first", title_date="2020-07-01")
    c.person("MY22", my2 + "2025-01-10取得高级教师：是本年度（参考日所在年度）评定，不是上年度。", "not_eligible",
             school="M3", rule="-", title="senior", title_date="2025-01-10")
    c.person("MY10", my2 + "上年度评的是二级（初级）：不是中级、高级。", "not_eligible", school="M3", rule="-",
             title="second", title_date="2024-03-10", birth_date="1998-02-02", work_start="2020-09-01",
             school_start="2020-09-01")
    c.person("MY11", my2 + "县城高中登记为城区（见MY07）：上年度评中级（一级）、无山区经历，可选派。",
             "eligible", school="M6", rule="MY-2", direction="to_plain_or_mountain", title="first",
             title_date="2024-10-15")
    my3 = "二、1：45岁以下的山区学校任课教师到县城或平原地区学校交流（学习）。"
    c.person("MY12", my3 + "1979-09-02生，参考日45周岁（次日满46）：在上限内。", "eligible", school="M4", rule="MY-3",
             direction="to_town", birth_date="1979-09-02", mountain_years=13)
    c.person("MY13", my3 + "1979-09-01生，参考日满46周岁：超过上限。", "not_eligible", school="M4", rule="-",
             birth_date="1979-09-01", mountain_years=13)
    c.person("MY14", my3 + "只选任课教师：山区不任课的30岁教师不选派。", "not_eligible", school="M4", rule="-",
             birth_date="1995-03-03", teaching=False, mountain_years=5, work_start="2018-09-01",
             school_start="2018-09-01")
    c.person("MY15", "二、2：参加交流的教师同等条件下优先参加中、高级职务评聘和县级以上评先（MY-7）；到山区学校交流、累计两年（含两年）以上考核优秀者晋升一级工资（MY-8）。交流3年、其中2年优秀：两项都享受；已有山区经历，不再选派（MY-1）。",
             "not_eligible", school="M1", benefits="MY-7;MY-8", sex="F", birth_date="1985-05-05",
             exchange_years=3, mountain_years=3, exchange_excellent_years=2)
    c.person("MY16", "同上：交流3年、优秀1年：享受评聘评先优先（MY-7），不够晋级工资的两年。",
             "not_eligible", school="M1", benefits="MY-7;!MY-8", sex="F", birth_date="1985-05-05",
             exchange_years=3, mountain_years=3, exchange_excellent_years=1)
    c.person("MY21", "二、2：参加交流的教师同等条件下优先评聘、评先（MY-7）。交流任教2年（名册“交流任教年限”）、未评优秀：参加过交流，享受MY-7，不够MY-8。",
             "not_eligible", school="M1", benefits="MY-7;!MY-8", sex="F", birth_date="1985-05-05",
             exchange_years=2, mountain_years=2, exchange_excellent_years=0)
    c.person("MY17", my1 + "从未参加交流：可选派，但尚无交流教师的待遇。", "eligible", school="M1",
             rule="MY-1", benefits="-", sex="F", birth_date="1985-05-05")
    c.person("MY19", my1 + "副校长兼课即“任课教师”：县城小学任课的副校长（45周岁、无山区经历）可选派。",
             "eligible", school="M1", rule="MY-1", direction="to_mountain", post="vice_principal",
             post_start="2020-09-01", title="senior")
    c.person("MY20", my2 + "原文只说“县城地区高中教师”，不要求任课：上年度评高级、目前未排课的县城高中教师同样可选派。",
             "eligible", school="M3", rule="MY-2", direction="to_plain_or_mountain", title="senior",
             title_date="2024-12-01", teaching=False)
    c.person("MY18", "双向交流的选拔条件只针对任课教师；校长轮岗（2007年33名正职干部）报告未给条件：本文件不决定校长。",
             "not_eligible", school="M1", rule="-", post="principal", post_start="2012-09-01",
             school_start="2012-09-01", title="senior")
    c.refuses_without("mountain_years", "MY-1、MY-2“没有山区学校工作经历”读取“山区任教年限”。")
    c.refuses_without("teaching", "MY-1、MY-3 只选“任课教师”，读取“任课”。")
    return c


def shenyang() -> Corpus:
    c = Corpus("shenyang", "2025-09-01")
    c.school("Y1", "某区第三十中学", area="urban", stage="junior")
    c.school("Y3", "某区第二高级中学", area="urban", stage="senior")
    c.school("Y2", "实验学校小学部", area="urban", stage="primary", quality=True)
    sy5 = "公开报道（2006年8月起）：在同一所学校满6年的校长和教师交流到其他学校（SY-5）；“人走关系动”。"
    # the reports organise the yearly exchange in large school districts (大学区, SY-6): the source leaves the
    # reading to the policy, which says within_cluster (its reading, named)
    c.person("SY01", sy5 + "到校2019-09-01，恰满6年；交流在大学区内进行（SY-6），本文件读作片区内交流。", "must_rotate",
             school="Y1", rule="SY-5", exemption="-", direction="within_cluster", school_start="2019-09-01", sex="F",
             birth_date="1975-03-15")
    c.person("SY02", sy5 + "到校2019-09-02，差一天满6年。", "not_eligible", school="Y1", rule="-",
             school_start="2019-09-02", sex="F", birth_date="1975-03-15")
    c.person("SY03", sy5 + "公开资料没有沈阳的年龄上限，本文件不作假设：59周岁的教师同样须交流。",
             "must_rotate", school="Y1", rule="SY-5", birth_date="1966-03-01", work_start="1986-09-01")
    c.person("SY04", sy5 + "公开资料没有豁免条款，本文件不作假设：孕期教师同样须交流。",
             "must_rotate", school="Y1", rule="SY-5", exemption="-", sex="F", pregnant=True,
             birth_date="1990-02-02", work_start="2012-09-01")
    c.person("SY05", sy5 + "同上：患重病的教师同样须交流（没有公开的豁免）。", "must_rotate", school="Y1",
             rule="SY-5", exemption="-", serious_illness=True)
    c.person("SY06", sy5 + "校长到校满6年同样交流。", "must_rotate", school="Y1", rule="SY-5",
             post="principal", post_start="2019-09-01", school_start="2019-09-01", title="senior")
    c.person("SY07", sy5 + "副校长（校级领导）同为交流对象。", "must_rotate", school="Y1", rule="SY-5",
             post="vice_principal", post_start="2021-09-01", school_start="2018-09-01", title="senior")
    c.person("SY15", sy5 + "004 篇(7)：“全市中小学校教师交流覆盖面达到了100%”，高中也在其中：高中教师同校满6年须交流。",
             "must_rotate", school="Y3", rule="SY-5", school_start="2019-09-01")
    sy2 = "004 篇(7)：骨干教师从相对优质的学校流动到薄弱学校（SY-2；骨干按区级以上，本文件的参数）。"
    c.person("SY08", sy2 + "优质学校区级骨干，同校满6年：须交流，流向薄弱学校。", "must_rotate", school="Y2",
             rule="SY-2", direction="to_weak", backbone="county")
    c.person("SY09", sy2 + "校级骨干不是区级以上骨干：按SY-5交流，在大学区内（片区内）。", "must_rotate", school="Y2",
             rule="SY-5", direction="within_cluster", backbone="school")
    c.person("SY10", sy2 + "流向是对交流者说的；区级骨干到校3年，尚不满6年，不须交流。", "not_eligible",
             school="Y2", rule="-", backbone="county", school_start="2022-09-01")
    c.person("SY11", sy2 + "普通学校不是“相对优质的学校”：市级骨干按SY-5交流，在大学区内（片区内）。", "must_rotate",
             school="Y1", rule="SY-5", direction="within_cluster", backbone="city")
    sy8 = "公开报道：符合条件而拒绝交流者成为待聘人员（SY-8）；待聘期间无岗位，不得晋升高一级职称，报道未给期限。"
    c.person("SY12", sy8 + "2024-09-01拒绝交流：待聘，晋升高级受阻，无解除日期。", "must_rotate", school="Y1",
             penalties="SY-8:awaiting_appointment@open", promotion="senior=unmet:SY-8@open",
             refused_exchange="2024-09-01")
    c.person("SY13", sy8 + "参考日当天拒绝：当日即成待聘人员。", "must_rotate", school="Y1",
             penalties="SY-8:awaiting_appointment@open", promotion="senior=unmet:SY-8@open",
             refused_exchange="2025-09-01")
    c.person("SY14", sy8 + "参考日次日才拒绝：参考日尚无处理，晋升不受限。", "must_rotate", school="Y1",
             penalties="-", promotion="senior=ok", refused_exchange="2025-09-02")
    c.quota("Y1", "SY-6", "公开报道：每年交流人数不少于专任教师编制数的15%：编制50名，向上取整为8。", base="50", required="8")
    c.refuses_without("refused_exchange", "SY-8（拒绝交流者待聘）读取“拒绝交流日期”。")
    c.refuses_without("backbone", "SY-2（骨干教师流向薄弱学校）读取“骨干级别”。")
    return c




def county_draft() -> Corpus:
    c = Corpus("county_draft", "2025-09-01")
    c.school("C1", "县城第一小学", area="town", stage="primary")
    c.school("C2", "某乡初级中学", area="rural", stage="junior", staffing="over")
    c.school("C3", "城区第二初中", area="urban", stage="junior")
    targets = "001 篇四 三、交流对象：全县义务教育阶段在编在岗教师，同一所学校任教满6年、近三年无支教经历，男50周岁、女45周岁以下（含本数）。"
    c.person("CD01", targets + "男教师1974-09-02生，参考日50周岁（次日满51）：交流对象。", "must_rotate",
             school="C1", rule="CD-1", exemption="-", may_decline="-", birth_date="1974-09-02",
             work_start="1996-09-01")
    c.person("CD02", targets + "男教师1974-09-01生，参考日满51周岁：不在交流范围，本人自愿交流的学校支持（三、4）。",
             "eligible", school="C1", rule="CD-1v", birth_date="1974-09-01", work_start="1996-09-01")
    c.person("CD03", targets + "女教师1979-09-02生，参考日45周岁：交流对象。", "must_rotate", school="C1",
             rule="CD-1", sex="F", birth_date="1979-09-02")
    c.person("CD04", targets + "女教师1979-09-01生，参考日满46周岁：不在范围，可自愿。", "eligible",
             school="C1", rule="CD-1v", sex="F", birth_date="1979-09-01")
    c.person("CD05", targets + "到校2019-09-01，恰满6年。", "must_rotate", school="C1", rule="CD-1",
             school_start="2019-09-01")
    c.person("CD06", targets + "到校2019-09-02，差一天满6年：只可自愿。", "eligible", school="C1",
             rule="CD-1v", school_start="2019-09-02")
    c.person("CD38", targets + "到校时间只填年月2019-09：按2019-09-01恰满6年列为对象；若9月2日以后到校则差几天，故到校时间不确定。",
             "must_rotate", school="C1", rule="CD-1", uncertain="school_start", school_start="2019-09")
    c.person("CD07", targets + "支教2022-09-01结束：自结束日起三年期间的最后一日是2025-09-01（民法典第201、202条），参考日仍属“近三年”有支教经历，不列为对象。",
             "eligible", school="C1", rule="CD-1v", support_end="2022-09-01")
    c.person("CD08", targets + "支教2022-08-31结束：三年期间已于2025-08-31届满，近三年无支教，列为对象。",
             "must_rotate", school="C1", rule="CD-1", support_end="2022-08-31")
    c.person("CD09", targets + "正在支教（2026-07-01才结束）：不是“近三年无支教经历”。", "eligible",
             school="C1", rule="CD-1v", support_end="2026-07-01")
    cd1p = "三、3：在同一所学校连续任职满6年的校长（年龄条件同三、4）。"
    c.person("CD10", cd1p + "任职恰满6年，48周岁。", "must_rotate", school="C1", rule="CD-1p",
             post="principal", post_start="2019-09-01", school_start="2017-09-01", birth_date="1977-03-03",
             title="senior")
    c.person("CD11", cd1p + "任职差一天满6年。", "not_eligible", school="C1", rule="-", post="principal",
             post_start="2019-09-02", school_start="2017-09-01", birth_date="1977-03-03", title="senior")
    exempt = "三、原则上不作为交流对象的情形（本应交流，豁免；不是“可不参加”，故无may_decline）："
    c.person("CD12", exempt + "（一）近两年内已有支教经历：校长2023-09-01结束支教，两年期间最后一日是2025-09-01，参考日仍在期内。",
             "exempt", school="C1", rule="CD-1p", exemption="recent_support", may_decline="-",
             post="principal", post_start="2018-09-01", school_start="2018-09-01", birth_date="1977-03-03",
             title="senior", support_end="2023-09-01")
    c.person("CD40", exempt + "（一）校长正在支教（2026-07-01结束）：已有支教经历且在近两年内，豁免。",
             "exempt", school="C1", rule="CD-1p", exemption="recent_support", post="principal",
             post_start="2018-09-01", school_start="2018-09-01", birth_date="1977-03-03", title="senior",
             support_end="2026-07-01")
    c.person("CD13", exempt + "（一）校长2023-08-31结束支教：两年期间已于2025-08-31届满，须交流。",
             "must_rotate", school="C1", rule="CD-1p", exemption="-", post="principal",
             post_start="2018-09-01", school_start="2018-09-01", birth_date="1977-03-03", title="senior",
             support_end="2023-08-31")
    c.person("CD14", exempt + "（二）怀孕。", "exempt", school="C1", rule="CD-1", exemption="pregnancy",
             may_decline="-", sex="F", birth_date="1988-01-01", pregnant=True, work_start="2010-09-01")
    c.person("CD15", exempt + "（二）产假。", "exempt", school="C1", rule="CD-1", exemption="maternity",
             may_decline="-", sex="F", birth_date="1988-01-01", maternity_leave=True, work_start="2010-09-01")
    c.person("CD16", exempt + "（二）哺乳期。", "exempt", school="C1", rule="CD-1", exemption="nursing",
             may_decline="-", sex="F", birth_date="1988-01-01", nursing=True, work_start="2010-09-01")
    c.person("CD17", exempt + "（二）患病（县级以上医院诊断证明）。", "exempt", school="C1", rule="CD-1",
             exemption="illness", may_decline="-", serious_illness=True)
    c.person("CD18", exempt + "（三）正在接受审计、纪律审查或司法程序尚未终结。", "exempt", school="C1",
             rule="CD-1", exemption="investigation", may_decline="-", under_investigation=True)
    c.person("CD19", exempt + "（四）受行政处分期间：处分期满日2025-09-01是处分期的最后一日（contract），当日仍在期内。",
             "exempt", school="C1", rule="CD-1", exemption="sanction", may_decline="-",
             sanction_until="2025-09-01")
    c.person("CD20", exempt + "（四）处分期2025-08-31已满：参考日不在处分期间，须交流。", "must_rotate",
             school="C1", rule="CD-1", exemption="-", sanction_until="2025-08-31")
    c.person("CD21", exempt + "孕期且正在接受审查：两项都使其不作为交流对象；报告哪一项原文未排序。",
             "exempt", school="C1", rule="CD-1", exemption="investigation|pregnancy", may_decline="-",
             sex="F", birth_date="1988-01-01", pregnant=True, under_investigation=True, work_start="2010-09-01")
    c.person("CD22", exempt + "哺乳期且在处分期内：豁免（任一项即可）。", "exempt", school="C1", rule="CD-1",
             exemption="nursing|sanction", sex="F", birth_date="1988-01-01", nursing=True,
             sanction_until="2026-03-01", work_start="2010-09-01")
    c.person("CD23", "豁免只针对交流对象：到校3年的孕期教师本不是对象，仍可本人自愿交流（三、4），不是“免于交流”。",
             "eligible", school="C1", rule="CD-1v", exemption="-", sex="F", birth_date="1988-01-01",
             pregnant=True, school_start="2022-09-01", work_start="2010-09-01")
    c.person("CD36", exempt + "豁免对校长同样适用（“有下列情况之一的”不分教师、校长）：哺乳期的女校长（44周岁）任职满7年，豁免。",
             "exempt", school="C1", rule="CD-1p", exemption="nursing", may_decline="-", sex="F",
             nursing=True, post="principal", post_start="2018-09-01", school_start="2018-09-01",
             birth_date="1981-01-01", title="senior")
    c.person("CD37", targets + "一年前（2024-09-01）结束支教：因“近三年无支教”本就不是交流对象（只可自愿），不是因（一）“近两年内已有支教”而免于交流。",
             "eligible", school="C1", rule="CD-1v", exemption="-", support_end="2024-09-01")
    c.person("CD39", exempt + "超编学校的孕期教师：豁免，不交流，也就没有流向。", "exempt", school="C2",
             rule="CD-3.1|CD-1", exemption="pregnancy", direction="-", sex="F", birth_date="1988-01-01",
             pregnant=True, work_start="2010-09-01")
    c.person("CD24", targets + "四、（一）超编学校教师向缺编学校交流。", "must_rotate", school="C2",
             rule="CD-3.1", direction="to_understaffed")
    c.person("CD25", targets + "四、（三）城镇骨干教师向农村薄弱学校交流（骨干按县级以上）。", "must_rotate",
             school="C3", rule="CD-3.3", direction="to_rural", backbone="county")
    vice = ("副校长是“教师”（三、2，同校任教满6年）还是“校长”（三、3，连续任职满6年）？原文未说；按本项目的读法（任教的副校长"
            "也是“同校任教满N年的教师”），四、（七）又给“校级领导交流”单列期限，本文件具名假设两者都读：任教满6年按CD-1，"
            "任现职满6年按CD-1p（先声明，两者都适用时由它决定）。此处：")
    c.person("CD26", vice + "副校长到校10年、任副校长4年：同校任教满6年，按CD-1列为交流对象。",
             "must_rotate", school="C1", rule="CD-1", post="vice_principal", post_start="2021-09-01",
             birth_date="1980-03-15", title="senior")
    c.person("CD41", vice + "副校长任现职恰满6年（45周岁）：列为交流对象。", "must_rotate", school="C1",
             rule="CD-1p", post="vice_principal", post_start="2019-09-01", birth_date="1980-03-15",
             title="senior")
    c.person("CD42", vice + "副校长任现职、到校都差一天满6年：只可自愿交流。", "eligible", school="C1", rule="CD-1v",
             post="vice_principal", post_start="2019-09-02", school_start="2019-09-02",
             birth_date="1980-03-15", title="senior")
    cd5a = ("六、（五）：符合交流条件而不服从交流安排的，职务聘任合同期满后高职低聘（本文件具名假设：自拒绝起、无期限），"
            "三年内不得参与评优评先。条款没有写晋升限制（六、（六）对考核不合格才写“延后两年晋升”），惩处按所写读，不限制晋升。")
    c.person("CD27", cd5a + "2022-09-01拒绝：三年期间的最后一日是2025-09-01，参考日评优限制仍在；晋升高级不受此条限制。",
             "must_rotate", school="C1",
             penalties="CD-5a:demoted_one_post@open;CD-5a:barred_from_awards@2025-09-01",
             promotion="senior=ok", refused_exchange="2022-09-01")
    c.person("CD28", cd5a + "2022-08-31拒绝：评优限制已于2025-08-31届满，高职低聘仍在。", "must_rotate",
             school="C1", penalties="CD-5a:demoted_one_post@open;!CD-5a:barred_from_awards",
             refused_exchange="2022-08-31")
    c.person("CD29", cd5a + "高级教师在参考日当天拒绝：高职低聘，晋升正高级不受此条限制。", "must_rotate",
             school="C1", promotion="full_senior=ok", title="senior",
             refused_exchange="2025-09-01")
    cd5b = "六、（六）：交流中未履行服务年限者，现岗位聘到该职级最低档次，两年内考核不能评为优秀，不得参与评优评模（期限按同一两年，本文件具名假设）；不涉及晋升职称。"
    c.person("CD30", cd5b + "2023-09-01未满服务期离开：两年期间最后一日2025-09-01，参考日仍在期内。",
             "must_rotate", school="C1", promotion="senior=ok",
             penalties="CD-5b:lowest_grade@open;CD-5b:no_excellent_rating@2025-09-01;CD-5b:barred_from_awards@2025-09-01",
             left_exchange_early="2023-09-01")
    c.person("CD31", cd5b + "2023-08-31离开：两年限制已于2025-08-31届满，最低档次聘任仍在。", "must_rotate",
             school="C1", penalties="CD-5b:lowest_grade@open;!CD-5b:no_excellent_rating;!CD-5b:barred_from_awards",
             left_exchange_early="2023-08-31")
    cd5c = "六、（六）：交流考核不合格的教师，延后两年晋升高一级专业技术职务，不得申报评选优秀教师。"
    c.person("CD32", cd5c + "2023-09-01考核不合格：两年期间最后一日2025-09-01，参考日仍不得晋升高级，2025-09-02解除。",
             "must_rotate", school="C1", penalties="CD-5c:promotion_delayed@2025-09-01",
             promotion="senior=unmet:CD-5c@2025-09-02", exchange_failed="2023-09-01")
    c.person("CD33", cd5c + "2023-08-31考核不合格：延后期已于2025-08-31届满，可晋升高级。", "must_rotate",
             school="C1", penalties="!CD-5c:promotion_delayed", promotion="senior=ok",
             exchange_failed="2023-08-31")
    c.person("CD34", cd5c + "2024-02-29考核不合格：两年后的2月没有29日，期间最后一日是该月末日2026-02-28（民法典第202条），2026-03-01解除。",
             "must_rotate", school="C1", as_of="2026-02-28", penalties="CD-5c:promotion_delayed@2026-02-28",
             promotion="senior=unmet:CD-5c@2026-03-01", exchange_failed="2024-02-29",
             also=[dict(as_of="2026-03-01", status="must_rotate", penalties="!CD-5c:promotion_delayed",
                        promotion="senior=ok",
                        why=cd5c + "2024-02-29考核不合格：延后期最后一日2026-02-28已过，2026-03-01起可晋升高级。")])
    c.person("CD35", "六、（四）：交流期间表现良好、业绩突出者，评优评模和岗位竞聘同等条件下优先（本文件具名假设：交流期间至少一年考核优秀）。",
             "must_rotate", school="C1", benefits="CD-6", exchange_excellent_years=1, exchange_years=2)
    c.school("C4", "某镇中心小学", area="rural", stage="primary", township="某镇")
    c.others("CDQ", 10, "C4", birth_date="1985-03-15", work_start="2007-09-01", school_start="2012-09-01")
    c.others("CDX", 3, "C4", sex="F", pregnant=True, birth_date="1988-03-15", work_start="2010-09-01",
             school_start="2012-09-01")
    c.quota("C4", "CD-1q", "三、4：每年交流比例不低于本乡（镇、校）应交流教师的10%：中心小学10名交流对象，另3名孕期教师原则上不作为交流对象，不是应交流教师：10%向上取整为1。",
            base="10", required="1")
    c.school("C5", "某村小学（薄弱学校）", area="rural", stage="primary", weak=True, township="某乡")
    c.school("C6", "某村小学", area="rural", stage="primary", township="某乡")
    cd36 = "四、（六）：有计划的选派农村薄弱学校校长到城镇学校挂职学习，时间一个月（可选派，不是须交流）。"
    c.person("CD43", cd36 + "农村薄弱学校校长，任职2年：可选派到城镇学校挂职学习。", "eligible", school="C5",
             rule="CD-3.6", direction="to_town", post="principal", post_start="2023-09-01", school_start="2023-09-01")
    c.person("CD44", cd36 + "农村学校不是薄弱学校：其校长不在此列。", "not_eligible", school="C6", rule="-",
             post="principal", post_start="2023-09-01", school_start="2023-09-01")
    c.refuses_without("sanction_until", "三、（四）受行政处分期间读取“处分期满”：缺此列不得当作无处分。")
    c.refuses_without("nursing", "三、（二）哺乳期读取“哺乳期”。")
    c.refuses_without("support_end", "三、2“近三年无支教经历”和（一）“近两年内已有支教经历”读取“支教结束时间”。")
    return c




def county_exchange() -> Corpus:
    c = Corpus("county_exchange", "2025-09-01")
    c.school("Z1", "城关小学", area="town", stage="primary")
    c.school("Z2", "某乡初级中学", area="rural", stage="junior")
    c.school("Z3", "某镇完全中学", area="rural", stage="complete")
    c.school("Z4", "平原实验小学（示范学校）", area="plain", stage="primary", quality=True)
    c.school("Z5", "县第一中学（高中）", area="urban", stage="senior")
    zx1 = "000 一、1：凡男45周岁、女40周岁以下（含本数），在同一学校工作时间较长的都要分批进行交流；“较长”取6年（本文件具名假设）；范围是全县中小学（含高中）。"
    c.person("ZX01", zx1 + "男教师1979-09-02生，参考日45周岁。", "must_rotate", school="Z2", rule="ZX-1",
             birth_date="1979-09-02")
    c.person("ZX02", zx1 + "男教师1979-09-01生，参考日满46周岁：超过上限；农村学校没有支教义务（ZX-4）。",
             "not_eligible", school="Z2", rule="-", birth_date="1979-09-01")
    c.person("ZX03", zx1 + "女教师1984-09-02生，参考日40周岁。", "must_rotate", school="Z2", rule="ZX-1",
             sex="F", birth_date="1984-09-02", work_start="2006-09-01")
    c.person("ZX04", zx1 + "女教师1984-09-01生，参考日满41周岁：超过上限。", "not_eligible", school="Z2",
             rule="-", sex="F", birth_date="1984-09-01", work_start="2006-09-01")
    c.person("ZX05", zx1 + "到校2019-09-02，差一天满6年。", "not_eligible", school="Z2", rule="-",
             birth_date="1985-03-15", school_start="2019-09-02", work_start="2007-09-01")
    c.person("ZX06", zx1 + "到校2019-09-01，恰满6年。", "must_rotate", school="Z2", rule="ZX-1",
             birth_date="1985-03-15", school_start="2019-09-01", work_start="2007-09-01")
    c.person("ZX07", zx1 + "高中教师同样在“全县教育行政部门所属中小学校教师”之列。", "must_rotate",
             school="Z5", rule="ZX-1", birth_date="1985-03-15", work_start="2007-09-01")
    c.person("ZX19", zx1 + "副校长兼课，是“中小学校教师”：40周岁男副校长同校8年，须交流。", "must_rotate",
             school="Z2", rule="ZX-1", post="vice_principal", post_start="2020-09-01",
             birth_date="1985-03-15", title="senior", work_start="2007-09-01")
    zx4 = "000 二、（一）1—4：城区各中小学校、各级示范学校、农村完全中学、乡镇所在地中心学校在职在编教师有支教义务；45周岁以下、具备教师资格、身体健康的在职教师根据工作需要轮岗支教，到农村相对薄弱学校（可选派，eligible）。"
    c.person("ZX08", zx4 + "县城小学35周岁健康教师，到校2年。", "eligible", school="Z1", rule="ZX-4",
             direction="to_rural", birth_date="1990-03-15", school_start="2023-09-01", work_start="2012-09-01")
    c.person("ZX09", zx4 + "女教师1979-09-01生，满46周岁：超过支教年龄；也超过女40周岁的交流上限。",
             "not_eligible", school="Z1", rule="-", sex="F", birth_date="1979-09-01", school_start="2023-09-01")
    c.person("ZX10", zx4 + "患重病，不是“身体健康”：不安排支教。", "not_eligible", school="Z1", rule="-",
             birth_date="1990-03-15", school_start="2023-09-01", work_start="2012-09-01", serious_illness=True)
    c.person("ZX11", zx4 + "农村完全中学的在编教师同样有支教义务。", "eligible", school="Z3", rule="ZX-4",
             birth_date="1990-03-15", school_start="2023-09-01", work_start="2012-09-01")
    c.person("ZX12", zx4 + "示范学校（优质学校）的在编教师同样有支教义务，不论是否在城区。", "eligible",
             school="Z4", rule="ZX-4", birth_date="1990-03-15", school_start="2023-09-01",
             work_start="2012-09-01")
    zx5 = "000 二、（二）2：城镇中小学教师评聘高一级教师职务，必须在其任期内有在农村学校交流任教一年以上（含一年）的经历。"
    c.person("ZX13", zx5 + "县城一级教师无农村经历：评高级不满足。", "eligible", school="Z1",
             promotion="senior=unmet:ZX-5", school_start="2023-09-01")
    c.person("ZX14", zx5 + "农村交流任教恰1年：满足。", "eligible", school="Z1", promotion="senior=ok",
             rural_years=1, school_start="2023-09-01")
    c.person("ZX15", zx5 + "农村学校教师不受城镇教师的要求约束。", "not_eligible", school="Z2",
             promotion="senior=ok", rural_years=2, school_start="2023-09-01")
    c.person("ZX16", zx5 + "县城高级教师评正高级（高一级）同样须农村经历。", "eligible", school="Z1",
             promotion="full_senior=unmet:ZX-5", title="senior", school_start="2023-09-01")
    c.person("ZX17", zx5 + "城区高中二级教师评一级：高中也是“中小学”，同样须农村经历（他有支教义务，可选派，ZX-4）。", "eligible",
             school="Z5", promotion="first=unmet:ZX-5", title="second", school_start="2023-09-01",
             birth_date="1995-06-06", work_start="2018-09-01")
    c.person("ZX18", zx1 + "县城小学教师同时有支教义务：“都要分批交流”比可选派更强，须交流。", "must_rotate",
             school="Z1", rule="ZX-1", birth_date="1985-03-15", work_start="2007-09-01")
    c.school("Z6", "城关第二小学", area="town", stage="primary")
    c.person("ZX20", zx1 + "城关第二小学唯一的交流对象（同校10年、35周岁）。", "must_rotate", school="Z6",
             rule="ZX-1", birth_date="1990-03-15", school_start="2015-09-01", work_start="2012-09-01")
    c.others("ZXQ", 20, "Z6", birth_date="1972-03-15", work_start="1994-09-01")
    c.quota("Z6", "ZX-1a", "一、1：交流面原则上小学每年在10%左右——是学校教师的比例（对照001篇四“应交流教师的10%”）：城关第二小学21名教师（其中交流对象只有1名），"
            "“原则上…左右”是约数，10%即2.1人，按最接近的整数为2（不是把约数读作下限再向上取整为3）。",
            base="21", required="2")
    c.quota("Z2", "ZX-1b", "一、1：初中、高中每年在2%～5%：乡初中8名教师，2%向上取整为1。", base="8", required="1")
    c.school("Z7", "城关第三小学", area="town", stage="primary")
    c.school("Z8", "某村小学", area="rural", stage="primary")
    zx6 = "000 二、（一）7：定期选派城镇学校校长到农村学校交流任职，农村学校校长到城镇学校挂职锻炼，任期一般为半年至一年（可选派）。"
    c.person("ZX21", zx6 + "县城小学校长：可选派到农村学校交流任职。", "eligible", school="Z7", rule="ZX-6a",
             direction="to_rural", post="principal", post_start="2020-09-01", birth_date="1975-03-15",
             work_start="1997-09-01")
    c.person("ZX22", zx6 + "村小学校长：可选派到城镇学校挂职锻炼。", "eligible", school="Z8", rule="ZX-6b",
             direction="to_town", post="principal", post_start="2020-09-01", birth_date="1975-03-15",
             work_start="1997-09-01")
    c.refuses_without("serious_illness", "ZX-4“身体健康”读取“重病”。")
    c.refuses_without("on_staff", "ZX-1、ZX-4 只涉及在职在编教师，读取“在编在岗”。")
    return c




def county_managed() -> Corpus:
    c = Corpus("county_managed", "2026-09-01")
    c.school("G1", "城区第一小学", area="urban", stage="primary")
    c.school("G2", "某村小学", area="rural", stage="primary")
    c.school("G3", "县城第三初中", area="town", stage="junior")
    xg0 = "004 篇(6) 四、（三）：符合交流轮岗条件的教师由市教育局统筹安排交流轮岗；条件取同校任教满6年（本文件具名假设）。"
    c.person("XG01", xg0 + "到校2020-09-01，参考日2026-09-01恰满6年。", "must_rotate", school="G1",
             rule="XG-0", exemption="-", may_decline="-", school_start="2020-09-01")
    c.person("XG02", xg0 + "到校2020-09-02，差一天满6年。", "not_eligible", school="G1", rule="-",
             school_start="2020-09-02")
    c.person("XG35", xg0 + "副校长兼课，是符合条件的“教师”（同校任教满6年）：须交流。", "must_rotate",
             school="G1", rule="XG-0", post="vice_principal", post_start="2021-09-01", title="senior")
    stay = "四、（三）：三年内即将退休的教师原则上在原聘用学校续聘（豁免，不是可不参加）；法定退休日期按2024年全国人大常委会渐进式延迟法定退休年龄的决定（2025-01-01起；此前按60/55/50周岁），三年期间自参考日次日起算，最后一日为对应日（民法典第201、202条）。"
    c.person("XG03", stay + "女教师（退休类别未注明，按55周岁类别）1973-09-01生：出生月距1970-01为44个月，延迟12个月，56周岁退休即2029-09-01，恰为三年期间最后一日（2029-09-01）：续聘。",
             "exempt", school="G1", rule="XG-0", exemption="near_retirement", may_decline="-", sex="F",
             birth_date="1973-09-01", work_start="1994-09-01")
    c.person("XG04", stay + "女教师1973-09-02生：2029-09-02退休，晚于三年期间：须交流。", "must_rotate",
             school="G1", rule="XG-0", exemption="-", sex="F", birth_date="1973-09-02", work_start="1994-09-01")
    c.person("XG05", stay + "男教师1968-09-01生：出生月距1965-01为44个月，延迟12个月，61周岁退休即2029-09-01：续聘（旧规定下他2028年就退休）。",
             "exempt", school="G1", rule="XG-0", exemption="near_retirement", birth_date="1968-09-01",
             work_start="1989-09-01")
    c.person("XG06", stay + "男教师1968-09-02生：2029-09-02退休：须交流。", "must_rotate", school="G1",
             rule="XG-0", birth_date="1968-09-02", work_start="1989-09-01")
    c.person("XG07", stay + "男教师1968-08-31生：出生月1968-08距1965-01为43个月，延迟11个月，60周岁11个月即2029-07-31退休：续聘（每四个月一档，早一天出生早一个月退休）。",
             "exempt", school="G1", rule="XG-0", exemption="near_retirement", birth_date="1968-08-31",
             work_start="1989-09-01")
    c.person("XG08", stay + "原法定退休年龄50周岁（工人）的女职工1978-02-01生：距1975-01为37个月，每两个月延迟一个月，延迟19个月，51周岁7个月即2029-09-01退休：续聘。",
             "exempt", school="G1", rule="XG-0", exemption="near_retirement", sex="F",
             retirement_category=50, birth_date="1978-02-01", work_start="1998-09-01")
    c.person("XG09", stay + "同一类别1978-02-02生：2029-09-02退休：须交流。", "must_rotate", school="G1",
             rule="XG-0", sex="F", retirement_category=50, birth_date="1978-02-02", work_start="1998-09-01")
    c.person("XG10", stay + "同为1978-02-01生、退休类别未注明的女教师按55周岁类别：延迟25个月，2035-03-01退休：须交流。",
             "must_rotate", school="G1", rule="XG-0", exemption="-", sex="F", birth_date="1978-02-01",
             work_start="1998-09-01")
    c.person("XG11", stay + "男教师1967-12-15生：参考日2024-12-31时决定尚未施行，按60周岁于2027-12-15退休，在三年期间（至2027-12-31）内：续聘。",
             "exempt", school="G1", as_of="2024-12-31", rule="XG-0", exemption="near_retirement",
             birth_date="1967-12-15", work_start="1988-09-01",
             also=[dict(as_of="2025-01-01", status="must_rotate", rule="XG-0", exemption="-",
                        why=stay + "同一人参考日2025-01-01：决定已施行，出生月距1965-01为35个月，延迟9个月，2028-09-15退休，晚于2028-01-01：须交流。")])
    c.person("XG12", stay + "参考日2024-12-31、女教师1972-12-31生：旧规定55周岁即2027-12-31退休，恰为三年期间最后一日：续聘。",
             "exempt", school="G1", as_of="2024-12-31", rule="XG-0", exemption="near_retirement", sex="F",
             birth_date="1972-12-31", work_start="1993-09-01")
    c.person("XG13", stay + "参考日2024-12-31、女教师1973-01-01生：2028-01-01退休：须交流。", "must_rotate",
             school="G1", as_of="2024-12-31", rule="XG-0", sex="F", birth_date="1973-01-01",
             work_start="1993-09-01")
    c.person("XG36", stay + "月末：男教师1967-06-28生，出生月距1965-01为29个月，延迟8个月，60周岁8个月即2028-02-28退休；参考日2025-02-28的三年期间最后一日是2028-02-28：续聘。",
             "exempt", school="G1", as_of="2025-02-28", rule="XG-0", exemption="near_retirement",
             birth_date="1967-06-28", work_start="1988-09-01")
    c.person("XG37", stay + "月末：男教师1967-06-30生，60周岁8个月落在2月，无30日，以月末日2028-02-29（闰年）为退休日（民法典第202条的对应日规则），晚于2028-02-28：须交流。",
             "must_rotate", school="G1", as_of="2025-02-28", rule="XG-0", exemption="-",
             birth_date="1967-06-30", work_start="1988-09-01")
    c.person("XG14", stay + "过渡期结束：1976年9月及以后出生的男职工63周岁退休（延迟满36个月封顶）。1977-09-01生于2040-09-01退休；参考日2037-09-01的三年期间最后一日即2040-09-01：续聘。",
             "exempt", school="G1", as_of="2037-09-01", rule="XG-0", exemption="near_retirement",
             birth_date="1977-09-01", work_start="1999-09-01")
    c.person("XG15", stay + "同上1977-09-02生：2040-09-02退休：须交流。", "must_rotate", school="G1",
             as_of="2037-09-01", rule="XG-0", birth_date="1977-09-02", work_start="1999-09-01")
    c.person("XG33", stay + "出生年月1973-09的女教师：按1973-09-01生，2029-09-01退休，续聘；生于9月2日以后则晚于三年期间，须交流：出生日期不确定。",
             "exempt", school="G1", rule="XG-0", exemption="near_retirement", uncertain="birth_date", sex="F",
             birth_date="1973-09", work_start="1994-09-01")
    c.person("XG34", stay + "出生年月1968-08的男教师：整月出生者都延迟11个月，2029-07内退休，都在三年期间内：续聘，决定确定。",
             "exempt", school="G1", rule="XG-0", exemption="near_retirement", uncertain="-",
             birth_date="1968-08", work_start="1989-09-01")
    also_stay = "四、（三）：经组织选派参加支教（不含交流轮岗）、处于孕期、哺乳期或经县级以上医疗机构证明患有较为严重疾病的教师，原则上在原聘用学校续聘（豁免）。"
    c.person("XG16", also_stay + "已选派支教。", "exempt", school="G1", rule="XG-0", exemption="support_selected",
             may_decline="-", support_selected=True)
    c.person("XG17", also_stay + "正在支教（2027-07-01结束），就是经组织选派参加支教的教师。", "exempt",
             school="G1", rule="XG-0", exemption="support_selected", support_end="2027-07-01")
    c.person("XG18", also_stay + "孕期。", "exempt", school="G1", rule="XG-0", exemption="pregnancy",
             may_decline="-", sex="F", pregnant=True, birth_date="1990-01-01", work_start="2012-09-01")
    c.person("XG19", also_stay + "哺乳期。", "exempt", school="G1", rule="XG-0", exemption="nursing",
             may_decline="-", sex="F", nursing=True, birth_date="1990-01-01", work_start="2012-09-01")
    c.person("XG20", also_stay + "较为严重疾病。", "exempt", school="G1", rule="XG-0", exemption="illness",
             may_decline="-", serious_illness=True)
    c.person("XG21", also_stay + "孕期且患重病：任一项即续聘。", "exempt", school="G1", rule="XG-0",
             exemption="illness|pregnancy", sex="F", pregnant=True, serious_illness=True,
             birth_date="1990-01-01", work_start="2012-09-01")
    c.person("XG22", also_stay + "续聘只针对符合交流条件的人：到校3年的孕期教师本不交流，不是“免于交流”。",
             "not_eligible", school="G1", rule="-", exemption="-", sex="F", pregnant=True,
             birth_date="1990-01-01", work_start="2012-09-01", school_start="2023-09-01")
    xg4 = "四、（四）：城镇交流到乡村的教师，符合任职年限且在乡村学校连续工作满3年的，可按乡村学校教师资格条件申报高一级职称。"
    c.person("XG23", xg4 + "从城镇交流到村小、连续满3年。", "not_eligible", school="G2", benefits="XG-4",
             rural_continuous_years=3, rural_years=3, school_start="2023-09-01")
    c.person("XG24", xg4 + "连续2.5年：未满3年。", "not_eligible", school="G2", benefits="!XG-4",
             rural_continuous_years=2.5, rural_years=2.5, school_start="2024-03-01")
    xg5 = "四、（四）：乡村连续任教男满30年、女满25年且仍在乡村学校任教，或乡村累计任教男满30年、女满25年且距法定退休年龄不足5年的，可不占岗位结构比例评聘（“不足5年”：退休日期早于参考日起5年之对应日）。"
    c.person("XG25", xg5 + "女教师在村小连续任教25年（1978年生，远未到退休）：适用前一项。", "must_rotate",
             school="G2", benefits="XG-5", sex="F", birth_date="1978-03-15", rural_continuous_years=25,
             rural_years=25, school_start="2001-09-01", work_start="2001-09-01")
    c.person("XG26", xg5 + "男教师连续29年：不满30年。", "must_rotate", school="G2", benefits="!XG-5",
             birth_date="1975-03-15", rural_continuous_years=29, rural_years=29, school_start="1997-09-01",
             work_start="1997-09-01")
    c.person("XG27", xg5 + "已调入城区、乡村累计25年的女职工（退休类别50）1979-05-31生：距1975-01为52个月，延迟27个月，52周岁3个月即2031-08-31退休，早于2031-09-01：距退休不足5年。",
             "must_rotate", school="G1", benefits="XG-5", sex="F", retirement_category=50,
             birth_date="1979-05-31", rural_years=25, work_start="1999-09-01")
    c.person("XG28", xg5 + "同上1979-06-01生：2031-09-01退休，恰为5年：不是“不足5年”。", "must_rotate",
             school="G1", benefits="!XG-5", sex="F", retirement_category=50, birth_date="1979-06-01",
             rural_years=25, work_start="1999-09-01")
    c.person("XG29", xg5 + "参考日2024-12-31（旧规定55周岁）、乡村累计25年的女教师1974-12-30生：2029-12-30退休，早于2029-12-31：不足5年。",
             "must_rotate", school="G1", as_of="2024-12-31", benefits="XG-5", sex="F",
             birth_date="1974-12-30", rural_years=25, work_start="1995-09-01")
    c.person("XG30", xg5 + "同上1974-12-31生：2029-12-31退休，恰为5年。", "must_rotate", school="G1",
             as_of="2024-12-31", benefits="!XG-5", sex="F", birth_date="1974-12-31", rural_years=25,
             work_start="1995-09-01")
    xg6 = "四、（五）：连续两年被确定为不合格等次的，依法解除聘用合同。"
    c.person("XG31", xg6 + "连续两年不合格。", "must_rotate", school="G1",
             penalties="XG-6:contract_terminated@open", unqualified_streak=2, last_rating="unqualified")
    c.person("XG32", xg6 + "只有一年不合格：不解除（学校可调整岗位，不是本条）。", "must_rotate", school="G1",
             penalties="-", unqualified_streak=1, last_rating="unqualified")
    c.refuses_without("nursing", "XG-1d 哺乳期读取“哺乳期”：缺此列不得当作不在哺乳期。")
    c.refuses_without("support_selected", "XG-1b 已选派支教读取“已选派支教”。")
    c.refuses_without("retirement_category", "退休类别缺列时，女教师按55周岁类别计（prelude的具名假设），名册不被拒绝，并在决定中报告此假设。",
                      outcome="assumed", assumed="retirement_category=55")
    return c


CORPORA = (national, fujian, fujian_pilot_district, miyun, shenyang, county_draft, county_exchange,
           county_managed)

if __name__ == "__main__":
    for make in CORPORA:
        corpus = make()
        corpus.write()
        print(f"{corpus.policy}: {len(corpus.teachers)} people, {len(corpus.expected)} expectations")
