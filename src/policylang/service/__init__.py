"""``policylang serve``: the evaluator as an HTTP service (Starlette under uvicorn).

``registry`` holds the policies of one folder as an immutable snapshot swapped whole on
reload; ``app`` is the ASGI application, ``decide``, ``upload`` and ``whatif`` its endpoints' work,
``auth`` the tokens, ``decision_log`` the log; ``metrics`` the Prometheus counters. See
docs/service.md."""

MAX_BATCH = 10_000  # teachers in one decide request (``--max-batch``)
MAX_BODY = 32 * 1024 * 1024  # bytes of one request body (``--max-body``)
MAX_UPLOAD = 256 * 1024 * 1024  # bytes of one roster upload, both files (``--max-upload``)
