"""``policylang studio``: the drafter's workbench, a local web page (Starlette under uvicorn).

``root`` keeps every file the page reads or writes inside the policy folder; ``roster``
holds an uploaded roster and its decisions; ``sources`` lays a source document beside the
rules that cite it; ``app`` is the ASGI application and its endpoints. The editor's
services (diagnostics, fixes, completion, hover) are ``policylang.editing``'s, the same as
``policylang lsp``'s. See docs/studio.md."""

MAX_UPLOAD = 64 * 1024 * 1024  # bytes of one uploaded roster file (``--max-upload``)
MAX_TEXT = 1024 * 1024  # bytes of a policy or source text sent by the editor
