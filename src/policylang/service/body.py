"""Reading a request: the body as JSON within its size limit, and its fields checked for type
(lists of flat objects, objects of names to values, dates), each refusal a ``ServiceError``."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections import Counter
import math
import sys
from collections.abc import Mapping
from itertools import chain

from python_multipart.multipart import parse_options_header
from starlette.requests import Request

from policylang.service.coding import Inflating, request_coding
from policylang.service.errors import PROBLEMS_SHOWN, ServiceError, problem, refuse
from policylang.service.weights import q_value
from policylang.io import roster as R
from policylang.io.roster.files import UnreadableFile
from policylang.io.roster.records import keys_once
from policylang.lang.decisions import MonthDate
from policylang.io.safe_text import json_shown, lone_surrogate


def too_large(limit: int, option: str = "--max-body", together: bool = False, inflated: bool = False) -> ServiceError:
    """413: over the limit the server was started with (``option`` names it, for whoever runs it);
    an upload's (``--max-upload``) said as a file's size, in MB, as a person sees a file's
    (``together``: the limit is of a form's files together, the service's teachers and schools);
    ``inflated``: a gzip'd body, whose size is counted decompressed."""
    inflated_en, inflated_zh = (" decompressed", "解压后") if inflated else ("", "")
    if option == "--max-upload":
        size = f"{limit / 2**20:g} MB" if limit >= 2**20 else f"{limit} bytes"
        what_en, what_zh = ("the files uploaded are", "上传的文件合计") if together else ("the file is", "文件")
        return refuse(413, "S002", f"{what_en}{inflated_en} larger than {size}, the most the server takes (its {option})",
                      f"{what_zh}{inflated_zh}超过 {size.replace(' bytes', ' 字节')}，超出上限（启动时的 {option} 设定）；"
                      "可另存为 CSV（通常小得多），或分成几个文件")
    return refuse(413, "S002", f"the body{inflated_en} is larger than {limit} bytes (the server's {option})",
                  f"请求体{inflated_zh}超过 {limit} 字节（服务的 {option} 限制）")


def declared_length(request: Request, limit: int, option: str = "--max-body", together: bool = False) -> None:
    """413 at once when Content-Length says the body is over ``limit``; 400 if it is no number
    (``together``: as ``too_large`` says it)."""
    length = request.headers.get("content-length")
    if length is None:
        return
    try:
        declared = int(length)
    except ValueError:
        raise refuse(400, "S001", "Content-Length is not a number", "Content-Length 不是数字") from None
    if declared > limit:
        raise too_large(limit, option, together)


def decoded(request: Request, limit: int, option: str = "--max-body", together: bool = False) -> Request:
    """The request, its body decompressed as it is read if it was sent gzip'd (``coding``), and
    refused past ``limit`` bytes decompressed (413, as ``too_large`` says it); any other coding 415."""
    if request_coding(request.headers) is None:
        return request
    return Request(request.scope, Inflating(request.receive, limit,
                                            lambda: too_large(limit, option, together, inflated=True)))


async def read_bytes(request: Request, limit: int, option: str = "--max-body") -> bytes:
    """The body: 413 past ``limit`` bytes (by Content-Length, and counted as read, so a body
    without one or lying about it is cut off too; a gzip'd one counted decompressed); ``option``
    sets the limit."""
    declared_length(request, limit, option)
    chunks, size = [], 0
    async for chunk in decoded(request, limit, option).stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit, option)
        chunks.append(chunk)
    return b"".join(chunks)


def json_media_type(request: Request) -> str | None:
    """415 S016 for a body declared as something other than JSON (a form, text, XML): it was
    read as JSON all the same, and a body meant otherwise was decided. No Content-Type is read
    as JSON (some HTTP libraries send none). Returns the declared charset, if any, for
    ``parse_json`` to name: RFC 8259 gives JSON no charset but UTF-8, so it changes nothing."""
    declared = request.headers.get("content-type")
    media, options = parse_options_header(declared)
    media = media.decode("latin-1")
    # application/json, or a JSON-based type (RFC 6839: application/problem+json …)
    if not media or media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        charset = options.get(b"charset")
        return charset.decode("latin-1") if charset else None
    # curl -d sends a form unless told otherwise, and PHP's curl a multipart form when CURLOPT_POSTFIELDS is given
    # the array itself: the fix is one option or one call, so it is named
    form_en, form_zh = {
        "application/x-www-form-urlencoded": (
            " (curl -d sends application/x-www-form-urlencoded unless given -H 'Content-Type: application/json')",
            "（curl -d 默认发送 application/x-www-form-urlencoded，请加上 -H 'Content-Type: application/json'）"),
        "multipart/form-data": (
            " (PHP's curl sends a form when CURLOPT_POSTFIELDS is given an array: give it json_encode($body))",
            "（PHP 的 curl 在 CURLOPT_POSTFIELDS 为数组时发送表单：请传入 json_encode($body)）"),
    }.get(media, ("", ""))
    raise refuse(415, "S016", f"the body is declared as `{media}`; this endpoint takes JSON: send it with "
                              f"`Content-Type: application/json`{form_en}",
                 f"请求体声明为 `{media}`，本接口只接受 JSON：请以 `Content-Type: application/json` 发送{form_zh}")


async def json_body(request: Request, limit: int) -> tuple[bytes, object]:
    """A JSON endpoint's body: its media type checked, read within ``limit`` (decompressed, if sent
    gzip'd), and parsed."""
    request_coding(request.headers)  # (a coding it cannot read is said before its media type)
    charset = json_media_type(request)
    raw = await read_bytes(request, limit)
    return raw, parse_json(raw, charset)


# Python's words for what json.loads cannot read, as the service says them (a Chinese reader is
# owed the reason, and an English one the project's words, not the library's)
_JSON_SAID = {
    "Expecting value": ("a value is expected", "此处应为一个值"),
    "Expecting property name enclosed in double quotes": ("a key in double quotes is expected (a key is quoted, and "
                                                          "no comma follows an object's last item)",
                                                          "此处应为带双引号的键名（键名须加双引号，对象最后一项之后不加逗号）"),
    "Expecting ':' delimiter": ("`:` is expected after the key", "键名后应为冒号 `:`"),
    "Expecting ',' delimiter": ("`,` or the end of the list or object is expected", "此处应为逗号 `,` 或列表、对象的结尾"),
    "Unterminated string starting at": ("the text that begins here has no closing `\"`", "此处开始的文本缺少结尾的引号 `\"`"),
    "Invalid control character at": ("a control character (a line break, a tab) inside a text: write it as \\n or "
                                     "\\t", "文本中含有控制字符（换行、制表符等）：请写作 \\n 或 \\t"),
    "Invalid \\escape": ("`\\` begins no escape JSON has (write `\\\\` for a backslash)",
                         "`\\` 之后不是 JSON 的转义（反斜杠本身应写作 `\\\\`）"),
    "Invalid \\uXXXX escape": ("`\\u` must be followed by four hexadecimal digits", "`\\u` 之后应为四位十六进制数字"),
    "Extra data": ("more follows the end of the JSON value", "JSON 值结束后还有多余的内容"),
}


class _Twice(dict):
    """An object that gave ``key`` twice, as ``_given_twice`` reads the body again to find it."""

    key = ""


def _marking_twice(pairs: list[tuple[str, object]]) -> dict:
    record = _Twice(pairs) if len({k for k, _ in pairs}) != len(pairs) else dict(pairs)
    if isinstance(record, _Twice):
        record.key = next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
    return record


def _given_twice(text: str) -> tuple[str | None, int | None, str | None]:
    """Where a body that gives a key twice gives it: (list, 1-based record, key) for a record of
    `teachers` or `schools`, else (None, None, key)."""
    try:
        body = json.loads(text, object_pairs_hook=_marking_twice)
    except (ValueError, RecursionError):  # what the first reading did not get to: the key is not found
        return None, None, None
    if isinstance(body, dict):
        for table in ("teachers", "schools"):
            records = body.get(table)
            for k, record in enumerate(records if isinstance(records, list) else (), 1):
                if isinstance(record, _Twice):
                    return table, k, record.key
    found = [o for o in _objects(body) if isinstance(o, _Twice)]
    return None, None, found[0].key if found else None


def _objects(value):
    """Every object in ``value``, without recursion (a body may nest as deep as the parser allows)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(raw: bytes, charset: str | None = None) -> object:
    """The body as JSON: 400 if it is no UTF-8 JSON (NaN and Infinity are no JSON), each refusal
    in the service's words with the line and column. A UTF-8 byte order mark is let pass, as
    RFC 8259 allows; ``charset``: the one the request declared, named when the body is no UTF-8."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
        if not text.strip():  # (.NET's PostAsync(url, null), Java's noBody(): "line 1, column 1" said less)
            raise refuse(400, "S003", "the body is empty: this endpoint takes a JSON object",
                         "请求体为空：本接口接受 JSON 对象")
        body = json.loads(text, parse_constant=_no_constant, parse_float=_number, parse_int=_integer,
                          object_pairs_hook=keys_once)
        if (lone := lone_surrogate(text, body)) is not None:
            raise refuse(400, "S003", f"the body is not JSON text: `{lone}` is half of a UTF-16 pair, no character",
                         f"请求体含有无效的转义 `{lone}`（不成对的 UTF-16 代理码，不代表任何字符）")
        return body
    except UnicodeDecodeError as exc:
        raise _not_utf8(raw, exc, charset) from None
    except json.JSONDecodeError as exc:
        en, zh = _JSON_SAID.get(exc.msg, ("it cannot be read from here", "此处起无法读取"))
        raise refuse(400, "S003", f"the body is not JSON: line {exc.lineno}, column {exc.colno}: {en}",
                     f"请求体不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{zh}") from None
    except UnreadableFile as exc:  # a key given twice: which of its values is meant, nothing says
        table, row, key = _given_twice(text)
        if row is not None:  # a record of a list: which one, by its place and id, as a roster problem says it
            raise refuse(400, "S003", f"the body is not JSON one can read one way: record {row} of `{table}` gives "
                                      f"`{key}` twice", f"请求体无法唯一地读取：`{table}` 的第 {row} 条记录两次给出“{key}”",
                         row=row, column=key, table=table) from None
        raise refuse(400, "S003", f"the body is not JSON one can read one way: {exc.en}",
                     f"请求体无法唯一地读取：{exc.zh}", column=key) from None
    except _NoConstant as exc:
        raise refuse(400, "S003", f"the body is not JSON: {exc} is no JSON number",
                     "请求体不是合法的 JSON：NaN、Infinity 不是 JSON 的数") from None
    except _TooLong:
        raise refuse(422, "S006", f"a number of the body has more than {sys.get_int_max_str_digits()} digits: out "
                                  "of range", f"请求体中有超过 {sys.get_int_max_str_digits()} 位的数字，超出范围") from None
    except RecursionError:
        raise refuse(400, "S003", "the body is nested too deeply", "请求体嵌套过深") from None
    except ValueError:  # none known beside those above: still a body that is no JSON, never a 500
        raise refuse(400, "S003", "the body cannot be read as JSON", "请求体无法按 JSON 读取") from None


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, charset: str | None) -> ServiceError:
    """S003 for a body that is no UTF-8: which byte, and the charset it says it is in, if any."""
    byte = raw[exc.start]
    what_en, what_zh = (f"byte {exc.start + 1} (0x{byte:02X}) cannot be read as UTF-8",
                        f"第 {exc.start + 1} 个字节（0x{byte:02X}）不是 UTF-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        what_en, what_zh = (f"{what_en}: it is UTF-16 (it begins with UTF-16's byte order mark)",
                            f"{what_zh}：它是 UTF-16 编码（以 UTF-16 的字节顺序标记开头）")
    declared_en, declared_zh = ((f"; the request declares charset={charset}, which the service does not read",
                                 f"；请求声明的编码为 charset={charset}，本服务不读取该编码") if charset and
                                charset.lower().replace("-", "") != "utf8" else ("", ""))
    return refuse(400, "S003", f"the body is not UTF-8: {what_en}{declared_en}; the service reads JSON in UTF-8 "
                               "only: send it as UTF-8",
                  f"请求体不是 UTF-8 编码：{what_zh}{declared_zh}；本服务只接受 UTF-8 编码的 JSON，请以 UTF-8 发送")


class _NoConstant(ValueError):
    pass


class _TooLong(ValueError):
    pass


def _no_constant(name: str):
    raise _NoConstant(name)


class Beyond(float):
    """A JSON number past a double's range (1e400), which Python reads as infinity: its text
    kept, for a refusal to show what was sent rather than `inf`."""

    def __new__(cls, text: str):
        number = super().__new__(cls, text)
        number.text = text
        return number


def _number(text: str) -> float:
    number = float(text)
    return Beyond(text) if math.isinf(number) else number


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
        raise _TooLong(text) from None


def out_of_range(value: object) -> bool:
    """A number no double holds (Beyond), which no field reads as the number sent."""
    return isinstance(value, float) and not math.isfinite(value)


def _shown(value: object) -> str:
    """A value of the body as its JSON writes it (true, not Python's True; null, not None)."""
    if isinstance(value, Beyond):
        return value.text
    if isinstance(value, (dict, list)):  # an object or array where a value was wanted: as JSON writes it, cut short
        return json_shown(value)
    return json.dumps(value, ensure_ascii=False) if isinstance(value, bool) or value is None else str(value)


def _json_kind(value: object) -> str:
    """What a JSON value is, as a refusal names it (`null`, `text`, `an array` …)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "an array" if isinstance(value, list) else "an object"


_JSON_KINDS_ZH = {"null": " null", "true/false": "布尔值", "a number": "数字", "text": "文本", "an array": "数组",
                  "an object": "对象"}


SCALARS = (str, int, float, bool, type(None))
_PLAIN = frozenset({str, int, bool, type(None)})  # what json.loads gives that needs no closer look


def fields(body: object, allowed: tuple[str, ...]) -> dict:
    """The body as an object with only ``allowed`` fields (422 S005, S007)."""
    if not isinstance(body, dict):
        raise refuse(422, "S005", "the body must be a JSON object", "请求体应为 JSON 对象")
    unknown = [k for k in body if k not in allowed]
    if unknown:
        raise ServiceError(422, [problem("S007", f"unknown field `{k}` (the fields: {', '.join(allowed)})",
                                         f"未知字段 `{k}`（可用字段：{'、'.join(allowed)}）", column=k)
                                 for k in unknown])
    return body


REPEATABLE = ("set", "assume")  # one value per parameter or column, each its own `?set=`
LANG = "lang"  # taken by every /v1 endpoint (``query``)


def query(request: Request, takes: tuple[str, ...], preference: bool = True) -> str | None:
    """The query of a ``/v1`` endpoint that takes ``takes`` and ``?lang=``, which every one takes
    (a client sends its user's language with every request, as a Java ``Locale`` interceptor adds
    it; /v1/diff and /quota refused it, 422, though their answers hold both languages). Returns the
    language asked (en or zh, ``language``): ``?lang=``'s, else the one ``Accept-Language`` prefers
    (``accepted_language``), None where neither asks for one.

    422 S007 for a query parameter the endpoint does not take: `?as_of=` on decide (the body's
    field there) would otherwise be dropped without a word, and the answer be for another date;
    422 S009 for one given twice that takes one value (`?explain=true&explain=false`: which?),
    and for a ``lang`` of another language."""
    allowed = (*takes, LANG)
    keys = [k for k, _ in request.query_params.multi_items()]
    twice = [k for k in dict.fromkeys(keys) if k in allowed and k not in REPEATABLE and keys.count(k) > 1]
    if twice:
        raise ServiceError(422, [problem("S009", f"query parameter `{k}` is given more than once; give it once",
                                         f"查询参数 `{k}` 给出了不止一次；请只给一次", column=k) for k in twice])
    unknown = [k for k in dict.fromkeys(keys) if k not in allowed]
    if unknown:
        takes_en = ", ".join(allowed)
        takes_zh = "、".join(allowed)
        raise ServiceError(422, [problem("S007", f"unknown query parameter `{k}` (this endpoint takes: {takes_en})",
                                         f"未知的查询参数 `{k}`（本接口可用：{takes_zh}）", column=k)
                                 for k in unknown])
    given = request.query_params.get(LANG)
    if given is not None:
        return language(given)
    # ``preference=False``: a file whose columns are a contract (evaluate's CSV, read by programs) takes
    # its language from ?lang= alone, never from a header a browser or an HTTP stack sends unasked
    return accepted_language(request.headers.get("accept-language")) if preference else None


def accepted_language(header: str | None) -> str | None:
    """en or zh, whichever an ``Accept-Language`` header prefers (RFC 9110, 12.5.4), or None where it
    prefers neither (absent, ``*`` alone, only other languages): the endpoint's own default then.
    A range is read by its language (zh-CN, zh-Hans, zh-TW are zh; en-US is en), its q-value its
    weight (q=0: not wanted); ``*`` weighs a language no range names; of two weighed alike, one a
    range names before one ``*`` stands for, then the one named first. A header is a preference,
    never refused: a malformed range is passed over, and a browser's or a platform's default
    language (fr-FR) leaves the default in place."""
    if not header:
        return None
    # language -> (q, named, -place): its best range; of two alike, one naming it beats `*`, then the first
    weights: dict[str, tuple[float, bool, int]] = {}
    anything: tuple[float, bool, int] | None = None  # `*`
    for place, part in enumerate(header.split(",")[:_RANGES_READ]):
        tag, _, params = part.partition(";")
        said = _primary(tag.strip())
        q = q_value(params)
        if q is None:
            continue
        if said == "*":
            anything = max(anything or (q, False, -place), (q, False, -place))
        elif said in ("en", "zh"):
            weights[said] = max(weights.get(said, (q, True, -place)), (q, True, -place))
    if anything is not None:  # `*` weighs a language no range names
        weights = {lang: weights.get(lang, anything) for lang in ("en", "zh")}
    wanted = {lang: weight for lang, weight in weights.items() if weight[0] > 0}
    best = max(wanted.values(), default=None)
    chosen = [lang for lang, weight in wanted.items() if weight == best]
    return chosen[0] if len(chosen) == 1 else None  # (both by `*` alone: no preference between them)


_RANGES_READ = 32  # a header's ranges weighed: a browser sends a handful


def language(value: str) -> str:
    """A ``lang``: en or zh, or a language tag of either (zh-CN, zh_Hans, en-US: Java's
    ``Locale.toLanguageTag()``), by its language; 422 S009 for any other."""
    said = _primary(value)
    if said not in ("en", "zh"):
        shown = value if len(value) <= 40 else value[:39] + "…"
        raise refuse(422, "S009", f"lang must be en or zh (or a tag of either, such as zh-CN), not `{shown}`",
                     f"lang 应为 en 或 zh（或其语言标记，如 zh-CN），而不是 `{shown}`", column=LANG)
    return said


def _primary(tag: str) -> str:
    """A language tag's language, lower case: zh of zh-CN, zh_Hans (Java's Locale.toString()), ZH."""
    return tag.replace("_", "-").split("-", 1)[0].lower()


def records(body: Mapping, key: str, required: bool) -> tuple[list[dict], frozenset[type]]:
    """A list of flat objects (a roster's rows), with the types of their values (looked at once
    here, for the readers to choose by: text alone is read column-wise): 422 S004 if required and
    absent, S005 if not a list of objects, S006 naming each cell that is no text, number, yes/no or
    null."""
    value = body.get(key)
    if value is None:
        if required:
            raise refuse(422, "S004", f"`{key}` is required: a list of objects", f"缺少 `{key}`：应为对象列表",
                         column=key)
        return [], frozenset()
    if not isinstance(value, list):
        raise refuse(422, "S005", f"`{key}` must be a list of objects, not {_json_kind(value)}",
                     f"`{key}` 应为对象列表，而不是{_JSON_KINDS_ZH[_json_kind(value)]}", column=key)
    if not all(isinstance(r, dict) for r in value):  # each that is none, by its place (a Java list holding a null)
        bad = [(i, r) for i, r in enumerate(value, 1) if not isinstance(r, dict)]
        errors = [problem("S005", f"{key} {i}: a record must be an object, not {_json_kind(r)} (`{_shown(r)}`)",
                          f"{key} 第 {i} 条：记录应为对象，而不是{_JSON_KINDS_ZH[_json_kind(r)]}（`{_shown(r)}`）",
                          row=i, column=key, table=key) for i, r in bad[:PROBLEMS_SHOWN]]
        if len(bad) > PROBLEMS_SHOWN:
            more = len(bad) - PROBLEMS_SHOWN
            errors.append(problem("S015", f"{more} more problems not listed", f"另有 {more} 个问题未列出"))
        raise ServiceError(422, errors)
    types = frozenset(map(type, chain.from_iterable(map(dict.values, value))))
    if types <= _PLAIN:
        return value, types  # the usual body: no float to look at (1e999 parses as infinity)
    errors = []
    for i, record in enumerate(value, 1):
        for column, cell in record.items():
            if out_of_range(cell):
                errors.append(problem("S006", f"{key} {i}: `{column}` is a number out of range (`{_shown(cell)}`: "
                                              "beyond ±1.8e308)",
                                      f"{key} 第 {i} 条：`{column}` 的数值超出范围（`{_shown(cell)}`，绝对值超过 1.8e308）",
                                      row=i, column=column, table=key))
            elif not isinstance(cell, SCALARS):
                why_en, why_zh = R.jackson_date_array(cell) or ("", "")
                errors.append(problem("S006", f"{key} {i}: `{column}` must be text, a number, true/false or null"
                                      + why_en, f"{key} 第 {i} 条：`{column}` 应为文本、数字、布尔值或 null" + why_zh,
                                      row=i, column=column, table=key))
    if errors:
        raise ServiceError(422, errors)
    return value, types


def mapping(body: Mapping, key: str) -> dict:
    """An object of names to text, numbers or yes/no (parameters, assumed values): 422 S005;
    S006 for a number out of range (1e400 would be read as `inf`). An empty list is no names, as
    an empty object is: PHP's json_encode writes an empty array so (`$params = []`, its keys added
    only when there are some), and it can name nothing. A list of anything is refused, saying how
    PHP writes an object of it (``JSON_FORCE_OBJECT``)."""
    value = body.get(key)
    if value is None or value == []:
        return {}
    if isinstance(value, list):
        raise refuse(422, "S005", f"`{key}` must be an object of names to values, not a list (PHP writes an array "
                                  "whose keys are 0, 1, … as a list: give it the names as keys, or encode it with "
                                  "JSON_FORCE_OBJECT)",
                     f"`{key}` 应为“名称: 取值”的对象，而不是列表（PHP 把键为 0、1、…的数组写成列表：请以名称为键，或以 "
                     "JSON_FORCE_OBJECT 编码）", column=key)
    if not isinstance(value, dict) or not all(isinstance(v, SCALARS) for v in value.values()):
        raise refuse(422, "S005", f"`{key}` must be an object of names to text, numbers, true/false or null",
                     f"`{key}` 应为“名称: 取值”的对象（取值为文本、数字、布尔值或 null）", column=key)
    huge = [problem("S006", f"{key}: `{name}` is a number out of range (`{_shown(v)}`: beyond ±1.8e308)",
                    f"{key}：`{name}` 的数值超出范围（`{_shown(v)}`，绝对值超过 1.8e308）", column=name)
            for name, v in value.items() if out_of_range(v)]
    if huge:
        raise ServiceError(422, huge)
    return value


# the full-date forms of the roster reader (io/roster/cells.py parse_date), as a refusal lists them
DATE_FORMS_EN = ("YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYY年MM月DD日 or YYYYMMDD, as text or as a number (20250901); "
                 "a date-time only at midnight without an offset (2025-09-01T00:00:00)")
DATE_FORMS_ZH = ("应写作 2025-09-01、2025/9/1、2025.9.1、2025年9月1日 或 20250901，文本或数字均可；"
                 "日期时间只接受不带时区的零点，如 2025-09-01T00:00:00")


def date(value: object, key: str, key_zh: str | None = None) -> dt.date | None:
    """A full date as a record's date is read (the roster reader's ``parse_date``: 2025-09-01,
    2025/9/1, 2025年9月1日, 20250901 as text or as a number, a date-time at midnight), a month
    alone being no day; 422 S009 otherwise, the key named in Chinese as ``key_zh`` where a page
    names it so; None when absent."""
    if value is None:
        return None
    try:
        day = R.parse_date(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    except ValueError:
        day = None
    if day is not None and not isinstance(day, MonthDate):
        return day
    shown = _shown(value)
    why_en, why_zh = R.why_no_day(value, day)
    raise refuse(422, "S009", f"{key} `{shown}` is not a date{why_en} ({DATE_FORMS_EN})",
                 f"{key_zh or key}“{shown}”不是日期{why_zh}（{DATE_FORMS_ZH}）", column=key,
                 **({"column_zh": key_zh} if key_zh else {}))


def flag(value: str | None, name: str) -> bool:
    """A yes/no query parameter: absent, no; given bare (`?explain`), yes."""
    if value is None or value.lower() in ("0", "false", "no"):
        return False
    if value.lower() in ("", "1", "true", "yes"):
        return True
    raise refuse(422, "S009", f"{name} must be true or false (1 or 0, yes or no; a bare `?{name}` is true)",
                 f"{name} 应为 true 或 false（1 或 0、yes 或 no；只写 `?{name}` 即为 true）", column=name)
