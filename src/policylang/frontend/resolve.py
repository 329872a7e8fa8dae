"""Loading and inheritance: read a policy and the files it extends, then merge them
base first, applying ``override`` and ``repeal``. Names inside expressions are
bound later, by the checker.

Every policy implicitly extends the prelude (``prelude.pol``, shipped with the
package), which defines age, tenure and the other common derived values.
``extends`` paths are relative to the file that names them and may not leave the
policy root (by default the folder of the policy being loaded).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import attrs

from policylang.lang import ast as A
from policylang.core.diagnostics import Diagnostic, error
from policylang.frontend.lower import lower
from policylang.frontend.parser import parse
from policylang.core.source import Source

PRELUDE_NAME = "<prelude>"

_KIND_WORDS = {
    A.Parameter: ("parameter", "参数"), A.Define: ("definition", "定义"), A.Rule: ("rule", "规则"),
    A.Exemption: ("exemption", "豁免"), A.Prerequisite: ("prerequisite", "前提条件"),
    A.Consequence: ("penalty or benefit", "奖惩"), A.Quota: ("quota", "名额要求"),
    A.Provision: ("provision", "条款"), A.Priority: ("priority", "优先顺序"),
}


def prelude_source() -> Source:
    text = resources.files("policylang.frontend").joinpath("prelude.pol").read_text("utf-8")
    return Source(PRELUDE_NAME, text)


@attrs.define
class Merged:
    """Declarations of a policy and its bases after inheritance, with their origin file."""

    header: A.Header | None = None
    entry: str = ""
    chain: list[str] = attrs.field(factory=list)
    sources: dict[str, A.SourceDecl] = attrs.field(factory=dict)
    fields: dict[str, A.FieldDecl] = attrs.field(factory=dict)
    parameters: dict[str, tuple[A.Parameter, str]] = attrs.field(factory=dict)
    defines: dict[str, tuple[A.Define, str]] = attrs.field(factory=dict)
    items: dict[str, tuple[A.Decl, str]] = attrs.field(factory=dict)  # id -> rule-like decl
    precedences: list[A.Precedence] = attrs.field(factory=list)
    samples: dict[tuple[str, str], A.Sample] = attrs.field(factory=dict)
    tests: list[A.Test] = attrs.field(factory=list)
    texts: dict[str, Source] = attrs.field(factory=dict)
    entry_parameters: set[str] = attrs.field(factory=set)
    repealed: set[str] = attrs.field(factory=set)
    parse_failed: bool = False
    diagnostics: list[Diagnostic] = attrs.field(factory=list)


def _parse_module(source: Source) -> tuple[A.Module | None, list[Diagnostic]]:
    tree, diagnostics = parse(source)
    if tree is None:
        return None, diagnostics
    module, more = lower(tree, source.name)
    return module, diagnostics + more


def load(source: Source, *, root: Path | None = None,
         read: Callable[[Path], str] | None = None) -> Merged:
    """Parse ``source`` and everything it extends; merge them base first."""
    read = read or (lambda p: p.read_text("utf-8-sig"))
    merged = Merged(entry=source.name)
    modules: list[A.Module] = []
    prelude_module, prelude_diags = _parse_module(prelude_source())
    merged.diagnostics += prelude_diags
    merged.texts[PRELUDE_NAME] = prelude_source()
    if root is None and not source.name.startswith("<"):
        root = Path(source.name).resolve().parent
    seen: list[str] = []
    current: Source | None = source
    while current is not None:
        merged.texts[current.name] = current
        module, diagnostics = _parse_module(current)
        merged.diagnostics += diagnostics
        if module is None:
            merged.parse_failed = True
            break
        modules.append(module)
        seen.append(str(Path(current.name).resolve()) if not current.name.startswith("<") else current.name)
        current = _extended(module, current, root, seen, read, merged.diagnostics)
    if prelude_module is not None:
        modules.append(prelude_module)
    for module in reversed(modules):
        _merge(merged, module, is_entry=module.source == source.name)
    merged.chain = [m.source for m in reversed(modules)]
    return merged


def display_path(path: Path) -> str:
    """A path relative to the working folder when it is inside it (stable in messages)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _extended(module: A.Module, current: Source, root: Path | None, seen: list[str],
              read, diagnostics: list[Diagnostic]) -> Source | None:
    ext = module.extends
    if ext is None:
        return None
    if current.name.startswith("<"):
        base_dir = root or Path.cwd()
    else:
        base_dir = Path(current.name).parent
    target = (base_dir / ext.path).resolve()
    if root is not None and not target.is_relative_to(root.resolve()):
        diagnostics.append(error(
            "R102", ext.span, f"`{ext.path}` is outside the policy root `{display_path(root)}`",
            f"`{ext.path}` 不在政策根目录 `{display_path(root)}` 之内",
            help_en="a policy may only extend files in its own folder or below it",
            help_zh="政策只能继承同一目录或其子目录中的文件"))
        return None
    if str(target) in seen:
        diagnostics.append(error("R103", ext.span, f"`{ext.path}` extends itself through a cycle",
                                 f"`{ext.path}` 形成循环继承"))
        return None
    try:
        text = read(target)
    except (OSError, UnicodeDecodeError) as exc:
        diagnostics.append(error("R101", ext.span, f"cannot read `{ext.path}`: {exc.__class__.__name__}",
                                 f"无法读取 `{ext.path}`（{exc.__class__.__name__}）",
                                 help_en=f"looked for {display_path(target)}",
                                 help_zh=f"查找位置：{display_path(target)}"))
        return None
    return Source(display_path(target), text)


def _decl_key(decl: A.Decl) -> tuple[str, str] | None:
    if isinstance(decl, A.Parameter):
        return ("parameters", decl.name)
    if isinstance(decl, A.Define):
        return ("defines", decl.name)
    if isinstance(decl, (A.Rule, A.Exemption, A.Prerequisite, A.Consequence, A.Quota, A.Provision, A.Priority)):
        return ("items", decl.id)
    return None


def _merge(merged: Merged, module: A.Module, *, is_entry: bool) -> None:
    origin = module.source
    if module.header is not None and origin != PRELUDE_NAME:
        base = merged.header
        header = module.header
        if base is not None:  # an extending file inherits what it does not restate
            header = attrs.evolve(header, jurisdiction=header.jurisdiction or base.jurisdiction,
                                  effective=header.effective or base.effective,
                                  as_of=header.as_of or base.as_of)
        merged.header = header
    declared_here: set[tuple] = set()
    for decl in module.decls:
        override = isinstance(decl, A.Override)
        inner = decl.decl if override else decl
        if isinstance(inner, A.SourceDecl):
            _add_unique(merged, merged.sources, inner.id, inner, inner.span, "source", "来源")
        elif isinstance(inner, A.FieldDecl):
            _add_unique(merged, merged.fields, f"{inner.table}.{inner.name}", inner, inner.span, "field", "字段")
        elif isinstance(inner, A.Precedence):
            merged.precedences.append(inner)
        elif isinstance(inner, A.Sample):
            # A file's samples shadow its base's: they only serve that file's own tests.
            key = ("sample", inner.table, inner.name)
            if key in declared_here:
                merged.diagnostics.append(error("R104", inner.span, f"sample `{inner.name}` is declared twice",
                                                f"样例 `{inner.name}` 重复声明"))
            declared_here.add(key)
            merged.samples[(inner.table, inner.name)] = inner
        elif isinstance(inner, A.Test):
            if is_entry:
                merged.tests.append(inner)
        elif isinstance(inner, A.Repeal):
            _repeal(merged, inner)
        else:
            key = _decl_key(inner)
            if key is None:
                continue
            table = getattr(merged, key[0])
            if key in declared_here:
                merged.diagnostics.append(error(
                    "R104", inner.span, f"`{key[1]}` is declared twice in this file",
                    f"`{key[1]}` 在本文件中重复声明"))
                continue
            declared_here.add(key)
            exists = key[1] in table
            if override and not exists:
                merged.diagnostics.append(_missing_override(inner, key[1], table))
                continue
            if not override and exists:
                en, zh = _KIND_WORDS[type(inner)]
                merged.diagnostics.append(error(
                    "R112", inner.span, f"`{key[1]}` is already declared in `{table[key[1]][1]}`",
                    f"`{key[1]}` 已在 `{table[key[1]][1]}` 中声明",
                    help_en=f"to replace it, write `override {_keyword(inner)} {key[1]} ...`",
                    help_zh=f"如需替换，请写 `override`（覆盖）加原{zh}声明"))
                continue
            table[key[1]] = (inner, origin)
            if is_entry and isinstance(inner, A.Parameter):
                merged.entry_parameters.add(inner.name)


def _keyword(decl: A.Decl) -> str:
    """The word a declaration starts with, as a drafter writes it after `override`."""
    if isinstance(decl, A.Define):
        return "define"
    if isinstance(decl, A.Consequence):
        return decl.kind
    return _KIND_WORDS[type(decl)][0]


def _add_unique(merged: Merged, table: dict, key, value, span, en: str, zh: str) -> None:
    if key in table:
        shown = key if isinstance(key, str) else key[1]
        merged.diagnostics.append(error("R104", span, f"{en} `{shown}` is declared twice",
                                        f"{zh} `{shown}` 重复声明"))
    else:
        table[key] = value


def _missing_override(decl: A.Decl, name: str, table: dict) -> Diagnostic:
    from policylang.core.diagnostics import did_you_mean

    suggestion = did_you_mean(name, table)
    return error("R105", decl.span, f"`{name}` is overridden but no base policy declares it",
                 f"覆盖了 `{name}`，但被继承的政策中没有该声明",
                 help_en=f"did you mean `{suggestion}`?" if suggestion else "remove `override` to declare it anew",
                 help_zh=f"是否应为 `{suggestion}`？" if suggestion else "如是新声明，请去掉 `override`")


def _repeal(merged: Merged, repeal: A.Repeal) -> None:
    if repeal.id not in merged.items:
        from policylang.core.diagnostics import did_you_mean

        suggestion = did_you_mean(repeal.id, merged.items)
        merged.diagnostics.append(error(
            "R106", repeal.span, f"`{repeal.id}` is repealed but no base policy declares it",
            f"废止了 `{repeal.id}`，但被继承的政策中没有该条",
            help_en=f"did you mean `{suggestion}`?" if suggestion else None,
            help_zh=f"是否应为 `{suggestion}`？" if suggestion else None))
        return
    del merged.items[repeal.id]
    merged.repealed.add(repeal.id)
