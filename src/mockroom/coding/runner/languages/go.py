"""Go (Debian's golang-go): `func twoSum(nums []int, target int) []int` in package main.

int -> int (64-bit), float -> float64, bool -> bool, string -> string, T[] -> []T (int[][] -> [][]int).
The harness joins the candidate's file: its imports go on the `package main` line under aliases (so
line numbers and the candidate's own imports are untouched) and its code at the end.
"""

import re

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain
from mockroom.coding.runner.values import MARK, camel

TYPES = {
    "int": "int", "float": "float64", "bool": "bool", "string": "string",
    "int[]": "[]int", "float[]": "[]float64", "string[]": "[]string", "bool[]": "[]bool",
    "int[][]": "[][]int", "string[][]": "[][]string",
}  # fmt: skip
_READERS = {
    "int": "mrInt()", "float": "mrFloat()", "bool": "mrBool()", "string": "mrString()",
    "int[]": "mrInts()", "float[]": "mrFloats()", "string[]": "mrStrings()", "bool[]": "mrBools()",
    "int[][]": "mrIntMatrix()", "string[][]": "mrStringMatrix()",
}  # fmt: skip
_PACKAGE = re.compile(r"^([ \t]*package[ \t]+main\b)", re.MULTILINE)
_IMPORTS = (
    'import (mrdebug "runtime/debug"; mrfmt "fmt"; mrhex "encoding/hex"; mrio "io"; mrjson "encoding/json"; '
    'mrmath "math"; mros "os"; mrstrconv "strconv"; mrtime "time")'
)
_GO_ENV = {
    "GOCACHE": "/tmp/go-cache",
    "GOPATH": "/tmp/go",
    "GO111MODULE": "off",
    "CGO_ENABLED": "0",
    "GOFLAGS": "-buildvcs=false",
}


def signature(spec: FunctionSpec) -> str:
    """The function's header."""
    params = ", ".join(f"{camel(param.name)} {TYPES[param.type]}" for param in spec.params)
    return f"func {camel(spec.name)}({params}) {TYPES[spec.returns]} {{"


def starter(spec: FunctionSpec) -> str:
    """Code the editor opens with."""
    return f"package main\n\n{signature(spec)}\n\t// Write your solution here.\n}}\n"


def harness(spec: FunctionSpec, source: str, to_stdout: bool) -> str:
    """The program that runs the candidate's function on every case read from standard input."""
    if _PACKAGE.search(source):
        joined = _PACKAGE.sub(lambda match: f"{match.group(1)}; {_IMPORTS}", source, count=1)
    else:
        joined = f"package main; {_IMPORTS}; {source}"
    reads = "".join(f"\t\ta{i} := {_READERS[p.type]}\n" for i, p in enumerate(spec.params))
    call = f"{camel(spec.name)}({', '.join(f'a{i}' for i in range(len(spec.params)))})"
    return (
        joined
        + "\n"
        + (
            _HARNESS.replace("__READS__", reads)
            .replace("__CALL__", call)
            .replace("__TO_STDOUT__", "true" if to_stdout else "false")
            .replace("__MARK__", MARK)
        )
    )


_HARNESS = r"""
var mrIn []byte
var mrPos int
var mrChannel *mros.File

const mrToStdout = __TO_STDOUT__

func mrToken() string {
	for mrPos < len(mrIn) && mrIn[mrPos] <= ' ' {
		mrPos++
	}
	start := mrPos
	for mrPos < len(mrIn) && mrIn[mrPos] > ' ' {
		mrPos++
	}
	return string(mrIn[start:mrPos])
}
func mrInt() int { v, _ := mrstrconv.ParseInt(mrToken(), 10, 64); return int(v) }
func mrFloat() float64 { v, _ := mrstrconv.ParseFloat(mrToken(), 64); return v }
func mrBool() bool { return mrToken() == "1" }
func mrString() string { b, _ := mrhex.DecodeString(mrToken()[1:]); return string(b) }
func mrInts() []int { a := make([]int, mrInt()); for i := range a { a[i] = mrInt() }; return a }
func mrFloats() []float64 { a := make([]float64, mrInt()); for i := range a { a[i] = mrFloat() }; return a }
func mrBools() []bool { a := make([]bool, mrInt()); for i := range a { a[i] = mrBool() }; return a }
func mrStrings() []string { a := make([]string, mrInt()); for i := range a { a[i] = mrString() }; return a }
func mrIntMatrix() [][]int { a := make([][]int, mrInt()); for i := range a { a[i] = mrInts() }; return a }
func mrStringMatrix() [][]string { a := make([][]string, mrInt()); for i := range a { a[i] = mrStrings() }; return a }

func mrFloatJSON(out []byte, v float64) []byte {
	if mrmath.IsNaN(v) {
		return append(out, "NaN"...)
	}
	if mrmath.IsInf(v, 0) {
		if v > 0 {
			return append(out, "Infinity"...)
		}
		return append(out, "-Infinity"...)
	}
	return mrstrconv.AppendFloat(out, v, 'g', -1, 64)
}

func mrJSON(out []byte, value interface{}) []byte {
	switch v := value.(type) {
	case int:
		return mrstrconv.AppendInt(out, int64(v), 10)
	case int64:
		return mrstrconv.AppendInt(out, v, 10)
	case int32:
		return mrstrconv.AppendInt(out, int64(v), 10)
	case float64:
		return mrFloatJSON(out, v)
	case bool:
		return mrstrconv.AppendBool(out, v)
	case string:
		text, _ := mrjson.Marshal(v)
		return append(out, text...)
	case []int:
		out = append(out, '[')
		for i, item := range v {
			if i > 0 {
				out = append(out, ',')
			}
			out = mrstrconv.AppendInt(out, int64(item), 10)
		}
		return append(out, ']')
	case []float64:
		out = append(out, '[')
		for i, item := range v {
			if i > 0 {
				out = append(out, ',')
			}
			out = mrFloatJSON(out, item)
		}
		return append(out, ']')
	case []bool, []string, [][]int, [][]string, []int64, [][]int64:
		if text, err := mrjson.Marshal(v); err == nil && string(text) != "null" {
			return append(out, text...)
		}
		return append(out, "[]"...)
	}
	text, err := mrjson.Marshal(value)
	if err != nil {
		return append(out, "null"...)
	}
	return append(out, text...)
}

func mrQuote(text string) string { b, _ := mrjson.Marshal(text); return string(b) }

func mrEmit(line string) {
	data := []byte("\n__MARK__" + line + "\n")
	for len(data) > 0 {
		n, err := mrChannel.Write(data)
		if err != nil {
			mros.Exit(1)
		}
		data = data[n:]
	}
}

func mrCase(index int, call func() interface{}) {
	started := mrtime.Now()
	defer func() {
		if failure := recover(); failure != nil {
			micros := mrtime.Since(started).Microseconds()
			mrEmit(mrfmt.Sprintf("E %d %d error %s", index, micros, mrQuote(mrfmt.Sprintf("panic: %v\n\n%s", failure, mrdebug.Stack()))))
		}
	}()
	result := call()
	micros := mrtime.Since(started).Microseconds()
	mrEmit(mrfmt.Sprintf("R %d %d ", index, micros) + string(mrJSON(nil, result)))
}

func main() {
	mrIn, _ = mrio.ReadAll(mros.Stdin)
	if mrToStdout {
		mrChannel = mros.Stdout
	} else {
		fd, _ := mrstrconv.Atoi(mros.Getenv("MOCKROOM_CHANNEL_FD"))
		mrChannel = mros.NewFile(uintptr(fd), "channel")
	}
	first, count := mrInt(), mrInt()
	for index := first; index < first+count; index++ {
		mrEmit(mrfmt.Sprintf("S %d", index))
__READS__		mrCase(index, func() interface{} { return __CALL__ })
	}
	mrEmit("D")
}
"""

SUPPORT = LanguageSupport(
    language="go",
    toolchain=Toolchain(
        source_file="main.go",
        compile=("/usr/bin/go", "build", "-o", "/box/build/main", "/box/src/main.go"),
        compile_env=_GO_ENV,
        run=lambda memory_mb: ["/box/build/main"],
        run_env=lambda memory_mb: {"GOMEMLIMIT": f"{memory_mb * 9 // 10}MiB", "GOMAXPROCS": "2"},
        runtime_memory_mb=16,
        address_space_limit=False,
    ),
    signature=signature,
    starter=starter,
    harness=harness,
)
