/* The block reader of linter/parse/blockreader.py, compiled: the same subset, the same results.
 *
 * read(text, max_depth, max_nodes, resolved_first, plain, unescape)
 *   -> None when the text leaves the subset (the caller then uses the reference parser),
 *   -> (data, paths, positions, raw, jekyll, asked) otherwise: the marks as two columns, the
 *      path of each node in the order read and its (key line, key col, value line, value col)
 *      as four native long longs in bytes (a dictionary of 4-tuples is made only for a file that asks
 *      for its marks, see types.Parsed: most never do); raw and jekyll map the path of each plain
 *      scalar that is not a plain string to every reader to its text (raw: not a string;
 *      jekyll: a string Jekyll's readers read otherwise), in document order; asked lists
 *      (path, text, value, line, col) for those typed by the callback, which may be written
 *      in a YAML 1.1-only spelling (the caller checks them for problems).
 *
 * Plain scalars whose first character starts no YAML 1.1 implicit type nor a type of
 * Jekyll's readers (resolved_first) are strings. Of the others, the spellings articles are
 * made of are typed here (see type_plain: decimal integers, true/false, null, UTC times,
 * words); the rest by the Python callback plain(text) -> (value, typed). Double-quoted
 * scalars with a backslash are decoded by unescape(body), which raises when the escape is
 * outside the subset. tests/test_blockparse.py checks that this module and the Python
 * reader agree, and that each form typed here is typed as scalars.py types it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

typedef struct {
    Py_ssize_t col;
    /* borrowed: owned by its parent, or by the reader (root). Safe because a container is
       never replaced while its frame is open: duplicate keys leave the subset, and a list
       item replaced by PyList_SetItem is only ever its None placeholder. */
    PyObject *node;
    PyObject *path; /* owned */
    int is_map;
} Frame;

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
    PyObject *text;
    PyObject *resolved_first, *plain, *unescape;
    Frame *stack;
    Py_ssize_t depth, max_depth, room;
    PyObject *root, *paths, *raw, *jekyll, *asked;
    long long *positions; /* four numbers for each of paths */
    Py_ssize_t positions_used, positions_room;
    /* a "key:" with nothing after it */
    int pending;
    Py_ssize_t pending_frame, pending_line, pending_col;
    PyObject *pending_key;
} Reader;

#define OUTSIDE 1  /* the text leaves the subset */
/* libyaml gives up on an implicit key whose ':' is more than this many characters after its
   start (scalars.MAX_SIMPLE_KEY): such a key leaves the subset, the reference reports it */
#define MAX_SIMPLE_KEY 1024
#define FAILED -1  /* a Python exception is set */

static Py_UCS4 at(Reader *r, Py_ssize_t i) { return PyUnicode_READ(r->kind, r->data, i); }

/* The first index of `c` (ASCII) in [start, end), or end. Scanning character by character
   through `at` cost a fifth of the reader: memchr finds the byte instead, and in a text of
   two or four bytes a character, a byte found is taken when its character is `c` (whatever
   the byte order, the other bytes of `c` are zero). */
static Py_ssize_t find(Reader *r, char c, Py_ssize_t start, Py_ssize_t end) {
    const char *bytes = r->data;
    const char *stop = bytes + end * r->kind;
    for (const char *from = bytes + start * r->kind; from < stop;) {
        const char *found = memchr(from, c, (size_t)(stop - from));
        if (found == NULL) break;
        Py_ssize_t index = (found - bytes) / r->kind;
        if (at(r, index) == (Py_UCS4)c) return index;
        from = found + 1;
    }
    return end;
}

/* Characters this reader leaves to libyaml: controls it rejects, the BOM, tabs, and the
   YAML 1.1 line breaks NEL, LS and PS (positions then need converting). */
static int usual_char(Py_UCS4 c) {
    if (c == '\n') return 1;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
    if (c == 0x2028 || c == 0x2029 || c == 0xfeff) return 0;
    if (c >= 0xd800 && c < 0xe000) return 0;
    if (c == 0xfffe || c == 0xffff) return 0;
    return 1;
}

/* Printable ASCII first: nearly every character is, and that test is one comparison. */
#define SCAN(type)                                          \
    do {                                                    \
        const type *data = r->data;                         \
        for (Py_ssize_t i = 0; i < r->length; i++) {        \
            if ((Py_UCS4)data[i] - 0x20 < 0x5f) continue;   \
            if (data[i] == '\n')                            \
                lines++;                                    \
            else if (!usual_char(data[i]))                  \
                return OUTSIDE;                             \
        }                                                   \
    } while (0)

/* Whether every character is usual, and how many lines there are: one loop per kind. */
static int count_lines(Reader *r, Py_ssize_t *out) {
    Py_ssize_t lines = 1;
    if (r->kind == PyUnicode_1BYTE_KIND)
        SCAN(Py_UCS1);
    else if (r->kind == PyUnicode_2BYTE_KIND)
        SCAN(Py_UCS2);
    else
        SCAN(Py_UCS4);
    *out = lines;
    return 0;
}

/* The first letters of YAML 1.1's booleans and null. */
static int starts_word(Py_UCS4 c) {
    switch (c) {
    case 'y': case 'Y': case 'n': case 'N': case 't': case 'T': case 'f': case 'F': case 'o': case 'O':
        return 1;
    }
    return 0;
}

static PyObject *path_plus(PyObject *path, PyObject *part) {
    Py_ssize_t n = PyTuple_GET_SIZE(path);
    PyObject *longer = PyTuple_New(n + 1);
    if (longer == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(path, i);
        Py_INCREF(item);
        PyTuple_SET_ITEM(longer, i, item);
    }
    Py_INCREF(part);
    PyTuple_SET_ITEM(longer, n, part);
    return longer;
}

static int set_mark(Reader *r, PyObject *path, Py_ssize_t kl, Py_ssize_t kc, Py_ssize_t vl, Py_ssize_t vc) {
    /* a path and four numbers in a buffer: no tuple, no number object, no hashing, until
       a file's marks are asked for (a tuple and a dictionary entry a node cost a fifth of
       the reader, for files that never look) */
    if (r->positions_used + 4 > r->positions_room) {
        Py_ssize_t room = r->positions_room ? 2 * r->positions_room : 256;
        if (room > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(long long)) {
            PyErr_NoMemory();
            return FAILED;
        }
        long long *grown = PyMem_Realloc(r->positions, (size_t)room * sizeof(long long));
        if (grown == NULL) {
            PyErr_NoMemory();
            return FAILED;
        }
        r->positions = grown;
        r->positions_room = room;
    }
    if (PyList_Append(r->paths, path) < 0) return FAILED;
    long long *at = r->positions + r->positions_used;
    at[0] = kl;
    at[1] = kc;
    at[2] = vl;
    at[3] = vc;
    r->positions_used += 4;
    return 0;
}

static int push(Reader *r, Py_ssize_t col, PyObject *node, PyObject *path, int is_map) {
    if (r->depth >= r->max_depth - 1) return OUTSIDE; /* the reference reports E008 */
    if (r->depth >= r->room) return OUTSIDE;          /* cannot happen: see read_lines */
    Frame *frame = &r->stack[r->depth++];
    frame->col = col;
    frame->node = node;
    frame->path = path;
    Py_INCREF(path);
    frame->is_map = is_map;
    return 0;
}

/* Whether a plain scalar may be read as something else than a string: its first character
   starts one of YAML 1.1's implicit types or a type of Jekyll's readers (resolved_first). */
static int first_is_resolved(Reader *r, Py_UCS4 first) {
    Py_ssize_t found = PyUnicode_FindChar(r->resolved_first, first, 0, PyUnicode_GET_LENGTH(r->resolved_first), 1);
    return found == -2 ? FAILED : found >= 0;
}

static int is_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }

/* What type_plain finds: a string to every reader; a value typed here, without a problem
   (YAML 1.1-only spelling, readers that disagree) to report; or a case for plain(). */
enum { STRING, TYPED, ASK };

/* [-+]?(0|[1-9][0-9]*), at most 18 digits: an integer to PyYAML's table (no underscore, base
   prefix, leading zero or base 60), read alike by Psych and SafeYAML, in plain decimal. */
static int decimal(int kind, const void *data, Py_ssize_t n, PyObject **out) {
    Py_UCS4 sign = PyUnicode_READ(kind, data, 0);
    Py_ssize_t i = (sign == '-' || sign == '+') ? 1 : 0;
    if (n - i < 1 || n - i > 18 || (PyUnicode_READ(kind, data, i) == '0' && n - i > 1)) return ASK;
    long long value = 0;
    for (; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_digit(c)) return ASK;
        value = value * 10 + (long long)(c - '0');
    }
    *out = PyLong_FromLongLong(sign == '-' ? -value : value);
    return *out == NULL ? FAILED : TYPED;
}

/* scalars._civil: a day of the proleptic Gregorian calendar. */
static int civil(int year, int month, int day) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return 0;
    int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return day <= days[month - 1] + (month == 2 && leap);
}

/* scalars._UTC_SECONDS on a real day: the date-time of nearly every article, a timestamp to
   PyYAML (kept as its text) that Psych and SafeYAML both read as a time. */
static int utc_time(int kind, const void *data, Py_ssize_t n) {
    static const char shape[] = "0000-00-00T00:00:00Z";
    int digits[20];
    if (n != 20) return 0;
    for (Py_ssize_t i = 0; i < 20; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (shape[i] == '0' ? !is_digit(c) : c != (Py_UCS4)shape[i]) return 0;
        digits[i] = (int)c - '0';
    }
    int hour = digits[11] * 10 + digits[12];
    if (hour > 23 || digits[14] > 5 || digits[17] > 5) return 0;
    int year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
    return civil(year, digits[5] * 10 + digits[6], digits[8] * 10 + digits[9]);
}

/* The words YAML 1.1 reads as booleans or null, in the spellings its table has. */
static const char *const BOOLEANS[] = {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false",
                                       "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", NULL};
static const char *const NULLS[] = {"null", "Null", "NULL", NULL};

static int listed(const char *word, const char *const *list) {
    for (; *list != NULL; list++)
        if ((*list)[0] == word[0] && strcmp(word, *list) == 0) return 1;
    return 0;
}

/* The text as a C string when it is at most five ASCII characters (lowercased when asked). */
static int short_ascii(int kind, const void *data, Py_ssize_t n, int lower, char out[6]) {
    if (n > 5) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c > 127) return 0;
        out[i] = (char)(lower && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    }
    out[n] = '\0';
    return 1;
}

/* A plain scalar starting with one of the letters of YAML 1.1's booleans and null. To
   PyYAML's table it is a string unless it is one of their words; to Psych and SafeYAML
   unless it is one of them in any case (Psych: at most five characters). */
static int word(int kind, const void *data, Py_ssize_t n, PyObject **out) {
    char lowered[6], exact[6];
    if (!short_ascii(kind, data, n, 1, lowered)) return STRING;
    static const char *const READ[] = {"yes", "no", "true", "false", "on", "off", "null", NULL};
    if (!listed(lowered, READ)) return STRING;
    short_ascii(kind, data, n, 0, exact);
    if (strcmp(lowered, "true") == 0 || strcmp(lowered, "false") == 0) {
        if (!listed(exact, BOOLEANS)) return ASK; /* 'tRUE': Y005 */
        *out = PyBool_FromLong(lowered[0] == 't');
        return TYPED;
    }
    if (strcmp(lowered, "null") == 0 && listed(exact, NULLS)) {
        Py_INCREF(Py_None);
        *out = Py_None;
        return TYPED;
    }
    return ASK; /* yes, no, on, off: Y001; 'nULL': Y005 */
}

/* How a plain scalar reads (see the enum): for TYPED, *out is its value (new reference). */
static int type_plain(Reader *r, PyObject *text, PyObject **out) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n == 0) { /* null to every reader */
        Py_INCREF(Py_None);
        *out = Py_None;
        return TYPED;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_UCS4 first = PyUnicode_READ(kind, data, 0);
    int resolved = first_is_resolved(r, first);
    if (resolved <= 0) return resolved < 0 ? FAILED : STRING;
    if (is_digit(first) && utc_time(kind, data, n)) {
        Py_INCREF(text);
        *out = text;
        return TYPED;
    }
    if (is_digit(first) || first == '-' || first == '+') return decimal(kind, data, n, out);
    if (starts_word(first)) return word(kind, data, n, out);
    return ASK;
}

/* A plain scalar that is not a plain string to every reader: its text under its path, in raw
   (not a string) or jekyll (a string Jekyll's readers read otherwise). */
static int record(Reader *r, PyObject *path, PyObject *text, PyObject *value) {
    return PyDict_SetItem(PyUnicode_CheckExact(value) ? r->jekyll : r->raw, path, text) < 0 ? FAILED : 0;
}

/* plain(text) -> (value, typed), for the spellings type_plain leaves to Python. */
static int ask(Reader *r, PyObject *path, PyObject *text, PyObject **value, Py_ssize_t vl, Py_ssize_t vc) {
    PyObject *pair = PyObject_CallOneArg(r->plain, text);
    if (pair == NULL) return FAILED;
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        Py_DECREF(pair);
        PyErr_SetString(PyExc_TypeError, "plain() must return a pair");
        return FAILED;
    }
    *value = PyTuple_GET_ITEM(pair, 0);
    Py_INCREF(*value);
    int typed = PyObject_IsTrue(PyTuple_GET_ITEM(pair, 1));
    Py_DECREF(pair);
    if (typed <= 0) return typed;
    PyObject *entry = Py_BuildValue("(OOOnn)", path, text, *value, vl, vc);
    if (entry == NULL) return FAILED;
    int appended = PyList_Append(r->asked, entry);
    Py_DECREF(entry);
    return appended < 0 ? FAILED : record(r, path, text, *value);
}

/* Store a scalar (new reference `text`, stolen) under `key` in the frame's collection. */
static int store(Reader *r, Frame *frame, PyObject *key, PyObject *text, int plain, Py_ssize_t kl, Py_ssize_t kc,
                 Py_ssize_t vl, Py_ssize_t vc) {
    PyObject *path = path_plus(frame->path, key);
    PyObject *value = NULL;
    int status = FAILED;
    if (path == NULL || set_mark(r, path, kl, kc, vl, vc) < 0) goto done;
    int found = plain ? type_plain(r, text, &value) : STRING;
    if (found == TYPED)
        found = record(r, path, text, value);
    else if (found == ASK)
        found = ask(r, path, text, &value, vl, vc);
    if (found == FAILED) goto done;
    if (value == NULL) {
        value = text;
        Py_INCREF(value);
    }
    if (frame->is_map)
        status = PyDict_SetItem(frame->node, key, value) < 0 ? FAILED : 0;
    else
        status = PyList_SetItem(frame->node, PyLong_AsSsize_t(key), value) < 0 ? FAILED : 0, value = NULL;
done:
    Py_XDECREF(value);
    Py_XDECREF(path);
    Py_DECREF(text);
    return status;
}

static int is_indicator(Py_UCS4 c) {
    switch (c) {
    case '-': case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#': case '&':
    case '*': case '!': case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
        return 1;
    }
    return 0;
}

/* After a closing quote at `i`: blanks to the line end, or blanks and a comment. */
static int tail_ok(Reader *r, Py_ssize_t i, Py_ssize_t end) {
    Py_ssize_t j = i;
    while (j < end && at(r, j) == ' ') j++;
    return j == end || (j > i && at(r, j) == '#');
}

/* A one-line scalar in [start, end): sets *out (new reference) and *plain. */
static int scalar(Reader *r, Py_ssize_t start, Py_ssize_t end, PyObject **out, int *plain) {
    Py_UCS4 first = at(r, start);
    *plain = 0;
    if (first == '"') {
        Py_ssize_t i = find(r, '"', start + 1, end);
        Py_ssize_t slash = find(r, '\\', start + 1, i);
        int escaped = slash < i;
        if (escaped) { /* the quote found may be escaped: walk from the first backslash */
            i = slash;
            while (i < end && at(r, i) != '"') {
                if (at(r, i) == '\\') i++;
                i++;
            }
        }
        if (i >= end || !tail_ok(r, i + 1, end)) return OUTSIDE;
        PyObject *body = PyUnicode_Substring(r->text, start + 1, i);
        if (body == NULL) return FAILED;
        if (escaped) {
            PyObject *decoded = PyObject_CallOneArg(r->unescape, body);
            Py_DECREF(body);
            if (decoded == NULL) return FAILED;
            body = decoded;
        }
        *out = body;
        return 0;
    }
    if (first == '\'') {
        int doubled = 0;
        Py_ssize_t i = start + 1;
        for (;;) {
            i = find(r, '\'', i, end);
            if (i + 1 < end && at(r, i + 1) == '\'') {
                doubled = 1;
                i += 2;
                continue;
            }
            break;
        }
        if (i >= end || !tail_ok(r, i + 1, end)) return OUTSIDE;
        PyObject *body = PyUnicode_Substring(r->text, start + 1, i);
        if (body == NULL) return FAILED;
        if (doubled) {
            PyObject *two = PyUnicode_FromString("''"), *one = PyUnicode_FromString("'");
            PyObject *replaced = (two && one) ? PyUnicode_Replace(body, two, one, -1) : NULL;
            Py_XDECREF(two);
            Py_XDECREF(one);
            Py_DECREF(body);
            if (replaced == NULL) return FAILED;
            body = replaced;
        }
        *out = body;
        return 0;
    }
    if (is_indicator(first) &&
        (!(first == '-' || first == '?' || first == ':') || start + 1 == end || at(r, start + 1) == ' '))
        return OUTSIDE;
    Py_ssize_t stop = end; /* a comment starts at the first " #" */
    for (Py_ssize_t i = find(r, '#', start + 1, end); i < end; i = find(r, '#', i + 1, end)) {
        if (at(r, i - 1) == ' ') {
            stop = i - 1;
            break;
        }
    }
    while (stop > start && at(r, stop - 1) == ' ') stop--;
    if (stop > start && at(r, stop - 1) == ':') return OUTSIDE; /* libyaml reads a mapping, or fails */
    for (Py_ssize_t i = find(r, ':', start, stop - 1); i < stop - 1; i = find(r, ':', i + 1, stop - 1))
        if (at(r, i + 1) == ' ') return OUTSIDE; /* ": " */
    *out = PyUnicode_Substring(r->text, start, stop);
    *plain = 1;
    return *out == NULL ? FAILED : 0;
}

static int set_null(Reader *r) {
    Frame *frame = &r->stack[r->pending_frame];
    PyObject *empty = PyUnicode_FromString("");
    if (empty == NULL) return FAILED;
    PyObject *key = r->pending_key;
    r->pending = 0;
    r->pending_key = NULL;
    /* libyaml places an empty value right after the key's ':' */
    Py_ssize_t vc = r->pending_col + PyUnicode_GET_LENGTH(key) + 1;
    int status = store(r, frame, key, empty, 1, r->pending_line, r->pending_col, r->pending_line, vc);
    Py_DECREF(key);
    return status;
}

/* A line after "key:": deeper, it opens the key's collection; otherwise the key is null. */
static int resolve_pending(Reader *r, Py_ssize_t number, Py_ssize_t col, int entry) {
    Frame *frame = &r->stack[r->pending_frame];
    if (col <= frame->col) {
        if (entry && col == frame->col) return OUTSIDE; /* an indentless list */
        return set_null(r);
    }
    PyObject *key = r->pending_key;
    r->pending = 0;
    r->pending_key = NULL;
    PyObject *node = entry ? PyList_New(0) : PyDict_New();
    PyObject *path = node ? path_plus(frame->path, key) : NULL;
    int status = FAILED;
    if (path != NULL && PyDict_SetItem(frame->node, key, node) == 0 &&
        set_mark(r, path, r->pending_line, r->pending_col, number, col) == 0)
        status = push(r, col, node, path, !entry);
    Py_XDECREF(path);
    Py_XDECREF(node);
    Py_DECREF(key);
    return status;
}

/* A list item at item_col; for "- key: ...", a new mapping frame is pushed for that key. */
static int entry(Reader *r, Frame *frame, Py_ssize_t number, Py_ssize_t item_col, int has_key, Py_ssize_t rest,
                 Py_ssize_t end) {
    if (frame->is_map) return OUTSIDE;
    PyObject *index = PyLong_FromSsize_t(PyList_GET_SIZE(frame->node));
    if (index == NULL) return FAILED;
    int status = FAILED;
    if (has_key) {
        PyObject *mapping = PyDict_New();
        PyObject *path = mapping ? path_plus(frame->path, index) : NULL;
        if (path != NULL && PyList_Append(frame->node, mapping) == 0 &&
            set_mark(r, path, number, item_col, number, item_col) == 0)
            status = push(r, item_col, mapping, path, 1);
        Py_XDECREF(path);
        Py_XDECREF(mapping);
        Py_DECREF(index);
        return status;
    }
    if (rest == end || at(r, rest) == '#' || (at(r, rest) == '-' && (rest + 1 == end || at(r, rest + 1) == ' '))) {
        Py_DECREF(index);
        return OUTSIDE; /* an empty entry, or a list right inside a list */
    }
    PyObject *text;
    int plain;
    status = scalar(r, rest, end, &text, &plain);
    if (status == 0) {
        status = PyList_Append(frame->node, Py_None) < 0 ? FAILED : 0;
        if (status == 0)
            status = store(r, frame, index, text, plain, number, item_col, number, item_col);
        else
            Py_DECREF(text);
    }
    Py_DECREF(index);
    return status;
}

/* Whether a key ([A-Za-z_][A-Za-z0-9_-]*, see line) is a string to YAML 1.1: all but the
   spellings of booleans and null its table has. */
static int key_is_string(Reader *r, Py_ssize_t start, Py_ssize_t end) {
    char word[6];
    if (end - start > 5 || !starts_word(at(r, start))) return 1;
    if (!short_ascii(r->kind, (const char *)r->data + start * r->kind, end - start, 0, word)) return 1;
    return !listed(word, BOOLEANS) && !listed(word, NULLS);
}

/* Keys read before, kept: an article's keys repeat within it and from one article to the
   next, and a kept key costs no new string, no hashing (a string keeps its hash) and a
   pointer comparison in each dictionary. Bounded: one key a slot, short keys only. */
#define KEPT_KEYS 512
#define KEPT_LONGEST 40
static PyObject *kept_keys[KEPT_KEYS];

/* The key in [start, end): ASCII, as line() found it. A new reference. */
static PyObject *key_string(Reader *r, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t n = end - start;
    if (n > KEPT_LONGEST) return PyUnicode_Substring(r->text, start, end);
    char chars[KEPT_LONGEST];
    size_t hash = (size_t)n;
    for (Py_ssize_t i = 0; i < n; i++) {
        chars[i] = (char)at(r, start + i);
        hash = hash * 31 + (unsigned char)chars[i];
    }
    PyObject **slot = &kept_keys[hash % KEPT_KEYS];
    if (*slot != NULL && PyUnicode_GET_LENGTH(*slot) == n && memcmp(PyUnicode_DATA(*slot), chars, (size_t)n) == 0) {
        Py_INCREF(*slot);
        return *slot;
    }
    PyObject *key = PyUnicode_FromStringAndSize(chars, n);
    if (key == NULL || PyObject_Hash(key) == -1) {
        Py_XDECREF(key);
        return NULL;
    }
    Py_INCREF(key);
    Py_XSETREF(*slot, key);
    return key;
}

static int key_value(Reader *r, Frame *frame, Py_ssize_t number, Py_ssize_t col, Py_ssize_t key_start,
                     Py_ssize_t key_end, Py_ssize_t space, Py_ssize_t rest, Py_ssize_t end) {
    if (!frame->is_map || key_end - key_start > MAX_SIMPLE_KEY || !key_is_string(r, key_start, key_end))
        return OUTSIDE; /* non-string keys: the reference reports them */
    PyObject *key = key_string(r, key_start, key_end);
    if (key == NULL) return FAILED;
    /* a key already there (the mapping does not grow) is a duplicate: the reference reports it */
    Py_ssize_t size = PyDict_GET_SIZE(frame->node);
    int status;
    if (rest == end || at(r, rest) == '#') {
        /* a placeholder keeps the key order and catches duplicates */
        status = PyDict_SetItem(frame->node, key, Py_None) < 0 ? FAILED : 0;
        if (status == 0 && PyDict_GET_SIZE(frame->node) > size) {
            r->pending = 1;
            r->pending_key = key;
            r->pending_frame = frame - r->stack;
            r->pending_line = number;
            r->pending_col = col;
            return 0;
        }
    } else {
        PyObject *text;
        int plain;
        status = scalar(r, rest, end, &text, &plain);
        if (status == 0) status = store(r, frame, key, text, plain, number, col, number, col + (key_end - key_start) + 1 + space);
    }
    if (status == 0 && PyDict_GET_SIZE(frame->node) == size) status = OUTSIDE;
    Py_DECREF(key);
    return status;
}

static int is_key_start(Py_UCS4 c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static int is_key_char(Py_UCS4 c) { return is_key_start(c) || (c >= '0' && c <= '9') || c == '-'; }

/* One line in [start, end), numbered `number` from 0. */
static int line(Reader *r, Py_ssize_t number, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t p = start;
    while (p < end && at(r, p) == ' ') p++;
    Py_ssize_t col = p - start;
    Py_ssize_t gap = 0;
    if (p + 1 < end && at(r, p) == '-' && at(r, p + 1) == ' ') {
        Py_ssize_t q = p + 1;
        while (q < end && at(r, q) == ' ') q++;
        gap = q - (p + 1);
        p = q;
    }
    Py_ssize_t key_start = p, key_end = p, space = 0;
    int has_key = 0;
    if (p < end && is_key_start(at(r, p))) {
        Py_ssize_t q = p + 1;
        while (q < end && is_key_char(at(r, q))) q++;
        if (q < end && at(r, q) == ':' && (q + 1 == end || at(r, q + 1) == ' ')) {
            has_key = 1;
            key_end = q;
            p = q + 1;
            while (p < end && at(r, p) == ' ') p++;
            space = p - (q + 1);
        }
    }
    if (!gap && !has_key) {
        if (p < end && at(r, p) != '#') return OUTSIDE; /* neither entry, key, blank nor comment */
        return 0;
    }
    int status;
    if (r->pending) {
        status = resolve_pending(r, number, col, gap > 0);
        if (status) return status;
    } else if (r->depth == 0) {
        if (gap || col != 0) return OUTSIDE;
        r->root = PyDict_New();
        PyObject *path = PyTuple_New(0);
        if (r->root == NULL || path == NULL || set_mark(r, path, number, 0, number, 0) < 0) {
            Py_XDECREF(path);
            return FAILED;
        }
        status = push(r, 0, r->root, path, 1);
        Py_DECREF(path);
        if (status) return status;
    }
    while (r->stack[r->depth - 1].col > col) {
        Py_CLEAR(r->stack[r->depth - 1].path);
        if (--r->depth == 0) return OUTSIDE;
    }
    Frame *frame = &r->stack[r->depth - 1];
    if (frame->col != col) return OUTSIDE;
    if (gap) {
        Py_ssize_t item_col = col + 1 + gap;
        status = entry(r, frame, number, item_col, has_key, p, end);
        if (status || !has_key) return status;
        frame = &r->stack[r->depth - 1];
        col = item_col;
    }
    return key_value(r, frame, number, col, key_start, key_end, space, p, end);
}

static int read_lines(Reader *r, Py_ssize_t lines) {
    /* a line opens at most two collections (the list under a "key:" and the mapping of
       its "- key:"), so the stack never holds more than the root and two per line */
    r->room = 2 * lines + 2 < r->max_depth ? 2 * lines + 2 : r->max_depth;
    r->stack = PyMem_New(Frame, r->room > 0 ? r->room : 1);
    if (r->stack == NULL) {
        PyErr_NoMemory();
        return FAILED;
    }
    for (Py_ssize_t start = 0, number = 0; start <= r->length; number++) {
        Py_ssize_t end = find(r, '\n', start, r->length);
        int status = line(r, number, start, end);
        if (status) return status;
        start = end + 1;
    }
    if (r->depth == 0) return OUTSIDE; /* no mapping at all: empty, or a lone scalar */
    if (r->pending) return set_null(r);
    return 0;
}

/* A limit as a Py_ssize_t; larger ones (a configuration may say 10**30) mean "no limit". */
static int limit(PyObject *value, Py_ssize_t *out) {
    int overflow = 0;
    long long n = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (n == -1 && PyErr_Occurred()) return FAILED;
    if (overflow != 0 || n > PY_SSIZE_T_MAX || n < -1) n = (overflow > 0 || n > 0) ? PY_SSIZE_T_MAX : -1;
    *out = (Py_ssize_t)n;
    return 0;
}

static PyObject *blockreader_read(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 6 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "read(text, max_depth, max_nodes, resolved_first, plain, unescape)");
        return NULL;
    }
    Reader r;
    memset(&r, 0, sizeof r);
    r.text = args[0];
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(r.text) < 0) return NULL;
#endif
    r.kind = PyUnicode_KIND(r.text);
    r.data = PyUnicode_DATA(r.text);
    r.length = PyUnicode_GET_LENGTH(r.text);
    Py_ssize_t max_nodes;
    if (limit(args[1], &r.max_depth) < 0 || limit(args[2], &max_nodes) < 0) return NULL;
    r.resolved_first = args[3];
    r.plain = args[4];
    r.unescape = args[5];
    r.paths = PyList_New(0);
    r.raw = PyDict_New();
    r.jekyll = PyDict_New();
    r.asked = PyList_New(0);
    PyObject *result = NULL;
    int status = FAILED;
    if (r.paths != NULL && r.raw != NULL && r.jekyll != NULL && r.asked != NULL) {
        /* a line adds at most three nodes ('- key: value'), so a text under this bound
           cannot reach the node limit; larger ones go to the reference, which counts */
        Py_ssize_t lines = 0;
        status = count_lines(&r, &lines);
        if (status == 0) status = (3 * lines + 4 >= max_nodes || r.max_depth < 2) ? OUTSIDE : read_lines(&r, lines);
    }
    PyObject *positions = NULL;
    if (status == 0) {
        positions = PyBytes_FromStringAndSize((const char *)r.positions, r.positions_used * (Py_ssize_t)sizeof(long long));
        result = positions ? PyTuple_Pack(6, r.root, r.paths, positions, r.raw, r.jekyll, r.asked) : NULL;
    }
    else if (status == OUTSIDE)
    {
        Py_INCREF(Py_None);
        result = Py_None;
    }
    for (Py_ssize_t i = 0; i < r.depth; i++) Py_XDECREF(r.stack[i].path);
    PyMem_Free(r.stack);
    Py_XDECREF(r.pending_key);
    Py_XDECREF(r.root);
    Py_XDECREF(r.paths);
    Py_XDECREF(positions);
    PyMem_Free(r.positions);
    Py_XDECREF(r.raw);
    Py_XDECREF(r.jekyll);
    Py_XDECREF(r.asked);
    return result;
}

/* ---------------------------------------------------------------------------------------
 * scan(folder, prefix, suffixes, room, names, sigs[, batch]) -> (room, truncated, others)
 *
 * The archive listing's loop over one folder (linter/archive/members.py; its Python twin is
 * members.scan_python, and tests/test_archive.py checks that the two agree), here because
 * it runs once per file of an archive on every run: 20,000 entries, each an lstat and a
 * signature, cost a one-file run most of its time in Python. The folder is read and each
 * file lstat'ed relative to the opened folder with the interpreter's lock released, a batch
 * at a time (a few megabytes: the whole folder, for 20,000 articles); only then is the lock
 * taken again, to append the batch's bytes (each taking of the lock may wait for the main
 * thread to let it go). ``batch`` sets those bytes (the tests make it small). A batch is
 * read first and its files lstat'ed after, on two threads when SCAN_PARALLEL of them or
 * more are still to lstat: the lstat calls are most of the time (20,000 take 40 ms on this
 * project's machine, 20 ms on two threads; reading the folder, 19 ms), and the second core
 * is idle while pre-commit's run waits for the listing.
 *
 * For each entry whose name ends with one of ``suffixes`` (bytes) and that is not a folder:
 * one unit of ``room`` is used (none left: truncated, stop); a regular file (lstat'ed, never
 * followed) appends prefix + name + NUL to ``names`` and its 40-byte signature to ``sigs``
 * (size, mtime and ctime in nanoseconds, inode, device, little-endian, as
 * linter.archive.table.SIGNATURE packs them; all zero when a time does not fit in 64 bits:
 * such a file is never trusted); a symbolic link goes to ``others`` as (1, name); anything
 * else is skipped. Every folder, whatever its name, goes to ``others`` as (0, name). An
 * entry that vanishes or cannot be lstat'ed is skipped. POSIX only: elsewhere the module
 * has no ``scan`` and the Python twin lists.
 */
#if !defined(_WIN32) && defined(HAVE_FDOPENDIR) && defined(HAVE_FSTATAT) && defined(HAVE_DIRENT_D_TYPE)
#define HAVE_SCAN 1
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCAN_SIGNATURE 40
#define SCAN_BATCH ((size_t)4 << 20) /* bytes of names, signatures and others between two appends */
#define SCAN_SUFFIXES 16
#define SCAN_PARALLEL 256 /* the fewest files a batch lstats on two threads: a thread costs about 30-50 us */

typedef struct {
    char *data;
    size_t used, size;
} Buffer;

static int buffer_add(Buffer *b, const void *bytes, size_t n) {
    if (n == 0) return 0;
    if (n > b->size - b->used) {
        size_t size = b->size ? b->size : 4096;
        while (n > size - b->used) {
            if (size > SIZE_MAX / 2) return -1;
            size *= 2;
        }
        char *grown = PyMem_RawRealloc(b->data, size); /* callable without the lock */
        if (grown == NULL) return -1;
        b->data = grown;
        b->size = size;
    }
    memcpy(b->data + b->used, bytes, n);
    b->used += n;
    return 0;
}

static void put_u64(unsigned char *at, uint64_t value) {
    for (int i = 0; i < 8; i++) at[i] = (unsigned char)(value >> (8 * i));
}

/* seconds * 10**9 + nanoseconds, as Python's st_*_ns; 0 when it does not fit in int64 */
static int time_ns(long long seconds, long nanoseconds, int64_t *out) {
    const int64_t billion = 1000000000;
    if (seconds > INT64_MAX / billion || seconds < INT64_MIN / billion) return 0;
    int64_t base = (int64_t)seconds * billion;
    if (nanoseconds > 0 && base > INT64_MAX - nanoseconds) return 0;
    if (nanoseconds < 0 && base < INT64_MIN - nanoseconds) return 0;
    *out = base + nanoseconds;
    return 1;
}

#if defined(HAVE_STAT_TV_NSEC)
#define SCAN_NSEC(st, which) ((st).st_##which##tim.tv_nsec)
#elif defined(HAVE_STAT_TV_NSEC2)
#define SCAN_NSEC(st, which) ((st).st_##which##timespec.tv_nsec)
#elif defined(HAVE_STAT_NSEC)
#define SCAN_NSEC(st, which) ((st).st_##which##time_nsec)
#else
#define SCAN_NSEC(st, which) 0L
#endif

static void pack_signature(const struct stat *st, unsigned char *out) {
    int64_t mtime = 0, ctime = 0;
    int fits = time_ns((long long)st->st_mtime, (long)SCAN_NSEC(*st, m), &mtime) &&
               time_ns((long long)st->st_ctime, (long)SCAN_NSEC(*st, c), &ctime);
    if (!fits) {
        memset(out, 0, SCAN_SIGNATURE);
        return;
    }
    put_u64(out, (uint64_t)(int64_t)st->st_size);
    put_u64(out + 8, (uint64_t)mtime);
    put_u64(out + 16, (uint64_t)ctime);
    put_u64(out + 24, (uint64_t)st->st_ino);
    put_u64(out + 32, (uint64_t)st->st_dev);
}

typedef struct {
    DIR *dir;
    const char *prefix;
    size_t prefix_length;
    const char *suffix[SCAN_SUFFIXES];
    size_t suffix_length[SCAN_SUFFIXES];
    Py_ssize_t suffixes, room;
    size_t batch;
    int truncated, done, error; /* error: errno of a failed read, or -1 out of memory */
    Buffer names, sigs, others;  /* others: kind byte, name, NUL */
    Buffer waiting, files;       /* the batch's regular files: names (NUL-ended), then Files */
    size_t to_stat;              /* of them, the ones not lstat'ed yet */
} Scan;

/* A regular file of the batch, in the folder's order: its name at ``name`` in ``waiting``. */
typedef struct {
    size_t name;
    int state; /* FILE_TO_STAT, FILE_SIGNED or FILE_GONE */
    unsigned char sig[SCAN_SIGNATURE];
} File;

enum { FILE_TO_STAT, FILE_SIGNED, FILE_GONE };

static int ends_with_suffix(const Scan *s, const char *name, size_t length) {
    for (Py_ssize_t i = 0; i < s->suffixes; i++) {
        size_t n = s->suffix_length[i];
        if (n <= length && memcmp(name + length - n, s->suffix[i], n) == 0) return 1;
    }
    return 0;
}

static int add_other(Scan *s, char kind, const char *name, size_t length) {
    return buffer_add(&s->others, &kind, 1) || buffer_add(&s->others, name, length + 1) ? -1 : 0;
}

/* Files [from, to) of a batch lstat'ed (never followed): signed, or gone (vanished, or no
 * longer a regular file). Touches no Python object. */
static void sign_files(int fd, const char *names, File *files, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) {
        File *file = &files[i];
        struct stat st;
        if (file->state != FILE_TO_STAT) continue;
        if (fstatat(fd, names + file->name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) {
            file->state = FILE_GONE;
            continue;
        }
        pack_signature(&st, file->sig);
        file->state = FILE_SIGNED;
    }
}

typedef struct {
    int fd;
    const char *names;
    File *files;
    size_t from, to;
} Share;

static void *sign_share(void *arg) {
    const Share *share = arg;
    sign_files(share->fd, share->names, share->files, share->from, share->to);
    return NULL;
}

/* The batch's files lstat'ed, the second half on a thread of its own when SCAN_PARALLEL
 * or more are to lstat (a file system without entry types had each lstat'ed as it was read)
 * and a thread can be started; joined before returning, so no thread outlives the call. */
static void sign_batch(Scan *s) {
    File *files = (File *)s->files.data;
    size_t count = s->files.used / sizeof(File), half = count / 2;
    Share second = {dirfd(s->dir), s->waiting.data, files, half, count};
    pthread_t thread;
    int shared = s->to_stat >= SCAN_PARALLEL && pthread_create(&thread, NULL, sign_share, &second) == 0;
    sign_files(second.fd, s->waiting.data, files, 0, shared ? half : count);
    if (shared) pthread_join(thread, NULL);
}

/* The batch's signed files appended to ``names`` and ``sigs`` in the folder's order. */
static int keep_batch(Scan *s) {
    const File *files = (const File *)s->files.data;
    size_t count = s->files.used / sizeof(File);
    for (size_t i = 0; i < count; i++) {
        if (files[i].state != FILE_SIGNED) continue;
        const char *name = s->waiting.data + files[i].name;
        if (buffer_add(&s->names, s->prefix, s->prefix_length) < 0 || buffer_add(&s->names, name, strlen(name) + 1) < 0 ||
            buffer_add(&s->sigs, files[i].sig, SCAN_SIGNATURE) < 0)
            return -1;
    }
    s->waiting.used = s->files.used = s->to_stat = 0;
    return 0;
}

/* A regular file of the batch; ``st``: its lstat when the folder did not say its kind. */
static int add_file(Scan *s, const char *name, size_t length, const struct stat *st) {
    File file;
    memset(&file, 0, sizeof file);
    file.name = s->waiting.used;
    file.state = FILE_TO_STAT;
    if (st != NULL) {
        pack_signature(st, file.sig);
        file.state = FILE_SIGNED;
    }
    if (buffer_add(&s->waiting, name, length + 1) || buffer_add(&s->files, &file, sizeof file)) return -1;
    s->to_stat += st == NULL;
    return 0;
}

/* The bytes the batch will hold: its names (with the prefix each), signatures and others. */
static size_t batch_bytes(const Scan *s) {
    size_t files = s->files.used / sizeof(File);
    return s->names.used + s->sigs.used + s->others.used + s->waiting.used + files * (s->prefix_length + SCAN_SIGNATURE);
}

/* Entries into the buffers until they hold ``batch`` bytes: the folder read, then its
 * regular files lstat'ed (``sign_batch``); called without the lock. */
static void scan_batch(Scan *s) {
    int fd = dirfd(s->dir);
    while (batch_bytes(s) < s->batch) {
        errno = 0;
        struct dirent *entry = readdir(s->dir);
        if (entry == NULL) {
            s->error = errno;
            s->done = 1;
            break;
        }
        const char *name = entry->d_name;
        size_t length = strlen(name);
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
        struct stat st;
        int kind = entry->d_type, have_stat = 0;
        if (kind == DT_UNKNOWN) { /* the file system does not say: ask, as os.DirEntry does */
            if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
                have_stat = 1;
                kind = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
            } else if (errno != ENOENT) {
                continue;
            }
        }
        if (kind == DT_DIR) {
            if (add_other(s, 0, name, length) < 0) goto no_memory;
            continue;
        }
        if (!ends_with_suffix(s, name, length)) continue;
        if (s->room == 0) {
            s->truncated = s->done = 1;
            break;
        }
        s->room--;
        if (kind == DT_LNK) {
            if (add_other(s, 1, name, length) < 0) goto no_memory;
            continue;
        }
        if (kind != DT_REG) continue;
        if (add_file(s, name, length, have_stat ? &st : NULL) < 0) goto no_memory;
    }
    sign_batch(s);
    if (keep_batch(s) < 0) goto no_memory;
    return;
no_memory:
    s->error = -1;
    s->done = 1;
}

static int append_to(PyObject *array, Buffer *b) {
    Py_ssize_t before = PyByteArray_GET_SIZE(array);
    if ((size_t)PY_SSIZE_T_MAX - (size_t)before < b->used) {
        PyErr_NoMemory();
        return -1;
    }
    if (b->used == 0) return 0;
    if (PyByteArray_Resize(array, before + (Py_ssize_t)b->used) < 0) return -1;
    memcpy(PyByteArray_AS_STRING(array) + before, b->data, b->used);
    b->used = 0;
    return 0;
}

/* The batch's others as (kind, name) tuples on ``list``, under the lock. */
static int flush_others(PyObject *list, Buffer *b) {
    size_t at = 0;
    while (at < b->used) {
        int kind = b->data[at];
        const char *name = b->data + at + 1;
        size_t length = strlen(name);
        PyObject *item = Py_BuildValue("(iy#)", kind, name, (Py_ssize_t)length);
        if (item == NULL || PyList_Append(list, item) < 0) {
            Py_XDECREF(item);
            return -1;
        }
        Py_DECREF(item);
        at += length + 2;
    }
    b->used = 0;
    return 0;
}

static PyObject *scan(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 6 && nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "scan() takes 6 or 7 arguments");
        return NULL;
    }
    PyObject *folder = args[0], *prefix = args[1], *suffixes = args[2], *names = args[4], *sigs = args[5];
    if (!PyBytes_Check(folder) || !PyBytes_Check(prefix) || !PyTuple_Check(suffixes) || !PyByteArray_Check(names) ||
        !PyByteArray_Check(sigs)) {
        PyErr_SetString(PyExc_TypeError, "scan(bytes, bytes, tuple, int, bytearray, bytearray)");
        return NULL;
    }
    Scan s;
    memset(&s, 0, sizeof s);
    s.room = PyLong_AsSsize_t(args[3]);
    if (s.room == -1 && PyErr_Occurred()) return NULL;
    if (s.room < 0) {
        PyErr_SetString(PyExc_ValueError, "room must not be negative");
        return NULL;
    }
    s.batch = SCAN_BATCH;
    if (nargs == 7) {
        Py_ssize_t batch = PyLong_AsSsize_t(args[6]);
        if (batch == -1 && PyErr_Occurred()) return NULL;
        if (batch < 1) {
            PyErr_SetString(PyExc_ValueError, "batch must be positive");
            return NULL;
        }
        s.batch = (size_t)batch;
    }
    s.suffixes = PyTuple_GET_SIZE(suffixes);
    if (s.suffixes > SCAN_SUFFIXES) {
        PyErr_SetString(PyExc_ValueError, "too many suffixes");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < s.suffixes; i++) {
        PyObject *suffix = PyTuple_GET_ITEM(suffixes, i);
        if (!PyBytes_Check(suffix)) {
            PyErr_SetString(PyExc_TypeError, "suffixes must be bytes");
            return NULL;
        }
        s.suffix[i] = PyBytes_AS_STRING(suffix);
        s.suffix_length[i] = (size_t)PyBytes_GET_SIZE(suffix);
    }
    const char *path = PyBytes_AS_STRING(folder);
    if (strlen(path) != (size_t)PyBytes_GET_SIZE(folder)) {
        PyErr_SetString(PyExc_ValueError, "embedded null byte");
        return NULL;
    }
    s.prefix = PyBytes_AS_STRING(prefix);
    s.prefix_length = (size_t)PyBytes_GET_SIZE(prefix);
    PyObject *others = PyList_New(0);
    if (others == NULL) return NULL;
    int fd;
    Py_BEGIN_ALLOW_THREADS
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    s.dir = fd < 0 ? NULL : fdopendir(fd);
    if (s.dir == NULL && fd >= 0) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    Py_END_ALLOW_THREADS
    if (s.dir == NULL) {
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, folder);
        Py_DECREF(others);
        return NULL;
    }
    int failed = 0;
    while (!s.done && !failed) {
        Py_BEGIN_ALLOW_THREADS
        scan_batch(&s);
        Py_END_ALLOW_THREADS
        failed = append_to(names, &s.names) < 0 || append_to(sigs, &s.sigs) < 0 || flush_others(others, &s.others) < 0;
    }
    Py_BEGIN_ALLOW_THREADS
    closedir(s.dir);
    Py_END_ALLOW_THREADS
    PyMem_RawFree(s.names.data);
    PyMem_RawFree(s.sigs.data);
    PyMem_RawFree(s.others.data);
    PyMem_RawFree(s.waiting.data);
    PyMem_RawFree(s.files.data);
    if (!failed && s.error == -1) {
        PyErr_NoMemory();
        failed = 1;
    } else if (!failed && s.error != 0) {
        errno = s.error;
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, folder);
        failed = 1;
    }
    if (failed) {
        Py_DECREF(others);
        return NULL;
    }
    PyObject *result = Py_BuildValue("(nOO)", s.room, s.truncated ? Py_True : Py_False, others);
    Py_DECREF(others);
    return result;
}
#endif

/* ---------------------------------------------------------------------------------------
 * fence(text, at) -> int
 *
 * Where the closing fence's line starts in a frontmatter text (line breaks made LF): the
 * first line after the line break at `at` that is "---" or "..." followed by nothing but
 * blanks and tabs; -1 when there is none. frontmatter.split's regular expression says the
 * same (its Python twin; tests/test_fast_paths.py holds the two to one answer), trying its
 * pattern at each line break: a line break found by memchr and three characters compared
 * cost a tenth of that.
 */
static PyObject *fence(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "fence(text, at)");
        return NULL;
    }
    Reader r;
    memset(&r, 0, sizeof r);
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(args[0]) < 0) return NULL;
#endif
    r.kind = PyUnicode_KIND(args[0]);
    r.data = PyUnicode_DATA(args[0]);
    r.length = PyUnicode_GET_LENGTH(args[0]);
    Py_ssize_t from = PyLong_AsSsize_t(args[1]);
    if (from == -1 && PyErr_Occurred()) return NULL;
    if (from < 0) from = 0;
    if (from >= r.length) return PyLong_FromLong(-1); /* past the end: from * kind would overflow */
    for (Py_ssize_t brk = find(&r, '\n', from, r.length); brk < r.length; brk = find(&r, '\n', brk + 1, r.length)) {
        Py_ssize_t line = brk + 1;
        if (r.length - line < 3) break;
        Py_UCS4 c = at(&r, line);
        if ((c != '-' && c != '.') || at(&r, line + 1) != c || at(&r, line + 2) != c) continue;
        Py_ssize_t end = line + 3;
        while (end < r.length && (at(&r, end) == ' ' || at(&r, end) == '\t')) end++;
        if (end == r.length || at(&r, end) == '\n') return PyLong_FromSsize_t(line);
    }
    return PyLong_FromLong(-1);
}

/* ---------------------------------------------------------------------------------------
 * shares_window(text, secrets) -> bool | None
 *
 * Whether `text` holds one of the windows linter.redact indexes: the 8 characters of a
 * secret (a str of the sequence `secrets` at least 8 long) at each offset that is a
 * multiple of 4, and at its last offset. redact.Secrets._shares_window is its Python twin
 * (tests/test_fast_paths.py holds the two to one answer): it asked `in` of each window,
 * about a hundred for an article's one secured value, for every message and hint of every
 * finding. Here the windows are hashed into a table once a call and each of the text's
 * offsets is looked up: linear in the text and the secrets.
 *
 * The hash is not seeded, and the secret and the text both come from the checked file: a
 * window repeated in a secret ('A' * 1024) is stored once, and a store or a lookup that
 * would read more than MAX_RUN slots (windows made to crowd one run, a text made to land
 * in it) gives the table up: None, and the caller asks the Python twin. A table at most
 * half full has runs that long about never by chance.
 */
#define WINDOW 8
#define WINDOW_STEP 4
#define MAX_RUN 32

typedef struct {
    int kind;
    const void *data;
} Chars;

static uint64_t window_hash(Chars c, Py_ssize_t at) {
    uint64_t hash = 0;
    for (Py_ssize_t i = 0; i < WINDOW; i++) hash = hash * 1000003u + (uint64_t)PyUnicode_READ(c.kind, c.data, at + i);
    return hash ^ (hash >> 29);
}

static int same_window(Chars a, Py_ssize_t at, Chars b, Py_ssize_t bt) {
    for (Py_ssize_t i = 0; i < WINDOW; i++)
        if (PyUnicode_READ(a.kind, a.data, at + i) != PyUnicode_READ(b.kind, b.data, bt + i)) return 0;
    return 1;
}

typedef struct {
    Py_ssize_t secret, at; /* secret: index in the sequence plus one; 0 marks a free slot */
} Slot;

/* Store the window of `secrets[index]` at `at`, unless an equal window is stored already;
   -1 when that would read more than MAX_RUN slots. */
static int store_window(Slot *table, size_t size, const Chars *secrets, Py_ssize_t index, Py_ssize_t at) {
    size_t slot = (size_t)window_hash(secrets[index], at) & (size - 1);
    for (int read = 0; table[slot].secret != 0; slot = (slot + 1) & (size - 1)) {
        if (++read > MAX_RUN) return -1;
        if (same_window(secrets[index], at, secrets[table[slot].secret - 1], table[slot].at)) return 0;
    }
    table[slot].secret = index + 1;
    table[slot].at = at;
    return 0;
}

/* Whether the text's window at `at` is stored: 1 or 0, or -1 when that would read more
   than MAX_RUN slots. */
static int stored(const Slot *table, size_t size, const Chars *secrets, Chars text, Py_ssize_t at) {
    size_t slot = (size_t)window_hash(text, at) & (size - 1);
    for (int read = 0; table[slot].secret != 0; slot = (slot + 1) & (size - 1)) {
        if (++read > MAX_RUN) return -1;
        if (same_window(text, at, secrets[table[slot].secret - 1], table[slot].at)) return 1;
    }
    return 0;
}

static PyObject *shares_window(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "shares_window(text, secrets)");
        return NULL;
    }
    PyObject *text = args[0];
    PyObject *seq = PySequence_Fast(args[1], "shares_window: secrets must be a sequence");
    if (seq == NULL) return NULL;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        Py_DECREF(seq);
        return NULL;
    }
#endif
    Py_ssize_t count = PySequence_Fast_GET_SIZE(seq), windows = 0, length = PyUnicode_GET_LENGTH(text);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    for (Py_ssize_t i = 0; i < count; i++) {
        if (!PyUnicode_Check(items[i])) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_TypeError, "shares_window: secrets must be str");
            return NULL;
        }
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(items[i]) < 0) {
            Py_DECREF(seq);
            return NULL;
        }
#endif
        Py_ssize_t n = PyUnicode_GET_LENGTH(items[i]);
        if (n >= WINDOW) windows += (n - WINDOW) / WINDOW_STEP + 2;
    }
    if (windows == 0 || length < WINDOW) {
        Py_DECREF(seq);
        Py_RETURN_FALSE;
    }
    size_t size = 16;
    while (size < (size_t)windows * 2) size *= 2; /* at most half full: short probes */
    /* the table, then each secret's characters (read once here, not at every probe) */
    Slot *table = PyMem_Calloc(size * sizeof(Slot) + (size_t)count * sizeof(Chars), 1);
    if (table == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    Chars *secrets = (Chars *)(table + size);
    for (Py_ssize_t i = 0; i < count; i++) {
        secrets[i].kind = PyUnicode_KIND(items[i]);
        secrets[i].data = PyUnicode_DATA(items[i]);
    }
    int found = 0; /* -1: crowded, the Python twin answers */
    for (Py_ssize_t i = 0; found == 0 && i < count; i++) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(items[i]);
        if (n < WINDOW) continue;
        for (Py_ssize_t at = 0, last = n - WINDOW; found == 0; at += WINDOW_STEP) {
            if (at > last) at = last; /* the last window, wherever the step ends */
            found = store_window(table, size, secrets, i, at);
            if (at == last) break;
        }
    }
    Chars chars = {PyUnicode_KIND(text), PyUnicode_DATA(text)};
    for (Py_ssize_t at = 0; found == 0 && at <= length - WINDOW; at++) found = stored(table, size, secrets, chars, at);
    PyMem_Free(table);
    Py_DECREF(seq);
    if (found < 0) Py_RETURN_NONE;
    return PyBool_FromLong(found);
}

/* ---------------------------------------------------------------------------------------
 * read_file(path, limit) -> bytes | None | (step, number)
 *
 * linter.engine.read_limited's reading of one file (its Python twin is read_stated, and
 * tests/test_fast_paths.py checks that the two agree), here because a 3 KB article cost
 * about 35,000 instructions in os.open, os.fstat (a stat_result of twenty fields), os.read
 * and os.close and the Python between them: nearly as much as the rest of its reading and
 * splitting. The same steps, each system call with the interpreter's lock released: open
 * with O_NOFOLLOW and O_NONBLOCK (a FIFO does not block, a link is refused), fstat, a regular
 * file only, never more than limit + 1 bytes. The answer: the bytes; None for a file larger
 * than limit; or why it is not read, which the caller words: (0, errno) when open failed
 * (ELOOP or EMLINK: perhaps a link, which the caller's own path checks), (1, errno) when
 * fstat or read failed, (2, 1) for a folder, (2, 0) for anything else that is not a
 * regular file. POSIX only: elsewhere the module has no read_file and the twin reads.
 */
#if !defined(_WIN32)
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#if !defined(_WIN32) && defined(O_NOFOLLOW) && defined(O_NONBLOCK) && defined(O_CLOEXEC)
#define HAVE_READ_FILE 1
#define READ_CHUNK ((Py_ssize_t)1 << 16)

static PyObject *why_not(int step, int number) { return Py_BuildValue("(ii)", step, number); }

static PyObject *read_file(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 2 || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "read_file(path, limit)");
        return NULL;
    }
    int overflow = 0;
    long long limit = PyLong_AsLongLongAndOverflow(args[1], &overflow);
    if (limit == -1 && PyErr_Occurred()) return NULL;
    if (overflow < 0 || (overflow == 0 && limit < 0)) {
        PyErr_SetString(PyExc_ValueError, "limit must not be negative");
        return NULL;
    }
    if (overflow > 0 || limit > PY_SSIZE_T_MAX - 1) limit = PY_SSIZE_T_MAX - 1;
    PyObject *encoded = NULL;
    if (!PyUnicode_FSConverter(args[0], &encoded)) return NULL;
    const char *name = PyBytes_AS_STRING(encoded);
    int fd, saved = 0;
    Py_BEGIN_ALLOW_THREADS
    do {
        fd = open(name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    saved = errno;
    Py_END_ALLOW_THREADS
    Py_DECREF(encoded);
    if (fd < 0) return why_not(0, saved);
    struct stat st;
    int stated;
    Py_BEGIN_ALLOW_THREADS
    stated = fstat(fd, &st);
    saved = errno;
    Py_END_ALLOW_THREADS
    PyObject *result = NULL;
    if (stated != 0) {
        result = why_not(1, saved);
    } else if (!S_ISREG(st.st_mode)) {
        result = why_not(2, S_ISDIR(st.st_mode) ? 1 : 0);
    } else if ((long long)st.st_size > limit) {
        Py_INCREF(Py_None);
        result = Py_None;
    } else {
        /* the size and one byte more: one read for a file that does not grow (a regular
           file returns less than asked only at its end) */
        Py_ssize_t most = (Py_ssize_t)limit + 1, size = (Py_ssize_t)st.st_size + 1, got = 0;
        PyObject *data = PyBytes_FromStringAndSize(NULL, size);
        for (int first = 1; data != NULL; first = 0) {
            if (!first) { /* the file grew since fstat: on, a chunk at a time */
                if (got >= most) break;
                size = got + (most - got > READ_CHUNK ? READ_CHUNK : most - got);
                if (_PyBytes_Resize(&data, size) < 0) break;
            }
            char *into = PyBytes_AS_STRING(data) + got;
            Py_ssize_t count;
            Py_BEGIN_ALLOW_THREADS
            do {
                count = read(fd, into, (size_t)(size - got));
            } while (count < 0 && errno == EINTR);
            saved = errno;
            Py_END_ALLOW_THREADS
            if (count < 0) {
                Py_CLEAR(data);
                result = why_not(1, saved);
                break;
            }
            got += count;
            if (count == 0 || (first && got < size)) break;
        }
        if (data != NULL) {
            if (got > limit) {
                Py_DECREF(data);
                Py_INCREF(Py_None);
                result = Py_None;
            } else if (_PyBytes_Resize(&data, got) == 0) {
                result = data;
            }
        }
    }
    Py_BEGIN_ALLOW_THREADS
    close(fd);
    Py_END_ALLOW_THREADS
    return result;
}
#endif

static PyMethodDef methods[] = {
    {"read", (PyCFunction)(void (*)(void))blockreader_read, METH_FASTCALL,
     "Read the block-style subset; None when the text leaves it."},
    {"shares_window", (PyCFunction)(void (*)(void))shares_window, METH_FASTCALL, "Whether a text holds a window of a secret (None: ask the Python twin)."},
    {"fence", (PyCFunction)(void (*)(void))fence, METH_FASTCALL, "Where the closing fence's line starts, or -1."},
#ifdef HAVE_READ_FILE
    {"read_file", (PyCFunction)(void (*)(void))read_file, METH_FASTCALL, "One file's bytes, as read_limited reads them."},
#endif
#ifdef HAVE_SCAN
    {"scan", (PyCFunction)(void (*)(void))scan, METH_FASTCALL, "One folder of an archive's listing."},
#endif
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_blockreader", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__blockreader(void) { return PyModule_Create(&module); }
