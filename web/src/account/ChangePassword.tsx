import { useId, useRef, useState, type FormEvent } from "react";
import { ApiError, changePassword } from "../api/client";
import { minPasswordLength } from "../auth/CredentialsForm";
import { Notice } from "../components/Notice";
import { navigate, paths } from "../routing";
import { useSession } from "../session";

type Field = "current" | "fresh" | "repeat";

/** A new password. The server then signs out every session, this one too, so the next stop is sign-in. */
export function ChangePassword() {
  const { signedOut } = useSession();
  const [values, setValues] = useState<Record<Field, string>>({ current: "", fresh: "", repeat: "" });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputs = { current: useRef<HTMLInputElement>(null), fresh: useRef<HTMLInputElement>(null), repeat: useRef<HTMLInputElement>(null) };
  const ids = { title: useId(), current: useId(), fresh: useId(), freshHint: useId(), repeat: useId() };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (!values.current) found.current = "Enter your current password.";
    if (values.fresh.length < minPasswordLength) found.fresh = `Use at least ${minPasswordLength} characters.`;
    else if (values.repeat !== values.fresh) found.repeat = "The two new passwords are not the same.";
    setErrors(found);
    const first = (["current", "fresh", "repeat"] as const).find((field) => found[field]);
    if (first) {
      inputs[first].current?.focus();
      return;
    }
    setFailure(null);
    setBusy(true);
    try {
      await changePassword({ current_password: values.current, new_password: values.fresh });
      navigate(paths.signIn());
      signedOut("Your password was changed and every session signed out. Sign in with the new password.");
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught.message : "The password could not be changed.");
      setBusy(false);
    }
  };

  const field = (name: Field, label: string, complete: string, hint?: { id: string; text: string }) => {
    const errorId = `${ids[name]}-error`;
    const described = [hint?.id, errors[name] ? errorId : undefined].filter(Boolean).join(" ") || undefined;
    return (
      <div className="field">
        <label htmlFor={ids[name]}>{label}</label>
        {hint && (
          <p className="hint" id={hint.id}>
            {hint.text}
          </p>
        )}
        <input
          ref={inputs[name]}
          id={ids[name]}
          type="password"
          autoComplete={complete}
          value={values[name]}
          onChange={(event) => {
            const value = event.target.value;
            setValues((current) => ({ ...current, [name]: value }));
          }}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={described}
        />
        {errors[name] && (
          <p className="field-error" id={errorId}>
            {errors[name]}
          </p>
        )}
      </div>
    );
  };

  return (
    <form className="panel account-section" onSubmit={submit} noValidate aria-labelledby={ids.title}>
      <h2 id={ids.title}>Change password</h2>
      <p className="muted">You will be signed out everywhere, and sign in again with the new password.</p>
      {field("current", "Current password", "current-password")}
      {field("fresh", "New password", "new-password", { id: ids.freshHint, text: `At least ${minPasswordLength} characters.` })}
      {field("repeat", "New password again", "new-password")}
      {failure && <Notice tone="error">{failure}</Notice>}
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
