"""The county file of dr25's trial (tests/cases/trial/chengxiang.pol: a district's urban-rural
exchange plan, seed 004 篇（4）, on the national file: two groups who may go, new graduates who
must, a title prerequisite, two penalties and a benefit, six provisions), as mended: it checks
without a warning, its tests pass, fmt has nothing to do, and `doc` places every numbered clause
it encodes; and what the drafter first wrote, each told what to write, in Chinese."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.trials import beside, first_mistake_told, run

MENDED = (ROOT / "tests" / "cases" / "trial" / "chengxiang.pol").read_text(encoding="utf-8")

# (as mended, as first written, what check said of it)
FIRST = [("年龄 at most 年轻教师年龄", "年龄 以下 年轻教师年龄", "`以下` 不是运算符；请写作 `at most`"),
         ("教龄 less than 1年", "教龄 不满 1年", "`不满` 不是运算符；请写作 `less than`"),
         ('provision 四-三 "城区学校至少选派3名优秀骨干教师与农村学校相同学科的教师结成对子，每学期指导不少于4次"\n'
          '  cite 方案 "四、（三）"\n',
          'quota 四-三 "城区学校至少选派3名优秀骨干教师与农村学校相同学科的教师结成对子，每学期指导不少于4次"\n'
          '  cite 方案 "四、（三）"\n  per school\n  require movers where (骨干级别 at least 校级) at least 3\n',
          "不能写固定人数（`3`）"),
         ("field teacher.支教开始日期", 'field teacher.交流考核不合格日期: date "交流考核不合格的日期"\nfield teacher.支教开始日期',
          "`交流考核不合格日期` 是名册本来就有的列（exchange_failed），不必声明"),
         ("  expect direction 到农村学校", "  expect direction 到城区学校", "可用方向：to_rural（到农村学校）"),
         ('field teacher.支教开始日期: date "城区学校新进毕业生到农村学校支教的开始日期"\n'
          'field teacher.支教中止日期: date "支教毕业生未满一年中止支教或有违法违规行为的日期"\n', "",
          "是名册的新列吗？请先声明：`field teacher.支教开始日期: date`"),
         ('field teacher.支教开始日期: date "城区学校新进毕业生到农村学校支教的开始日期"\n'
          'field teacher.支教中止日期: date "支教毕业生未满一年中止支教或有违法违规行为的日期"\n', "",
          "如是名册的新列，请先声明：`field teacher.支教中止日期: 类型`")]


@pytest.fixture
def folder(tmp_path):
    return beside(tmp_path, "national.pol")


@pytest.mark.parametrize("mended, written, said", FIRST, ids=[f[2][:12] for f in FIRST])
def test_each_first_mistake_is_told_what_to_write(folder, mended, written, said):
    first_mistake_told(folder / "chengxiang.pol", MENDED, mended, written, said)


def test_the_mended_file_checks_and_its_tests_pass(folder):
    path = folder / "chengxiang.pol"
    path.write_text(MENDED, encoding="utf-8")
    checked = run("check", "--strict", path)
    assert checked.exit_code == 0 and "警告" not in checked.output, checked.output
    tested = run("test", "--coverage", path)
    assert tested.exit_code == 0 and "通过 15 项，未通过 0 项" in tested.output, tested.output
    assert "（100%）" in tested.output
    assert run("fmt", "--check", path).exit_code == 0


SOURCE = """三、对象和范围

区属各中小学、幼儿园在编教师。

四、具体措施

(一)城乡学校一对一教师交流。农村对应学校选派积极上进、有培养前途的年轻教师到乡村学校任教、跟班辅导,期限为一学年。

(二)上示范课、指导课或讲座。

(三)结对指导。区乡村学校至少选派3名优秀骨干教师与农村学校相同学科的教师结成对子。

(四)乡村学校新进毕业生到农村学校支教。
"""


def test_doc_places_the_scope_and_each_measure(folder):
    path = folder / "chengxiang.pol"
    path.write_text(MENDED, encoding="utf-8")
    (folder / "方案.txt").write_text(SOURCE, encoding="utf-8")
    result = run("doc", path, "--source", f"方案={folder / '方案.txt'}", "-o", folder / "doc.html")
    assert result.exit_code == 0, result.output
    page = (folder / "doc.html").read_text(encoding="utf-8")
    scope = page.split("三、对象和范围")[1].split("</div></div>")[0]
    assert "<b>区属在编教师</b> <span class='kind'>定义</span>" in scope  # the scope, cited by the define
    young = page.split("(一)城乡学校一对一教师交流")[1].split("</div></div>")[0]
    assert "四-一b" in young and "到城区学校任教" in young
