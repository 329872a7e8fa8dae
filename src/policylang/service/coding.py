"""Content codings: a request body sent gzip'd (``Content-Encoding: gzip``, as a Java or .NET
client set to compress large requests sends it) read as it arrives, within the body's size limit
counted after decompression; and an answer gzip'd for a client that accepts it (``accept_gzip``).

A gzip'd body is inflated a slice at a time (``SLICE`` bytes out at most per step), so a small
body that inflates to gigabytes (a zip bomb) is refused at the limit, 413, having held no more
than the limit and a slice in memory."""

from __future__ import annotations

import zlib

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipResponder, IdentityResponder

from policylang.service.errors import ServiceError, problem, refuse
from policylang.service.weights import q_value

GZIP = ("gzip", "x-gzip")  # x-gzip: the older name, which RFC 9110 (8.4.1.3) asks a recipient to take as gzip
SLICE = 1 << 20  # bytes inflated in one step
# A gzip body of several members (pigz, bgzip: a member for each 64 KiB block) is read, up to one member a
# 32 KiB of the limit (1,024 for 32 MiB): zlib copies the rest of a received piece at each member's end, so
# a piece of thousands of tiny members costs time as its square (review rv27b: 0.19 s a MB)
MEMBERS, MEMBER_OUT = 64, 1 << 15


def request_coding(headers: Headers) -> str | None:
    """``"gzip"`` for a body sent gzip'd, ``None`` for one sent as it is (no Content-Encoding, or
    ``identity``); 415 S016 for any other coding (``br``, ``deflate``, gzip twice), naming what the
    service takes in the answer's ``Accept-Encoding`` (RFC 9110, 15.5.16)."""
    codings = [c.strip().lower() for c in headers.get("content-encoding", "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in GZIP:
        return "gzip"
    said = ", ".join(codings)
    raise ServiceError(415, [problem(
        "S016", f"the body is sent with Content-Encoding: {said}; the service reads a body sent as it is or "
                "compressed with gzip (Content-Encoding: gzip) only",
        f"请求体以 Content-Encoding: {said} 发送；本服务只读取未压缩或以 gzip 压缩（Content-Encoding: gzip）的请求体",
        column="Content-Encoding")], headers={"Accept-Encoding": "gzip, identity"})


def unreadable_gzip(why_en: str, why_zh: str) -> ServiceError:
    return refuse(400, "S028", f"the body is declared gzip'd (Content-Encoding: gzip) but cannot be decompressed: "
                               f"{why_en}", f"请求体声明为 gzip 压缩（Content-Encoding: gzip），但无法解压：{why_zh}",
                  column="Content-Encoding")


class Inflating:
    """An ASGI ``receive`` giving the body of ``receive``, a gzip stream (one member or several),
    decompressed: ``too_large()`` is raised once more than ``limit`` bytes come out, and 400 S028
    for data that is no gzip or ends before its end."""

    def __init__(self, receive, limit: int, too_large):
        self.receive, self.limit, self.too_large = receive, limit, too_large
        self.size = 0
        self.received = 0  # compressed bytes: bounded too, since empty members inflate to nothing
        self.members = 1
        self._inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        self._pending = b""  # compressed bytes not yet inflated (a slice's worth came out already)
        self._more = True  # whether the client has more to send

    async def __call__(self):
        while not self._pending and self._more:
            message = await self.receive()
            if message["type"] != "http.request":  # http.disconnect: as it is
                return message
            self._pending, self._more = message.get("body", b""), message.get("more_body", False)
            self.received += len(self._pending)
            if self.received > self.limit:  # (review rv27b: a stream of empty members never reached the limit)
                raise self.too_large()
            if self._pending:
                break
        out = self._inflate()
        if not self._pending and not self._more and not self._inflater.eof:
            raise unreadable_gzip("it ends before the end of its compressed data (cut off?)",
                                  "压缩数据不完整（可能传输中断）")
        return {"type": "http.request", "body": out, "more_body": bool(self._pending) or self._more}

    def _inflate(self) -> bytes:
        try:
            if self._inflater.eof and self._pending:  # a member ended: what follows is the next member
                self.members += 1
                if self.members > max(MEMBERS, self.limit // MEMBER_OUT):
                    raise unreadable_gzip("it holds more gzip members than a client writes",
                                          "其中的 gzip 压缩段数量远超客户端的正常写法")
                self._inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            out = self._inflater.decompress(self._pending, SLICE)
        except zlib.error:
            raise unreadable_gzip("it is not gzip data", "数据不是 gzip 格式") from None
        self._pending = self._inflater.unconsumed_tail or self._inflater.unused_data
        self.size += len(out)
        if self.size > self.limit:
            raise self.too_large()
        return out


def accept_gzip(headers: Headers) -> bool:
    """Whether the client's Accept-Encoding takes gzip: named (or ``x-gzip``, or ``*`` where
    neither is) with a weight above 0, each weight read as Accept-Language's (``weights.q_value``;
    a malformed one passed over). Starlette's own test, ``"gzip" in header``, gzips for
    ``gzip;q=0``, which says the client does not take it."""
    weights = {}
    for item in headers.get("accept-encoding", "").split(","):
        coding, _, params = item.partition(";")
        if (weight := q_value(params)) is not None and coding.strip():
            weights[coding.strip().lower()] = weight
    named = [weights[c] for c in GZIP if c in weights]
    return max(named) > 0 if named else weights.get("*", 0) > 0


# already compressed: a workbook is a zip, a Parquet file compresses its columns itself
NOT_COMPRESSED = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "application/vnd.ms-excel.sheet.macroenabled.12", "application/vnd.apache.parquet",
                  "application/zip", "application/gzip", "application/x-gzip", "text/event-stream")


# An answer this large or larger is gzip'd for a client that accepts it: below it the answer fits in
# one TCP packet (a 1,500-byte Ethernet frame holds 1,460 bytes of it), and compressing it saves the
# client no round trip (reasoned, not measured). At zlib's level 1 (measured, docs/performance.md,
# "Compression"): a batch of 10,000 decisions is a twentieth of its 5.9 MB for ~13 ms of CPU, where
# level 6 takes twice that and Starlette's 9 four times to save a few percent more; the service is
# bound by CPU, not by its network.
COMPRESS_FROM = 1400
COMPRESS_LEVEL = 1


class Compressed:
    """ASGI middleware gzipping an answer of at least ``minimum`` bytes for a client that accepts
    gzip (Starlette's responders: a whole answer gets its new Content-Length, a streamed one is
    sent chunked; ``Vary: Accept-Encoding`` on every answer that could be compressed)."""

    def __init__(self, app, minimum: int = COMPRESS_FROM, level: int = COMPRESS_LEVEL):
        self.app, self.minimum, self.level = app, minimum, level

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if accept_gzip(Headers(scope=scope)):
            responder = GZipResponder(self.app, self.minimum, compresslevel=self.level,
                                      exclude_content_types=NOT_COMPRESSED)
        else:
            responder = IdentityResponder(self.app, self.minimum, exclude_content_types=NOT_COMPRESSED)
        await responder(scope, receive, send)
