"""A mutation fuzzer of the front end (issue 12): the bundled policies and the corpus,
broken in every way a file can break (tokens and lines deleted, repeated and swapped;
CJK and full-width punctuation, NUL, lone surrogates, deep nesting and huge literals
inserted), must load or raise ``PolicyError``, never any other exception; and what
``PolicyError`` carries must render, in English and Chinese.

A short budget runs with the suite; the long one (at least 30 minutes) with `make fuzz`:

    make fuzz                                  # 150,000 (about 40 minutes)
    POLICYLANG_FUZZ_EXAMPLES=300000 make fuzz  # or as many as you choose
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang
from policylang.core.diagnostics import PolicyError
from policylang.present.render import diagnostics_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "policies").glob("*.pol")) + sorted((ROOT / "tests" / "cases").rglob("*.pol"))
TEXTS = {path: path.read_text("utf-8") for path in SEEDS}
# A small policy with every kind of declaration: in it a mutation lands on any construct often.
COMPACT = ROOT / "tests" / "cases" / "compact.pol"  # (a name for messages and `extends`; no such file)
TEXTS[COMPACT] = '''policy "各类声明" jurisdiction "某县" effective 2024-09-01 as of 2025-09-01
extends "good/province.pol"
source K "来源" document "文件" note "注"
field teacher.编外: bool "编外人员"
field school.学生数: number
parameter cap: years = 50 years "上限"
parameter 区域: area = rural
rule R-2 "可交流" cite K "八" when school.area = 区域 then eligible
define 年资 "年资" = if sex = F then age - 1 years else max(tenure, service_years)
rule R-1 "须交流" cite K "一" when age at most cap and tenure >= 6 years and not 编外 then must_rotate direction to_rural
exemption X-1 "病" as sick cite K "二" to R-1, P-1 when serious_illness or years_to_retirement < 3 years
exemption X-2 "孕" as pregnant cite K "二" to all rules when pregnant
precedence E-3 > E-2 > X-1 > X-2 > E-1
prerequisite Q-1 "晋升" cite K "三" for senior applies when post = teacher requires rural_years >= 1 years
penalty C-1 "拒绝" cite K "四" after refused_exchange effect barred "不得评优" for 6 months
quota N-1 "名额" cite K "五" per school require movers where (school.area in {urban, town}) at least 10% of eligible rounded up
priority O-1 "顺序" cite K "六" order by tenure descending, birth_date
provision V-1 "说明" cite K "七" note "无法判断"
override parameter retirement_age_female = 55 years
repeal P-3
sample teacher 教师 { sex: 女, birth_date: 1980-03-15, work_start: 2000-09-01, school_start: 2015-09-01 }
sample school 学校 { area: urban, stage: primary, 学生数: 300 }
test "样例" as of 2025-09-01 set cap = 45 years teacher 教师 with { 编外: false } school 学校
  expect status must_rotate expect rule R-1 expect no penalty expect promotion senior ok
'''
SEEDS.append(COMPACT)
EXAMPLES = int(os.environ.get("POLICYLANG_FUZZ_EXAMPLES", "1000"))

KEYWORDS = ["policy", "extends", "source", "field", "parameter", "define", "rule", "exemption",
            "precedence", "prerequisite", "penalty", "benefit", "quota", "provision", "priority",
            "repeal", "override", "sample", "test", "when", "then", "cite", "to all rules", "expect",
            "as of", "for", "after", "effect", "require", "at least", "of", "where", "order by"]
ODD = ["\0", "\ud800", "\udfff", "\x1b]0;x\x07", "\u202e", "\ufeff", "\r", "\t", "\\", '"', "“", "”",
       "。", "，", "（", "）", "：", "；", "＝", "＞", "　", "％", "１２", "教师", "学校", "周岁", "年", "个月",
       "𠀀", "\U0010ffff", "#", "{", "}", ",", ".", ":", "=", "/", "-", "*", "%"]
LITERALS = ["1e309.5", "9" * 5000, "1" + "0" * 308, "0." + "0" * 400 + "1", "0001-01-01",
            "9999-12-31", "2025-02-30", "2025年2月30日", "10000 years", "100000000000000000000 years",
            "1/0", "0 years", "-1", "999999999.999999", "73050 days", "2400 months", "200 years"]
NESTING = ["not ", "(", "-", "if true then ", "max(", "1 + ", "age + ", "x and ", "y or ", "{", "["]
# around a word: parses wherever the word is an operand, so that the nesting reaches the checker
WRAPPERS = [("not ", ""), ("(", ")"), ("-", ""), ("if true then ", " else 0"), ("max(", ", 1)"),
            ("", " and true"), ("", " or false"), ("", " + 1 years"), ("not (", ")"), ("", " * 10")]
DEPTHS = [1, 2, 49, 50, 99, 100, 101, 150, 199, 200, 201, 1000, 3000, 5000, 20000]

TYPES = ["bool", "number", "years", "months", "days", "percent", "date", "text", "area", "stage", "title",
         "nosuchtype", "年", "nubmer"]
_TOKEN = re.compile(r"\w+|\s+|.", re.S)

_index = st.integers(min_value=0, max_value=1 << 20)
_inserted = st.one_of(
    st.text(st.characters(exclude_categories=()), min_size=1, max_size=8),
    st.sampled_from(KEYWORDS + ODD + LITERALS),
    st.builds(lambda f, n: f * n, st.sampled_from(NESTING), st.sampled_from(DEPTHS)),
)
_mutation = st.one_of(
    st.tuples(st.just("delete"), _index, st.integers(1, 6)),
    st.tuples(st.just("duplicate"), _index, st.integers(1, 6)),
    st.tuples(st.just("swap"), _index, _index),
    st.tuples(st.just("insert"), _index, _inserted),
    st.tuples(st.just("replace"), _index, _inserted),
    st.tuples(st.just("wrap"), _index, st.sampled_from(WRAPPERS), st.sampled_from(DEPTHS)),
    st.tuples(st.just("replace_word"), _index, st.one_of(_inserted, st.sampled_from(TYPES))),
    st.tuples(st.just("delete_line"), _index),
    st.tuples(st.just("duplicate_line"), _index, st.integers(1, 50)),
    st.tuples(st.just("swap_lines"), _index, _index),
    st.tuples(st.just("truncate"), _index),
)


def mutate(text: str, mutations) -> str:
    for mutation in mutations:
        kind = mutation[0]
        if kind.endswith("line") or kind.endswith("lines"):
            parts = text.split("\n")
        elif kind == "truncate":
            text = text[: mutation[1] % (len(text) + 1)]
            continue
        else:
            parts = _TOKEN.findall(text)
        if not parts:
            parts = [""]
        i = mutation[1] % len(parts)
        if kind in ("delete", "delete_line"):
            del parts[i: i + (mutation[2] if kind == "delete" else 1)]
        elif kind == "duplicate":
            parts[i:i] = parts[i: i + mutation[2]]
        elif kind == "duplicate_line":
            parts[i:i] = [parts[i]] * mutation[2]
        elif kind in ("swap", "swap_lines"):
            j = mutation[2] % len(parts)
            parts[i], parts[j] = parts[j], parts[i]
        elif kind == "insert":
            parts.insert(i, mutation[2])
        elif kind == "replace":
            parts[i] = mutation[2]
        elif kind in ("wrap", "replace_word"):  # around a word, or instead of it
            words = [k for k, part in enumerate(parts) if part[:1].isalnum()] or [i]
            k = words[mutation[1] % len(words)]
            if kind == "wrap":
                (prefix, suffix), n = mutation[2], mutation[3]
                parts[k] = prefix * n + parts[k] + suffix * n
            else:
                parts[k] = mutation[2]
        text = ("\n" if kind.endswith("line") or kind.endswith("lines") else "").join(parts)
    return text


def load_or_refuse(text: str, name: str) -> None:
    """What a caller of the API, and ``policylang check``, do with a text."""
    try:
        policylang.loads(text, name=name)
    except PolicyError as exc:
        assert exc.errors, "a PolicyError names at least one error"
        for lang in ("en", "zh"):
            diagnostics_text(exc.diagnostics, exc.sources, lang)


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(seed=st.one_of(st.just(COMPACT), st.sampled_from(SEEDS)), mutations=st.lists(_mutation, min_size=1, max_size=6))
def test_a_broken_policy_loads_or_raises_policy_error(seed, mutations):
    # named as its seed, so that `extends` is read beside it (and refused outside it)
    load_or_refuse(mutate(TEXTS[seed], mutations), str(seed.relative_to(ROOT)))


@settings(max_examples=max(20, EXAMPLES // 10), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(st.characters(exclude_categories=()), max_size=300))
def test_any_text_loads_or_raises_policy_error(text):
    load_or_refuse(text, "<fuzz>")


def test_the_seeds_load():
    """The fuzzer starts from policies that load (or, for the bad corpus, are refused)."""
    for path, text in TEXTS.items():
        load_or_refuse(text, str(path.relative_to(ROOT)))
