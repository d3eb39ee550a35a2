"""JavaScript (Node, /usr/bin/node): `function twoSum(nums, target) { ... }`.

A plain function (or `var twoSum = function ...`) in the file, camelCase. The harness compiles the code
with vm.compileFunction, so a syntax error is reported as a compilation error; `require` works.
"""

import json

from mockroom.coding.problems.schema import FunctionSpec
from mockroom.coding.runner.languages.base import LanguageSupport, Toolchain
from mockroom.coding.runner.values import MARK, camel

TYPES = {
    "int": "number", "float": "number", "bool": "boolean", "string": "string",
    "int[]": "number[]", "float[]": "number[]", "string[]": "string[]", "bool[]": "boolean[]",
    "int[][]": "number[][]", "string[][]": "string[][]",
}  # fmt: skip


def signature(spec: FunctionSpec) -> str:
    """The function's header."""
    return f"function {camel(spec.name)}({', '.join(camel(param.name) for param in spec.params)}) {{"


def starter(spec: FunctionSpec) -> str:
    """Code the editor opens with, typed in JSDoc."""
    doc = "".join(f" * @param {{{TYPES[param.type]}}} {camel(param.name)}\n" for param in spec.params)
    return f"/**\n{doc} * @return {{{TYPES[spec.returns]}}}\n */\n{signature(spec)}\n    // Write your solution here.\n}}\n"


def harness(spec: FunctionSpec, source: str, to_stdout: bool) -> str:
    """The program that runs the candidate's function on every case read from standard input."""
    name = camel(spec.name)
    lookup = f"\n;return typeof {name} === 'function' ? {name} : (module.exports && module.exports.{name});"
    return (
        _HARNESS.replace("__SOURCE__", json.dumps(source + lookup))
        .replace("__KINDS__", json.dumps([param.type for param in spec.params]))
        .replace("__NAME__", json.dumps(name))
        .replace("__TO_STDOUT__", json.dumps(to_stdout))
        .replace("__MARK__", json.dumps(MARK))
    )


_HARNESS = r"""
"use strict";
const mrFs = require("fs");
const mrVm = require("vm");
const MR_TO_STDOUT = __TO_STDOUT__;
const MR_FD = MR_TO_STDOUT ? 1 : Number(process.env.MOCKROOM_CHANNEL_FD);

function mrEmit(line) {
  const data = Buffer.from("\n" + __MARK__ + line + "\n");
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += mrFs.writeSync(MR_FD, data, offset);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
    }
  }
}

function mrRead(kind, tokens) {
  if (kind.endsWith("[]")) {
    const count = Number(tokens.next());
    const items = new Array(count);
    for (let i = 0; i < count; i++) items[i] = mrRead(kind.slice(0, -2), tokens);
    return items;
  }
  const token = tokens.next();
  if (kind === "int" || kind === "float") return Number(token);
  if (kind === "bool") return token === "1";
  return Buffer.from(token.slice(1), "hex").toString("utf8");
}

function mrJson(value) {
  if (value === undefined || value === null) return "null";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return "[" + Array.from(value, mrJson).join(",") + "]";
  const text = JSON.stringify(value);
  return text === undefined ? "null" : text;
}

function mrError(error) {
  const text = error && error.stack ? String(error.stack) : String(error);
  return JSON.stringify(text.split("\n").filter((line) => !line.includes("/box/src/main.js") && !line.includes("(node:")).join("\n").slice(-4000));
}

function mrMain() {
  // Pipes are asynchronous in Node: make prints land before the case's result, as in other languages.
  for (const stream of [process.stdout, process.stderr]) {
    if (stream._handle && stream._handle.setBlocking) stream._handle.setBlocking(true);
  }
  const words = mrFs.readFileSync(0, "latin1").split(/\s+/).filter((word) => word.length > 0);
  let position = 0;
  const tokens = { next: () => words[position++] };
  const first = Number(tokens.next());
  const count = Number(tokens.next());
  let factory;
  try {
    factory = mrVm.compileFunction(__SOURCE__, ["require", "module", "exports"], { filename: "solution.js" });
  } catch (error) {
    mrEmit("C " + mrError(error));
    return;
  }
  let fn;
  try {
    const module = { exports: {} };
    fn = factory(require, module, module.exports);
  } catch (error) {
    mrEmit("F " + mrError(error));
    return;
  }
  if (typeof fn !== "function") {
    mrEmit("C " + JSON.stringify("Define a function named " + __NAME__ + "."));
    return;
  }
  const kinds = __KINDS__;
  for (let index = first; index < first + count; index++) {
    mrEmit("S " + index);
    const args = kinds.map((kind) => mrRead(kind, tokens));
    const started = process.hrtime.bigint();
    let text;
    try {
      text = mrJson(fn(...args));
    } catch (error) {
      const micros = (process.hrtime.bigint() - started) / 1000n;
      mrEmit("E " + index + " " + micros + " error " + mrError(error));
      continue;
    }
    const micros = (process.hrtime.bigint() - started) / 1000n;
    mrEmit("R " + index + " " + micros + " " + text);
  }
  mrEmit("D");
}

mrMain();
"""

SUPPORT = LanguageSupport(
    language="javascript",
    toolchain=Toolchain(
        source_file="main.js",
        run=lambda memory_mb: ["/usr/bin/node", f"--max-old-space-size={memory_mb}", "/box/src/main.js"],
        check=("/usr/bin/node", "--check", "/box/src/main.js"),
        runtime_memory_mb=64,
        address_space_limit=False,
    ),
    signature=signature,
    starter=starter,
    harness=harness,
)
