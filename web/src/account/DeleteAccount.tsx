import { useId, useRef, useState, type FormEvent } from "react";
import { ApiError, deleteAccount } from "../api/client";
import type { User } from "../api/types";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { Notice } from "../components/Notice";
import { navigate, paths } from "../routing";
import { useSession } from "../session";

/**
 * Deletes the account and all its interviews for good, confirmed with the password (accounts
 * signed in elsewhere, without a password, confirm with their e-mail) and then once more.
 */
export function DeleteAccount({ user }: { user: User }) {
  const { signedOut } = useSession();
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const ids = { title: useId(), input: useId(), error: useId() };
  const byPassword = user.provider === "password";

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (!secret) {
      setError(byPassword ? "Enter your password to confirm." : "Enter your e-mail address to confirm.");
      input.current?.focus();
      return;
    }
    setError(null);
    setFailure(null);
    setConfirming(true);
  };

  const remove = async () => {
    setDeleting(true);
    try {
      await deleteAccount(byPassword ? { password: secret } : { email: secret });
      navigate(paths.signIn());
      signedOut("Your account and all its interviews were deleted.");
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught.message : "The account could not be deleted.");
      setConfirming(false);
      setDeleting(false);
      input.current?.focus();
    }
  };

  return (
    <form className="panel account-section account-danger" onSubmit={ask} noValidate aria-labelledby={ids.title}>
      <h2 id={ids.title}>Delete account</h2>
      <p>
        Deletes your account, every interview, transcript and report, for good. Download your data first if you want to
        keep a copy.
      </p>
      <div className="field">
        <label htmlFor={ids.input}>{byPassword ? "Your password" : "Your e-mail address"}</label>
        <input
          ref={input}
          id={ids.input}
          type={byPassword ? "password" : "email"}
          autoComplete={byPassword ? "current-password" : "off"}
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? ids.error : undefined}
        />
        {error && (
          <p className="field-error" id={ids.error}>
            {error}
          </p>
        )}
      </div>
      {failure && <Notice tone="error">{failure}</Notice>}
      <button type="submit" className="button button-danger">
        Delete my account
      </button>
      {confirming && (
        <ConfirmDialog
          title="Delete your account?"
          confirmLabel={deleting ? "Deleting…" : "Delete for good"}
          danger
          busy={deleting}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            <strong>{user.email}</strong> and all its interviews will be removed. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </form>
  );
}
