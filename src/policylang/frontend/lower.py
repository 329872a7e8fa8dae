"""Parse tree -> AST. Purely structural: no name is resolved and no semantic error
is raised here (literal syntax, such as an impossible date, is the one exception,
reported as a diagnostic rather than raised inside the transformer; so is a literal
beyond the range a policy may state, ``limits.py``, which no evaluator ever sees).

The tree is walked without recursion (Lark's ``Transformer_NonRecursive``): its depth
was measured by the parser, but a chain of `and` is as deep as it is long."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

from lark import Token, Transformer_NonRecursive, Tree, v_args

from policylang.lang import ast as A
from policylang.core.diagnostics import Diagnostic, error, warning
from policylang.core.source import Span
from policylang.frontend import limits

UNITS = {  # a quantity's unit as written -> its unit
    "years": "years", "year": "years", "周岁": "years", "年": "years",
    "months": "months", "month": "months", "个月": "months",
    "days": "days", "day": "days", "天": "days",
    "%": "percent", "percent": "percent",
}
_COMPARISONS = {"at least": ">=", "at most": "<=", "less than": "<", "more than": ">"}
_DATE_PARTS = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{4})年(\d{1,2})月(\d{1,2})日")  # \d: full-width digits too


def _is_and(expr) -> bool:
    return isinstance(expr, A.Binary) and expr.op == "and"


def _unquote(token: str) -> str:
    if token.startswith("“"):
        return token[1:-1]
    body = token[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


class _Lower(Transformer_NonRecursive):
    def __init__(self, source_name: str):
        super().__init__()
        self.source_name = source_name
        self.diagnostics: list[Diagnostic] = []

    # ---- helpers ---------------------------------------------------------
    def _span(self, meta) -> Span:
        if getattr(meta, "empty", False) or not hasattr(meta, "line"):
            return Span(self.source_name, 0, 0, 0, 0)
        return Span(self.source_name, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tok_span(self, tok: Token) -> Span:
        return Span(self.source_name, tok.line, tok.column, tok.end_line, tok.end_column)

    @staticmethod
    def _clauses(children, *kinds):
        return [c for c in children if isinstance(c, tuple) and c and c[0] in kinds]

    def _targets(self, clauses) -> tuple[tuple[str, ...], tuple[Span, ...]]:
        """The names of a declaration's `to`/`for` clauses, and where each is written."""
        found = self._clauses(clauses, "targets")
        return sum((c[1] for c in found), ()), sum((c[2] for c in found), ())

    def _one(self, children, kind, default=None, span: Span | None = None):
        found = self._clauses(children, kind)
        if len(found) > 1 and span is not None:
            self.diagnostics.append(error(
                "P004", span, f"`{kind.replace('_', ' ')}` is given {len(found)} times in one declaration",
                f"同一声明中 `{kind.replace('_', ' ')}` 出现了 {len(found)} 次",
                help_en="combine the conditions with `and` or `or`, or keep one",
                help_zh="请用 `and` 或 `or` 合并条件，或只保留一处"))
        return found[-1][1] if found else default

    # ---- literals ----------------------------------------------------------
    def _number(self, tok: Token) -> Fraction:
        """A number token's value, or 0 and a diagnostic if it is beyond the range a
        policy may state (checked on its digits, before any conversion)."""
        text = str(tok)
        whole, _, decimals = text.partition(".")
        if limits.number_beyond(whole.lstrip("0"), decimals.rstrip("0")):
            self.diagnostics.append(limits.number_beyond_error(self._tok_span(tok), text))
            return Fraction(0)
        return Fraction(text)

    @v_args(meta=True)
    def quantity(self, meta, children):
        number, unit = children
        value = self._number(number)
        unit = UNITS[str(unit)] if unit else None
        longest = limits.duration_beyond(value, unit)
        if longest is not None:
            self.diagnostics.append(limits.duration_beyond_error(self._span(meta), longest, unit))
            value = Fraction(0)
        return A.Quantity(value, unit, span=self._span(meta))

    @v_args(meta=True)
    def date(self, meta, children):
        (tok,) = children
        text = str(tok)
        m = _DATE_PARTS.fullmatch(text)
        try:
            value = dt.date(*(int(part) for part in m.groups() if part is not None))  # int() reads ５ as 5
        except (ValueError, AttributeError):
            if m is not None:  # written as a date should be, a day the calendar has not (2025-02-29)
                help_en, help_zh = ("the calendar has no such day (months 1-12, days as many as the month has)",
                                    "日历中没有这一天（月份为 1–12，日数不超过该月的天数）")
            else:
                help_en, help_zh = "write dates as YYYY-MM-DD, e.g. 2025-09-01", "日期请写作 YYYY-MM-DD，如 2025-09-01"
            self.diagnostics.append(error("P003", self._tok_span(tok), f"`{text}` is not a valid date",
                                          f"`{text}` 不是有效日期", help_en=help_en, help_zh=help_zh))
            value = limits.MIN_DATE
        if not limits.MIN_DATE <= value <= limits.MAX_DATE:
            self.diagnostics.append(error(
                "P003", self._tok_span(tok), f"`{text}` is outside the dates a policy may state",
                f"`{text}` 超出政策中日期的范围",
                help_en=f"dates run from {limits.MIN_DATE} to {limits.MAX_DATE}",
                help_zh=f"日期范围为 {limits.MIN_DATE} 至 {limits.MAX_DATE}"))
            value = limits.MIN_DATE
        return A.DateLit(value, span=self._span(meta))

    @v_args(meta=True)
    def string(self, meta, children):
        return A.StringLit(children[0], span=self._span(meta))  # STRING below already unquoted it

    @v_args(meta=True)
    def true(self, meta, children):
        return A.BoolLit(True, span=self._span(meta))

    @v_args(meta=True)
    def false(self, meta, children):
        return A.BoolLit(False, span=self._span(meta))

    @v_args(meta=True)
    def code(self, meta, children):
        return A.Code(str(children[0]), span=self._span(meta))

    def rule_id(self, children):
        return children[0]

    def STRING(self, tok):
        return _unquote(str(tok))

    # ---- expressions -----------------------------------------------------------
    @v_args(meta=True)
    def name(self, meta, children):
        return A.Name(tuple(str(c) for c in children), span=self._span(meta))

    @v_args(meta=True)
    def call(self, meta, children):
        func, *args = children
        return A.Call(str(func), tuple(a for a in args if a is not None), span=self._span(meta))

    def comp_op(self, children):
        text = " ".join(str(c) for c in children)
        return _COMPARISONS.get(text, text)

    @v_args(meta=True)
    def compare(self, meta, children):
        left, op, right = children
        return A.Binary(op, left, right, span=self._span(meta))

    @v_args(meta=True)
    def arith(self, meta, children):
        left, op, right = children
        return A.Binary(str(op), left, right, span=self._span(meta))

    @v_args(meta=True)
    def and_(self, meta, children):
        return A.Binary("and", children[0], children[1], span=self._span(meta))

    @v_args(meta=True)
    def or_(self, meta, children):
        span = self._span(meta)
        left, right = children
        # an `and` not in brackets binds first: `A and B or C` is (A and B) or C. A drafter writing a
        # clause's "A 且 B 或 C" seldom means that; brackets, either way, say what is meant. An
        # operand in brackets starts after the `or` expression does (or ends before it).
        if ((_is_and(left) and (left.span.line, left.span.column) == (span.line, span.column))
                or (_is_and(right) and (right.span.end_line, right.span.end_column) == (span.end_line, span.end_column))):
            self.diagnostics.append(warning(
                "L310", span, "`and` and `or` mixed without brackets: `and` binds first (`A and B or C` reads "
                "`(A and B) or C`)",
                "`and` 与 `or` 混用而未加括号：`and` 先结合（`A and B or C` 读作 `(A and B) or C`）",
                help_en="put brackets around what belongs together, e.g. `A and (B or C)`, even if the reading "
                        "above is what is meant",
                help_zh="请用括号写明哪些条件在一起，如 `A and (B or C)`；即使本意就是上面的读法，也请加上括号"))
        return A.Binary("or", left, right, span=span)

    @v_args(meta=True)
    def not_(self, meta, children):
        return A.Not(children[0], span=self._span(meta))

    @v_args(meta=True)
    def neg(self, meta, children):
        return A.Neg(children[0], span=self._span(meta))

    def set(self, children):
        return tuple(children)

    @v_args(meta=True)
    def in_set(self, meta, children):
        return A.InSet(children[0], children[1], False, span=self._span(meta))

    @v_args(meta=True)
    def not_in_set(self, meta, children):
        return A.InSet(children[0], children[1], True, span=self._span(meta))

    @v_args(meta=True)
    def is_set(self, meta, children):
        return A.IsSet(children[0], False, span=self._span(meta))

    @v_args(meta=True)
    def is_empty(self, meta, children):
        return A.IsSet(children[0], True, span=self._span(meta))

    @v_args(meta=True)
    def if_expr(self, meta, children):
        return A.If(*children, span=self._span(meta))

    # ---- clauses (returned as tagged tuples, gathered by their declaration) ------
    @v_args(meta=True)
    def cite(self, meta, children):
        return ("cite", A.Cite(str(children[0]), children[1], span=self._span(meta)))

    def note_clause(self, children):
        return ("note", children[0])

    def note(self, children):
        return ("note", children[0])

    def document(self, children):
        return ("document", children[0])

    def jurisdiction(self, children):
        return ("jurisdiction", children[0])

    def effective(self, children):
        return ("effective", children[0].value)

    @v_args(meta=True)
    def as_of(self, meta, children):
        return ("as_of", children[0].value)

    def when(self, children):
        return ("when", children[0])

    @v_args(meta=True)
    def then(self, meta, children):
        return ("then", (str(children[0]), self._span(meta)))

    @v_args(meta=True)
    def direction(self, meta, children):
        return ("direction", (str(children[0]), self._span(meta)))

    def targets(self, children):
        return ("targets", tuple(str(c) for c in children), tuple(map(self._tok_span, children)))

    @v_args(meta=True)
    def targets_all(self, meta, children):
        return ("targets", ("*",), (self._span(meta),))

    def may_decline(self, children):
        return ("may_decline", True)

    def applies(self, children):
        return ("applies", children[0])

    def requires(self, children):
        return ("requires", children[0])

    def after(self, children):
        return ("after", children[0])

    @v_args(meta=True)
    def effect(self, meta, children):
        name, label, duration, bars = children
        return ("effect", A.Effect(str(name), label, duration, span=self._span(meta), bars=bars))

    def bars(self, children):
        return tuple(str(c) for c in children if c is not None)

    def quota_scope(self, children):
        return ("quota_scope", children[0])

    @v_args(meta=True)
    def per(self, meta, children):
        return ("per", (str(children[0]), self._span(meta)))

    @v_args(meta=True)
    def count_ref(self, meta, children):
        return A.Selection(str(children[0]), children[1], span=self._span(meta))

    @v_args(meta=True)
    def base_ref(self, meta, children):
        return A.Selection(str(children[0]), children[1], span=self._span(meta))

    @v_args(meta=True)
    def base_field(self, meta, children):
        return A.FieldBase(str(children[0]), str(children[1]), span=self._span(meta))

    @v_args(meta=True)
    def amount_quantity(self, meta, children):
        q = children[0]
        return A.Amount(q.value, q.unit, span=self._span(meta))

    @v_args(meta=True)
    def amount_fraction(self, meta, children):
        num, den = (self._number(c) for c in children)
        if den == 0:
            self.diagnostics.append(error("P003", self._span(meta), "a share cannot divide by zero",
                                          "比例的分母不能为零"))
            den = Fraction(1)
        return A.Amount(num / den, None, span=self._span(meta))

    def rounding(self, children):
        return str(children[0])

    @v_args(meta=True)
    def require(self, meta, children):
        count, amount, base, rounding = children
        return ("require", A.Requirement(count, amount, base, rounding, span=self._span(meta)))

    # ---- declarations -------------------------------------------------------
    @v_args(meta=True)
    def policy_decl(self, meta, children):
        title, *clauses = children
        span = self._span(meta)
        return A.Header(title, self._one(clauses, "jurisdiction", span=span), self._one(clauses, "effective", span=span),
                        self._one(clauses, "as_of", span=span), span=span)

    @v_args(meta=True)
    def extends_decl(self, meta, children):
        return A.Extends(children[0], span=self._span(meta))

    @v_args(meta=True)
    def source_decl(self, meta, children):
        ident, title, *clauses = children
        return A.SourceDecl(str(ident), title, self._one(clauses, "document", span=self._span(meta)),
                            self._one(clauses, "note", span=self._span(meta)), span=self._span(meta))

    def type_ref(self, children):
        return str(children[0])

    @v_args(meta=True)
    def field_decl(self, meta, children):
        table, name, type_name, default, doc = children
        return A.FieldDecl(str(table), str(name), type_name, doc, span=self._span(meta), default=default)

    @v_args(meta=True)
    def parameter_decl(self, meta, children):
        name, type_name, value, doc, *clauses = children
        return A.Parameter(str(name), type_name, value, doc, span=self._span(meta), **self._common(clauses))

    @v_args(meta=True)
    def define_decl(self, meta, children):
        name, doc, expr, *clauses = children
        return A.Define(str(name), doc, expr, span=self._span(meta), **self._common(clauses))

    def _common(self, clauses):
        return dict(cites=tuple(c[1] for c in self._clauses(clauses, "cite")),
                    notes=tuple(c[1] for c in self._clauses(clauses, "note")))

    @v_args(meta=True)
    def rule_decl(self, meta, children):
        ident, title, *clauses = children
        then = self._one(clauses, "then", span=self._span(meta))
        direction = self._one(clauses, "direction", span=self._span(meta))
        return A.Rule(str(ident), title, when=self._one(clauses, "when", span=self._span(meta)),
                      outcome=then[0] if then else None, direction=direction[0] if direction else None,
                      span=self._span(meta), outcome_span=then[1] if then else self._span(meta),
                      direction_span=direction[1] if direction else self._span(meta),
                      **self._common(clauses))

    @v_args(meta=True)
    def exemption_decl(self, meta, children):
        ident, title, code, *clauses = children
        targets, target_spans = self._targets(clauses)
        return A.Exemption(str(ident), title, str(code), targets, when=self._one(clauses, "when", span=self._span(meta)),
                           span=self._span(meta), may_decline=bool(self._clauses(clauses, "may_decline")),
                           target_spans=target_spans, **self._common(clauses))

    @v_args(meta=True)
    def precedence_decl(self, meta, children):
        return A.Precedence(tuple(str(c) for c in children), span=self._span(meta))

    @v_args(meta=True)
    def prerequisite_decl(self, meta, children):
        ident, title, *clauses = children
        targets, target_spans = self._targets(clauses)
        return A.Prerequisite(str(ident), title, targets, applies=self._one(clauses, "applies", span=self._span(meta)),
                              requires=self._one(clauses, "requires", span=self._span(meta)), span=self._span(meta),
                              target_spans=target_spans, **self._common(clauses))

    @v_args(meta=True)
    def consequence_decl(self, meta, children):
        kind, ident, title, *clauses = children
        effects = tuple(c[1] for c in self._clauses(clauses, "effect"))
        return A.Consequence(str(kind), str(ident), title, after=self._one(clauses, "after", span=self._span(meta)),
                             when=self._one(clauses, "when", span=self._span(meta)), effects=effects,
                             span=self._span(meta), **self._common(clauses))

    @v_args(meta=True)
    def quota_decl(self, meta, children):
        ident, title, *clauses = children
        per = self._one(clauses, "per", span=self._span(meta))
        reqs = tuple(c[1] for c in self._clauses(clauses, "require"))
        return A.Quota(str(ident), title, per=per[0] if per else None, requirements=reqs,
                       span=self._span(meta), per_span=per[1] if per else self._span(meta),
                       scope=self._one(clauses, "quota_scope", span=self._span(meta)), **self._common(clauses))

    @v_args(meta=True)
    def order_key(self, meta, children):
        expr, direction = children
        return A.OrderKey(expr, str(direction) == "descending" if direction else False, span=self._span(meta))

    def order(self, children):
        return ("order", tuple(children))

    @v_args(meta=True)
    def priority_decl(self, meta, children):
        ident, title, *clauses = children
        keys = sum((c[1] for c in self._clauses(clauses, "order")), ())
        return A.Priority(str(ident), title, keys=keys, span=self._span(meta), **self._common(clauses))

    @v_args(meta=True)
    def provision_decl(self, meta, children):
        ident, title, *clauses = children
        return A.Provision(str(ident), title, span=self._span(meta), **self._common(clauses))

    @v_args(meta=True)
    def repeal_decl(self, meta, children):
        ident, reason, *clauses = children
        return A.Repeal(str(ident), reason, span=self._span(meta), **self._common(clauses))

    @v_args(meta=True)
    def override_decl(self, meta, children):
        return A.Override(children[0], span=self._span(meta))

    # ---- samples and tests ------------------------------------------------------
    @v_args(meta=True)
    def entry(self, meta, children):
        return A.Entry(str(children[0]), children[1], span=self._span(meta))

    def record(self, children):
        return tuple(c for c in children if c is not None)

    @v_args(meta=True)
    def inline_record(self, meta, children):
        return A.RecordRef(None, children[0], span=self._span(meta))

    @v_args(meta=True)
    def sample_ref(self, meta, children):
        name, entries = children
        return A.RecordRef(str(name), entries or (), span=self._span(meta))

    @v_args(meta=True)
    def sample_decl(self, meta, children):
        table, name, entries = children
        return A.Sample(str(table), str(name), entries, span=self._span(meta))

    def teacher(self, children):
        return ("teacher", children[0])

    def school(self, children):
        return ("school", children[0])

    def person(self, children):
        name, teacher, school = children
        return ("person", (str(name), teacher, school))

    @v_args(meta=True)
    def set_param(self, meta, children):
        return ("set", A.SetParam(str(children[0]), children[1], span=self._span(meta)))

    def _expect(kind):  # noqa: N805 - a factory for the transformer's methods
        @v_args(meta=True)
        def method(self, meta, children):
            args = tuple(c.value if isinstance(c, A.DateLit) else (str(c) if c is not None else None)
                         for c in children)
            return ("expect", A.Expectation(kind, args, span=self._span(meta)))
        return method

    expect_status = _expect("status")
    expect_rule = _expect("rule")
    expect_no_rule = _expect("no_rule")
    expect_exemption = _expect("exemption")
    expect_may_decline = _expect("may_decline")  # (code, code, …): the decision's may_decline, in any order
    expect_no_may_decline = _expect("no_may_decline")
    expect_direction = _expect("direction")
    expect_no_direction = _expect("no_direction")
    expect_promotion_ok = _expect("promotion_ok")
    expect_promotion_unmet = _expect("promotion_unmet")
    expect_quota = _expect("quota")  # (quota id, group or None, the number required)
    expect_selection = _expect("selection")  # (group or None, id, id, …)
    expect_no_selection = _expect("no_selection")  # (group or None,)
    expect_uncertain = _expect("uncertain")  # (field, field, …), each as written: `post_start`, `学校.区域`
    expect_no_uncertain = _expect("no_uncertain")

    def field_named(self, children):
        return ".".join(str(c) for c in children if c is not None)
    def _expect_consequence(kind):  # noqa: N805 - a factory for the transformer's methods
        """``args`` of a penalty or benefit expectation: (id or None, until or None, effect or None)."""
        @v_args(meta=True)
        def method(self, meta, children):
            ident = next((str(c) for c in children if isinstance(c, (str, Token))), None)
            effect = next((c[1] for c in children if isinstance(c, tuple)), None)
            until = next((c.value for c in children if isinstance(c, A.DateLit)), None)
            return ("expect", A.Expectation(kind, (ident, until, effect), span=self._span(meta)))
        return method

    expect_penalty = _expect_consequence("penalty")
    expect_no_penalty = _expect_consequence("no_penalty")
    expect_benefit = _expect_consequence("benefit")
    expect_no_benefit = _expect_consequence("no_benefit")

    def effect_ref(self, children):
        return ("effect", str(children[0]))

    @v_args(meta=True)
    def test_decl(self, meta, children):
        title, *clauses = children
        return A.Test(title, as_of=self._one(clauses, "as_of", span=self._span(meta)),
                      sets=tuple(c[1] for c in self._clauses(clauses, "set")),
                      teacher=self._one(clauses, "teacher", span=self._span(meta)), school=self._one(clauses, "school", span=self._span(meta)),
                      expectations=tuple(c[1] for c in self._clauses(clauses, "expect")),
                      span=self._span(meta), people=tuple(c[1] for c in self._clauses(clauses, "person")))

    @v_args(meta=True)
    def start(self, meta, children):
        header = next((c for c in children if isinstance(c, A.Header)), None)
        all_extends = [c for c in children if isinstance(c, A.Extends)]
        extends = all_extends[0] if all_extends else None
        for extra in all_extends[1:]:
            self.diagnostics.append(error("P004", extra.span, "a policy extends one file only",
                                          "一份政策只能继承一个文件",
                                          help_en="let the base file extend the next one (a chain)",
                                          help_zh="可让被继承的文件再继承下一个文件（链式继承）"))
        decls = tuple(c for c in children if isinstance(c, A.Decl))
        return A.Module(self.source_name, header, extends, decls, span=self._span(meta))


def lower(tree: Tree, source_name: str) -> tuple[A.Module, list[Diagnostic]]:
    lowering = _Lower(source_name)
    module = lowering.transform(tree)
    return module, lowering.diagnostics
