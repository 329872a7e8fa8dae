"""The Python examples of README.md and docs/api.md run as written."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import policylang

from .conftest import ROOT


def _blocks(path: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / path).read_text(encoding="utf-8"), re.S)


def test_the_readme_example_runs_and_decides(capsys):
    namespace: dict = {}
    for block in _blocks("README.md"):
        exec(compile(block, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out
    assert namespace["decision"].status in ("must_rotate", "eligible", "exempt", "not_eligible")
    assert "on_staff" in printed


def test_every_example_of_the_api_page_runs_in_order():
    """As written: nothing the page does not define (it once used a `text` and records a reader
    could not run it without)."""
    roster = policylang.load("policies/fujian_pilot_district.pol").read_roster("examples/teachers.csv",
                                                                               "examples/schools.csv")
    namespace: dict = {}
    blocks = _blocks("docs/api.md")
    assert len(blocks) >= 6
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)
    assert namespace["draft"].parameters["age_cap_female"] == 45
    assert namespace["decision"].assumptions == ()
    assert namespace["lenient"].checked.teachers.assumption("nursing").value is False
    assert len(namespace["decisions"]) == len(roster.valid_teachers())
    assert namespace["roster"].valid_teachers()[0].values["id"] == roster.teachers[0].values["id"]
    assert any(p.code == "R029" for p in namespace["dated"].problems)  # starts after the date read at
    assert namespace["table"].height == 20 and "fired" in namespace["table"].columns
    assert namespace["streamed"].read == len(roster.teachers) and namespace["out"].exists()
    assert namespace["report"].transitions
    assert namespace["refinement"].holds is False and namespace["refinement"].witnesses
    assert Path(ROOT / "docs" / "roster.md").exists()


def test_the_api_checks_parameters_as_set_does():
    """An unknown name, a value of another type, None, NaN or True never decides."""
    import pytest

    policy = policylang.load("policies/fujian_pilot_district.pol")
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    row = roster.valid_teachers()[0]
    teacher, school = row.values, roster.schools[row.values["school_id"]]
    for params, message in [({"age_cap_femal": 45}, "did you mean `age_cap_female`"),
                            ({"age_cap_female": "abc"}, "expects a number in years"),
                            ({"age_cap_female": None}, "not `null`"), ({"age_cap_female": True}, "not `true`"),
                            ({"age_cap_female": [45]}, r"not `\[45\]`"),
                            ({"age_cap_female": float("nan")}, "not `nan`")]:
        with pytest.raises(policylang.PolicyError, match=message):
            policy.decide(teacher, school, params=params)
        with pytest.raises(policylang.PolicyError, match=message):
            policy.evaluate(roster, params=params)
    with pytest.raises(policylang.PolicyError) as refused:
        policy.decide(teacher, school, params={"age_cap_female": True})
    assert "应为以年计的数" in refused.value.diagnostics[0].zh  # the type named in Chinese too
    same = [policy.decide(teacher, school, params={"age_cap_female": v}) for v in (45, 45.0, "45 years")]
    assert same[0] == same[1] == same[2]
    assert policy.decide(teacher, school, as_of="2025-09-01") == policy.decide(teacher, school,
                                                                               as_of=datetime.date(2025, 9, 1))


def test_a_record_that_is_not_a_mapping_is_the_project_s_own_error():
    import pytest

    policy = policylang.load("policies/fujian_pilot_district.pol")
    for teacher, school in [(None, {}), ([("id", "T1")], {}), ({"id": "T1"}, "S1")]:
        with pytest.raises(policylang.RosterError) as raised:
            policy.decide(teacher, school)
        assert [p.code for p in raised.value.problems] == ["R015"]


def test_a_key_that_is_no_column_is_a_warning_naming_it_and_an_error_under_strict():
    import warnings

    import pytest

    policy = policylang.load("policies/fujian_pilot_district.pol")
    roster = policy.read_roster("examples/teachers.csv", "examples/schools.csv")
    row = roster.valid_teachers()[0]
    teacher, school = dict(row.values), roster.schools[row.values["school_id"]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain = policy.decide(teacher, school)  # every key a column: no warning
    misspelt = {k: v for k, v in teacher.items() if k != "nursing"} | {"nursng": False}
    with pytest.warns(policylang.UnknownKeys, match="did you mean `nursing`") as caught:
        assert policy.decide(misspelt, school) == plain
    assert [p.code for p in caught[0].message.problems] == ["R012"]
    with pytest.raises(policylang.RosterError) as refused:
        policy.decide(misspelt, school, strict=True)
    assert [(p.code, p.column) for p in refused.value.problems] == [("R012", "nursng")]
    assert "是否应为“nursing”" in refused.value.problems[0].message_zh


def test_the_cli_page_lists_the_columns_the_csv_writer_writes_in_both_languages():
    """docs/cli.md's column list (`csv`: …) and its Chinese headers (headers are Chinese (…)) are
    the header rows the writer makes, every column with --fired."""
    from policylang.io.output import IDENTITY, Layout

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    listed = re.search(r"- `csv`: columns `id, status`, the roster's columns \(see below: `name, school_id,\s+"
                       r"school_name` by default\), then `([^`]+)` \(and `fired` with `--fired`\)", page)
    english = ["id", "status", "name", "school_id", "school_name"] + re.split(r",\s+", listed.group(1)) + ["fired"]
    chinese = re.split(r",\s+", re.search(r"headers are Chinese \(([^)]+)\)", page).group(1))
    assert english == list(Layout(carried=IDENTITY, fired=True).headers)
    assert chinese == list(Layout(lang="zh", carried=IDENTITY, fired=True).headers)
