"""Loading and inheritance: read a policy and the files it extends, then merge them
base first, applying ``override`` and ``repeal``. Names inside expressions are
bound later, by the checker.

Every policy implicitly extends the prelude (``prelude.pol``, shipped with the
package), which defines age, tenure and the other common derived values.
``extends`` paths are relative to the file that names them and may not leave the
policy root: by default the folder of the policy being loaded, or the working folder
for a policy given as a string. Only regular files are read, at most
``limits.MAX_SOURCE_BYTES`` of each, in the encodings of ``files.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import attrs

from policylang.lang import ast as A
from policylang.core.diagnostics import described, Diagnostic, did_you_mean, error, renamed
from policylang.frontend import limits
from policylang.frontend.files import UnreadableSource, read_policy
from policylang.frontend.lower import lower
from policylang.frontend.parser import parse
from policylang.core.source import PRELUDE_NAME, Source, Span

_KIND_WORDS = {
    A.Parameter: ("parameter", "参数"), A.Define: ("definition", "定义"), A.Rule: ("rule", "规则"),
    A.Exemption: ("exemption", "豁免"), A.Prerequisite: ("prerequisite", "前提条件"),
    A.Consequence: ("penalty or benefit", "奖惩"), A.Quota: ("quota", "名额要求"),
    A.Provision: ("provision", "条款"), A.Priority: ("priority", "优先顺序"),
}


@functools.cache
def prelude_source() -> Source:
    text = resources.files("policylang.frontend").joinpath("prelude.pol").read_text("utf-8")
    return Source(PRELUDE_NAME, text)


@functools.cache
def _prelude() -> tuple[A.Module | None, tuple[Diagnostic, ...]]:
    """The prelude, parsed once (its AST is immutable)."""
    module, diagnostics = _parse_module(prelude_source())
    return module, tuple(diagnostics)


@attrs.frozen
class Repealed:
    """A declaration of a base that a later file repeals."""

    decl: A.Decl  # as the base declared it
    origin: str  # the file that declared it
    repeal: A.Repeal  # the repeal: its reason and span


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
    overridden: set[str] = attrs.field(factory=set)  # parameters whose value is an `override parameter`'s
    repealed: dict[str, Repealed] = attrs.field(factory=dict)  # id -> the declaration repealed, and why
    # (table, id) -> the bases' declarations `override`s replaced, each with its file, first the
    # original's (what a county rewriting it whole left out; a city's rewrite of the province's
    # between them); the table is the attribute it is in: items, parameters, defines …
    replaced: dict[tuple[str, str], tuple[tuple[A.Decl, str], ...]] = attrs.field(factory=dict)
    # each file's `effective` date (restated, or inherited from the file it extends), from which
    # its penalties and benefits count the events they follow (not retroactive: check.consequence)
    effective: dict[str, dt.date | None] = attrs.field(factory=dict)
    # the files of the chain whose header states its own `effective` date (an extending file that
    # does not inherits its base's: check.consequence refuses a dated penalty or benefit counting so)
    effective_stated: set[str] = attrs.field(factory=set)
    # the policy in force before a file of the chain that takes effect later than its base, and
    # that file's `effective` date: events before it are judged by that earlier policy
    # (check.earlier_versions; 立法法 art. 104)
    earlier: tuple[Merged, dt.date] | None = None
    parse_failed: bool = False
    diagnostics: list[Diagnostic] = attrs.field(factory=list)


def _parse_module(source: Source) -> tuple[A.Module | None, list[Diagnostic]]:
    tree, diagnostics = parse(source)
    if tree is None:
        return None, diagnostics
    module, more = lower(tree, source.name)
    return module, diagnostics + more


def load(source: Source, *, root: Path | None = None,
         read: Callable[[Path, str], Source] | None = None) -> Merged:
    """Parse ``source`` and everything it extends; merge them base first. ``read`` gives
    an extended file's ``Source`` under the name given (``files.read_policy``)."""
    read = read or read_policy
    merged = Merged(entry=source.name)
    modules: list[A.Module] = []
    prelude_module, prelude_diags = _prelude()
    merged.diagnostics += prelude_diags
    merged.texts[PRELUDE_NAME] = prelude_source()
    if root is None:
        entry = _resolved(source.name)
        root = entry.parent if entry is not None else Path.cwd()
    seen: list[str] = []
    declarations = 0
    current: Source | None = source
    extends_span: Span | None = None
    while current is not None:
        merged.texts[current.name] = current
        module, diagnostics = _parse_module(current)
        # a file extended is another's: its lints (L…) are for whoever checks that file itself
        merged.diagnostics += diagnostics if current is source else [d for d in diagnostics if not d.code.startswith("L")]
        if module is None:
            merged.parse_failed = True
            break
        declarations += len(module.decls)
        if declarations > limits.MAX_DECLARATIONS:
            merged.diagnostics.append(limits.limit_error(
                extends_span, f"with the files it extends, the policy has more than {limits.MAX_DECLARATIONS:,} declarations",
                f"连同所继承的文件，政策的声明超过 {limits.MAX_DECLARATIONS:,} 项",
                f"a policy and the files it extends hold at most {limits.MAX_DECLARATIONS:,} declarations",
                f"一份政策连同其继承的文件最多 {limits.MAX_DECLARATIONS:,} 项声明"))
            merged.parse_failed = True
            break
        modules.append(module)
        entry = _resolved(current.name)
        seen.append(str(entry) if entry is not None else current.name)
        extends_span = module.extends.span if module.extends is not None else None
        current = _extended(module, current, root, seen, read, merged)
        if module.extends is not None and current is None:
            # the file extended is unread (R101 …): every name it declares would be unknown, a
            # screenful of errors after the one that matters
            merged.parse_failed = True
    if prelude_module is not None:
        modules.append(prelude_module)
    said = len(merged.diagnostics)
    merged_so_far: list[str] = []
    for module in reversed(modules):
        later = _takes_effect_later(merged, module)
        if later is not None and not merged.parse_failed:
            merged.earlier = (_snapshot(merged, merged_so_far), later)
        _merge(merged, module, is_entry=module.source == source.name)
        merged_so_far.append(module.source)
    if merged.parse_failed:  # a chain cut short: what the missing part declares is unknown, not wrong
        del merged.diagnostics[said:]
    merged.chain = [m.source for m in reversed(modules)]
    return merged


def _takes_effect_later(merged: Merged, module: A.Module) -> dt.date | None:
    """``module``'s `effective` date when it is later than that of the policy merged so far."""
    before = merged.header.effective if merged.header is not None else None
    after = module.header.effective if module.header is not None else None
    return after if before is not None and after is not None and after > before else None


def _snapshot(merged: Merged, files: list[str]) -> Merged:
    """The policy merged so far, as its own policy (its last file the entry): the tables
    copied, so that merging the later file leaves it as it was."""
    return attrs.evolve(
        merged, entry=files[-1],
        sources=dict(merged.sources), fields=dict(merged.fields), parameters=dict(merged.parameters),
        defines=dict(merged.defines), items=dict(merged.items), precedences=list(merged.precedences),
        samples=dict(merged.samples), tests=[], texts=dict(merged.texts), entry_parameters=set(),
        overridden=set(merged.overridden), repealed=dict(merged.repealed), replaced=dict(merged.replaced),
        effective=dict(merged.effective),
        effective_stated=set(merged.effective_stated), diagnostics=[],
        chain=list(files))


def _resolved(name: str) -> Path | None:
    """The file a source's name stands for; None for a string (``<string>``) or a name no
    file can have."""
    if name.startswith("<"):
        return None
    try:
        return Path(name).resolve()
    except (OSError, ValueError, RuntimeError):
        return None


def display_path(path: Path) -> str:
    """A path relative to the working folder when it is inside it (stable in messages)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _shown(path: str) -> str:
    """A path as a message shows it: invisible characters as their code points, and no
    longer than a line."""
    shown = "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else f"U+{ord(c):04X}"
                    for c in path[:120])
    return shown + "…" if len(path) > 120 else shown


def _not_a_file_name(path: str) -> str | None:
    """Why ``path`` cannot name a file (a control character, a lone surrogate), or None."""
    if not path.strip():
        return "it is empty"
    for c in path:
        if unicodedata.category(c) in ("Cc", "Cs"):
            return f"it holds the character U+{ord(c):04X}"
    return None


def _extended(module: A.Module, current: Source, root: Path, seen: list[str],
              read, merged: Merged) -> Source | None:
    ext = module.extends
    if ext is None:
        return None
    diagnostics = merged.diagnostics
    shown = _shown(ext.path)
    why = _not_a_file_name(ext.path)
    if why is not None:
        diagnostics.append(error("R101", ext.span, f"`{shown}` is not a file name: {why}",
                                 f"`{shown}` 不是有效的文件名",
                                 help_en="write the path of a policy file, e.g. `extends \"fujian.pol\"`",
                                 help_zh="请写政策文件的路径，如 `extends \"fujian.pol\"`"))
        return None
    if len(seen) >= limits.MAX_EXTENDS:
        diagnostics.append(limits.limit_error(
            ext.span, f"a chain of `extends` longer than {limits.MAX_EXTENDS} files",
            f"`extends` 继承链超过 {limits.MAX_EXTENDS} 个文件",
            f"a policy and the files it extends, one after the other, are at most {limits.MAX_EXTENDS} files",
            f"一份政策连同逐级继承的文件最多 {limits.MAX_EXTENDS} 个"))
        return None
    entry = _resolved(current.name)
    base_dir = entry.parent if entry is not None else root
    try:
        target = (base_dir / ext.path).resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, ValueError, RuntimeError) as exc:  # a symlink loop, a name too long
        problem = "a loop of symbolic links" if isinstance(exc, RuntimeError) else exc.__class__.__name__
        diagnostics.append(error("R101", ext.span, f"cannot read `{shown}`: {problem}",
                                 f"无法读取 `{shown}`（{problem}）"))
        return None
    if not inside:
        folder = display_path(root)
        folder = str(root.resolve()) if folder in (".", "") else folder  # `.` says nothing to an official
        copy = Path(ext.path).name
        diagnostics.append(error(
            "R102", ext.span, f"`{shown}` is outside the policy root `{folder}`",
            f"`{shown}` 不在政策根目录 `{folder}` 之内",
            help_en=f"a policy may only extend files in its own folder or below it: copy `{copy}` into "
                    f"`{folder}` and write `extends \"{copy}\"`",
            help_zh=f"政策只能继承同一目录或其子目录中的文件：请把 `{copy}` 复制到 `{folder}`，"
                    f"再写 `extends \"{copy}\"`"))
        return None
    if str(target) in seen:  # the files from it back to it, as each names the next (from the policies' folder)
        def named(path: Path) -> str:
            try:
                return path.resolve().relative_to(root.resolve()).as_posix()
            except (ValueError, OSError):
                return display_path(path)
        loop = [named(Path(p)) for p in seen[seen.index(str(target)):]] + [named(target)]
        diagnostics.append(error("R103", ext.span, f"`{shown}` extends itself through a cycle: {' -> '.join(loop)}",
                                 f"`{shown}` 形成循环继承：{' -> '.join(loop)}"))
        return None
    name = display_path(target)
    try:
        if target.is_file():
            source = read(target, name)
        else:  # a folder, or a device or a pipe, which could be read forever
            source = None
            problem = "a folder" if target.is_dir() else "no such file" if not target.exists() else "not a regular file"
    except OSError as exc:
        source, problem = None, "no permission to read it" if isinstance(exc, PermissionError) else exc.__class__.__name__
    if source is None:
        problem_zh = _READ_PROBLEMS_ZH.get(problem, problem)
        stems = {p.stem: p.name for p in target.parent.glob("*.pol")} if problem == "no such file" else {}
        hint = stems.get(did_you_mean(Path(shown).stem, stems) or "")  # by the names, not the shared `.pol`
        if hint is None and problem == "no such file":  # the file one or two folders down (policies/fujian.pol)
            below = [p for pattern in (f"*/{target.name}", f"*/*/{target.name}") for p in target.parent.glob(pattern)
                     if p.is_file() and p.resolve().is_relative_to(root.resolve())]
            hint = below[0].relative_to(target.parent).as_posix() if len(below) == 1 else None
        here = sorted(n for n in stems.values() if n != Path(current.name).name)[:8] if not hint else []
        diagnostics.append(error("R101", ext.span, f"cannot read `{shown}`: {problem}",
                                 f"无法读取 `{shown}`：{problem_zh}",
                                 help_en=(f"did you mean `{hint}`? " if hint else "") + f"looked for {name}"
                                 + (f"; the folder's policy files: {', '.join(here)}" if here else ""),
                                 help_zh=(f"是否应为 `{hint}`？" if hint else "") + f"查找位置：{name}"
                                 + (f"；该目录中的政策文件：{'、'.join(here)}" if here else "")))
        return None
    if isinstance(source, UnreadableSource):  # the byte it stumbled on, or the extends if no byte
        merged.texts[source.name] = source
        span = source.problem.span or ext.span
        diagnostics.append(attrs.evolve(source.problem, span=span))
        return None
    return source


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
    merged.effective[origin] = merged.header.effective if merged.header is not None else None
    if module.header is not None and module.header.effective is not None:
        merged.effective_stated.add(origin)
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
                merged.diagnostics.append(_missing_override(inner, key[1], table, merged.repealed.get(key[1])))
                continue
            if not override and exists:
                en, zh = _KIND_WORDS[type(inner)]
                merged.diagnostics.append(error(
                    "R112", inner.span, f"`{key[1]}` is already declared in `{table[key[1]][1]}`",
                    f"`{key[1]}` 已在 `{table[key[1]][1]}` 中声明",
                    help_en=f"to replace it, write `override {_keyword(inner)} {key[1]} ...`",
                    help_zh=f"如需替换，请在声明前加 `override`（覆盖）：`override {_keyword(inner)} {key[1]} …`"))
                continue
            if override:
                merged.replaced[key] = (*merged.replaced.get(key, ()), table[key[1]])
            table[key[1]] = (inner, origin)
            if override and isinstance(inner, A.Parameter):
                merged.overridden.add(inner.name)
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


def _already_repealed(span: Span, code: str, name: str, done_zh: str, repealed: Repealed) -> Diagnostic:
    """R105/R106 for a declaration a base declared and a file above this one repealed (or this
    one: an override after a repeal of the same clause)."""
    where = repealed.repeal.span.source
    if code == "R105" and where == span.source:
        return error(code, span, f"`{name}` is both repealed and overridden in this file: keep one",
                     f"本文件既废止又覆盖了 `{name}`：两者只能保留其一",
                     help_en=f"to replace the base's `{name}`, delete the `repeal`; to drop it, delete this declaration",
                     help_zh=f"如要替换上级政策中的 `{name}`，请删除 `repeal`；如要废止它，请删除这条覆盖声明")
    en = (f"`{name}` is overridden, but `{where}` repealed it: no base policy declares it now" if code == "R105" else
          f"`{name}` was repealed already, in `{where}`: no base policy declares it now")
    return error(code, span, en, f"{done_zh}了 `{name}`，但该条已在 `{where}` 中废止，被继承的政策中已没有该条",
                 help_en=f"declare it anew without `override` (`{where}` repealed it)" if code == "R105" else
                 "remove this `repeal`: the clause is gone already",
                 help_zh=f"如需恢复，请不加 `override` 重新声明（已被 `{where}` 废止）" if code == "R105" else
                 "请删除这一行 `repeal`：该条已被废止")


def _missing_override(decl: A.Decl, name: str, table: dict, repealed: Repealed | None = None) -> Diagnostic:
    if repealed is not None:
        return _already_repealed(decl.span, "R105", name, "覆盖", repealed)
    suggestion = did_you_mean(name, table)
    meant = None if suggestion else described(name, {k: getattr(d, "doc", None) for k, (d, _) in table.items()})
    if meant:  # named by what it means: the base's name for it, with its description
        doc = table[meant][0].doc
        help_en = f"did you mean `{meant}` (\"{doc}\")? A base's declaration is overridden by its own name"
        help_zh = f"是否应为 `{meant}`（“{doc}”）？覆盖时须写被继承政策中的名称"
    else:
        help_en = f"did you mean `{suggestion}`?" if suggestion else "remove `override` to declare it anew"
        help_zh = f"是否应为 `{suggestion}`？" if suggestion else "如是新声明，请去掉 `override`"
    return error("R105", decl.span, f"`{name}` is overridden but no base policy declares it",
                 f"覆盖了 `{name}`，但被继承的政策中没有该声明", help_en=help_en, help_zh=help_zh,
                 fixes=renamed(decl.span, name, suggestion or meant))


def _repeal(merged: Merged, repeal: A.Repeal) -> None:
    if repeal.id not in merged.items and (repeal.id in merged.parameters or repeal.id in merged.defines):
        kind_en, kind_zh = ("parameter", "参数") if repeal.id in merged.parameters else ("definition", "定义")
        merged.diagnostics.append(error(
            "R106", repeal.span, f"`{repeal.id}` is a {kind_en}: a {kind_en} cannot be repealed, only overridden",
            f"`{repeal.id}` 是{kind_zh}：{kind_zh}不能废止，只能覆盖",
            help_en=f"give it the county's value with `override {'parameter' if kind_en == 'parameter' else 'define'} "
                    f"{repeal.id} = …`, or repeal the rules that use it",
            help_zh=f"请用 `override {'parameter' if kind_en == 'parameter' else 'define'} {repeal.id} = …` "
                    "给出本县的值，或废止使用它的规则"))
        return
    if repeal.id in merged.items and merged.items[repeal.id][1] == repeal.span.source:
        # declared (or overridden) by this very file: the repeal would drop it without a word
        merged.diagnostics.append(error(
            "R106", repeal.span, f"`{repeal.id}` is declared in this file itself: a file repeals only what a file "
                                 "it extends declares",
            f"`{repeal.id}` 就在本文件中声明（或覆盖）：`repeal` 只能废止被继承的政策中的条款",
            help_en=f"to drop `{repeal.id}`, delete its declaration here; to repeal a base's clause of that id, keep "
                    "the `repeal` and delete the `override`",
            help_zh=f"如不再需要 `{repeal.id}`，请删除本文件中的这条声明；如还要废止上级政策中的同名条款，请删去 `override` 声明、只留 `repeal`"))
        return
    if repeal.id not in merged.items and repeal.id in merged.repealed:
        merged.diagnostics.append(_already_repealed(repeal.span, "R106", repeal.id, "废止",
                                                    merged.repealed[repeal.id]))
        return
    if repeal.id not in merged.items:
        from policylang.core.diagnostics import did_you_mean

        suggestion = did_you_mean(repeal.id, merged.items)
        merged.diagnostics.append(error(
            "R106", repeal.span, f"`{repeal.id}` is repealed but no base policy declares it",
            f"废止了 `{repeal.id}`，但被继承的政策中没有该条",
            help_en=f"did you mean `{suggestion}`?" if suggestion else None,
            help_zh=f"是否应为 `{suggestion}`？" if suggestion else None,
            fixes=renamed(repeal.span, repeal.id, suggestion)))
        return
    decl, origin = merged.items.pop(repeal.id)
    merged.repealed[repeal.id] = Repealed(decl, origin, repeal)
    # the bases' precedence lines ordered the declaration repealed: not one the file declares anew
    # under its id (`precedence A > B > C` without B is `A > C`); the file's own lines order that one
    merged.precedences = [attrs.evolve(p, order=tuple(i for i in p.order if i != repeal.id))
                          if p.span.source != repeal.span.source and repeal.id in p.order else p
                          for p in merged.precedences]


_READ_PROBLEMS_ZH = {"a folder": "这是一个文件夹", "no such file": "没有这个文件", "not a regular file": "不是普通文件",
                     "no permission to read it": "没有读取权限"}
