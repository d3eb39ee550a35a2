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
    ["#/progress", { screen: "progress" }],
    ["#/account", { screen: "account" }],
    ["#/admin", { screen: "admin" }],
    ["#/sign-in", { screen: "sign_in", next: null }],
    ["#/sign-in?next=%23%2Fhistory", { screen: "sign_in", next: "#/history" }],
    ["#/sign-up?next=%23%2Finterview%2Fiv1", { screen: "sign_up", next: "#/interview/iv1" }],
    ["#/sign-in?next=https%3A%2F%2Fevil.example", { screen: "sign_in", next: null }],
    ["#/sign-in?next=%23%2Fsign-in", { screen: "sign_in", next: null }],
    ["#/nope", { screen: "not_found" }],
  ])("parses %s", (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it("round-trips ids through paths", () => {
    expect(parseRoute(paths.room("a b"))).toEqual({ screen: "room", id: "a b" });
    expect(parseRoute(paths.report("x"))).toEqual({ screen: "report", id: "x" });
  });

  it("carries where to return to through sign-in, but only to one of the app's own screens", () => {
    expect(paths.signIn("#/interview/a b/report")).toBe("#/sign-in?next=%23%2Finterview%2Fa%20b%2Freport");
    expect(parseRoute(paths.signIn(paths.report("a b")))).toEqual({ screen: "sign_in", next: "#/interview/a%20b/report" });
    expect(paths.signIn()).toBe("#/sign-in");
    expect(paths.signIn("#/")).toBe("#/sign-in");
    expect(paths.signUp("#/sign-in?next=%23%2Fhistory")).toBe("#/sign-up");
    expect(paths.signIn("//evil.example")).toBe("#/sign-in");
  });
});
