"""The small commands a drafter reaches for: ``try`` (an ad-hoc person), ``init`` (a county file
to start from) and ``fields`` (every name a policy can use)."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
from click.testing import CliRunner

from policylang import api
from policylang.cli import cli
from policylang.core.i18n import word

from tests.conftest import POLICIES


def run(*args, lang="en"):
    return CliRunner().invoke(cli, ["--lang", lang, *args], catch_exceptions=False)


FUJIAN = str(POLICIES / "fujian.pol")
PERSON_ZH = ("性别=女", "出生日期=1985-03-15", "参加工作时间=2008-09-01", "到校时间=2015-09-01", "岗位=教师",
             "区域=城区", "学段=小学")
PERSON_EN = ("sex=F", "birth_date=1985-03-15", "work_start=2008-09-01", "school_start=2015-09-01", "post=teacher",
             "school.area=urban", "school.stage=primary")


# ---- try -------------------------------------------------------------------------------------

def decided(policy_path: str, teacher: dict, school: dict, **kwargs):
    """The decision the API makes for the person, every column the policy reads and the
    person lacks stated empty, as `try` states them."""
    policy = api.load(policy_path)
    absent = {name: "" for name in policy.reads if name not in teacher and name.removeprefix("school.") not in school}
    return policy.assuming(absent).decide({"id": "try", **teacher}, school, **kwargs)


def test_try_in_chinese_decides_as_the_api_and_explains():
    result = run("try", FUJIAN, *PERSON_ZH, lang="zh")
    assert result.exit_code == 0, result.output
    expected = decided(FUJIAN, {"sex": "F", "birth_date": "1985-03-15", "work_start": "2008-09-01",
                                "school_start": "2015-09-01", "post": "teacher", "on_staff": "true"},  # (try's default)
                       {"area": "urban", "stage": "primary"})
    assert expected.status == "must_rotate" and expected.rule == "FJ-2"
    assert f"结论：{word(expected.status, 'zh')}（依据规则 {expected.rule}）" in result.output
    assert "✓ FJ-2 在同一所学校任教满6年的教师" in result.output  # the explanation, rule by rule
    # what the policy reads and was not given is said, in the names the user would type
    assert "以下各项未给出，按空白处理：" in result.output and "孕期" in result.output
    assert "学校.学段" not in result.output  # given as 学段=小学


def test_try_in_english_with_school_prefix_and_an_exemption():
    result = run("try", FUJIAN, *PERSON_EN, "pregnant=yes")
    assert result.exit_code == 0, result.output
    assert "status: exempt (FJ-2 applies, set aside by FJ-X2)" in result.output
    assert "exemption: pregnancy" in result.output
    assert "pregnant" not in result.output.split("\n")[0]  # given, so not among the absent


def test_try_with_set_and_as_of_changes_the_decision():
    result = run("try", FUJIAN, *PERSON_EN, "--set", "teacher_tenure=11 years")
    assert "status: not eligible" in result.output
    result = run("try", FUJIAN, *PERSON_EN, "--as-of", "2016-09-01")
    assert "reference date 2016-09-01" in result.output and "status: not eligible" in result.output


def test_try_unknown_field_gets_did_you_mean():
    result = run("try", FUJIAN, *PERSON_ZH[1:], "性别=女", "出身日期=1985-03-15", lang="zh")
    assert result.exit_code == 2
    assert "`出身日期` 不是名册字段；是否应为 `出生日期`？" in result.output
    result = run("try", FUJIAN, *PERSON_EN, "pregnat=yes")
    assert result.exit_code == 2 and "did you mean `pregnant`?" in result.output


def test_try_masks_an_id_number_typed_as_a_value_or_a_key():
    """`try`'s lines are pasted into tickets: a value it refuses was shown as typed beside the problem
    that masked it (出生日期=110105800301002: `***************` is not a date), and a key not known whole."""
    result = run("try", FUJIAN, *PERSON_ZH[1:], "性别=女", "出生日期=110105800301002", lang="zh")
    assert result.exit_code == 2 and "出生日期=" + "*" * 15 in result.output and "110105800301002" not in result.output
    result = run("try", FUJIAN, *PERSON_EN, "110105198003010028=1")
    assert result.exit_code == 2 and "`110105********0028` is no roster field" in result.output
    assert "110105198003010028" not in result.output


def test_try_says_a_computed_name_is_counted_from_the_fields_it_reads():
    """The analyst typed `本校任教年限=6` and was asked whether they meant 薄弱学校任教年限: it is
    counted from 到校时间, which is what to give."""
    zh = run("try", FUJIAN, "性别=女", "出生日期=1985-03-15", "参加工作时间=2008-09-01", "区域=城区", "学段=小学",
             "本校任教年限=6", lang="zh")
    assert zh.exit_code == 2 and "`本校任教年限` 由名册字段算出，不能直接给出：请给出 到校时间=…" in zh.output
    assert "薄弱学校任教年限" not in zh.output
    en = run("try", FUJIAN, "sex=F", "birth_date=1985-03-15", "work_start=2008-09-01", "school_start=2015-09-01",
             "school.area=urban", "school.stage=primary", "fj_scope=yes")
    assert "`fj_scope` is computed from roster fields, not given: give school.stage=…, teaching_stage=…" in en.output


def test_try_bad_values_get_did_you_mean_and_no_decision():
    result = run("try", FUJIAN, *PERSON_ZH, "区域=城区域", "职称=高级教", lang="zh")
    assert result.exit_code == 2
    assert "区域=城区域：" in result.output and "；是否应为“城区”？" in result.output  # as typed
    assert result.output.count("是否应为“高级教师”？") == 1
    alike = run("try", FUJIAN, *PERSON_ZH, "区域=城", lang="zh")  # as near 城区 as 县城: no guess
    assert alike.exit_code == 2 and "区域=城：" in alike.output and "是否应为" not in alike.output
    assert "结论" not in result.output
    assert "school_id" not in result.output  # the consequence (the school row is invalid) is not repeated
    result = run("try", FUJIAN, *PERSON_EN[:-1], "school.stage=primry")
    assert result.exit_code == 2 and "did you mean `primary` (小学)?" in result.output


def test_try_says_what_an_id_number_gives_when_the_person_disagrees_with_it_in_the_words_typed():
    """The number is a man's (its 17th digit is odd): the message names the fields as typed and
    what the number gives, and suggests nothing else (女 is a valid code)."""
    man = "110105198503150019"
    result = run("try", FUJIAN, *PERSON_ZH, f"身份证号={man}", lang="zh")
    assert result.exit_code == 2
    assert result.output.strip() == ("性别=女：性别“女”与身份证号 110105********0019（“身份证号”列）不符：按身份证号应为“男”")
    english = run("try", FUJIAN, *PERSON_EN, f"id_number={man}")
    assert english.output.strip() == ("sex=F: sex `F` disagrees with the ID number 110105********0019 (column "
                                      "`id_number`), which gives `M (男)`")
    # a birth date: which part differs, never the ID's date beside its shown digits (they would be the whole number)
    born = run("try", FUJIAN, *PERSON_ZH[:1], "出生日期=1985-04-15", *PERSON_ZH[2:], "身份证号=110105198503150027",
               lang="zh")
    assert born.output.strip() == ("出生日期=1985-04-15：出生日期“1985-04-15”与身份证号 110105********0027（“身份证号”列）"
                                   "不符：与其中的出生日期月不同")
    assert "19850315" not in born.output and "1985-03-15" not in born.output
    both = run("try", FUJIAN, *PERSON_EN[:1], "birth_date=1986-03-16", *PERSON_EN[2:], "id_number=110105198503150027")
    assert "the year and day of the birth date in it differ" in both.output and "1985" not in both.output


def test_try_without_a_required_field_says_which():
    result = run("try", FUJIAN, "sex=F", "post=teacher")
    assert result.exit_code == 2
    assert "also give: birth_date=… school_start=… work_start=…" in result.output
    assert run("try", FUJIAN, *PERSON_EN, "nonsense").exit_code == 2


PRINCIPAL = ("sex=F", "birth_date=1975-09-01", "post=principal", "school_start=2010-09-01", "work_start=1995-09-01",
             "post_start=2010-09-01")


def test_try_says_which_rules_a_missing_value_left_undecided():
    # no school stage: the principal rules cannot be judged, and the status is no plain 不在交流范围
    # (nor is the section: a school of no known stage may be a 完中)
    zh = run("try", FUJIAN, *PRINCIPAL, lang="zh").output
    assert "结论：不在交流范围\n待核实：FJ-3b、FJ-3 因缺少数据无法判断（任教学段、学校学段为空），数据补全后结论可能不同" in zh
    en = run("try", FUJIAN, *PRINCIPAL, "school.area=urban").output
    assert "to check: FJ-3b, FJ-3 could not be decided (teaching_stage, school.stage empty)" in en
    decided = run("try", FUJIAN, *PRINCIPAL, "school.area=urban", "school.stage=primary", lang="zh").output
    assert "结论：须交流（依据规则 FJ-3b）" in decided and "待核实" not in decided
    # 任教学段 is read as empty only where it is a missing value: at a 完中 (as code or label), not a 小学
    assert "按空白处理" not in decided
    for stage in ("complete", "完全中学"):
        at_complete = run("try", FUJIAN, *PRINCIPAL, "school.area=urban", f"school.stage={stage}", lang="zh").output
        assert "以下各项未给出，按空白处理：任教学段" in at_complete


def test_try_lists_as_not_given_only_what_a_decision_reads():
    """A field a quota alone reads (学校代码 to group a school's movers; national.pol's 区域, 优质学校
    and 骨干级别 for the share of movers, NA-1a and NA-1b) decides no one: `try` listed 学校.学校代码 among
    the values read as empty, and those with a test's start among the defaults (drafter trial dr28)."""
    national = str(POLICIES / "national.pol")
    tried = run("try", national, "性别=男", "出生日期=1970-01-01", "参加工作时间=2000-09-01", "到校时间=2010-09-01",
                "岗位=校长", "任现职时间=2012-09-01", "学校.学段=小学", lang="zh")
    assert tried.exit_code == 0, tried.output
    assert tried.output.startswith("以下各项未给出，按测试的默认值：在编在岗=是、职称=未定级\n\n试算")
    for unread in ("学校代码", "区域", "优质学校", "骨干级别"):
        assert unread not in tried.output.partition("试算")[0]
    assert "结论：须交流（依据规则 NA-1p）" in tried.output


def test_try_names_the_principal_post_as_an_appointment_not_a_title():
    vice = [a.replace("post=principal", "post=vice_principal") for a in PRINCIPAL]
    out = run("try", FUJIAN, *vice, "school.area=urban", "school.stage=primary", lang="zh").output
    assert "\n任校长：未满足 FJ-5\n" in out and "职称晋升 校长" not in out
    assert "晋升一级教师：" in out
    assert "appointment as principal: not met FJ-5" in run("try", FUJIAN, *vice, "school.area=urban",
                                                            "school.stage=primary").output


def test_an_exempt_status_names_the_rule_set_aside_and_the_exemption():
    out = run("try", FUJIAN, *PERSON_ZH, "孕期=是", lang="zh").output
    assert "结论：免于交流（本应依 FJ-2 交流，因 FJ-X2 豁免）" in out
    assert "exempt (FJ-2 applies, set aside by FJ-X2)" in run("try", FUJIAN, *PERSON_EN, "pregnant=true").output


# ---- init ------------------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    shutil.copy(POLICIES / "fujian_pilot_district.pol", tmp_path / "fujian_pilot_district.pol")
    return tmp_path


def test_init_writes_a_county_file_that_checks_and_tests(folder):
    new = folder / "青溪县.pol"
    result = run("init", "--extends", str(folder / "fujian_pilot_district.pol"), str(new))
    assert result.exit_code == 0, result.output
    text = new.read_text("utf-8")
    assert 'extends "fujian_pilot_district.pol"' in text
    assert 'policy "青溪县教师交流轮岗实施办法（草稿）"' in text and 'jurisdiction "青溪县"' in text
    # every parameter of the chain, with its value as the base wrote it, under the file that set it
    assert '# override parameter teacher_tenure = 6 years "教师在同一所学校任教满此年限须列为交流对象（FJ-2）"' in text
    assert "# override parameter age_cap_female = 50 years" in text
    assert text.index("# (fujian.pol)") < text.index("teacher_tenure") < text.index("# (fujian_pilot_district.pol)")
    assert "#   JA-1  55周岁以下" in text
    for command in ("check", "test"):
        assert run(command, str(new)).exit_code == 0
    assert run("fmt", "--check", str(new)).exit_code == 0
    # the example test expects what the county file decides
    policy = api.load(new)
    assert [r.passed for r in policy.test()] == [True]


def test_init_scaffold_comments_can_be_uncommented(folder):
    new = folder / "county.pol"
    run("init", "--extends", str(folder / "fujian.pol"), str(new))
    text = new.read_text("utf-8")
    text = text.replace("# override parameter teacher_tenure = 6 years", "override parameter teacher_tenure = 5 years")
    text = "\n".join(line[2:] if line.startswith(("# parameter", "# rule", "#   cite", "#   when", "#   then")) else line
                     for line in text.splitlines())
    new.write_text(text, "utf-8")
    policy = api.load(new)
    assert policy.parameters["teacher_tenure"] == 5
    assert "本县第三条" in {r.id for r in policy.checked.rules}
    assert policy.parameters["county_tenure"] == 5  # the county's own number, which a what-if can move
    assert not [d for d in policy.checked.diagnostics if d.code == "L305"]  # the source is now cited
    # the example repeal, uncommented, repeals with its reason and citation
    repeal = next(line for line in text.splitlines() if line.startswith("# repeal "))
    assert repeal == '# repeal FJ-5 "reason" cite 本县 "section"'
    new.write_text(text.replace(repeal, repeal[2:]), "utf-8")
    (repealed,) = api.load(new).checked.repealed
    assert repealed.id == "FJ-5" and [c.short() for c in repealed.repeal_cites] == ["本县 section"]


def test_init_in_chinese_writes_a_chinese_file(folder):
    # an official's scaffold: Chinese comments, fields, codes and status; the example rule works
    new = folder / "青溪县.pol"
    assert run("init", "--extends", str(folder / "fujian.pol"), str(new), lang="zh").exit_code == 0
    text = new.read_text("utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#") and "override parameter" not in line
                and not line.startswith("#   FJ-")]
    assert not [line for line in comments if re.search(r"\b(the|this|to|remove|Written)\b", line)], comments
    assert "性别: 女" in text and "区域: 城区, 学段: 小学" in text and "expect status 须交流" in text
    assert "#   when 岗位 = 教师 and 义务教育学校 and 本校任教年限 at least 本县任教年限" in text
    assert '# parameter 本县任教年限 = 5 年 "在同一所学校任教满此年限的教师须交流（本县第三条）"' in text
    assert run("test", str(new)).exit_code == 0 and run("fmt", "--check", str(new)).exit_code == 0
    text = "\n".join(line[2:] if line.startswith(("# parameter", "# rule", "#   cite", "#   when", "#   then")) else line
                     for line in text.splitlines())
    new.write_text(text, "utf-8")
    rule = next(r for r in api.load(new).checked.rules if r.id == "本县第三条")
    assert rule.outcome == "must_rotate"


def test_init_refuses_to_overwrite_or_to_extend_outside_its_folder(folder):
    new = folder / "county.pol"
    new.write_text("# mine\n", "utf-8")
    result = run("init", "--extends", str(folder / "fujian.pol"), str(new))
    assert result.exit_code == 2 and "--force" in result.output
    assert new.read_text("utf-8") == "# mine\n"
    assert run("init", "--extends", str(folder / "fujian.pol"), "--force", str(new)).exit_code == 0
    (folder / "sub").mkdir()
    result = run("init", "--extends", str(folder / "fujian.pol"), str(folder / "sub" / "x.pol"))
    assert result.exit_code == 2 and "a folder above it" in result.output
    assert not (folder / "sub" / "x.pol").exists()


def test_init_from_a_folder_above_the_base(folder):
    (folder / "base").mkdir()
    shutil.move(folder / "fujian.pol", folder / "base" / "fujian.pol")
    result = run("init", "--extends", str(folder / "base" / "fujian.pol"), str(folder / "县.pol"), lang="zh")
    assert result.exit_code == 0 and "已写入" in result.output
    assert 'extends "base/fujian.pol"' in (folder / "县.pol").read_text("utf-8")
    assert run("test", str(folder / "县.pol")).exit_code == 0


# ---- fields ----------------------------------------------------------------------------------

def test_fields_json_lists_fields_codes_parameters_and_definitions():
    result = run("fields", str(POLICIES / "miyun.pol"), "--format", "json")
    assert result.exit_code == 0
    terms = {(t["kind"], t["name"]): t for t in json.loads(result.output)}
    sex = terms[("field", "sex")]
    assert sex["zh"] == "性别" and sex["codes"] == [{"code": "M", "zh": "男"}, {"code": "F", "zh": "女"}]
    assert terms[("field", "birth_date")]["type"] == {"en": "date", "zh": "日期"}
    assert terms[("field", "rural_years")]["type"] == {"en": "number in years", "zh": "以年计的数"}
    assert terms[("school_field", "school.area")]["zh"] == "区域"
    assert ("field", "参加交流") in terms  # the policy's own field
    policy = api.load(POLICIES / "miyun.pol")
    params = [t for t in terms.values() if t["kind"] == "parameter"]
    assert {t["name"] for t in params} == set(policy.parameters)
    assert all(t["origin"] for t in params)
    assert terms[("definition", "age")]["zh"] == "年龄"
    assert {name for kind, name in terms if kind == "definition"} == set(policy.checked.definitions)
    assert terms[("outcome", "must_rotate")]["zh"] == "须交流"
    assert terms[("direction", "to_mountain")]["zh"] == "到山区学校"
    reads = {t["name"].removeprefix("school.") for t in terms.values() if t.get("read")}
    assert reads == {name.removeprefix("school.") for name in policy.reads}


def test_fields_text_in_both_languages():
    zh = run("fields", FUJIAN, lang="zh").output
    assert "教师字段（名册列）" in zh and "参数（可用 override parameter 或 --set 修改）" in zh
    assert "teacher_tenure" in zh and "6年" in zh and "到校时间" in zh
    en = run("fields", FUJIAN).output
    assert "Teacher fields (roster columns)" in en and "6 years" in en and "number in years" in en
    # written to a pipe or a file, no name is cut across lines (`retirement_categ` / `ory`): it is copied whole
    import policylang

    names = [t.name for t in policylang.load(FUJIAN).terms() if t.kind in ("field", "school_field", "parameter", "definition")]
    words = {w for line in zh.splitlines() for w in line.replace("│", " ").split()}
    assert [n for n in names if n not in words and f"school.{n}" not in words] == []


def test_init_a_file_name_with_quotes_and_spaces_still_checks(folder):
    new = folder / '青"溪 县.pol'
    assert run("init", "--extends", str(folder / "fujian.pol"), str(new)).exit_code == 0
    assert 'jurisdiction "青溪县"' in new.read_text("utf-8")
    assert run("test", str(new)).exit_code == 0


def test_try_starts_a_field_not_given_as_a_test_does_and_says_so():
    from click.testing import CliRunner

    from policylang.cli import cli

    args = ["try", "policies/fujian.pol", "性别=女", "出生日期=1985-03-15", "参加工作时间=2008-09-01",
            "到校时间=2015-09-01", "区域=城区", "学段=小学", "--lang", "zh"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    defaults = next(line for line in result.output.splitlines() if line.startswith("以下各项未给出，按测试的默认值："))
    assert "岗位=教师" in defaults and "在编在岗=是" in defaults and "结论：须交流" in result.output
    assert "以下各项未给出，按空白处理：任现职时间" in result.output
    given = CliRunner().invoke(cli, args + ["岗位=职员"])  # given, it is used as given
    assert "结论：不在交流范围" in given.output and "岗位=教师" not in given.output


def test_a_definition_in_an_explanation_reads_by_its_title_in_chinese():
    """fj_scope is the drafter's name; 义务教育阶段学校（FJ-1） what an official reads. The name
    stays beside the title, and an English explanation, or a definition a missing value left
    open, shows the values as before."""
    zh = run("try", FUJIAN, *PRINCIPAL, "school.area=urban", "school.stage=primary", lang="zh").output
    assert "      ✓ 义务教育阶段学校（FJ-1）   （fj_scope）\n" in zh
    assert "（fj_scope = 是）" not in zh
    en = run("try", FUJIAN, *PRINCIPAL, "school.area=urban", "school.stage=primary").output
    assert "      ✓ fj_scope   (fj_scope = yes)\n" in en
    open_ = run("try", FUJIAN, *PRINCIPAL, lang="zh").output
    # its description, its note left out; and the values inside it that left it open
    assert "? 义务教育阶段学校   （义务教育阶段学校 = （空）；学校.学段 = （空）；任教学段 = （空））" in open_


def test_explain_and_diff_name_the_earlier_version_of_a_penalty(tmp_path, monkeypatch):
    """A county file in force later than its province, with its own version of a penalty: the
    person whose refusal came before it is judged by the province's version, which `explain`
    and `diff` name as the province's, in both languages."""
    (tmp_path / "province.pol").write_text(
        'policy "省"\n  effective 2006-08-01\n  as of 2025-09-01\nsource S "省办法"\n'
        'penalty P-1 "拒绝交流：三年内不得评优" cite S "第九条"\n  after refused_exchange\n'
        '  effect no_awards "不得评优" for 3 years\n', encoding="utf-8")
    (tmp_path / "county.pol").write_text(
        'extends "province.pol"\npolicy "县"\n  effective 2024-01-01\nsource C "县办法"\n'
        'override penalty P-1 "拒绝交流：五年内不得评优" cite C "第五条"\n  after refused_exchange\n'
        '  effect no_awards "五年内不得评优" for 5 years\n', encoding="utf-8")
    (tmp_path / "t.csv").write_text(
        "id,sex,birth_date,school_id,school_start,work_start,refused_exchange\n"
        "T1,女,1980-01-01,S1,2020-09-01,2000-09-01,2023-06-01\nT2,女,1980-01-01,S1,2020-09-01,2000-09-01,2024-06-01\n",
        encoding="utf-8")
    (tmp_path / "s.csv").write_text("school_id\nS1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    explained = run("explain", "county.pol", "t.csv", "--schools", "s.csv", "--id", "T1", lang="zh").output
    assert "✓ P-1（province.pol 的版本）拒绝交流：三年内不得评优 — 正在执行（五年内不得评优 至 2026-06-01）" in explained
    assert "✓ 拒绝交流日期 < 2024-01-01" in explained  # (its effect worded as now: L311 warned the drafter)
    assert "✗ P-1 拒绝交流：五年内不得评优 — 未触发" in explained
    english = run("explain", "county.pol", "t.csv", "--schools", "s.csv", "--id", "T2").output
    assert "✓ P-1 拒绝交流：五年内不得评优 — in force (no_awards until 2029-06-01)" in english
    assert "✗ P-1 (the version of province.pol) 拒绝交流：三年内不得评优 — not triggered" in english
    diff = run("diff", "province.pol", "county.pol", "t.csv", "--schools", "s.csv", lang="zh").output
    assert ("修改惩处 P-1“拒绝交流：五年内不得评优”：标题 拒绝交流：三年内不得评优 → 拒绝交流：五年内不得评优；"
            "出处 S 第九条 → C 第五条；效果 不得评优（3年） → 五年内不得评优（5年）\n") in diff and "新增惩处 P-1（province.pol 的版本，用于本文件生效前的事件）" in diff
    assert "共 2 人，决定有变化 1 人" in diff  # T1's penalty is the province's, as before
    # each side's penalty in that side's words (the county reworded the effect)
    run("diff", "province.pol", "county.pol", "t.csv", "--schools", "s.csv", "-o", "people.csv", lang="zh")
    people = (tmp_path / "people.csv").read_text(encoding="utf-8-sig")
    assert ",P-1 不得评优（至2027-06-01）," in people and ",P-1 五年内不得评优（至2029-06-01）," in people


def test_an_eligible_rule_an_exemption_defeats_is_explained_as_set_aside_not_as_exempt():
    """A teacher who does not teach, under the district's JA-3 (eligible) and its exemption JA-9:
    the decision is 不在交流范围, and the explanation must not say 免于交流 (the status of an
    exempted must_rotate rule), which contradicted it."""
    district = str(POLICIES / "fujian_pilot_district.pol")
    person = ("性别=女", "出生日期=1999-03-15", "参加工作时间=2023-09-01", "到校时间=2023-09-01", "岗位=教师",
              "任课=否", "区域=城区", "学段=小学")
    zh = run("try", district, *person, lang="zh").output
    assert "结论：不在交流范围" in zh
    assert "! JA-3 其他在职教师可由学校建议交流，或个人申请交流 — 适用，但因豁免条款不列入该范围：JA-9" in zh
    assert "免于交流：JA-9" not in zh
    en = run("try", district, *person).output
    assert "— applies, but set aside by JA-9" in en


def test_a_diff_says_a_moved_effective_date_and_what_it_moves_and_keeps_a_sweep_in_its_workbook(tmp_path,
                                                                                                 monkeypatch):
    """A draft that only moves its `effective` date: the diff lists the date, and the penalty
    whose events now count from it as that (not a bare "changed", which the drafter had not
    touched); two files of one title are told apart by their names; a sweep written to XLSX is
    a sheet of its own (it was dropped), and to CSV is said to be left out."""
    import openpyxl

    text = ('policy "县"\n  effective {date}\n  as of 2025-09-01\nsource S "办法"\n'
            'parameter age_cap = 50 years "女教师交流年龄上限"\n'
            'rule R-1 "测" cite S\n  when age at most age_cap\n  then must_rotate\n'
            'penalty P-1 "拒绝交流" cite S\n  after refused_exchange\n  effect no_awards "不得评优" for 3 years\n')
    (tmp_path / "base.pol").write_text(text.format(date="2010-09-01"), encoding="utf-8")
    (tmp_path / "draft.pol").write_text(text.format(date="2024-01-01"), encoding="utf-8")
    (tmp_path / "t.csv").write_text(
        "id,sex,birth_date,school_id,school_start,work_start,refused_exchange\n"
        "T1,女,1980-01-01,S1,2020-09-01,2000-09-01,2023-06-01\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text("school_id\nS1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    zh = run("diff", "base.pol", "draft.pol", "t.csv", "--schools", "s.csv", lang="zh").stdout  # (R013 on stderr)
    assert zh.startswith("县（base.pol）  →  县（draft.pol）\n")
    assert "  - 生效日期：2010-09-01 → 2024-01-01\n  - 修改惩处 P-1：只计 2024-01-01 起发生的事件（原为 2010-09-01 起）\n" in zh
    en = run("diff", "base.pol", "draft.pol", "t.csv", "--schools", "s.csv").stdout
    assert "  - penalty P-1 counts events from 2024-01-01 (was from 2010-09-01)\n" in en
    run("diff", "base.pol", "draft.pol", "t.csv", "--schools", "s.csv", "--sweep", "age_cap=44..46", "-o", "d.xlsx",
        lang="zh")
    book = openpyxl.load_workbook(tmp_path / "d.xlsx")
    assert book.sheetnames == ["结论变化", "概况", "结论转移", "变化原因", "分项统计", "参数扫描", "说明"]
    assert [[c.value for c in row] for row in book["参数扫描"].iter_rows()] == [
        ["age_cap（女教师交流年龄上限）取值", "决定有变化的人数", "其中结论改变的人数"],
        ["44周岁", 1, 1], ["45周岁", 1, 0], ["46周岁", 1, 0]]  # (T1, 45: out of the cap of 44 alone)
    said = CliRunner().invoke(cli, ["--lang", "zh", "diff", "base.pol", "draft.pol", "t.csv", "--schools", "s.csv",
                                    "--sweep", "age_cap=44..46", "-o", "d.csv"])
    assert "参数扫描的结果未写入 CSV" in said.output


def test_an_unknown_parameter_is_matched_against_what_the_policy_calls_each_or_they_are_listed():
    """An official types the parameter as the policy describes it (女教师年龄上限 for the
    description 女教师交流年龄上限): the name is offered; a word that could be several lists
    every parameter with what it is."""
    near = run("eval", str(POLICIES / "fujian_pilot_district.pol"), "examples/teachers.csv", "--schools", "examples/schools.csv",
               "--set", "女教师年龄上限=45", lang="zh")
    assert near.exit_code == 2
    assert "未知参数 `女教师年龄上限`；是否应为 `age_cap_female`（女教师交流年龄上限）？" in near.output
    vague = run("eval", str(POLICIES / "fujian_pilot_district.pol"), "examples/teachers.csv", "--schools", "examples/schools.csv", "--set", "年龄=45",
                lang="zh")
    assert "未知参数 `年龄`；本政策的参数：teacher_tenure（" in vague.output
    assert "age_cap_female（女教师交流年龄上限）" in vague.output


def test_a_diff_s_list_of_people_says_how_many_it_leaves_out_and_names_them():
    """The text report's list is cut at --limit: it says so, with the total and how to see all;
    each person is named beside the id (the roster's 姓名)."""
    district = str(POLICIES / "fujian_pilot_district.pol")
    full = run("diff", FUJIAN, district, "examples/teachers.csv", "--schools", "examples/schools.csv", lang="zh").output
    total = int(re.search(r"决定有变化 (\d+) 人", full).group(1))
    assert total > 2
    cut = run("diff", FUJIAN, district, "examples/teachers.csv", "--schools", "examples/schools.csv", "--limit", "2",
              lang="zh").output
    assert f"有变化的人员（前 2 名，共 {total} 人；--limit {total} 或 -o 文件.csv 可列出全部）：" in cut
    listed = cut.split("有变化的人员", 1)[1].splitlines()[1:3]
    names = {r["id"]: r["name"] for r in csv.DictReader(open("examples/teachers.csv", encoding="utf-8-sig"))}
    assert all(line.startswith(f"  {i} {names[i]}：") for line in listed for i in [line.split()[0]])


def test_a_word_for_a_task_another_command_does_points_to_it():
    """`policylang sweep` suggested `serve` (spelt alike); a sweep is diff's --sweep."""
    said = CliRunner().invoke(cli, ["--lang", "zh", "sweep"])
    assert said.exit_code == 2
    assert "没有 `sweep` 这个命令；参数扫描请用 `policylang diff 原政策 草案 教师名册 --schools 学校名册 --sweep 参数=起..止`" \
        in said.output and "serve" not in said.output
    assert "comparing two policies is `policylang diff" in CliRunner().invoke(cli, ["--lang", "en", "compare"]).output


def test_a_description_two_parameters_share_is_no_guess_and_each_is_listed_in_full(tmp_path):
    """cap_a and cap_b are both 交流年龄上限 (urban, rural): naming it guesses neither, and the list
    keeps what tells them apart."""
    (tmp_path / "p.pol").write_text(
        'policy "测"\n  as of 2025-09-01\nsource S "办法"\nparameter cap_a = 50 years "交流年龄上限（城区）"\n'
        'parameter cap_b = 45 years "交流年龄上限（农村）"\n'
        'rule R-1 "测" cite S\n  when age at most cap_a or age at most cap_b\n  then must_rotate\n', encoding="utf-8")
    said = run("eval", str(tmp_path / "p.pol"), "examples/teachers.csv", "--schools", "examples/schools.csv",
               "--set", "交流年龄上限=40", lang="zh").output
    assert "是否应为" not in said
    assert "本政策的参数：cap_a（交流年龄上限（城区））、cap_b（交流年龄上限（农村））" in said


def test_check_counts_a_penalty_once_whatever_its_versions(tmp_path):
    (tmp_path / "province.pol").write_text(
        'policy "省"\n  effective 2006-08-01\n  as of 2025-09-01\nsource S "办法"\n'
        'penalty P-1 "拒绝交流" cite S\n  after refused_exchange\n  effect no_awards "不得评优" for 3 years\n',
        encoding="utf-8")
    (tmp_path / "county.pol").write_text(
        'extends "province.pol"\npolicy "县"\n  effective 2024-01-01\nsource C "县"\n'
        'override penalty P-1 "拒绝交流" cite C\n  after refused_exchange\n  effect no_awards "不得评优" for 5 years\n',
        encoding="utf-8")
    said = run("check", str(tmp_path / "county.pol"), lang="zh").output
    assert "奖惩 1 条" in said


def test_a_prelude_definition_written_by_its_chinese_name_is_said_once(tmp_path):
    """`when 城区或县城学校 …`: the condition line reads `✗ 城区或县城学校`, not the same words
    again in brackets (its Chinese name is its title); a policy's own title keeps its name."""
    policy = tmp_path / "p.pol"
    policy.write_text('policy "样例"\n  as of 2025-09-01\nsource S "样例"\n'
                      'define 骨干 "县级以上骨干教师" = 骨干级别 at least 县级\n'
                      'rule R-1 "城区满6年" cite S "一"\n  when 城区或县城学校 and 骨干 and 本校任教年限 at least 6 年\n'
                      '  then must_rotate\n', encoding="utf-8")
    said = run("try", str(policy), *PERSON_ZH[:5], "区域=农村", "骨干级别=市级", lang="zh").output
    assert "      ✗ 城区或县城学校\n" in said, said
    assert "      ✓ 县级以上骨干教师   （骨干）\n" in said


def test_a_fix_for_an_overridden_parameter_s_unit_keeps_override(tmp_path):
    """`override parameter teacher_tenure = 5 个月` was told to write `parameter teacher_tenure = 5 年`,
    which pasted over it is R112 (already declared in the base); and R112 said 加原参数声明, which
    an official does not follow."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    county = tmp_path / "county.pol"
    county.write_text('policy "县"\n  extends "fujian.pol"\n'
                      'override parameter teacher_tenure = 5 个月 "本县改为满5年"\n'
                      'parameter new_teacher_years = 2 years "本县"\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(county), "--lang", "zh"]).output
    assert "提示：请以年为单位：`override parameter teacher_tenure = 5 年`" in out
    assert "提示：如需替换，请在声明前加 `override`（覆盖）：`override parameter new_teacher_years …`" in out
    fixed = county.read_text(encoding="utf-8").replace("override parameter teacher_tenure = 5 个月",
                                                       "override parameter teacher_tenure = 5 年")
    county.write_text(fixed.replace("parameter new_teacher_years", "override parameter new_teacher_years"),
                      encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(county), "--lang", "zh"]).exit_code == 0


def test_a_base_one_folder_down_or_outside_the_root_is_named_with_what_to_write(tmp_path, monkeypatch):
    """`extends "fujian.pol"` beside a `policies/` folder holding it said only 没有这个文件; one in
    `../policies/` said 不在政策根目录 `.` 之内, a dot that means nothing to an official."""
    (tmp_path / "policies").mkdir()
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "policies" / "fujian.pol")
    (tmp_path / "c.pol").write_text('policy "县"\n  extends "fujian.pol"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.pol").write_text('policy "县"\n  extends "../policies/fujian.pol"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    below = CliRunner().invoke(cli, ["check", "c.pol", "--lang", "zh"]).output
    assert "提示：是否应为 `policies/fujian.pol`？" in below, below
    monkeypatch.chdir(tmp_path / "sub")
    outside = CliRunner().invoke(cli, ["check", "c.pol", "--lang", "zh"]).output
    folder = str((tmp_path / "sub").resolve())
    assert f"不在政策根目录 `{folder}` 之内" in outside
    assert f"请把 `fujian.pol` 复制到 `{folder}`，再写 `extends \"fujian.pol\"`" in outside


def test_check_of_a_folder_checks_every_policy_in_it(tmp_path):
    """`fmt` took a folder and `check` refused one (错误：FILES...：… 是文件夹，应为文件)."""
    result = CliRunner().invoke(cli, ["check", str(POLICIES), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    checked = [line for line in result.output.splitlines() if line.startswith("✓ ")]
    assert len(checked) == len(list(POLICIES.glob("*.pol"))) and "fujian.pol：规则" in result.output
    empty = CliRunner().invoke(cli, ["check", str(tmp_path), "--lang", "zh"])
    assert empty.exit_code == 5 and f"文件夹 {tmp_path} 中没有 .pol 政策文件" in empty.output


def test_an_english_explanation_says_the_direction_in_words_with_its_code():
    """`direction: within_cluster` was the code alone, where the Chinese says 片区内交流."""
    result = run("explain", str(POLICIES / "miyun.pol"), "examples/teachers.csv", "--schools", "examples/schools.csv",
                 "--id", "T0001")
    assert "direction: to a mountain school (to_mountain)" in result.output
    assert "交流方向：到山区学校" in run("explain", str(POLICIES / "miyun.pol"), "examples/teachers.csv", "--schools",
                                  "examples/schools.csv", "--id", "T0001", lang="zh").output
