"""The decision corpus: every in-language test of tests/cases/good/*.pol (the legal reading
of numbers and dates, missing values, how a status is decided, extends with override and
repeal) and of the bundled policies passes, and the four evaluators (the reference
interpreter, the bulk evaluator, the closures behind Policy.decide, and the solver's
translation behind verify) decide every test record alike, at the test's own reference date
and parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from policylang.backends import smt
from policylang.backends.closures import compile_decider
from policylang.backends.polars import decide_frame, frame_from_records
from policylang.frontend.pipeline import compile_source, read_source
from policylang.backends.reference import decide
from policylang.analyses.testing import records_of, run_tests

from .conftest import POLICIES, ROOT, engine_row

CORPUS = sorted((ROOT / "tests" / "cases" / "good").glob("*.pol")) + sorted(POLICIES.glob("*.pol"))


def _policy(path: Path):
    policy, diagnostics, _ = compile_source(read_source(path.relative_to(ROOT)))
    assert policy is not None, diagnostics
    return policy


def _records(policy):
    """Each test's records, with ids of their own, and its reference date."""
    for i, test in enumerate(policy.tests):
        teacher, school = records_of(policy, test)
        teacher |= {"id": f"T{i}", "school_id": f"S{i}"}
        school = school | {"school_id": f"S{i}"}
        yield test, teacher, school, test.as_of or policy.as_of


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_evaluator_decides_the_corpus_as_its_tests_say(path):
    policy = _policy(path)
    assert policy.tests, "a corpus file pins its meaning with tests"
    failed = [r.title for r in run_tests(policy) if not r.passed]
    assert failed == []
    for test, teacher, school, as_of in _records(policy):
        reference = decide(policy, teacher, school, as_of=as_of, params=test.params)
        frame = frame_from_records(policy, [teacher], {school["school_id"]: school})
        bulk = decide_frame(policy, frame, as_of=as_of, params=test.params, fired=True).collect().to_dicts()
        assert bulk == [engine_row(reference, fired=True)], test.title
        assert compile_decider(policy, as_of, test.params)(teacher, school) == reference, test.title


# The solver reads a number as the decimal written (0.1 is 1/10) and computes exactly; the other
# evaluators compute in floating point, correctly rounded: one division compared with a literal
# (`students / establishment = 0.1`, arithmetic.pol) agrees. A chain rounding twice may not at an
# exact boundary (docs/verify.md says so).
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_solver_decides_the_corpus_as_the_interpreter(path):
    """Kept apart from the other three so that a file the solver decides otherwise (above)
    still holds the others to the corpus."""
    policy = _policy(path)
    for test, teacher, school, as_of in _records(policy):
        reference = decide(policy, teacher, school, as_of=as_of, params=test.params)
        solver = smt.decide(policy, teacher, school, as_of=as_of, params=test.params)
        assert solver.to_row(fired=True) == reference.to_row(fired=True), test.title
