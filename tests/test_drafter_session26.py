"""What the drafter of trial dr26 (a county file on fujian.pol, from seed 001's county draft) met:
a condition as explain, doc and the studio show it, copied into the policy, is mended by check's
fixes word by word back to what it was, and `非任课` is never "mended" into its opposite."""

from __future__ import annotations

from policylang.core.source import Source
from policylang.frontend.pipeline import compile_source
from policylang.lang.pretty import expr_text

HEAD = '''policy "区"
source 方案 "方案"
parameter 男上限 = 55周岁
parameter 女上限 = 50周岁
rule 方案-1 "试"
  cite 方案 "一"
  when '''
TAIL = "\n  then 可交流\n"
# every operator a Chinese explanation writes in its own words
CONDITION = ("岗位 in {教师, 副校长} and 职称 not in {未定级} and not 任课 and not (孕期 or 哺乳期) and 骨干级别 != 无 "
             "and 年龄 <= (if 性别 = 女 then 女上限 else 男上限) and 教龄 >= 2 * 3年 and 支教结束时间 is set "
             "and 处分期满 is empty and not 学校.改革试点")


def _apply(text: str, edits) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        assert e.span.line == e.span.end_line
        line = lines[e.span.line - 1]
        lines[e.span.line - 1] = line[:e.span.column - 1] + e.text + line[e.span.end_column - 1:]
    return "\n".join(lines)


def _shown(text: str) -> str:
    policy, diagnostics, _ = compile_source(Source("c.pol", text))
    assert [d for d in diagnostics if d.severity == "error"] == []
    return expr_text(policy.rules[0].when, lang="zh")


def test_a_condition_copied_from_an_explanation_is_mended_by_check_back_to_itself():
    shown = _shown(HEAD + CONDITION + TAIL)
    assert "属于" in shown and "非任课" in shown and "如果" in shown and "×" in shown  # what is copied
    assert "学校非改革试点" in shown
    text = HEAD + shown + TAIL
    said = []
    for _ in range(40):
        _, diagnostics, _ = compile_source(Source("c.pol", text))
        errors = [d for d in diagnostics if d.severity == "error"]
        if not errors:
            break
        d = errors[0]
        assert d.fixes, f"{d.code} {d.zh}: no fix"
        said.append(d.zh)
        text = _apply(text, d.fixes[0].edits)
    assert _shown(text) == shown, said  # the same condition, not `任课` for `非任课`
    assert any("“非”（不是）在政策文件中写作 `not`" in s for s in said)
    assert any("不认识“如果”" in s for s in said) and any("不认识“否则”" in s for s in said)


def test_not_shown_before_a_name_is_not_mended_into_the_name():
    _, diagnostics, _ = compile_source(Source("c.pol", HEAD + "非任课 and 岗位 = 教师" + TAIL))
    (d,) = [d for d in diagnostics if d.severity == "error"]
    assert d.code == "R107" and d.zh == "`非任课`：“非”（不是）在政策文件中写作 `not`，即 `not 任课`"
    assert d.en == "`非任课`: `非` (not) is written `not` in a policy, as `not 任课`"
    assert (d.span.line, d.span.column, d.span.end_column) == (7, 8, 11)
    assert [e.text for e in d.fixes[0].edits] == ["not 任课"]
    assert "是否应为 `任课`" not in (d.help_zh or "")


def test_not_shown_before_brackets_is_told_to_write_not():
    _, diagnostics, _ = compile_source(Source("c.pol", HEAD + "非(孕期 or 哺乳期)" + TAIL))
    (d,) = [d for d in diagnostics if d.severity == "error"]
    assert d.zh == "`非(…)`：“非”（不是）在政策文件中写作 `not`，即 `not (…)`"
    assert (d.span.column, d.span.end_column) == (8, 9) and [e.text for e in d.fixes[0].edits] == ["not "]


def test_if_then_else_in_chinese_points_at_the_word():
    for written, to in (("如果", "if"), ("则", "then"), ("否则", "else")):
        condition = {"如果": "年龄 <= (如果 性别 = 女 then 女上限 else 男上限)",
                     "则": "年龄 <= (if 性别 = 女 则 女上限 else 男上限)",
                     "否则": "年龄 <= (if 性别 = 女 then 女上限 否则 男上限)"}[written]
        _, diagnostics, _ = compile_source(Source("c.pol", HEAD + condition + TAIL))
        (d,) = [d for d in diagnostics if d.severity == "error"]
        assert d.zh == f"policylang 不认识“{written}”；请写作 `{to}`"
        assert d.span.column == 8 + condition.index(written)


def test_a_test_expecting_exempt_where_no_rule_holds_is_told_why_no_exemption_was_tried(tmp_path):
    """The county's rule excluded recent support teachers (近三年无支教经历), so its exemption for them
    (近两年内已有支教经历) never applied: a test expecting 免于交流 failed with expected and got alone,
    no word of why. Exempt is for one a must_rotate rule holds for: the failure says so, with the
    rules that did not hold and the condition that failed."""
    from click.testing import CliRunner

    from policylang.cli import cli

    (tmp_path / "p.pol").write_text(
        'policy "县"\n  as of 2026-09-01\nsource S "办法"\n'
        'rule R-1 "同校满6年、近三年无支教经历的教师须交流" cite S "三"\n'
        '  when tenure at least 6 years and not (支教结束时间 is set and within_last(支教结束时间, 3年))\n'
        '  then must_rotate\n'
        'exemption E-1 "近两年内已有支教经历的不作为交流对象" as recent_support cite S "四"\n  to R-1\n'
        '  when 支教结束时间 is set and within_last(支教结束时间, 2年)\n'
        'test "近一年支教：免于交流"\n'
        '  teacher { 性别: 女, 出生日期: 1985-03-15, 参加工作时间: 2008-09-01, 到校时间: 2015-09-01, '
        '支教结束时间: 2026-03-01 }\n  school { 区域: 城区, 学段: 小学 }\n'
        '  expect status exempt\n  expect exemption 近期支教\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "zh"]).output
    assert ("结论：预期 免于交流（exempt），实际 不在交流范围（not_eligible）（免于交流只给本应交流的人："
            "没有一条须交流的规则成立，豁免无从适用）；R-1 未成立：✗ 非(支教结束时间 已填写 且 支教结束时间在近3年内)") in out, out
    assert "豁免：预期 近期支教（recent_support），实际 （无）（免于交流只给本应交流的人" in out
    en = CliRunner().invoke(cli, ["test", str(tmp_path / "p.pol"), "--lang", "en"]).output
    assert "status: expected exempt, got not_eligible (exempt is for one a must_rotate rule holds for: none held" in en


def test_a_parameter_in_a_unit_that_does_not_convert_is_not_told_the_same_number_in_years(tmp_path):
    """`override parameter teacher_tenure = 2190 天` was told to write `= 2190 年`: the number kept
    under another unit. Where no whole number of years is meant, the number its description says
    in years is offered (`"同校满6年"`: 6 年), else none: `N 年`, and how to count in days."""
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from policylang.cli import cli

    shutil.copy(Path(__file__).parent.parent / "policies" / "fujian.pol", tmp_path / "fujian.pol")

    def told(value: str, doc: str, lang: str = "zh") -> str:
        (tmp_path / "c.pol").write_text(f'extends "fujian.pol"\npolicy "县"\noverride parameter teacher_tenure = '
                                        f'{value} "{doc}"\n', encoding="utf-8")
        out = CliRunner().invoke(cli, ["check", str(tmp_path / "c.pol"), "--lang", lang]).output
        (line,) = [line for line in out.splitlines() if "override parameter teacher_tenure = " in line
                   and ("提示" in line or "help" in line)]
        return line.split("：", 1)[1] if lang == "zh" else line.split(": ", 1)[1]

    assert told("2190 天", "同校满6年") == "请以年为单位：`override parameter teacher_tenure = 6 年`"
    said = told("2190 天", "同校任教满此年限")
    assert said == ("请按原文以年为单位写：`override parameter teacher_tenure = N 年`（2190天不能准确换算为年，"
                    "不同单位不自动换算）；确要按天计的，请覆盖（override）使用它的条款，改用 `days_since(…)`")
    assert "2190 年" not in said
    assert told("18 个月", "满此年限", "en") == (
        "state it in years, as the document counts it: `override parameter teacher_tenure = N years` (18 months "
        "is no whole number of years; units are never converted); to count in months, override the clause using "
        "it with `months_since(…)`")
    assert told("72 个月", "满此年限") == "请以年为单位：`override parameter teacher_tenure = 6 年`"  # exact
    assert told("50%", "满此年限") == "请按原文以年为单位写：`override parameter teacher_tenure = N 年`（50%是百分数，不是年数）"


def test_a_precedence_naming_an_exemption_the_file_repeals_is_warned_with_the_fix(tmp_path):
    """`repeal FJ-X2 …` then `precedence FJ-X2 > FJ-X1 > YX-1` passed check silently: the repealed id
    was dropped from the order without a word, and a reader takes it that FJ-X2 still exempts."""
    import shutil
    from pathlib import Path

    import policylang
    from policylang.frontend.pipeline import compile_source, read_source

    def compile_file(path):
        return compile_source(read_source(path))

    shutil.copy(Path(__file__).parent.parent / "policies" / "fujian.pol", tmp_path / "fujian.pol")
    county = tmp_path / "c.pol"
    text = ('extends "fujian.pol"\npolicy "县"\n  effective 2026-09-01\n  as of 2026-09-01\nsource YX "办法"\n'
            'repeal FJ-X2 "本县不设孕期豁免" cite YX "四"\n'
            'exemption YX-1 "重病" as illness cite YX "五"\n  to FJ-2\n  when 重病\n'
            'precedence FJ-X2 > FJ-X1 > YX-1\n')
    county.write_text(text, encoding="utf-8")
    _, diagnostics, _ = compile_file(county)
    (d,) = [d for d in diagnostics if d.code == "L321"]
    assert d.zh.startswith("`FJ-X2` 已被废止（") and d.zh.endswith("c.pol:6），这一行优先顺序中的 `FJ-X2` 不起作用")
    assert d.help_zh == "请在此删去 `FJ-X2`；如 `FJ-X2` 仍应豁免，请删去对它的废止（repeal）"
    assert (d.span.line, d.span.column, d.span.end_column) == (10, 12, 17)
    (edit,) = d.fixes[0].edits
    line = text.splitlines()[9]
    assert line[:edit.span.column - 1] + edit.text + line[edit.span.end_column - 1:] == "precedence FJ-X1 > YX-1"
    policylang.load(county)  # a warning: the file is used as written
    # in a base's line (the province's `FJ-X2 > FJ-X1`), the county's repeal drops it without a word
    county.write_text(text.replace("precedence FJ-X2 > FJ-X1 > YX-1", "precedence FJ-X1 > YX-1"), encoding="utf-8")
    assert not [d for d in compile_file(county)[1] if d.code == "L321"]


def test_an_overridden_exemption_without_to_is_told_the_base_s(tmp_path, monkeypatch):
    """`override exemption FJ-X1 …` with a new `when` and no `to` was told only 没有指明适用的规则:
    the drafter rewriting the province's exemption took its `to FJ-2` to be kept. An override
    rewrites the whole; the base's `to` is said, with the fix that writes it."""
    import shutil
    from pathlib import Path

    import policylang
    from policylang.frontend.pipeline import compile_source, read_source

    shutil.copy(Path(__file__).parent.parent / "policies" / "fujian.pol", tmp_path / "fujian.pol")
    monkeypatch.chdir(tmp_path)
    county = tmp_path / "c.pol"
    text = ('extends "fujian.pol"\npolicy "县"\nsource YX "办法"\n'
            'override exemption FJ-X1 "新教师不交流" as new_teacher\n  cite YX "五"\n'
            '  when service_years less than 2 years\n')
    county.write_text(text, encoding="utf-8")
    (d,) = [d for d in compile_source(read_source(county))[1] if d.code == "R108"]
    assert d.zh == "豁免 `FJ-X1` 没有指明适用的规则：`override` 整条改写该豁免，`fujian.pol` 中的 `to FJ-2` 不会沿用"
    assert d.help_zh == "请照 `fujian.pol` 写 `to FJ-2`，或写明本文件要它豁免的规则"
    (edit,) = d.fixes[0].edits
    lines = text.split("\n")
    lines[3] = lines[3][:edit.span.column - 1] + edit.text + lines[3][edit.span.end_column - 1:]
    county.write_text("\n".join(lines), encoding="utf-8")
    assert "  to FJ-2\n" in county.read_text(encoding="utf-8")
    policylang.load(county)
    # a new exemption with no `to` is told as before
    county.write_text(text.replace("override exemption FJ-X1", "exemption YX-1"), encoding="utf-8")
    (d,) = [d for d in compile_source(read_source(county))[1] if d.code == "R108"]
    assert d.zh == "豁免 `YX-1` 没有指明适用的规则（请加 `to 规则编号`）" and d.fixes == ()


def test_the_words_of_an_explanation_on_one_line_are_said_at_once_with_a_fix_for_all():
    """The parser stops a clause at its first slip: a condition copied from explain (`且` three
    times, `≤`, `已填写`) took five rounds of check. The first error says the others on its line,
    with a fix mending them all; a quoted text's words are left as they are."""
    condition = '岗位 属于 {教师, 副校长} 且 年龄 ≤ 50周岁 且 支教结束时间 已填写 且 学校.片区 = "且"'
    text = HEAD + condition + TAIL
    _, diagnostics, _ = compile_source(Source("c.pol", text))
    (d,) = diagnostics
    assert d.zh == "policylang 不认识“属于”；请写作 `in`"
    assert d.help_zh == "本行还有 “且”（`and`，3 处）、“≤”（`<=`）、“已填写”（`is set`），也要改"
    assert [f.zh for f in d.fixes] == ["改为 `in`", "本行 6 处一并改正"]
    mended = _apply(text, d.fixes[1].edits)
    assert 'when 岗位 in {教师, 副校长} and 年龄 <= 50周岁 and 支教结束时间 is set and 学校.片区 = "且"' in mended
    assert [x for x in compile_source(Source("c.pol", mended))[1] if x.severity == "error"] == []
    alone = compile_source(Source("c.pol", HEAD + "年龄 ≤ 50周岁" + TAIL))[1][0]
    assert alone.help_zh is None and len(alone.fixes) == 1  # nothing else on its line


def test_an_unquoted_section_with_a_chinese_enumeration_comma_is_quoted_whole():
    """`cite YX 三、4（一）` was told to write `"三"`: the section cut at its 、, and its fix left
    `、4（一）` behind. The section runs to the line's end (its comment apart)."""
    for written, quoted in (('三、4（一）', '"三、4（一）"'), ("第三条 # 注释", '"第三条"'), ('第三条 "多余"', '"第三条"')):
        text = HEAD.replace('  cite 方案 "一"\n', f"  cite 方案 {written}\n") + "岗位 = 教师" + TAIL
        _, diagnostics, _ = compile_source(Source("c.pol", text))
        d = diagnostics[0]
        assert d.zh == f"引用的条款要加引号：请写作 `{quoted}`", (written, d.zh)
        if "多余" not in written:
            mended = _apply(text, d.fixes[0].edits)
            assert f"  cite 方案 {quoted}" in mended
            assert [x for x in compile_source(Source("c.pol", mended))[1] if x.severity == "error"] == []


def test_yes_or_no_said_in_other_words_is_told_to_write_shi_or_fou_not_to_declare_a_field():
    # `审查调查 = 是的` was told to declare a new field named 是的 (`field teacher.是的: 类型`)
    for said, meant in (("是的", "是"), ("有", "是"), ("没有", "否"), ("no", "否")):
        text = HEAD + f"审查调查 = {said}" + TAIL
        _, diagnostics, _ = compile_source(Source("c.pol", text))
        (d,) = [d for d in diagnostics if d.severity == "error"]
        assert d.code == "R107" and f"写作 `{meant}`" in d.zh and "field teacher" not in (d.help_zh or "")
        mended = _apply(text, d.fixes[0].edits)
        assert mended == HEAD + f"审查调查 = {meant}" + TAIL
        _, diagnostics, _ = compile_source(Source("c.pol", mended))
        assert [d for d in diagnostics if d.severity == "error"] == []
