"""`policylang lsp`: the language server, a thin adapter of ``policylang.editing`` to the
Language Server Protocol (pygls)."""
