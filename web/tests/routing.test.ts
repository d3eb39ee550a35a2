import { describe, expect, it } from "vitest";
import { parseRoute, paths } from "../src/routing";

describe("routing", () => {
  it.each([
    ["", { screen: "setup" }],
    ["#/", { screen: "setup" }],
    ["#/history", { screen: "history" }],
    ["#/history/", { screen: "history" }],
    ["#/interview/abc123", { screen: "room", id: "abc123" }],
    ["#/interview/abc123/report", { screen: "report", id: "abc123" }],
    ["#/nope", { screen: "not_found" }],
  ])("parses %s", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it("round-trips ids through paths", () => {
    expect(parseRoute(paths.room("a b"))).toEqual({ screen: "room", id: "a b" });
    expect(parseRoute(paths.report("x"))).toEqual({ screen: "report", id: "x" });
  });
});
