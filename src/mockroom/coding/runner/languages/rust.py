"""Rust (Debian's rustc, edition 2021): `fn two_sum(nums: Vec<i64>, target: i64) -> Vec<i64>`.

int -> i64, float -> f64, bool -> bool, string -> String, T[] -> Vec<T> (int[][] -> Vec<Vec<i64>>).
The harness module follows the candidate's code in one crate and calls the function through `super::`,
so the candidate's `use` lines and names cannot clash with it. Cases run on a thread with a 512 MB stack;
a panic is caught per case.
"""

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain
from mockroom.coding.runner.values import MARK

TYPES = {
    "int": "i64", "float": "f64", "bool": "bool", "string": "String",
    "int[]": "Vec<i64>", "float[]": "Vec<f64>", "string[]": "Vec<String>", "bool[]": "Vec<bool>",
    "int[][]": "Vec<Vec<i64>>", "string[][]": "Vec<Vec<String>>",
}  # fmt: skip


def signature(spec: FunctionSpec) -> str:
    """The function's header."""
    params = ", ".join(f"{param.name}: {TYPES[param.type]}" for param in spec.params)
    return f"fn {spec.name}({params}) -> {TYPES[spec.returns]} {{"


def starter(spec: FunctionSpec) -> str:
    """Code the editor opens with."""
    return f"{signature(spec)}\n    // Write your solution here.\n    todo!()\n}}\n"


def harness(spec: FunctionSpec, source: str, to_stdout: bool) -> str:
    """The program that runs the candidate's function on every case read from standard input."""
    reads = "".join(
        f"            let a{i}: {TYPES[p.type]} = MrRead::mr_read(&mut reader);\n" for i, p in enumerate(spec.params)
    )
    call = f"super::{spec.name}({', '.join(f'a{i}' for i in range(len(spec.params)))})"
    return (
        source
        + "\n"
        + (
            _HARNESS.replace("__READS__", reads)
            .replace("__CALL__", call)
            .replace("__TO_STDOUT__", "true" if to_stdout else "false")
            .replace("__MARK__", MARK)
        )
    )


_HARNESS = r"""
fn main() {
    mockroom_harness::main();
}

mod mockroom_harness {
    use std::io::{Read, Write};

    const TO_STDOUT: bool = __TO_STDOUT__;

    pub struct Reader { data: Vec<u8>, position: usize }

    impl Reader {
        fn token(&mut self) -> &str {
            while self.position < self.data.len() && self.data[self.position] <= b' ' { self.position += 1; }
            let start = self.position;
            while self.position < self.data.len() && self.data[self.position] > b' ' { self.position += 1; }
            std::str::from_utf8(&self.data[start..self.position]).unwrap_or("")
        }
    }

    pub trait MrRead: Sized { fn mr_read(reader: &mut Reader) -> Self; }
    impl MrRead for i64 { fn mr_read(reader: &mut Reader) -> Self { reader.token().parse().unwrap_or(0) } }
    impl MrRead for f64 { fn mr_read(reader: &mut Reader) -> Self { reader.token().parse().unwrap_or(0.0) } }
    impl MrRead for bool { fn mr_read(reader: &mut Reader) -> Self { reader.token() == "1" } }
    impl MrRead for String {
        fn mr_read(reader: &mut Reader) -> Self {
            let hex = reader.token()[1..].as_bytes().to_vec();
            let nibble = |c: u8| if c <= b'9' { c - b'0' } else { (c | 32) - b'a' + 10 };
            let bytes: Vec<u8> = hex.chunks(2).map(|pair| nibble(pair[0]) * 16 + nibble(pair[1])).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
    impl<T: MrRead> MrRead for Vec<T> {
        fn mr_read(reader: &mut Reader) -> Self {
            let count = i64::mr_read(reader) as usize;
            (0..count).map(|_| T::mr_read(reader)).collect()
        }
    }

    pub trait MrJson { fn mr_json(&self, out: &mut String); }
    macro_rules! mr_json_integer { ($($t:ty),*) => { $(impl MrJson for $t { fn mr_json(&self, out: &mut String) { out.push_str(&self.to_string()); } })* } }
    mr_json_integer!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);
    impl MrJson for f64 {
        fn mr_json(&self, out: &mut String) {
            if self.is_nan() { out.push_str("NaN") }
            else if self.is_infinite() { out.push_str(if *self > 0.0 { "Infinity" } else { "-Infinity" }) }
            else { out.push_str(&format!("{:?}", self)) }
        }
    }
    impl MrJson for f32 { fn mr_json(&self, out: &mut String) { (*self as f64).mr_json(out) } }
    impl MrJson for bool { fn mr_json(&self, out: &mut String) { out.push_str(if *self { "true" } else { "false" }) } }
    impl MrJson for str {
        fn mr_json(&self, out: &mut String) {
            out.push('"');
            for c in self.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
    impl MrJson for String { fn mr_json(&self, out: &mut String) { self.as_str().mr_json(out) } }
    impl MrJson for &str { fn mr_json(&self, out: &mut String) { (*self).mr_json(out) } }
    impl MrJson for char { fn mr_json(&self, out: &mut String) { self.to_string().mr_json(out) } }
    impl<T: MrJson> MrJson for Vec<T> {
        fn mr_json(&self, out: &mut String) {
            out.push('[');
            for (i, item) in self.iter().enumerate() {
                if i > 0 { out.push(','); }
                item.mr_json(out);
            }
            out.push(']');
        }
    }
    impl<T: MrJson> MrJson for Option<T> {
        fn mr_json(&self, out: &mut String) { match self { Some(v) => v.mr_json(out), None => out.push_str("null") } }
    }

    fn quote(text: &str) -> String { let mut out = String::new(); text.mr_json(&mut out); out }

    thread_local! { static PANIC: std::cell::RefCell<String> = std::cell::RefCell::new(String::new()); }

    fn emit(channel: &mut std::fs::File, line: &str) {
        let _ = std::io::stdout().flush();
        let _ = channel.write_all(format!("\n__MARK__{}\n", line).as_bytes());
    }

    fn run() {
        let mut data = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut data);
        let mut reader = Reader { data, position: 0 };
        let fd: i32 = if TO_STDOUT { 1 } else { std::env::var("MOCKROOM_CHANNEL_FD").unwrap().parse().unwrap() };
        let mut channel = unsafe { <std::fs::File as std::os::unix::io::FromRawFd>::from_raw_fd(fd) };
        std::panic::set_hook(Box::new(|info| {
            let text = info.to_string();
            PANIC.with(|panic| *panic.borrow_mut() = text);
        }));
        let first = i64::mr_read(&mut reader);
        let count = i64::mr_read(&mut reader);
        for index in first..first + count {
            emit(&mut channel, &format!("S {}", index));
__READS__            let started = std::time::Instant::now();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || __CALL__));
            let micros = started.elapsed().as_micros();
            match outcome {
                Ok(result) => {
                    let mut text = String::new();
                    result.mr_json(&mut text);
                    emit(&mut channel, &format!("R {} {} {}", index, micros, text));
                }
                Err(_) => {
                    let message = PANIC.with(|panic| panic.borrow().clone());
                    emit(&mut channel, &format!("E {} {} error {}", index, micros, quote(&message)));
                }
            }
        }
        emit(&mut channel, "D");
        let _ = std::io::stdout().flush();
        std::mem::forget(channel);
    }

    pub fn main() {
        let worker = std::thread::Builder::new().stack_size(512 << 20).spawn(run).unwrap();
        if worker.join().is_err() { std::process::exit(1); }
    }
}
"""

SUPPORT = LanguageSupport(
    language="rust",
    toolchain=Toolchain(
        source_file="main.rs",
        compile=(
            "/usr/bin/rustc",
            "--edition",
            "2021",
            "-C",
            "opt-level=2",
            "-A",
            "warnings",
            "-o",
            "/box/build/main",
            "/box/src/main.rs",
        ),
        run=lambda memory_mb: ["/box/build/main"],
        run_pids=16,
    ),
    signature=signature,
    starter=starter,
    harness=harness,
)
