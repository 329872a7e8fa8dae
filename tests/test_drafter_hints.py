"""What a drafter is told about the mistakes a county official makes copying a clause into a
policy (the drafter's trial of 2026-12-03): each says what to write, in Chinese and English,
without the grammar's own names (add_op, mul_op), and a failed test says why another rule or
no exemption decided."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.core.diagnostics import PolicyError
from policylang.lang.numerals import arabic
from policylang.present.render import diagnostics_text

from tests.conftest import EXAMPLES, POLICIES

TEACHERS, SCHOOLS = EXAMPLES / "teachers.csv", EXAMPLES / "schools.csv"

HEAD = 'policy "县"\n  as of 2025-09-01\nsource QX "办法"\n'


def refused(text: str) -> PolicyError:
    with pytest.raises(PolicyError) as info:
        policylang.loads(text)
    return info.value


def said(text: str, lang: str = "zh") -> str:
    exc = refused(text)
    return diagnostics_text(exc.diagnostics, exc.sources, lang)


def rule(condition: str) -> str:
    return f'rule R-1 "r" cite QX "三"\n  when {condition}\n  then must_rotate\n'


@pytest.mark.parametrize("written, zh, en", [
    ("6年半", "请按月写，如 `78个月`", "`78 months`"),
    ("6 yrs", "“yrs”不是本语言的单位；请写作 `years`", "`yrs` is not a unit of the language; write `years`"),
    ("6 周年", "“周年”不是本语言的单位；请写作 `年`", "write `年`"),
])
def test_a_length_written_as_a_document_writes_it_says_what_to_write(written, zh, en):
    text = HEAD + f"parameter 年限 = {written}\n" + rule("tenure at least 年限")
    assert zh in said(text) and en in said(text, "en")
    assert "add_op" not in said(text) and "mul_op" not in said(text)


def test_the_grammar_s_own_names_are_never_shown():
    """`此处应为：带引号的文字、add_op、mul_op、order_direction…` named the grammar's terminals."""
    shown = said(HEAD + "parameter a = 6 years 半\n" + rule("tenure at least a"))
    assert "add_op" not in shown and "order_direction" not in shown and "mul_op" not in shown


def test_an_unquoted_section_of_a_citation_is_quoted_by_its_fix():
    exc = refused(HEAD + 'rule R-1 "r" cite QX 第三条\n  when tenure at least 6 years\n  then must_rotate\n')
    (d,) = exc.errors
    assert d.zh.startswith("引用的条款要加引号") and d.fixes[0].edits[0].text == '"第三条"'


@pytest.mark.parametrize("note", ["（含）", "(含)", "（含本数）"])
def test_an_inclusive_note_after_a_number_is_deleted_not_made_ascii(note):
    """`at least 6年（含）`: check said to make the brackets ASCII (fmt did), then the parser
    choked on `(含)`. The comparison's words say it: the note is to be deleted, and its fix does."""
    exc = refused(HEAD + rule(f"tenure at least 6年{note}"))
    (d,) = exc.errors
    assert "已含本数，请删除" in d.zh and d.fixes[0].edits[0].text == ""
    assert "full-width" not in diagnostics_text(exc.diagnostics, exc.sources, "en")


def test_an_exclusive_note_asks_for_the_operator_that_excludes():
    (d,) = refused(HEAD + rule("tenure at least 6年（不含）")).errors
    assert "`more than`、`less than` 即不含本数" in d.zh and not d.fixes


def test_a_chinese_comparison_after_the_operator_is_deleted():
    (d,) = refused(HEAD + rule("tenure at least 6年以上")).errors
    assert d.zh == "已写 `at least`，即“以上”，请删除“以上”" and d.fixes[0].edits[0].text == ""
    (alone,) = refused(HEAD + rule("tenure at least 6年 and age 以上 50 周岁")).errors  # without it: write it
    assert alone.zh == "`以上` 不是运算符；请写作 `at least`"


@pytest.mark.parametrize("word, digits", [("六年", "6年"), ("五十五周岁", "55周岁"), ("十", "10"), ("十五", "15"),
                                          ("一百零五", "105"), ("两个月", "2个月"), ("五十岁", "50周岁"),
                                          ("年", None), ("九九", None), ("百", None), ("一级", None)])
def test_chinese_numerals_are_read_for_the_hint(word, digits):
    assert arabic(word) == digits


def test_a_number_in_chinese_characters_is_said_so_wherever_it_is_written():
    """`parameter 年限 = 六年` said `六年` needs a type to be read as a code (`parameter x: area = rural`)."""
    exc = refused(HEAD + "parameter 年限 = 六年\n" + rule("tenure at least 五年 and tenure at least 年限")
                  + "sample teacher 甲 { sex: M, birth_date: 1980-01-01, rural_years: 三年 }\n")
    assert [d.zh for d in exc.errors] == ["“六年”是汉字数字；请用阿拉伯数字写作 `6年`",
                                                  "“五年”是汉字数字；请用阿拉伯数字写作 `5年`",
                                                  "“三年”是汉字数字；请用阿拉伯数字写作 `3年`"]
    assert all(d.fixes for d in exc.errors) and "T204" not in {d.code for d in exc.errors}
    given = CliRunner().invoke(cli, ["--lang", "zh", "eval", str(POLICIES / "county_draft.pol"), str(TEACHERS),
                                     "--schools", str(SCHOOLS), "--set", "exchange_tenure=六年"])
    assert given.exit_code == 2 and "--set exchange_tenure=六年：“六年”是汉字数字；请用阿拉伯数字写作 `6年`" in given.output


COUNTY = '''policy "清溪县"
  as of 2026-09-01
extends "fujian.pol"
source QX "清溪县教师交流轮岗实施办法（2026）"

rule QX-1 "同校满6年须到农村学校交流"
  cite QX "第三条"
  when tenure at least 6 years
  then must_rotate
  direction to_rural

exemption QX-2 "患病不交流" as illness
  cite QX "第四条"
  to QX-1
  when serious_illness

precedence FJ-X2 > QX-2

test "满6年：须到农村学校交流"
  teacher 教师 with { school_start: 2019-09-01 }
  school 城区小学
  expect rule QX-1

test "重病：免于交流"
  teacher 教师 with { school_start: 2019-09-01, serious_illness: true }
  school 城区小学
  expect status exempt
'''


def test_a_failed_test_says_the_rule_expected_held_and_which_decided_and_why(tmp_path):
    """A county rule the province's FJ-2 (the same conclusion, first) always outranks: its direction
    never reached a decision, and the failure said only `expected QX-1, got FJ-2`."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path)
    (tmp_path / "qx.pol").write_text(COUNTY, "utf-8")
    zh = CliRunner().invoke(cli, ["--lang", "zh", "test", str(tmp_path / "qx.pol")])
    assert ("规则：预期 QX-1，实际 FJ-2（QX-1 也成立，但 FJ-2 结论相同且排在前面（所继承文件的规则在前），"
            "交流方向等均以 FJ-2 为准；如应由 QX-1 决定，请废止（repeal）或覆盖（override）FJ-2）") in zh.output
    # an exemption that held for the county's rule only: said, with what to add
    assert "QX-2 成立，但只豁免 QX-1，不豁免 FJ-2（如也应豁免，请在 QX-2 的 to 中加上 FJ-2）" in zh.output
    en = CliRunner().invoke(cli, ["--lang", "en", "test", str(tmp_path / "qx.pol")])
    assert "QX-1 held too, but FJ-2 concludes the same and comes first" in en.output
    assert "QX-2 held, but exempts from QX-1, not from FJ-2 (if it should, add FJ-2 to its `to`)" in en.output
    # once FJ-2 is repealed, both pass
    repealed = COUNTY.replace("precedence FJ-X2 > QX-2\n", 'precedence FJ-X2 > QX-2\nrepeal FJ-2 "本县以 QX-1 代之"\n')
    (tmp_path / "qx.pol").write_text(repealed, "utf-8")
    assert CliRunner().invoke(cli, ["--lang", "zh", "test", str(tmp_path / "qx.pol")]).exit_code == 0


def test_a_parameter_s_length_in_quotes_is_said_where_it_is_written():
    """`parameter 年限 = "6年"` was T201 where it was used (以年计的数与文字不能一起使用), at the `when`
    line, naming neither the parameter nor the quotes."""
    exc = refused(HEAD + 'parameter 年限 = "6年"\nparameter 起始 = "2025-09-01"\nparameter 名称 = "城区学校"\n'
                  + rule("tenure at least 年限 and school_start at least 起始 and 名称 = \"城区学校\""))
    assert [(d.span.line, d.zh) for d in exc.errors] == [
        (4, '参数 `年限` 的值 `"6年"` 带引号，是文字；数、期间和日期不加引号：`6年`'),
        (5, '参数 `起始` 的值 `"2025-09-01"` 带引号，是文字；数、期间和日期不加引号：`2025-09-01`')]
    assert exc.errors[0].fixes[0].edits[0].text == "6年"


def test_an_unknown_sample_lists_the_samples_there_are(tmp_path):
    """`teacher 女老师` said R111 with no help: the samples of the file and those it extends were
    nowhere to be seen."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path)
    (tmp_path / "qx.pol").write_text('policy "县"\n  as of 2025-09-01\nextends "fujian.pol"\n'
                                     'test "t"\n  teacher 女老师\n  school 城区小学\n  expect status must_rotate\n', "utf-8")
    with pytest.raises(PolicyError) as info:
        policylang.load(tmp_path / "qx.pol")
    (d,) = [d for d in info.value.errors if d.code == "R111"]
    assert d.help_zh == "可用的教师样例：教师、校长" and d.help_en == "the teacher samples: 教师, 校长"
    near = refused(HEAD + 'sample teacher 男教师 { sex: M, birth_date: 1980-01-01 }\n'
                   'test "t"\n  teacher 男教员\n  expect status must_rotate\n')
    assert near.errors[0].help_zh == "是否应为 `男教师`？"


def test_a_full_width_comma_does_not_hide_the_other_problems(tmp_path):
    """The editor trial: `to JA-1，JA-2` and `tenur` on another line: only the comma was said, the
    misspelt name once the comma was mended. The text is read with its punctuation mended (each
    character where it was), and both are said, in `check` and in the editor alike."""
    from policylang.editing import Workspace

    text = HEAD + rule("tenur at least 6 years and post in {teacher，principal}")
    exc = refused(text)
    assert sorted((d.code, d.span.line, d.span.column) for d in exc.errors) == [("P001", 5, 51), ("R107", 5, 8)]
    assert [d.zh for d in exc.errors if d.code == "R107"] == ["未知名称 `tenur`"]
    only = refused(HEAD + rule("tenure at least 6 年（含）"))  # a note no mending makes valid: the parser's word
    assert [d.code for d in only.errors] == ["P001"]
    path = tmp_path / "县.pol"
    path.write_text(text, "utf-8")
    said = Workspace(tmp_path).diagnostics(path, "zh")
    assert sorted((d.code, d.range.start.line) for d in said) == [("P001", 4), ("R107", 4)]


def test_an_open_prerequisite_keeps_its_unknown_condition_marked_as_undecided():
    """`–` (does not matter) is for a clause found false: a prerequisite whose `applies when` is unknown
    and whose `requires` fails is open, and what is unknown there decides it."""
    import datetime

    from policylang.present.explain import explanation_text

    policy = policylang.loads(HEAD + rule("tenure at least 6 years")
                              + 'prerequisite P-1 "支教者评高级须有农村经历" cite QX "四"\n  for senior\n'
                              '  applies when support_end more than 2020-01-01\n  requires rural_years at least 1 years\n')
    teacher = {"id": "T1", "sex": "F", "birth_date": datetime.date(1980, 9, 1), "work_start": datetime.date(2000, 9, 1),
               "school_start": datetime.date(2015, 9, 1), "school_id": "S1", "post": "teacher", "title": "first",
               "rural_years": 0, "support_end": None}
    text = explanation_text(policy.explain(teacher, {"school_id": "S1", "area": "urban", "stage": "primary"}), "zh")
    lines = text[text.index("P-1 支教者"):].splitlines()
    assert lines[1].lstrip().startswith("? 支教结束时间 > 2020-01-01") and lines[2].lstrip().startswith("✗ 农村任教年限 ≥ 1年")


# ---- comparisons and periods as a document words them (frontend/wording.py) --------------------------

def fixed(text: str, d) -> str:
    """``text`` with the first fix of ``d`` made (spans are 1-based, their end excluded)."""
    lines = text.split("\n")
    for edit in sorted(d.fixes[0].edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        sp = edit.span
        assert sp.line == sp.end_line
        line = lines[sp.line - 1]
        lines[sp.line - 1] = line[:sp.column - 1] + edit.text + line[sp.end_column - 1:]
    return "\n".join(lines)


def the_one(text: str):
    (d,) = refused(text).errors
    return d


@pytest.mark.parametrize("word, op", [("少于", "less than"), ("不足", "less than"), ("低于", "less than"),
                                      ("未满", "less than"), ("超过", "more than"), ("多于", "more than"),
                                      ("高于", "more than"), ("不少于", "at least"), ("不低于", "at least"),
                                      ("满", "at least"), ("不超过", "at most"), ("不高于", "at most")])
def test_a_comparison_word_between_two_values_says_the_operator(word, op):
    """`when years_at_school 少于 6 years`: 少于 and 多于 were `此处不应出现`, with the grammar's list."""
    text = HEAD + rule(f"tenure {word} 6 years")
    d = the_one(text)
    assert d.zh == f"`{word}` 不是运算符；请写作 `{op}`"
    assert policylang.loads(fixed(text, d)) is not None


@pytest.mark.parametrize("written, zh, to", [
    ("少于6年", "`少于` 不是运算符；“少于6年”请写作 `less than 6年`", "less than 6年"),
    ("满六年", "`满` 不是运算符；“满六年”请写作 `at least 6年`", "at least 6年"),
    ("6年以上", "`以上` 不是运算符；“6年以上”请写作 `at least 6年`", "at least 6年"),
    ("6 years 以下", "`以下` 不是运算符；“6 years 以下”请写作 `at most 6 years`", "at most 6 years"),
    ("三年以上", "`以上` 不是运算符；“三年以上”请写作 `at least 3年`", "at least 3年"),
])
def test_a_number_worded_with_its_comparison_is_written_operator_first(written, zh, to):
    """`tenure 少于6年` (one name to the parser) and `tenure 6年以上`: `此处不应出现 `少于6年``."""
    text = HEAD + rule(f"tenure {written}")
    d = the_one(text)
    assert d.zh == zh and d.fixes[0].edits[0].text == to
    assert policylang.loads(fixed(text, d)) is not None


@pytest.mark.parametrize("condition, zh, to", [
    ("age >= 47周岁以上", "已写 `>=`，即“以上”，请删除“以上”", ""),
    ("age <= 55周岁以下", "已写 `<=`，即“以下”，请删除“以下”", ""),
    ("tenure at least 满5年", "已写 `at least`，即“满”，请删除“满”，写作 `5年`", "5年"),
    ("tenure at least 满 5年", "已写 `at least`，即“满”，请删除“满”", ""),
    ("tenure at least 三年以上", "已写 `at least`，即“以上”，请删除“以上”，写作 `3年`", "3年"),
    ("tenure more than 超过3年", "已写 `more than`，即“超过”，请删除“超过”，写作 `3年`", "3年"),
])
def test_a_comparison_said_twice_keeps_the_operator(condition, zh, to):
    """`>= 47周岁以上` said “`以上` is no operator; write `at least`”, beside the `>=` written;
    `at least 满5年` was R107, an unknown name `满5年`."""
    text = HEAD + rule(condition)
    d = the_one(text)
    assert (d.code, d.zh) == ("P001", zh) and d.fixes[0].edits[0].text == to
    assert policylang.loads(fixed(text, d)) is not None


@pytest.mark.parametrize("condition, zh, help_zh", [
    ("age < 47周岁以下", "已写 `<`，又写“以下”（即 `at most`），两者不一致：请按原文只保留一个", "“以下”含本数，`<` 不含本数"),
    ("age at most 47周岁以上", "已写 `at most`，又写“以上”（即 `at least`），两者不一致：请按原文只保留一个",
     "“以上”即 `at least`，与 `at most` 方向相反"),
    ("tenure less than 满5年", "已写 `less than`，又写“满”（即 `at least`），两者不一致：请按原文只保留一个",
     "“满”含本数，`less than` 不含本数"),
])
def test_two_comparisons_that_disagree_are_left_to_the_drafter(condition, zh, help_zh):
    """Which of the two the document means decides who is at the boundary: no fix guesses it."""
    d = the_one(HEAD + rule(condition))
    assert (d.zh, d.help_zh, d.fixes) == (zh, help_zh, ())


PENALTY = 'penalty PEN-1 "拒绝交流的，三年内不得晋升职称" cite QX "五"\n  after refused_exchange\n  effect no_promotion '


@pytest.mark.parametrize("written, zh, to", [
    ("for 3年内", "期限请写作 `3年`：`for 3年` 即事件之后“3年内”", "3年"),
    ("for 3 years 内", "期限请写作 `3 years`：`for 3 years` 即事件之后“3年内”", "3 years"),
    ("for 3年以内", "期限请写作 `3年`：`for 3年` 即事件之后“3年内”", "3年"),
    ("for 三年", "期限请写作 `3年`：`for 3年` 即事件之后“3年内”", "3年"),
    ("for 三年内", "期限请写作 `3年`：`for 3年` 即事件之后“3年内”", "3年"),
    ("for 满3年", "期限请写作 `3年`：`for 3年` 即事件之后“3年内”", "3年"),
    ("三年内", "期限写在 `for` 之后：请写作 `for 3年`", "for 3年"),
    ("3年内", "期限写在 `for` 之后：请写作 `for 3年`", "for 3年"),
])
def test_a_penalty_s_period_as_a_document_words_it(written, zh, to):
    """`effect … for 三年` was R107 (`三年` is no parameter), `for 3年内` `此处不应出现 `内``."""
    text = 'policy "县"\n  effective 2025-09-01\n  as of 2025-09-01\nsource QX "办法"\n' + rule("tenure at least 6 years") \
        + PENALTY + written + "\n"
    d = the_one(text)
    assert (d.code, d.zh, d.fixes[0].edits[0].text) == ("P001", zh, to)
    fixed_policy = policylang.loads(fixed(text, d))
    (effect,) = fixed_policy.checked.consequences[0].effects
    assert effect.duration[0] == 3


def test_the_wording_hints_in_english():
    assert the_one(HEAD + rule("tenure 少于6年")).en == "`少于` is not an operator; for `少于6年` write `less than 6年`"
    assert the_one(HEAD + rule("age >= 47周岁以上")).en == "`>=` says `以上` already: delete `以上`"
    assert the_one(HEAD + rule("age < 47周岁以下")).help_en == "`以下` includes the number, `<` excludes it"


# ---- the drafter's trial of dr23 (a county file extending fujian.pol) ------------------------------

def test_a_title_or_a_reason_written_without_quotes_is_quoted_by_its_fix():
    """`rule QL-3 同校任教满6年的教师，须交流` said `此处不应出现`, listing `,`, `>`, `as`, `at`…, and
    the full-width comma of the title as if it were the language's; a repeal's reason alike."""
    text = HEAD + 'rule QL-3 同校任教满6年的教师，须交流\n  cite QX "三"\n  when tenure at least 6 years\n  then must_rotate\n'
    d = the_one(text)
    assert d.zh == '标题要加引号：请写作 `"同校任教满6年的教师，须交流"`' and d.en.startswith("a title is quoted text")
    assert policylang.loads(fixed(text, d)).checked.rules[-1].title == "同校任教满6年的教师，须交流"
    cited = the_one(HEAD + 'rule QL-3 同校满6年 cite QX "三"\n  when tenure at least 6 years\n  then must_rotate\n')
    assert cited.fixes[0].edits[0].text == '"同校满6年"'  # the title alone, not the citation after it
    reason = the_one('extends "fujian.pol"\npolicy "县"\nrepeal FJ-X1 本县新入职教师同样参加交流\n')
    assert reason.zh == '理由要加引号：请写作 `"本县新入职教师同样参加交流"`'


def test_a_citation_s_hints_name_the_source_written():
    """`cite QL 第六条` was told to write `cite QX "第六条"`: another file's source."""
    d = the_one(HEAD.replace("QX", "QL") + 'rule R-1 "r" cite QL 第六条\n  when tenure at least 6 years\n  then must_rotate\n')
    assert d.help_zh == '写作 `cite QL "第六条"`'
    colon = the_one(HEAD.replace("QX", "QL") + 'rule R-1 "r" cite QL：“六”\n  when tenure at least 6 years\n  then must_rotate\n')
    assert colon.help_zh == '写作 `cite QL "六"`'
    ascii_ = the_one(HEAD.replace("QX", "QL") + 'rule R-1 "r" cite QL: "四、1"\n  when tenure at least 6 years\n  then must_rotate\n')
    assert ascii_.help_en == 'write `cite QL "四、1"`'


def test_yiju_is_cite():
    d = the_one(HEAD + 'rule R-1 "r" 依据 QX "三"\n  when tenure at least 6 years\n  then must_rotate\n')
    assert d.zh == "policylang 不认识“依据”；请写作 `cite`" and d.fixes[0].edits[0].text == "cite"
