"""C (gcc -O2 -std=gnu17): a function whose arrays come with explicit lengths.

The convention, for `two_sum(nums: int[], target: int) -> int[]`:

    long long* two_sum(long long* nums, int nums_len, long long target, int* out_len);

- int -> long long, float -> double, bool -> bool (stdbool.h), string -> char* (NUL-terminated UTF-8).
- An array parameter `x` is `T* x, int x_len`; a matrix (int[][], string[][]) is
  `T** x, int x_len, int* x_lens` with one length per row. Inputs are the candidate's own copies.
- A returned array adds `int* out_len` after the parameters (set it to the length); a returned matrix adds
  `int* out_len, int** out_lens` (set both; out_lens malloc'd). Returned strings and arrays are malloc'd
  (or static); the harness only reads them.
The common headers (stdio, stdlib, string, stdbool, math, limits, stdint, ctype) are included for you.
"""

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain
from mockroom.coding.runner.values import MARK, element

SCALARS = {"int": "long long", "float": "double", "bool": "bool", "string": "char*"}
PRELUDE = "".join(
    f"#include <{header}.h>\n"
    for header in ("stdio", "stdlib", "string", "stdbool", "math", "limits", "stdint", "ctype", "time")
)


def _params(name: str, kind: str) -> list[str]:
    if kind.endswith("[][]"):
        return [f"{SCALARS[kind[:-4]]}** {name}", f"int {name}_len", f"int* {name}_lens"]
    if kind.endswith("[]"):
        return [f"{SCALARS[element(kind)]}* {name}", f"int {name}_len"]
    return [f"{SCALARS[kind]} {name}"]


def _returns(kind: str) -> tuple[str, list[str]]:
    if kind.endswith("[][]"):
        return f"{SCALARS[kind[:-4]]}**", ["int* out_len", "int** out_lens"]
    if kind.endswith("[]"):
        return f"{SCALARS[element(kind)]}*", ["int* out_len"]
    return SCALARS[kind], []


def signature(spec: FunctionSpec) -> str:
    """The function's header."""
    returns, extra = _returns(spec.returns)
    params = [text for param in spec.params for text in _params(param.name, param.type)] + extra
    return f"{returns} {spec.name}({', '.join(params)}) {{"


def starter(spec: FunctionSpec) -> str:
    """Code the editor opens with."""
    note = ""
    if spec.returns.endswith("[][]"):
        note = (
            "    // Return a malloc'd array of rows; set *out_len to the row count and *out_lens to the row lengths.\n"
        )
    elif spec.returns.endswith("[]"):
        note = "    // Return a malloc'd array and set *out_len to its length.\n"
    return f"{signature(spec)}\n{note}    // Write your solution here.\n}}\n"


def _suffix(kind: str) -> str:
    return kind.rstrip("[]")


def _read(index: int, kind: str) -> tuple[str, str]:
    """(declaration reading the argument, the call's argument list) for parameter `index`."""
    base = _suffix(kind)
    if kind.endswith("[][]"):
        return (
            f"int mr_len{index}; int* mr_lens{index}; {SCALARS[base]}** mr_arg{index} = "
            f"mr_read_{base}_matrix(&mr_len{index}, &mr_lens{index});",
            f"mr_arg{index}, mr_len{index}, mr_lens{index}",
        )
    if kind.endswith("[]"):
        return (
            f"int mr_len{index}; {SCALARS[base]}* mr_arg{index} = mr_read_{base}_array(&mr_len{index});",
            f"mr_arg{index}, mr_len{index}",
        )
    return f"{SCALARS[base]} mr_arg{index} = mr_read_{base}();", f"mr_arg{index}"


def harness(spec: FunctionSpec, source: str, to_stdout: bool) -> str:
    """The program that runs the candidate's function on every case read from standard input."""
    reads, arguments = zip(*(_read(i, p.type) for i, p in enumerate(spec.params)), strict=True)
    base = _suffix(spec.returns)
    if spec.returns.endswith("[][]"):
        call = (
            f"int mr_out_len = 0; int* mr_out_lens = NULL; {SCALARS[base]}** mr_result = "
            f"{spec.name}({', '.join(arguments)}, &mr_out_len, &mr_out_lens);"
        )
        write = f"mr_write_{base}_matrix(&mr_text, mr_result, mr_out_len, mr_out_lens);"
    elif spec.returns.endswith("[]"):
        call = f"int mr_out_len = 0; {SCALARS[base]}* mr_result = {spec.name}({', '.join(arguments)}, &mr_out_len);"
        write = f"mr_write_{base}_array(&mr_text, mr_result, mr_out_len);"
    else:
        call = f"{SCALARS[base]} mr_result = {spec.name}({', '.join(arguments)});"
        write = f"mr_write_{base}(&mr_text, mr_result);"
    body = "\n        ".join(
        [*reads, "long long mr_started = mr_now();", call, "long long mr_micros = mr_now() - mr_started;", write]
    )
    return (
        PRELUDE
        + '#line 1 "solution.c"\n'
        + source
        + '\n#line 1 "mockroom-harness.c"\n'
        + _HARNESS.replace("__BODY__", body)
        .replace("__TO_STDOUT__", "1" if to_stdout else "0")
        .replace("__MARK__", MARK)
    )


_HARNESS = r"""
typedef struct { char* data; size_t length, capacity; } mr_buffer;
static char* mr_input;
static size_t mr_input_length, mr_position;
static FILE* mr_channel;

static void mr_put(mr_buffer* buffer, const char* text, size_t length) {
    if (buffer->length + length + 1 > buffer->capacity) {
        buffer->capacity = (buffer->length + length + 1) * 2;
        buffer->data = realloc(buffer->data, buffer->capacity);
    }
    memcpy(buffer->data + buffer->length, text, length);
    buffer->length += length;
    buffer->data[buffer->length] = 0;
}
static void mr_puts(mr_buffer* buffer, const char* text) { mr_put(buffer, text, strlen(text)); }

static char* mr_token(void) {
    while (mr_position < mr_input_length && isspace((unsigned char)mr_input[mr_position])) mr_position++;
    char* start = mr_input + mr_position;
    while (mr_position < mr_input_length && !isspace((unsigned char)mr_input[mr_position])) mr_position++;
    if (mr_position < mr_input_length) mr_input[mr_position++] = 0;
    return start;
}
static int mr_nibble(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
static long long mr_read_int(void) { return strtoll(mr_token(), NULL, 10); }
static double mr_read_float(void) { return strtod(mr_token(), NULL); }
static bool mr_read_bool(void) { return mr_token()[0] == '1'; }
static char* mr_read_string(void) {
    char* hex = mr_token() + 1;
    size_t length = strlen(hex) / 2;
    char* text = malloc(length + 1);
    for (size_t i = 0; i < length; i++) text[i] = (char)(mr_nibble(hex[2 * i]) * 16 + mr_nibble(hex[2 * i + 1]));
    text[length] = 0;
    return text;
}
#define MR_ARRAY(NAME, TYPE)                                                        \
    static TYPE* mr_read_##NAME##_array(int* length) {                              \
        *length = (int)mr_read_int();                                                \
        TYPE* items = malloc(sizeof(TYPE) * ((size_t)*length + 1));                  \
        for (int i = 0; i < *length; i++) items[i] = mr_read_##NAME();               \
        return items;                                                                \
    }                                                                                \
    static TYPE** mr_read_##NAME##_matrix(int* length, int** lengths) {             \
        *length = (int)mr_read_int();                                                \
        TYPE** rows = malloc(sizeof(TYPE*) * ((size_t)*length + 1));                 \
        *lengths = malloc(sizeof(int) * ((size_t)*length + 1));                      \
        for (int i = 0; i < *length; i++) rows[i] = mr_read_##NAME##_array(&(*lengths)[i]); \
        return rows;                                                                 \
    }
MR_ARRAY(int, long long)
MR_ARRAY(float, double)
MR_ARRAY(bool, bool)
MR_ARRAY(string, char*)

static void mr_write_int(mr_buffer* out, long long value) {
    char text[32];
    snprintf(text, sizeof text, "%lld", value);
    mr_puts(out, text);
}
static void mr_write_float(mr_buffer* out, double value) {
    char text[40];
    if (isnan(value)) mr_puts(out, "NaN");
    else if (isinf(value)) mr_puts(out, value > 0 ? "Infinity" : "-Infinity");
    else { snprintf(text, sizeof text, "%.17g", value); mr_puts(out, text); }
}
static void mr_write_bool(mr_buffer* out, bool value) { mr_puts(out, value ? "true" : "false"); }
static void mr_write_string(mr_buffer* out, const char* value) {
    if (value == NULL) { mr_puts(out, "null"); return; }
    mr_put(out, "\"", 1);
    for (const unsigned char* c = (const unsigned char*)value; *c; c++) {
        char escaped[8];
        if (*c == '"' || *c == '\\') { escaped[0] = '\\'; escaped[1] = (char)*c; mr_put(out, escaped, 2); }
        else if (*c < 0x20) { snprintf(escaped, sizeof escaped, "\\u%04x", *c); mr_puts(out, escaped); }
        else mr_put(out, (const char*)c, 1);
    }
    mr_put(out, "\"", 1);
}
#define MR_WRITE_ARRAY(NAME, TYPE)                                                  \
    static void mr_write_##NAME##_array(mr_buffer* out, TYPE* items, int length) {  \
        if (items == NULL && length > 0) { mr_puts(out, "null"); return; }          \
        mr_put(out, "[", 1);                                                         \
        for (int i = 0; i < length; i++) {                                           \
            if (i) mr_put(out, ",", 1);                                              \
            mr_write_##NAME(out, items[i]);                                          \
        }                                                                            \
        mr_put(out, "]", 1);                                                         \
    }                                                                                \
    static void mr_write_##NAME##_matrix(mr_buffer* out, TYPE** rows, int length, int* lengths) { \
        if ((rows == NULL || lengths == NULL) && length > 0) { mr_puts(out, "null"); return; } \
        mr_put(out, "[", 1);                                                         \
        for (int i = 0; i < length; i++) {                                           \
            if (i) mr_put(out, ",", 1);                                              \
            mr_write_##NAME##_array(out, rows[i], lengths[i]);                       \
        }                                                                            \
        mr_put(out, "]", 1);                                                         \
    }
MR_WRITE_ARRAY(int, long long)
MR_WRITE_ARRAY(float, double)
MR_WRITE_ARRAY(bool, bool)
MR_WRITE_ARRAY(string, char*)

static void mr_emit(const char* line) {
    fflush(stdout);  /* a case's prints go out before its result, so a flood is blamed on it */
    fprintf(mr_channel, "\n__MARK__%s\n", line);
    fflush(mr_channel);
}
static long long mr_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

int main(void) {
    size_t capacity = 65536, got;
    mr_input = malloc(capacity);
    while ((got = fread(mr_input + mr_input_length, 1, capacity - mr_input_length - 1, stdin)) > 0) {
        mr_input_length += got;
        if (capacity - mr_input_length < 2) mr_input = realloc(mr_input, capacity *= 2);
    }
    mr_input[mr_input_length] = 0;
    mr_channel = __TO_STDOUT__ ? stdout : fdopen(atoi(getenv("MOCKROOM_CHANNEL_FD")), "w");
    long long first = mr_read_int(), count = mr_read_int();
    char head[64];
    for (long long index = first; index < first + count; index++) {
        snprintf(head, sizeof head, "S %lld", index);
        mr_emit(head);
        mr_buffer mr_text = {0};
        __BODY__
        mr_buffer line = {0};
        snprintf(head, sizeof head, "R %lld %lld ", index, mr_micros);
        mr_puts(&line, head);
        mr_put(&line, mr_text.data ? mr_text.data : "", mr_text.length);
        mr_emit(line.data);
        free(line.data);
        free(mr_text.data);
    }
    mr_emit("D");
    fflush(stdout);
    return 0;
}
"""

SUPPORT = LanguageSupport(
    language="c",
    toolchain=Toolchain(
        source_file="main.c",
        compile=("/usr/bin/gcc", "-O2", "-std=gnu17", "-pipe", "-o", "/box/build/main", "/box/src/main.c", "-lm"),
        run=lambda memory_mb: ["/box/build/main"],
    ),
    signature=signature,
    starter=starter,
    harness=harness,
)
