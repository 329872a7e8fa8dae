"""The language services (policylang.editing) on the bundled policies and on a county file
that extends one: the diagnostics are those of `check`, each fix mends what it says, and
hover, definition, references, completion and outline follow `extends`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policylang.api import check_file
from policylang.core.diagnostics import PolicyError
from policylang.editing import Position, Workspace
from policylang.editing.text import offset_of

from tests.conftest import POLICIES

BUNDLED = sorted(POLICIES.glob("*.pol"))

COUNTY = '''extends "fujian.pol"

policy "青溪县义务教育教师交流实施办法"

source QX "青溪县办法"

override parameter teacher_tenure = 5 years "本县改为满5年"

rule QX-1 "在本校任教满5年的教师须交流"
  cite QX "第三条"
  when post = teacher and fj_scope and tenure at least teacher_tenure
  then must_rotate
'''

# the county's own exemption for every rule, which no `precedence` orders with the province's
WITH_EXEMPTION = COUNTY + '''
exemption QX-X "支教归来未满1年" as recent_support
  cite QX "第四条"
  to all rules
  when within_last(support_end, 1 years)
'''

def apply(text: str, edits) -> str:
    """The text with the edits made (from the last, so earlier offsets hold)."""
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.column), reverse=True):
        text = text[:offset_of(text, e.range.start)] + e.new_text + text[offset_of(text, e.range.end):]
    return text


def at(text: str, needle: str, nth: int = 0, shift: int = 1) -> Position:
    """The position inside the nth occurrence of ``needle``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    before = text[:offset + shift]
    return Position(before.count("\n"), len(before) - before.rfind("\n") - 1)


@pytest.fixture
def county(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    (tmp_path / "county.pol").write_text(COUNTY, encoding="utf-8")
    return Workspace(tmp_path), tmp_path / "county.pol"


def lines_of(ws, path, text, lang="en"):
    ws.open(path, text)
    return [(d.code, d.range.start.line) for d in ws.diagnostics(path, lang)]


# ---- diagnostics -------------------------------------------------------------------------
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_a_bundled_policy_has_the_diagnostics_check_reports(path):
    _policy, expected, _texts = check_file(path)
    got = Workspace(POLICIES).diagnostics(path, "en")
    own = [d for d in expected if d.span and Path(d.span.source).resolve() == path.resolve()]
    assert sorted((d.code, d.range.start.line + 1) for d in got) == \
        sorted((d.code, d.span.line) for d in own)


def test_every_problem_is_reported_in_the_drafters_language(county):
    ws, path = county
    text = COUNTY.replace("fj_scope", "fj_scop").replace('  cite QX "第三条"\n', "")
    ws.open(path, text)
    zh = {d.code: d.message for d in ws.diagnostics(path, "zh")}
    en = {d.code: d.message for d in ws.diagnostics(path, "en")}
    assert set(zh) == set(en) == {"R107", "L303", "L305"}
    assert zh["R107"].startswith("未知名称 `fj_scop`") and "提示：是否应为 `fj_scope`？" in zh["R107"]
    assert en["R107"].startswith("unknown name `fj_scop`") and "help: did you mean `fj_scope`?" in en["R107"]


def test_the_unsaved_text_of_a_base_is_what_the_county_is_checked_against(county):
    ws, path = county
    assert ws.diagnostics(path) == []
    base = path.parent / "fujian.pol"
    ws.open(base, base.read_text(encoding="utf-8").replace("parameter teacher_tenure", "parameter teacher_years"))
    codes = [d.code for d in ws.diagnostics(path, "en")]
    assert "R105" in codes  # the override now names nothing
    ws.close(base)
    assert ws.diagnostics(path) == []


def test_a_problem_in_a_base_is_shown_on_the_extends_line_with_its_place(county):
    ws, path = county
    base = path.parent / "fujian.pol"
    broken = base.read_text(encoding="utf-8") + '\nrule FJ-Z "x"\n  cite FJ\n  when post = teachr\n  then eligible\n'
    ws.open(base, broken)
    shown = [d for d in ws.diagnostics(path, "en") if d.code == "T204"]
    assert shown and shown[0].range.start.line == 0
    line = broken[:broken.index("teachr")].count("\n") + 1
    assert shown[0].message.startswith(f"fujian.pol:{line}:")
    assert shown[0].fixes == ()  # a fix is offered in the file it changes


# ---- quick fixes ---------------------------------------------------------------------------
@pytest.mark.parametrize("wrong, right, code", [
    ("tenure at least teacher_tenure", "tenure at least teacher_tenur", "R107"),
    ("post = teacher and", "post = teachr and", "T204"),
    ("fj_scope and", "school.stag = primary and", "T207"),
    ('cite QX "第三条"', 'cite QXX "第三条"', "R109"),
    ("override parameter teacher_tenure", "override parameter teacher_tenrue", "R105"),
])
def test_a_did_you_mean_fix_mends_the_name(county, wrong, right, code):
    ws, path = county
    text = COUNTY.replace(wrong, right)
    assert code in [c for c, _ in lines_of(ws, path, text)]
    [diagnostic] = [d for d in ws.diagnostics(path, "zh") if d.code == code]
    [fix] = diagnostic.fixes
    assert fix.title.startswith("将 `")
    assert ws.code_actions(path, diagnostic.range, "zh") == [fix]
    assert lines_of(ws, path, apply(text, fix.edits)) == []


@pytest.mark.parametrize("wrong, written", [
    ("tenure at least teacher_tenure", "6 years"),  # a line in English: English units
    ("本校任教年限 at least teacher_tenure", "6 年"),  # a Chinese policy's line: Chinese units
])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_unit_fix_writes_what_its_help_says_in_the_file_s_words(county, wrong, written, lang):
    """T202: a number in months compared with a count in years. The help showed `6 年` where its fix
    wrote `6 years` (review of dr29): both now write what goes into the file, in the line's words,
    whichever language the messages are in; applied, the file checks clean."""
    ws, path = county
    text = COUNTY.replace("tenure at least teacher_tenure", wrong.replace("teacher_tenure", "72 months"))
    ws.open(path, text)
    [diagnostic] = [d for d in ws.diagnostics(path, lang) if d.code == "T202"]
    [fix] = diagnostic.fixes
    assert [e.new_text for e in fix.edits] == [written] and f"`{written}`" in fix.title
    assert f"`{written}`" in diagnostic.message.split("\n")[-1]  # the help says what the fix writes
    assert lines_of(ws, path, apply(text, fix.edits)) == []


def test_the_missing_precedence_line_is_added_by_its_fix(county):
    ws, path = county
    text = WITH_EXEMPTION
    diagnostics = [d for d in (ws.open(path, text) or ws.diagnostics(path, "en")) if d.code == "T210"]
    assert diagnostics
    for _ in range(len(diagnostics)):  # one line at a time, as a drafter would
        d = next(d for d in ws.diagnostics(path, "en") if d.code == "T210")
        text = apply(text, d.fixes[0].edits)
        ws.open(path, text)
    assert ws.diagnostics(path) == []
    assert "\nprecedence " in text


@pytest.mark.parametrize("name", ["anxi.pol", "安溪县.pol", "zz.pol"])
def test_a_missing_precedence_is_said_in_the_county_file_whatever_its_name(tmp_path, name):
    """An exemption of the county's rule and the province's `to all rules` one, each in one pair:
    the one blamed was the one whose file path sorted last, so `anxi.pol` was told of a problem
    in fujian.pol, with no fix (the base is not the file being edited)."""
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    path = tmp_path / name
    text = COUNTY + '''
exemption QX-X "哺乳期不交流" as nursing
  cite QX "第四条"
  to QX-1
  when nursing
'''
    ws = Workspace(tmp_path)
    ws.open(path, text)
    [d] = [d for d in ws.diagnostics(path, "en") if d.code == "T210"]
    assert d.message.startswith("exemption `QX-X` has no precedence with `FJ-X2`") and d.fixes
    ws.open(path, apply(text, d.fixes[0].edits))
    assert ws.diagnostics(path) == []


def test_a_missing_cite_is_added_by_its_fix_with_the_files_own_source_first(county):
    ws, path = county
    text = COUNTY.replace('  cite QX "第三条"\n', "")
    ws.open(path, text)
    [d] = [d for d in ws.diagnostics(path, "en") if d.code == "L303"]
    assert [f.title for f in d.fixes][:2] == ["Add `cite QX`", "Add `cite FJ`"]
    assert lines_of(ws, path, apply(text, d.fixes[0].edits)) == []


# ---- outline, hover, definition, references -----------------------------------------------------
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_the_outline_lists_every_declaration_of_the_file(path):
    outline = Workspace(POLICIES).outline(path)
    text = path.read_text(encoding="utf-8")
    starts = [line for line in text.split("\n") if line and not line[0].isspace() and not line.startswith("#")]
    assert [s.kind for s in outline] == [line.split()[1 if line.startswith("override ") else 0] for line in starts]
    policy, _d, _t = check_file(path)
    rules = [s.name for s in outline if s.kind == "rule"]
    assert set(rules) <= {r.id for r in policy.rules} and rules
    for s in outline:  # each symbol's name is where its range starts
        assert s.range.start <= s.selection_range.start <= s.range.end


def test_the_outline_of_a_half_typed_file(county):
    ws, path = county
    ws.open(path, COUNTY + "\nrule QX-2 \"未写完\n  when tenure at least\n")
    assert [d.code for d in ws.diagnostics(path)] and \
        [s.name for s in ws.outline(path)][-2:] == ["QX-1", "QX-2"]


def test_hover_shows_a_parameters_value_and_where_it_was_overridden(county):
    ws, path = county
    h = ws.hover(path, at(COUNTY, "teacher_tenure", 1), "zh")
    assert "**参数** `teacher_tenure`" in h.markdown
    assert "声明于 `fujian.pol` 第" in h.markdown and "：`6年`" in h.markdown  # the value as Chinese writes it
    assert "覆盖于 `county.pol` 第 7 行：`5年`" in h.markdown
    assert h.markdown.index("声明于") < h.markdown.index("覆盖于")
    assert "overridden in `county.pol` line 7: `5 years`" in ws.hover(path, at(COUNTY, "teacher_tenure", 1), "en").markdown


def test_hover_in_the_provincial_file_says_what_the_county_files_make_of_it(county):
    """The newcomer's trial: in fujian.pol the hover said `6年` and nothing of the county file
    beside it that sets 5; reading the provincial file, a drafter sees both."""
    ws, path = county
    base = path.parent / "fujian.pol"
    base_text = base.read_text(encoding="utf-8")
    h = ws.hover(base, at(base_text, "parameter teacher_tenure", shift=10), "zh").markdown
    assert "声明于 `fujian.pol` 第" in h and "：`6年`" in h
    assert h.endswith("在扩展本文件的政策中：\n- 覆盖于 `county.pol` 第 7 行：`5年`")
    repealed = COUNTY + "\nrepeal FJ-2\n"
    ws.open(path, repealed)
    h = ws.hover(base, at(base_text, "rule FJ-2", shift=5), "en").markdown
    assert h.endswith("In the files that extend this one:\n- repealed in `county.pol` line 14")
    untouched = ws.hover(base, at(base_text, "parameter principal_tenure ", shift=10), "zh").markdown
    assert "扩展本文件" not in untouched  # no county file changes it


def test_hover_shows_a_rules_text_and_citation(county):
    ws, path = county
    text = COUNTY + "\nexemption QX-Y \"x\" as illness\n  cite QX\n  to QX-1\n"
    ws.open(path, text)
    h = ws.hover(path, at(text, "QX-1", 1), "zh")
    assert "**规则** `QX-1` — 在本校任教满5年的教师须交流" in h.markdown
    assert "when post = teacher and fj_scope" in h.markdown
    assert "- **QX** 《青溪县办法》 第三条" in h.markdown


def test_hover_on_a_field_a_code_and_a_base_definition(county):
    ws, path = county
    h = ws.hover(path, at(COUNTY, "post"), "en")
    assert "**teacher field** `post` 岗位" in h.markdown and "`principal` 校长" in h.markdown
    h = ws.hover(path, at(COUNTY, "fj_scope"), "en")
    assert "**definition** `fj_scope`" in h.markdown and "declared in `fujian.pol` line" in h.markdown
    assert "**code** `teacher` 教师 (post)" in ws.hover(path, at(COUNTY, "teacher", 1), "en").markdown


# The rule of a Chinese drafter: every name in Chinese, as the checker reads them (docs/zh/language.md §八)
CHINESE_RULE = '''
parameter 年龄上限 = 50 years
parameter 任教年限 = 6 years

rule QX-2 "义务教育学校任教满6年、50周岁以下的教师须交流"
  cite QX "第四条"
  when 岗位 = 教师 and 义务教育学校 and 年龄 at most 年龄上限 and 本校任教年限 at least 任教年限
  then must_rotate
'''


@pytest.mark.parametrize("written, english", [("年龄 at", "age"), ("本校任教年限", "tenure"),
                                              ("义务教育学校 and", "compulsory_school")])
def test_a_prelude_definition_by_its_chinese_name_hovers_and_opens_the_prelude(county, written, english):
    from policylang.editing.chain import prelude_path

    ws, path = county
    text = COUNTY + CHINESE_RULE
    ws.open(path, text)
    assert ws.diagnostics(path) == []  # the checker reads the Chinese names
    h = ws.hover(path, at(text, written), "zh")
    assert h is not None and h.markdown.startswith(f"**定义** `{english}`")
    [loc] = ws.definition(path, at(text, written))
    assert loc.path == prelude_path()
    assert prelude_path().read_text(encoding="utf-8").split("\n")[loc.range.start.line].startswith(f"define {english} ")


def test_the_chinese_names_of_a_definition_are_its_references_and_completions(county):
    ws, path = county
    text = COUNTY + CHINESE_RULE
    ws.open(path, text)
    from_chinese = ws.references(path, at(text, "本校任教年限"))
    assert from_chinese == ws.references(path, at(text, "tenure at least"))  # the same definition
    lines = text.split("\n")
    assert {lines[loc.range.start.line][loc.range.start.column:loc.range.end.column]
            for loc in from_chinese if loc.path == path} == {"tenure", "本校任教年限"}
    got = labels(ws, path, text + "\nrule QX-3 \"x\"\n  when 年")
    assert got["年龄"].kind == got["本校任教年限"].kind == got["age"].kind == "definition"
    assert got["本校任教年限"].detail == "tenure · 在本校任教年限"


def test_a_policys_own_name_wins_over_a_chinese_name_of_the_prelude(county):
    ws, path = county
    text = COUNTY + "\nparameter 教龄 = 3 years\n"
    ws.open(path, text)
    assert ws.hover(path, at(text, "教龄"), "zh").markdown.startswith("**参数** `教龄`")
    text += "rule QX-3 \"x\"\n  when 教"
    ws.open(path, text)
    lines = text.split("\n")
    got = [c for c in ws.complete(path, Position(len(lines) - 1, len(lines[-1])), "zh") if c.label == "教龄"]
    assert [c.kind for c in got] == ["parameter"]


def test_a_chinese_code_is_a_code_where_a_sample_has_its_name(county):
    """fujian.pol names a sample `教师`: in `岗位 = 教师` the word is the code, in a test the sample."""
    ws, path = county
    text = COUNTY + CHINESE_RULE
    ws.open(path, text)
    assert ws.hover(path, at(text, "= 教师", shift=3), "zh").markdown.startswith("**取值代码** `teacher` 教师")
    assert ws.definition(path, at(text, "= 教师", shift=3)) == []
    base = path.parent / "fujian.pol"
    base_text = base.read_text(encoding="utf-8")
    [loc] = ws.definition(base, at(base_text, "  teacher 教师 with", shift=11))
    assert loc.range.start == at(base_text, "sample teacher 教师", shift=15)


def test_types_and_values_are_named_in_the_drafters_language(county):
    ws, path = county
    assert "类型：岗位代码" in ws.hover(path, at(COUNTY, "post"), "zh").markdown
    assert "type: post code" in ws.hover(path, at(COUNTY, "post"), "en").markdown
    got = labels(ws, path, COUNTY + "\nrule QX-2 \"x\"\n  when ag")
    assert (got["school_id"].detail, got["学校.区域"].detail) == ("school_id · 文字", "school.area · 区域代码")
    assert got["城区"].detail == "urban (区域)"
    assert ws.hover(path, at(COUNTY, "teacher", 1), "zh").markdown == "**取值代码** `teacher` 教师（岗位）"
    assert labels(ws, path, COUNTY + "\n  when school.")["区域"].detail == "area · 区域代码"
    text = COUNTY + CHINESE_RULE
    ws.open(path, text)
    assert ws.hover(path, at(text, "年龄上限"), "zh").markdown.endswith("：`50周岁`")  # compared with an age
    assert ws.hover(path, at(text, "年龄上限"), "en").markdown.endswith(": `50 years`")


def test_definition_goes_along_extends_most_derived_first(county):
    ws, path = county
    base = (path.parent / "fujian.pol").read_text(encoding="utf-8")
    locs = ws.definition(path, at(COUNTY, "teacher_tenure", 1))
    assert [loc.path.name for loc in locs] == ["county.pol", "fujian.pol"]
    assert locs[1].range.start == at(base, "teacher_tenure", shift=0)
    [loc] = ws.definition(path, at(COUNTY, "fj_scope"))
    assert loc.path.name == "fujian.pol" and loc.range.start == at(base, "define fj_scope", shift=7)
    [loc] = ws.definition(path, at(COUNTY, '"fujian.pol"'))
    assert loc.path.name == "fujian.pol"


def test_references_cross_extends_both_ways(county):
    ws, path = county
    base = path.parent / "fujian.pol"
    base_text = base.read_text(encoding="utf-8")
    from_county = ws.references(path, at(COUNTY, "teacher_tenure", 1))
    from_base = ws.references(base, at(base_text, "teacher_tenure"))
    assert from_county == from_base
    assert {loc.path.name for loc in from_county} == {"county.pol", "fujian.pol"}
    assert len(from_county) == base_text.count("teacher_tenure") + COUNTY.count("teacher_tenure")


# ---- completion ------------------------------------------------------------------------------------
def labels(ws, path, text, pos=None):
    ws.open(path, text)
    lines = text.split("\n")
    return {c.label: c for c in ws.complete(path, pos or Position(len(lines) - 1, len(lines[-1])), "zh")}


def test_completion_offers_fields_codes_parameters_and_definitions(county):
    ws, path = county
    got = labels(ws, path, COUNTY + "\nrule QX-2 \"x\"\n  when ag")
    for label, kind in [("age", "definition"), ("fj_scope", "definition"), ("teacher_tenure", "parameter"),
                        ("birth_date", "field"), ("出生日期", "field"), ("school.area", "field"),
                        ("urban", "code"), ("城区", "code"), ("years_since", "function"), ("at least", "keyword")]:
        assert got[label].kind == kind, label


def test_completion_after_a_table_and_in_clauses(county):
    ws, path = county
    assert {"area", "区域", "stage"} <= set(labels(ws, path, COUNTY + "\n  when school."))
    assert set(labels(ws, path, COUNTY + "\n  cite ")) == {"QX", "FJ", "XM"}
    assert {"must_rotate", "eligible"} <= set(labels(ws, path, COUNTY + "\n  then "))
    assert {"rule", "exemption", "override", "precedence"} <= set(labels(ws, path, COUNTY + "\nex"))
    assert "QX-1" in labels(ws, path, COUNTY + "\nexemption QX-Z \"x\" as illness\n  to ")
    assert {"FJ-X1", "FJ-X2"} <= set(labels(ws, path, COUNTY + "\nprecedence FJ-X2 > "))
    assert labels(ws, path, COUNTY + '\nrule QX-3 "在本校') == {}
    test = COUNTY + '\ntest "t"\n  expect '
    assert {"status", "rule", "exemption"} <= set(labels(ws, path, test))
    assert {"must_rotate", "exempt", "not_eligible"} <= set(labels(ws, path, test + "status "))
    assert list(labels(ws, path, test + "exemption "))[:2] == ["pregnancy", "new_teacher"]  # fujian.pol's own first
    assert "within_cluster" in labels(ws, path, test + "direction ")


def test_full_width_punctuation_is_fixed_where_it_was_typed(county):
    ws, path = county
    text = COUNTY.replace("post = teacher and", "post in {teacher， principal} and")
    ws.open(path, text)
    [d] = ws.diagnostics(path, "zh")
    assert d.code == "P001" and "，" in d.message
    [fix] = d.fixes
    assert lines_of(ws, path, apply(text, fix.edits)) == []


# ---- formatting ----------------------------------------------------------------------------------
def test_format_gives_the_formatters_text_and_refuses_a_file_that_does_not_parse(county):
    from policylang.core.diagnostics import PolicyError
    from policylang.frontend.format import format_text

    ws, path = county
    messy = COUNTY.replace("  when post", "      when    post")
    ws.open(path, messy)
    [edit] = ws.format(path)
    assert apply(messy, [edit]) == format_text(messy) and "\n  when post" in format_text(messy)
    ws.open(path, format_text(messy))
    assert ws.format(path) == []
    ws.open(path, messy + "\nrule QX-2 \"未写完\n")
    with pytest.raises(PolicyError):
        ws.format(path)


def test_a_prelude_definition_opens_the_prelude(county):
    from policylang.editing.chain import prelude_path
    from policylang.frontend.resolve import prelude_source

    ws, path = county
    [loc] = ws.definition(path, at(COUNTY, "tenure at least", shift=1))
    assert loc.path == prelude_path() and loc.path.read_text(encoding="utf-8") == prelude_source().text
    assert "**definition** `tenure`" in ws.hover(path, at(COUNTY, "tenure at least"), "en").markdown


# ---- a half-typed file never breaks a service ------------------------------------------------------
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

PILOT = (POLICIES / "fujian_pilot_district.pol").read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(PILOT)), length=st.integers(0, 40), insert=st.sampled_from(["", "，", "\"", "“", ".", "school.", "\n  when ", "override ", "{"]),
       line=st.integers(0, 400), column=st.integers(0, 90))
def test_every_service_answers_on_any_edit_of_a_bundled_policy(cut, length, insert, line, column):
    """As a drafter types, the text is anything: each service answers (possibly with nothing),
    never raises, and every range it gives lies inside the text."""
    ws = Workspace(POLICIES)
    path = POLICIES / "fujian_pilot_district.pol"
    text = PILOT[:cut] + insert + PILOT[cut + length:]
    ws.open(path, text)
    lines = text.split("\n")

    def inside(r):
        for p in (r.start, r.end):
            assert 0 <= p.line < len(lines) and 0 <= p.column <= len(lines[p.line]), (r, len(lines))

    pos = Position(min(line, len(lines) - 1), column)
    for d in ws.diagnostics(path, "zh"):
        inside(d.range)
        for fix in d.fixes:
            for e in fix.edits:
                inside(e.range)
    for s in ws.outline(path):
        inside(s.range), inside(s.selection_range)
    h = ws.hover(path, pos, "zh")
    if h is not None:
        inside(h.range)
    for loc in ws.definition(path, pos) + ws.references(path, pos):
        if loc.path == path.resolve():
            inside(loc.range)
    ws.complete(path, pos, "en")
    try:
        ws.format(path)
    except PolicyError as exc:  # the one refusal format has: text that does not parse
        assert exc.errors


def test_hover_explains_a_keyword_to_a_drafter(county):
    ws, path = county
    h = ws.hover(path, at(COUNTY, "least"), "zh")
    assert h.markdown == "`at least`：即 `>=`，含本数（满、以上、不少于、达到）"
    line = COUNTY[:COUNTY.index("at least")].count("\n")
    assert (h.range.start.line, h.range.end.line) == (line, line) and h.range.end.column - h.range.start.column == 8
    assert "继承同一目录中另一份政策文件" in ws.hover(path, at(COUNTY, "extends"), "zh").markdown
    assert ws.hover(path, at(COUNTY, "must_rotate"), "en").markdown == "`must_rotate`: must rotate"


@pytest.mark.parametrize("typed, first", [
    ("post = ", ["teacher", "教师", "principal", "校长"]),
    ("post != 职", ["teacher", "教师"]),
    ("title at least ", ["none", "未定级", "third"]),
    ("school.area in {urban, ", ["urban", "城区", "town"]),
    ("学校.学段 not in {", ["primary", "小学"]),
])
def test_completion_after_a_coded_field_offers_its_codes_first(county, typed, first):
    ws, path = county
    text = COUNTY + "\nrule QX-2 \"x\"\n  when " + typed
    ws.open(path, text)
    lines = text.split("\n")
    got = [c.label for c in ws.complete(path, Position(len(lines) - 1, len(lines[-1])), "zh")]
    assert got[:len(first)] == first
    assert "age" in got  # the rest follows: a comparison may also be with a parameter


def test_completion_after_an_uncoded_comparison_offers_no_code_first(county):
    ws, path = county
    text = COUNTY + "\nrule QX-2 \"x\"\n  when tenure at least "
    ws.open(path, text)
    lines = text.split("\n")
    got = ws.complete(path, Position(len(lines) - 1, len(lines[-1])), "zh")
    assert got[0].kind == "parameter"


@pytest.mark.parametrize("typed, expected", [
    ("\n  cite ", {"QX", "FJ", "XM"}),
    ("\nrule QX-2 \"x\"\n  when post = ", {"teacher", "教师", "principal", "校长"}),
    ("\nrule QX-2 \"x\"\n  when tenure at least 6 ", {"years", "年", "个月"}),
    ("\nrule QX-2 \"x\"\n  then ", {"must_rotate", "eligible"}),
])
def test_a_typed_space_offers_what_the_words_before_call_for(county, typed, expected):
    ws, path = county
    text = COUNTY + typed
    ws.open(path, text)
    lines = text.split("\n")
    got = {c.label for c in ws.complete(path, Position(len(lines) - 1, len(lines[-1])), "zh", after_space=True)}
    assert expected <= got
    assert "age" not in got and "出生日期" not in got  # codes, sources, units, outcomes: not every name there is


@pytest.mark.parametrize("typed", ["\nrule QX-2 \"x\"\n  when tenure at least ", "\nrule QX-2 \"x\"\n  when age ",
                                   "\n  ", "\nrule QX-2 \"x\"\n  when post = teacher and "])
def test_a_typed_space_elsewhere_offers_nothing(county, typed):
    ws, path = county
    text = COUNTY + typed
    ws.open(path, text)
    lines = text.split("\n")
    at = Position(len(lines) - 1, len(lines[-1]))
    assert ws.complete(path, at, "zh", after_space=True) == []
    assert ws.complete(path, at, "zh")  # asked for (Ctrl+Space), the whole list as before


def test_hover_on_a_function(county):
    ws, path = county
    text = COUNTY + "\ndefine d = within_last(support_end, 2 years)\n"
    ws.open(path, text)
    assert ws.hover(path, at(text, "within_last"), "zh").markdown == "**函数** `within_last(…)` 近期之内 — 2 个参数"
    assert ws.hover(path, at(text, "within_last"), "en").markdown.endswith("— 2 arguments")


def test_a_penalty_worded_for_titles_that_bars_every_promotion_is_fixed_to_bar_titles(county):
    """The drafter's trial: `effect 不得晋升 "3年内不得晋升职称" … bars promotion` held back appointment as
    principal too (no target: every one), where the words say 职称. L316, and its fix lists the titles."""
    ws, path = county
    # (a county's dated penalty counts from the county file's own effective date: T228)
    text = COUNTY.replace('实施办法"\n', '实施办法"\n  effective 2024-09-01\n', 1) + '''
penalty QX-4 "拒不交流者3年内不得晋升职称"
  cite QX "第五条"
  after refused_exchange
  effect 不得晋升 "3年内不得晋升职称" for 3 years bars promotion
'''
    [diagnostic] = [d for d in (ws.open(path, text) or ws.diagnostics(path, "zh")) if d.code == "L316"]
    [fix] = diagnostic.fixes
    mended = apply(text, fix.edits)
    assert "for 3 years bars promotion first, senior, full_senior\n" in mended
    assert lines_of(ws, path, mended) == []
    principal = text.replace("不得晋升职称", "不得晋升职称、不得任校长")  # the words name the principal too: said so
    assert "L316" not in [c for c, _ in lines_of(ws, path, principal)]


def test_a_wrong_id_in_a_precedence_line_is_said_at_the_id_and_mended_by_one_fix(county):
    """The editor trial: `precedence FJ-X9 > JA-9` said R108 over the whole line, and T210 beside it
    offered a second `precedence` line: both fixes applied, the order was written twice."""
    ws, path = county
    text = WITH_EXEMPTION + '''
precedence FJ-X2 > QX-Y
'''
    ws.open(path, text)
    [wrong] = [d for d in ws.diagnostics(path, "zh") if d.code in ("R108", "T210")]
    line = text.splitlines().index("precedence FJ-X2 > QX-Y")
    assert (wrong.code, wrong.range.start.line, wrong.range.start.column, wrong.range.end.column) == \
        ("R108", line, 19, 23)
    assert wrong.message == "`precedence` 中的 `QX-Y` 不是任何豁免条款的编号\n提示：是否应为 `QX-X`？"
    [fix] = wrong.fixes
    mended = apply(text, fix.edits)
    assert "precedence FJ-X2 > QX-X\n" in mended
    # what is left once it is mended is said then (FJ-X1 and QX-X in no order), and its fix closes it
    ws.open(path, mended)
    [left] = [d for d in ws.diagnostics(path, "zh") if d.code != "L305"]
    assert left.code == "T210" and lines_of(ws, path, apply(mended, left.fixes[0].edits)) == []


def test_a_built_in_name_is_said_declared_in_the_built_in_definitions(county):
    """The editor trial: a hover said 声明于 `<prelude>` 第 13 行, a name no drafter knows."""
    ws, path = county
    ws.open(path, COUNTY)
    zh = ws.hover(path, at(COUNTY, "tenure at least"), "zh").markdown
    assert "声明于 内置定义（prelude.pol）第 " in zh and "<prelude>" not in zh
    assert "declared in the built-in definitions (prelude.pol) line " in ws.hover(path, at(COUNTY, "tenure at least"), "en").markdown
