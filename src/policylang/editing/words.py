"""The editor's own words, in English and Chinese: what a declaration is called."""

from __future__ import annotations

KINDS: dict[str, tuple[str, str]] = {
    "policy": ("policy", "政策"), "extends": ("extends", "继承"), "source": ("source", "来源"),
    "field": ("field", "字段"), "parameter": ("parameter", "参数"), "define": ("definition", "定义"),
    "rule": ("rule", "规则"), "exemption": ("exemption", "豁免"), "precedence": ("precedence", "优先顺序"),
    "prerequisite": ("prerequisite", "晋升前提"), "penalty": ("penalty", "惩处"), "benefit": ("benefit", "激励"),
    "quota": ("quota", "名额要求"), "priority": ("priority", "优先顺序"), "provision": ("provision", "条款"),
    "repeal": ("repeal", "废止"), "sample": ("sample", "样例"), "test": ("test", "测试"),
    "function": ("function", "函数"), "code": ("code", "取值代码"), "keyword": ("keyword", "关键字"),
}

PHRASES: dict[str, tuple[str, str]] = {
    "declared_in": ("declared in", "声明于"),
    "overridden_in": ("overridden in", "覆盖于"),
    "repealed_in": ("repealed in", "废止于"),
    "line": ("line", "行"),
    "value": ("value", "取值"),
    "in_force": ("in force", "现行"),
    "cites": ("cites", "依据"),
    "codes": ("codes", "取值"),
    "type": ("type", "类型"),
    "teacher_field": ("teacher field", "教师字段"),
    "school_field": ("school field", "学校字段"),
    "declared_field": ("declared by the policy", "由政策声明"),
    "in_base": ("in", "见"),
    "add_cite": ("Add `cite {}`", "加上 `cite {}`"),
    "add_line": ("Add `{}`", "加上 `{}`"),
}


def kind(key: str, lang: str) -> str:
    en, zh = KINDS.get(key, (key, key))
    return zh if lang == "zh" else en


def phrase(key: str, lang: str) -> str:
    en, zh = PHRASES[key]
    return zh if lang == "zh" else en


def where(shown: str, line: int, lang: str) -> str:
    """``fujian.pol`` line 12, as a drafter reads it (``line`` 0-based)."""
    return f"`{shown}` 第 {line + 1} 行" if lang == "zh" else f"`{shown}` line {line + 1}"
