"""The city file of dr27's trial (tests/cases/trial/yancheng.pol: seed 004's 篇(3), a report on
盐城's “走校式” exchange, on the national file: seven provisions and no rule of its own, since the
report says how teachers exchange, not who must). First as written, each slip told what to write;
then as mended: it checks without a warning, its tests pass, `test --coverage` says there is
nothing of its own to cover, `doc` places every clause beside its paragraph (by a title's words,
a phrase, a bare title), and `diff` against the national file says no one's decision changes."""

from __future__ import annotations

import re

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.trials import beside, first_mistake_told, run

MENDED = (ROOT / "tests" / "cases" / "trial" / "yancheng.pol").read_text(encoding="utf-8")

# the report's shape (abridged): numbered titles, unnumbered paragraphs under them, each way quoted
REPORT = """教师交流能够提升中小学教师队伍整体素质。

一、“走校式”教师模式创新

“走校式”交流模式是一种教师模式的创新，方式包括三种：走校、结对、拜师。优秀教师走出校门送课，其他教师走进优秀教师课堂听课。

“结对式”，即按照各校自愿原则，将强弱学校以及城乡学校结成“手拉手”帮扶对子：每周两次教学商讨，两周一次教学研究，每月一次教学总结会议，每学期一次交流研讨会。

“拜师式”即学校内部交流，新教师可选择一位骨干教师和一名优秀的班主任，结成对子拜为师傅。

二、“走校式”教师交流的实施

为确保实施方案顺利有效进行，必须做到“三个明确”：第一，市教育局制定实施方案，配备专人监督负责；第二，参与交流教师要上好交流课，课后反思，拟成报告；第三，纳入教师交流工作的目标考核。

三、“走校式”教师交流成果

参加过交流课的教师有58例。
"""

# (as mended, as first written, what check said of it)
FIRST = [('  cite YC "二、"', "  cite YC 二、", '引用的条款要加引号：请写作 `"二、"`'),
         ('  note "校内交流', '  注 "校内交流', "policylang 不认识“注”；请写作 `note`"),
         ("provision YC-7", "不能按名册判断的条款 YC-7", "policylang 不认识“不能按名册判断的条款”；请写作 `provision`")]


@pytest.fixture
def folder(tmp_path):
    return beside(tmp_path, "national.pol")


@pytest.mark.parametrize("mended, written, said", FIRST, ids=[f[1] for f in FIRST])
def test_each_first_mistake_is_told_what_to_write(folder, mended, written, said):
    first_mistake_told(folder / "yancheng.pol", MENDED, mended, written, said)


def test_the_mended_file_checks_and_its_tests_pass_with_nothing_of_its_own_to_cover(folder):
    path = folder / "yancheng.pol"
    path.write_text(MENDED, encoding="utf-8")
    checked = run("check", "--strict", path)
    assert checked.exit_code == 0 and "警告" not in checked.output, checked.output
    assert "不能按名册判断的条款 7 条" in checked.output
    tested = run("test", path, "--coverage", "--min-coverage", "100")
    assert tested.exit_code == 0 and "通过 2 项，未通过 0 项" in tested.output, tested.output
    # was "0 项声明中有 0 项被测试覆盖（100%）"
    assert "本身没有规则、豁免、晋升前提或奖惩，没有需要测试覆盖的声明" in tested.output


def test_doc_places_every_clause_beside_the_paragraph_it_encodes(folder):
    path, text, page = folder / "yancheng.pol", folder / "走校式.txt", folder / "doc.html"
    path.write_text(MENDED, encoding="utf-8")
    text.write_text(REPORT, encoding="utf-8")
    result = run("doc", path, "--source", f"YC={text}", "-o", page)
    assert result.exit_code == 0, result.output
    shown = page.read_text(encoding="utf-8")
    beside_text = {re.sub(r"<[^>]+>", "", m[1])[:6]: (re.findall(r"<b>(YC-\d)</b>", m[2]), re.sub(r"<[^>]+>", "", m[2]))
                   for m in re.finditer(r"<div class='text'>(.*?)</div><div class='cites'>(.*?)</div></div>", shown)}
    assert beside_text["“走校式”交"][0] == ["YC-1"] and beside_text["“结对式”，"][0] == ["YC-2", "YC-3"]
    assert beside_text["“拜师式”即"][0] == ["YC-4"]
    assert beside_text["二、“走校式"][0] == ["YC-5", "YC-6", "YC-7"]
    assert beside_text["为确保实施方"][1] == "上文条款引用：YC-5、YC-6、YC-7"  # was 未被引用
    assert beside_text["一、“走校式"][1] == "下文条款引用：YC-1、YC-2、YC-3、YC-4"
    assert "9 段，其中 3 段未被任何条款引用" in shown  # the opening, 三、 and its paragraph: encoded by no clause


def test_diff_against_the_national_file_says_no_decision_changes(folder):
    path = folder / "yancheng.pol"
    path.write_text(MENDED, encoding="utf-8")
    compared = run("diff", folder / "national.pol", path, EXAMPLES / "teachers.csv", "--schools", EXAMPLES / "schools.csv")
    assert compared.exit_code == 0, compared.output
    out = compared.output
    assert "决定有变化 0 人" in out and out.count("新增不能按名册判断的条款 YC-") == 7
    # the causes and the changed people said empty, not headings over nothing, and no note on hidden counts
    assert "原因（人数）：\n  （无：没有人的决定改变）" in out and "有变化的人员（共 0 人）：\n  （无）" in out
    assert "为保护个人隐私" not in out


def test_the_page_of_a_diff_where_no_decision_changes_says_so_once(folder):
    """The page showed a causes table, seven breakdowns, a people table and the note on hidden
    counts, each empty, and an empty quota table."""
    path, page = folder / "yancheng.pol", folder / "report.html"
    path.write_text(MENDED, encoding="utf-8")
    compared = run("diff", folder / "national.pol", path, EXAMPLES / "teachers.csv", "--schools", EXAMPLES / "schools.csv",
                   "-o", page)
    assert compared.exit_code == 0, compared.output
    shown = page.read_text(encoding="utf-8")
    assert "<p class='note' id='unchanged'>没有人的决定改变。</p>" in shown
    assert not any(f"id='{part}'" in shown for part in ("causes", "persons", "privacy")) and "data-dimension" not in shown
    quotas = shown[shown.index("id='quotas'"):shown.index("</table>", shown.index("id='quotas'"))]
    assert "（无变化）" in quotas
