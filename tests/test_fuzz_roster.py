"""A mutation fuzzer of the roster readers (issue 12): CSV, XLSX, JSON and Parquet rosters,
broken byte by byte (bytes deleted, repeated, flipped and inserted: quotes, separators, line
breaks, NUL, BOMs, GB18030 and UTF-16 fragments), must be read or refused with problems, never
raise; every problem names its file, and a row or a column unless the file as a whole cannot
be read (R009) or is the other table's (R034); every code is in the catalogue. The row reader and the columnar reader (for
CSV and Parquet) run on each file.

A short budget runs with the suite; the long one (at least 30 minutes) with `make fuzz`:

    make fuzz                                        # 40,000 (about 55 minutes)
    POLICYLANG_ROSTER_FUZZ_EXAMPLES=80000 make fuzz  # or as many as you choose
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policylang
from policylang.core.diagnostics import CATALOGUE
from policylang.io.columnar import read_frame

CORPUS = Path(__file__).resolve().parent / "cases" / "rosters_bad"
SEEDS = {path.name: path.read_bytes() for path in sorted(CORPUS.iterdir())
         if path.suffix in (".csv", ".xlsx", ".json", ".parquet") and path.name != "expected.json"}
SEEDS["id_numbers.csv"] = (CORPUS.parent / "rosters" / "id_numbers.csv").read_bytes()
EXAMPLES = int(os.environ.get("POLICYLANG_FUZZ_EXAMPLES", "60"))
FRAGMENTS = [b'"', b",", b"\n", b"\r", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b";", b"\t", b'""',
             "是".encode("gb18030"), "出生年月".encode("utf-8"), "１９８５－０３".encode("utf-8"), b"\xe4\xb8",
             b"=cmd|' /C calc'!A1", b"[/bold]", b"\x1b]0;x\x07", b"PK\x03\x04", b"PAR1", b"{}", b"[", b"null",
             b"9" * 400, b"198513", b"11010519800301002X", b"'", b",'0012,"]


@st.composite
def mutated(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            data += draw(st.sampled_from(FRAGMENTS))
            continue
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["delete", "repeat", "flip", "insert", "truncate"]))
        if kind == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 64))]
        elif kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(FRAGMENTS))
        else:
            del data[at:]
    return name, bytes(data)


@pytest.fixture(scope="module")
def policy():
    return policylang.load(CORPUS / "policy.pol")


def _named(problems, teachers: Path, schools: Path) -> None:
    for p in problems:
        assert p.code in CATALOGUE, p
        assert p.file in (str(teachers), str(schools)), p
        assert p.row is not None or p.column is not None or p.code in ("R009", "R034"), p
        assert p.message("en") and p.message("zh"), p


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mutated(), as_schools=st.booleans())
def test_a_broken_roster_is_read_or_refused_never_raises(policy, tmp_path_factory, case, as_schools):
    name, data = case
    folder = tmp_path_factory.mktemp("fuzz")
    broken = folder / name
    broken.write_bytes(data)
    teachers, schools = (CORPUS / "teachers.csv", broken) if as_schools else (broken, CORPUS / "schools.csv")
    roster = policy.read_roster(teachers, schools)
    _named(roster.problems, teachers, schools)
    assert len(roster.valid_teachers()) <= len(roster.teachers)
    if teachers.suffix in (".csv", ".parquet"):
        problems, frame, read, _ = read_frame(policy.checked, teachers, schools, skip_invalid=True, chunk_rows=4)
        _named(problems, teachers, schools)
        if frame is not None:
            assert frame.height <= read
