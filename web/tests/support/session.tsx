// Renders a screen inside the session App would provide, with spies for what the screen tells it.
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { vi } from "vitest";
import { SessionContext, type Session, type SessionState } from "../../src/session";
import { user } from "./api";

export function renderWithSession(ui: ReactElement, session: Session = { status: "ready", mode: "accounts", user: user(), notice: null }) {
  const state: SessionState = { session, signedIn: vi.fn(), signedOut: vi.fn(), reload: vi.fn() };
  const result = render(<SessionContext.Provider value={state}>{ui}</SessionContext.Provider>);
  return { ...result, state };
}
