"""The what-if questions over HTTP, through ``policylang.api`` as ``policylang diff`` and
``policylang quota`` ask them: ``POST /v1/diff`` (whom a draft changes, and why) and
``POST /v1/policies/{name}/quota`` (per group, what each quota requires and a proposed
selection). Both take the roster as records, as ``decide`` does."""

from __future__ import annotations

import json

import policylang
from policylang.api import comparison_date, reading_both, what_if
from policylang.core.diagnostics import PolicyError
from policylang.io.id_column import IdsShown
from policylang.lang.legal_dates import DateOutOfRange
from policylang.present.quota import quota_json, roster_names
from policylang.present.report import json_report
from policylang.service import body as B
from policylang.service.decide import (BODY_FIELDS, assuming, assuming_both, fraction_notes, in_force_notes,
                                      out_of_calendar, read_request, reading_warnings, refusals, roster_of, settled,
                                      typed_params)
from policylang.service.errors import ServiceError, policy_errors

DIFF_FIELDS = ("base", "draft", "teachers", "schools", "as_of", "base_params", "draft_params", "assume")


def policy_names(body: object) -> tuple[object, object]:
    """The base's and the draft's names, as given (checked by the caller against the folder)."""
    body = B.fields(body, DIFF_FIELDS)
    return body.get("base"), body.get("draft")


def diff(base: policylang.Policy, draft: policylang.Policy, body: dict, max_batch: int) -> tuple[bytes, list[dict]]:
    """The report ``policylang diff --format json`` writes, for the records of ``body``, and what
    reading the parameters and the records says beside it (``decide``'s ``warnings``)."""
    request = read_request({k: v for k, v in body.items() if k in BODY_FIELDS}, max_batch)
    base_params, draft_params = B.mapping(body, "base_params"), B.mapping(body, "draft_params")
    base, draft = assuming_both(base, draft, request.assume)  # a column only one declares: for that one
    notes = fraction_notes(base, _side(base, base_params, "base_params")) + \
        fraction_notes(draft, _side(draft, draft_params, "draft_params"))
    both = reading_both(base, draft)  # every column either reads
    with refusals():
        as_of = comparison_date(base, draft, request.as_of)
    notes += in_force_notes(as_of, base, draft)  # (a policy against itself: said once, by _once)
    frame = both.roster_frame(roster_of(both, request, as_of), months=True)
    try:
        result = what_if(base, draft, frame, as_of=as_of, base_params=base_params, draft_params=draft_params)
    except PolicyError as exc:
        raise ServiceError(422, policy_errors(exc)) from None
    except DateOutOfRange as exc:
        raise out_of_calendar(exc) from None
    # the ids as the request sent them, ID numbers too (id_column), as /decide answers them: the calling system
    # joins the report's people on them, and echoing what it sent discloses nothing; a diff is not logged
    return (json_report(result.report, None, result.quota_changes, IdsShown(whole=True)).encode("utf-8"),
            _once(notes) + reading_warnings(both, request))


def _side(policy: policylang.Policy, params: dict, key: str):
    """``typed_params`` of one side of a diff, its refusals naming the side (`base_params`): the
    two policies may share a parameter, and 'unknown parameter' said not which one was meant."""
    try:
        return typed_params(policy, params)
    except ServiceError as exc:
        zh_key = {"base_params": "基准政策的参数", "draft_params": "草案的参数"}[key]
        raise ServiceError(exc.status, [e | {"message": {"en": f"{key}: {e['message']['en']}",
                                                         "zh": f"{zh_key}（{key}）：{e['message']['zh']}"},
                                             "column": f"{key}.{e['column']}" if e.get("column") else key}
                                        for e in exc.errors]) from None


def quota(policy: policylang.Policy, body: object, max_batch: int) -> tuple[bytes, list[dict]]:
    """The plans ``policylang quota --format json`` writes, for the records of ``body``, and what
    reading the parameters and the records says beside them (``decide``'s ``warnings``)."""
    request = read_request(body, max_batch)
    policy = assuming(policy, request.assume)
    notes = fraction_notes(policy, typed_params(policy, request.params))
    as_of = settled(request.as_of, policy)
    notes += in_force_notes(as_of, policy)
    frame = policy.roster_frame(roster_of(policy, request, as_of), months=True)
    try:
        plans = policy.quota_plans(frame, as_of=as_of, params=request.params)
    except PolicyError as exc:
        raise ServiceError(422, policy_errors(exc)) from None
    except DateOutOfRange as exc:
        raise out_of_calendar(exc) from None
    return quota_json(plans, *roster_names(frame)).encode("utf-8"), notes + reading_warnings(policy, request)


def _once(notes: list[dict]) -> list[dict]:
    """The notes of both policies' parameters, one of a parameter both share given alike said once."""
    return list({json.dumps(n, sort_keys=True, ensure_ascii=False): n for n in notes}.values())
