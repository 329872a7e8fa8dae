"""Text tables other than .csv: a tab-separated `.tsv` (refused before as an unknown format) and a
`.txt` (Excel's and WPS's "Text (tab delimited)", or "Unicode text" in UTF-16) are read as a CSV
is, by both readers, and decided alike. A text file whose columns are separated by spaces (or of
fixed width) is refused with one problem that says so, not read as one column whose every row is
a note below the table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

import policylang
from policylang.cli import cli
from policylang.io.columnar import read_frame

POLICY = "policies/fujian.pol"
SCHOOLS = "examples/schools.csv"
ROWS = list(csv.reader(Path("examples/teachers_zh.csv").read_text(encoding="gb18030").splitlines()))[:13]


def _text(rows, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("text")
    made = {"csv": folder / "花名册.csv", "tsv": folder / "花名册.tsv", "txt": folder / "花名册.txt",
            "unicode": folder / "花名册（Unicode 文本）.txt"}
    made["csv"].write_text(_text(ROWS, ","), encoding="utf-8-sig")
    made["tsv"].write_text(_text(ROWS, "\t"), encoding="utf-8")
    made["txt"].write_text(_text(ROWS, "\t"), encoding="gb18030")  # WPS on a Chinese Windows: GBK
    made["unicode"].write_text(_text(ROWS, "\t"), encoding="utf-16")  # Excel's "Unicode text"
    return made


def _eval(path: Path, out: Path, *more: str):
    return CliRunner().invoke(cli, ["--lang", "zh", "eval", POLICY, str(path), "--schools", SCHOOLS, "-o", str(out),
                                    *more])


@pytest.mark.parametrize("kind", ["tsv", "txt", "unicode"])
def test_a_tab_separated_text_file_is_read_as_the_csv_by_both_readers(files, tmp_path, kind):
    policy = policylang.load(POLICY)
    plain = policy.read_roster(files["csv"], SCHOOLS)
    roster = policy.read_roster(files[kind], SCHOOLS)
    assert roster.problems == () and [w.code for w in roster.warnings] == [w.code for w in plain.warnings]
    assert [(r.line, r.values) for r in roster.teachers] == [(r.line, r.values) for r in plain.teachers]
    problems, frame, read, _ = read_frame(policy.checked, files[kind], SCHOOLS)
    assert problems == [] and read == 12 and frame["id"].to_list() == [r.values["id"] for r in plain.teachers]
    for fmt in ("csv", "xlsx"):  # streamed (CSV out) and row by row (XLSX out)
        ours, theirs = tmp_path / f"{kind}.{fmt}", tmp_path / f"csv.{fmt}"
        assert _eval(files[kind], ours).exit_code == 0 and _eval(files["csv"], theirs).exit_code == 0
        if fmt == "csv":
            assert ours.read_bytes() == theirs.read_bytes()


def test_a_tsv_is_tab_separated_whatever_its_first_line_counts(tmp_path):
    """A .tsv's delimiter is a tab by its name: a header of names with commas inside them
    (`任教学科,学段`) is not read as a CSV's."""
    rows = [r[:] for r in ROWS]
    rows[0] = [h if h != "学科" else "学科,学段" for h in rows[0]] + ["备注,说明", "其他,其它"]
    rows[1:] = [r + ["", ""] for r in rows[1:]]
    path = tmp_path / "t.tsv"
    path.write_text(_text(rows, "\t"), encoding="utf-8")
    roster = policylang.load(POLICY).read_roster(path, SCHOOLS)
    assert roster.problems == () and len(roster.valid_teachers()) == 12
    assert {w.column for w in roster.warnings if w.code == "R012"} == {"学科,学段", "备注,说明", "其他,其它"}


def test_columns_separated_by_spaces_are_one_problem_that_says_so(tmp_path):
    path = tmp_path / "空格分隔.txt"
    path.write_text("\n".join(" ".join(c or "-" for c in r) for r in ROWS) + "\n", encoding="utf-8")
    policy = policylang.load(POLICY)
    [problem] = policy.read_roster(path, SCHOOLS).problems
    assert (problem.code, problem.row, problem.column) == ("R009", None, None)
    assert problem.message_zh == (
        "无法读取文件：各列之间用空格分隔，而不是逗号或制表符（Tab）（按空格或固定宽度导出的文本文件），无法确定各单元格属于哪一列。"
        "请在 Excel 或 WPS 中把表格另存为“CSV UTF-8”或“文本文件（制表符分隔）”")
    assert read_frame(policy.checked, path, SCHOOLS)[0] == [problem]  # the streamed reader says the same
    result = _eval(path, tmp_path / "o.csv")
    assert result.exit_code == 3 and result.output.count("[R009]") == 1 and "[R030]" not in result.output


def test_an_unknown_format_names_the_text_ones(tmp_path):
    path = tmp_path / "t.prn"
    path.write_text(_text(ROWS, "\t"), encoding="utf-8")
    [problem] = policylang.load(POLICY).read_roster(path, SCHOOLS).problems
    assert "请用 .csv、.tsv、.txt、.xlsx、.xlsm、.parquet 或 .json" in problem.message_zh
