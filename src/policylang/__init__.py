"""policylang: teacher exchange and rotation policies as code.

The stable embedding API is re-exported here; see docs/api.md.
"""

from policylang.api import BlankCells, Policy, RosterError, SkippedRows, UnknownKeys, ValuesToCheck, load, loads
from policylang.lang.decisions import Consequence, Decision, Explanation, Fired, PromotionCheck
from policylang.core.diagnostics import Diagnostic, PolicyError

__all__ = ["Policy", "RosterError", "UnknownKeys", "BlankCells", "ValuesToCheck", "SkippedRows", "load", "loads",
           "Decision", "Explanation", "Consequence", "PromotionCheck", "Fired", "Diagnostic", "PolicyError"]
__version__ = "0.1.0"
