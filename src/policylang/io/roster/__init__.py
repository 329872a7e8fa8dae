"""Rosters in: the teachers and schools tables of the contract, read row by row into a ``Roster``
(``reader``), each problem naming its file, row, column and value.

The package's modules, each one job, import one way (lowest first): ``model`` (problems, rows,
tables) and ``cells`` (a cell's value) → ``problems`` (the messages of cells and rows) →
``plausible`` (values no person has, the ID number) → ``files`` (files not read, or not whole) →
``encoding`` (a text file's) → ``layout`` (row numbers, footers, the header again, cells under no
header) → ``header`` (the one header mapper) → ``csv_file``, ``workbook``, ``records`` (each
format's rows) → ``tables`` (a file read by its suffix) → ``reader`` (the rows checked, the
roster assembled). Code within ``io/`` imports from those modules; this surface holds the names
the other layers use.
"""

from policylang.io.roster.cells import header_name, parse_date
from policylang.io.roster.files import NotScalar, scalar_columns_or_raise, unreadable_error, whole_file_problems
from policylang.io.roster.header import map_header
from policylang.io.roster.model import Roster, RosterProblem
from policylang.io.roster.plausible import (EARLY_START, LIFE_DATES, after_reference, after_reference_rows,
                                            early_start_of_one, starts_before_work)
from policylang.io.roster.problems import ROWS_NAMED, jackson_date_array, said_once, why_no_day
from policylang.io.roster.reader import (RECORDS, SCHOOL_RECORDS, TEACHER_RECORDS, AssumptionError,
                                         RosterError, early_start_notes, load_roster, names_a_column,
                                         records_alike_warnings, records_blank_warnings, records_reading_notes,
                                         roster_from_records, table_and_name, table_from_records, with_assumptions)
from policylang.io.roster.records import outside_calendar_as_text, records_header
from policylang.io.roster.tables import read_table
from policylang.io.roster.workbook import TEMPLATE_SHEETS

__all__ = ["EARLY_START", "LIFE_DATES", "RECORDS", "ROWS_NAMED", "SCHOOL_RECORDS", "TEACHER_RECORDS", "TEMPLATE_SHEETS",
           "AssumptionError", "NotScalar", "Roster", "RosterError", "RosterProblem", "after_reference",
           "after_reference_rows", "early_start_notes", "early_start_of_one", "header_name",
           "jackson_date_array", "load_roster", "map_header", "names_a_column", "outside_calendar_as_text",
           "parse_date", "read_table", "records_alike_warnings", "records_blank_warnings",
           "records_reading_notes", "records_header",
           "roster_from_records", "said_once", "scalar_columns_or_raise", "starts_before_work", "table_and_name",
           "table_from_records",
           "unreadable_error", "whole_file_problems", "why_no_day", "with_assumptions"]
