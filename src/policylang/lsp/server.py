"""The language server: the Language Server Protocol over ``policylang.editing``. It keeps
no knowledge of the language: it converts positions (UTF-16 unless the client negotiates
another encoding), URIs and kinds, and publishes each open file's diagnostics when it or a
file it extends changes."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as L
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec

from policylang import __version__
from policylang.core.diagnostics import PolicyError
from policylang.core.i18n import default_lang
from policylang.editing import Location, Position, Range, Workspace

_SEVERITY = {"error": L.DiagnosticSeverity.Error, "warning": L.DiagnosticSeverity.Warning,
             "info": L.DiagnosticSeverity.Information}
_COMPLETION_KIND = {"keyword": L.CompletionItemKind.Keyword, "field": L.CompletionItemKind.Field,
                    "parameter": L.CompletionItemKind.Constant, "definition": L.CompletionItemKind.Variable,
                    "code": L.CompletionItemKind.EnumMember, "function": L.CompletionItemKind.Function,
                    "rule": L.CompletionItemKind.Reference, "source": L.CompletionItemKind.Module,
                    "sample": L.CompletionItemKind.Struct, "unit": L.CompletionItemKind.Unit}
_SYMBOL_KIND = {"policy": L.SymbolKind.Namespace, "extends": L.SymbolKind.Package, "source": L.SymbolKind.Module,
                "field": L.SymbolKind.Field, "parameter": L.SymbolKind.Constant, "define": L.SymbolKind.Function,
                "rule": L.SymbolKind.Class, "exemption": L.SymbolKind.Interface, "precedence": L.SymbolKind.Operator,
                "prerequisite": L.SymbolKind.Struct, "penalty": L.SymbolKind.Event, "benefit": L.SymbolKind.Event,
                "quota": L.SymbolKind.Number, "priority": L.SymbolKind.Array, "provision": L.SymbolKind.String,
                "repeal": L.SymbolKind.Null, "sample": L.SymbolKind.Object, "test": L.SymbolKind.Method}


_ANSWERED = object()  # a malformed request, answered already


class _Protocol(LanguageServerProtocol):
    """pygls's protocol, but a request whose parameters do not fit it (a `null` position) is
    answered with an error: pygls only logs it, and the client would wait for ever."""

    def structure_message(self, data: dict):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if "id" not in data or "method" not in data:
                raise  # a notification or a response: nobody waits for an answer
            self._send_response(data["id"], None, exc.to_response_error())
            return _ANSWERED

    def handle_message(self, message) -> None:
        if message is not _ANSWERED:
            super().handle_message(message)


class PolicyServer(LanguageServer):
    def __init__(self, lang: str | None = None):
        super().__init__("policylang", __version__, protocol_cls=_Protocol)
        self.lang = lang  # None: from the client's locale, else the environment's
        self.editing: Workspace | None = None

    # ---- conversions -------------------------------------------------------------------
    def codec(self) -> PositionCodec:
        return PositionCodec(self.workspace.position_encoding or L.PositionEncodingKind.Utf16)

    def lines(self, path: Path) -> list[str]:
        return self.editing.text(path).split("\n")

    def position(self, uri: str, pos: L.Position) -> tuple[Path, Position]:
        path = Path(to_fs_path(uri))
        p = self.codec().position_from_client_units(self.lines(path), L.Position(pos.line, pos.character))
        return path, Position(p.line, p.character)

    def range_in(self, path: Path, rng: Range) -> L.Range:
        lines = self.lines(path)
        codec = self.codec()

        def one(p: Position) -> L.Position:
            line = lines[p.line] if p.line < len(lines) else ""
            return L.Position(p.line, codec.client_num_units(line[:p.column]))

        return L.Range(one(rng.start), one(rng.end))

    def range_from(self, path: Path, rng: L.Range) -> Range:
        codec, lines = self.codec(), self.lines(path)
        a = codec.position_from_client_units(lines, L.Position(rng.start.line, rng.start.character))
        b = codec.position_from_client_units(lines, L.Position(rng.end.line, rng.end.character))
        return Range(Position(a.line, a.character), Position(b.line, b.character))

    def uri(self, path: Path) -> str:
        """The URI of a file as the client names it: that of its open document if it has one (a
        client may spell `青溪县.pol` percent-encoded or not, and matches URIs as strings)."""
        for doc in self.workspace.text_documents.values():
            if Path(to_fs_path(doc.uri)).resolve() == path:
                return doc.uri
        return from_fs_path(str(path))

    def location(self, loc: Location) -> L.Location:
        return L.Location(self.uri(loc.path), self.range_in(loc.path, loc.range))

    # ---- diagnostics -------------------------------------------------------------------
    def publish(self) -> None:
        """Every open file's diagnostics (a change to a base changes those of the files
        extending it)."""
        for doc in list(self.workspace.text_documents.values()):
            path = Path(to_fs_path(doc.uri))
            out = []
            for d in self.editing.diagnostics(path, self.lang):
                related = [L.DiagnosticRelatedInformation(self.location(r.location), r.message) for r in d.related]
                out.append(L.Diagnostic(range=self.range_in(path, d.range), message=d.message,
                                        severity=_SEVERITY[d.severity], code=d.code, source="policylang",
                                        related_information=related or None))
            self.text_document_publish_diagnostics(  # under the URI the client opened it by, not pygls's key
                L.PublishDiagnosticsParams(uri=doc.uri, diagnostics=out, version=doc.version))


def make_server(lang: str | None = None) -> PolicyServer:
    server = PolicyServer(lang)

    @server.feature(L.INITIALIZE)
    def initialize(ls: PolicyServer, params: L.InitializeParams) -> None:
        root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
        ls.editing = Workspace(Path(to_fs_path(root)) if root else Path.cwd())
        if ls.lang is None:
            options = params.initialization_options or {}
            asked = options.get("lang") if isinstance(options, dict) else None
            locale = (params.locale or "").lower()
            ls.lang = asked if asked in ("en", "zh") else "zh" if locale.startswith("zh") else \
                "en" if locale else default_lang()

    def sync(ls: PolicyServer, uri: str) -> None:
        doc = ls.workspace.get_text_document(uri)
        ls.editing.open(Path(to_fs_path(uri)), doc.source)
        ls.publish()

    @server.feature(L.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PolicyServer, params: L.DidOpenTextDocumentParams) -> None:
        sync(ls, params.text_document.uri)

    @server.feature(L.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PolicyServer, params: L.DidChangeTextDocumentParams) -> None:
        sync(ls, params.text_document.uri)

    @server.feature(L.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PolicyServer, params: L.DidSaveTextDocumentParams) -> None:
        sync(ls, params.text_document.uri)

    @server.feature(L.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PolicyServer, params: L.DidCloseTextDocumentParams) -> None:
        ls.editing.close(Path(to_fs_path(params.text_document.uri)))
        ls.text_document_publish_diagnostics(L.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))
        ls.publish()

    @server.feature(L.TEXT_DOCUMENT_HOVER)
    def hover(ls: PolicyServer, params: L.HoverParams) -> L.Hover | None:
        path, pos = ls.position(params.text_document.uri, params.position)
        found = ls.editing.hover(path, pos, ls.lang)
        if found is None:
            return None
        return L.Hover(L.MarkupContent(L.MarkupKind.Markdown, found.markdown), ls.range_in(path, found.range))

    @server.feature(L.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: PolicyServer, params: L.DefinitionParams) -> list[L.Location]:
        path, pos = ls.position(params.text_document.uri, params.position)
        return [ls.location(loc) for loc in ls.editing.definition(path, pos)]

    @server.feature(L.TEXT_DOCUMENT_REFERENCES)
    def references(ls: PolicyServer, params: L.ReferenceParams) -> list[L.Location]:
        path, pos = ls.position(params.text_document.uri, params.position)
        found = ls.editing.references(path, pos)
        if not params.context.include_declaration:
            declared = set(ls.editing.definition(path, pos))
            found = [loc for loc in found if loc not in declared]
        return [ls.location(loc) for loc in found]

    # a space too: after `cite `, `post = `, `6 ` the list they call for (nothing elsewhere)
    @server.feature(L.TEXT_DOCUMENT_COMPLETION, L.CompletionOptions(trigger_characters=[".", " "]))
    def completion(ls: PolicyServer, params: L.CompletionParams) -> L.CompletionList:
        path, pos = ls.position(params.text_document.uri, params.position)
        after_space = params.context is not None and params.context.trigger_character == " "
        items = [L.CompletionItem(label=c.label, kind=_COMPLETION_KIND.get(c.kind), detail=c.detail or None,
                                  insert_text=c.insert_text, sort_text=f"{i:05d}")  # the services' order
                 for i, c in enumerate(ls.editing.complete(path, pos, ls.lang, after_space))]
        return L.CompletionList(is_incomplete=False, items=items)

    @server.feature(L.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: PolicyServer, params: L.DocumentSymbolParams) -> list[L.DocumentSymbol]:
        path = Path(to_fs_path(params.text_document.uri))
        return [L.DocumentSymbol(name=s.name or s.kind, kind=_SYMBOL_KIND.get(s.kind, L.SymbolKind.Key),
                                 range=ls.range_in(path, s.range),
                                 selection_range=ls.range_in(path, s.selection_range),
                                 detail=f"{s.kind} {s.detail}".strip())
                for s in ls.editing.outline(path)]

    @server.feature(L.TEXT_DOCUMENT_CODE_ACTION,
                    L.CodeActionOptions(code_action_kinds=[L.CodeActionKind.QuickFix]))
    def code_action(ls: PolicyServer, params: L.CodeActionParams) -> list[L.CodeAction]:
        uri = params.text_document.uri
        path = Path(to_fs_path(uri))
        fixes = ls.editing.code_actions(path, ls.range_from(path, params.range), ls.lang)
        return [L.CodeAction(title=f.title, kind=L.CodeActionKind.QuickFix, is_preferred=len(fixes) == 1,
                             edit=L.WorkspaceEdit(changes={uri: [
                                 L.TextEdit(ls.range_in(path, e.range), e.new_text) for e in f.edits]}))
                for f in fixes]

    @server.feature(L.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: PolicyServer, params: L.DocumentFormattingParams) -> list[L.TextEdit]:
        path = Path(to_fs_path(params.text_document.uri))
        try:
            edits = ls.editing.format(path)
        except PolicyError:  # a text that does not parse is left as it is; its diagnostics say why
            return []
        return [L.TextEdit(ls.range_in(path, e.range), e.new_text) for e in edits]

    return server
