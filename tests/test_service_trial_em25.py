"""The embedder's trial em25 (a Java developer following docs/service.md alone): what the service
answered and should have answered otherwise. Each test failed before its fix."""

from __future__ import annotations

import pytest

pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from policylang.cli import cli  # noqa: E402
from policylang.service.app import create_app  # noqa: E402

from .conftest import POLICIES  # noqa: E402

DECIDE = "/v1/policies/fujian_pilot_district/decide"


def _cli_says(value: str) -> str:
    """What `--set age_cap_female=VALUE` says of the value (its message and hint), in Chinese."""
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["eval", str(POLICIES / "fujian_pilot_district.pol"), "examples/teachers.csv",
                                      "--schools", "examples/schools.csv", "--set", f"age_cap_female={value}",
                                      "--lang", "zh"])
    assert result.exit_code == 2
    return result.output


@pytest.mark.parametrize("value, hint_zh, hint_en", [
    # `45岁`: --set says how to write it (45 or 45周岁); the service said only that it was wrong
    ("45岁", "可写作 `45` 或 `45周岁`", "`45`"),
    # a float with more than six decimals was said to be "beyond the numbers a policy may state", which
    # 33.33 is not by its size: the hint says the limit is six decimals
    (33.333333333333336, "小数部分最多 6 位", "6 after it"),
])
def test_a_bad_parameter_is_refused_with_the_hint_set_gives(value, hint_zh, hint_en):
    with TestClient(create_app(POLICIES)) as client:
        answer = client.post(DECIDE, json={"teachers": [], "params": {"age_cap_female": value}})
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["column"] == "age_cap_female"
    assert hint_zh in error["message"]["zh"] and hint_en in error["message"]["en"]
    assert hint_zh in _cli_says(str(value))  # the same words as the command's


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_upload_of_a_header_without_rows_is_said_in_x_warnings(tmp_path, fmt):
    # `eval` says "教师名册中没有教师记录（只有表头…）；请检查导出的是否为正确的工作表"; the service
    # answered 200 with an empty decisions file and no warning (a wrong sheet exported)
    header_only = tmp_path / "teachers.csv"
    header_only.write_text(open("examples/teachers.csv", encoding="utf-8").readline(), encoding="utf-8")
    with TestClient(create_app(POLICIES)) as client:
        with open(header_only, "rb") as t, open("examples/schools.csv", "rb") as s:
            empty = client.post(f"/v1/policies/fujian_pilot_district/evaluate?format={fmt}",
                                files={"teachers": ("teachers.csv", t), "schools": ("schools.csv", s)})
        with open("examples/teachers.csv", "rb") as t, open("examples/schools.csv", "rb") as s:
            full = client.post(f"/v1/policies/fujian_pilot_district/evaluate?format={fmt}",
                               files={"teachers": ("teachers.csv", t), "schools": ("schools.csv", s)})
    assert empty.status_code == 200 and empty.headers["x-decided"] == "0"
    assert "S025=1" in empty.headers["x-warnings"].split(",")
    assert "S025" not in full.headers.get("x-warnings", "")
