"""Where `doc` and the studio place a citation beside a source's text: by a quoted phrase and the
words after it (`cite FJ "“硬杠杠”：晋升高级教师"`) beside the paragraph that says those words, not on
every paragraph quoting the phrase; by a title (`二、“走校式”教师交流的实施`) with the paragraphs it heads."""

from __future__ import annotations

import re

from click.testing import CliRunner

from policylang.cli import cli
from policylang.studio.sources import Clause, paragraphs

from .conftest import POLICIES

# a news report's shape, as fujian.pol's source is: a heading quoting the phrase, the rules below it
REPORT = """“硬杠杠”撬动城乡统一

根据新的政策，同一所学校任教达到6年的教师必须列为交流对象，校长在一所学校任职达到6至10年，也必须进行交流。

为促进交流，《意见》提出将教师人事关系“收归县管”。

《意见》中还设下了一系列“硬杠杠”：要想晋升高级教师，必须到农村学校、薄弱学校任教；要想当校长，必须有在不少于2所学校工作的经历。

教育均衡又进一步

参加过交流的教师退休后，可以指定一所曾经任教过的学校负责管理服务。
"""


def _clause(ident: str, section: str) -> Clause:
    return Clause(ident, "rule", ident, section, None)


def _placed(text: str, *clauses: Clause) -> dict[int, tuple[list[str], list[str]]]:
    return {p.number: (sorted(c.id for c in p.clauses), sorted(c.id for c in p.below or p.above))
            for p in paragraphs(text, clauses) if p.cited}


def test_each_clause_citing_a_phrase_sits_beside_the_paragraph_saying_its_words():
    """FJ-2, FJ-3 sat on the heading “硬杠杠”撬动城乡统一 and on the prerequisites' paragraph (both
    quote 硬杠杠), and the paragraph stating them was marked not cited (drafter's trial dr27)."""
    placed = _placed(REPORT, _clause("FJ-2", "“硬杠杠”：同校任教达到6年"),
                     _clause("FJ-3", "“硬杠杠”：校长任职6至10年须交流"),
                     _clause("FJ-4", "“硬杠杠”：晋升高级教师"), _clause("FJ-5", "“硬杠杠”：当校长"))
    assert placed == {1: ([], ["FJ-2", "FJ-3"]),  # the heading: cited below it
                      2: (["FJ-2", "FJ-3"], []),
                      4: (["FJ-4", "FJ-5"], [])}


def test_a_phrase_whose_words_no_paragraph_says_is_placed_where_the_phrase_is():
    """Words said nowhere under the phrase (a section naming the phrase and a summary of one's
    own) are no reason to place it elsewhere: where the phrase is, as before."""
    assert _placed(REPORT, _clause("X-1", "“硬杠杠”：编制标准统一")) == {1: (["X-1"], []), 4: (["X-1"], [])}
    assert _placed(REPORT, _clause("X-2", "“硬杠杠”")) == {1: (["X-2"], []), 4: (["X-2"], [])}
    # a phrase in no heading: only the paragraphs holding it are looked in, not those after
    assert _placed(REPORT, _clause("X-3", "“收归县管”：退休后管理服务")) == {3: (["X-3"], [])}


def _beside(tmp_path, text: str) -> dict[str, set[str]]:
    """`doc` of fujian.pol with ``text`` as FJ's: each paragraph's first 8 characters, and the FJ
    clauses beside it."""
    source = tmp_path / "fj.txt"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "doc.html"
    result = CliRunner().invoke(cli, ["doc", str(POLICIES / "fujian.pol"), "--source", f"FJ={source}",
                                      "--lang", "zh", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    return {re.sub(r"<[^>]+>", "", m.group(1))[:8]: set(re.findall(r"<b>(FJ-[\w-]+)</b>", m.group(2)))
            for m in re.finditer(r"<div class='text'>(.*?)</div><div class='cites'>(.*?)</div></div>", page)}


def test_doc_of_the_province_puts_each_hard_requirement_beside_its_own_paragraph(tmp_path):
    beside = _beside(tmp_path, REPORT)
    assert beside["“硬杠杠”撬动城"] == set()  # only 下文条款引用
    assert beside["根据新的政策，同"] == {"FJ-2", "FJ-3", "FJ-3b"}
    assert beside["《意见》中还设下"] == {"FJ-4", "FJ-5"}


def test_the_paragraphs_under_a_cited_title_are_cited_above():
    """`cite YC "二、"`, a title over an unnumbered paragraph (a report's 二、“走校式”教师交流的实施, then
    为确保……“三个明确”): the paragraph the clauses encode read 未被引用 (drafter's trial dr27). A
    numbered paragraph that says something itself is no title: the paragraphs after it are not its."""
    text = ("一、“走校式”教师交流的实施\n\n为确保实施方案顺利进行，必须做到“三个明确”。\n\n第一，校领导重视。\n\n"
            "二、交流成果\n\n参加过交流课的教师有58例。\n\n三、交流人员实行双重管理，以派入学校为主。\n\n交流学校提供住宿。")
    placed = {p.number: p for p in paragraphs(text, [_clause("YC-5", "一、"), _clause("YC-8", "三、")])}
    assert [c.id for c in placed[2].above] == [c.id for c in placed[3].above] == ["YC-5"]
    assert not placed[4].cited and not placed[5].cited  # 二、 and its paragraph: no clause
    assert [c.id for c in placed[6].clauses] == ["YC-8"] and not placed[7].cited  # 三、 says its rule itself


def test_a_section_listing_phrases_is_placed_where_the_paragraph_says_each():
    """FJ-7 cites `交通补贴、农村教师补贴`, which the report says in one paragraph but not as one
    phrase (交通补贴；…农村教师补贴): it was listed as placed nowhere. Parts too short to tell
    a paragraph by (原则、例外) place nothing."""
    text = "给予交流的校长教师一定的交通补贴；符合范围的，可享受当地农村教师补贴。\n\n农村教师补贴将逐步提高。"
    assert _placed(text, _clause("FJ-7", "交通补贴、农村教师补贴")) == {1: (["FJ-7"], [])}
    assert _placed(text, _clause("X-1", "交通补贴、住房补贴")) == {}
    assert _placed("原则上交流，例外的须说明。", _clause("X-2", "原则、例外")) == {}


def test_a_section_whose_last_part_the_paragraph_lacks_is_placed_nowhere():
    """`四、1（9）` was placed beside a paragraph holding （1） and no （9）: the part `1`, not found as a
    heading, was looked for as an item in brackets, and the parts after it were never looked at."""
    text = "四、交流对象\n\n全区教师：（1）男55周岁以下；（2）超编学校富余学科教师。"
    assert _placed(text, _clause("X-1", "四、1（9）")) == {}
    assert _placed(text, _clause("X-2", "四、（2）")) == {1: ([], ["X-2"]), 2: (["X-2"], [])}


def test_words_said_all_but_verbatim_are_placed_and_a_topic_never_said_is_not():
    """The report says 退休后的管理和服务 and 县 (市、区) 域内进行交流, FJ-8 cited 退休后管理和服务 and FJ-1
    交流范围: both were listed as placed at no paragraph (review of dr29). Words the text says but for
    a 的 or a bracket's width and blanks are placed; a topic's name it never says is not placed beside
    a paragraph sharing its characters (交流 in most, 范围 in the one on subsidies), but listed."""
    text = ("《意见》规定, 任职、任教达一定年限的校长和教师, 要在县 (市、区) 域内进行交流。\n\n"
            "参与校际交流的教师, 符合当地农村教师补贴范围的, 可享受当地农村教师补贴。\n\n"
            "参加过校际交流的教师退休后, 可以自行指定一所曾经任教过的学校负责自己退休后的管理和服务。\n")
    assert _placed(text, _clause("FJ-8", "退休后管理和服务")) == {3: (["FJ-8"], [])}
    assert _placed(text, _clause("FJ-1", "在县（市、区）域内进行交流")) == {1: (["FJ-1"], [])}
    assert _placed(text, _clause("X-1", "交流范围")) == {}
    assert _placed(text, _clause("X-2", "教师")) == {}  # (a word of a paragraph, too short to place by)


def test_doc_of_the_province_places_its_scope_and_retirement_clauses_beside_the_report(tmp_path):
    beside = _beside(tmp_path, "日前，福建省教育厅发布的这份《意见》备受关注。《意见》规定, 任职、任教达一定年限的校长和"
                               "教师, 要在县 (市、区) 域内进行交流, 以促进优质教育资源的均衡分配。\n\n" + REPORT
                     + "\n参加过校际交流的教师退休后, 可以自行指定一所曾经任教过的学校负责自己退休后的管理和服务。\n")
    assert beside["日前，福建省教育"] == {"FJ-1"}
    assert beside["参加过校际交流的"] == {"FJ-8"}
