"""A policy file caught empty by a reload (between the truncation and the writing of a
rewrite: what `--watch` saw under load in tests/test_service_robust.py) never replaces the
running version: an empty file parses as a policy with no rules, which would decide everyone
not eligible."""

from __future__ import annotations

import shutil

from policylang.service.registry import Registry

from .conftest import POLICIES


def test_an_empty_file_keeps_the_running_version_and_a_full_one_replaces_it(tmp_path):
    shutil.copy(POLICIES / "fujian.pol", tmp_path / "fujian.pol")
    registry = Registry(tmp_path)
    good = registry.current["fujian"]
    assert good.policy is not None and not good.errors
    text = (tmp_path / "fujian.pol").read_text(encoding="utf-8")
    for empty in ("", "\n  \n"):
        (tmp_path / "fujian.pol").write_text(empty, encoding="utf-8")
        report = registry.reload()
        entry = registry.current["fujian"]
        assert report["failed"] == ["fujian"]
        assert entry.policy is good.policy and entry.version == good.version
        assert entry.errors[0].code == "S011" and "empty" in entry.errors[0].en and "为空" in entry.errors[0].zh
    (tmp_path / "fujian.pol").write_text(text + "\n", encoding="utf-8")
    assert registry.reload()["loaded"] == ["fujian"]
    assert registry.current["fujian"].version != good.version and not registry.current["fujian"].errors


def test_an_empty_new_file_is_not_served(tmp_path):
    (tmp_path / "blank.pol").write_text("", encoding="utf-8")
    registry = Registry(tmp_path)
    assert registry.current["blank"].policy is None and registry.current["blank"].errors
