"""Every bundled policy checks without errors and passes its own tests; a test whose
expectation is wrong is reported with the expected and the actual decision."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import policylang
from policylang.frontend.pipeline import compile_source, read_source
from policylang.core.source import Source
from policylang.analyses.testing import run_tests

from .conftest import POLICIES

BUNDLED = sorted(POLICIES.glob("*.pol"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_policy_is_clean(path):
    policy, diagnostics, _ = compile_source(read_source(path.relative_to(Path.cwd())))
    assert [(d.code, d.en) for d in diagnostics] == []
    assert policy.tests, "every bundled policy pins its meaning with tests"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_policy_tests_pass(path):
    policy, _, _ = compile_source(read_source(path.relative_to(Path.cwd())))
    failures = [(r.title, r.error, r.mismatches) for r in run_tests(policy) if not r.passed]
    assert failures == []



@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_sources_name_documents_a_reader_can_find(path):
    """A source's `document` is what the 依据 and `policylang doc` show a reviewer: the document's
    title (or number) and date, never a name only the project's own research files know."""
    policy, _, _ = compile_source(read_source(path.relative_to(Path.cwd())))
    for source_id, source in policy.sources.items():
        assert source.document, f"{source_id} names no document"
        assert "seed" not in source.document.lower() and "seed" not in (source.note or "").lower()
        assert any(ch.isdigit() for ch in source.document), f"{source_id}: no date or number in {source.document!r}"
    assert "seed" not in path.read_text("utf-8").lower()


# A research file's number ("001 篇四", "(002 四、1)") or the word "seed" means nothing to an official: a
# policy's notes and comments, and the page describing the bundled policies, name the publication instead.
_RESEARCH_NUMBER = re.compile(r"(?<![\d-])00[0-4](?![\d-])|\bseeds?\b", re.IGNORECASE)


@pytest.mark.parametrize("path", [*BUNDLED, Path("docs/policies.md")], ids=lambda p: p.name)
def test_no_research_file_number_is_shown_for_a_publication(path):
    said = [f"{path.name}:{n}: {line.strip()[:80]}" for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
            if _RESEARCH_NUMBER.search(line)]
    assert said == []

@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_bundled_policys_effective_date_says_where_it_comes_from(path):
    """`effective` decides which refusals a penalty follows and is shown as 生效日期: where a document is
    undated, or its year is left out, the date is a reading, and one of the file's own sources says so."""
    policy, _, _ = compile_source(read_source(path.relative_to(Path.cwd())))
    own = [s for s in policy.sources.values() if Path(s.span.source).name == path.name]
    assert own, f"{path.name} declares no source"
    assert any("生效日期" in (s.note or "") for s in own), \
        f"{path.name}: `effective {policy.effective}` is not explained in a note of its sources"


def test_a_wrong_expectation_fails_with_expected_and_actual():
    text = (POLICIES / "fujian.pol").read_text("utf-8").replace(
        'test "差一天满6年：不在交流对象之列"\n  teacher 教师 with { school_start: 2019-09-02 }\n  school 城区小学\n  expect status not_eligible',
        'test "差一天满6年：不在交流对象之列"\n  teacher 教师 with { school_start: 2019-09-02 }\n  school 城区小学\n  expect status must_rotate')
    policy, diagnostics, _ = compile_source(Source(str(POLICIES / "fujian.pol"), text))
    results = {r.title: r for r in run_tests(policy)}
    failed = results["差一天满6年：不在交流对象之列"]
    assert not failed.passed
    assert [(m.what, m.expected, m.actual) for m in failed.mismatches] == [("status", "must_rotate", "not_eligible")]
    assert sum(not r.passed for r in results.values()) == 1


def test_district_inherits_and_overrides_the_province():
    policy, _, _ = compile_source(read_source("policies/fujian_pilot_district.pol"))
    ids = [r.id for r in policy.rules]
    assert "FJ-2" not in ids and "JA-1" in ids and "FJ-3" in ids
    assert policy.chain == ("<prelude>", "policies/fujian.pol", "policies/fujian_pilot_district.pol")
    assert [e.id for e in policy.exemptions["JA-1"]] == ["FJ-X2", "JA-9"]  # FJ-X1 repealed
    assert "FJ-X1" not in {e.id for e in policy.all_exemptions()}


CATALOGUE_IDS = (  # every rule id of the domain catalogue the bundled policies answer for
    "FJ-1 FJ-2 FJ-3 FJ-4 FJ-5 FJ-6 FJ-7 FJ-8 FJ-9 FJ-X JA-1 JA-2 JA-3 JA-4 JA-5 JA-6 JA-7 JA-8 JA-9 JA-10 "
    "MY-1 MY-2 MY-3 MY-4 MY-5 MY-6 MY-7 MY-8 MY-9 MY-10 SY-1 SY-2 SY-3 SY-4 SY-5 SY-6 SY-7 SY-8 SY-9 NA-1 "
    "CD-1 CD-2 CD-3 CD-4 CD-5 CD-6 ZX-1 ZX-2 ZX-3 ZX-4 ZX-5 ZX-6 XG-1 XG-2 XG-3 XG-4 XG-5 XG-6 XG-7 "
    "SP-1 SP-2 DP-1 DP-2").split()


def _policy_table():
    import re

    text = (POLICIES.parent / "docs" / "policies.md").read_text("utf-8")
    rows = re.findall(r"^\| ([A-Z]{2}-[0-9X]+(?:, [A-Z]{2}-[0-9X]+)?) \| ([^|]+) \| ([^|]+) \|$", text, re.M)
    return rows


def test_docs_map_every_catalogue_id_to_declarations_that_exist():
    import re

    rows = _policy_table()
    documented = {i for ids, _, _ in rows for i in ids.split(", ")}
    assert documented == set(CATALOGUE_IDS)
    for ids, file, encoding in rows:
        file = file.strip()
        if file == "—":
            continue
        policy, _, _ = compile_source(read_source(f"policies/{file}"))
        declared = policy.rule_ids() | {p.id for p in policy.priorities}
        named = re.findall(r"(?:rules?|exemptions?|prerequisites?|penalt(?:y|ies)|benefits?|quotas?|provisions?|"
                           r"priority) ([A-Z]{2}-[0-9A-Za-z.]+(?:[,–] ?[A-Z0-9.a-z-]+)*)", encoding)
        for group in named:
            for ident in re.split(r", ", group):
                if "–" in ident:
                    continue  # a range such as CD-2.2a–d: its members are declared one by one
                assert ident in declared, (file, ident)


LEADERS = """
policy "测试"
  as of 2025-09-01
source S "来源"
rule T-1 "教师满6年" cite S when post in {teacher, vice_principal} and tenure at least 6 years then must_rotate
rule P-1 "校长满6年" cite S when is_principal and post_years at least 6 years then must_rotate
"""


@pytest.mark.parametrize("targets, title, warned", [
    ("to all rules", "未任课的人员，不得作为专任教师派出", True),   # reaches P-1 through is_principal
    ("to P-1", "新参加工作未满3年的教师不交流", True),
    ("to T-1", "未任课的人员，不得作为专任教师派出", False),  # a vice principal is a teacher here
    ("to all rules", "怀孕期间不参加交流（女教师、女校长同）", False),  # says it covers principals
    ("to all rules", "怀孕期间不参加交流", False),  # speaks of no one in particular
])
def test_an_exemption_about_teachers_that_reaches_principal_rules_is_L306(targets, title, warned):
    text = LEADERS + f'exemption E-1 "{title}" as x cite S {targets} when not teaching\n'
    policy, diagnostics, _ = compile_source(Source("leaders.pol", text))
    assert policy is not None
    l306 = [d for d in diagnostics if d.code == "L306"]
    assert bool(l306) == warned
    if warned:
        assert "P-1" in l306[0].en and "T-1" not in l306[0].en


CYCLE = """
policy "测试"
  as of 2025-09-01
source S "来源"
rule R-1 "满6年" cite S when tenure at least 6 years then must_rotate
exemption E-1 "孕期" as pregnancy cite S to R-1 when pregnant
exemption E-2 "哺乳期" as nursing cite S to R-1 when nursing
exemption E-3 "重病" as illness cite S to R-1 when serious_illness
exemption E-4 "产假" as maternity cite S to R-1 when maternity_leave
precedence E-4 > E-1
precedence E-1 > E-2
precedence E-2 > E-3
precedence E-3 > E-1
"""


def test_a_circular_precedence_points_at_its_circle():
    """T211 names the circle and points at its lines, not at the file's first precedence."""
    _, diagnostics, _ = compile_source(Source("cycle.pol", CYCLE))
    t211 = [d for d in diagnostics if d.code == "T211"]
    assert len(t211) == 1
    assert "E-1 > E-2 > E-3 > E-1" in t211[0].en and "E-1 > E-2 > E-3 > E-1" in t211[0].zh
    lines = CYCLE.splitlines()
    assert lines[t211[0].span.line - 1] == "precedence E-3 > E-1"  # the line that closes it
    assert sorted(lines[label.span.line - 1] for label in t211[0].labels) == \
        ["precedence E-1 > E-2", "precedence E-2 > E-3"]  # not E-4 > E-1, which is outside the circle


def test_repealing_a_parameter_says_it_can_only_be_overridden(tmp_path):
    (tmp_path / "base.pol").write_text('policy "基"\nsource S "来源"\nparameter cap = 50 years\n'
                                       'rule R-1 "r" cite S when age at most cap then must_rotate\n', encoding="utf-8")
    (tmp_path / "county.pol").write_text('extends "base.pol"\npolicy "县"\nrepeal cap "本县不设年龄上限"\n',
                                         encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(tmp_path / "county.pol"))
    r106 = [d for d in diagnostics if d.code == "R106"]
    assert len(r106) == 1
    assert "is a parameter: a parameter cannot be repealed, only overridden" in r106[0].en
    assert "参数不能废止，只能覆盖" in r106[0].zh and "override parameter cap" in r106[0].help_en


_BASE_WITH_PRECEDENCE = """policy "省"
  as of 2025-09-01
source A "省文件"
rule A-1 "r" cite A when on_staff then must_rotate
exemption A-X1 "孕期" as pregnancy cite A to all rules when pregnant
exemption A-X2 "重病" as illness cite A to A-1 when serious_illness
precedence A-X1 > A-X2
"""


@pytest.mark.parametrize("order", ["A-X1 > A-X2", "A-X2 > A-X1"])
@pytest.mark.parametrize("where", ["same file", "a file below"])
def test_an_exemption_repealed_and_declared_anew_is_ordered_by_the_lines_below_the_repeal(tmp_path, order, where):
    """The new declaration's own `precedence` line was dropped as if it named the one repealed:
    T210 asked for the very line written. The base's line ordered the old declaration only."""
    (tmp_path / "a.pol").write_text(_BASE_WITH_PRECEDENCE, encoding="utf-8")
    anew = ('exemption A-X2 "重病（县重设）" as illness cite C to A-1 when serious_illness\n'
            f"precedence {order}\n")
    if where == "same file":
        county = 'extends "a.pol"\npolicy "县"\nsource C "县文件"\nrepeal A-X2 "改写"\n' + anew
    else:
        (tmp_path / "b.pol").write_text('extends "a.pol"\npolicy "市"\nsource B "市文件"\nrepeal A-X2 "市不设"\n',
                                        encoding="utf-8")
        county = 'extends "b.pol"\npolicy "县"\nsource C "县文件"\n' + anew
    (tmp_path / "c.pol").write_text(county, encoding="utf-8")
    policy, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"))
    assert [d.code for d in diagnostics if d.is_error] == [] and policy is not None
    first = order.split(" > ")[0]
    assert [x.id for x in policy.exemptions["A-1"]] == [first, ({"A-X1", "A-X2"} - {first}).pop()]


@pytest.mark.parametrize("line, code, en, zh", [
    ('repeal A-X2 "再去掉"', "R106", "`A-X2` was repealed already, in `{b}`: no base policy declares it now",
     "废止了 `A-X2`，但该条已在 `{b}` 中废止，被继承的政策中已没有该条"),
    ('override exemption A-X2 "重病" as illness cite C to A-1 when serious_illness', "R105",
     "`A-X2` is overridden, but `{b}` repealed it: no base policy declares it now",
     "覆盖了 `A-X2`，但该条已在 `{b}` 中废止，被继承的政策中已没有该条")])
def test_what_a_file_above_repealed_is_said_to_be_repealed_not_never_declared(tmp_path, line, code, en, zh):
    (tmp_path / "a.pol").write_text(_BASE_WITH_PRECEDENCE, encoding="utf-8")
    (tmp_path / "b.pol").write_text('extends "a.pol"\npolicy "市"\nsource B "市文件"\nrepeal A-X2 "市不设"\n',
                                    encoding="utf-8")
    (tmp_path / "c.pol").write_text(f'extends "b.pol"\npolicy "县"\nsource C "县文件"\n{line}\n', encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"))
    [said] = [d for d in diagnostics if d.is_error]
    b = str(tmp_path / "b.pol")
    assert (said.code, said.en, said.zh) == (code, en.format(b=b), zh.format(b=b))


@pytest.mark.parametrize("lines, code, en", [
    # a clause the file declares, then repeals: was dropped without a word
    (['exemption C-X "非任课" as not_teaching cite C to A-1 when not teaching', "precedence A-X1 > A-X2 > C-X",
      'repeal C-X "不要了"'], "R106", "`C-X` is declared in this file itself"),
    # the base's clause overridden, then repealed in the same file: the override was thrown away
    (['override rule A-1 "r2" cite C when on_staff and teaching then must_rotate', 'repeal A-1 "本县另定"'],
     "R106", "`A-1` is declared in this file itself"),
    # repealed, then overridden: the override named a clause the file itself had just removed
    (['repeal A-1 "本县另定"', 'override rule A-1 "r2" cite C when on_staff and teaching then must_rotate'],
     "R105", "`A-1` is both repealed and overridden in this file: keep one")])
def test_a_file_repealing_its_own_clause_is_refused(tmp_path, lines, code, en):
    (tmp_path / "a.pol").write_text(_BASE_WITH_PRECEDENCE, encoding="utf-8")
    (tmp_path / "c.pol").write_text('extends "a.pol"\npolicy "县"\nsource C "县文件"\n' + "\n".join(lines) + "\n",
                                    encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"))
    [said] = [d for d in diagnostics if d.is_error]
    assert said.code == code and said.en.startswith(en) and said.zh and said.help_zh


def test_a_base_parameter_named_by_what_it_means_is_the_one_suggested(tmp_path):
    """A county writes 任教年限 for the province's `teacher_tenure` ("…任教满此年限…"): the
    override is told that name (R105, with its fix), and a new parameter of that name, which
    changes no rule, is told to override it instead (L302)."""
    (tmp_path / "a.pol").write_text('policy "省"\n  as of 2025-09-01\nsource A "省文件"\n'
                                    'parameter teacher_tenure = 6 years "教师在同一所学校任教满此年限须交流"\n'
                                    'parameter principal_tenure = 6 years "校长任职满此年限须交流"\n'
                                    'rule A-1 "r" cite A when tenure at least teacher_tenure and '
                                    'post_years at least principal_tenure then must_rotate\n', encoding="utf-8")
    for written, code in (("override parameter 任教年限 = 5 years", "R105"), ("parameter 任教年限 = 5 years", "L302")):
        (tmp_path / "c.pol").write_text(f'extends "a.pol"\npolicy "县"\n{written}\n', encoding="utf-8")
        _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"))
        [said] = [d for d in diagnostics if d.code == code]
        assert "`teacher_tenure`（“教师在同一所学校任教满此年限须交流”）" in said.help_zh, said.help_zh
    assert said.help_zh.startswith("如要修改 `teacher_tenure`") and "override parameter teacher_tenure = …" in said.help_zh
    (tmp_path / "c.pol").write_text('extends "a.pol"\npolicy "县"\noverride parameter 满年限 = 5 years\n',
                                    encoding="utf-8")  # in both descriptions: no guess
    _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"))
    assert [d.help_zh for d in diagnostics if d.code == "R105"] == ["如是新声明，请去掉 `override`"]


@pytest.mark.parametrize("text", ["", "# 某县办法（草稿）\n", "\n\n"])
def test_a_file_declaring_no_policy_is_refused_not_taken_for_one_that_decides_no_one(text):
    """An empty file once passed `check` with ✓ and `eval` decided everyone not eligible."""
    policy, diagnostics, _ = compile_source(Source("空.pol", text))
    assert policy is None and [(d.code, d.zh) for d in diagnostics] == [("P009", "该文件没有声明政策")]
    assert "policylang init" in diagnostics[0].help_en


def test_a_policy_without_a_rule_is_warned_and_eval_says_so_before_deciding(tmp_path):
    from click.testing import CliRunner

    from policylang.cli import cli

    path = tmp_path / "无规则.pol"
    path.write_text('policy "只有标题"\n', encoding="utf-8")
    policy, diagnostics, _ = compile_source(Source(str(path), path.read_text(encoding="utf-8")))
    assert policy is not None and [d.code for d in diagnostics] == ["L307"]
    result = CliRunner().invoke(cli, ["eval", str(path), "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--lang", "zh"])
    assert result.exit_code == 0 and "警告[L307]：该政策没有任何规则" in result.stderr
    extending = tmp_path / "county.pol"
    extending.write_text(f'policy "县"\n  extends "{Path("policies/fujian.pol").resolve()}"\n', encoding="utf-8")
    assert not [d for d in policylang.load(extending, root="/").checked.diagnostics if d.code == "L307"]


@pytest.mark.parametrize("written, code", [("重病", "illness"), ("审查调查", "investigation"), ("哺乳期", "nursing"),
                                           ("illness", "illness"), ("县定事由", "县定事由")])
def test_a_built_in_exemption_category_written_in_chinese_is_that_category(written, code):
    """`as 重病` made a category of its own, which the report meant for circulation did not
    treat as sensitive: it listed people as 重病 by id. The Chinese name is the category."""
    from policylang.analyses.diff import SENSITIVE_EXEMPTIONS

    text = ('policy "中文类别"\n  as of 2025-09-01\nsource S "来源"\n'
            'rule R-1 "满6年" cite S "一" when tenure at least 6 years then must_rotate\n'
            f'exemption E-1 "事由" as {written} cite S "二" to R-1 when serious_illness\n'
            'sample teacher 教师 { sex: 女, birth_date: 1980-01-01, work_start: 2000-09-01, school_start: 2010-09-01 }\n'
            'sample school 学校 { school_id: "S1", area: urban }\n'
            f'test "事由"\n  teacher 教师 with {{ serious_illness: true }}\n  school 学校\n  expect exemption {written}\n')
    policy = policylang.loads(text)
    assert [e.code for e in policy.checked.all_exemptions()] == [code]
    assert (code in SENSITIVE_EXEMPTIONS) == (code != "县定事由")
    assert all(r.passed for r in policy.test())


def test_a_parameter_or_definition_named_as_a_word_of_the_language_is_warned_L308():
    """`parameter 年龄 = 50 周岁` made every `年龄` read the constant: `年龄 at most 50 周岁` held
    for everyone, with no word from `check`."""
    text = ('policy "同名"\n  as of 2025-09-01\nsource S "来源"\nparameter 年龄 = 50 years\nparameter 性别 = 1\n'
            'define 参考日期 = 2025-09-01\nparameter 年龄上限 = 50 years\n'
            'rule R-1 "女50周岁以下" cite S "一" when 年龄 at most 年龄上限 and 性别 = 1 then eligible\n')
    policy, diagnostics, _ = compile_source(Source("同名.pol", text))
    assert policy is not None
    hidden = [(d.span.line, d.zh.split("：")[0]) for d in diagnostics if d.code == "L308"]
    assert hidden == [(4, "参数 `年龄` 与内置名称同名"), (5, "参数 `性别` 与内置名称同名"), (6, "定义 `参考日期` 与内置名称同名")]
    for path in POLICIES.glob("*.pol"):  # the bundled policies name nothing so
        assert not [d for d in policylang.load(path).checked.diagnostics if d.code == "L308"], path


def test_a_parameter_named_as_a_code_says_what_clashes_with_what_and_what_to_write():
    """`parameter 女 = 50周岁` then `if 性别 = 女 then 女 else …`: a bare T201 "a sex code with a number
    in years", which did not say that `女` was the parameter (drafter's trial dr27). The declaration
    is warned (L308, naming the code), and the clash says which `女` it read and what to write."""
    text = ('policy "同名代码"\n  as of 2025-09-01\nsource S "来源"\nparameter 女 = 50 years\n'
            'parameter 男年龄上限 = 55 years\nparameter senior = 3 years\n'
            'define 年龄上限 = if 性别 = 女 then 女 else 男年龄上限\n'
            'rule R-1 "50周岁以下" cite S "一" when 年龄 at most 年龄上限 then eligible\n')
    _, diagnostics, _ = compile_source(Source("同名代码.pol", text))
    warned = {d.span.line: d for d in diagnostics if d.code == "L308"}
    assert warned[4].zh == "参数 `女` 与性别代码“女”同名：政策中每处 `女` 读取的都将是这个参数，包括 `性别 = 女` 中的 `女`"
    assert warned[6].en.startswith("parameter `senior` has the name of the title code / stage code")
    (clash,) = [d for d in diagnostics if d.code == "T201"]
    assert clash.span.line == 7
    assert "此处的 `女` 读作本政策的参数 `女`（同名代码.pol:4），而不是性别代码“女”" in clash.help_zh
    assert "请给参数另起一个说明其用途的名称" in clash.help_zh
    assert "`女` here is the parameter `女` (同名代码.pol:4), not the sex code `女`" in clash.help_en
    renamed, diagnostics, _ = compile_source(Source("改名.pol", text.replace("女 = 50", "女年龄上限 = 50").replace("senior =", "年限 =")
                                                    .replace("then 女 else", "then 女年龄上限 else")))
    assert renamed is not None and not [d for d in diagnostics if d.code in ("L308", "T201")], diagnostics


def test_a_definition_named_as_the_code_it_compares_with_is_told_it_reads_itself():
    """`define 城区 = 学校.区域 = 城区` was "defined in terms of itself" with no word of the code meant."""
    text = ('policy "同名代码"\n  as of 2025-09-01\nsource S "来源"\ndefine 城区 "城区学校" = 学校.区域 = 城区\n'
            'rule R-1 "城区满6年" cite S "一" when 城区 and tenure at least 6 years then eligible\n')
    _, diagnostics, _ = compile_source(Source("c.pol", text))
    (cycle,) = [d for d in diagnostics if d.code == "R110"]
    assert cycle.help_zh == "其中的 `城区` 读作这个定义本身，而不是区域代码“城区”：请给定义另起一个说明其用途的名称"
    assert [d.code for d in diagnostics if d.code == "L308"] == ["L308"]


def test_yes_and_no_in_chinese_and_a_bare_status_read_as_a_chinese_drafter_writes_them():
    """`when 孕期 = 是` was "unknown name `是`", `teacher 教师 with { 孕期: 是 }` was T201 "should be
    a yes/no value" (是 is one), and `expect 须交流` a parse error pointing at the line above."""
    text = ('policy "是否"\n  as of 2025-09-01\nsource S "来源"\n'
            'rule R-1 "满6年" cite S "一" when 本校任教年限 at least 6 years then must_rotate\n'
            'exemption E-1 "孕期" as 孕期 cite S "二" to R-1 when 孕期 = 是 and not (哺乳期 = 否 and 重病 = 是)\n'
            'sample teacher 教师 { 性别: 女, 出生日期: 1980-01-01, 参加工作时间: 2000-09-01, 到校时间: 2010-09-01 }\n'
            'sample school 城区小学 { school_id: "S1", area: urban }\n'
            'test "孕期"\n  teacher 教师 with { 孕期: 是 }\n  school 城区小学\n  expect exemption 孕期\n'
            'test "非孕期"\n  teacher 教师 with { 孕期: 否 }\n  school 城区小学\n  expect 须交流\n  expect rule R-1\n')
    policy = policylang.loads(text)
    results = policy.test()
    assert len(results) == 2 and all(r.passed for r in results)
    neutral = {k: v for k, v in policy.neutral_values().items() if not k.startswith("school.")}
    yes = dict(neutral, id="T1", sex="F", birth_date="1980-01-01", work_start="2000-09-01",
               school_start="2010-09-01", school_id="S1")
    assert policy.decide(yes | {"pregnant": True}, {"school_id": "S1", "area": "urban"}).exemption == "pregnancy"
    assert policy.decide(yes, {"school_id": "S1", "area": "urban"}).status == "must_rotate"


def test_an_extended_file_that_is_not_there_is_said_in_chinese_with_the_likely_name(tmp_path):
    import shutil

    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "county.pol").write_text('policy "县"\n  extends "fujain.pol"\n', encoding="utf-8")
    policy, diagnostics, _ = compile_source(read_source(tmp_path / "county.pol"), root=tmp_path)
    (d,) = [d for d in diagnostics if d.code == "R101"]
    assert d.zh == "无法读取 `fujain.pol`：没有这个文件" and d.help_zh.startswith("是否应为 `fujian.pol`？")
    assert "Error" not in d.zh + d.en  # was "（FileNotFoundError）"


@pytest.mark.parametrize("written, said", [
    ('when 年龄 at most 55岁 then must_rotate', "policylang 不认识“岁”；请写作 `周岁`，写在数字之后（或写 `years`）"),
    ('when 在编在岗 并且 任课 then must_rotate', "policylang 不认识“并且”；请写作 `and`"),
    ('when 在编在岗 AND 任课 then must_rotate', "policylang 不认识“AND”；请写作 `and`"),
    # (drafter trial dr28: 此处不应出现 `那么`, with a list of signs)
    ('when 在编在岗\n  那么 must_rotate', "policylang 不认识“那么”；请写作 `then`"),
    ('when 年龄 ≥ 50 years then must_rotate', "policylang 不认识“≥”；请写作 `>=`"),
    ('wehn 任课 then must_rotate', "此处不应出现 `wehn`；是否应为 `when`？"),
    ('when 到校时间 at most 2019-9-1 then must_rotate', "类型不一致：日期与数字不能一起使用"),
])
def test_what_a_drafter_writes_for_a_word_of_the_language_gets_the_word_to_write(written, said):
    text = f'policy "x"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S "1" {written}\n'
    _, diagnostics, _ = compile_source(Source("x.pol", text))
    assert diagnostics[0].zh == said
    if "2019-9-1" in written:
        assert diagnostics[0].help_zh == "日期的月、日各写两位：请写作 `2019-09-01`"
    _, header, _ = compile_source(Source("y.pol", 'policy "x"\n  as of 2025-9-1\n'))
    assert header[0].zh == "`2025-9-1` 在此不是日期；请写作 `2025-09-01`（月、日各两位）"
    # the whole date underlined (it was the `2025` the parser stopped at), and replaced by the fix
    assert (header[0].span.column, header[0].span.end_column) == (9, 17)
    (fix,) = header[0].fixes
    assert [(e.span.column, e.span.end_column, e.text) for e in fix.edits] == [(9, 17, "2025-09-01")]
    _, month, _ = compile_source(Source("m.pol", 'policy "x"\n  as of 2025年9月\n'))
    assert (month[0].span.column, month[0].span.end_column) == (9, 16) and not month[0].fixes  # which day: theirs
    _, beside, _ = compile_source(Source("z.pol", 'policy "x"\n  as of 2025-09-01x\n'))  # a date as written
    assert beside[0].code == "P001" and "在此不是日期" not in beside[0].zh


def test_an_exemption_naming_a_prerequisite_says_so_not_a_near_rule(tmp_path):
    """`to FJ-4` (a promotion prerequisite) was "not a rule; did you mean `FJ-3`?"."""
    import shutil

    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "c.pol").write_text('policy "x"\n  extends "fujian.pol"\nsource Q "q"\n'
                                   'exemption QX-1 "e" as x cite Q "1" to FJ-4, FJ-2 when teaching\n'
                                   'precedence FJ-X2 > FJ-X1 > QX-1\n', encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"), root=tmp_path)
    (d,) = [d for d in diagnostics if d.code == "R108"]
    assert d.zh == "`QX-1` 豁免的 `FJ-4` 是晋升前提，不是规则" and "FJ-3" not in (d.help_zh or "")


@pytest.mark.parametrize("kind", ["penalty", "benefit", "priority", "provision", "quota"])
def test_an_exemption_naming_another_kind_of_declaration_names_it_as_every_view_does(tmp_path, kind):
    """The checker, the editor, the studio and the diff call a declaration by one name
    (``i18n.DECLARATION_KINDS``): a penalty was 奖惩条款 here and 惩处 elsewhere, a priority
    优先选派条款 here and 优先顺序 (the name of precedence) in the editor."""
    import shutil

    from policylang.core.i18n import declaration_kind
    from policylang.editing.words import kind as editor_kind

    shutil.copy(POLICIES / "county_draft.pol", tmp_path / "county_draft.pol")
    other = next(line.split()[1] for line in (POLICIES / "county_draft.pol").read_text(encoding="utf-8").splitlines()
                 if line.startswith(kind + " "))
    (tmp_path / "c.pol").write_text('policy "x"\n  extends "county_draft.pol"\nsource Q "q"\n'
                                   f'exemption QX-1 "e" as x cite Q "1" to {other} when teaching\n', encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"), root=tmp_path)
    (d,) = [d for d in diagnostics if d.code == "R108"]
    assert d.zh == f"`QX-1` 豁免的 `{other}` 是{declaration_kind(kind, 'zh')}，不是规则"
    assert editor_kind(kind, "zh") == declaration_kind(kind, "zh")
    assert editor_kind("priority", "zh") != editor_kind("precedence", "zh")


def test_a_full_width_space_is_named_as_such():
    _, diagnostics, _ = compile_source(Source("x.pol", 'policy "x"\u3000\n'))
    assert diagnostics[0].zh == "全角空格；请写作半角空格"  # was "全角字符 `U+3000`；请写作半角的 半角空格"


def test_a_reference_date_before_the_policy_takes_effect_is_said_when_checked_and_when_deciding(tmp_path):
    """A county file `effective 2026-09-01` extending a province `as of 2025-09-01` inherited the
    earlier date without a word: its ages and years were counted a year early."""
    import shutil

    from click.testing import CliRunner

    from policylang.cli import cli

    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    county = tmp_path / "county.pol"
    county.write_text('extends "fujian.pol"\npolicy "青溪县"\n  effective 2026-09-01\n', encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(county), root=tmp_path)
    (d,) = [d for d in diagnostics if d.code == "L309"]
    assert d.zh == "参考日期 2025-09-01 早于本政策的生效日期 2026-09-01：年龄、任教年限等按 2025-09-01 计算"
    assert not d.is_error and d.span.source.endswith("county.pol")
    county.write_text('extends "fujian.pol"\npolicy "青溪县"\n  effective 2026-09-01\n  as of 2026-09-01\n',
                      encoding="utf-8")
    assert not [d for d in compile_source(read_source(county), root=tmp_path)[1] if d.code == "L309"]
    county.write_text('extends "fujian.pol"\npolicy "青溪县"\n  effective 2026-09-01\n', encoding="utf-8")
    args = ["eval", str(county), "examples/teachers.csv", "--schools", "examples/schools.csv", "--format", "json"]
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"])
    assert zh.exit_code == 0 and "提示：参考日期 2025-09-01 早于“青溪县”的生效日期 2026-09-01" in zh.stderr
    en = CliRunner().invoke(cli, [*args, "--lang", "en"])
    assert "note: the reference date 2025-09-01 is before “青溪县” takes effect (2026-09-01)" in en.stderr
    later = CliRunner().invoke(cli, [*args, "--lang", "zh", "--as-of", "2026-09-01"])
    assert later.exit_code == 0 and "生效日期" not in later.stderr


@pytest.mark.parametrize("condition, warned", [
    ("岗位 = 教师 and 义务教育学校 and 本校任教年限 at least 6 年 or 富余学科", True),
    ("富余学科 or 岗位 = 教师 and 义务教育学校", True),
    ("not 富余学科 and 义务教育学校 or 富余学科", True),
    ("(岗位 = 教师 and 义务教育学校) or 富余学科", False),
    ("富余学科 or (岗位 = 教师 and 义务教育学校)", False),
    ("岗位 = 教师 and (义务教育学校 or 富余学科)", False),
    ("富余学科 or 义务教育学校 or 岗位 = 教师", False),
    ("(富余学科 or 岗位 = 教师 and 义务教育学校)", True),
])
def test_and_and_or_mixed_without_brackets_is_a_warning(condition, warned):
    """`A and B and C or D` made a high-school clerk with a surplus subject must rotate, and no tool
    said a word: `and` binds first, which a drafter writing "A 且 B 或 D" seldom means."""
    text = (f'policy "x"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S "1"\n  when {condition}\n'
            f'  then must_rotate\n')
    _, diagnostics, _ = compile_source(Source("x.pol", text))
    found = [d for d in diagnostics if d.code == "L310"]
    assert bool(found) == warned
    if warned:
        assert found[0].zh == "`and` 与 `or` 混用而未加括号：`and` 先结合（`A and B or C` 读作 `(A and B) or C`）"
        assert found[0].span.line == 5 and not found[0].is_error


def test_a_mix_in_the_file_extended_is_not_the_extending_files_warning(tmp_path):
    (tmp_path / "base.pol").write_text('policy "省"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S "1"\n'
                                       '  when 富余学科 or 岗位 = 教师 and 义务教育学校\n  then must_rotate\n', encoding="utf-8")
    (tmp_path / "county.pol").write_text('extends "base.pol"\npolicy "县"\n', encoding="utf-8")
    _, of_base, _ = compile_source(read_source(tmp_path / "base.pol"), root=tmp_path)
    _, of_county, _ = compile_source(read_source(tmp_path / "county.pol"), root=tmp_path)
    assert [d.code for d in of_base if d.code == "L310"] == ["L310"]
    assert not [d for d in of_county if d.code.startswith("L")]


def test_a_test_expecting_a_repealed_rule_is_told_it_is_repealed_not_offered_a_near_name(tmp_path):
    """`expect rule FJ-2` in a file extending the district (which repeals FJ-2) was told "did you
    mean `JA-2`?", the surplus-subject rule."""
    import shutil

    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    shutil.copy(POLICIES / "fujian_pilot_district.pol", tmp_path / "fujian_pilot_district.pol")
    (tmp_path / "c.pol").write_text(
        'policy "县"\n  extends "fujian_pilot_district.pol"\ntest "x"\n'
        '  teacher { sex: 男, birth_date: 1980-01-01, work_start: 2005-09-01, school_start: 2010-09-01 }\n'
        '  school { school_id: "S1", area: urban, stage: primary, staffing: normal }\n  expect rule FJ-2\n',
        encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"), root=tmp_path)
    (d,) = [d for d in diagnostics if d.code == "T209"]
    where = str(tmp_path / "fujian_pilot_district.pol")
    assert d.zh.startswith("`FJ-2` 已在 `") and "fujian_pilot_district.pol` 中废止（由 JA-1 取代：区里在6年的基础上增加了年龄上限）" in d.zh
    assert "JA-2" not in (d.help_zh or "") and where.endswith("fujian_pilot_district.pol")


def test_an_unmet_list_naming_a_clause_the_file_repeals_is_told_so(tmp_path):
    """`expect promotion senior unmet MX-7, FJ-4` after `repeal FJ-4` was told only that FJ-4 is not
    a prerequisite of this policy (drafter's trial): that this very file repealed it, and why."""
    import shutil

    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "c.pol").write_text(
        'extends "fujian.pol"\npolicy "县"\n  effective 2024-09-01\nrepeal FJ-4 "由本县第七条取代"\ntest "x"\n'
        '  teacher { sex: 男, birth_date: 1980-01-01, work_start: 2005-09-01, school_start: 2010-09-01, title: first }\n'
        '  school { school_id: "S1", area: urban, stage: primary, staffing: normal }\n'
        '  expect promotion senior unmet FJ-4\n', encoding="utf-8")
    _, diagnostics, _ = compile_source(read_source(tmp_path / "c.pol"), root=tmp_path)
    (d,) = [d for d in diagnostics if d.code == "T209"]
    assert d.zh == "`FJ-4` 已被本文件废止（由本县第七条取代）" and d.en == "`FJ-4` is repealed by this file (由本县第七条取代)"
    assert d.help_zh == "请从未满足的条款中删去 `FJ-4`"


def test_an_empty_citation_is_warned_as_a_missing_one_is():
    """`cite QX ""` passed check without a word, where a rule without `cite` is L303."""
    text = 'policy "x"\n  as of 2025-09-01\nsource QX "县意见"\nrule R-1 "r"\n  cite QX ""\n  when tenure at least 6 years\n  then must_rotate\n'
    (said,) = [d for d in policylang.loads(text).checked.diagnostics if d.code == "L303"]
    assert said.span.line == 5 and "names no section" in said.en and "引号内为空" in said.zh
    assert not [d for d in policylang.loads(text.replace('cite QX ""', 'cite QX')).checked.diagnostics
                if d.code == "L303"]


def test_a_half_year_described_as_such_is_no_disagreement_and_the_whole_number_it_acts_as_is_named():
    """`parameter t = 4.5 years "满4年半"` was L315 (说明中却写着4年); L313 said only 与它相邻的整数."""
    text = ('policy "x"\n  as of 2025-09-01\nsource S "s"\nparameter t = 4.5 years "满4年半"\n'
            'rule R-1 "r" cite S "1"\n  when tenure at least t and tenure at most 9.5 years\n  then must_rotate\n')
    said = {(d.code, d.zh) for d in policylang.loads(text).checked.diagnostics}
    assert not [z for code, z in said if code == "L315"]
    assert ("L313", "参数 `t` 与整数（已满的年、月、天数，学校数等）比较，取 4.5年 实际等于取与它相邻的整数：在“满、以上、超过”"
                    "的比较中为 5年，在“以下、不满”的比较中为 4年") in said
    assert ("L313", "`本校任教年限` 是已满的整年数，不会是 9.5：与 9.5 年比较，实际是与 9 比较") in said
    wrong = text.replace("满4年半", "满5年")
    assert [d.code for d in policylang.loads(wrong).checked.diagnostics if d.code == "L315"] == ["L315"]


def test_two_values_asked_of_one_code_say_so_not_to_check_the_numbers():
    """L301 on `学校.区域 = 城区 and 学校.区域 = 农村` advised the numbers and 以下/不满."""
    text = ('policy "x"\n  as of 2025-09-01\nsource S "s"\nrule R-1 "r" cite S "1"\n'
            '  when school.area = urban and school.area = rural\n  then must_rotate\n')
    (said,) = [d for d in policylang.loads(text).checked.diagnostics if d.code == "L301"]
    assert said.help_zh == "`学校.区域` 不能同时取两个值：如指其中之一，请用 `or` 或 `in {…}`"
    numbers = text.replace("school.area = urban and school.area = rural", "age at least 50 years and age less than 40 years")
    (said,) = [d for d in policylang.loads(numbers).checked.diagnostics if d.code == "L301"]
    assert "以下" in said.help_zh


@pytest.mark.parametrize("path", [p for p in BUNDLED if "\nquota " in p.read_text(encoding="utf-8")], ids=lambda p: p.name)
def test_a_quota_requirement_in_chinese_never_names_a_group_by_itself(path):
    """county_draft's CD-1q read 交流人数（交流对象）不少于交流对象（交流对象）的10%: its definition
    "交流对象（教师，含副校长）" goes by its name without the bracket, the very word the quota
    uses for the group. A reader could not tell which 交流对象 was meant."""
    from click.testing import CliRunner
    from policylang.cli import cli
    result = CliRunner().invoke(cli, ["quota", str(path), "examples/teachers.csv", "--schools", "examples/schools.csv",
                                      "--as-of", "2025-09-01", "--lang", "zh", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    texts = [r["text_zh"] for group in json.loads(result.stdout) for r in group["requirements"]]
    assert texts
    for text in texts:
        assert not re.search(r"(教师|交流对象|须交流或可交流者|交流人数)（\1）", text), text
