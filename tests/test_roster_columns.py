"""A roster lacking a column the policy reads is refused, never decided as if the column were
empty; a value stated for it (by the policy or --assume) is applied and reported; the headers
real exports use are read as their columns (tests/cases/rosters)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.roster.reader import AssumptionError

CASES = "tests/cases/rosters"
SCHOOLS = ["--schools", "examples/schools.csv"]
DRAFT = "policies/county_draft.pol"


def _eval(*args):
    return CliRunner().invoke(cli, ["eval", *args])


@pytest.mark.parametrize("lang, expected", [
    ("en", ["column `on_staff` (在编在岗) is missing", "CD-1", "is the roster's column `在编` this one?",
            "--assume on_staff=true|false"]),
    ("zh", ["缺少列“在编在岗”（on_staff）", "CD-1", "名册中的“在编”是否就是此列？", "--assume 在编在岗=是|否"]),
])
def test_renamed_headers_are_refused_naming_the_column_its_rules_and_the_likely_header(lang, expected):
    """The newcomer's case: `on_staff` renamed 在编 used to decide everyone as not on staff,
    with exit 0. 怀孕 is an alias of 孕期 and reads as pregnant."""
    result = _eval(DRAFT, f"{CASES}/renamed_headers.csv", *SCHOOLS, "--lang", lang)
    assert result.exit_code == 3
    assert "[R011]" in result.stderr and all(text in result.stderr for text in expected)
    assert "pregnant" not in result.stderr and "孕期" not in result.stderr  # 怀孕 was understood
    assert "[R012]" in result.stderr  # 在编 itself is listed as a column nothing reads
    assert result.stdout == ""


def test_a_value_stated_on_the_command_line_is_applied_and_reported(tmp_path):
    original = list(csv.DictReader(open(f"{CASES}/renamed_headers.csv", encoding="utf-8")))
    # the roster's 在编 looks like 在编在岗: stating a value for it would leave its cells unread (R035)
    refused = _eval(DRAFT, f"{CASES}/renamed_headers.csv", *SCHOOLS, "--assume", "在编在岗=是", "--lang", "en")
    assert refused.exit_code == 3 and "[R035]" in refused.stderr and "a column `在编` that looks like it" in refused.stderr
    without = tmp_path / "without.csv"
    with open(without, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [k for k in original[0] if k != "在编"])
        writer.writeheader()
        writer.writerows({k: v for k, v in r.items() if k != "在编"} for r in original)
    result = _eval(DRAFT, str(without), *SCHOOLS, "--assume", "在编在岗=是", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert "[R013]" in result.stderr and "on_staff=true" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 40 and {r["assumptions"] for r in rows} == {"on_staff=true;患病证明=false"}  # (the draft's own default)
    # the same decisions as the roster with the column, everyone on staff
    with open(tmp_path / "t.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, [*original[0], "on_staff"])
        writer.writeheader()
        writer.writerows(r | {"on_staff": "是"} for r in original)
    expected = list(csv.DictReader(io.StringIO(_eval(DRAFT, str(tmp_path / "t.csv"), *SCHOOLS).stdout)))
    assert [r["status"] for r in rows] == [r["status"] for r in expected]
    assert {r["status"] for r in rows} > {"not_eligible"}  # the stated value decides: some must move


def test_a_missing_school_column_is_stated_as_the_message_says_and_every_way_it_may_be_named(tmp_path):
    """The schools file lacks 编制: the message suggests `学校.编制=…` (not `编制=…`, which once
    was refused), and `学校.编制`, `school.staffing` and the school column's own name all state it."""
    import polars as pl

    schools = tmp_path / "schools.csv"
    pl.read_csv("examples/schools.csv", infer_schema=False).drop("staffing").write_csv(schools)
    district = "policies/fujian_pilot_district.pol"
    refused = {lang: _eval(district, "examples/teachers.csv", "--schools", str(schools), "--lang", lang) for lang in ("zh", "en")}
    # (the values it takes, to choose one from: the HR trial's clerk did not know them)
    assert refused["zh"].exit_code == 3 and "声明其取值：--assume 学校.编制=超编|正常|缺编，" in refused["zh"].stderr
    assert "`--assume school.staffing=over|normal|under`" in refused["en"].stderr
    decided = set()
    for stated in ("学校.编制=正常", "school.staffing=normal", "编制=正常", "staffing=normal"):
        result = _eval(district, "examples/teachers.csv", "--schools", str(schools), "--assume", stated, "--lang", "en")
        assert result.exit_code == 0, (stated, result.stderr)
        # written as it is stated (and as the Chinese output reads it): a school's column with `school.`
        assert "[R013]" in result.stderr and {r["assumptions"] for r in csv.DictReader(io.StringIO(result.stdout))} == \
            {"school.staffing=normal"}
        decided.add(result.stdout)
    assert len(decided) == 1


def test_a_year_month_stated_for_an_absent_date_is_said_as_given():
    policy = policylang.load(DRAFT).assuming({"support_end": "2024-09", "学校.编制": "正常"})
    said = {a.field: a.text() for t in (policy.checked.teachers, policy.checked.schools) for a in t.assumed}
    assert said["support_end"] == "support_end=2024-09" and said["staffing"] == "school.staffing=normal"


def test_a_missing_column_the_policy_reads_is_refused_unless_stated():
    refused = _eval(DRAFT, f"{CASES}/without_nursing.csv", *SCHOOLS, "--lang", "en")
    assert refused.exit_code == 3 and "column `nursing` (哺乳期) is missing; CD-2.2c reads it" in refused.stderr
    stated = _eval(DRAFT, f"{CASES}/without_nursing.csv", *SCHOOLS, "--assume", "nursing=no", "--format", "json")
    assert stated.exit_code == 0
    assert {tuple(d["assumptions"]) for d in json.loads(stated.stdout)} == {("nursing=false", "患病证明=false")}
    # a policy that does not read the column decides without it, and says nothing of it
    fine = _eval("policies/shenyang.pol", f"{CASES}/without_nursing.csv", *SCHOOLS)
    assert fine.exit_code == 0 and "nursing" not in fine.stderr


def test_every_reader_refuses_alike(tmp_path):
    """The row reader (XLSX, JSON), the columnar reader (CSV, Parquet, streamed) and the API."""
    import polars as pl

    frame = pl.read_csv(f"{CASES}/without_nursing.csv", infer_schema=False)
    frame.write_parquet(tmp_path / "t.parquet")
    (tmp_path / "t.json").write_text(json.dumps(frame.to_dicts(), ensure_ascii=False), encoding="utf-8")
    for roster in (f"{CASES}/without_nursing.csv", tmp_path / "t.parquet", tmp_path / "t.json"):
        for extra in ([], ["-o", str(tmp_path / "d.csv")]):
            result = _eval(DRAFT, str(roster), *SCHOOLS, "--lang", "en", *extra)
            assert result.exit_code == 3 and "[R011]" in result.stderr, (roster, extra)
    for command in ("quota", "explain"):
        extra = ["--id", "T0001"] if command == "explain" else []
        result = CliRunner().invoke(cli, [command, DRAFT, f"{CASES}/without_nursing.csv", *SCHOOLS, *extra])
        assert result.exit_code == 3 and "[R011]" in result.stderr, command
    diff = CliRunner().invoke(cli, ["diff", "policies/shenyang.pol", DRAFT, f"{CASES}/without_nursing.csv", *SCHOOLS])
    assert diff.exit_code == 3 and "[R011]" in diff.stderr  # the draft reads it
    policy = policylang.load(DRAFT)
    roster = policy.read_roster(f"{CASES}/without_nursing.csv", "examples/schools.csv")
    assert [p.code for p in roster.problems] == ["R011"] and not roster.valid_teachers()


def test_the_headers_real_exports_use_are_read_as_their_columns():
    """出生年月, 是否在编, 教师编号 … in a GB18030 file with a 序号 column: the same decisions as
    the contract's headers; 序号, a form's row numbers, is read by nothing and said by nothing (the
    HR trial: a warning on every run, and --strict refused every county's roster); 是否在编 is read
    as 在编在岗 with a word to check it (R038)."""
    result = _eval(DRAFT, f"{CASES}/alias_headers.csv", *SCHOOLS, "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert "[R012]" not in result.stderr and "[R011]" not in result.stderr
    assert "列“是否在编”按“在编在岗”读取：在编但不在岗（借调、长期病休、脱产进修等）的教师，此列应为“否”，请核对" in result.stderr
    expected = _eval(DRAFT, "examples/teachers.csv", *SCHOOLS, "--lang", "zh").stdout.splitlines()[:41]
    assert result.stdout.splitlines() == expected
    strict = _eval(DRAFT, f"{CASES}/alias_headers.csv", *SCHOOLS, "--strict", "--lang", "en")
    assert strict.exit_code == 0 and "序号" not in strict.stderr
    kept = _eval(DRAFT, f"{CASES}/alias_headers.csv", *SCHOOLS, "--keep", "序号", "--format", "csv")
    assert kept.stdout.splitlines()[0].split(",")[:3] == ["id", "status", "name"] and "序号" in kept.stdout.splitlines()[0]


def test_a_default_the_policy_states_is_applied_and_reported():
    """miyun.pol states 参加交流 (a column of its own) reads as no when the roster lacks it, and the
    contract's 交流任教年限 as 0 years."""
    result = _eval("policies/miyun.pol", "examples/teachers.csv", *SCHOOLS, "--format", "json", "--lang", "zh")
    assert result.exit_code == 0
    assert "[R013]" in result.stderr and "按政策声明的取值“否”处理：名册无“参加交流”列时按“否”处理" in result.stderr
    assert {tuple(d["assumptions"]) for d in json.loads(result.stdout)} == {("exchange_years=0", "参加交流=false")}
    # the command line overrides it
    yes = _eval("policies/miyun.pol", "examples/teachers.csv", *SCHOOLS, "--assume", "参加交流=是", "--format", "json")
    decisions = json.loads(yes.stdout)
    assert {tuple(d["assumptions"]) for d in decisions} == {("exchange_years=0", "参加交流=true")}
    assert any(b["rule"] == "MY-7" for d in decisions for b in d["benefits"])


def test_a_stated_value_must_name_a_column_and_be_of_its_type():
    policy = policylang.load(DRAFT)
    with pytest.raises(AssumptionError, match="did you mean `在编在岗`"):
        policy.assuming({"在编": "是"})
    with pytest.raises(AssumptionError, match="not a yes/no value"):
        policy.assuming({"nursing": "maybe"})
    result = _eval(DRAFT, "examples/teachers.csv", *SCHOOLS, "--assume", "nursing", "--lang", "en")
    assert result.exit_code == 2 and "expected COLUMN=VALUE" in result.stderr


@pytest.mark.parametrize("declaration, message", [
    ("field teacher.nursing: number default 3", "`nursing` is a roster column of type bool"),
    ("field teacher.哺乳期: bool", "`哺乳期` is a roster column already"),
    ("field teacher.哺乳期: bool default 3", "the default of `哺乳期`"),
])
def test_a_roster_column_is_declared_again_only_to_state_a_value_of_its_type(declaration, message):
    from .conftest import HEADER, compile_text

    policy, diagnostics = compile_text(HEADER + declaration + '\nrule R-1 "测试" cite S when nursing then must_rotate\n')
    assert policy is None and any(message in d.en for d in diagnostics), [(d.code, d.en) for d in diagnostics]


def test_the_alias_table_of_the_docs_is_the_code_s():
    from pathlib import Path

    from policylang.lang import schema as S

    documented = {}
    for line in Path("docs/roster.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`"):
            documented[(cells[0], cells[1].strip("`"))] = tuple(cells[3].split("、"))
    coded = {(t.name, f.name): f.aliases for t in (S.TEACHERS, S.SCHOOLS) for f in t.fields if f.aliases}
    assert documented == coded


def test_a_header_read_again_is_mapped_for_its_own_table_and_its_problems_stay_its_own():
    """The header map is kept between reads (a service reads one header with every request):
    the same header for a strict table, or one stating other values, is mapped for that table,
    and a caller adding to what one read returned changes no later read."""
    from policylang.io import roster as R
    from policylang.lang import schema as S

    policy = policylang.load(DRAFT)
    lax = policy.checked.teachers
    strict = lax.reading(dict(lax.reads), lax.assumed, strict=True)
    stating = lax.reading(dict(lax.reads), lax.assumed + (S.Assumption("on_staff", True, "user"),))
    header = ["id", "sex", "birth_date", "school_id", "孕期", "在编", "备注"]
    assert R.map_header("a.csv", lax, header) is R.map_header("a.csv", lax, header)
    codes = {t: ({p.code for p in m.problems}, {w.code for w in m.warnings})
             for t, m in (("lax", R.map_header("a.csv", lax, header)),
                          ("strict", R.map_header("a.csv", strict, header)),
                          ("stating", R.map_header("a.csv", stating, header)))}
    assert "R012" in codes["lax"][1] and "R012" not in codes["lax"][0]
    assert "R012" in codes["strict"][0]
    assert "R011" in codes["lax"][0] and "R013" in codes["stating"][1]
    assert stating.absent_value(stating.field("on_staff")) is True and lax.absent_value(lax.field("on_staff")) is False

    rows = [{"id": "T1", "sex": "女", "birth_date": "1980-01-01", "school_id": "S01", "在编": "是"}]
    first = R.table_from_records(rows, lax)
    said = list(first.problems)
    assert "R011" in {p.code for p in said}  # on_staff: 在编 is not its header
    first.problems.append(said[0])  # a caller adding a problem of its own
    assert R.table_from_records(rows, lax).problems == said
    assert R.map_header("<records>", lax, list(rows[0])).problems == said


@pytest.mark.parametrize("output", [[], ["-o", "{tmp}/d.csv"], ["-o", "{tmp}/d.xlsx"]], ids=["rows", "streamed", "xlsx"])
def test_a_value_stated_for_a_column_the_roster_has_is_said_to_be_unused(output, tmp_path):
    """`--assume 孕期=是` on a roster with 孕期: the roster's values decide (as they did), and the
    user is told the stated value was not used, by every reader."""
    args = [DRAFT, "examples/teachers_zh.csv", "--schools", "examples/schools_zh.csv",
            *(a.format(tmp=tmp_path) for a in output)]
    plain = _eval(*args, "--format", "json") if not output else None
    zh = _eval(*args, "--assume", "孕期=是", "--assume", "school.区域=城区", "--lang", "zh")
    assert zh.exit_code == 0, zh.stderr
    assert "[R025]：名册已有“孕期”列，按名册中的取值作决定；--assume 声明的“孕期=是”未被采用" in zh.stderr
    assert "[R025]：名册已有“区域”列，按名册中的取值作决定；--assume 声明的“区域=城区”未被采用" in zh.stderr
    en = _eval(*args, "--assume", "孕期=是", "--assume", "school.区域=城区", "--lang", "en")
    assert "column `孕期` [R025]: `--assume pregnant=true` is not used: the roster has the column `孕期`, and its " \
           "values decide" in en.stderr
    assert "[R025]: `--assume school.area=urban` is not used: the roster has the column `区域`" in en.stderr
    if plain is not None:  # and nothing changed: the roster decided
        stated = _eval(*args, "--format", "json", "--assume", "孕期=是")
        assert json.loads(stated.stdout) == json.loads(plain.stdout)
    # a value for a column the roster lacks is applied, and not said to be unused
    assert "R025" not in _eval("policies/miyun.pol", "examples/teachers.csv", *SCHOOLS, "--assume", "参加交流=是").stderr


def test_two_character_chinese_renames_get_a_suggestion_and_unrelated_headers_none(tmp_path):
    """孕妇 for 孕期 and 授课 for 任课 share one character of two, in its place, and one no other
    column has: suggested both ways (R012 names the column, R011 the header). Headers real rosters
    carry that share only a common character (学历/学科, 学位/岗位, 序号/工号) get none."""
    header, rest = Path("examples/teachers_zh.csv").read_bytes().decode("gb18030").split("\n", 1)
    header = header.replace("孕期", "孕妇").replace("任课", "授课")
    roster = tmp_path / "t.csv"
    roster.write_text(header.rstrip("\r") + ",学历,学位,序号,民族,备注\n"
                      + "\n".join(line.rstrip("\r") + ",本科,学士,1,汉族," for line in rest.splitlines()) + "\n",
                      encoding="utf-8")
    result = _eval("policies/fujian_pilot_district.pol", str(roster), "--schools", "examples/schools_zh.csv",
                   "--lang", "zh")
    assert result.exit_code == 3
    assert "列“孕妇”不是名册规定的列：不会被读取；是否应为“孕期”？" in result.stderr
    assert "列“授课”不是名册规定的列：不会被读取；是否应为“任课”？" in result.stderr
    assert "缺少列“孕期”（pregnant）" in result.stderr and "名册中的“孕妇”是否就是此列？" in result.stderr
    assert "名册中的“授课”是否就是此列？" in result.stderr
    for unrelated in ("学历", "学位", "民族", "备注"):
        # read by nothing, and not in the decisions unless asked: the way to ask is said
        assert (f"列“{unrelated}”不是名册规定的列：不会被读取，结论文件中也不含此列（如需带出，请加 --keep {unrelated}）\n"
                in result.stderr), unrelated
    assert "序号" not in result.stderr  # a form's row numbers: no column misnamed


def test_did_you_mean_for_short_chinese_names():
    from policylang.core.diagnostics import did_you_mean
    from policylang.lang.schema import SCHOOLS as SCHOOL_TABLE
    from policylang.lang.schema import TEACHERS

    names = [key for f in TEACHERS.fields for key in (f.name, f.zh)]
    assert did_you_mean("孕妇", names) == "孕期" and did_you_mean("授课", names) == "任课"
    assert did_you_mean("产期", names) == "产假"
    assert did_you_mean("是否孕期", names) == "孕期" and did_you_mean("富裕学科", names) == "富余学科"  # as before
    for unrelated in ("学历", "学位", "序号", "民族", "备注", "籍贯", "电话", "年龄", "职级", "专业", "编号"):
        assert did_you_mean(unrelated, names) is None, unrelated
    school_names = [key for f in SCHOOL_TABLE.fields for key in (f.name, f.zh)]
    assert did_you_mean("地区", school_names) is None  # 区 is in 区域 and 片区: which one is not known
    assert did_you_mean("孕妇", ["孕期", "怀孕"]) is None  # 孕 is in two candidates: which one is not known
    assert did_you_mean("ab", ["ac"]) is None  # letters keep difflib's measure


def test_a_header_of_thousands_of_unknown_names_lists_each_once_and_hints_the_first_two_hundred():
    """A record of 16,000 unknown keys took the service 11 s: each name was looked up among
    those before it, and each given a fuzzy did-you-mean. Now a set, and hints for the first
    200 (a real roster has about 40 columns). Of a sheet, those without a hint are said in one
    problem, counting them (``count``); a record's keys each in its own (the service names the
    record giving each)."""
    from policylang.io.roster.header import map_header

    policy = policylang.load("policies/fujian_pilot_district.pol")
    header = ["id", "nursng", *(f"nursng{i:05d}" for i in range(5000)), "nursng"]
    unknown = [w for w in map_header("<records>", policy.checked.teachers, header).warnings if w.code == "R012"]
    assert [w.column for w in unknown] == header[1:-1]  # each once, in the header's order
    assert "did you mean `nursing`?" in unknown[0].message("en")
    assert "did you mean" in unknown[199].message("en") and "did you mean" not in unknown[200].message("en")
    *hinted, rest = [w for w in map_header("t.csv", policy.checked.teachers, header).warnings if w.code == "R012"]
    assert [w.column for w in hinted] == header[1:201] and all("did you mean" in w.message("en") for w in hinted)
    assert (rest.column, rest.count) == (None, 4801)  # each of the others once
    assert rest.message("zh").startswith("有 4801 列不是名册规定的列，不会被读取：“nursng00199”、“nursng00200”")


@pytest.mark.parametrize("header", ["进本校年月", "调入本校年月"])
def test_the_national_system_s_header_for_the_date_of_joining_the_school(header):
    """The national teacher-management system exports the date of joining the current school
    as 进本校年月 or 调入本校年月: read as 到校时间, by every reader (the header map is theirs)."""
    from policylang.lang import schema as S

    assert S.TEACHERS.header_field(header).name == "school_start"
    teachers = list(csv.DictReader(io.StringIO(Path("examples/teachers.csv").read_text(encoding="utf-8"))))
    schools = list(csv.DictReader(io.StringIO(Path("examples/schools.csv").read_text(encoding="utf-8"))))
    renamed = [{(header if k == "school_start" else k): v for k, v in t.items()} for t in teachers]
    roster = policylang.load(DRAFT).roster_from_records(renamed, schools)
    assert not roster.problems and roster.teachers[0].values["school_start"] is not None


def test_the_clauses_that_read_a_missing_column_are_named_in_plain_chinese():
    """No stray space after 等 (JA-3 等 需要读取); a space after an id, before a Chinese word."""
    from policylang.io.roster.problems import _readers

    assert _readers(["JA-1"])[1] + "需要读取" == "JA-1 需要读取"
    assert _readers([f"R-{i}" for i in range(7)])[1] + "需要读取" == "R-0、R-1、R-2、R-3、R-4 等需要读取"


def test_a_missing_column_a_policy_declares_in_chinese_is_named_once(tmp_path):
    """A county's own column has one name: 缺少列“支教中止日期”（支教中止日期） named it twice (drafter
    trial dr25)."""
    policy = tmp_path / "c.pol"
    policy.write_text(Path(DRAFT).read_text(encoding="utf-8").split("\nrule ", 1)[0] + '''
field teacher.支教中止日期: date "支教中止的日期"

rule X-1 "支教中止者须交流"
  when 支教中止日期 <= as_of
  then must_rotate
''', encoding="utf-8")
    refused = _eval(str(policy), "examples/teachers.csv", *SCHOOLS, "--lang", "zh")
    assert refused.exit_code == 3, refused.output
    assert "缺少列“支教中止日期”，X-1 需要读取此列" in refused.stderr, refused.stderr
    refused = _eval(str(policy), "examples/teachers.csv", *SCHOOLS, "--lang", "en")
    assert "column `支教中止日期` is missing; X-1 reads it" in refused.stderr, refused.stderr
