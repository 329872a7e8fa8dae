"""Who may ask what: bearer tokens read from a tokens file (TOML), each stored as the SHA-256
of the token (never the token itself), with the policies and the operations it is allowed.

    [[token]]
    id = "county-hr"                         # named in the decision log
    sha256 = "…"                             # printf %s "$TOKEN" | sha256sum
    policies = ["fujian_pilot_district"]     # or ["*"]: every policy of the folder
    operations = ["decide", "evaluate"]      # of OPERATIONS

A request without a token, or with one no entry has, is answered 401 (S401); a token asking
for an operation or a policy it is not allowed, 403 (S403). ``/health``, ``/ready`` and
``/openapi.json`` need no token (probes and clients read them)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import attrs

from policylang.core.file_errors import reason
from policylang.service.errors import ServiceError, problem

# read: GET /v1/policies[/{name}]; reload: POST /v1/reload; metrics: GET /metrics
OPERATIONS = ("read", "decide", "evaluate", "diff", "quota", "reload", "metrics")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class TokensFileError(ValueError):
    """The tokens file cannot be read or is not as documented (English and Chinese)."""

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.message_en, self.message_zh = en, zh


@attrs.frozen
class Grant:
    id: str
    policies: frozenset[str]  # "*" for every policy
    operations: frozenset[str]

    def allows_policy(self, name: str) -> bool:
        return "*" in self.policies or name in self.policies


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@attrs.frozen
class Tokens:
    """The grants of a tokens file, by the SHA-256 of their token."""

    by_hash: dict[str, Grant]

    @classmethod
    def read(cls, path: str | Path) -> Tokens:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            en, zh = reason(exc)
            raise TokensFileError(f"{path}: {en}", f"{path}：{zh}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TokensFileError(f"{path}: not a TOML file: {exc}", f"{path}：不是 TOML 文件：{exc}") from None
        entries = data.get("token")
        unknown = sorted(set(data) - {"token"})
        if unknown or not isinstance(entries, list) or not entries:
            raise TokensFileError(f"{path}: expected [[token]] entries only", f"{path}：应只包含 [[token]] 条目")
        by_hash: dict[str, Grant] = {}
        ids = set()
        for i, entry in enumerate(entries, 1):
            grant, digest = _grant(path, i, entry)
            if grant.id in ids or digest in by_hash:
                raise TokensFileError(f"{path}: token {i}: id or sha256 given twice",
                                      f"{path}：第 {i} 个令牌：id 或 sha256 重复")
            ids.add(grant.id)
            by_hash[digest] = grant
        return cls(by_hash)

    def grant(self, authorization: str | None) -> Grant:
        """The grant of an ``Authorization: Bearer TOKEN`` header; 401 without one it knows, saying
        which of the ways a client gets it wrong it is (``unauthorized``)."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        grant = self.by_hash.get(token_hash(token)) if scheme.lower() == "bearer" and token else None
        if grant is None:
            raise unauthorized(authorization, scheme, token)
        return grant


# what a client sends when the variable meant to hold the token was never set (Java's
# "Bearer " + System.getenv(...) is "Bearer null"; JavaScript's, "Bearer undefined")
_UNSET = frozenset({"null", "undefined", "none", "nil", "$token", "${token}", "<token>", "token"})
_SCHEMES = frozenset({"basic", "bearer", "digest", "token", "negotiate", "ntlm", "apikey", "api-key", "jwt", "hmac"})


def unauthorized(authorization: str | None, scheme: str, token: str) -> ServiceError:
    """401 S401, saying what was wrong with the header: none sent, another scheme, no token after
    `Bearer`, a variable's name or an unset variable's text (`Bearer null`), a token in quotes,
    `Bearer` twice, or a token the file
    does not hold (by the first digits of its SHA-256, to compare with the tokens file's `sha256`
    lines; the token itself is never echoed)."""
    if not (authorization or "").strip():
        en, zh = "no token: send the header `Authorization: Bearer TOKEN`", "缺少令牌：请发送请求头 `Authorization: Bearer 令牌`"
    elif scheme.lower() != "bearer":
        # a scheme is named only when it is one (a header's first word may be part of a secret)
        shown = scheme if token and scheme.lower().rstrip(":") in _SCHEMES else None
        en, zh = ((f"the Authorization header is `{shown} …`; the service takes `Authorization: Bearer TOKEN`",
                   f"Authorization 请求头为 `{shown} …`；本服务只接受 `Authorization: Bearer 令牌`") if shown else
                  ("the Authorization header holds no `Bearer ` before the token: send `Authorization: Bearer TOKEN`",
                   "Authorization 请求头中令牌前缺少 `Bearer `：请发送 `Authorization: Bearer 令牌`"))
    elif not token:
        en, zh = "`Authorization: Bearer` holds no token after `Bearer`", "`Authorization: Bearer` 之后没有令牌"
    elif token.lower() in _UNSET:
        en, zh = (f"the token sent is the text `{token}`: a placeholder, or a variable meant to hold the token that "
                  f"was not set (Java's \"Bearer \" + System.getenv(\"…\") is `Bearer null` when it is unset)",
                  f"发送的令牌是文本 `{token}`：这是占位符，或本应存放令牌的变量没有设置（Java 中环境变量未设置时，"
                  f"\"Bearer \" + System.getenv(\"…\") 即为 `Bearer null`）")
    elif len(token) > 2 and token[0] == token[-1] and token[0] in "\"'":
        # "Bearer \"" + token + "\"", or a token copied with the TOML file's quotes: the quotes are sent too
        en, zh = ("the token sent is in quotes: the quotes are taken as part of it; send it bare, "
                  "`Authorization: Bearer TOKEN`",
                  "发送的令牌带有引号，引号会被当作令牌的一部分：请去掉引号，发送 `Authorization: Bearer 令牌`")
    elif token.partition(" ")[0].lower() == "bearer":
        # "Bearer " + a variable that already holds "Bearer …"
        en, zh = ("the header says `Bearer` twice (`Bearer Bearer …`): the variable holding the token holds "
                  "`Bearer ` too; send `Authorization: Bearer TOKEN`",
                  "请求头中 `Bearer` 出现了两次（`Bearer Bearer …`）：存放令牌的变量已含 `Bearer `；"
                  "请发送 `Authorization: Bearer 令牌`")
    else:
        digest = token_hash(token)[:12]
        en, zh = (f"the token sent is not one the service's tokens file holds (its SHA-256 begins {digest}: compare "
                  "it with the `sha256` lines of the file)",
                  f"发送的令牌不在本服务的令牌文件中（其 SHA-256 以 {digest} 开头，可与令牌文件中的 `sha256` 比对）")
    return ServiceError(401, [problem("S401", en, zh)], headers={"WWW-Authenticate": 'Bearer realm="policylang"'})


def _grant(path, i: int, entry: object) -> tuple[Grant, str]:
    where_en, where_zh = f"{path}: token {i}", f"{path}：第 {i} 个令牌"
    if not isinstance(entry, dict):
        raise TokensFileError(f"{where_en}: not a table", f"{where_zh}：不是表")
    unknown = sorted(set(entry) - {"id", "sha256", "policies", "operations"})
    if unknown:
        raise TokensFileError(f"{where_en}: unknown key {unknown[0]!r}", f"{where_zh}：未知的键 {unknown[0]!r}")
    token_id, digest = entry.get("id"), entry.get("sha256")
    if not isinstance(token_id, str) or not token_id.strip():
        raise TokensFileError(f"{where_en}: `id` must be a name", f"{where_zh}：`id` 应为名称")
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest.lower()):
        raise TokensFileError(f"{where_en}: `sha256` must be the 64 hex digits of the token's SHA-256",
                              f"{where_zh}：`sha256` 应为令牌 SHA-256 的 64 位十六进制数字")
    policies, operations = _names(entry.get("policies")), _names(entry.get("operations"))
    if policies is None or not policies:
        raise TokensFileError(f"{where_en}: `policies` must list policy names (or \"*\")",
                              f"{where_zh}：`policies` 应列出政策名（或 \"*\"）")
    if operations is None or not operations or not operations <= set(OPERATIONS) | {"*"}:
        raise TokensFileError(f"{where_en}: `operations` must list some of {', '.join(OPERATIONS)} (or \"*\")",
                              f"{where_zh}：`operations` 应从 {'、'.join(OPERATIONS)} 中列出（或 \"*\"）")
    if "*" in operations:
        operations = frozenset(OPERATIONS)
    return Grant(token_id.strip(), policies, operations), digest.lower()


def _names(value: object) -> frozenset[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return frozenset(v.strip() for v in value)


def check(grant: Grant, operation: str, policies: Iterable[str] = ()) -> None:
    """403 unless the grant allows ``operation`` on every one of ``policies``."""
    policies = tuple(policies)
    if operation not in grant.operations:
        named = {"policy": policies[0]} if len(policies) == 1 else {}  # as a refused policy is named
        raise ServiceError(403, [problem("S403", f"token `{grant.id}` is not granted the operation `{operation}`",
                                         f"令牌 `{grant.id}` 未获准执行操作 `{operation}`", **named)])
    for name in policies:
        if not grant.allows_policy(name):
            # the policy is named in `policy`: `column` is a roster's. A policy the folder lacks is
            # refused alike, so that a token learns nothing of the policies outside its grant
            raise ServiceError(403, [problem("S403", f"token `{grant.id}` may not use policy `{name}`",
                                             f"令牌 `{grant.id}` 无权使用政策 `{name}`", policy=name)])


OPEN = Grant("-", frozenset({"*"}), frozenset(OPERATIONS))  # --insecure-no-auth: every request, logged as "-"
