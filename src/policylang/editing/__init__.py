"""Language services for editors: the one implementation behind `policylang lsp` (``lsp/``)
and `policylang studio` (``studio/``). See ``workspace.Workspace``."""

from policylang.editing.model import (Completion, EditorDiagnostic, Fix, Hover, Location, Position, Range,
                                      Related, Symbol, TextEdit)
from policylang.editing.workspace import Workspace

__all__ = ["Completion", "EditorDiagnostic", "Fix", "Hover", "Location", "Position", "Range", "Related",
           "Symbol", "TextEdit", "Workspace"]
