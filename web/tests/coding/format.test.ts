import { describe, expect, it } from "vitest";
import { showArguments, showValue, tail, verdictLabel, verdictTone } from "../../src/coding/format";
import { codingExercise } from "../support/api";
import type { CodingProblem } from "../../src/api/types";

const problem = codingExercise().problem as CodingProblem;

describe("coding formats", () => {
  it("names every verdict the runner gives", () => {
    expect(verdictLabel("time_limit")).toBe("Time limit exceeded");
    expect(verdictLabel("something_new")).toBe("something new");
    expect([verdictTone("accepted"), verdictTone("wrong_answer"), verdictTone("skipped")]).toEqual(["pass", "fail", "neutral"]);
  });

  it("shows arguments in parameter order and cuts huge values short", () => {
    expect(showArguments({ nums: [1, 2], extra: "x" }, problem)).toBe('nums = [1,2]\nextra = "x"');
    expect(showValue(Array.from({ length: 500 }, (_, i) => i), 20)).toBe("[0,1,2,3,4,5,6,7,8,9… (1,891 characters)");
  });

  it("keeps the end of long output, where a traceback names the error", () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
    expect(tail(`${lines}\n\n`, 3)).toBe("line 47\nline 48\nline 49");
  });
});
