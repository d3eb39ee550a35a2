// Hash routing: #/ (set-up), #/interview/<id> (room), #/interview/<id>/report, #/history.
// A hash URL survives a reload and needs nothing from the server beyond index.html.
import { useEffect, useState } from "react";

export type Route =
  | { screen: "setup" }
  | { screen: "room"; id: string }
  | { screen: "report"; id: string }
  | { screen: "history" }
  | { screen: "not_found" };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/\/+$/, "") || "/";
  if (path === "/") return { screen: "setup" };
  if (path === "/history") return { screen: "history" };
  const match = /^\/interview\/([^/]+)(\/report)?$/.exec(path);
  if (match?.[1]) {
    const id = decodeURIComponent(match[1]);
    return match[2] ? { screen: "report", id } : { screen: "room", id };
  }
  return { screen: "not_found" };
}

export const paths = {
  setup: () => "#/",
  history: () => "#/history",
  room: (id: string) => `#/interview/${encodeURIComponent(id)}`,
  report: (id: string) => `#/interview/${encodeURIComponent(id)}/report`,
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
