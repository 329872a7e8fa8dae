"""A county file as a drafter wrote it in the trial of dr23 (tests/cases/trial/qinglan.pol: an age cap,
a provincial exemption repealed with its reason and citation, a title-promotion prerequisite, a
penalty for refusing), first as written, each mistake told what to write, then as mended: it checks
without a warning, its tests pass, and `doc` and `diff` say the repeals' citations, in Chinese."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.trials import beside, first_mistake_told, run

MENDED = (ROOT / "tests" / "cases" / "trial" / "qinglan.pol").read_text(encoding="utf-8")

# what the drafter first wrote, and what check said of it (the parser says one thing per declaration)
FIRST = [("本校任教年限 at least 6 年", "本校任教年限 满 6 年", "`满` 不是运算符；请写作 `at least`"),
         ("年龄 at most 年龄上限", "年龄 以下 年龄上限", "`以下` 不是运算符；请写作 `at most`"),
         ("at least 1年\n", "at least 1年以上\n", "已写 `at least`，即“以上”，请删除“以上”"),
         ("for 3年 bars", "for 三年内 bars", "期限请写作 `3年`：`for 3年` 即事件之后“3年内”"),
         ('repeal FJ-2 "由 QL-3 取代：本县在6年的基础上增加了年龄上限" cite QL "第三条"', "repeal FJ-2",
          "废止 `FJ-2` 既没有写明理由，也没有注明出处"),
         ('repeal FJ-X1 "本县新入职教师同样参加交流"\n  cite QL "第六条"', "repeal FJ-X1 本县新入职教师同样参加交流",
          '理由要加引号：请写作 `"本县新入职教师同样参加交流"`')]


@pytest.fixture
def folder(tmp_path):
    return beside(tmp_path, "fujian.pol")


@pytest.mark.parametrize("mended, written, said", FIRST, ids=[f[1] for f in FIRST])
def test_each_first_mistake_is_told_what_to_write(folder, mended, written, said):
    first_mistake_told(folder / "qinglan.pol", MENDED, mended, written, said, refused=False)  # (L319: a warning)


def test_the_mended_file_checks_tests_and_shows_its_repeals(folder):
    path = folder / "qinglan.pol"
    path.write_text(MENDED, encoding="utf-8")
    checked = run("check", "--strict", path)
    assert checked.exit_code == 0 and "警告" not in checked.output, checked.output
    tested = run("test", path)
    assert tested.exit_code == 0 and "通过 5 项，未通过 0 项" in tested.output, tested.output
    compared = run("diff", folder / "fujian.pol", path, EXAMPLES / "teachers.csv", "--schools", EXAMPLES / "schools.csv")
    assert compared.exit_code == 0, compared.output
    assert ("删除豁免 FJ-X1“新参加工作未满3年的教师不交流（假设）”（废止依据：QL 第六条；理由：本县新入职教师同样参加交流）"
            in compared.output)
    (folder / "ql.txt").write_text("第三条 在同一所学校任教满6年的在编在岗教师，男55周岁以下、女50周岁以下的，须参加交流。\n\n"
                                   "第六条 新入职教师同样参加交流。\n", encoding="utf-8")
    page = folder / "doc.html"
    assert run("doc", path, "--source", f"QL={folder / 'ql.txt'}", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "2 段，其中 0 段未被任何条款引用" in html  # 第六条 is encoded: by the repeal
    assert "<td class='repeal-cites'>QL 第六条</td>" in html
