// Hash routing: #/ (set-up), #/interview/<id> (room), #/interview/<id>/report, #/history,
// #/progress, #/account, #/admin, #/sign-in and #/sign-up (both with an optional ?next=<hash>,
// the screen to return to once signed in). A hash URL survives a reload and needs nothing from
// the server beyond index.html.
import { useEffect, useState } from "react";

export type Route =
  | { screen: "setup" }
  | { screen: "room"; id: string }
  | { screen: "report"; id: string }
  | { screen: "history" }
  | { screen: "progress" }
  | { screen: "account" }
  | { screen: "admin" }
  | { screen: "sign_in"; next: string | null }
  | { screen: "sign_up"; next: string | null }
  | { screen: "not_found" };

/** A screen worth returning to after signing in: one of ours, and not a sign-in screen itself. */
function returnable(hash: string | null): string | null {
  if (!hash?.startsWith("#/")) return null;
  const screen = parseRoute(hash).screen;
  return screen === "setup" || screen === "sign_in" || screen === "sign_up" || screen === "not_found" ? null : hash;
}

export function parseRoute(hash: string): Route {
  const full = hash.replace(/^#/, "");
  const query = full.indexOf("?");
  const path = (query === -1 ? full : full.slice(0, query)).replace(/\/+$/, "") || "/";
  const params = new URLSearchParams(query === -1 ? "" : full.slice(query + 1));
  if (path === "/") return { screen: "setup" };
  if (path === "/history") return { screen: "history" };
  if (path === "/progress") return { screen: "progress" };
  if (path === "/account") return { screen: "account" };
  if (path === "/admin") return { screen: "admin" };
  if (path === "/sign-in") return { screen: "sign_in", next: returnable(params.get("next")) };
  if (path === "/sign-up") return { screen: "sign_up", next: returnable(params.get("next")) };
  const match = /^\/interview\/([^/]+)(\/report)?$/.exec(path);
  if (match?.[1]) {
    const id = decodeURIComponent(match[1]);
    return match[2] ? { screen: "report", id } : { screen: "room", id };
  }
  return { screen: "not_found" };
}

const withNext = (path: string, next: string | null | undefined) => {
  const target = returnable(next ?? null);
  return target ? `${path}?next=${encodeURIComponent(target)}` : path;
};

export const paths = {
  setup: () => "#/",
  history: () => "#/history",
  progress: () => "#/progress",
  account: () => "#/account",
  admin: () => "#/admin",
  room: (id: string) => `#/interview/${encodeURIComponent(id)}`,
  report: (id: string) => `#/interview/${encodeURIComponent(id)}/report`,
  signIn: (next?: string | null) => withNext("#/sign-in", next),
  signUp: (next?: string | null) => withNext("#/sign-up", next),
};

/** Goes to another screen; `replace` keeps the current one out of the back-button history. */
export function navigate(hash: string, { replace = false } = {}): void {
  if (replace) {
    window.history.replaceState(null, "", hash);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = hash;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
