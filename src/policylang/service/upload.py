"""``POST /v1/policies/{name}/evaluate``: a roster uploaded as files (multipart form: parts
``teachers`` and ``schools``, any file ``policylang eval`` reads: CSV, TSV, TXT, XLSX, XLSM,
Parquet or JSON) decided into a decisions file, as
``policylang eval -o FILE`` writes it.

The upload is counted as it arrives (413 past the limit) and written into a folder of its
own under the work folder; the roster reader reads it there with every check and code of
``policylang eval``. A CSV or Parquet roster written as CSV or Parquet is decided chunk by
chunk (``api.Policy.stream_decisions``), anything else in memory. The answer is streamed from the
decisions file after the folder is removed (the open file stays readable), so no file of a
request outlives it, however the request ends."""

from __future__ import annotations

import email.header
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import attrs
from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.requests import Request

import policylang
from policylang.api import RosterError
from policylang.core.diagnostics import CATALOGUE, CODES, PolicyError
from policylang.core.file_errors import reason
from policylang.io.columnar import STREAMABLE, roster_header, unparsed_csv
from policylang.io.roster.files import skipping_cannot_help
from policylang.io.id_column import id_header, id_numbers_warning
from policylang.io.output import (Layout, Notes, TooManyRows, decisions_lang, identity_columns, left_out_rows, render,
                                  roster_problem_lines, roster_records, school_names_of)
from policylang.lang.legal_dates import DateOutOfRange
from policylang.lang.schema import Caller
from policylang.lang.policy import reference_date
from policylang.service.body import declared_length, decoded, too_large
from policylang.service.decide import (assuming, fraction_notes, in_force_notes, out_of_calendar, settled,
                                      typed_params)
from policylang.service.errors import ServiceError, policy_errors, problem, refuse, roster_errors

# the files eval reads, each by its name's suffix: the text tables (.csv, .tsv, .txt) and Parquet
# the streaming reader takes, the workbooks (.xlsm is an .xlsx whose macros are not run) and JSON
ROSTER_SUFFIXES = (*STREAMABLE, ".xlsx", ".xlsm", ".json")
# a part's declared media type, where its name has none of the suffixes (a client posting a
# `Blob` names it `blob`): the suffix it stands for
ROSTER_MEDIA_TYPES = {"text/csv": ".csv", "application/csv": ".csv", "text/tab-separated-values": ".tsv",
                      "text/plain": ".txt",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
                      "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
                      "application/vnd.apache.parquet": ".parquet", "application/x-parquet": ".parquet",
                      "application/json": ".json"}
OUTPUT_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx":
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  "parquet": "application/vnd.apache.parquet", "json": "application/json"}
PREFIX = "policylang-upload-"  # the folders of requests under the work folder


@attrs.frozen
class Options:
    fmt: str
    lang: str | None  # None: as eval chooses (an XLSX for a Chinese roster in Chinese)
    as_of: object
    params: dict
    assume: dict
    skip_invalid: bool


@attrs.frozen
class About:
    """What a workbook's 说明 sheet says of a request: the running version's files and the request."""

    files: tuple[tuple[str, str], ...]  # (policy file, SHA-256) of the running version: the file run first, then
    # those it extends, as eval's 说明 sheet lists them (/v1/policies lists the chain base first)
    request: str  # the method, path and query, as a command line would be written


@attrs.frozen
class Evaluated:
    file: object  # the decisions file, open for reading (its folder already removed)
    size: int
    decided: int
    statuses: Counter  # empty for a streamed file: its decisions were never in memory
    sha256: str  # of the decisions file
    inputs: dict  # part -> SHA-256 of the uploaded file
    skipped: int
    as_of: object
    skipped_rows: tuple[int, ...] = ()  # the teachers file's rows not decided (skip_invalid), in order
    # the codes of what reading the files and the parameters said beside the decisions (R012: a
    # header no column knows; R013: a value assumed; L313: a fraction for a whole count), counted
    warnings: Counter = attrs.Factory(Counter)
    # the warnings that name rows (R033: empty cells read as 否), as X-Warning-Rows lists them
    warning_rows: tuple[dict, ...] = ()
    lang: str = "en"  # the language of the file's headers and labels (Content-Language)


class _Counted:
    """The request's body, refused past ``limit`` bytes as it arrives, and looked through for the
    form's closing delimiter (``--BOUNDARY--``): the multipart parser drops a part cut off
    before its end without a word, and ``ended`` tells such a form from one lacking a part."""

    def __init__(self, receive, limit: int, content_type: str):
        self.receive, self.limit, self.size = receive, limit, 0
        boundary = parse_options_header(content_type)[1].get(b"boundary")
        self._closing = b"--" + boundary + b"--" if boundary else None
        self._carried, self.ended = b"", False

    async def __call__(self):
        message = await self.receive()
        if message["type"] == "http.request":
            body = message.get("body", b"")
            self.size += len(body)
            if self.size > self.limit:
                raise too_large(self.limit, "--max-upload", together=True)
            if self._closing and not self.ended:  # a delimiter split between two chunks is found too
                seen = self._carried + body
                self.ended = self._closing in seen
                self._carried = seen[-(len(self._closing) - 1):]
        return message


PARTS = ("teachers", "schools")
# how a client sends a part as a file: a part without `filename=` is a text field to every form
# parser (Spring's ByteArrayResource has no file name unless getFilename() gives one)
_FILE_PART_EN = ("Send it as a file with its name (curl: -F {name}=@{name}.csv; Spring: a ByteArrayResource whose "
                 "getFilename() returns \"{name}.csv\"; a `filename*=` alone, RFC 5987, is no file name to a form: "
                 "RFC 7578, 4.2)")
_FILE_PART_ZH = ("请以带文件名的文件部分发送（curl：-F {name}=@{name}.csv；Spring：重写 ByteArrayResource 的 getFilename() "
                 "返回 \"{name}.csv\"；只写 `filename*=`（RFC 5987）不被当作文件名，见 RFC 7578 第 4.2 节）")
MOST_PARTS = 8  # parts of a form read before it is refused whole


def parts_said(form) -> None:
    """Refuse a form with a part not ``PARTS`` (S007, each named), a text part where a file is
    meant (S004: -F teachers=abc, not -F teachers=@t.csv) or a file given twice (S007): every
    such problem, each naming its part."""
    errors, seen = [], Counter()
    for name, value in form.multi_items():
        if name not in PARTS:
            if name not in seen:
                errors.append(problem("S007", f"unknown part `{name}` (the parts: teachers, schools)",
                                      f"未知的表单部分 `{name}`（应为 teachers 与 schools）", column=name))
        elif not isinstance(value, UploadFile):
            errors.append(problem("S004", f"the part `{name}` came as a text field, not a file: its Content-Disposition "
                                  f"has no `filename=\"…\"`. {_FILE_PART_EN.format(name=name)}",
                                  f"`{name}` 部分是文本字段而不是文件：其 Content-Disposition 中没有 `filename=\"…\"`。"
                                  f"{_FILE_PART_ZH.format(name=name)}", column=name))
        elif seen[name] == 1:
            errors.append(problem("S007", f"the file `{name}` is given twice: give each of `teachers` and `schools` "
                                  "once", f"文件 `{name}` 出现了两次：teachers 与 schools 各应只有一个", column=name))
        seen[name] += 1
    if errors:
        raise ServiceError(422, errors)


async def receive_files(request: Request, limit: int, folder: Path) -> dict[str, tuple[Path, str, str]]:
    """The parts ``teachers`` and ``schools`` written into ``folder`` as ``teachers.csv`` … (the
    suffix of the uploaded name): part -> (path, SHA-256, the name it was uploaded under)."""
    declared_length(request, limit, "--max-upload", together=True)
    request = decoded(request, limit, "--max-upload", together=True)  # a gzip'd form, counted decompressed
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise refuse(415, "S016", "send the roster as multipart/form-data with parts `teachers` and `schools`",
                     "请以 multipart/form-data 上传名册，包含 `teachers` 与 `schools` 两部分")
    body = _Counted(request.receive, limit, request.headers["content-type"])
    counted = Request(request.scope, body)
    try:
        # a few parts beyond the two are read, so that an unknown or a text one is named; a text
        # part is held in memory, at most Starlette's 1 MiB (a larger one: S004 below)
        form = await counted.form(max_files=MOST_PARTS, max_fields=MOST_PARTS)
    except ServiceError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-multipart's and Starlette's refusals of a malformed form
        detail = getattr(exc, "detail", None) or str(exc)
        if "Part exceeded maximum size" in detail:  # a roster sent as text (curl -F teachers=<t.csv)
            raise refuse(422, "S004", "a text part of over 1 MiB: the parts `teachers` and `schools` must be files, "
                         "each with a `filename=\"…\"` in its Content-Disposition. "
                         + _FILE_PART_EN.format(name="teachers"),
                         "表单中有超过 1 MiB 的文本部分：teachers 与 schools 两部分应为文件，其 Content-Disposition 中须有 "
                         "`filename=\"…\"`。" + _FILE_PART_ZH.format(name="teachers")) from None
        if "Too many fields" in detail or "Too many files" in detail:
            raise refuse(422, "S007", f"more than {MOST_PARTS} parts: the form's parts are the files `teachers` and "
                         "`schools`", f"表单部分超过 {MOST_PARTS} 个：应只有 teachers 与 schools 两个文件") from None
        said_zh = "缺少分隔符（boundary）" if "boundary" in detail.lower() else "格式有误"
        raise refuse(400, "S017", f"the form cannot be read: {detail}",
                     f"无法读取上传的表单（multipart/form-data {said_zh}）") from None
    try:
        parts_said(form)
        out = {}
        for part in PARTS:
            upload = form.get(part)
            if not isinstance(upload, UploadFile) and not body.ended:
                raise refuse(400, "S017", "the form ends before its closing boundary: the upload was cut off; send "
                             "the files again", "文件未上传完整（表单缺少结束分隔符，可能上传中断），请重新上传")
            if not isinstance(upload, UploadFile):
                raise refuse(422, "S004", f"the file part `{part}` is required", f"缺少文件部分 `{part}`", column=part)
            name = uploaded_name(upload.filename)
            suffix = Path(name).suffix.lower()
            if suffix not in ROSTER_SUFFIXES:  # (then by what the part says it is)
                suffix = ROSTER_MEDIA_TYPES.get((upload.content_type or "").split(";")[0].strip().lower(), suffix)
            if suffix not in ROSTER_SUFFIXES:
                raise not_a_roster_file(part, name, upload.content_type)
            path = folder / f"{part}{suffix}"
            digest = hashlib.sha256()
            with open(path, "wb") as f:
                while chunk := await upload.read(1 << 20):
                    digest.update(chunk)
                    f.write(chunk)
            out[part] = (path, digest.hexdigest(), Path(name or path.name).name)
        return out
    finally:
        await form.close()


def uploaded_name(filename: str | None) -> str:
    """A part's file name as the client meant it. .NET's MultipartFormDataContent writes a name that
    is not ASCII as an RFC 2047 encoded word (`filename="=?utf-8?B?6Iqx5ZCN5YaMLmNzdg==?="` for
    花名册.csv, beside a `filename*` the form parser does not read): decoded, its suffix tells the
    file's kind, and the 说明 sheet names the file as uploaded. Any other name is as given."""
    name = filename or ""
    if name.startswith("=?") and name.endswith("?="):
        try:
            return str(email.header.make_header(email.header.decode_header(name))) or name
        except (ValueError, LookupError, UnicodeError):  # (not an encoded word after all: as given)
            return name
    return name


_OLD_WORKBOOKS = {".xls": "Excel 97-2003", ".et": "WPS", ".xlsb": "Excel (binary)",
                  ".ods": "OpenDocument", ".numbers": "Numbers"}


def not_a_roster_file(part: str, filename: str | None, content_type: str | None) -> ServiceError:
    """415 S016 for a part no reader takes, saying how its kind was told (the name's suffix, else
    the part's Content-Type) and, for a workbook of another kind (.xls), how to make it one."""
    suffix = Path(filename or "").suffix.lower()
    media = (content_type or "").split(";")[0].strip() or "none"
    if suffix in _OLD_WORKBOOKS:
        why_en = f": an {_OLD_WORKBOOKS[suffix]} workbook ({suffix}) is not read; save it as .xlsx, or as CSV (UTF-8)"
        why_zh = f"：不读取 {_OLD_WORKBOOKS[suffix]} 工作簿（{suffix}），请另存为 .xlsx 或 CSV（UTF-8）"
    else:
        why_en = (f" (Content-Type {media}): a file's kind is read from its name's suffix, or, where the name has none "
                  f"of them, from the part's Content-Type ({', '.join(ROSTER_MEDIA_TYPES)})")
        why_zh = (f"（Content-Type 为 {media}）：文件类型按文件名后缀判断；文件名没有这些后缀时，按该部分的 Content-Type 判断"
                  f"（{'、'.join(ROSTER_MEDIA_TYPES)}）")
    kinds_en = ", ".join(ROSTER_SUFFIXES[:-1]) + " or " + ROSTER_SUFFIXES[-1]
    kinds_zh = "、".join(ROSTER_SUFFIXES[:-1]) + " 或 " + ROSTER_SUFFIXES[-1]
    return refuse(415, "S016", f"`{part}`: a roster is a {kinds_en} file, not `{filename}`{why_en}",
                  f"`{part}`：名册应为 {kinds_zh} 文件，而不是 `{filename}`{why_zh}", column=part)


# an upload states values and parameters in its query, not in a JSON body: its messages say so
UPLOAD_CALLER = Caller("the request's `?assume=`", "请求的 `?assume=` 参数", "`?assume={name}={value}`",
                       "`?assume={name}={value}`", "strict", "<?set=>")


def evaluate(policy: policylang.Policy, files: dict[str, tuple[Path, str, str]], folder: Path,
             options: Options, about: About) -> Evaluated:
    """Decide the uploaded roster into ``folder/decisions.FMT``; the file comes back open."""
    policy = assuming(policy.asked_by(UPLOAD_CALLER), options.assume)
    params = typed_params(policy, options.params)
    notes = fraction_notes(policy, params) + in_force_notes(settled(options.as_of, policy), policy)  # (T214: 422)
    teachers, schools = files["teachers"][0], files["schools"][0]
    checked = policy.checked
    teacher_header = roster_header(teachers, table=checked.teachers)
    school_header = roster_header(schools, table=checked.schools)
    out_lang = decisions_lang(options.lang, options.fmt, teacher_header)  # as eval -o writes it
    layout = Layout.of_policy(checked, lang=out_lang, bom=options.fmt == "csv",
                              carried=identity_columns(checked.teachers, checked.schools, teacher_header, school_header))
    output = folder / f"decisions.{options.fmt}"
    try:
        decided, statuses, skipped, skipped_rows, said = _decide(policy, files, output, layout, options, params,
                                                                 folder, about)
    except PolicyError as exc:
        raise ServiceError(422, policy_errors(exc)) from None
    except RosterError as exc:
        raise ServiceError(422, _inside(roster_errors(exc.problems), folder)) from None
    except DateOutOfRange as exc:
        raise out_of_calendar(exc) from None
    except TooManyRows as exc:
        raise refuse(413, "S008", exc.message("en"), exc.message("zh")) from None
    if not decided and not skipped:  # a header alone (the wrong sheet exported): no success to pass in silence,
        notes.append(problem("S025", CODES["S025"], CATALOGUE["S025"][1]))  # as eval says it
    digest = hashlib.sha256()
    file = open(output, "rb")
    for chunk in iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
    size = file.tell()
    file.seek(0)
    return Evaluated(file, size, decided, statuses, digest.hexdigest(), {k: v[1] for k, v in files.items()},
                     skipped, reference_date(options.as_of, checked), skipped_rows,
                     Counter([n["code"] for n in notes] + [w.code for w in said]),
                     tuple({"code": w.code, "column": w.column, "rows": list(w.rows), "count": w.count}
                           for w in said if w.rows), layout.lang)


def _decide(policy, files: dict[str, tuple[Path, str, str]], output: Path, layout: Layout, options: Options, params,
            folder: Path, about: About) -> tuple[int, Counter, int, tuple[int, ...], list]:
    """The decisions written to ``output``: how many, their statuses (none when streamed), how
    many teachers were skipped, their rows in the teachers file, and the readers' warnings."""
    teachers, schools = files["teachers"][0], files["schools"][0]
    if options.fmt in ("csv", "parquet") and teachers.suffix in STREAMABLE:
        problems, decided, read, warnings = policy.stream_decisions(
            teachers, schools, output, layout=layout, fmt=options.fmt, as_of=options.as_of, params=params,
            skip_invalid=options.skip_invalid)
        if not (decided is None and unparsed_csv(problems, teachers)):
            if decided is None or (problems and not options.skip_invalid) or \
                    skipping_cannot_help(problems, read - decided, read):
                raise ServiceError(422, _inside(roster_errors([p for p in problems if not p.warning]), folder))
            rows = sorted({p.row for p in problems if not p.warning and p.row is not None
                           and p.file == str(teachers)})
            said = _ids_said(policy, teachers, layout, layout.ids.found(decided), decided)
            return decided, Counter(), read - decided, tuple(rows), [*warnings, *said]
    day = reference_date(options.as_of, policy.checked)
    roster = policy.read_roster(teachers, schools, as_of=day)  # a date of a teacher's life after it: R029
    invalid = sum(not r.valid for r in roster.teachers)
    if roster.problems and (not options.skip_invalid
                            or skipping_cannot_help(roster.problems, invalid, len(roster.teachers))):
        raise ServiceError(422, _inside(roster_errors(roster.problems), folder))
    decisions = policy.evaluate(roster, as_of=day, params=params, skip_invalid=options.skip_invalid)
    layout.ids.texts([d.id for d in decisions])  # (the file is written with the same rule)
    ids = _ids_said(policy, teachers, layout, layout.ids.found(len(decisions)), len(decisions))
    warned = [*roster.warnings, *ids]
    said = roster_problem_lines(warned, layout.lang)[0]  # as eval's 说明 lists them, no server path in them
    notes = Notes.of_policy(policy.checked, params, day, files=about.files,
                            command=about.request, lang=layout.lang, teachers=_named(files["teachers"]),
                            schools=_named(files["schools"]), skipped=invalid, given_by="?set=",
                            left_out=left_out_rows(roster.teachers, layout.lang),  # named on 未作结论, as eval does
                            warnings=tuple(_as_uploaded(line, files, folder) for line in said),
                            warnings_said=("its code counted in the X-Warnings header", "其代码已列于响应头 X-Warnings"),
                            school_names=school_names_of(roster))
    output.write_bytes(render(decisions, options.fmt, layout=layout, records=roster_records(roster), notes=notes))
    return len(decisions), Counter(d.status for d in decisions), invalid, \
        tuple(r.line for r in roster.teachers if not r.valid), warned


def _ids_said(policy, teachers: Path, layout: Layout, found: int, total: int) -> list:
    """R061 of ids that are ID numbers, which the decisions file shows masked as eval's does (``id_column``):
    the file is one an office hands on; the X-Warnings header counts it, the 说明 sheet says it."""
    warning = id_numbers_warning(str(teachers), id_header(policy.checked.teachers,
                                                         roster_header(teachers, table=policy.checked.teachers)),
                                 found, total, layout.ids.whole)
    return [warning] if warning else []


ROWS_LISTED = 200  # a header stays short: past these, the count in X-Skipped says how many more


def rows_header(rows: tuple[int, ...]) -> str:
    """The rows of the teachers file left undecided, as ``X-Skipped-Rows`` lists them: `3,7,12`,
    then `,...` past ``ROWS_LISTED`` (the same request without ``skip_invalid`` names each problem).
    ASCII only: a header is Latin-1 on the wire, and `…` in one was a 500."""
    return ",".join(map(str, rows[:ROWS_LISTED])) + (",..." if len(rows) > ROWS_LISTED else "")


def warnings_header(counted: Counter) -> str:
    """The warnings' codes and how many of each, as ``X-Warnings`` says them (`R012=2,L313=1`):
    ASCII, short, so that a proxy passes it; their texts are `eval`'s and a decide request's."""
    return ",".join(f"{code}={n}" for code, n in sorted(counted.items()))


def warning_rows_header(found: tuple[dict, ...]) -> str:
    """The warnings that name rows, as ``X-Warning-Rows`` gives them to a program (the message's
    rows, which a decide request's ``rows`` gives): JSON, ASCII (a Chinese column as ``\\u`` escapes)."""
    return json.dumps(list(found), ensure_ascii=True, separators=(",", ":"))


def _named(file: tuple[Path, str, str]) -> str:
    """An uploaded file as the 说明 sheet names it: its name, and its SHA-256 (the server keeps no copy)."""
    return f"{file[2]} (SHA-256 {file[1]})"


def _as_uploaded(line: str, files: dict[str, tuple[Path, str, str]], folder: Path) -> str:
    """A line of the 说明 sheet naming a file as it was uploaded (花名册.xlsx), as the sheet's
    教师名册 and 学校名册 rows name it, not as the part the server kept it under."""
    for path, _, uploaded in files.values():
        line = line.replace(str(path), uploaded)
    return _without_folder(line, folder)


def _inside(errors: list[dict], folder: Path) -> list[dict]:
    """The problems with the request's folder taken out of their messages: a file is named
    as the part it came in (``teachers.csv``), never by the server's path."""
    return [e | {"message": {k: _without_folder(v, folder) if isinstance(v, str) else v for k, v in e["message"].items()}}
            for e in errors]


def _without_folder(text: str, folder: Path) -> str:
    return text.replace(str(folder) + os.sep, "")


def work_folder(root: str | Path | None) -> Path:
    """A new folder for one request under ``root`` (default: the system's temporary folder); 503
    S024 when none can be made there (the folder removed since the start, a full or read-only disk):
    the request is not the caller's fault, and a retry may succeed once an operator has seen to it."""
    try:
        return Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
    except OSError as exc:
        en, zh = reason(exc, writing=True)
        raise refuse(503, "S024", f"the service cannot keep the upload: its work folder (--work-dir) takes no new "
                     f"folder ({en}); nothing was decided. Tell the service's operator",
                     f"服务无法存放上传的文件：工作文件夹（--work-dir）中无法新建文件夹（{zh}），未作决定；请告知服务的管理员") \
            from None


def usable_work_dir(root: str | Path | None) -> tuple[str, str] | None:
    """Why no request could keep its upload under ``root`` (en, zh), or None when one can: a
    folder made there and removed, as each request does."""
    try:
        remove(Path(tempfile.mkdtemp(prefix=PREFIX, dir=root)))
    except OSError as exc:
        return reason(exc, writing=True)
    return None


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def unknown_format(fmt: str) -> ServiceError:
    return ServiceError(422, [problem("S009", f"format must be one of {', '.join(OUTPUT_FORMATS)}, not `{fmt}`",
                                      f"format 应为 {'、'.join(OUTPUT_FORMATS)} 之一，而不是 `{fmt}`",
                                      column="format")])
