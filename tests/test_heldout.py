"""Held-out acceptance cases: each bundled policy decides, through the real CLI, the people
an official would check at the boundaries of its source (tests/heldout/<policy>/).

The expected decisions in tests/heldout/*/expected.csv were written from the source
documents, not from the tool (tests/heldout/build.py says how, and its syntax). Each case
runs `policylang eval POLICY teachers.csv --schools schools.csv --format json --as-of DATE`
as a subprocess on the English roster and on the same people in a Chinese-header GB18030
roster; both must give identical decisions. A case the tool is known to get wrong carries
a strict xfail naming the clause, so that fixing it turns the suite red until unmarked.
"""
from __future__ import annotations

import csv
import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .heldout._roster import ZH_HEADERS, zh_bytes

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HELDOUT = HERE / "heldout"
COMMAND = Path(sys.executable).parent / "policylang"

POLICIES = sorted(p.name for p in HELDOUT.iterdir() if (p / "expected.csv").exists())
ROSTERS = {"en": ("teachers.csv", "schools.csv"), "zh": ("teachers_zh.csv", "schools_zh.csv")}


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def run_eval(policy: str, teachers: Path, schools: Path, as_of: str, *more: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(COMMAND), "eval", str(ROOT / "policies" / f"{policy}.pol"), str(teachers),
         "--schools", str(schools), "--format", "json", "--as-of", as_of, "--lang", "en", *more],
        capture_output=True, text=True, timeout=300, cwd=ROOT)


@functools.lru_cache(maxsize=None)
def decisions(policy: str, roster: str, as_of: str) -> tuple[dict, ...]:
    teachers, schools = (HELDOUT / policy / name for name in ROSTERS[roster])
    done = run_eval(policy, teachers, schools, as_of)
    assert done.returncode == 0, f"{policy} ({roster}, {as_of}) refused: {done.stderr}"
    return tuple(json.loads(done.stdout))


def decision(policy: str, person: str, as_of: str) -> dict:
    by_id = {d["id"]: d for d in decisions(policy, "en", as_of)}
    assert person in by_id, f"{person} has no decision"
    return by_id[person]


# ---- the expected-cell syntax (tests/heldout/build.py) ---------------------------------

def check_one(field: str, want: str, got) -> list[str]:
    if want == "":
        return []
    if want == "-":
        return [] if got in (None, "") else [f"{field}: expected none, got {got!r}"]
    return [] if got in want.split("|") else [f"{field}: expected {want}, got {got!r}"]


def check_set(field: str, want: str, got: list) -> list[str]:
    if want == "":
        return []
    expected = set() if want == "-" else set(want.split(";"))
    return [] if set(got) == expected else [f"{field}: expected {sorted(expected)}, got {sorted(got)}"]


def check_promotion(want: str, got: dict) -> list[str]:
    problems = []
    for entry in filter(None, want.split(";")):
        level, verdict = entry.split("=", 1)
        if level not in got:
            problems.append(f"promotion: no entry for {level} (got {sorted(got)})")
            continue
        entry_got = got[level]
        if verdict == "ok":
            if not entry_got["ok"] or entry_got["unmet"]:
                problems.append(f"promotion {level}: expected ok, got unmet {entry_got['unmet']} "
                                f"barred {entry_got['barred']}")
            continue
        rules = dict(part.partition("@")[::2] for part in verdict.removeprefix("unmet:").split("+"))
        if entry_got["ok"] or set(entry_got["unmet"]) != set(rules):
            problems.append(f"promotion {level}: expected unmet {sorted(rules)}, got ok={entry_got['ok']} "
                            f"unmet {entry_got['unmet']}")
        lifts = {b["rule"]: b["lifts"] for b in entry_got["barred"]}
        for rule, when in rules.items():
            if not when:
                continue
            expected = None if when == "open" else when
            if rule not in lifts or lifts[rule] != expected:
                problems.append(f"promotion {level}: expected {rule} to bar it, lifting {expected}; "
                                f"barred {entry_got['barred']}")
    return problems


def check_penalties(want: str, got: list[dict]) -> list[str]:
    if want == "":
        return []
    in_force = {(p["rule"], p["effect"]): p["until"] for p in got}
    if want == "-":
        return [] if not got else [f"penalties: expected none, got {sorted(in_force)}"]
    problems = []
    for entry in want.split(";"):
        if entry.startswith("!"):
            key = tuple(entry[1:].split(":", 1))
            if key in in_force:
                problems.append(f"penalties: {entry[1:]} should not be in force (until {in_force[key]})")
            continue
        effect, _, until = entry.partition("@")
        key = tuple(effect.split(":", 1))
        if key not in in_force:
            problems.append(f"penalties: {effect} not in force; in force: {sorted(in_force)}")
        elif until and in_force[key] != (None if until == "open" else until):
            problems.append(f"penalties: {effect} until {in_force[key]}, expected {until}")
    return problems


def check_benefits(want: str, got: list[dict]) -> list[str]:
    if want == "":
        return []
    rules = {b["rule"] for b in got}
    if want == "-":
        return [] if not rules else [f"benefits: expected none, got {sorted(rules)}"]
    problems = []
    for entry in want.split(";"):
        if entry.startswith("!") and entry[1:] in rules:
            problems.append(f"benefits: {entry[1:]} should not be earned")
        elif not entry.startswith("!") and entry not in rules:
            problems.append(f"benefits: {entry} not earned; got {sorted(rules)}")
    return problems


def mismatches(row: dict[str, str], got: dict) -> list[str]:
    return [
        *check_one("status", row["status"], got["status"]),
        *check_one("rule", row["rule"], got["rule"]),
        *check_one("exemption", row["exemption"], got["exemption"]),
        *check_one("direction", row["direction"], got["direction"]),
        *check_set("may_decline", row["may_decline"], got["may_decline"]),
        *check_set("uncertain", row["uncertain"], got["uncertain"]),
        *check_promotion(row["promotion"], got["promotion"]),
        *check_penalties(row["penalties"], got["penalties"]),
        *check_benefits(row["benefits"], got["benefits"]),
    ]


# ---- the cases ------------------------------------------------------------------------

def expected_cases():
    for policy in POLICIES:
        for row in read(HELDOUT / policy / "expected.csv"):
            marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if row["xfail"] else []
            yield pytest.param(policy, row, id=f"{policy}-{row['id']}-{row['as_of']}", marks=marks)


@pytest.mark.parametrize(("policy", "row"), list(expected_cases()))
def test_decision_follows_the_source(policy, row):
    got = decision(policy, row["id"], row["as_of"])
    problems = mismatches(row, got)
    assert not problems, f"{row['id']} at {row['as_of']}: {problems}\nwhy: {row['why']}"


def as_of_dates():
    for policy in POLICIES:
        for as_of in sorted({row["as_of"] for row in read(HELDOUT / policy / "expected.csv")}):
            yield pytest.param(policy, as_of, id=f"{policy}-{as_of}")


@pytest.mark.parametrize(("policy", "as_of"), list(as_of_dates()))
def test_chinese_roster_gives_the_same_decisions(policy, as_of):
    english, chinese = decisions(policy, "en", as_of), decisions(policy, "zh", as_of)
    assert [d["id"] for d in chinese] == [d["id"] for d in english]
    for en, zh in zip(english, chinese):
        assert zh == en, f"{en['id']}: the Chinese roster decides differently"


@pytest.mark.parametrize("policy", POLICIES)
def test_the_reference_interpreter_decides_alike(policy):
    """The default (bulk, columnar) evaluator and the one-by-one interpreter agree on every
    held-out person, at the policy's first reference date."""
    as_of = read(HELDOUT / policy / "expected.csv")[0]["as_of"]
    teachers, schools = (HELDOUT / policy / name for name in ROSTERS["en"])
    done = run_eval(policy, teachers, schools, as_of, "--engine", "reference")
    assert done.returncode == 0, done.stderr
    for bulk, reference in zip(decisions(policy, "en", as_of), json.loads(done.stdout), strict=True):
        assert reference == bulk, f"{bulk['id']}: the interpreter decides differently"


@pytest.mark.parametrize("policy", POLICIES)
def test_a_roster_of_contract_columns_is_accepted_strictly(policy):
    """Every held-out roster holds only the contract's columns: --strict has nothing to refuse."""
    as_of = read(HELDOUT / policy / "expected.csv")[0]["as_of"]
    for roster in ROSTERS:
        teachers, schools = (HELDOUT / policy / name for name in ROSTERS[roster])
        done = run_eval(policy, teachers, schools, as_of, "--strict")
        assert done.returncode == 0, done.stderr
        assert "R012" not in done.stderr, done.stderr


@pytest.mark.parametrize("policy", POLICIES)
def test_chinese_rosters_are_the_english_ones_translated(policy):
    """The GB18030 files are committed; they must still say what the English ones say."""
    folder = HELDOUT / policy
    assert (folder / "teachers_zh.csv").read_bytes() == zh_bytes("teacher", folder / "teachers.csv")
    assert (folder / "schools_zh.csv").read_bytes() == zh_bytes("school", folder / "schools.csv")
    with pytest.raises(UnicodeDecodeError):  # really GB18030, not UTF-8
        (folder / "teachers_zh.csv").read_bytes().decode("utf-8")


@functools.lru_cache(maxsize=None)
def quota_plan(policy: str, roster: str, as_of: str) -> tuple[dict, ...]:
    teachers, schools = (HELDOUT / policy / name for name in ROSTERS[roster])
    done = subprocess.run(
        [str(COMMAND), "quota", str(ROOT / "policies" / f"{policy}.pol"), str(teachers), "--schools",
         str(schools), "--format", "json", "--as-of", as_of, "--lang", "en"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return tuple(json.loads(done.stdout))


def quota_cases():
    for policy in POLICIES:
        path = HELDOUT / policy / "quota.csv"
        for row in read(path) if path.exists() else []:
            marks = [pytest.mark.xfail(strict=True, reason=row["xfail"])] if row["xfail"] else []
            yield pytest.param(policy, row, id=f"{policy}-{row['group']}-{row['quota']}", marks=marks)


@pytest.mark.parametrize(("policy", "row"), list(quota_cases()))
def test_quota_follows_the_source(policy, row):
    """`policylang quota` counts a school's share on the base its source names, only where the
    source applies it; the English and Chinese rosters plan alike."""
    as_of = read(HELDOUT / policy / "expected.csv")[0]["as_of"]
    plans = {roster: quota_plan(policy, roster, as_of) for roster in ROSTERS}
    assert plans["zh"] == plans["en"], "the Chinese roster plans differently"
    groups = {g["group"]: g for g in plans["en"]}
    requirement = next((r for r in groups.get(row["group"], {}).get("requirements", [])
                        if r["quota"] == row["quota"]), None)
    if row["required"] == "-":
        assert requirement is None or requirement["required"] == 0, (requirement, row["why"])
        return
    assert requirement is not None, f"no {row['quota']} at {row['group']}: {groups.get(row['group'])}"
    got = {"base": requirement["base"], "required": requirement["required"]}
    want = {k: int(row[k]) for k in ("base", "required") if row[k]}
    assert {k: got[k] for k in want} == want, f"{got}; why: {row['why']}"


def missing_cases():
    for policy in POLICIES:
        for row in read(HELDOUT / policy / "missing.csv"):
            for roster in ROSTERS:
                yield pytest.param(policy, roster, row, id=f"{policy}-{roster}-no-{row['column']}")


def without_column(source: Path, target: Path, header: str, encoding: str):
    with source.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))
    index = rows[0].index(header)
    with target.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows([r[:index] + r[index + 1:] for r in rows])


@pytest.mark.parametrize(("policy", "roster", "row"), list(missing_cases()))
def test_a_roster_without_a_column_the_source_needs(policy, roster, row, tmp_path):
    """Refused, naming the column (never read as no or empty); or, where the policy states
    a default, decided with that assumption reported."""
    folder = HELDOUT / policy
    teachers_name, schools_name = ROSTERS[roster]
    header = row["column"] if roster == "en" else ZH_HEADERS["teacher"][row["column"]]
    encoding = "utf-8" if roster == "en" else "gb18030"
    teachers = tmp_path / teachers_name
    without_column(folder / teachers_name, teachers, header, encoding)
    as_of = read(folder / "expected.csv")[0]["as_of"]
    done = run_eval(policy, teachers, folder / schools_name, as_of)
    if row["outcome"] == "refused":
        assert done.returncode == 3, f"not refused without {header}: {done.stdout[:300]}{done.stderr}"
        assert row["column"] in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""
    else:
        assert done.returncode == 0, done.stderr
        decided = json.loads(done.stdout)
        women = [d for d, t in zip(decided, read(folder / "teachers.csv")) if t["sex"] == "F"]
        assert women and all(row["assumed"] in d["assumptions"] for d in women), \
            [d["assumptions"] for d in women]
