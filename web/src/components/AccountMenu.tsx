import { useEffect, useId, useRef, useState } from "react";
import { ApiError, signOut } from "../api/client";
import { navigate, paths, type Route } from "../routing";
import { useSession } from "../session";

/**
 * The header's account menu (an item of the main navigation list), a disclosure button and its list. In accounts mode: who is signed in,
 * progress, account settings, the admin page for admins, and sign out; with nobody signed in, a
 * sign-in link instead. In local mode there is no account, so it offers only progress.
 */
export function AccountMenu({ route }: { route: Route }) {
  const { session, signedOut } = useSession();
  const [open, setOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const root = useRef<HTMLLIElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    setOpen(false);
    setError(null);
  }, [route]);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", outside);
    return () => document.removeEventListener("mousedown", outside);
  }, [open]);

  if (session.status !== "ready") return null;
  const accounts = session.mode === "accounts";
  const user = session.user;
  if (accounts && !user) {
    return route.screen === "sign_in" ? null : (
      <li>
        <a href={paths.signIn()}>Sign in</a>
      </li>
    );
  }

  const leave = async () => {
    setSigningOut(true);
    setError(null);
    try {
      await signOut();
    } catch (caught) {
      // Already signed out on the server is as good as signing out now.
      if (!(caught instanceof ApiError && caught.status === 401)) {
        setError(caught instanceof ApiError ? caught.message : "Could not sign out.");
        setSigningOut(false);
        return;
      }
    }
    setSigningOut(false);
    navigate(paths.signIn());
    signedOut("You are signed out.");
  };

  const current = (screen: Route["screen"]) => (route.screen === screen ? "page" : undefined);

  return (
    <li
      className="account-menu"
      ref={root}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        className="account-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((value) => !value)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
          <circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="2" />
          <path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7" fill="none" stroke="currentColor" strokeWidth="2" />
        </svg>
        <span>Account</span>
      </button>
      <div id={panelId} className="account-panel" hidden={!open}>
        <p className="account-who">
          {user && accounts ? (
            <>
              Signed in as <strong>{user.email}</strong>
            </>
          ) : (
            "Local mode: no sign-in needed."
          )}
        </p>
        <ul>
          <li>
            <a href={paths.progress()} aria-current={current("progress")}>
              Progress
            </a>
          </li>
          {accounts && (
            <li>
              <a href={paths.account()} aria-current={current("account")}>
                Account settings
              </a>
            </li>
          )}
          {accounts && user?.role === "admin" && (
            <li>
              <a href={paths.admin()} aria-current={current("admin")}>
                Users (admin)
              </a>
            </li>
          )}
        </ul>
        {accounts && (
          <button type="button" className="button button-small account-sign-out" onClick={() => void leave()} disabled={signingOut}>
            {signingOut ? "Signing out…" : "Sign out"}
          </button>
        )}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </li>
  );
}
