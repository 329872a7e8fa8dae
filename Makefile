# Two commands do everything on a fresh machine:
#   make demo   set up, then evaluate the bundled policies on the sample roster
#   make test   set up, then run the whole test suite
# make wheel-check builds the wheel and uses it from a fresh venv outside the checkout.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test docs examples fuzz wheel-check clean vsix

$(STAMP): pyproject.toml setup.py src/policylang/io/_plaincsv.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/policylang check policies/*.pol
	$(BIN)/policylang eval policies/fujian_pilot_district.pol examples/teachers.csv --schools examples/schools.csv --format table --limit 15
	$(BIN)/policylang explain policies/fujian_pilot_district.pol examples/teachers.csv --schools examples/schools.csv --id T0001
	$(BIN)/policylang eval policies/miyun.pol examples/teachers_zh.csv --schools examples/schools_zh.csv --format table --limit 10 --lang zh
	$(BIN)/policylang diff policies/fujian.pol policies/fujian_pilot_district.pol examples/teachers.csv --schools examples/schools.csv --limit 10

# The suite on PYTEST_WORKERS processes (pytest-xdist), two by default, as CI's machine has two cores;
# PYTEST_WORKERS=0 runs it in this one process.
PYTEST_WORKERS ?= 2

test: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

examples: $(STAMP)
	$(BIN)/python examples/make_examples.py

# docs/diagnostics.md from the code catalogue (a test checks it is current)
docs: $(STAMP)
	$(BIN)/python -c "from policylang.core.diagnostics import catalogue_markdown; print(catalogue_markdown())" > docs/diagnostics.md

# The fuzzers on their long budget, at least 30 minutes each on this 2-core machine (the suite runs
# 1,000, 60 and 40): the front end's (tests/test_fuzz_frontend.py), 150,000 mutated policies by
# default (40 minutes); then the roster readers' (tests/test_fuzz_roster.py, the differential
# tests/test_roster_cell_grammar.py), 40,000 mutated rosters and cell sets (55 minutes); then the
# layouts both readers set aside rows of (tests/test_roster_group_titles.py; the suite runs 15), 1,500
# (about 30 minutes). POLICYLANG_FUZZ_EXAMPLES=N, POLICYLANG_ROSTER_FUZZ_EXAMPLES=N and
# POLICYLANG_LAYOUT_EXAMPLES=N to choose.
fuzz: $(STAMP)
	POLICYLANG_FUZZ_EXAMPLES=$${POLICYLANG_FUZZ_EXAMPLES:-150000} $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_fuzz_frontend.py --hypothesis-show-statistics
	POLICYLANG_FUZZ_EXAMPLES=$${POLICYLANG_ROSTER_FUZZ_EXAMPLES:-40000} $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_fuzz_roster.py tests/test_roster_cell_grammar.py --hypothesis-show-statistics
	POLICYLANG_LAYOUT_EXAMPLES=$${POLICYLANG_LAYOUT_EXAMPLES:-1500} $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/test_roster_group_titles.py -k both_readers --hypothesis-show-statistics

# The VS Code extension package, editors/vscode/policylang.vsix (node and npm; docs/editors.md)
vsix:
	sh editors/vscode/build.sh

wheel-check:
	PYTHON=$(PYTHON) bash .ci/wheel_check.sh

clean:
	rm -rf $(VENV) build dist src/*.egg-info
