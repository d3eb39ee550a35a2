"""Java 17: `class Solution { public static long[] twoSum(long[] nums, long target) { ... } }`.

int -> long, float -> double, bool -> boolean, string -> String, T[] -> T[] (int[][] -> long[][]).
An instance method works too. The harness class `Main` follows the candidate's code in one file
(Main.java, so `public class Solution` loses its `public`), and runs the cases on a thread with a
512 MB stack so deep recursion behaves as in C++.
"""

import re

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain
from mockroom.coding.runner.values import MARK, camel

TYPES = {
    "int": "long", "float": "double", "bool": "boolean", "string": "String",
    "int[]": "long[]", "float[]": "double[]", "string[]": "String[]", "bool[]": "boolean[]",
    "int[][]": "long[][]", "string[][]": "String[][]",
}  # fmt: skip
_READERS = {
    "int": "mrLong()", "float": "mrDouble()", "bool": "mrBoolean()", "string": "mrString()",
    "int[]": "mrLongs()", "float[]": "mrDoubles()", "string[]": "mrStrings()", "bool[]": "mrBooleans()",
    "int[][]": "mrLongMatrix()", "string[][]": "mrStringMatrix()",
}  # fmt: skip
_PUBLIC_SOLUTION = re.compile(r"\bpublic(\s+(?:final\s+)?class\s+Solution\b)")


def signature(spec: FunctionSpec) -> str:
    """The method's header."""
    params = ", ".join(f"{TYPES[param.type]} {camel(param.name)}" for param in spec.params)
    return f"public static {TYPES[spec.returns]} {camel(spec.name)}({params}) {{"


def starter(spec: FunctionSpec) -> str:
    """Code the editor opens with."""
    return f"import java.util.*;\n\nclass Solution {{\n    {signature(spec)}\n        // Write your solution here.\n    }}\n}}\n"


def program(source: str) -> str:
    """The file Main.java: a `public class Solution` would have to live in Solution.java."""
    return _PUBLIC_SOLUTION.sub(r"\1", source)


def harness(spec: FunctionSpec, source: str, to_stdout: bool) -> str:
    """The program that runs the candidate's function on every case read from standard input."""
    reads = "".join(
        f"            final {TYPES[p.type]} a{i} = {_READERS[p.type]};\n" for i, p in enumerate(spec.params)
    )
    call = f"solution.{camel(spec.name)}({', '.join(f'a{i}' for i in range(len(spec.params)))})"
    return (
        program(source)
        + "\n"
        + (
            _HARNESS.replace("__READS__", reads)
            .replace("__CALL__", call)
            .replace("__TO_STDOUT__", "true" if to_stdout else "false")
            .replace("__MARK__", MARK)
        )
    )


_HARNESS = r"""class Main {
    static byte[] mrIn;
    static int mrPos;
    static java.io.OutputStream mrChannel;
    static final boolean MR_TO_STDOUT = __TO_STDOUT__;

    static String mrToken() {
        while (mrPos < mrIn.length && mrIn[mrPos] <= ' ') mrPos++;
        int start = mrPos;
        while (mrPos < mrIn.length && mrIn[mrPos] > ' ') mrPos++;
        return new String(mrIn, start, mrPos - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    static long mrLong() { return Long.parseLong(mrToken()); }
    static double mrDouble() { return Double.parseDouble(mrToken()); }
    static boolean mrBoolean() { return mrToken().equals("1"); }
    static String mrString() {
        String hex = mrToken();
        byte[] bytes = new byte[(hex.length() - 1) / 2];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    static long[] mrLongs() { long[] a = new long[(int) mrLong()]; for (int i = 0; i < a.length; i++) a[i] = mrLong(); return a; }
    static double[] mrDoubles() { double[] a = new double[(int) mrLong()]; for (int i = 0; i < a.length; i++) a[i] = mrDouble(); return a; }
    static boolean[] mrBooleans() { boolean[] a = new boolean[(int) mrLong()]; for (int i = 0; i < a.length; i++) a[i] = mrBoolean(); return a; }
    static String[] mrStrings() { String[] a = new String[(int) mrLong()]; for (int i = 0; i < a.length; i++) a[i] = mrString(); return a; }
    static long[][] mrLongMatrix() { long[][] a = new long[(int) mrLong()][]; for (int i = 0; i < a.length; i++) a[i] = mrLongs(); return a; }
    static String[][] mrStringMatrix() { String[][] a = new String[(int) mrLong()][]; for (int i = 0; i < a.length; i++) a[i] = mrStrings(); return a; }

    static void mrJson(StringBuilder out, Object value) {
        if (value == null) { out.append("null"); return; }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) out.append("NaN");
            else if (Double.isInfinite(d)) out.append(d > 0 ? "Infinity" : "-Infinity");
            else out.append(d);
            return;
        }
        if (value instanceof Number || value instanceof Boolean) { out.append(value); return; }
        if (value instanceof CharSequence || value instanceof Character) { mrString(out, value.toString()); return; }
        if (value instanceof Iterable) {
            out.append('[');
            boolean first = true;
            for (Object item : (Iterable<?>) value) { if (!first) out.append(','); first = false; mrJson(out, item); }
            out.append(']');
            return;
        }
        if (value.getClass().isArray()) {
            out.append('[');
            int length = java.lang.reflect.Array.getLength(value);
            for (int i = 0; i < length; i++) { if (i > 0) out.append(','); mrJson(out, java.lang.reflect.Array.get(value, i)); }
            out.append(']');
            return;
        }
        mrString(out, value.toString());
    }
    static void mrString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        out.append('"');
    }
    static String mrQuote(String text) { StringBuilder out = new StringBuilder(); mrString(out, text); return out.toString(); }
    static String mrTrace(Throwable error) {
        StringBuilder out = new StringBuilder(error.toString());
        for (StackTraceElement frame : error.getStackTrace()) {
            if (frame.getClassName().equals("Main")) break;
            out.append("\n    at ").append(frame);
        }
        return out.length() > 4000 ? out.substring(out.length() - 4000) : out.toString();
    }
    static void mrEmit(String line) throws java.io.IOException {
        System.out.flush();
        mrChannel.write(("\n__MARK__" + line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        mrChannel.flush();
    }

    static void mrRun() throws Exception {
        mrIn = System.in.readAllBytes();
        mrChannel = MR_TO_STDOUT ? System.out : new java.io.FileOutputStream("/proc/self/fd/" + System.getenv("MOCKROOM_CHANNEL_FD"));
        long first = mrLong(), count = mrLong();
        Solution solution = new Solution();
        for (long index = first; index < first + count; index++) {
            mrEmit("S " + index);
__READS__            long started = System.nanoTime();
            try {
                Object result = __CALL__;
                long micros = (System.nanoTime() - started) / 1000;
                StringBuilder text = new StringBuilder();
                mrJson(text, result);
                mrEmit("R " + index + " " + micros + " " + text);
            } catch (OutOfMemoryError error) {
                mrEmit("E " + index + " " + (System.nanoTime() - started) / 1000 + " memory " + mrQuote(error.toString()));
            } catch (Throwable error) {
                mrEmit("E " + index + " " + (System.nanoTime() - started) / 1000 + " error " + mrQuote(mrTrace(error)));
            }
        }
        mrEmit("D");
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try { mrRun(); } catch (Throwable error) { failure[0] = error; }
        }, "solution", 512L << 20);
        worker.start();
        worker.join();
        System.out.flush();
        if (failure[0] != null) {
            failure[0].printStackTrace();
            System.exit(1);
        }
    }
}
"""

_JVM = ("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto", "-XX:TieredStopAtLevel=1")

SUPPORT = LanguageSupport(
    language="java",
    toolchain=Toolchain(
        source_file="Main.java",
        compile=(
            "/usr/bin/javac",
            *(f"-J{flag}" for flag in _JVM),
            "-J-Xmx768m",
            "-encoding",
            "UTF-8",
            "-nowarn",
            "-d",
            "/box/build",
            "/box/src/Main.java",
        ),
        run=lambda memory_mb: ["/usr/bin/java", *_JVM, f"-Xmx{memory_mb}m", "-Xss8m", "-cp", "/box/build", "Main"],
        runtime_memory_mb=96,
        address_space_limit=False,
        run_pids=128,
    ),
    signature=signature,
    starter=starter,
    harness=harness,
    program=program,
)
