"""C++17 (g++ -O2): a free function, snake_case, parameters by value.

int -> long long, float -> double, bool -> bool, string -> std::string, T[] -> std::vector<T>
(int[][] -> std::vector<std::vector<long long>>). The harness puts `#include <bits/stdc++.h>` and
`using namespace std;` before the candidate's code and its own main after it, in one translation unit
(`#line` keeps the candidate's line numbers).
"""

from pathlib import Path

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain
from mockroom.coding.runner.values import MARK

TYPES = {
    "int": "long long", "float": "double", "bool": "bool", "string": "string",
    "int[]": "vector<long long>", "float[]": "vector<double>", "string[]": "vector<string>",
    "bool[]": "vector<bool>", "int[][]": "vector<vector<long long>>", "string[][]": "vector<vector<string>>",
}  # fmt: skip
# The harness code after the candidate's must not depend on `using namespace std`.
_QUALIFIED = {
    kind: name.replace("vector", "std::vector").replace("string", "std::string") for kind, name in TYPES.items()
}
PRELUDE = "#include <bits/stdc++.h>\nusing namespace std;\n"


def signature(spec: FunctionSpec) -> str:
    """The function's header."""
    params = ", ".join(f"{TYPES[param.type]} {param.name}" for param in spec.params)
    return f"{TYPES[spec.returns]} {spec.name}({params}) {{"


def starter(spec: FunctionSpec) -> str:
    """Code the editor opens with (the harness already includes bits/stdc++.h and uses namespace std)."""
    return f"{signature(spec)}\n    // Write your solution here.\n}}\n"


def harness(spec: FunctionSpec, source: str, to_stdout: bool) -> str:
    """The program that runs the candidate's function on every case read from standard input."""
    reads = "".join(f"        {_QUALIFIED[p.type]} mr_arg{i}; mr_read(mr_arg{i});\n" for i, p in enumerate(spec.params))
    call = f"::{spec.name}({', '.join(f'std::move(mr_arg{i})' for i in range(len(spec.params)))})"
    return (
        PRELUDE
        + '#line 1 "solution.cpp"\n'
        + source
        + '\n#line 1 "mockroom-harness.cpp"\n'
        + _HARNESS.replace("__READS__", reads)
        .replace("__CALL__", call)
        .replace("__TO_STDOUT__", "true" if to_stdout else "false")
        .replace("__MARK__", MARK)
    )


_HARNESS = r"""#undef int
namespace mockroom_harness {
static std::string mr_input;
static std::size_t mr_position = 0;
static FILE* mr_channel = nullptr;
static const bool mr_to_stdout = __TO_STDOUT__;

static std::string mr_token() {
    while (mr_position < mr_input.size() && std::isspace((unsigned char)mr_input[mr_position])) ++mr_position;
    std::size_t start = mr_position;
    while (mr_position < mr_input.size() && !std::isspace((unsigned char)mr_input[mr_position])) ++mr_position;
    return mr_input.substr(start, mr_position - start);
}
static int mr_nibble(char c) { return c <= '9' ? c - '0' : (c | 32) - 'a' + 10; }
static void mr_read(long long& value) { value = std::strtoll(mr_token().c_str(), nullptr, 10); }
static void mr_read(double& value) { value = std::strtod(mr_token().c_str(), nullptr); }
static void mr_read(bool& value) { value = mr_token() == "1"; }
static void mr_read(std::string& value) {
    std::string hex = mr_token();
    value.clear();
    for (std::size_t i = 1; i + 1 < hex.size(); i += 2) value += (char)(mr_nibble(hex[i]) * 16 + mr_nibble(hex[i + 1]));
}
template <class T> static void mr_read(std::vector<T>& value) {
    long long count; mr_read(count);
    value.clear();
    value.reserve((std::size_t)count);
    for (long long i = 0; i < count; ++i) { T item; mr_read(item); value.push_back(item); }
}

static void mr_write_string(std::string& out, std::string_view text) {
    out += '"';
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') { out += '\\'; out += (char)c; }
        else if (c < 0x20) { char buffer[8]; std::snprintf(buffer, sizeof buffer, "\\u%04x", c); out += buffer; }
        else out += (char)c;
    }
    out += '"';
}
template <class T> static void mr_write(std::string& out, const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
        out += value ? "true" : "false";
    } else if constexpr (std::is_integral_v<T>) {
        out += std::to_string(value);
    } else if constexpr (std::is_floating_point_v<T>) {
        double number = (double)value;
        if (std::isnan(number)) out += "NaN";
        else if (std::isinf(number)) out += number > 0 ? "Infinity" : "-Infinity";
        else { char buffer[40]; std::snprintf(buffer, sizeof buffer, "%.17g", number); out += buffer; }
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
        mr_write_string(out, std::string_view(value));
    } else {
        out += '[';
        bool first = true;
        for (const auto& item : value) {
            if (!first) out += ',';
            first = false;
            mr_write(out, item);
        }
        out += ']';
    }
}

static void mr_emit(const std::string& line) {
    std::string data = "\n" + std::string("__MARK__") + line + "\n";
    std::cout.flush();  // a case's prints go out before its result, so a flood is blamed on it
    std::fflush(stdout);
    std::fwrite(data.data(), 1, data.size(), mr_channel);
    std::fflush(mr_channel);
}
static long long mr_micros(std::chrono::steady_clock::time_point started) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
}

static int mr_main() {
    char buffer[65536];
    std::size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) mr_input.append(buffer, got);
    if (mr_to_stdout) mr_channel = stdout;
    else mr_channel = fdopen(std::atoi(std::getenv("MOCKROOM_CHANNEL_FD")), "w");
    long long first, count;
    mr_read(first);
    mr_read(count);
    for (long long index = first; index < first + count; ++index) {
        mr_emit("S " + std::to_string(index));
__READS__        auto started = std::chrono::steady_clock::now();
        try {
            auto result = __CALL__;
            long long micros = mr_micros(started);
            std::string text;
            mr_write(text, result);
            mr_emit("R " + std::to_string(index) + " " + std::to_string(micros) + " " + text);
        } catch (const std::bad_alloc&) {
            mr_emit("E " + std::to_string(index) + " " + std::to_string(mr_micros(started)) + " memory \"std::bad_alloc\"");
        } catch (const std::exception& error) {
            std::string text;
            mr_write_string(text, std::string("exception: ") + error.what());
            mr_emit("E " + std::to_string(index) + " " + std::to_string(mr_micros(started)) + " error " + text);
        } catch (...) {
            mr_emit("E " + std::to_string(index) + " " + std::to_string(mr_micros(started)) + " error \"unknown exception\"");
        }
    }
    mr_emit("D");
    std::cout.flush();
    return 0;
}
}  // namespace mockroom_harness

int main() { return mockroom_harness::mr_main(); }
"""

_FLAGS = ("-O2", "-std=c++17")


def _precompiled_header() -> tuple[str, ...] | None:
    """g++ parses bits/stdc++.h in about a second; precompiled once, every compile takes a quarter of that."""
    headers = sorted(Path("/usr/include").glob("*/c++/*/bits/stdc++.h")) or sorted(
        Path("/usr/include").glob("c++/*/bits/stdc++.h")
    )
    if not headers:
        return None
    return ("/usr/bin/g++", *_FLAGS, "-x", "c++-header", str(headers[-1]), "-o", "/box/build/bits/stdc++.h.gch")


SUPPORT = LanguageSupport(
    language="cpp",
    toolchain=Toolchain(
        source_file="main.cpp",
        # /box/pch comes first in the search path so g++ finds bits/stdc++.h.gch there (or falls back).
        compile=("/usr/bin/g++", *_FLAGS, "-I", "/box/pch", "-pipe", "-o", "/box/build/main", "/box/src/main.cpp"),
        precompiled_header=_precompiled_header(),
        run=lambda memory_mb: ["/box/build/main"],
    ),
    signature=signature,
    starter=starter,
    harness=harness,
)
