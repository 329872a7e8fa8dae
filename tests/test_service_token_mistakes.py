"""A token sent in a way a client gets wrong is said as that way, not as an unknown token (a
newcomer's trial, 2026-12: `Bearer "TOKEN"`, quoted as in the TOML file, was answered `not one
the service's tokens file holds`, and the caller compared hashes that could never agree)."""

from __future__ import annotations

import pytest

from policylang.service.auth import Tokens, token_hash
from policylang.service.errors import ServiceError

TOKEN = "example-token-change-me"


@pytest.fixture()
def tokens(tmp_path):
    path = tmp_path / "tokens.toml"
    path.write_text(f'[[token]]\nid = "county-hr"\nsha256 = "{token_hash(TOKEN)}"\npolicies = ["*"]\n'
                    'operations = ["*"]\n', encoding="utf-8")
    return Tokens.read(path)


def _refused(tokens, header: str) -> dict:
    with pytest.raises(ServiceError) as raised:
        tokens.grant(header)
    assert raised.value.status == 401
    [error] = raised.value.errors
    assert error["code"] == "S401"
    return error["message"]


@pytest.mark.parametrize("header", [f'Bearer "{TOKEN}"', f"Bearer '{TOKEN}'"])
def test_a_quoted_token_is_said_to_be_quoted(tokens, header):
    message = _refused(tokens, header)
    assert "quotes" in message["en"] and "引号" in message["zh"]
    assert TOKEN not in message["en"] + message["zh"]  # never echoed


def test_bearer_twice_is_said(tokens):
    message = _refused(tokens, f"Bearer Bearer {TOKEN}")
    assert "`Bearer` twice" in message["en"] and "两次" in message["zh"]
    assert TOKEN not in message["en"] + message["zh"]


def test_an_unknown_token_is_still_named_by_its_hash(tokens):
    message = _refused(tokens, "Bearer something-else")
    assert token_hash("something-else")[:12] in message["en"]
    assert tokens.grant(f"Bearer {TOKEN}").id == "county-hr"
