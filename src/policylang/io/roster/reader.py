"""Reading and validating rosters: the teachers and schools tables of the contract,
from CSV (UTF-8 with or without BOM, GB18030/GBK as Excel and WPS write it, or
UTF-16 as Excel's "Unicode text" writes it), XLSX, Parquet or JSON, with English or
Chinese headers and codes or labels.

Every input row is kept: a row with problems carries them, and every problem
names the file, row (as a spreadsheet numbers it: the header is row 1 unless a title is above it), column
(as written in the file) and value. Nothing is dropped silently. The only rows
not read are those of a CSV or XLSX file with every cell empty (spreadsheets leave
them below the data); they are not people, and the line numbers of the rows after
them stay right. A record of JSON or Parquet is a row even when every value is
empty. A CSV row must have as many cells as the header (R016): a row cut short
would read its missing yes/no cells as "no"; a row running over several lines of
the file (a cell holding line breaks) is said (R018), since a quote left open
joins the rows up to the next quote into one cell; a quote never closed leaves
the rest of the file unreadable (R009, naming the row). Values no person can have
(born before 1900, starting work before being born, negative years) are refused
(R017), and a teacher whose school row is refused is refused too (R014).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from policylang.core.diagnostics import did_you_mean
from policylang.core.text_width import TRIMMED
from policylang.lang import schema as S
from policylang.lang import types as T
from policylang.io.roster.model import RosterProblem, RosterRow, Roster, Shape, LoadedTable
from policylang.io.roster.cells import Uncomputed, _text, cell_value, column_reader, header_name, _blank
from policylang.io.roster.plausible import (implausible, after_reference, after_reference_problem, FROM_ID_NUMBER,
                                            id_number_reading, EARLY_START, starts_before_work, early_start_warning)
from policylang.io.roster.problems import (ROWS_NAMED, bad_value_problem, empty_required_problem, lacking_key_problem,
                                           implausible_problem, duplicate_problem, unknown_school_problem,
                                           alike_key_warnings)
from policylang.io.roster.files import (unreadable_error, unreadable_problem, school_row_problem, ragged_problem,
                                        multiline_warning)
from policylang.io.roster.workbook import formula_problem, uncomputed_kept_warning, group_title_warning
from policylang.io.roster.header import (HeaderMap, _keyed, map_header, _one_row_per_school, blank_reads_as,
                                         blank_column_warning, ID_FIELDS, few_blanks, few_blanks_warning)
from policylang.io.roster.records import LACKING, _records_table, records_header
from policylang.io.roster.tables import _read, _first_line
from policylang.io.roster.layout import (serial_columns, without_row_numbers, footer_rows, summary_only, summary_label, Subtotals,
                                         _as_written, footer_warning, HeaderAgain, header_again_warning,
                                         header_again_text, Unheaded, GoneNotes, title_rows, Titles)


def _normalise(file: str, table: S.Table, header: Sequence[object], rows: Iterable[Sequence[object]],
               first_line: int, shape: Shape = Shape()) -> LoadedTable:
    """Map headers to fields, convert values, check the cells a row has, required values,
    plausible values and uniqueness."""
    mapped = map_header(file, table, header)
    fields, extras, written = mapped.fields, mapped.extras, mapped.written
    if any(p.code == "R034" for p in mapped.problems):
        rows = []  # the other table's file: its rows are no rows of this one (每行“学校代码重复”)
    defaults = table.absent_values
    readers = dict(table.reads)  # field -> what of the policy reads it
    by_id = table.name == "teacher" and "id_number" in written  # birth date and sex from the ID number
    records = _keyed(file)  # a record's values as sent (JSON, the API's, the service's lists), not a sheet's cells
    out: list[RosterRow] = []
    said: list[RosterProblem] = list(shape.said)
    # the columns whose empty cell reads as a value: each one's empty cells, by line (R027, R033)
    empties: dict[str, list[int]] = {f.name: [] for f in blank_reads_as(table) if f.name in written}
    rows = rows if isinstance(rows, list) else list(rows)
    required = [i for i, f in fields.items() if f.must_fill]
    footer = {} if shape.keep_blank else footer_rows(rows, required)
    # each column: its field, how its cells are read, whether an empty cell is refused (R006; a birth
    # date and sex an ID number gives are not)
    columns = [(i, field, field.name, column_reader(field, records),
                field.must_fill and not (by_id and field.name in FROM_ID_NUMBER)) for i, field in fields.items()]
    serial = serial_columns(header, fields)
    # a group's title typed in one cell above a school's teachers (R054), of a sheet's teachers
    at = {field.name: i for i, field in fields.items()}
    titles = title_rows(rows, serial, at.get("name"), at.get("school_id")) \
        if table.name == "teacher" and not shape.keep_blank else {}
    grouped = Titles()
    unheaded = Unheaded(header, beyond=shape.width is None)  # (a CSV's longer row is ragged, said so)
    gone = GoneNotes() if table.name == "teacher" else None  # notes of one who has left (已调出) nothing reads: R051
    uncomputed: dict[str, list[int]] = {}  # a column no field reads -> its rows of formulas without a result
    # a header row among the data (a second one of field names, a report's on every page): of a sheet's
    # rows (CSV, XLSX), not of records, whose keys are their header
    again = HeaderAgain(header, fields, table) if not shape.keep_blank and fields else None
    subtotals = Subtotals() if not shape.keep_blank else None  # totals rows among a sheet's rows (R053)
    # each row's two start dates, for the rows at the school before starting work (R050)
    dated: list | None = [] if all(name in written for name in EARLY_START) else None
    for position, row in enumerate(rows):
        line = first_line + position
        if position in footer:  # (first: a note in the 序号 column is said, not passed over as a blank row)
            said.append(footer_warning(file, line, footer[position]))
            continue
        if position in shape.groups:
            said.append(group_title_warning(file, line, shape.groups[position]))
            continue
        if position in titles:
            grouped.add(line, titles[position])
            continue
        if not shape.keep_blank and _blank(without_row_numbers(row, serial) if serial else row):
            continue
        values = dict(defaults)
        problems: list[RosterProblem] = []
        blank: list[str] = []
        if shape.width is not None and len(row) != shape.width:
            problems.append(ragged_problem(file, line, len(row), shape.width))
        read: dict[str, object] = {}  # field -> its cell, for the fields read from a cell of the right type
        for i, field, name, read_cell, must_fill in columns:
            raw = row[i] if i < len(row) else None
            if raw is LACKING:  # a required field: empty (R006), as always; one the policy reads: not known
                if not field.required and table.gives_value(field):
                    problems.append(lacking_key_problem(file, line, written[name], field, readers.get(name, ())))
                    continue
                raw = None
            if name in empties and not _filled(raw):
                empties[name].append(line)
                blank.append(name)
            if isinstance(raw, Uncomputed):
                problems.append(formula_problem(file, line, written[name], raw))
                continue
            try:
                values[name] = value = read_cell(raw)
            except (ValueError, TypeError, OverflowError):
                problems.append(bad_value_problem(file, line, written[name], field, raw))
                continue
            if value is None and must_fill:
                problems.append(empty_required_problem(file, line, written[name], field))
            read[name] = raw
        if by_id:
            given = {n: values[n] for n in FROM_ID_NUMBER if n in read or n not in written}
            filled, wrong = id_number_reading(file, line, written["id_number"], read.get("id_number", values["id_number"]), given,
                                              written)
            values.update(filled)
            problems += wrong
        for name, en, zh in implausible(table.name, values, read, table.reference):
            problems.append(implausible_problem(file, line, written[name], table.field(name), read[name], en, zh))
        for name, en, zh in after_reference(table, values, read):
            problems.append(after_reference_problem(file, line, written[name], table.field(name), read[name], en, zh))
        if problems and again is not None and (kind := again.kind(row)) is not None:
            said.append(header_again_warning(file, line, kind, not out, table.name, header_again_text(row)))
            for name in blank:  # (no row: its empty cells are none of a column's)
                empties[name].remove(line)
            continue
        if problems and subtotals is not None and (label := summary_label(row, required)) is not None:
            subtotals.add(line, label)  # (小计 after a school's teachers: no row, said once, R053)
            for name in blank:
                empties[name].remove(line)
            continue
        problems = summary_only(problems, row, required, file, line)  # (of records: refused as one, R031)
        unheaded.look(row, line)
        for i, name in extras.items():
            cell = row[i] if i < len(row) else None
            if isinstance(cell, Uncomputed):  # its text is no value: carried (--keep) empty, and said
                uncomputed.setdefault(name, []).append(line)
                values[name] = None
            else:
                values[name] = _text(cell) or None
                if gone is not None:
                    gone.look(name, values[name], line)
        if position in shape.spans:
            first, lines, cell = shape.spans[position]
            column = header_name(header[cell]) if cell is not None and cell < len(header) else None
            said.append(multiline_warning(file, line, column, first, lines))
        if dated is not None:
            dated.append((line, values.get("id"), values.get("school_start"), values.get("work_start")))
        out.append(RosterRow(len(out), line, values, tuple(problems), frozenset(blank) if blank else _NONE_BLANK))
    if mapped.per_teacher:  # (its own word of a school given twice: the rows that disagree)
        out = _one_row_per_school(file, out, written, table.fields)
    else:
        _check_unique(file, table, out, written)
        said += _alike_keys(file, table, out, written)
    blank = blank_warnings(file, table, written, {n: len(e) for n, e in empties.items()}, empties, len(out),
                           ids=_ids_of(out, table, empties))
    said += [uncomputed_kept_warning(file, name, lines) for name, lines in uncomputed.items() if name in table.carried]
    blank += early_start_notes(file, written, dated or ())
    said += (subtotals.warnings(file, table.name) if subtotals is not None else []) + grouped.warnings(file)
    return LoadedTable(out, list(mapped.problems), written, mapped.warnings + said
                       + unheaded.warnings(file, header if records else None)
                       + (gone.warnings(file) if gone is not None else []) + blank,
                       mapped.assumptions)


def _ids_of(rows: list[RosterRow], table: S.Table, lines: Mapping[str, Sequence[int]]) -> dict[str, list[object]]:
    """The ids (``ID_FIELDS``) of the rows on each column's first ``ROWS_NAMED`` ``lines``, as a
    warning of those rows names them."""
    wanted = {line for each in lines.values() for line in each[:ROWS_NAMED]}
    if not wanted:
        return {}
    key = ID_FIELDS[table.name]
    at = {row.line: row.values.get(key) for row in rows if row.line in wanted}
    return {name: [at.get(line) for line in each[:ROWS_NAMED]] for name, each in lines.items()}


def _alike_keys(file: str, table: S.Table, rows: list[RosterRow], written: Mapping[str, str]) -> list[RosterProblem]:
    """``alike_key_warnings`` of each unique field of the rows."""
    return _alike_in(file, table, written, ((row.line, row.values) for row in rows))


def records_alike_warnings(file: str, table: S.Table, mapped: HeaderMap, records: Sequence[Mapping]
                           ) -> list[RosterProblem]:
    """``alike_key_warnings`` of records (the service's lists, numbered from 1; ``mapped``: their
    keys' ``map_header``, each field's value looked up by its key as given), whichever reader
    then reads them, as ``records_blank_warnings`` says the blanks."""
    keys = {f.name: mapped.keys[f.name] for f in table.fields if f.unique and f.name in mapped.keys}  # (the ids: a few)
    return _alike_in(file, table, mapped.written, ((k, {name: _text(record.get(key)) or None
                                                        for name, key in keys.items()})
                                                   for k, record in enumerate(records, 1)))


def records_reading_notes(file: str, table: S.Table, mapped: HeaderMap, records: Sequence[Mapping],
                          lines: Sequence[int] | None = None, header: Sequence[str] | None = None
                          ) -> list[RosterProblem]:
    """What the row reader says of a file's rows beside their problems, said of records (the
    service's lists, numbered from 1; ``mapped``: their keys' ``map_header``), whichever reader then
    reads them: teachers at the school before starting work (R050) and a key nothing reads noting
    that someone has left (R051), a key with no name (`""`) that records give a value (R042, as a
    column with no header). A value that does not read is its row's own problem, not here. ``lines``:
    the records' rows, when they are some of a table's (those of its rows with a note), not 1, 2, …;
    ``header``: ``records_header(records)``, when the caller has it (a look at every key)."""
    notes: list[RosterProblem] = []
    numbered = list(zip(lines, records) if lines is not None else enumerate(records, 1))
    header = records_header(records) if header is None else header
    if any(not header_name(key) for key in header):  # (a client's key made of an empty header cell)
        unheaded = Unheaded(header, beyond=False)
        for k, record in numbered:
            unheaded.look([record.get(key) for key in header], k)
        notes += unheaded.warnings(file, keys=header)
    if all(name in mapped.keys for name in EARLY_START):
        (school_key, read_school), (work_key, read_work) = [
            (mapped.keys[name], column_reader(table.field(name), records=True)) for name in EARLY_START]
        id_key = mapped.keys.get(ID_FIELDS[table.name])

        def dated() -> Iterator[tuple[int, object, object, object]]:  # (one loop: a batch of 1,000 is 2,000 dates)
            for k, record in numbered:
                try:
                    school, work = read_school(record.get(school_key)), read_work(record.get(work_key))
                except (ValueError, TypeError, OverflowError):  # (its row's own problem)
                    school = work = None
                yield k, record.get(id_key) if id_key else None, school, work

        notes += early_start_notes(file, mapped.written, dated())
    if table.name == "teacher" and mapped.extras:
        gone = GoneNotes()
        for column, name in mapped.extras.items():
            for k, record in numbered:
                gone.look(name, _text(record.get(header[column])) or None, k)
        notes += gone.warnings(file)
    return notes


def early_start_notes(file: str, written: Mapping[str, str], dated: Iterable[tuple[int, object, object, object]],
                      counts: tuple[int, int] | None = None) -> list[RosterProblem]:
    """R050 of the rows ``dated`` (line, id, school_start, work_start, each as read), if any is at the
    school before starting work: a file's rows, the service's records and the API's tables counted alike.
    ``counts``: (the rows at the school before starting work, the rows giving both dates) of a whole
    table when ``dated`` holds only the first of those rows (an API table's, counted by polars)."""
    early, both = [], 0
    for line, ident, school_start, work_start in dated:
        if school_start is not None and work_start is not None:
            both += 1
            if starts_before_work(school_start, work_start):
                early.append((line, ident))
    count, both = counts if counts is not None else (len(early), both)
    shown = early[:ROWS_NAMED]
    return [early_start_warning(file, written, [line for line, _ in shown], count, both,
                                [ident for _, ident in shown])] if count else []


def _alike_in(file: str, table: S.Table, written: Mapping[str, str], rows: Iterable[tuple[int, Mapping]]
              ) -> list[RosterProblem]:
    rows = list(rows)
    warnings = []
    for field in table.fields:
        if field.unique and field.name in written:
            firsts: dict[str, int] = {}
            for line, values in rows:
                key = values.get(field.name)
                if isinstance(key, str):
                    firsts.setdefault(key, line)
            warnings += alike_key_warnings(file, field, written[field.name], firsts)
    return warnings


def blank_warnings(file: str, table: S.Table, written: Mapping[str, str], counts: Mapping[str, int],
                   lines: Mapping[str, Sequence[int]], rows: int, unknown: Collection[str] = (),
                   ids: Mapping[str, Sequence[object]] | None = None) -> list[RosterProblem]:
    """What the empty cells of the columns ``blank_reads_as`` reads say of ``rows`` rows (``counts``:
    each column's empty cells; ``lines``: the lines of at least its first ``ROWS_NAMED``): R027 for
    each column empty in every row, then R033 for each filled but for a few (``few_blanks``), or
    for any number of them in the columns ``unknown`` names (a JSON null: a value not known, not
    a cell left empty by a roster's habit). ``ids``: the ids (``ID_FIELDS``) of each column's
    first ``lines``, which R033 names beside them."""
    if not rows:
        return []
    ids = ids or {}
    return [blank_column_warning(file, table.field(n), written[n], table.name) for n in counts if counts[n] == rows] + [
        few_blanks_warning(file, table.field(n), written[n], lines[n][:ROWS_NAMED], counts[n], table.name,
                           ids.get(n, ()))
        for n in counts if few_blanks(counts[n], rows, (table.name, n) in S.USUALLY_YES)
        or (n in unknown and 0 < counts[n] < rows)]


def records_blank_warnings(file: str, table: S.Table, mapped: HeaderMap, records: Sequence[Mapping]
                           ) -> list[RosterProblem]:
    """``blank_warnings`` of records (the service's JSON lists, rows numbered from 1, as
    ``roster_from_records`` numbers them; ``mapped``: their keys' ``map_header``, each field's
    value looked up by its key as given, `` 孕期`` too), whichever reader then reads them: a key
    given null or blank in a few records reads as the contract's empty value, as a file's empty
    cell does; a key given null (a Java client's Boolean not known) is said in any number of
    records but all."""
    empties, unknown = {}, set()
    for field in blank_reads_as(table):
        if field.name in mapped.keys:
            key = mapped.keys[field.name]
            empties[field.name] = [k for k, record in enumerate(records, 1) if not _filled(record.get(key))]
            if any(key in records[k - 1] and records[k - 1][key] is None for k in empties[field.name]):
                unknown.add(field.name)
    id_key = mapped.keys.get(ID_FIELDS[table.name])
    ids = {n: [records[k - 1].get(id_key) for k in e[:ROWS_NAMED]] for n, e in empties.items()} if id_key else {}
    return blank_warnings(file, table, mapped.written, {n: len(e) for n, e in empties.items()}, empties,
                          len(records), unknown, ids)


def _filled(raw: object) -> bool:
    """Whether a cell holds anything, readable or not (an empty cell reads as its field's empty value)."""
    if type(raw) is str and raw and raw[0] not in TRIMMED:  # the usual cell, at once: a text not starting blank
        return True
    return isinstance(raw, Uncomputed) or bool(_text(raw))


_NONE_BLANK: frozenset[str] = frozenset()  # shared by the rows with no blank cell read as a value


def _add_problem(rows: list[RosterRow], k: int, problem: RosterProblem) -> None:
    """``problem`` added to row ``k``'s, unless the row is a totals row (R031), its one problem."""
    if not any(p.code == "R031" for p in rows[k].problems):
        rows[k] = attrs.evolve(rows[k], problems=rows[k].problems + (problem,))


def _check_unique(file: str, table: S.Table, rows: list[RosterRow], written: Mapping[str, str]) -> None:
    """Every occurrence of a unique key given more than once is a problem: the first names the
    next row with it, the others the first."""
    for field in table.fields:
        if not field.unique or field.name not in written:
            continue
        found: dict[object, list[int]] = {}
        for k, row in enumerate(rows):
            key = row.values.get(field.name)
            if key is not None:
                found.setdefault(key, []).append(k)
        for key, ks in found.items():
            if len(ks) < 2:
                continue
            first, second = rows[ks[0]].line, rows[ks[1]].line
            for k in ks:
                other = second if rows[k].line == first else first
                _add_problem(rows, k, duplicate_problem(file, rows[k].line, written[field.name], field, key, other))


def unusable_schools(rows: Iterable[RosterRow]) -> dict[object, int]:
    """The school ids with a row that has problems, and the first such row: a teacher of
    such a school is not decided (R014). A school given twice is one of them: which of its
    rows is right is not known."""
    bad: dict[object, int] = {}
    for row in rows:
        school_id = row.values.get("school_id")
        if school_id is not None and row.problems and school_id not in bad:
            bad[school_id] = row.line
    return bad


def _check_schools(teachers: LoadedTable, schools: LoadedTable, file: str, school_file: str) -> None:
    """Each teacher's school: in the schools table (R005), with a row that has no problems (R014)."""
    header = teachers.headers["school_id"]
    known = {r.values["school_id"]: r.values.get("name") for r in schools.rows if r.values.get("school_id") is not None}
    bad = unusable_schools(schools.rows)
    for k, row in enumerate(teachers.rows):
        school_id = row.values.get("school_id")
        if school_id is None:
            continue
        if schools.problems:  # the file itself: no row of it can be used
            _add_problem(teachers.rows, k, school_row_problem(file, row.line, header, school_id, school_file, None,
                                                              schools.sheet))
        elif school_id in bad:
            _add_problem(teachers.rows, k, school_row_problem(file, row.line, header, school_id, school_file,
                                                              bad[school_id], schools.sheet))
        elif school_id not in known:
            _add_problem(teachers.rows, k, unknown_school_problem(file, row.line, header, school_id, known))


def load_table(path: str | Path, table: S.Table, encoding: str | None = None) -> LoadedTable:
    """One table: its rows (each with its own problems), the file-level problems, the
    header of each canonical field as written in the file, and what the header lacks."""
    path = Path(path)
    try:
        header, rows, shape = _read(path, encoding, table)
    except BaseException as exc:  # noqa: BLE001 - a corrupt xlsx or parquet raises library-specific errors
        if not unreadable_error(exc):
            raise
        return LoadedTable([], [unreadable_problem(str(path), exc)], {})
    loaded = _normalise(str(path), table, header, rows, _first_line(path) + shape.above, shape)
    return _on_sheet(attrs.evolve(loaded, sheet=shape.sheet)) if shape.sheet is not None else loaded


def _on_sheet(loaded: LoadedTable) -> LoadedTable:
    """``loaded``'s problems naming the sheet they are on (``RosterProblem.sheet``), those of a
    row and of its columns (a column the sheet lacks: which sheet is to have it), but R020, which
    says which sheet was read: the same workbook may hold the other table on another sheet, its
    rows numbered alike. Again after the cross-checks, for the problems they add."""
    def named(problems):
        return [attrs.evolve(p, sheet=loaded.sheet) if p.sheet is None and p.code != "R020" else p for p in problems]

    rows = [attrs.evolve(r, problems=tuple(named(r.problems))) if r.problems else r for r in loaded.rows]
    return attrs.evolve(loaded, rows=rows, problems=named(loaded.problems), warnings=named(loaded.warnings))


def _assemble(teachers: LoadedTable, schools: LoadedTable, teacher_file: str, school_file: str) -> Roster:
    """Cross-check the tables and collect every problem. A file-level problem (a missing
    or doubled column) makes every row of its table undecidable, so those rows carry it."""
    if "school_id" in teachers.headers:
        _check_schools(teachers, schools, teacher_file, school_file)
        if teachers.sheet is not None:  # the teachers' rows' new problems (R005, R014) name their sheet too
            teachers = _on_sheet(teachers)
    problems = teachers.problems + schools.problems
    problems += [p for r in schools.rows for p in r.problems]
    problems += [p for r in teachers.rows for p in r.problems]

    def with_file_problems(loaded: LoadedTable) -> list[RosterRow]:
        extra = tuple(loaded.problems)
        return [attrs.evolve(r, problems=r.problems + extra) for r in loaded.rows] if extra else loaded.rows

    school_rows = with_file_problems(schools)
    return Roster(tuple(with_file_problems(teachers)),
                  {r.values["school_id"]: r.values for r in school_rows if r.valid},
                  tuple(problems), teacher_file, school_file, tuple(teachers.warnings + schools.warnings),
                  teachers.assumptions + schools.assumptions)


def _tables(teacher_extra: Sequence[S.Field], school_extra: Sequence[S.Field],
            tables: tuple[S.Table, S.Table] | None) -> tuple[S.Table, S.Table]:
    return tables or (S.TEACHERS.with_extra(tuple(teacher_extra)), S.SCHOOLS.with_extra(tuple(school_extra)))


def load_roster(teachers: str | Path, schools: str | Path, *, encoding: str | None = None,
                teacher_extra: Sequence[S.Field] = (), school_extra: Sequence[S.Field] = (),
                tables: tuple[S.Table, S.Table] | None = None) -> Roster:
    """Read and validate both tables; every teacher row is kept, with its problems.
    ``tables``: the tables as read for a policy (see ``io.columns.reading_tables``)."""
    teacher_table, school_table = _tables(teacher_extra, school_extra, tables)
    t = load_table(teachers, teacher_table, encoding)
    s = load_table(schools, school_table, encoding)
    return _assemble(t, s, str(teachers), str(schools))


RECORDS = "<records>"  # the file records in memory are read as


TEACHER_RECORDS, SCHOOL_RECORDS = "<teachers>", "<schools>"  # ... each list its own, so a problem says which


def roster_from_records(teachers: Iterable[Mapping], schools: Iterable[Mapping], *,
                        teacher_extra: Sequence[S.Field] = (), school_extra: Sequence[S.Field] = (),
                        tables: tuple[S.Table, S.Table] | None = None, source: str | None = None) -> Roster:
    """The same reading and validation for records already in memory (the embedding
    API); values may be typed already or text. Rows are numbered from 1; a problem's file is
    ``<teachers>`` or ``<schools>`` (``source`` for both, if given)."""
    teacher_table, school_table = _tables(teacher_extra, school_extra, tables)
    teacher_source, school_source = (source, source) if source else (TEACHER_RECORDS, SCHOOL_RECORDS)
    t = table_from_records(teachers, teacher_table, teacher_source)
    s = table_from_records(schools, school_table, school_source)
    return _assemble(t, s, teacher_source, school_source)


def table_from_records(records: Iterable[Mapping], table: S.Table, source: str = RECORDS) -> LoadedTable:
    """One table of records in memory, read as ``roster_from_records`` reads it."""
    header, rows = _records_table(records)
    if not rows:  # no records: no one, not a table lacking every column (a file has a header; a list none)
        return LoadedTable([], [], {})
    return _normalise(source, table, header, rows, 1)


# ---- values stated for absent columns ---------------------------------------------------


_TABLE_PREFIXES = {"teacher.": "teacher", "教师.": "teacher", "school.": "school", "学校.": "school",
                   "学校．": "school"}


def table_and_name(key: str, tables: tuple[S.Table, S.Table]) -> tuple[str, str]:
    """The table a column named outside a file belongs to (``--assume``, ``try``'s pairs), and its
    name there: ``school.编制`` and ``学校.编制`` the schools', a school's column by its own name
    when no teacher column has it (``编制``), any other name the teachers'."""
    prefix = next((p for p in _TABLE_PREFIXES if key.startswith(p)), None)
    if prefix is not None:
        return _TABLE_PREFIXES[prefix], key[len(prefix):]
    if tables[0].header_field(key) is None and tables[1].header_field(key) is not None:
        return "school", key
    return "teacher", key


class RosterError(ValueError):
    """Input records have problems; ``problems`` lists every one."""

    def __init__(self, problems: Iterable[RosterProblem]):
        self.problems = tuple(problems)
        first = self.problems[0] if self.problems else None
        super().__init__(f"{len(self.problems)} problem(s) in the records"
                         + (f"; first: {first.message('en')}" if first else ""))


class AssumptionError(RosterError):
    """A stated value (``--assume``, ``Policy.assuming``, a request's ``assume``) that names no column
    or is not of its column's type: a ``RosterError`` of one problem, with its code (``code``): R015
    for values that are no mapping of columns, R043 for a column this policy neither declares nor
    reads, R010 for two values stated for one column, a cell's own for a value its column refuses
    (R002, R003, R006, R017 …). ``key``: the key as stated, where one is at fault; the message is
    the problem's, in either language (``message``)."""

    def __init__(self, by: S.Caller, code: str, en: str, zh: str, key: str | None = None, value: object = None):
        problem = RosterProblem(by.assume_en, None, key, None if value is None else str(value), code, en, zh)
        super().__init__([problem])
        # the problem's texts, masked as every problem's are (an ID number stated for two keys is quoted)
        self.message_en, self.message_zh, self.key, self.code = problem.message_en, problem.message_zh, key, code
        self.args = (self.message_en,)  # (str() is the message, as it always was)

    def message(self, lang: str = "en") -> str:
        return self.message_zh if lang == "zh" else self.message_en


def _refused(by: S.Caller, key: str, problem: RosterProblem) -> AssumptionError:
    """A stated value refused as a cell of its column would be, named as the caller stated it."""
    return AssumptionError(by, problem.code, f"{by.assume_en} {key}: {problem.message_en}",
                           f"{by.assume_zh} {key}：{problem.message_zh}", key, problem.value)


def names_a_column(tables: tuple[S.Table, S.Table], key: str) -> bool:
    """Whether ``key`` (``nursing``, ``哺乳期``, ``school.area``) names a column of the tables."""
    table_name, name = table_and_name(key, tables)
    return next(t for t in tables if t.name == table_name).header_field(name) is not None


def with_assumptions(tables: tuple[S.Table, S.Table], values: Mapping[str, object], *,
                     strict: bool = False, open_ended: bool = False) -> tuple[S.Table, S.Table]:
    """The tables with the user's values for absent columns (``nursing=false``, ``哺乳期=否``,
    ``school.area=urban``), read as a cell of the column is read, taking precedence over a
    value the policy states; ``strict`` makes unknown headers errors. A message names the
    tables' caller's way of stating them. ``open_ended``: an empty value may be stated for a
    column no cell may leave empty (``try``, which then says the rules it leaves undecided)."""
    by = tables[0].caller
    if not isinstance(values, Mapping):
        given = type(values).__name__
        raise AssumptionError(by, "R015", f"{by.assume_en} takes columns mapped to values, not {given}",
                              f"{by.assume_zh} 应为“列名: 取值”的映射，而不是 {given}")
    stated: dict[str, list[S.Assumption]] = {t.name: [] for t in tables}
    said: dict[tuple[str, str], tuple[str, object]] = {}  # (table, field) -> as the caller wrote it, the value
    for key, value in values.items():
        key = key if isinstance(key, str) else repr(key)  # no column's name: said so below
        table_name, name = table_and_name(key, tables)
        table = next(t for t in tables if t.name == table_name)
        field = table.header_field(name)
        if field is None:
            hint = did_you_mean(name, [f.name for f in table.fields] + [f.zh for f in table.fields])
            raise AssumptionError(by, "R043", f"`{key}` is not a roster column"
                                  + (f"; did you mean `{hint}`?" if hint else ""),
                                  f"“{key}”不是名册的列" + (f"，是否应为“{hint}”？" if hint else ""), key)
        try:
            typed = value if isinstance(value, bool) and isinstance(field.type, T.BoolType) else cell_value(field, value)
        except (ValueError, TypeError, OverflowError):
            raise _refused(by, key, bad_value_problem(by.assume_en, 0, name, field, value)) from None
        if typed is None and field.must_fill and not open_ended:  # as a cell of the column may not be empty
            raise _refused(by, key, empty_required_problem(by.assume_en, 0, name, field))
        # a value no one has in a cell (a negative count, 2.5 schools) is no value to state for everyone
        for _, reason_en, reason_zh in implausible(table.name, {field.name: typed}, [field.name]):
            raise _refused(by, key, implausible_problem(by.assume_en, 0, name, field, value, reason_en, reason_zh))
        earlier = said.get((table.name, field.name))
        if earlier is not None and (earlier[1] != typed or type(earlier[1]) is not type(typed)):
            # one column, two values (2015-09 and 2015-09-01 too: a month and a day): which would decide?
            raise AssumptionError(
                by, "R010", f"{by.assume_en} states two values for the column `{field.name}`: `{earlier[0]}` and "
                f"`{key}={_as_written(value)}`; state one",
                f"{by.assume_zh} 为列“{field.zh}”给出了两个不同的取值：“{earlier[0]}”和“{key}={_as_written(value)}”，请只给出一个",
                key)
        if earlier is None:
            said[table.name, field.name] = (f"{key}={_as_written(value)}", typed)
            stated[table.name].append(S.Assumption(field.name, typed, "user", table=table.name, as_none=value is None))

    def table_with(table: S.Table) -> S.Table:
        mine = stated[table.name]
        kept = tuple(a for a in table.assumed if all(a.field != m.field for m in mine))
        return attrs.evolve(table, assumed=kept + tuple(mine), strict=strict)
    return table_with(tables[0]), table_with(tables[1])
