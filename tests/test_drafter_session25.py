"""What the drafter of trial dr25 (seed 004's district plan for urban-rural exchange, on the
national file) wrote first and was told nothing to act on: each message now says what to write."""

from __future__ import annotations

from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source

HEAD = '''policy "某区城乡教师交流"
  effective 2022-09-01
source 方案 "城乡教师交流工作实施方案"
rule 四-一b "农村学校选派年轻教师到城区学校任教"
  cite 方案 "四、（一）"
  when 在编在岗 and 农村或山区学校 and 年龄 at most 35周岁
  then 可交流
  direction 到农村学校
sample teacher 甲 { 性别: 女, 出生日期: 1990-03-15, 参加工作时间: 2012-09-01, 到校时间: 2015-09-01 }
sample school 农村小学 { 学校代码: "S2", 区域: 农村, 学段: 小学 }
'''


def said(text: str, code: str):
    _, diagnostics, _ = compile_source(Source("c.pol", HEAD + text))
    found = [d for d in diagnostics if d.code == code]
    assert found, [d.code for d in diagnostics]
    return found[0]


def test_a_test_expecting_a_direction_there_is_not_is_told_the_directions():
    d = said('test "t"\n  teacher 甲\n  school 农村小学\n  expect direction 进城任教\n', "T209")
    assert "不是有效的交流方向" in d.zh
    assert "to_rural（到农村学校）" in d.help_zh and "to_town（到县城学校）" in d.help_zh
    assert d.help_en.startswith("directions: to_rural, to_weak")


def test_a_test_expecting_a_benefit_the_policy_lacks_is_told_it_has_none_or_which():
    d = said('test "t"\n  teacher 甲\n  school 农村小学\n  expect benefit 五-六a\n', "T209")
    assert d.zh == "`五-六a` 不是本政策的激励条款"
    assert d.help_zh == "本政策没有激励条款" and d.help_en == "the policy has no benefit"
    with_one = ('benefit 五-七 "表彰"\n  cite 方案 "五、（七）"\n  after 拒绝交流日期\n  effect 加分 "加分"\n'
                'test "t"\n  teacher 甲\n  school 农村小学\n  expect benefit 五-六a\n')
    d = said(with_one, "T209")
    assert d.help_zh == "本政策的激励条款：五-七", d.help_zh


def test_a_test_record_with_a_column_the_roster_lacks_is_told_to_declare_it_with_its_type():
    d = said('test "t"\n  teacher 甲 with { 支教开始日期: 2025-06-01 }\n  school 农村小学\n  expect 可交流\n', "T207")
    assert d.zh == "教师记录没有字段 `支教开始日期`"
    assert "`field teacher.支教开始日期: date`" in d.help_zh, d.help_zh
    assert "`field teacher.支教开始日期: date`" in d.help_en


QUOTA = '''quota 四-三 "城区学校至少选派3名优秀骨干教师与农村学校教师结对"
  cite 方案 "四、（三）"
  per school
  require movers where (骨干级别 at least 校级) at least {count}
'''


def test_a_quota_of_a_number_of_people_is_told_it_is_a_share_and_what_to_write_instead():
    """四、（三） 至少选派3名: a count of people, not a share; written `at least 3` it was told
    `3 之后缺少内容` and to write a unit, `/` or `of`; written with a parameter, that a number was due."""
    for count in ("3", "结对人数"):
        text = HEAD.replace("sample teacher", f"parameter 结对人数 = 3\n{QUOTA.format(count=count)}sample teacher")
        _, diagnostics, _ = compile_source(Source("c.pol", text))
        [d] = [d for d in diagnostics if d.is_error]
        assert d.code == "P001" and d.span.line == text[:text.index("require movers")].count("\n") + 1
        assert "不能写固定人数" in d.zh and "at least 10% of targets" in d.zh, d.zh
        assert "provision" in d.help_zh and "provision" in d.help_en


def test_a_quota_of_a_number_of_people_at_the_files_end_is_told_so_too():
    _, diagnostics, _ = compile_source(Source("c.pol", HEAD + QUOTA.format(count="3")))
    [d] = [d for d in diagnostics if d.is_error]
    assert d.code == "P001" and "不能写固定人数（`3`）" in d.zh, d.zh
    line = QUOTA.format(count="3").splitlines()[-1]
    assert (d.span.column, d.span.end_column) == (line.index("least 3") + 7, line.index("least 3") + 8)  # the 3


def test_a_roster_column_declared_again_is_told_to_delete_the_line_and_when_to_keep_it():
    """The guide's own penalty reads 交流考核不合格日期; declared as a county column, it was told
    `仅在需要为缺少此列的名册声明取值时重新声明：default …`, which says neither what to do nor how."""
    d = said('field teacher.交流考核不合格日期: date "交流考核不合格的日期"\n', "T213")
    assert d.zh == "`交流考核不合格日期` 是名册本来就有的列（exchange_failed），不必声明", d.zh
    assert d.help_zh.startswith("请删去这一行，直接使用它；"), d.help_zh
    assert "`field teacher.交流考核不合格日期: date default …`" in d.help_zh
    assert d.en == "`交流考核不合格日期` is a roster column already (exchange_failed)"
    assert "`field teacher.交流考核不合格日期: date default …`" in d.help_en


def test_a_quota_of_a_number_of_people_followed_by_a_note_is_told_so_at_the_number():
    text = HEAD + QUOTA.format(count="3") + '  note "结对指导"\n'
    _, diagnostics, _ = compile_source(Source("c.pol", text))
    [d] = [d for d in diagnostics if d.is_error]
    assert d.code == "P001" and "不能写固定人数（`3`）" in d.zh, d.zh
    assert d.span.line == text[:text.index("require movers")].count("\n") + 1


def test_an_unknown_name_with_no_near_one_is_told_how_a_roster_column_is_declared():
    """`after 支教开始日期` before the column was declared: `未知名称`, and names may be
    parameters, definitions, teacher fields, `school.字段` — but not how to make it one."""
    d = said('penalty 五-六b "中止支教"\n  cite 方案 "五、（六）"\n  after 支教开始日期\n  effect 取消定级 "取消定级"\n', "R107")
    assert d.zh == "未知名称 `支教开始日期`"
    assert "如是名册的新列，请先声明：`field teacher.支教开始日期: 类型`" in d.help_zh, d.help_zh
    assert "`field teacher.支教开始日期: TYPE`" in d.help_en


def test_a_definition_and_a_parameter_take_a_note_as_every_declaration_does():
    """The guide: `note` 任何声明里都可以加; under a define (why the scope is read so) it was
    `此处不应出现 note`."""
    text = HEAD + ('define 区属在编教师 "区属各中小学在编教师" = 在编在岗 and 岗位 = 教师\n  cite 方案 "三、"\n'
                   '  note "校长、副校长的交流由 NA-1p 规定"\n'
                   'parameter 年轻教师年龄 = 35周岁 "年轻教师"\n  note "ASSUMPTION：年轻教师取35周岁以下"\n  cite 方案 "四、（一）"\n')
    policy, diagnostics, _ = compile_source(Source("c.pol", text))
    assert not [d for d in diagnostics if d.is_error], diagnostics
    assert [c.section for c in policy.definitions["区属在编教师"].cites] == ["三、"]
    assert [c.section for c in policy.parameters["年轻教师年龄"].cites] == ["四、（一）"]


def test_init_for_a_district_says_本区_not_本县(tmp_path):
    """`policylang init --extends national.pol 城乡区.pol` wrote `source 本县`, 修改本县不同的参数 and
    本县的规则 for a district (区): the drafter's own district is 本区."""
    import shutil

    from click.testing import CliRunner

    from policylang.cli import cli

    from .conftest import POLICIES

    shutil.copy(POLICIES / "national.pol", tmp_path / "national.pol")
    for name, here in (("城乡区", "本区"), ("青溪县", "本县"), ("某某", "本县")):
        new = tmp_path / f"{name}.pol"
        result = CliRunner().invoke(cli, ["--lang", "zh", "init", "--extends", str(tmp_path / "national.pol"), str(new)])
        assert result.exit_code == 0, result.output
        text = new.read_text(encoding="utf-8")
        assert f'source {here} "{name}教师交流轮岗实施办法"' in text and f"修改{here}不同的参数" in text
        assert f"# ---- {here}的规则" in text and f'cite {here} "第三条"' in text
        if here != "本县":
            assert "本县" not in text, text


PREREQUISITE = '''prerequisite 五-三 "城镇中小学教师晋升高级专业技术职务，须有农村学校交流任教经历"
  cite 方案 "五、（三）"
  for 高级
  applies when 城区或县城学校
  requires 农村任教年限 at least 1年
sample school 城区小学 { 学校代码: "S1", 区域: 城区, 学段: 小学 }
'''


def test_a_failed_promotion_expectation_says_which_requirement_and_what_it_read(tmp_path):
    """`晋升高级教师：预期 已满足，实际 未满足 五-三` and no more: a rule's failure says which of its
    conditions did not hold and what it read; a prerequisite's said nothing."""
    from click.testing import CliRunner

    from policylang.cli import cli

    tests = ('test "没有农村经历"\n  as of 2025-09-01\n  teacher 甲 with { 职称: 一级教师 }\n  school 城区小学\n'
             '  expect promotion 高级 ok\n'
             'test "有1年农村经历"\n  as of 2025-09-01\n  teacher 甲 with { 职称: 一级教师, 农村任教年限: 1年 }\n'
             '  school 城区小学\n  expect promotion 高级 unmet 五-三\n'
             'test "农村学校"\n  as of 2025-09-01\n  teacher 甲 with { 职称: 一级教师 }\n  school 农村小学\n'
             '  expect promotion 高级 unmet 五-三\n')
    (tmp_path / "c.pol").write_text(HEAD + PREREQUISITE + tests, encoding="utf-8")
    out = CliRunner().invoke(cli, ["--lang", "zh", "test", str(tmp_path / "c.pol")]).output
    assert "晋升高级教师：预期 已满足，实际 未满足 五-三；五-三 未满足：✗ 农村任教年限 ≥ 1年（农村任教年限 = 0年）" in out, out
    assert "五-三 已满足：✓ 城区或县城学校，✓ 农村任教年限 ≥ 1年（农村任教年限 = 1年）" in out, out
    assert "五-三 不适用于此人：✗ 城区或县城学校" in out, out


def test_a_product_reads_with_a_times_sign_in_chinese():
    """explain and doc showed NA-1p's 两届 as `本校任教年限 ≥ 3年 * 2`: `*` is a programmer's sign."""
    from policylang.frontend.pipeline import read_source
    from policylang.studio.sources import contents

    from .conftest import POLICIES

    policy, _, _ = compile_source(read_source(POLICIES / "national.pol"))
    zh = contents(policy)[("rule", "NA-1p")][1]
    # the product by the number it makes, its parts beside it (drafter trial dr28: `3年 × 2` left the sum to the reader)
    assert "本校任教年限 ≥ 6年（3年 × 2）" in zh and "*" not in zh, zh
    assert "tenure >= principal_term * principal_terms" in contents(policy)[("rule", "NA-1p")][0]
