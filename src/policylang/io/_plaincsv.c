/* A plain CSV's cells, chunk by chunk, for the streamed reader (policylang/io/plaincsv.py).
 *
 * "Plain" is what columnar._plain_structure means: UTF-8, below the header every line of the
 * header's number of cells, none blank, and no cell holding a quote, an apostrophe, '=', a line
 * break or the separator (a cell may be wrapped in quotes: "" is an empty text, an unquoted empty
 * cell is none). This reader takes nothing else: at the first line that is not so it raises
 * NotPlain, and the caller reads the file by its lines (the csv module's way), as it does when
 * polars's read of such a file is not confirmed. It reads cells exactly as polars reads them
 * (tests/test_plaincsv.py holds the two, and the csv module, to the same cells).
 *
 * Each coded column (a date, yes/no, number or code: few distinct texts) is given as a code per
 * row into a table of its distinct texts, kept across chunks (code 0: no cell), and each new text
 * once; each free-text column (ids, names) as Arrow's string_view buffers (what polars holds: a
 * text of 12 bytes or fewer in its view, a longer one in one buffer beside), and whether any of
 * its cells may need trimming (an end in `edge`: the first bytes of the characters the text rules
 * trim) or is an empty text: where none does, the caller need not trim it. The tables' texts
 * point into the file's buffer, which the reader holds; a text written YYYY-MM-DD is found by its
 * day, not by hashing (a roster's dates are most of its distinct texts). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static PyObject *NotPlain;

typedef struct {
    const char *text;     /* in the file */
    uint64_t head[2];     /* its first 16 bytes, zero-padded: a short text compares here, not in the file */
    uint64_t hash;
    uint32_t len;
} Entry;

/* A word's low bytes are its first in memory (little-endian): masking a word read in place to a
 * text's first bytes is then a mask of its low bits. Elsewhere texts are compared byte by byte. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
#define WORDS_IN_PLACE (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
#elif defined(_WIN32)
#define WORDS_IN_PLACE 1  /* (every Windows is little-endian) */
#else
#define WORDS_IN_PLACE 0
#endif

static inline void head_of(const char *p, size_t n, uint64_t head[2]) {
    char b[16] = {0};
    memcpy(b, p, n < 16 ? n : 16);
    memcpy(head, b, 16);
}

/* head_of a text in a buffer ending at end: as two words read in place, masked to its bytes,
 * where they stay in the buffer (a copy into a buffer of its own, read back before the copy is
 * done, stalls for a dozen cycles). */
static inline void head_in(const char *p, size_t n, const char *end, uint64_t head[2]) {
    if (!WORDS_IN_PLACE || end - p < 16) {
        head_of(p, n, head);
        return;
    }
    memcpy(head, p, 16);
    if (n < 8) {
        head[0] &= (1ull << (8 * n)) - 1;
        head[1] = 0;
    } else if (n < 16) {
        head[1] &= (1ull << (8 * (n - 8))) - 1;
    }
}

/* Whether the entry's text is p[0:n] (its hash being p's), p in a buffer ending at end. */
static inline int entry_is(const Entry *e, const char *p, size_t n, const char *end) {
    if (e->len != n) return 0;
    uint64_t head[2];
    head_in(p, n, end, head);
    if (head[0] != e->head[0] || head[1] != e->head[1]) return 0;
    return n <= 16 || memcmp(e->text + 16, p + 16, n - 16) == 0;
}

typedef struct {
    Entry *entries;       /* the distinct texts in the order met: code k + 1 is entries[k] */
    size_t count, room;
    uint32_t *slots;      /* open addressing: 0 empty, else an index + 1 into entries */
    size_t mask;
    size_t hashed;        /* entries in slots */
    size_t handed;        /* entries already handed to Python */
    const char *last;     /* the last cell read, and its code: a column often repeats a value */
    uint32_t last_len, last_code;
    uint32_t *days;       /* the codes of texts written YYYY-MM-DD (years DAYS_FROM on), by day: no hashing */
} Table;

#define DAYS_FROM 1800
#define DAYS_YEARS 400
#define DAYS (DAYS_YEARS * 12 * 31)

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The slot in `days` of a text written YYYY-MM-DD, or -1. (Not every slot is a real date: the
 * text is only a key, as any other; what it means is read in Python.) */
static inline long day_slot(const char *p, size_t n) {
    if (n != 10 || p[4] != '-' || p[7] != '-' || !is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]) || !is_digit(p[3])
        || !is_digit(p[5]) || !is_digit(p[6]) || !is_digit(p[8]) || !is_digit(p[9]))
        return -1;
    long y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0') - DAYS_FROM;
    long m = (p[5] - '0') * 10 + (p[6] - '0') - 1, d = (p[8] - '0') * 10 + (p[9] - '0') - 1;
    if (y < 0 || y >= DAYS_YEARS || m < 0 || m >= 12 || d < 0 || d >= 31) return -1;
    return (y * 12 + m) * 31 + d;
}

typedef struct {
    PyObject_HEAD
    Py_buffer view;
    int has_view;
    const char *data;
    Py_ssize_t size, pos, line;  /* line: the 0-based line at pos */
    int sep, width;
    char *coded;                 /* per column: 1 coded, 0 free text */
    uint8_t edge[256];           /* the first bytes of the characters trimmed from a cell's ends */
    Table *tables;
    int busy;                    /* a read is under way (on another thread, the GIL released) */
} Reader;

static inline uint64_t hash_of(const char *p, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h ^= w;  /* then murmur3's finaliser: every bit of the text moves the slot's low bits */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

/* Whether a[0:n] == b[0:n]: the texts are short, and a call to memcmp costs more than the compare. */
static inline int same(const char *a, const char *b, size_t n) {
    while (n >= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y) return 0;
        a += 8; b += 8; n -= 8;
    }
    while (n--)
        if (*a++ != *b++) return 0;
    return 1;
}

/* Whether a[0:n] == b[0:n] for n <= 16, both in the buffer ending at end (a is mostly the
 * earlier text, but not after a read undone: ``Reader_read``): their heads as ``head_in`` reads
 * them, each within the buffer. */
static inline int same_short(const char *a, const char *b, size_t n, const char *end) {
    if (!WORDS_IN_PLACE) return same(a, b, n);
    uint64_t x[2], y[2];
    head_in(a, n, end, x);
    head_in(b, n, end, y);
    return x[0] == y[0] && x[1] == y[1];
}

static int table_grow(Table *t) {
    size_t slots = (t->mask + 1) * 2;
    uint32_t *s = calloc(slots, sizeof(uint32_t));
    if (!s) return -1;
    for (size_t k = 0; k < t->count; k++) {
        if (day_slot(t->entries[k].text, t->entries[k].len) >= 0) continue;  /* (in ``days``) */
        size_t i = t->entries[k].hash & (slots - 1);
        while (s[i]) i = (i + 1) & (slots - 1);
        s[i] = (uint32_t)(k + 1);
    }
    free(t->slots);
    t->slots = s;
    t->mask = slots - 1;
    return 0;
}

/* The code of a text (a new one is added): 0 when memory runs out. */
static uint32_t add_entry(Table *t, const char *p, uint32_t n, uint64_t h);

#define FEW 8

static uint32_t table_code(Table *t, const char *p, uint32_t n, const char *end) {
    if (t->last && t->last_len == n && (n <= 16 ? same_short(t->last, p, n, end) : same(t->last, p, n)))
        return t->last_code;
    long day = day_slot(p, n);
    if (day >= 0) {
        if (!t->days && !(t->days = calloc(DAYS, sizeof(uint32_t)))) return 0;
        uint32_t code = t->days[day];
        if (!code && (code = add_entry(t, p, n, 0))) t->days[day] = code;
        return code;
    }
    if (t->count <= FEW && n <= 16) {  /* few texts yet (yes/no, a code): compared, not hashed */
        for (size_t k = 0; k < t->count; k++) {
            const Entry *e = &t->entries[k];
            if (e->len == n && same_short(e->text, p, n, end)) {
                t->last = p; t->last_len = n; t->last_code = (uint32_t)(k + 1);
                return (uint32_t)(k + 1);
            }
        }
    }
    if (!t->slots) {  /* (made at the first text hashed: a reader of many coded columns costs little before) */
        if (!(t->slots = calloc(1024, sizeof(uint32_t)))) return 0;
        t->mask = 1023;
    }
    uint64_t h = hash_of(p, n);
    size_t i = h & t->mask;
    while (t->slots[i]) {
        Entry *e = &t->entries[t->slots[i] - 1];
        if (e->hash == h && entry_is(e, p, n, end)) {
            t->last = p; t->last_len = n; t->last_code = t->slots[i];
            return t->slots[i];
        }
        i = (i + 1) & t->mask;
    }
    uint32_t code = add_entry(t, p, n, h);
    if (!code) return 0;
    t->slots[i] = code;
    if (++t->hashed * 2 > t->mask + 1 && table_grow(t) < 0) {  /* (taken back: the table as before) */
        t->slots[i] = 0;
        t->hashed--;
        t->count--;
        return 0;
    }
    t->last = p; t->last_len = n; t->last_code = code;
    return code;
}

/* A new text's code (0 when memory runs out). A date's (``days``) is in no slot: h is not read. */
static uint32_t add_entry(Table *t, const char *p, uint32_t n, uint64_t h) {
    if (t->count == t->room) {
        size_t room = t->room ? t->room * 2 : 64;
        Entry *e = realloc(t->entries, room * sizeof(Entry));
        if (!e) return 0;
        t->entries = e;
        t->room = room;
    }
    t->entries[t->count] = (Entry){.text = p, .hash = h, .len = n};
    head_of(p, n, t->entries[t->count].head);
    return (uint32_t)++t->count;
}

/* Whether p[0:n] is well-formed UTF-8 (as Rust's from_utf8, which polars applies). */
static int utf8_ok(const unsigned char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) { i++; continue; }
        size_t k;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) { k = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { k = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { k = 3; cp = c & 0x07; }
        else return 0;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (p[i + j] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + j] & 0x3F);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* Whether a cell's first or last character may be one the text rules trim: its first byte is one of
 * `edge`'s (a conservative test: U+3000 and U+3001 begin alike). */
static inline int edged(const uint8_t *edge, const unsigned char *p, size_t n) {
    if (edge[p[0]]) return 1;
    size_t i = n - 1;
    while (i > 0 && n - i < 4 && (p[i] & 0xC0) == 0x80) i--;  /* back to the last character's first byte */
    return edge[p[i]];
}

static int ascii_only(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i] & 0x80) return 0;
    return 1;
}

static void tables_free(Table *tables, int width) {
    if (!tables) return;
    for (int c = 0; c < width; c++) {
        free(tables[c].entries);
        free(tables[c].slots);
        free(tables[c].days);
    }
    free(tables);
}

static void Reader_dealloc(Reader *self) {
    tables_free(self->tables, self->width);
    free(self->coded);
    if (self->has_view) PyBuffer_Release(&self->view);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Reader(data, start, line, separator, coded, edge=b""): data, a buffer holding the file (an mmap);
 * start, the offset of the first record's line (0 to the buffer's size); line, its 0-based line;
 * coded, per column whether it is coded; edge, the bytes that begin a character trimmed from a
 * cell's ends (none given: every cell may need trimming). Everything is checked before the
 * reader takes any of it: a reader whose making failed holds nothing, reads nothing (and may be
 * made again). */
static int Reader_init(Reader *self, PyObject *args, PyObject *kwds) {
    PyObject *data, *coded, *seq = NULL;
    Py_ssize_t start, line, width = 0;
    int sep;
    char *codes = NULL;
    Table *tables = NULL;
    Py_buffer view;
    const char *edge = NULL;
    Py_ssize_t edges = 0;
    static char *kw[] = {"data", "start", "line", "separator", "coded", "edge", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OnnCO|y#", kw, &data, &start, &line, &sep, &coded, &edge, &edges))
        return -1;
    if (self->has_view || self->tables) {
        PyErr_SetString(PyExc_RuntimeError, "a reader is made once");
        return -1;
    }
    if (sep > 0x7f || sep == '"' || sep == '\n' || sep == '\r') {
        PyErr_SetString(PyExc_ValueError, "the separator is one ASCII character other than a quote or line break");
        return -1;
    }
    /* (a tuple of its own: a __bool__ below cannot shorten it under the loop, as it could a list) */
    if (!(seq = PySequence_Tuple(coded))) return -1;
    width = PyTuple_GET_SIZE(seq);
    if (width < 1 || width > 1 << 16) {
        PyErr_SetString(PyExc_ValueError, "a file of 1 to 65536 columns");
        goto fail;
    }
    codes = calloc(width, 1);
    tables = calloc(width, sizeof(Table));
    if (!codes || !tables) { PyErr_NoMemory(); goto fail; }
    for (Py_ssize_t c = 0; c < width; c++) {
        int truth = PyObject_IsTrue(PyTuple_GET_ITEM(seq, c));
        if (truth < 0) goto fail;
        codes[c] = (char)truth;
    }
    Py_CLEAR(seq);
    if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) goto fail;
    if (start < 0 || start > view.len) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "start is an offset in the data");
        goto fail;
    }
    if (self->has_view || self->tables) {  /* (made meanwhile, by a __bool__ or a buffer's export) */
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_RuntimeError, "a reader is made once");
        goto fail;
    }
    self->view = view;
    self->has_view = 1;
    self->data = view.buf;
    self->size = view.len;
    self->pos = start;
    self->line = line;
    self->sep = sep;
    self->width = (int)width;
    self->coded = codes;
    memset(self->edge, edges ? 0 : 1, sizeof self->edge);
    for (Py_ssize_t k = 0; k < edges; k++) self->edge[(uint8_t)edge[k]] = 1;
    self->tables = tables;
    return 0;
fail:
    Py_XDECREF(seq);
    free(codes);
    tables_free(tables, (int)width);
    return -1;
}

typedef struct {
    PyObject *codes;          /* coded column: bytes of uint32, one a row, written in place */
    PyObject *views;          /* free-text column: Arrow's string views, 16 bytes a row */
    char *bytes;              /* its texts longer than a view holds */
    size_t used, room;
    uint8_t *valid;           /* its validity bits (Arrow's) */
    Py_ssize_t nulls;
    int edged;                /* a cell may need trimming, or is an empty text */
} Out;

enum { OK = 0, BAD_LINE = 1, NO_MEMORY = 2 };

/* Up to `rows` records from pos; *why names what is not plain at line *line. */
static int read_rows(Reader *r, Py_ssize_t rows, Out *out, Py_ssize_t *read, const char **why) {
    const char *d = r->data;
    uint8_t stop[256] = {0};  /* the bytes that end an unquoted cell's text (or should not be in it) */
    stop[(uint8_t)r->sep] = stop['\n'] = stop['\r'] = stop['"'] = 1;
    stop['\''] = stop['='] = 1;  /* '0012 and ="0012" for Excel: the caller reads such a file by its lines */
    Py_ssize_t pos = r->pos, size = r->size, n = 0;
    const int sep = r->sep, width = r->width;
    while (n < rows && pos < size) {
        if (d[pos] == '\n' || d[pos] == '\r') { *why = "a blank line"; goto bad; }
        for (int c = 0; c < width; c++) {
            const char *text;
            size_t len;
            int quoted = 0;
            if (pos < size && d[pos] == '"') {  /* (pos is size after a separator ending the file) */
                Py_ssize_t q = pos + 1;
                while (q < size && !stop[(uint8_t)d[q]]) q++;
                if (q >= size || d[q] != '"') {
                    *why = "a quoted cell holds a separator, a line break, an apostrophe or =, or is not closed";
                    goto bad;
                }
                text = d + pos + 1;
                len = (size_t)(q - pos - 1);
                pos = q + 1;
                quoted = 1;
            } else {
                Py_ssize_t q = pos;
                while (q < size && !stop[(uint8_t)d[q]]) q++;
                if (q < size && (d[q] == '"' || d[q] == '\'' || d[q] == '=')) {
                    *why = "a quote, an apostrophe or = in a cell";
                    goto bad;
                }
                text = d + pos;
                len = (size_t)(q - pos);
                pos = q;
            }
            if (c < width - 1) {
                if (pos >= size || d[pos] != sep) { *why = "a line with fewer cells than the header"; goto bad; }
                pos++;
            } else if (pos < size) {
                if (d[pos] == '\n') pos++;
                else if (d[pos] == '\r' && pos + 1 < size && d[pos + 1] == '\n') pos += 2;
                else if (d[pos] == '\r' && pos + 1 == size) pos++;  /* (the file's last line ended so: polars reads it so) */
                else { *why = d[pos] == sep ? "a line with more cells than the header" : "a stray quote or carriage return"; goto bad; }
            }
            if (len > UINT32_MAX) { *why = "a cell of 4 GiB"; goto bad; }
            Out *o = &out[c];
            if (r->coded[c]) {
                if (!quoted && len == 0) {
                    ((uint32_t *)PyBytes_AS_STRING(o->codes))[n] = 0;
                    continue;
                }
                Table *t = &r->tables[c];
                size_t before = t->count;
                uint32_t code = table_code(t, text, (uint32_t)len, d + size);
                if (!code) return NO_MEMORY;
                if (t->count != before && !utf8_ok((const unsigned char *)text, len)) { *why = "a cell not in UTF-8"; goto bad; }
                ((uint32_t *)PyBytes_AS_STRING(o->codes))[n] = code;
            } else {
                uint8_t *view = (uint8_t *)PyBytes_AS_STRING(o->views) + 16 * n;
                memset(view, 0, 16);
                if (!quoted && len == 0) {
                    o->valid[n >> 3] &= (uint8_t)~(1u << (n & 7));
                    o->nulls++;
                } else {
                    if (!o->edged && (len == 0 || edged(r->edge, (const unsigned char *)text, len))) o->edged = 1;
                    if (!ascii_only((const unsigned char *)text, len) && !utf8_ok((const unsigned char *)text, len)) {
                        *why = "a cell not in UTF-8";
                        goto bad;
                    }
                    uint32_t length = (uint32_t)len;
                    memcpy(view, &length, 4);
                    if (len <= 12) {
                        memcpy(view + 4, text, len);
                    } else {  /* its first 4 bytes, its buffer (the one), and where in it */
                        if (o->used + len > INT32_MAX) { *why = "more than 2 GiB of long texts in a column"; goto bad; }
                        if (o->used + len > o->room) {
                            size_t room = (o->room + len) * 2;
                            char *b = realloc(o->bytes, room);
                            if (!b) return NO_MEMORY;
                            o->bytes = b;
                            o->room = room;
                        }
                        uint32_t buffer = 0, at = (uint32_t)o->used;
                        memcpy(view + 4, text, 4);
                        memcpy(view + 8, &buffer, 4);
                        memcpy(view + 12, &at, 4);
                        memcpy(o->bytes + o->used, text, len);
                        o->used += len;
                    }
                }
            }
        }
        n++;
        r->line++;
    }
    r->pos = pos;
    *read = n;
    return OK;
bad:
    *read = n;
    return BAD_LINE;
}

static void outs_free(Out *out, int width) {
    for (int c = 0; c < width; c++) {
        Py_XDECREF(out[c].codes);
        Py_XDECREF(out[c].views);
        free(out[c].bytes);
        free(out[c].valid);
    }
    free(out);
}

/* A column's new texts (since the last chunk), as str: handed once the whole chunk is made. */
static PyObject *new_texts(Table *t) {
    PyObject *texts = PyList_New((Py_ssize_t)(t->count - t->handed));
    if (!texts) return NULL;
    for (size_t k = t->handed; k < t->count; k++) {
        PyObject *s = PyUnicode_DecodeUTF8(t->entries[k].text, t->entries[k].len, "strict");
        if (!s) { Py_DECREF(texts); return NULL; }
        PyList_SET_ITEM(texts, (Py_ssize_t)(k - t->handed), s);
    }
    return texts;
}

/* The next `rows` records, or None at the end of the file: (rows read, a list with, per column,
 * either (codes, new texts) or (views, long texts, validity or None, nulls, whether a cell may need trimming)). */
static PyObject *Reader_read(Reader *self, PyObject *arg) {
    Py_ssize_t rows = PyLong_AsSsize_t(arg);
    if (rows == -1 && PyErr_Occurred()) return NULL;
    if (rows < 1 || rows > PY_SSIZE_T_MAX / 16) { PyErr_SetString(PyExc_ValueError, "read at least one row"); return NULL; }
    if (!self->has_view) { PyErr_SetString(PyExc_RuntimeError, "the reader is closed (or was not made)"); return NULL; }
    if (self->busy) { PyErr_SetString(PyExc_RuntimeError, "one read at a time"); return NULL; }
    if (self->pos >= self->size) Py_RETURN_NONE;
    int width = self->width;
    /* a record takes at least a byte a cell (a separator or its line break; the last record's last cell
     * none): no more rows than that are made room for, whatever was asked (a small file read in big chunks) */
    if (rows > (self->size - self->pos) / width + 1) rows = (self->size - self->pos) / width + 1;
    PyObject *result = NULL, *chunk;
    Py_ssize_t read = 0, pos = self->pos, line = self->line;  /* (where this read began: see ``undo``) */
    const char *why = NULL;
    int status = OK;
    Out *out = calloc(width, sizeof(Out));
    if (!out) return PyErr_NoMemory();
    for (int c = 0; c < width; c++) {
        if (self->coded[c]) {
            if (!(out[c].codes = PyBytes_FromStringAndSize(NULL, rows * (Py_ssize_t)sizeof(uint32_t)))) goto fail;
        } else {
            out[c].views = PyBytes_FromStringAndSize(NULL, rows * 16);
            out[c].valid = malloc((rows + 7) / 8);
            out[c].room = self->size - self->pos < 1 << 16 ? (size_t)(self->size - self->pos) : 1 << 16;
            out[c].bytes = malloc(out[c].room);
            if (!out[c].views) goto fail;
            if (!out[c].valid || !out[c].bytes) { PyErr_NoMemory(); goto fail; }
            memset(out[c].valid, 0xff, (rows + 7) / 8);
        }
    }
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS  /* (the bytes written are this call's own, not yet seen by Python) */
    status = read_rows(self, rows, out, &read, &why);
    Py_END_ALLOW_THREADS
    self->busy = 0;
    if (status == NO_MEMORY) { PyErr_NoMemory(); goto fail; }
    if (status == BAD_LINE) {
        PyObject *exc = Py_BuildValue("(sn)", why, self->line);
        if (exc) { PyErr_SetObject(NotPlain, exc); Py_DECREF(exc); }
        self->pos = self->size;  /* nothing more is read */
        goto fail;
    }
    if (!(result = PyList_New(width))) goto fail;
    for (int c = 0; c < width; c++) {
        PyObject *item;
        Out *o = &out[c];
        if (self->coded[c]) {
            if (read < rows && _PyBytes_Resize(&o->codes, read * (Py_ssize_t)sizeof(uint32_t)) < 0) goto fail;
            PyObject *texts = new_texts(&self->tables[c]);
            if (!texts) goto fail;
            item = Py_BuildValue("(ON)", o->codes, texts);
        } else {
            if (read < rows && _PyBytes_Resize(&o->views, read * 16) < 0) goto fail;
            PyObject *valid;
            if (o->nulls) valid = PyBytes_FromStringAndSize((const char *)o->valid, (read + 7) / 8);
            else { valid = Py_None; Py_INCREF(valid); }
            if (!valid) goto fail;
            item = Py_BuildValue("(Oy#NnO)", o->views, o->bytes, (Py_ssize_t)o->used, valid, o->nulls,
                                 o->edged ? Py_True : Py_False);
        }
        if (!item) goto fail;
        PyList_SET_ITEM(result, c, item);
    }
    outs_free(out, width);
    chunk = Py_BuildValue("(nN)", read, result);
    result = NULL;  /* (given to the chunk, even when it is not made) */
    if (!chunk) goto undo;
    for (int c = 0; c < width; c++) self->tables[c].handed = self->tables[c].count;
    return chunk;
fail:
    Py_XDECREF(result);
    outs_free(out, width);
undo:  /* a chunk not made (no memory) is read again by the next read: its rows, and its new texts, not lost */
    if (status != BAD_LINE) {
        self->pos = pos;
        self->line = line;
    }
    return NULL;
}

/* lines(data): the lines of a file (the last may lack its line feed). */
static PyObject *lines(PyObject *module, PyObject *arg) {
    (void)module;
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    const char *p = view.buf, *end = p + view.len;
    Py_ssize_t count = 0;
    Py_BEGIN_ALLOW_THREADS
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        count++;
        p++;
    }
    Py_END_ALLOW_THREADS
    if (view.len && ((const char *)view.buf)[view.len - 1] != '\n') count++;
    PyBuffer_Release(&view);
    return PyLong_FromSsize_t(count);
}

static PyMethodDef module_methods[] = {
    {"lines", lines, METH_O, "The lines of a file (the last may lack its line feed)."},
    {NULL, NULL, 0, NULL},
};

/* close(): the file's buffer let go (its mmap can then close), and nothing more read. */
static PyObject *Reader_close(Reader *self, PyObject *unused) {
    (void)unused;
    if (self->busy) { PyErr_SetString(PyExc_RuntimeError, "a read is under way"); return NULL; }
    if (self->has_view) {
        PyBuffer_Release(&self->view);
        self->has_view = 0;
        self->data = NULL;
        self->size = self->pos = 0;
    }
    Py_RETURN_NONE;
}

static PyMethodDef Reader_methods[] = {
    {"read", (PyCFunction)Reader_read, METH_O, "The next rows' columns, or None at the end."},
    {"close", (PyCFunction)Reader_close, METH_NOARGS, "Let the file's buffer go."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ReaderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "policylang.io._plaincsv.Reader",
    .tp_basicsize = sizeof(Reader),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Reader_init,
    .tp_dealloc = (destructor)Reader_dealloc,
    .tp_methods = Reader_methods,
    .tp_doc = "A plain CSV's records, chunk by chunk.",
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_plaincsv", "A plain CSV's cells, read in C.", -1, module_methods,
};

PyMODINIT_FUNC PyInit__plaincsv(void) {
    if (PyType_Ready(&ReaderType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    NotPlain = PyErr_NewException("policylang.io._plaincsv.NotPlain", PyExc_ValueError, NULL);
    if (!NotPlain || PyModule_AddObjectRef(m, "NotPlain", NotPlain) < 0
        || PyModule_AddObjectRef(m, "Reader", (PyObject *)&ReaderType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
