"""``policylang fmt`` and ``format_text``: one canonical layout, idempotent, every comment
kept, full-width punctuation made ASCII outside texts, alignment by display width, and
never a changed decision."""

from __future__ import annotations

import random
import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policylang import api
from policylang.cli import cli
from policylang.core.diagnostics import PolicyError
from policylang.core.text_width import display_width
from policylang.frontend.format import _layout_parser, format_text

from tests.conftest import EXAMPLES, HEADER, POLICIES, ROOT, stating_every_column

CORPUS = sorted(POLICIES.glob("*.pol")) + sorted((ROOT / "tests" / "cases" / "good").glob("*.pol"))
IDS = [p.name for p in CORPUS]


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_formatting_is_idempotent(path):
    once = format_text(path.read_text("utf-8"), str(path))
    assert format_text(once, str(path)) == once


@pytest.mark.parametrize("path", CORPUS, ids=IDS)
def test_formatting_never_changes_a_decision(path):
    """The same checked policy, and the same decision for every teacher of the sample roster."""
    text = path.read_text("utf-8")
    before, after = api.loads(text, name=str(path), root=path.parent), \
        api.loads(format_text(text, str(path)), name=str(path), root=path.parent)
    assert attrs.evolve(before.checked, texts={}) == attrs.evolve(after.checked, texts={})
    before, after = stating_every_column(before), stating_every_column(after)  # columns the sample roster lacks
    roster = before.read_roster(EXAMPLES / "teachers.csv", EXAMPLES / "schools.csv")
    assert not roster.problems and len(roster.teachers) == 400
    assert before.evaluate(roster) == after.evaluate(roster)


# ---- hypothesis: any layout of a corpus file formats to the same text ------------------------

_WIDE = {",": "，", ":": "：", "(": "（", ")": "）", ">": "＞", "=": "＝", "{": "｛", "}": "｝", "%": "％",
         "<": "＜", ".": "．", "-": "－"}


def scramble(text: str, rng: random.Random) -> str:
    """The same policy laid out at random: other spaces and tabs between tokens, other
    indentation, clauses joined onto one line, punctuation and digits made full-width; the
    line breaks that carry meaning to a reader (comments, blank lines, breaks inside a
    clause) kept."""
    tokens = _tokens(text)
    out, position = [], 0
    for i, token in enumerate(tokens):
        gap = text[position:token.start_pos]
        out.append(_scramble_gap(gap, token, rng, first=i == 0))
        value = token.value
        if value in _WIDE and rng.random() < 0.5:
            value = _WIDE[value]
        elif value[:1].isdigit() and rng.random() < 0.5:
            value = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in value)
        out.append(value)
        position = token.end_pos
    out.append(text[position:])
    return "".join(out)


def _tokens(text: str):
    from policylang.frontend.format import _Tokens

    return _Tokens(text, _layout_parser().parse(text)).list


def _scramble_gap(gap: str, token, rng: random.Random, first: bool) -> str:
    spaces = lambda: rng.choice([" ", "  ", "\t", " \t "])  # noqa: E731
    if "\n" not in gap:
        return gap if not gap and rng.random() < 0.5 else spaces() if gap or rng.random() < 0.5 else ""
    lines = gap.split("\n")
    # a clause starting a line of its own may as well follow on the line before it
    if (len(lines) == 2 and "#" not in gap and not first and token.value in _CLAUSE_WORDS
            and rng.random() < 0.3):
        return spaces()
    lines = [line.strip(" \t") for line in lines]
    return "\n".join((spaces() if rng.random() < 0.5 else "") + line + (spaces() if rng.random() < 0.2 else "")
                     if line or i == len(lines) - 1 else "" for i, line in enumerate(lines))


# keywords that only ever start a clause or a declaration in the corpus
_CLAUSE_WORDS = {"cite", "when", "note", "expect", "document", "jurisdiction", "effective", "requires",
                 "direction", "effect", "per", "require", "order", "parameter", "rule", "source", "define",
                 "exemption", "prerequisite", "provision", "precedence", "sample", "penalty", "benefit", "quota"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(CORPUS), seed=st.integers(0, 2**32))
def test_any_layout_formats_to_the_same_text(path, seed):
    text = path.read_text("utf-8")
    scrambled = scramble(text, random.Random(seed))
    assert format_text(scrambled, str(path)) == format_text(text, str(path))


# ---- what the layout keeps and changes ---------------------------------------------------------

COMMENTED = HEADER + """# before a parameter
parameter 年龄上限 = 50 years "男50周岁以下"  # trailing, aligned
parameter tenure_min = 6 years  # another
rule R-1 "t" cite S "一"   # the cite moves to a line of its own, this comment with it
    # inside the rule
  when age at most 年龄上限 and   # mid-condition
   tenure at least tenure_min
  then must_rotate
# at the end


"""


def test_every_comment_is_kept_in_order():
    result = format_text(COMMENTED)
    comments = lambda t: re.findall(r"#[^\n]*", t)  # noqa: E731
    assert [c.rstrip() for c in comments(COMMENTED)] == comments(result)
    assert result.endswith("then must_rotate\n# at the end\n")
    assert 'rule R-1 "t"\n  cite S "一"  # the cite moves' in result
    assert "\n  # inside the rule\n  when age at most 年龄上限 and  # mid-condition\n       tenure" in result


def test_trailing_comments_of_consecutive_lines_are_aligned_by_display_width():
    result = format_text(COMMENTED)
    lines = [line for line in result.splitlines() if line.startswith("parameter")]
    assert len(lines) == 2
    # 年龄上限 is 4 characters but 8 columns: the comments start in the same column on screen
    columns = {display_width(line[:line.index("#")]) for line in lines}
    assert len(columns) == 1
    assert len({line.index("#") for line in lines}) == 2  # (in characters they differ)


def test_continuation_lines_are_aligned_by_display_width():
    text = HEADER + """rule R-1 "t"
  cite S
  when post = teacher and school.area in { urban,town }
   and tenure at least 6 years
  then must_rotate
sample teacher 女教师甲 { sex: 女, birth_date: 1980-01-01,
  work_start: 2000-09-01 }
"""
    result = format_text(text)
    lines = result.splitlines()
    when = next(line for line in lines if line.startswith("  when"))
    assert when == "  when post = teacher and school.area in {urban, town}"
    assert next(line for line in lines if "tenure at least" in line) == "       and tenure at least 6 years"
    sample = next(i for i, line in enumerate(lines) if line.startswith("sample"))
    # under `sex`, after `sample teacher 女教师甲 { ` (26 columns, 22 characters)
    assert display_width(lines[sample][:lines[sample].index("sex")]) == 26
    assert lines[sample + 1] == " " * 26 + "work_start: 2000-09-01 }"


def test_full_width_punctuation_and_digits_outside_texts_become_ascii():
    text = HEADER + """parameter 年龄上限 ＝ ５０ years "５０周岁，（含）"   # 注释：（全角）保留
rule R-1 "t"
  cite S "一"
  when age ＜＝ 年龄上限 and school．area in ｛urban，town｝
  then must_rotate
test "全角"
  as of ２０２５－０９－０１
  teacher { sex：女，birth_date：1980-01-01，work_start: 2000-09-01, school_start: 2010-09-01 }
  school { area: urban, stage: primary }
  expect status must_rotate
"""
    result = format_text(text)
    assert 'parameter 年龄上限 = 50 years "５０周岁，（含）"  # 注释：（全角）保留' in result
    assert "  when age <= 年龄上限 and school.area in {urban, town}\n" in result
    assert "  as of 2025-09-01\n" in result
    assert "teacher { sex: 女, birth_date: 1980-01-01, work_start: 2000-09-01," in result
    policy = api.loads(result)
    assert [r.passed for r in policy.test()] == [True]


def test_a_full_width_hash_or_quote_is_not_made_a_comment_or_a_text():
    with pytest.raises(PolicyError) as caught:
        format_text(HEADER + "parameter a = 5 ＃ not a comment\n")
    assert caught.value.errors[0].code == "P001"


def test_text_that_does_not_parse_raises_with_a_span():
    with pytest.raises(PolicyError) as caught:
        format_text(HEADER + "rule R-1 \"t\"\n  when age at least\n  then must_rotate\n", "draft.pol")
    span = caught.value.errors[0].span
    assert span.source == "draft.pol" and span.line >= 6


def test_layout_of_units_calls_sets_and_records():
    text = HEADER + """define d "t" = within_last ( support_end , 2 years ) or - 1 < 0
parameter p = 10 %
parameter q = 6 年
rule R-1 "t"
  cite S
  when d and rural_years at least q and 10% * rural_years at most 3 years
  then eligible
test "t"
  teacher {sex: 女, birth_date: 1980-01-01, work_start: 2000-09-01, school_start: 2010-09-01}
  school {area: urban, stage: primary}
  expect status eligible
"""
    result = format_text(text)
    assert 'define d "t" = within_last(support_end, 2 years) or -1 < 0\n' in result
    assert "parameter p = 10%\nparameter q = 6年\n" in result
    assert "  teacher { sex: 女, birth_date: 1980-01-01, work_start: 2000-09-01, school_start: 2010-09-01 }\n" in result


def test_blank_lines_are_at_most_one_and_only_between_declarations():
    text = "\n\n" + HEADER + "\n\n\n\nparameter a = 1\n\n\nparameter b = 2\n\n"
    result = format_text(text)
    assert not result.startswith("\n")
    assert "\n\n\n" not in result
    assert result.endswith("parameter a = 1\n\nparameter b = 2\n")


def test_empty_and_comment_only_texts():
    assert format_text("") == ""
    assert format_text("  # only a comment  \n\n\n# two\n") == "# only a comment\n\n# two\n"


# ---- the command --------------------------------------------------------------------------------

def run(*args, input=None):
    return CliRunner().invoke(cli, ["--lang", "en", *args], input=input, catch_exceptions=False)


UNFORMATTED = HEADER + 'rule R-1 "t" cite S "一"\n      when age at least 50 years\n  then must_rotate\n'


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.pol").write_text(UNFORMATTED, "utf-8")
    (tmp_path / "sub" / "b.pol").write_text(format_text(UNFORMATTED), "utf-8")
    (tmp_path / "notes.txt").write_text("not a policy", "utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skipped.pol").write_text("not looked at", "utf-8")
    return tmp_path


def test_check_lists_what_would_change_and_exits_1(folder):
    result = run("fmt", "--check", str(folder))
    assert result.exit_code == 1
    assert f"would reformat {folder / 'a.pol'}" in result.output
    assert "b.pol" not in result.output.replace("1 unchanged", "")
    assert (folder / "a.pol").read_text("utf-8") == UNFORMATTED  # nothing written
    run("fmt", str(folder))
    assert run("fmt", "--check", str(folder)).exit_code == 0


def test_diff_prints_a_unified_diff_and_changes_nothing(folder):
    result = run("fmt", "--diff", str(folder / "a.pol"))
    assert result.exit_code == 1
    assert f"--- {folder / 'a.pol'}\n+++ {folder / 'a.pol'}\n" in result.output
    assert '-rule R-1 "t" cite S "一"\n-      when age at least 50 years\n+rule R-1 "t"\n+  cite S "一"\n' \
           '+  when age at least 50 years\n   then must_rotate\n' in result.output
    assert (folder / "a.pol").read_text("utf-8") == UNFORMATTED
    assert run("fmt", "--diff", str(folder / "sub" / "b.pol")).exit_code == 0


def test_rewrites_in_place_and_leaves_no_temporary_file(folder):
    result = run("fmt", str(folder))
    assert result.exit_code == 0
    assert (folder / "a.pol").read_text("utf-8") == format_text(UNFORMATTED)
    assert "1 file(s) reformatted, 1 unchanged" in result.output
    assert sorted(p.name for p in folder.rglob("*")) == [".hidden", "a.pol", "b.pol", "notes.txt", "skipped.pol", "sub"]


def test_stdin_to_stdout():
    result = run("fmt", "-", input=UNFORMATTED)
    assert result.exit_code == 0
    assert result.output == format_text(UNFORMATTED)
    assert run("fmt", "--check", "-", input=UNFORMATTED).exit_code == 1
    assert run("fmt", "--check", "-", input=format_text(UNFORMATTED)).exit_code == 0


def test_stdin_that_does_not_parse_is_written_back_with_only_its_punctuation_mended():
    """`fmt - < a.pol > b.pol` on a draft that does not parse left b.pol empty. The draft comes
    out as it went in (its full-width punctuation made ASCII, as fmt does to such a file), the
    errors on stderr, exit 1."""
    draft = HEADER + "rule R-1 \"t\" when ，，\n"
    result = run("fmt", "-", input=draft)
    assert result.exit_code == 1
    assert result.stdout == HEADER + "rule R-1 \"t\" when ,,\n"
    assert "<stdin>:5" in result.stderr and "error[P" in result.stderr
    assert "written to standard output as it came, only its full-width punctuation made ASCII" in result.stderr
    zh = CliRunner().invoke(cli, ["--lang", "zh", "fmt", "-"], input=draft)
    assert zh.exit_code == 1 and zh.stdout == result.stdout
    assert "标准输入无法整理格式（问题见上），已原样写到标准输出，只把全角标点改为半角" in zh.stderr
    unmended = run("fmt", "-", input=HEADER + "rule R-1 \"t\" when\n")  # nothing to mend: the text itself
    assert unmended.exit_code == 1 and unmended.stdout == HEADER + "rule R-1 \"t\" when\n"
    assert "as it came; mend it" in unmended.stderr
    checked = run("fmt", "--check", "-", input=draft)  # --check and --diff write no text
    assert checked.exit_code == 1 and checked.stdout == "" and "as it came" not in checked.stderr


def test_stdin_that_is_not_utf8_is_written_back_as_it_came():
    gbk = (HEADER + "rule R-1 \"t\" when ，，\n").encode("gb18030")
    result = CliRunner().invoke(cli, ["--lang", "en", "fmt", "-"], input=gbk)
    assert result.exit_code == 1 and result.stdout_bytes == gbk
    assert "standard input is not UTF-8 text: written to standard output as it came" in result.stderr


def test_a_file_that_does_not_parse_is_reported_and_only_its_punctuation_mended(folder):
    bad = folder / "bad.pol"
    bad.write_text(HEADER + "rule R-1 \"t\" when ，，\n", "utf-8")
    result = run("fmt", str(folder))
    assert result.exit_code == 1
    assert "bad.pol:5" in result.output and "error[P" in result.output
    assert bad.read_text("utf-8") == HEADER + "rule R-1 \"t\" when ,,\n"  # the layout as it was
    assert (folder / "a.pol").read_text("utf-8") == format_text(UNFORMATTED)  # the others are formatted


def test_a_missing_file_exits_5():
    result = run("fmt", "no/such/file.pol")
    assert result.exit_code == 5
    assert "no/such/file.pol" in result.output


def test_messages_in_chinese(folder):
    result = CliRunner().invoke(cli, ["fmt", "--check", "--lang", "zh", str(folder)])
    assert result.exit_code == 1
    assert "需要整理格式：" in result.output and "1 个文件需要整理，1 个文件无需改动" in result.output


def test_an_error_is_shown_on_the_line_as_written(folder):
    bad = folder / "bad.pol"
    bad.write_text(HEADER + "rule R-1 \"t\"\n  when tenure at least 5 years，and age at most 50 years\n", "utf-8")
    result = run("fmt", str(bad))
    assert result.exit_code == 1
    assert "5 years，and age" in result.output  # the drafter's own line, not the one made ASCII


def test_a_failed_self_check_leaves_the_file_and_says_so(folder, monkeypatch):
    def broken(text, name="<string>"):
        raise RuntimeError("the formatter changed the policy's tokens or comments; please report this")

    monkeypatch.setattr(api, "format_file", lambda path: (UNFORMATTED, broken(UNFORMATTED)))
    result = run("fmt", str(folder / "a.pol"))
    assert result.exit_code == 1
    assert "not formatted, left as it is" in result.output and "Traceback" not in result.output
    assert (folder / "a.pol").read_text("utf-8") == UNFORMATTED


def sprinkle_comments(text: str, rng: random.Random) -> str:
    """The policy with comments in random places between its tokens: at the end of a line,
    on lines of their own, before the first token and after the last."""
    tokens = _tokens(text)
    out, position, n = [], 0, 0
    for token in tokens + [None]:
        end = token.start_pos if token is not None else len(text)
        out.append(text[position:end])
        if rng.random() < 0.15:
            n += 1
            out.append(rng.choice([f"  # c{n}\n", f"\n# c{n}\n", f"\n      # c{n}（中文）\n\n"]) + rng.choice(["", "  "]))
        if token is not None:
            out.append(token.value)
            position = token.end_pos
    return "".join(out)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(CORPUS), seed=st.integers(0, 2**32))
def test_comments_anywhere_are_kept_and_formatting_stays_idempotent(path, seed):
    rng = random.Random(seed)
    text = scramble(sprinkle_comments(path.read_text("utf-8"), rng), rng)
    once = format_text(text, str(path))
    assert format_text(once, str(path)) == once
    comments = lambda t: [c.rstrip() for c in re.findall(r"#[^\n]*", t)]  # noqa: E731
    assert comments(once) == comments(text)
    # and it is the same policy as the file it was made from: every decision the same
    assert _checked(once, path) == _checked(path.read_text("utf-8"), path)


def _checked(text: str, path: Path):
    return attrs.evolve(api.loads(text, name=str(path), root=path.parent).checked, texts={})


def test_the_bundled_policies_and_the_corpus_are_formatted():
    """What CI runs: `policylang fmt --check policies/ tests/cases/good`."""
    result = run("fmt", "--check", str(POLICIES), str(ROOT / "tests" / "cases" / "good"))
    assert result.exit_code == 0, result.output
    assert f"0 file(s) would be reformatted, {len(CORPUS)} unchanged" in result.output


def test_a_draft_that_does_not_parse_has_its_punctuation_mended_and_its_errors_listed(tmp_path):
    """`check` says the full-width commas are for `fmt`, and `fmt` refused a file with other
    errors: the drafter went back and forth. The punctuation is mended all the same."""
    from click.testing import CliRunner

    from policylang.cli import cli

    path = tmp_path / "县.pol"
    path.write_text('policy "县"\n  as of 2025-09-01\nsource S "s"\n'
                    'rule A-1 "x"\n  cite S\n  when （年龄 以下 50 周岁）\n  then eligible\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--lang", "zh", "fmt", str(path)])
    assert result.exit_code != 0 and "已把全角标点改为半角" in result.stderr and "以下" in result.stderr
    assert "when (年龄 以下 50 周岁)" in path.read_text(encoding="utf-8")
    # the summary does not say that nothing was changed (the drafter's trial: "0 个文件已整理" read so)
    assert "1 个文件无法整理格式（见上；其中 1 个已把全角标点改为半角）" in result.stderr
    checked = CliRunner().invoke(cli, ["--lang", "zh", "fmt", "--check", str(tmp_path / "县.pol")])
    assert "已把全角标点" not in checked.stderr  # --check changes nothing
