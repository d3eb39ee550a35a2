// Who is using the app, and whether the server wants anyone to sign in at all. `GET /api/auth/me`
// answers both: `mode` "local" means one user and no sign-in (the app works without any of this);
// in "accounts" mode it answers 401 until someone signs in, and so does every other call once the
// session ends, which signs the app out here too.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiError, getMe, onUnauthenticated } from "./api/client";
import type { AuthMode, User } from "./api/types";

export type Session =
  | { status: "loading" }
  | { status: "failed"; message: string }
  /** `user` is null when nobody is signed in (accounts mode only); `notice` is for the sign-in screen. */
  | { status: "ready"; mode: AuthMode; user: User | null; notice: string | null };

export interface SessionState {
  session: Session;
  /** After a successful sign-in. */
  signedIn: (user: User) => void;
  /** After signing out, a password change or deleting the account; `notice` says why on the sign-in screen. */
  signedOut: (notice?: string) => void;
  /** Asks the server again after `failed`. */
  reload: () => void;
}

const expired = "Your session has ended. Sign in again to continue.";

/** The app's session, read from the server once and kept up to date; App provides it to every screen. */
export function useSessionState(): SessionState {
  const [session, setSession] = useState<Session>({ status: "loading" });

  const reload = useCallback(async () => {
    setSession({ status: "loading" });
    try {
      const me = await getMe();
      setSession({ status: "ready", mode: me.mode, user: me.user, notice: null });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setSession({ status: "ready", mode: "accounts", user: null, notice: null });
      } else {
        setSession({ status: "failed", message: error instanceof ApiError ? error.message : "Mockroom could not start." });
      }
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  // Only a server in accounts mode says "unauthenticated"; in local mode nothing changes.
  useEffect(
    () =>
      onUnauthenticated(() =>
        setSession((current) => {
          if (current.status === "ready" && current.mode === "local") return current;
          if (current.status === "ready" && !current.user) return current;
          const wasSignedIn = current.status === "ready" && current.user !== null;
          return { status: "ready", mode: "accounts", user: null, notice: wasSignedIn ? expired : null };
        }),
      ),
    [],
  );

  const signedIn = useCallback((user: User) => {
    setSession({ status: "ready", mode: "accounts", user, notice: null });
  }, []);

  const signedOut = useCallback((notice?: string) => {
    setSession({ status: "ready", mode: "accounts", user: null, notice: notice ?? null });
  }, []);

  return useMemo(() => ({ session, signedIn, signedOut, reload: () => void reload() }), [session, signedIn, signedOut, reload]);
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error("useSession needs the SessionContext that App provides");
  return state;
}

/** The signed-in user, or null in local mode, while loading, or when nobody is signed in. */
export function useAccount(): User | null {
  const { session } = useSession();
  return session.status === "ready" && session.mode === "accounts" ? session.user : null;
}
