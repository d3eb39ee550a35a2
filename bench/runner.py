"""Code-runner benchmark: per-test overhead of the sandbox per language, and throughput with the pool.

Each figure is compared with running the same program (the same harness, compiled the same way) without
the sandbox, in the same run. Usage:

    sudo .venv/bin/python bench/runner.py [--repeats N] [--submissions N]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mockroom.coding.problems.schema import FunctionSpec  # noqa: E402
from mockroom.coding.runner import FunctionTest, RunnerPool, SandboxRunner, Submission, Verdict  # noqa: E402
from mockroom.coding.runner.languages import support_for  # noqa: E402
from mockroom.coding.runner.values import encode_cases  # noqa: E402

ADD = FunctionSpec(name="add", params=[{"name": "a", "type": "int"}, {"name": "b", "type": "int"}], returns="int")
SOURCES = {
    "python": "def add(a: int, b: int) -> int:\n    return a + b\n",
    "javascript": "function add(a, b) {\n  return a + b;\n}\n",
    "c": "long long add(long long a, long long b) { return a + b; }\n",
    "cpp": "long long add(long long a, long long b) { return a + b; }\n",
    "java": "class Solution {\n    public static long add(long a, long b) { return a + b; }\n}\n",
    "go": "package main\n\nfunc add(a int, b int) int {\n\treturn a + b\n}\n",
    "rust": "fn add(a: i64, b: i64) -> i64 { a + b }\n",
}
MEMORY_MB = 256
# One worker slot held for every single run, as the server's workers hold theirs.
SANDBOX = SandboxRunner()


def tests(count: int) -> list[FunctionTest]:
    """`count` small cases."""
    return [FunctionTest(input={"a": i, "b": 2 * i}, output=3 * i) for i in range(count)]


def submission(language: str, count: int) -> Submission:
    """The add function with `count` cases."""
    return Submission(language=language, source=SOURCES[language], function=ADD, function_tests=tests(count))


class Bare:
    """The same harness compiled and run directly on the host, without any sandbox (our own code only)."""

    def __init__(self, language: str, root: Path) -> None:
        self.support = support_for(language)
        self.root = root / language
        (self.root / "src").mkdir(parents=True)
        (self.root / "build").mkdir()
        (self.root / "pch").mkdir()
        toolchain = self.support.toolchain
        program = self.support.harness(ADD, SOURCES[language], False)
        (self.root / "src" / toolchain.source_file).write_text(program)
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(self.root), "LANG": "C.UTF-8"}
        if toolchain.compile:
            env = self.env | {key: self._path(value) for key, value in toolchain.compile_env.items()}
            subprocess.run([self._path(arg) for arg in toolchain.compile], env=env, check=True, capture_output=True)
        self.argv = [self._path(arg) for arg in toolchain.run(MEMORY_MB)]
        self.env |= toolchain.run_env(MEMORY_MB)

    def _path(self, text: str) -> str:
        if text.startswith("/tmp/"):  # GOCACHE and the like
            return f"{self.root}/tmp-{text[5:]}"
        for name in ("src", "build", "pch"):
            text = text.replace(f"/box/{name}", str(self.root / name))
        return text

    def run(self, count: int) -> None:
        """Runs `count` cases in one process and checks they all returned."""
        stdin = encode_cases(spec=ADD, inputs=[test.input for test in tests(count)], first=0)
        read, write = os.pipe()
        process = subprocess.Popen(
            self.argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            pass_fds=(write,),
            env=self.env | {"MOCKROOM_CHANNEL_FD": str(write)},
        )
        os.close(write)
        process.stdin.write(stdin)  # type: ignore[union-attr]
        process.stdin.close()  # type: ignore[union-attr]
        with os.fdopen(read, "rb") as channel:
            output = channel.read()
        process.wait()
        assert output.count(b" R ") == count, output[-300:]


def paired_ms(first: Callable[[], object], second: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall times (ms) of two actions, alternated so that both see the same machine load."""
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for action, times in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            action()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


def sandboxed(language: str, count: int) -> None:
    """One sandboxed run of `count` cases (the compiled program comes from the artifact cache)."""
    result = SANDBOX.run(submission=submission(language, count))
    assert result.verdict == Verdict.accepted, result


def overheads(languages: list[str], repeats: int, root: Path) -> None:
    print(
        f"{'language':<11} {'1 test: sandbox':>16} {'bare':>8} {'overhead':>9} {'ratio':>6}   "
        f"{'10 tests: sandbox':>18} {'bare':>8} {'ratio':>6}"
    )
    for language in languages:
        bare = Bare(language, root)
        sandboxed(language, 1)  # compiles once into the artifact cache
        sandboxed(language, 10)
        one_box, one_bare = paired_ms(partial(sandboxed, language, 1), partial(bare.run, 1), repeats)
        ten_box, ten_bare = paired_ms(partial(sandboxed, language, 10), partial(bare.run, 10), repeats)
        print(
            f"{language:<11} {one_box:>13.1f} ms {one_bare:>5.1f} ms {one_box - one_bare:>6.1f} ms {one_box / one_bare:>5.1f}x"
            f"   {ten_box:>15.1f} ms {ten_bare:>5.1f} ms {ten_box / ten_bare:>5.1f}x"
        )


def throughput(languages: list[str], submissions: int, root: Path) -> None:
    workers = os.cpu_count() or 1
    pool = RunnerPool(runner=SandboxRunner(), workers=workers, max_queued=submissions)
    print(f"\nthroughput, {workers} workers, {submissions} submissions of 10 tests (one process each):")
    for language in languages:
        bare = Bare(language, root / "throughput")
        started = time.perf_counter()
        futures = [pool.submit_blocking(submission=submission(language, 10)) for _ in range(submissions)]
        assert all(future.result().verdict == Verdict.accepted for future in futures)
        box = submissions * 10 / (time.perf_counter() - started)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as executor:
            list(executor.map(bare.run, [10] * submissions))
        plain = submissions * 10 / (time.perf_counter() - started)
        print(f"  {language:<11} sandbox {box:>7.1f} tests/s   bare {plain:>7.1f} tests/s   ratio {plain / box:>4.1f}x")
    pool.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--submissions", type=int, default=20)
    parser.add_argument("--languages", default=",".join(SOURCES))
    options = parser.parse_args()
    languages = options.languages.split(",")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  ({os.cpu_count()} cores)")
    root = Path(tempfile.mkdtemp(prefix="mockroom-bench-"))
    try:
        overheads(languages, options.repeats, root)
        throughput([lang for lang in ("python", "c", "cpp", "java") if lang in languages], options.submissions, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        SANDBOX.close()
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
