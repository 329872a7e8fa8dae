#!/usr/bin/env bash
# Does the package work when installed from its wheel, away from the checkout?
# (Issue 11: a non-editable install once failed because the wheel lacked prelude.pol.)
#
#   1. copy the working tree's files (tracked, and untracked but not ignored) to a
#      temporary directory, so no stale build/ or egg-info of the checkout can leak in;
#   2. build the wheel there (pip wheel; no new dependency);
#   3. check that every file under src/policylang/ (data files included) is in it;
#   4. install it with its dependencies into a fresh venv;
#   5. from a directory outside the checkout holding copies of policies/ and
#      examples/, run the CLI and the embedding API (docs/api.md) and check results.
#
# Any failure stops the script with a non-zero exit. WHEEL_CHECK_KEEP=1 keeps the
# temporary directory; PYTHON chooses the interpreter (default python3).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
PYTHON=${PYTHON:-python3}
WORK=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/policylang-wheel.XXXXXX")" && pwd -P)

finish() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "wheel check: FAILED (exit $rc)" >&2
  fi
  if [ -n "${WHEEL_CHECK_KEEP:-}" ]; then
    echo "wheel check: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap finish EXIT

step() { printf '\n== wheel check: %s\n' "$*"; }
die() { echo "wheel check: $*" >&2; exit 1; }

case "$WORK/" in "$ROOT"/*) die "temporary directory $WORK is inside the checkout $ROOT";; esac

# The checkout must not be importable from the place the checks run.
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP
export PYTHONNOUSERSITE=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_INPUT=1

step "copy the source tree to $WORK/src"
git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1 || die "$ROOT is not a git checkout"
mkdir -p "$WORK/src"
(
  cd "$ROOT"
  # Tracked files, and new files not yet added (minus ignored ones), as they are on disk;
  # a tracked file deleted in the working tree is left out.
  git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do
        if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi
      done \
    | tar --null --no-recursion -T - -cf - \
    | tar -C "$WORK/src" -xf -
)

step "build the wheel"
"$PYTHON" -m pip wheel -q --no-deps -w "$WORK/dist" "$WORK/src"
shopt -s nullglob
wheels=("$WORK"/dist/policylang-*.whl)
shopt -u nullglob
[ "${#wheels[@]}" -eq 1 ] || die "expected one policylang wheel in $WORK/dist, found ${#wheels[@]}"
WHEEL=${wheels[0]}
echo "built $(basename "$WHEEL")"

step "compare the wheel with src/policylang/"
"$PYTHON" - "$WHEEL" "$WORK/src/src/policylang" <<'PY'
import os, sys, zipfile
wheel, package = sys.argv[1], sys.argv[2]
names = set(zipfile.ZipFile(wheel).namelist())
expected = set()
for dirpath, dirnames, filenames in os.walk(package, followlinks=True):  # grammar/ is a symlink
    dirnames[:] = [d for d in dirnames if d != "__pycache__"]
    for f in filenames:
        if not f.endswith((".pyc", ".pyo", ".c")):  # (C sources are built into the wheel, not shipped)
            rel = os.path.relpath(os.path.join(dirpath, f), package).replace(os.sep, "/")
            expected.add("policylang/" + rel)
missing = sorted(expected - names)
if missing:
    sys.exit("files under src/policylang/ missing from the wheel (add them to "
             "[tool.setuptools.package-data] in pyproject.toml):\n  " + "\n  ".join(missing))
top = {n.split("/", 1)[0] for n in names}
stray = sorted(t for t in top if t != "policylang" and not t.endswith(".dist-info"))
if stray:
    sys.exit(f"unexpected top-level entries in the wheel: {stray}")
# the plain CSV reader in C (setup.py), built: optional where no compiler is, but this machine has one
if not any(n.startswith("policylang/io/_plaincsv.") and n.endswith((".so", ".pyd")) for n in names):
    sys.exit("the wheel lacks the C reader (policylang/io/_plaincsv): was it built? (setup.py; a C compiler)")
data = sorted(n for n in expected if not n.endswith(".py"))
print(f"all {len(expected)} files under src/policylang/ are in the wheel; data files: {', '.join(data)}")
PY

step "install it with its dependencies into a fresh venv"
VENV="$WORK/venv"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q "$WHEEL"
"$VENV/bin/python" -m pip check
PL="$VENV/bin/policylang"
[ -x "$PL" ] || die "the wheel installed no policylang script"

step "use it from $WORK/run"
RUN="$WORK/run"
mkdir -p "$RUN/out"
cp -R "$ROOT/policies" "$ROOT/examples" "$RUN/"
cd "$RUN"
set -x
"$PL" --help >/dev/null
"$PL" check policies/*.pol
"$PL" test policies/*.pol >out/test.txt
tail -n 1 out/test.txt
"$PL" eval policies/fujian_pilot_district.pol examples/teachers.csv --schools examples/schools.csv \
  --format csv >out/decisions.csv
# Written to a CSV file from a CSV roster, the run is scanned and streamed (a separate path);
# a file gets a BOM for Excel by default, standard output does not: compare without it.
"$PL" eval policies/fujian_pilot_district.pol examples/teachers.csv --schools examples/schools.csv \
  --no-bom -o out/decisions_streamed.csv
"$PL" eval policies/fujian_pilot_district.pol examples/teachers.xlsx --schools examples/schools.csv \
  --format json >out/decisions_xlsx.json
"$PL" eval policies/fujian_pilot_district.pol examples/teachers.parquet --schools examples/schools.csv \
  -o out/decisions.parquet
"$PL" eval policies/miyun.pol examples/teachers_zh.csv --schools examples/schools_zh.csv \
  --format table --limit 3 --lang zh >out/miyun_zh.txt
"$PL" explain policies/fujian_pilot_district.pol examples/teachers.csv --schools examples/schools.csv \
  --id T0001 >out/explain.txt
"$PL" diff policies/fujian.pol policies/fujian_pilot_district.pol examples/teachers.csv \
  --schools examples/schools.csv -o out/report.html
"$PL" quota policies/fujian_pilot_district.pol examples/teachers.csv --schools examples/schools.csv \
  --format json -o out/quota.json
# A roster with problems must be refused with exit code 3 and a message.
rc=0
"$PL" eval policies/fujian_pilot_district.pol examples/bad/teachers_bad.csv \
  --schools examples/bad/schools.csv --lang en >out/bad.csv 2>out/bad.txt || rc=$?
set +x
[ "$rc" -eq 3 ] || { cat out/bad.txt >&2; die "a bad roster gave exit code $rc, expected 3"; }
[ -s out/bad.txt ] || die "a bad roster gave no message"
cmp -s out/decisions.csv out/decisions_streamed.csv \
  || die "eval --format csv and the streamed eval -o out.csv differ"
grep -q '<html' out/report.html || die "diff -o report.html wrote no HTML"
"$VENV/bin/python" -c 'from policylang.io import plaincsv; assert plaincsv.available(), "no C reader"' \
  || die "the installed package does not read plain CSVs by its C reader"

step "the embedding API"
"$VENV/bin/python" - "$ROOT" "$VENV" <<'PY'
import csv, datetime, json, os, sys
root, venv = (os.path.realpath(p) for p in sys.argv[1:3])

def inside(path, parent):
    path = os.path.realpath(path)
    return os.path.commonpath([path, parent]) == parent

import policylang
from importlib import resources
assert inside(policylang.__file__, venv), f"policylang imported from {policylang.__file__}, not {venv}"
assert not inside(policylang.__file__, root), f"policylang imported from the checkout: {policylang.__file__}"
leaks = [p for p in sys.path if p and inside(p, root)]
assert not leaks, f"the checkout is on sys.path: {leaks}"
for package, name in [("policylang", "grammar/policylang.lark"), ("policylang.frontend", "prelude.pol")]:
    res = resources.files(package).joinpath(name)
    assert res.is_file() and inside(str(res), venv), f"{package}/{name}: {res}"

with open("examples/teachers.csv", encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
with open("out/decisions.csv", encoding="utf-8-sig", newline="") as f:
    cli = list(csv.DictReader(f))

policy = policylang.load("policies/fujian_pilot_district.pol")
assert policy.title, "the policy has no title"
roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
assert not roster.problems, roster.problems[:5]
decisions = policy.evaluate(roster)
assert len(decisions) == len(rows) == len(cli) > 0, (len(decisions), len(rows), len(cli))
assert [d.id for d in decisions] == [r["id"] for r in rows], "decisions are not in roster order"
assert [(d.id, d.status) for d in decisions] == [(r["id"], r["status"]) for r in cli], \
    "the API and `policylang eval` disagree"
statuses = {d.status for d in decisions}
assert statuses <= {"must_rotate", "eligible", "exempt", "not_eligible"}, statuses
assert len(statuses) > 1, f"every teacher decided alike: {statuses}"
reference = policy.evaluate(roster, engine="reference")
assert [d.to_row() for d in reference] == [d.to_row() for d in decisions], "bulk and reference engines differ"

table = policy.evaluate_table(rows, list(csv.DictReader(open("examples/schools.csv", encoding="utf-8-sig"))))
assert table.height == len(rows) and table["status"].to_list() == [d.status for d in decisions]

with open("out/decisions_xlsx.json", encoding="utf-8") as f:
    text = f.read()
xlsx = json.loads(text) if text.lstrip().startswith("[") else [json.loads(l) for l in text.splitlines() if l.strip()]
assert len(xlsx) == len(rows), (len(xlsx), len(rows))

# a record without a column the policy reads is refused (R011), never decided as if it were empty
partial = {"id": "T1", "sex": "女", "birth_date": "1978-05-01", "school_id": "S1",
           "school_start": "2015-09-01", "work_start": "2000-09-01", "post": "教师", "teaching": "是"}
school = {"school_id": "S1", "area": "城区", "stage": "小学", "staffing": "正常"}
try:
    policy.decide(partial, school)
    raise AssertionError("a record lacking columns the policy reads was decided")
except policylang.RosterError as exc:
    assert "R011" in {p.code for p in exc.problems}, [p.code for p in exc.problems]
decision = policy.decide(
    partial | {"post_start": "2015-09-01", "on_staff": "是", "title": "一级教师", "pregnant": "否",
               "rural_years": 0, "weak_years": 0, "schools_served": 1, "surplus_subject": "否"},
    school, as_of=datetime.date(2025, 9, 1))
assert decision.id == "T1" and decision.status in statuses | {"must_rotate", "eligible", "exempt", "not_eligible"}
json.dumps(decision.to_json(), ensure_ascii=False)

results = policy.test()
assert results and all(r.passed for r in results), [r.title for r in results if not r.passed]

# `extends` is resolved beside `name` (under `root`), so the name carries the folder.
draft = policylang.loads(open("policies/fujian_pilot_district.pol", encoding="utf-8-sig").read(),
                         name="policies/draft.pol", root="policies")
assert [d.status for d in draft.evaluate(roster)] == [d.status for d in decisions]
try:
    policylang.loads("policy 1 2 3", name="broken.pol")
except policylang.PolicyError as exc:
    assert exc.diagnostics, "a PolicyError with no diagnostics"
else:
    raise AssertionError("a broken policy loaded")

counts = {s: sum(d.status == s for d in decisions) for s in sorted(statuses)}
print(f"policylang {policylang.__version__} from {os.path.dirname(policylang.__file__)}")
print(f"{len(decisions)} decisions for {len(rows)} roster rows: {counts}; {len(results)} in-language tests passed")
PY

step "the drafter's tools and the studio, as installed"
set -x
"$PL" fmt --check policies/
"$PL" verify policies/fujian.pol --set teacher_tenure=2 >out/verify.txt
"$PL" --lang zh try policies/fujian.pol 性别=女 出生日期=1985-03-15 参加工作时间=2008-09-01 \
  到校时间=2015-09-01 区域=城区 学段=小学 >out/try.txt
set +x
grep -q "结论：须交流" out/try.txt || die "try did not decide the guide's example"
PORT=$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PL" studio policies --no-browser --port "$PORT" >out/studio.txt 2>&1 &
STUDIO=$!
"$VENV/bin/python" - "$PORT" <<'PY'
import sys, time, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for _ in range(100):  # up to 20 s for the server to start
    try:
        page = urllib.request.urlopen(base + "/", timeout=2).read().decode("utf-8")
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("policylang studio did not answer")
assert "政策工作台" in page and "/static/editor.js" in page, page[:300]
editor = urllib.request.urlopen(base + "/static/editor.js", timeout=5).read()
assert len(editor) > 100_000, f"the built editor is missing from the wheel ({len(editor)} bytes)"
print(f"policylang studio answered on {base}: the page and its {len(editor):,}-byte editor")
PY
kill "$STUDIO"
wait "$STUDIO" 2>/dev/null || true

step "OK: the wheel installs and works outside the checkout"
