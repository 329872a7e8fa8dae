"""A table file read by its suffix: the one dispatch over the formats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from policylang.lang import schema as S
from policylang.io.roster.model import Table, Shape
from policylang.io.roster.files import UnreadableFile, CSV_SUFFIXES
from policylang.io.roster.csv_file import _read_csv
from policylang.io.roster.workbook import _read_xlsx
from policylang.io.roster.records import _read_parquet, _read_json, _records


_READERS: dict[str, Callable[[Path, str | None], tuple[list[str], list[Sequence[object]], Shape]]] = {
    ".csv": _read_csv,
    ".tsv": _read_csv,
    ".txt": _read_csv,
    ".xlsx": _read_xlsx,
    ".xlsm": _read_xlsx,
    ".parquet": _records(_read_parquet),
    ".json": _records(_read_json),
}


def _read(path: Path, encoding: str | None, table: S.Table | None = None
          ) -> tuple[list[str], list[Sequence[object]], Shape]:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        kinds = list(_READERS)  # (the list the readers are: it cannot leave one out)
        raise UnreadableFile(f"unknown format `{path.suffix}` (use {', '.join(kinds[:-1])} or {kinds[-1]}: Excel and "
                             "WPS save any workbook as .xlsx or “CSV UTF-8”)",
                             f"不支持“{path.suffix}”格式（请用 {'、'.join(kinds[:-1])} 或 {kinds[-1]}：Excel 和 WPS "
                             "可将工作簿另存为 .xlsx 或“CSV UTF-8”）")
    if reader in (_read_xlsx, _read_csv):  # formats with a header to find (and sheets to choose from)
        return reader(path, encoding, table)
    return reader(path, encoding)


def read_table(path: str | Path, encoding: str | None = None) -> Table:
    """The header and the data rows of a table file, as found."""
    header, rows, _ = _read(Path(path), encoding)
    return header, rows


def _first_line(path: Path) -> int:
    """Row number of the first record: spreadsheets count the header as row 1."""
    return 2 if path.suffix.lower() in (*CSV_SUFFIXES, ".xlsx", ".xlsm") else 1
