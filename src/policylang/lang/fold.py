"""Constant folding, written once for every evaluator: what an expression's value is when it
is the same for every person, once the reference date and the parameters are settled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from policylang.lang import ir
from policylang.lang import ops as B
from policylang.lang import policy as P


class Folder:
    """Folds a policy's expressions at one setting: a reference date and parameter values."""

    def __init__(self, policy: P.CheckedPolicy, as_of: dt.date, params: Mapping[str, object]):
        self.policy = policy
        self.as_of = as_of
        self.params = params

    def constant(self, node: ir.Node) -> tuple[bool, object]:
        """(True, value) when the node's value is the same for every person; a value that
        fails to compute (a date out of range) raises as the operator does."""
        if isinstance(node, ir.Const):
            return True, node.value
        if isinstance(node, ir.ParamRef):
            return True, self.params[node.name]
        if isinstance(node, ir.AsOf):
            return True, self.as_of
        if isinstance(node, ir.DefRef):
            return self.constant(self.policy.definitions[node.name].expr)
        if isinstance(node, ir.Apply) and node.op not in ("if", "in"):
            values = [self.constant(a) for a in node.args]
            if all(ok for ok, _ in values):
                return True, B.apply_row(node.op, [v for _, v in values], [a.type for a in node.args])
        return False, None
