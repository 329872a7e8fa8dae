"""A column the roster lacks is named in the language of the output: by its Chinese name under
``--lang zh`` (列“孕期”), by its key under ``--lang en`` (column `pregnant`); a header the file
has, as written. Seen in a user trial: 列“pregnant” [R011] in Chinese output."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from policylang.cli import cli

CORPUS = Path("tests/cases/rosters_bad")
HEADER = ["工号", "性别", "出生日期", "学校代码", "到校时间", "参加工作时间", "在编在岗", "农村任教年限", "职称", "姓名", "备注"]
ROW = ["T1", "女", "1980-03-01", "S1", "2015-09-01", "2002-09-01", "是", "0", "一级教师", "王芳", ""]


def _eval(tmp_path: Path, lang: str, header=HEADER) -> str:
    teachers = tmp_path / "t.csv"
    with open(teachers, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, ROW])
    result = CliRunner().invoke(cli, ["eval", str(CORPUS / "policy.pol"), str(teachers), "--schools",
                                      str(CORPUS / "schools.csv"), "--lang", lang, "-o", str(tmp_path / "out.csv")],
                                catch_exceptions=False)
    return result.output


def test_a_missing_column_read_by_the_policy_in_chinese_and_english(tmp_path):
    zh, en = _eval(tmp_path, "zh"), _eval(tmp_path, "en")
    assert "列“孕期” [R011]" in zh and "“pregnant”" not in zh.split("[R011]")[0]
    assert "column `pregnant` [R011]" in en


def test_a_missing_required_column_and_an_unknown_header(tmp_path):
    header = ["编号", *HEADER[1:]]  # no 工号
    zh, en = _eval(tmp_path, "zh", header), _eval(tmp_path, "en", header)
    assert "列“工号” [R001]" in zh and "列“id”" not in zh
    assert "column `id` [R001]" in en
    assert "列“编号” [R012]" in zh and "column `编号` [R012]" in en  # a header as written


def test_a_header_typed_in_full_width_letters_names_its_column(tmp_path):
    """ｐｒｅｇｎａｎｔ (a Chinese input method's full-width letters) is the pregnant column, as
    full-width digits in a cell are digits; both readers, decisions as with the plain header."""
    import policylang

    lines = Path("examples/teachers.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    wide = [h.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}) if h in ("pregnant", "sex") else h for h in header]
    (tmp_path / "t.csv").write_text("\n".join([",".join(wide), *lines[1:]]) + "\n", encoding="utf-8")
    policy = policylang.load("policies/fujian.pol")
    roster = policy.read_roster(tmp_path / "t.csv", "examples/schools.csv")
    assert not roster.problems and not roster.warnings
    plain = policy.evaluate(policy.read_roster("examples/teachers.csv", "examples/schools.csv"))
    assert policy.evaluate(roster) == plain
    out = tmp_path / "d.csv"
    problems, decided, _, _ = policy.stream_decisions(tmp_path / "t.csv", "examples/schools.csv", out)
    assert not problems and decided == len(plain)
