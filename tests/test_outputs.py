"""Decision files HR can hand on (issue 11, "Outputs HR can hand on"): Chinese headers and
labels, the roster's identifying columns, a BOM or GB18030, a real workbook, refused
suffixes, and the blank roster template. Every XLSX written here is read back with openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import policylang
from policylang.cli import cli
from policylang.io import columnar, output
from policylang.lang import schema as S
from policylang.lang import types as T

DISTRICT = "policies/fujian_pilot_district.pol"
DRAFT = "policies/county_draft.pol"
TEACHERS = "examples/teachers.csv"
SCHOOLS = "examples/schools.csv"
STATUS_ZH = {"须交流", "可交流", "免于交流", "不在交流范围"}
BOM = "\ufeff".encode()


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def read_csv(data: bytes, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding))))


def _roster_ids(path=TEACHERS):
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


# ---- Chinese headers and labels ---------------------------------------------------------


def test_lang_zh_writes_chinese_headers_and_labels_in_csv():
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "csv", "--lang", "zh")
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header == ["工号", "结论", "姓名", "学校代码", "学校名称", "依据规则", "豁免情形", "交流方向", "晋升一级",
                      "晋升高级", "晋升正高级", "任校长", "惩处", "激励", "政策出处", "可申请不参加",
                      "数据不全待核实", "假定取值"]
    rows = read_csv(result.stdout_bytes)
    english = read_csv(run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "csv").stdout_bytes)
    assert {r["结论"] for r in rows} == STATUS_ZH
    pairs = {(e["status"], z["结论"]) for e, z in zip(english, rows)}
    assert pairs == {("must_rotate", "须交流"), ("eligible", "可交流"), ("exempt", "免于交流"),
                     ("not_eligible", "不在交流范围")}
    exemptions = {(e["exemption"], z["豁免情形"]) for e, z in zip(english, rows) if e["exemption"]}
    # a code by its Chinese name: the contract's and the counties' common not_teaching alike
    assert ("pregnancy", "孕期") in exemptions
    assert ("not_teaching", "未任课") in exemptions
    assert {(e["direction"], z["交流方向"]) for e, z in zip(english, rows) if e["direction"]} == \
        {("within_cluster", "片区内交流"), ("to_understaffed", "到缺编学校")}
    unmet = next((e, z) for e, z in zip(english, rows) if ";" in e["promotion_senior"])
    assert unmet[1]["晋升高级"] == "未满足：" + "、".join(unmet[0]["promotion_senior"].split(";"))
    assert {z["任校长"] for e, z in zip(english, rows) if e["promotion_principal"] == "ok"} == {"符合条件"}


def test_penalties_benefits_and_assumptions_read_in_chinese():
    result = run("eval", DRAFT, TEACHERS, "--schools", SCHOOLS, "--format", "csv", "--lang", "zh")
    rows = {r["工号"]: r for r in read_csv(result.stdout_bytes)}
    assert rows["T0012"]["惩处"] == ("CD-5c 延后两年晋升高一级专业技术职务（至2025-09-28）；"
                                   "CD-5c 不得申报评选优秀教师（至2025-09-28）")
    assert rows["T0004"]["激励"] == "CD-6 评优评模、岗位竞聘同等条件下优先"
    layout = output.Layout(lang="zh")
    assume = layout.label("assumptions")
    assert assume("nursing=false;school.area=urban;title=senior;subject=") == "哺乳期=否；学校.区域=城区；职称=高级教师；学科=空"
    assert layout.label("rule") is None and output.Layout().label("status") is None  # English: the contract's codes


def test_lang_zh_workbook_in_chinese_and_a_chinese_roster_gives_one_without_asking(tmp_path):
    out = tmp_path / "结论.xlsx"
    result = run("eval", DISTRICT, "examples/teachers_zh.csv", "--schools", "examples/schools_zh.csv", "-o", out)
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["交流结论", "汇总", "说明", "条款"]
    # what each code of the decisions is: the policy's clauses, with their sources
    clauses = {row[0]: row[1:] for row in wb["条款"].iter_rows(min_row=2, values_only=True)}
    checked = policylang.load(DISTRICT).checked
    assert set(clauses) == ({r.id for r in checked.rules} | {e.id for e in checked.all_exemptions()}
                            | {p.id for p in checked.prerequisites} | {q.id for q in checked.quotas})
    assert clauses["JA-1"] == ("规则", checked.rules[[r.id for r in checked.rules].index("JA-1")].title, "JA 四、1（1）")
    header = [c.value for c in wb["交流结论"][1]]
    assert header[:5] == ["工号", "结论", "姓名", "学校代码", "学校名称"]
    assert {r[1] for r in wb["交流结论"].iter_rows(min_row=2, values_only=True)} == STATUS_ZH
    # a CSV of a Chinese roster is Chinese too, what a clerk opens in WPS (issue 11); a system
    # reading the contract's columns asks for them
    csv_out = run("eval", DISTRICT, "examples/teachers_zh.csv", "--schools", "examples/schools_zh.csv",
                  "--format", "csv")
    assert csv_out.stdout.startswith("工号,结论,姓名,学校代码,学校名称,依据规则")
    contract = run("eval", DISTRICT, "examples/teachers_zh.csv", "--schools", "examples/schools_zh.csv",
                   "--format", "csv", "--lang", "en")
    assert contract.stdout.startswith("id,status,name,school_id,school_name,rule")
    english_roster = CliRunner().invoke(cli, ["eval", DISTRICT, "examples/teachers.csv", "--schools",
                                              "examples/schools.csv", "--format", "csv"], env={"LANG": "zh_CN.UTF-8"})
    assert english_roster.stdout.startswith("id,status,name")  # never the machine's locale
    english = tmp_path / "en.xlsx"
    assert run("eval", DISTRICT, "examples/teachers_zh.csv", "--schools", "examples/schools_zh.csv", "-o", english,
               "--lang", "en").exit_code == 0
    assert load_workbook(english).sheetnames == ["decisions", "summary", "about", "clauses"]


def test_a_chinese_roster_is_told_by_most_of_its_headers():
    assert output.is_chinese_header(["工号", "姓名", "性别", "id"])
    assert not output.is_chinese_header(["id", "name", "sex", "备注"])
    assert not output.is_chinese_header([])


def test_json_keeps_english_keys_and_codes_and_adds_labels():
    zh = json.loads(run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "json", "--lang", "zh").stdout)
    en = json.loads(run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "json").stdout)
    assert [d["status"] for d in zh] == [d["status"] for d in en]
    first = zh[0]
    assert (first["status"], first["status_label"]) == ("must_rotate", "须交流")
    assert (first["direction"], first["direction_label"]) == ("within_cluster", "片区内交流")
    assert first["exemption"] is None and first["exemption_label"] is None
    assert en[0]["status_label"] == "must rotate"
    pregnant = next(d for d in zh if d["exemption"] == "pregnancy")
    assert pregnant["exemption_label"] == "孕期"
    assert first["roster"] == {"name": "邵欣", "school_id": "S02", "school_name": "九中"}


# ---- the roster's identifying columns ---------------------------------------------------


def test_decisions_carry_id_name_and_school_by_default():
    rows = read_csv(run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "csv").stdout_bytes)
    roster = _roster_ids()
    schools = {r["school_id"]: r["name"] for r in csv.DictReader(open(SCHOOLS, encoding="utf-8"))}
    assert list(rows[0])[:5] == ["id", "status", "name", "school_id", "school_name"]
    for row in rows:
        assert (row["name"], row["school_id"]) == (roster[row["id"]]["name"], roster[row["id"]]["school_id"])
        assert row["school_name"] == schools[row["school_id"]]


def _with_id_numbers(tmp_path) -> Path:
    """The sample roster with a 身份证号 column: valid numbers (MOD 11-2) agreeing with each
    teacher's birth date and sex (io/id_number.py), which the readers check."""
    from policylang.io.id_number import check_character

    def number(birth: str, sex: str, k: int) -> str:
        first = "110105" + birth.replace("-", "") + f"{2 * k % 1000 + (sex == 'M'):03d}"[-3:]
        return first + check_character(first)

    frame = pl.read_csv(TEACHERS, infer_schema=False)
    frame = frame.with_columns(pl.Series("身份证号", [number(b, s, k) for k, (b, s) in enumerate(
        zip(frame["birth_date"], frame["sex"]))]))
    path = tmp_path / "teachers.csv"
    frame.write_csv(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "parquet"])
def test_the_id_number_is_never_written_unless_asked(tmp_path, fmt):
    teachers = _with_id_numbers(tmp_path)
    plain, kept = tmp_path / f"plain.{fmt}", tmp_path / f"kept.{fmt}"
    assert run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", plain).exit_code == 0
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", kept, "--keep", "身份证号")
    assert result.exit_code == 0, result.output
    number = pl.read_csv(teachers, infer_schema=False)["身份证号"][0]

    def text(path: Path) -> str:
        if fmt == "xlsx":
            return json.dumps([list(r) for ws in load_workbook(path) for r in ws.iter_rows(values_only=True)],
                              ensure_ascii=False, default=str)
        if fmt == "parquet":
            return pl.read_parquet(path).write_csv()
        return path.read_text("utf-8-sig")

    assert number not in text(plain) and "身份证号" not in text(plain)
    assert number in text(kept)


def test_keep_adds_columns_by_english_or_chinese_name_and_refuses_what_the_roster_lacks(tmp_path):
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "csv", "--keep", "出生日期,title",
                 "--keep", "school.area")
    assert result.exit_code == 0, result.output
    rows = read_csv(result.stdout_bytes)
    assert list(rows[0])[:8] == ["id", "status", "name", "school_id", "school_name", "birth_date", "title",
                                 "school_area"]
    roster = _roster_ids()
    assert all(r["birth_date"] == roster[r["id"]]["birth_date"] and r["title"] == roster[r["id"]]["title"]
               for r in rows)
    zh = read_csv(run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "csv", "--lang", "zh",
                      "--keep", "职称，学校.区域").stdout_bytes)
    assert {r["职称"] for r in zh} <= set(S.TITLE.labels.values()) and {r["学校区域"] for r in zh} <= {"城区", "县城",
                                                                                                "平原", "农村", "山区"}
    missing = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--keep", "籍贯", "--lang", "en")
    assert missing.exit_code == 2 and "--keep 籍贯: the roster has no column `籍贯`" in missing.stderr
    teachers = tmp_path / "t.csv"
    pl.read_csv(TEACHERS, infer_schema=False).drop("subject").write_csv(teachers)
    absent = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--keep", "学科", "--lang", "zh")
    assert absent.exit_code == 2 and "名册中没有“学科”列" in absent.stderr
    typo = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--keep", "nmae", "--lang", "en")
    assert typo.exit_code == 2 and "did you mean `name`?" in typo.stderr


def test_keep_writes_a_year_month_birth_date_as_given_never_with_an_invented_day(tmp_path):
    """`--keep 出生年月` on a roster that gives only the month: every format, streamed (CSV in) or
    read row by row (XLSX in), writes `1980-03`, and a full date in the same column stays whole (a
    workbook's a date cell: a year-month one stays text, as a date cell would hold a day)."""
    roster = pl.read_csv(TEACHERS, infer_schema=False)
    month = roster["birth_date"].str.slice(0, 7).str.replace("-", ".")
    given = roster.with_columns(pl.when(pl.int_range(pl.len()) % 2 == 0).then(month)
                                .otherwise(pl.col("birth_date")).alias("birth_date"))
    expected = dict(zip(given["id"], given["birth_date"].str.replace(".", "-", literal=True)))
    as_csv, as_xlsx = tmp_path / "t.csv", tmp_path / "t.xlsx"
    given.write_csv(as_csv)
    given.write_excel(as_xlsx)
    for source in (as_csv, as_xlsx):
        for fmt in ("csv", "json", "xlsx", "parquet"):
            out = tmp_path / f"out-{source.suffix[1:]}.{fmt}"
            result = run("eval", DISTRICT, source, "--schools", SCHOOLS, "--keep", "出生年月", "-o", out)
            assert result.exit_code == 0, result.output
            if fmt == "csv":
                written = {r["id"]: r["birth_date"] for r in read_csv(out.read_bytes())}
            elif fmt == "json":
                written = {r["id"]: r["roster"]["birth_date"] for r in json.loads(out.read_text("utf-8"))}
            elif fmt == "parquet":
                written = dict(pl.read_parquet(out).select("id", "birth_date").iter_rows())
            else:
                rows = list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
                at = rows[0].index("birth_date")
                assert {type(r[at]) for r in rows[1:] if len(expected[r[0]]) == 10} == {dt.datetime}  # date cells
                written = {r[0]: r[at].date().isoformat() if isinstance(r[at], dt.datetime) else r[at] for r in rows[1:]}
            assert written == expected, (source.name, fmt)
    assert "1980-03" in expected.values() and any(len(v) == 10 for v in expected.values())


def test_keep_heads_a_column_in_chinese_by_the_name_it_was_asked_for(tmp_path):
    """The HR trial (hr27): `--keep 出生年月` wrote the column as 出生日期, and the clerk who asked for
    出生年月 did not find it. In a Chinese file a kept column is headed by the Chinese name asked for
    (an alias, or the roster's own header), streamed (CSV in) or read row by row (XLSX in); asked for
    in English, by the column's Chinese name."""
    roster = pl.read_csv(TEACHERS, infer_schema=False)
    as_csv, as_xlsx = tmp_path / "t.csv", tmp_path / "t.xlsx"
    roster.write_csv(as_csv)
    roster.write_excel(as_xlsx)
    for source in (as_csv, as_xlsx):
        for asked, header in (("出生年月", "出生年月"), ("出生日期", "出生日期"), ("birth_date", "出生日期"),
                              ("职务", "职务"), ("post", "岗位")):
            for fmt in ("csv", "xlsx"):
                out = tmp_path / f"out.{fmt}"
                result = run("eval", DISTRICT, source, "--schools", SCHOOLS, "--keep", asked, "--lang", "zh", "-o", out)
                assert result.exit_code == 0, result.output
                headers = list(read_csv(out.read_bytes())[0]) if fmt == "csv" else \
                    next(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))
                assert header in headers and (asked == header or asked not in headers), (source.name, asked, fmt)


# ---- CSV bytes: BOM, GB18030, the streamed writer ---------------------------------------


def test_a_csv_file_starts_with_a_bom_unless_told_not_to(tmp_path):
    default, no_bom, bom = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for out, extra in ((default, ()), (no_bom, ("--no-bom",)), (bom, ("--bom",))):
        assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, *extra).exit_code == 0
    assert default.read_bytes().startswith(BOM) and default.read_bytes() == bom.read_bytes()
    assert BOM + no_bom.read_bytes() == default.read_bytes()
    stdout = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "csv").stdout_bytes
    assert stdout == no_bom.read_bytes()  # standard output is for programs: a BOM only with --bom
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--format", "csv", "--bom").stdout_bytes == \
        default.read_bytes()


@pytest.mark.parametrize("extra", [(), ("--lang", "zh"), ("--output-encoding", "gb18030", "--lang", "zh"),
                                   ("--keep", "出生日期,在编在岗,骨干级别,农村任教年限,学校.区域", "--lang", "zh", "--fired")],
                         ids=["en", "zh", "gb18030", "kept"])
def test_streamed_and_in_memory_csv_files_are_byte_identical(tmp_path, extra):
    """The bulk engine streams a CSV roster (columnar._Writer); the reference engine writes from
    the row reader's decisions: the same file, byte for byte, in every layout."""
    streamed, written = tmp_path / "bulk.csv", tmp_path / "reference.csv"
    for engine, out in (("bulk", streamed), ("reference", written)):
        result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "--engine", engine, "-o", out, *extra)
        assert result.exit_code == 0, result.output
    assert streamed.read_bytes() == written.read_bytes()


def test_gb18030_output_has_the_same_text_and_no_bom(tmp_path):
    utf8, gb = tmp_path / "u.csv", tmp_path / "g.csv"
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", utf8, "--lang", "zh").exit_code == 0
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", gb, "--lang", "zh",
               "--output-encoding", "gb18030").exit_code == 0
    data = gb.read_bytes()
    assert not data.startswith(BOM) and "须交流".encode("gb18030") in data
    assert data.decode("gb18030") == utf8.read_text("utf-8-sig")
    # and it reads back as a roster-like CSV would: the reader detects GB18030
    assert read_csv(data, "gb18030")[0]["结论"] == "须交流"


def test_the_streamed_writer_writes_the_in_memory_bytes_chunk_by_chunk(tmp_path):
    """``columnar.stream_layout`` in chunks of 37 rows against ``render`` on the row reader's decisions."""
    policy = policylang.load(DISTRICT)
    roster = policy.read_roster(TEACHERS, SCHOOLS)
    decisions = policy.evaluate(roster, engine="reference")
    keep = output.resolve_keep(["出生日期,在编在岗,title,rural_years"], policy.checked.teachers,
                               policy.checked.schools, columnar.roster_header(TEACHERS), columnar.roster_header(SCHOOLS))
    for lang, encoding in (("en", "utf-8"), ("zh", "utf-8"), ("zh", "gb18030")):
        layout = output.Layout(lang=lang, carried=output.IDENTITY + keep, bom=True, encoding=encoding)
        out = tmp_path / f"{lang}-{encoding}.csv"
        streamed = policy.stream_decisions(TEACHERS, SCHOOLS, out, layout=layout, fmt="csv", chunk_rows=37)
        assert (streamed.problems, streamed.decided) == ([], 400)
        assert out.read_bytes() == output.render(decisions, "csv", layout=layout, records=output.roster_records(roster))
    # JSON too, streamed a chunk of objects at a time: the row path's bytes, the rules fired included
    for lang in ("en", "zh"):
        layout = output.Layout(lang=lang, carried=output.IDENTITY + keep)
        out = tmp_path / f"{lang}.json"
        streamed = policy.stream_decisions(TEACHERS, SCHOOLS, out, layout=layout, fmt="json", chunk_rows=37)
        assert (streamed.problems, streamed.decided) == ([], 400)
        assert out.read_bytes() == output.render(decisions, "json", layout=layout, records=output.roster_records(roster))
        objects = json.loads(out.read_bytes())
        assert len(objects) == 400 and objects[0]["fired"] and "roster" in objects[0]


def test_a_json_file_of_no_decisions_is_an_empty_array_on_both_paths(tmp_path):
    policy = policylang.load(DISTRICT)
    header = Path(TEACHERS).read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "t.csv").write_text(header + "\n", encoding="utf-8")
    streamed = policy.stream_decisions(tmp_path / "t.csv", SCHOOLS, tmp_path / "d.json", layout=output.Layout(),
                                       fmt="json")
    assert streamed.decided == 0
    assert (tmp_path / "d.json").read_bytes() == output.render([], "json") and json.loads(output.render([], "json")) == []


def test_label_frame_is_the_row_writer_cell_for_cell():
    layout = output.Layout(lang="zh", carried=(output.NAME, output.Carried("on_staff", "在编在岗", "on_staff", "bool"),
                                        output.Carried("birth_date", "出生日期", "birth_date", "date"),
                                        output.Carried("rural_years", "农村任教年限", "rural_years", "number"),
                                        output.Carried("title", "职称", "title", "title")))
    frame = pl.DataFrame({c: [""] * 3 for c in layout.columns}).with_columns(
        pl.Series("status", ["must_rotate", "exempt", "not_eligible"]),
        pl.Series("name", ["张三", None, "王五"]),
        pl.Series("on_staff", [True, False, None]),
        pl.Series("birth_date", [dt.date(1980, 3, 1), None, dt.date(1990, 1, 31)]),
        pl.Series("rural_years", [2.0, 1.5, None]),
        pl.Series("title", ["senior", "none", None]))
    labelled = output.label_frame(frame, layout)
    assert labelled["status"].to_list() == ["须交流", "免于交流", "不在交流范围"]
    assert labelled["on_staff"].to_list() == ["是", "否", None]
    assert labelled["birth_date"].to_list() == ["1980-03-01", None, "1990-01-31"]
    assert labelled["rural_years"].to_list() == ["2", "1.5", None]
    assert labelled["title"].to_list() == ["高级教师", "未定级", None]
    assert labelled["name"].to_list() == ["张三", None, "王五"]


# ---- the workbook ------------------------------------------------------------------------


def test_the_workbook_has_a_frozen_filtered_header_widths_a_summary_and_notes(tmp_path):
    out = tmp_path / "d.xlsx"
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--lang", "zh",
                 "--set", "age_cap_female=45", "--as-of", "2025-09-01")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    sheet = wb["交流结论"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:R401"
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
    header = [c.value for c in sheet[1]]
    widths = {h: sheet.column_dimensions[c.column_letter].width for h, c in zip(header, sheet[1])}
    schools = [r[header.index("学校名称")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    longest = max(schools, key=len)  # 拱辰中心小学, 石城山区学校: six characters, twelve columns
    assert widths["学校名称"] >= 2 * len(longest) and widths["工号"] < widths["学校名称"]
    assert widths["结论"] >= 2 * len("不在交流范围")
    assert sheet[1][0].font.b  # the header stands out

    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    summary = wb["汇总"]
    assert summary.freeze_panes == "C2" and summary.auto_filter.ref.startswith("A1:H")
    lines = [list(r) for r in summary.iter_rows(values_only=True)]
    assert lines[0] == ["学校代码", "学校名称", "须交流", "可交流", "免于交流", "不在交流范围", "合计", "其中数据不全待核实"]
    for school_id, name, *counts in lines[1:-1]:
        mine = [r for r in rows if r["学校代码"] == school_id]
        assert name == mine[0]["学校名称"]
        assert counts == [sum(r["结论"] == s for r in mine) for s in lines[0][2:6]] + [len(mine)] + [
            sum(bool(r["数据不全待核实"]) for r in mine)]  # (a subset of the total: after it)
    assert lines[-1][0] == "合计" and lines[-1][-2] == 400 and summary.cell(len(lines), 1).font.b
    assert lines[-1][-1] == sum(bool(r["数据不全待核实"]) for r in rows)

    notes = {}
    for item, value in wb["说明"].iter_rows(min_row=2, values_only=True):
        notes.setdefault(item, []).append(value)
    assert notes["政策"] == ["福州市某区义务教育学校教师校际交流实施意见（试点区）"]
    # the file run, then the one it extends, each as the user names it (not an absolute path)
    assert notes["政策文件"] == [DISTRICT] and notes["所继承的上级政策文件"] == ["policies/fujian.pol"]
    assert notes["其内容的 SHA-256 校验值"] == [hashlib.sha256(Path(p).read_bytes()).hexdigest()
                                           for p in (DISTRICT, "policies/fujian.pol")]
    assert notes["参考日期"] == ["2025-09-01"]
    # what it is first, as the document says it, then the value and the name (an age: 周岁)
    assert "女教师交流年龄上限（50周岁以下，含50）：45周岁（age_cap_female）（本次以 --set 指定）" in notes["参数"]
    assert any(v.startswith("教师在同一所学校任教满此年限须列为交流对象（FJ-2）：6年（teacher_tenure）") for v in notes["参数"])
    # new_teacher_years is read by FJ-X1 alone, which the district repeals: listed, it said a rule in force
    assert not [v for v in notes["参数"] if "new_teacher_years" in v]
    assert notes["假定取值（名册缺少的列）"] == ["无"]
    assert notes["命令"] == [f"policylang eval {DISTRICT} {TEACHERS} --schools {SCHOOLS} --as-of 2025-09-01 "
                           f"--set age_cap_female=45 --lang zh --output {out}"]


def test_the_decisions_to_check_stand_out_and_the_notes_fit_a_page(tmp_path):
    """The HR trial: a principal whose 任现职时间 was blank read 不在交流范围 like any other, its
    doubt at the far right; the 说明 sheet's columns were 107 and 121 wide, its values printed
    on a page of their own, and the base file named by an absolute path beside a relative one."""
    rows = list(csv.reader(Path(TEACHERS).read_text(encoding="utf-8-sig").splitlines()))
    post, start = rows[0].index("post"), rows[0].index("post_start")
    principals = [k for k, r in enumerate(rows) if k and r[post] == "principal"][:2]
    for k in principals:
        rows[k][start] = ""
    roster = tmp_path / "t.csv"
    with open(roster, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    out = tmp_path / "d.xlsx"
    assert run("eval", DISTRICT, str(roster), "--schools", SCHOOLS, "-o", out, "--lang", "zh").exit_code == 0
    wb = load_workbook(out)
    sheet = wb["交流结论"]
    header = [c.value for c in sheet[1]]
    marked = {r[0].value: r[header.index("结论")].fill.fgColor.rgb[-6:] if r[header.index("结论")].fill.fill_type
              else None for r in sheet.iter_rows(min_row=2)}
    unsure = {r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("数据不全待核实")]}
    assert unsure and unsure <= {rows[k][0] for k in principals}
    assert {i for i, fill in marked.items() if fill} == unsure and set(marked.values()) == {"FFF2CC", None}
    about = wb["说明"]
    assert about.column_dimensions["A"].width <= 37 and about.column_dimensions["B"].width <= 91
    assert about["A2"].alignment.wrap_text and about["B2"].alignment.wrap_text
    notes = dict(about.iter_rows(min_row=2, values_only=True))
    assert notes["所继承的上级政策文件"] == "policies/fujian.pol"  # as the file run was given, from here
    assert notes["结论人数"] == len(rows) - 1  # a number cell, which Excel sums (it was the text '400')


def test_the_base_file_is_named_as_the_file_run_was_given(tmp_path, monkeypatch):
    """`../policies/x.pol` run, its base was named `/tmp/…/policies/fujian.pol` (the HR trial)."""
    import shutil

    (tmp_path / "policies").mkdir()
    (tmp_path / "work").mkdir()
    for name in ("fujian.pol", "fujian_pilot_district.pol"):
        shutil.copy(Path(DISTRICT).parent / name, tmp_path / "policies" / name)
    teachers, schools = Path(TEACHERS).resolve(), Path(SCHOOLS).resolve()
    monkeypatch.chdir(tmp_path / "work")
    assert run("eval", "../policies/fujian_pilot_district.pol", str(teachers), "--schools", str(schools),
               "-o", "d.xlsx", "--lang", "zh").exit_code == 0
    notes = dict(load_workbook("d.xlsx")["说明"].iter_rows(min_row=2, values_only=True))
    assert (notes["政策文件"], notes["所继承的上级政策文件"]) == ("../policies/fujian_pilot_district.pol",
                                                        "../policies/fujian.pol")
    assert run("eval", str(tmp_path / "policies" / "fujian_pilot_district.pol"), str(teachers), "--schools",
               str(schools), "-o", "e.xlsx", "--lang", "zh").exit_code == 0
    notes = dict(load_workbook("e.xlsx")["说明"].iter_rows(min_row=2, values_only=True))
    assert notes["所继承的上级政策文件"] == str(tmp_path / "policies" / "fujian.pol")  # given absolute: absolute


@pytest.mark.parametrize("lang, title, total", [("zh", "汇总", "合计"), ("en", "summary", "total")])
def test_the_summary_filter_covers_the_schools_not_the_total(lang, title, total, tmp_path):
    """The 汇总 sheet's filter spans the header and one row per school: the total row stays out,
    so filtering or sorting the schools leaves it where it is (and sums all of them)."""
    out = tmp_path / "d.xlsx"
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--lang", lang).exit_code == 0
    summary = load_workbook(out)[title]
    lines = list(summary.iter_rows(values_only=True))
    assert lines[-1][0] == total and summary.max_row == len(lines)
    last_column = summary.cell(1, len(lines[0])).column_letter
    assert summary.auto_filter.ref == f"A1:{last_column}{len(lines) - 1}"
    # the decisions sheet, which has no total, is filtered to its last row
    decisions = load_workbook(out).worksheets[0]
    assert decisions.auto_filter.ref.endswith(str(decisions.max_row))


def test_the_notes_name_the_assumptions_applied(tmp_path):
    teachers = tmp_path / "t.csv"
    pl.read_csv(TEACHERS, infer_schema=False).drop("pregnant").write_csv(teachers)
    out = tmp_path / "d.xlsx"
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", out, "--assume", "孕期=否")
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    notes = {r[0]: r[1] for r in wb["about"].iter_rows(min_row=2, values_only=True)}
    assert notes["assumption applied (a column the roster lacks)"] == "pregnant=false"
    header = [c.value for c in wb["decisions"][1]]
    assert {r[header.index("assumptions")] for r in wb["decisions"].iter_rows(min_row=2, values_only=True)} == \
        {"pregnant=false"}


def test_the_english_notes_say_one_year_and_two_years(tmp_path):
    """The 说明 sheet's parameters: `1 year`, not `1 years` (fujian.pol's rural_years_for_title);
    the durations of every English text are written by one function (pretty.value_text)."""
    from policylang.lang.pretty import value_text

    out = tmp_path / "d.xlsx"
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--lang", "en",
                 "--set", "teacher_tenure=1")
    assert result.exit_code == 0, result.output
    parameters = [r[1] for r in load_workbook(out)["about"].iter_rows(min_row=2, values_only=True)
                  if r[0] == "parameter"]
    assert any(v.startswith("rural_years_for_title = 1 year — ") for v in parameters), parameters
    assert any(v.startswith("teacher_tenure = 1 year (set with --set)") for v in parameters), parameters
    assert any(v.startswith("weak_years_for_title = 3 years — ") for v in parameters)
    assert not any(" 1 years" in v for v in parameters)
    assert [value_text(n, T.NumberType(u)) for u in ("years", "months", "days") for n in (1, 2, 0, 1.5)] == [
        "1 year", "2 years", "0 years", "1.5 years", "1 month", "2 months", "0 months", "1.5 months",
        "1 day", "2 days", "0 days", "1.5 days"]
    assert value_text(1, T.NumberType("years"), "zh") == "1年"


def test_more_rows_than_a_sheet_holds_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(output, "XLSX_MAX_ROWS", 400)  # 399 rows under the header: one too few
    out = tmp_path / "d.xlsx"
    out.write_bytes(b"previous")
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--lang", "en")
    assert result.exit_code == 2
    assert "400 decisions are more than an Excel sheet holds (399 rows under the header); no file written" \
        in result.stderr
    assert out.read_bytes() == b"previous" and [p.name for p in tmp_path.iterdir()] == ["d.xlsx"]
    monkeypatch.setattr(output, "XLSX_MAX_ROWS", 401)
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out).exit_code == 0
    assert load_workbook(out).worksheets[0].max_row == 401


# ---- suffixes and what was written ------------------------------------------------------


@pytest.mark.parametrize("name", ["d.xls", "d.txt", "d.xlsm", "d.csv.gz"])
def test_a_suffix_no_writer_makes_is_refused(tmp_path, name):
    out = tmp_path / name
    result = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--lang", "en")
    assert result.exit_code == 2
    assert f"cannot write a `{out.suffix}` file; the formats are .csv, .json, .xlsx, .parquet" in result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    zh = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--lang", "zh")
    assert zh.exit_code == 2 and "可写的格式：.csv、.json、.xlsx、.parquet" in zh.stderr
    named = run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--format", "csv")
    assert named.exit_code == 0 and out.read_bytes().startswith(BOM + b"id,status")  # asked for by name


@pytest.mark.parametrize("command, name, formats", [
    (("quota", "policies/county_exchange.pol"), "q.xls", ".json、.xlsx（或用 --format 指定）"),
    (("diff", "policies/fujian.pol", DISTRICT), "d.xls", ".json、.csv、.xlsx、.html、.htm、.txt"),
    (("diff", "policies/fujian.pol", DISTRICT), "d.pdf", ".json、.csv、.xlsx、.html、.htm、.txt")])
def test_quota_and_diff_refuse_a_suffix_they_cannot_write_and_say_what_they_wrote(tmp_path, command, name, formats):
    out = tmp_path / name
    result = run(*command, TEACHERS, "--schools", SCHOOLS, "-o", out, "--lang", "zh")
    assert result.exit_code == 2 and f"-o {out}：无法写出“{out.suffix}”格式的文件；可写的格式：{formats}" in result.stderr
    assert list(tmp_path.iterdir()) == []
    good = out.with_suffix(".json")
    written = run(*command, TEACHERS, "--schools", SCHOOLS, "-o", good, "--lang", "zh")
    assert written.exit_code == 0 and f"已写入 {good}" in written.stderr and json.loads(good.read_text("utf-8"))


@pytest.mark.parametrize("command", [("eval", DISTRICT), ("quota", "policies/county_exchange.pol"),
                                     ("diff", "policies/fujian.pol", DISTRICT)], ids=["eval", "quota", "diff"])
def test_no_command_writes_over_a_file_it_reads(tmp_path, command):
    """`-o` naming the roster, the schools file or a policy file (one extended too) is refused
    before anything is read or written: the file is as it was."""
    import shutil

    folder = tmp_path / "work"
    shutil.copytree("policies", folder / "policies")
    roster = "teachers.json" if command[0] == "quota" else "teachers.csv"  # quota writes .json (or .xlsx), not .csv
    for name in (roster, "schools.csv"):
        shutil.copy(f"examples/{name}", folder / name)
    policies = [folder / p for p in command[1:]]
    teachers, schools = folder / roster, folder / "schools.csv"
    base = folder / "policies" / "fujian.pol"  # what fujian_pilot_district.pol extends
    targets = [teachers, schools, policies[-1]] + ([base] if command[0] == "eval" else [])
    for target in targets:
        before = target.read_bytes()
        for lang, said in (("zh", "是本命令读取的"), ("en", "this command reads: writing there would destroy it")):
            fmt = ("--format", "json") if command[0] != "quota" else ()
            result = run(command[0], *policies, teachers, "--schools", schools, "-o", target, *fmt, "--lang", lang)
            assert result.exit_code == 2, (target, result.output)
            assert target.read_bytes() == before
            assert said in result.stderr or target.suffix != ".json" and command[0] == "quota"  # or: not .json
    # the same file reached by another path: a relative one, through a symbolic link
    link = tmp_path / f"link{teachers.suffix}"
    link.symlink_to(teachers)
    result = run(command[0], *policies, link, "--schools", schools, "-o", teachers, "--lang", "en",
                 *(("--format", "json") if command[0] != "quota" else ()))
    assert result.exit_code == 2 and "is the teachers file" in result.stderr


@pytest.mark.parametrize("teachers,name", [(TEACHERS, "d.csv"), ("examples/teachers.xlsx", "d.csv"),
                                           (TEACHERS, "d.json"), (TEACHERS, "d.xlsx"), (TEACHERS, "d.parquet"),
                                           ("examples/teachers.xlsx", "d.parquet"), (TEACHERS, "d")],
                         ids=["csv streamed", "csv", "json", "xlsx", "parquet streamed", "parquet", "no suffix"])
def test_eval_says_what_it_wrote_for_every_format(tmp_path, teachers, name):
    out = tmp_path / name
    result = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    fmt = (out.suffix.lstrip(".") or "csv").upper()
    # the reference date said too: the policy's (2025-09-01), or --as-of's
    assert f"wrote {out}: 400 decisions at 2025-09-01 ({fmt}) in " in result.stderr and out.exists()
    zh = run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", out, "--lang", "zh", "--as-of", "2026-09-01")
    assert f"已写入 {out}：400 条结论，参考日期 2026-09-01（{fmt}，" in zh.stderr


def test_parquet_keeps_the_contracts_english_and_carries_the_roster_columns(tmp_path):
    streamed, written = tmp_path / "bulk.parquet", tmp_path / "reference.parquet"
    for engine, out in (("bulk", streamed), ("reference", written)):
        assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", out, "--engine", engine, "--lang", "zh",
                   "--keep", "出生日期").exit_code == 0
    frame = pl.read_parquet(streamed)
    assert frame.equals(pl.read_parquet(written))
    assert frame.columns[:6] == ["id", "status", "name", "school_id", "school_name", "birth_date"]
    assert set(frame["status"]) == {"must_rotate", "eligible", "exempt", "not_eligible"}


# ---- the roster template ----------------------------------------------------------------


def test_the_template_is_a_roster_workbook_with_lists_formats_and_instructions(tmp_path):
    out = tmp_path / "花名册模板.xlsx"
    result = run("template", "--lang", "zh", "-o", out, "--policy", DISTRICT, "--policy", "policies/miyun.pol")
    assert result.exit_code == 0, result.output
    assert f"已写入 {out}" in result.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["教师", "学校", "填表说明"]
    teachers, schools = wb["教师"], wb["学校"]
    header = [c.value for c in teachers[1]]
    assert header == [f.zh for f in S.TEACHER_FIELDS] + ["参加交流"]  # miyun.pol declares 参加交流
    assert [c.value for c in schools[1]] == [f.zh for f in S.SCHOOL_FIELDS]
    assert teachers.freeze_panes == "B2" and schools.freeze_panes == "A2"
    for ws, fields in ((teachers, list(S.TEACHER_FIELDS) + [None]), (schools, S.SCHOOL_FIELDS)):
        lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
        numbers = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation if dv.type != "list"}
        # a count (任教学校数, 编制数) takes whole numbers, as the readers do (1.5 is R017); years any
        whole = S.WHOLE["teacher" if ws is teachers else "school"]
        assert {cell.value: numbers[f"{cell.column_letter}2:{cell.column_letter}1048576"]
                for cell, field in zip(ws[1], fields) if field is not None and isinstance(field.type, T.NumberType)} \
            == {f.zh: "whole" if f.name in whole else "decimal"
                for f in fields if f is not None and isinstance(f.type, T.NumberType)}
        for cell, field in zip(ws[1], fields):
            letter = cell.column_letter
            where = f"{letter}2:{letter}1048576"
            if field is None or isinstance(field.type, T.BoolType):
                assert lists[where] == '"是,否"', cell.value
            elif field.enum is not None:
                assert lists[where] == '"' + ",".join(field.enum.labels.values()) + '"', cell.value
            else:
                assert where not in lists, cell.value
            if field is not None and isinstance(field.type, T.DateType):  # typed as written: 1985-03 stays a month
                assert ws.column_dimensions[letter].number_format == "@", cell.value
            if field is not None and field.name in ("id", "school_id", "name"):
                assert ws.column_dimensions[letter].number_format == "@", cell.value  # 0012 stays 0012
    guide = [r for r in wb["填表说明"].iter_rows(values_only=True) if r[0] in ("教师", "学校")]
    assert len(guide) == len(header) + len(S.SCHOOL_FIELDS)
    by_column = {(r[0], r[1]): r for r in guide}
    birth = by_column[("教师", "出生日期")]
    assert birth[2] == "birth_date" and "可只填年月" in birth[3] and birth[5] == "必填"
    assert birth[6] == "fujian_pilot_district.pol：JA-1o、JA-1、JA-5b、JA-1q\nmiyun.pol：MY-1、MY-3、MY-4"
    assert by_column[("教师", "孕期")][5] == "政策读取" and by_column[("教师", "学科")][5] == "选填"
    assert by_column[("学校", "区域")][4] == "下拉选择：城区、县城、平原、农村、山区"
    assert by_column[("教师", "参加交流")][6] == "miyun.pol：MY-7"
    # what reads 职称 beside the clauses, in words (it read `promotion`, English in a Chinese guide)
    assert by_column[("教师", "职称")][6].startswith("fujian_pilot_district.pol：FJ-4、JA-5a、JA-5b、结论的晋升一栏")


def test_a_filled_template_is_read_as_a_roster(tmp_path):
    out = tmp_path / "t.xlsx"
    assert run("template", "--lang", "zh", "-o", out).exit_code == 0
    wb = load_workbook(out)
    ws = wb["教师"]
    header = [c.value for c in ws[1]]
    values = {"工号": "0012", "姓名": "张三", "性别": "女", "出生日期": dt.datetime(1980, 3, 1), "学校代码": "S02",
              "到校时间": dt.datetime(2015, 9, 1), "参加工作时间": dt.datetime(2002, 9, 1), "岗位": "教师",
              "在编在岗": "是", "任课": "是", "职称": "一级教师", "孕期": "否"}
    for i, name in enumerate(header, start=1):
        ws.cell(row=2, column=i, value=values.get(name))
    wb.save(out)
    policy = policylang.load(DISTRICT).assuming({n: "" for n, _ in policylang.load(DISTRICT).checked.teachers.reads
                                                 if S.TEACHERS.field(n) and S.TEACHERS.field(n).zh not in values})
    roster = policy.read_roster(out, SCHOOLS)
    assert roster.problems == ()
    row = roster.valid_teachers()[0].values
    assert (row["id"], row["sex"], row["birth_date"], row["title"]) == ("0012", "F", dt.date(1980, 3, 1), "first")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_filled_template_is_both_tables_as_its_instructions_say(lang, tmp_path):
    """Filled in, the template's workbook is given as the teachers and as the schools: each table
    is read from its own sheet. Its instructions (line 4) say so, not that only the first sheet is
    read and the schools sheet must be saved apart."""
    out = tmp_path / "t.xlsx"
    assert run("template", "--lang", lang, "-o", out, "--policy", DISTRICT).exit_code == 0
    wb = load_workbook(out)
    teachers, schools, instructions = wb.worksheets
    for ws, path, encoding in ((teachers, "examples/teachers_zh.csv", "gb18030"),
                               (schools, "examples/schools_zh.csv", "utf-8-sig")):
        table = S.TEACHERS if ws is teachers else S.SCHOOLS
        with open(path, encoding=encoding) as f:
            rows = list(csv.DictReader(f))[:6]
        header = [table.header_field(c.value) for c in ws[1]]
        for row in rows:
            by_name = {field.name: v for k, v in row.items() if (field := table.header_field(k)) is not None}
            if lang == "en":  # the English template's lists hold the codes
                by_name = {k: _code(table.field(k), v) for k, v in by_name.items()}
            ws.append([by_name.get(field.name) if field is not None else None for field in header])
    wb.save(out)
    result = run("eval", DISTRICT, out, "--schools", out, "--format", "json", "--lang", lang)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 6
    line = instructions.cell(row=5, column=1).value
    assert line.startswith("4. ") and f"--schools {'花名册' if lang == 'zh' else 'roster'}.xlsx" in line
    assert "第一个工作表" not in line and "first sheet" not in line
    if lang == "zh":
        assert "填好的工作簿可直接使用" in line and "从“教师”表读取教师、从“学校”表读取学校" in line
    else:
        assert "reads the teachers from the `teachers` sheet and the schools from the `schools` sheet" in line


def _code(field, text):
    """A roster's Chinese label (女, 一级教师, 是) as the English template's list writes it (F, first, yes)."""
    if field is None or not text:
        return text
    if isinstance(field.type, T.BoolType):
        return {"是": "yes", "否": "no"}.get(text, text)
    if field.enum is not None:
        return next((code for code, label in field.enum.labels.items() if label == text), text)
    return text


def test_the_template_in_english_without_a_policy_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no policies folder here: the template needs none
    result = run("template", "--lang", "en", "-o", "roster.xlsx")
    assert result.exit_code == 0, result.output
    wb = load_workbook(tmp_path / "roster.xlsx")
    assert wb.sheetnames == ["teachers", "schools", "instructions"]
    assert [c.value for c in wb["teachers"][1]] == [f.name for f in S.TEACHER_FIELDS]
    sex = next(dv for dv in wb["teachers"].data_validations.dataValidation if dv.sqref and "C2" in str(dv.sqref))
    assert sex.formula1 == '"M,F"'
    assert run("template", "-o", "roster.xls", "--lang", "en").exit_code == 2
    assert not (tmp_path / "roster.xls").exists()


def test_xlsx_bytes_alone_still_makes_a_workbook():
    """The writer without a roster (the embedding API, tests): the decisions, a summary by status, notes."""
    policy = policylang.load(DISTRICT)
    decisions = policy.evaluate(policy.read_roster(TEACHERS, SCHOOLS))
    wb = load_workbook(io.BytesIO(output.render(decisions, "xlsx")))
    assert wb.sheetnames == ["decisions", "summary", "about"]
    assert [c.value for c in wb["decisions"][1]][:3] == ["id", "status", "rule"]
    assert list(wb["summary"].iter_rows(values_only=True))[-1][-2] == 400  # the total, then how many are uncertain


def test_streamed_json_without_a_layout_carries_the_effects_labels(tmp_path):
    """A JSON file streamed with no layout (``Policy.stream_decisions(…, fmt="json")``) names each
    penalty's effect as the decisions do (聘任合同期满后高职低聘), not with a null label."""
    policy = policylang.load("policies/county_draft.pol")
    decisions = policy.evaluate(policy.read_roster(TEACHERS, SCHOOLS))
    out = tmp_path / "d.json"
    assert policy.stream_decisions(TEACHERS, SCHOOLS, out, fmt="json", fired=True).decided == len(decisions)
    streamed = json.loads(out.read_bytes())
    assert any(d.penalties for d in decisions)
    assert [o["penalties"] for o in streamed] == [d.to_json()["penalties"] for d in decisions]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_csv_file_whose_ids_excel_would_rewrite_says_so(tmp_path, encoding):
    """A leading zero (00001) or an 18-digit ID number is text Excel and WPS read as a number
    when they open a CSV file (00001 → 1; the ID number's last digits → 0): the columns are
    named, with XLSX as the way to hand them on; a roster without such values has no note."""
    teachers = _with_id_numbers(tmp_path)
    frame = pl.read_csv(teachers, infer_schema=False).with_columns(pl.format("0{}", pl.col("id").str.slice(1)))
    frame.write_csv(teachers)
    args = ("eval", DISTRICT, teachers, "--schools", SCHOOLS, "--output-encoding", encoding)
    zh = run(*args, "-o", tmp_path / "zh.csv", "--keep", "身份证号,职称", "--lang", "zh")
    assert zh.exit_code == 0, zh.output
    assert "CSV 文件的 工号、身份证号 有 Excel 或 WPS 直接打开时会当作数字改写的值" in zh.stderr
    assert "-o 结论.xlsx" in zh.stderr
    en = run(*args, "-o", tmp_path / "en.csv", "--lang", "en")
    assert "in the CSV file, id has values Excel and WPS rewrite as numbers" in en.stderr
    for quiet in (run(*args, "-o", tmp_path / "x.xlsx", "--keep", "身份证号", "--lang", "en"),
                  run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", tmp_path / "plain.csv", "--lang", "en")):
        assert quiet.exit_code == 0 and "rewrite as numbers" not in quiet.stderr


def test_a_csv_file_whose_year_month_dates_excel_would_rewrite_says_so(tmp_path):
    """A year-month birth date carried into a CSV file (--keep 出生年月) is written 1985-03, as given,
    and Excel and WPS open it as a date on the 1st (Mar-85) and save it back so (HR trial hr26): said
    after writing, as the ids are, with XLSX as the way. So is a text column carried as given whose
    1985.10 Excel would read as the number 1985.1. Full dates are dates to Excel: no note."""
    frame = pl.read_csv(TEACHERS, infer_schema=False)
    months = frame.with_columns(pl.col("birth_date").str.slice(0, 7).str.replace("-", "."),
                                pl.lit("1990.10").alias("入党年月"))
    months.write_csv(tmp_path / "months.csv")
    zh = run("eval", DISTRICT, tmp_path / "months.csv", "--schools", SCHOOLS, "-o", tmp_path / "zh.csv",
             "--keep", "出生日期", "--lang", "zh")
    assert zh.exit_code == 0, zh.output
    assert "1980-03" in (tmp_path / "zh.csv").read_text(encoding="utf-8-sig")  # (written as given)
    assert ("提示：CSV 文件的 出生日期 有只含年月的日期（1985-03），Excel 或 WPS 直接打开时会改写成该月 1 日的日期"
            "（显示为 Mar-85 等），添上名册没有给出的“日”，再保存就改不回来了") in zh.stderr
    en = run("eval", DISTRICT, tmp_path / "months.csv", "--schools", SCHOOLS, "-o", tmp_path / "en.csv",
             "--keep", "birth_date,入党年月", "--lang", "en")
    assert ("note: in the CSV file, 入党年月 has values Excel and WPS rewrite as numbers when they open it" in en.stderr
            and "; birth_date has dates of a year and month alone (1985-03)" in en.stderr), en.stderr
    for quiet in (run("eval", DISTRICT, tmp_path / "months.csv", "--schools", SCHOOLS, "-o", tmp_path / "x.xlsx",
                      "--keep", "birth_date", "--lang", "en"),
                  run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", tmp_path / "full.csv", "--keep",
                      "birth_date", "--lang", "en")):
        assert quiet.exit_code == 0 and "note: in the CSV file" not in quiet.stderr


@pytest.mark.parametrize("command", [["eval"], ["quota"]])
@pytest.mark.parametrize("kind", ["fifo", "symlink"])
def test_an_output_that_is_no_regular_file_is_never_replaced(tmp_path, command, kind):
    """The security review: `-o /dev/full`, a FIFO or a symbolic link was replaced by a regular
    file and reported written (as root, `-o /dev/null` replaced the device). Refused before the
    work, the thing named left as it was; `publish` refuses it too, for every writer."""
    import os

    target = tmp_path / "out.csv"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        (tmp_path / "real.csv").write_text("mine\n", encoding="utf-8")
        target.symlink_to(tmp_path / "real.csv")
    out = target if command[0] == "eval" else target.with_suffix(".json")
    if out != target:
        os.rename(target, out)
    result = CliRunner().invoke(cli, [*command, "policies/fujian_pilot_district.pol", "examples/teachers.csv",
                                      "--schools", "examples/schools.csv", "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 5, result.output
    assert f"无法写入“{out}”：这不是普通文件（而是设备、管道或链接）" in result.stderr
    assert (out.is_fifo() if kind == "fifo" else out.is_symlink())
    if kind == "symlink":
        assert (tmp_path / "real.csv").read_text(encoding="utf-8") == "mine\n"
    tmp = tmp_path / "tmp.csv"
    tmp.write_text("x", encoding="utf-8")
    with pytest.raises(OSError):
        output.publish(tmp, out)


@pytest.mark.parametrize("teachers", [TEACHERS, "examples/teachers.xlsx"])  # streamed, and read whole
def test_citations_are_listed_as_chinese_lists_them(tmp_path, teachers):
    """The HR trial: 政策出处 joined its citations with `;` where the 条款 sheet uses `；`."""
    out = tmp_path / "d.csv"
    assert run("eval", DISTRICT, teachers, "--schools", SCHOOLS, "-o", out, "--lang", "zh").exit_code == 0
    cites = [r["政策出处"] for r in csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())]
    assert "JA 四、1（3）；JA 四、2（5）" in cites and not any(";" in c for c in cites)
    en = tmp_path / "en.csv"
    assert run("eval", DISTRICT, TEACHERS, "--schools", SCHOOLS, "-o", en, "--lang", "en").exit_code == 0
    assert "JA 四、1（3）;JA 四、2（5）" in [r["cite"] for r in csv.DictReader(en.read_text(encoding="utf-8-sig").splitlines())]
