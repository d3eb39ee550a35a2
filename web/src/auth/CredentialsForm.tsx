import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../api/client";
import type { Credentials } from "../api/types";
import { Notice } from "../components/Notice";

/** The server's shortest accepted password (accounts/passwords.py). */
export const minPasswordLength = 8;

interface CredentialsFormProps {
  title: string;
  intro: ReactNode;
  submitLabel: string;
  busyLabel: string;
  /** `new-password` when signing up: browsers then offer to generate and save one. */
  passwordComplete: "current-password" | "new-password";
  /** Sends the credentials; an ApiError it throws is shown above the button. */
  onSubmit: (credentials: Credentials) => Promise<void>;
  notice?: string | null;
  children?: ReactNode;
}

/** E-mail and password with their checks, shared by sign-in and sign-up. */
export function CredentialsForm({
  title,
  intro,
  submitLabel,
  busyLabel,
  passwordComplete,
  onSubmit,
  notice,
  children,
}: CredentialsFormProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const emailInput = useRef<HTMLInputElement>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const ids = { title: useId(), email: useId(), emailError: useId(), password: useId(), passwordHint: useId(), passwordError: useId() };
  const signingUp = passwordComplete === "new-password";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) found.email = "Enter your e-mail address, like ada@example.com.";
    if (!password) found.password = "Enter your password.";
    else if (signingUp && password.length < minPasswordLength) {
      found.password = `Use at least ${minPasswordLength} characters.`;
    }
    setErrors(found);
    if (found.email || found.password) {
      (found.email ? emailInput : passwordInput).current?.focus();
      return;
    }
    setFailure(null);
    setBusy(true);
    try {
      await onSubmit({ email: email.trim(), password });
    } catch (caught) {
      setFailure(caught instanceof ApiError ? caught.message : "Something went wrong. Try again.");
      setBusy(false);
    }
  };

  return (
    <form className="panel auth-form" onSubmit={submit} noValidate aria-labelledby={ids.title}>
      <h1 id={ids.title}>{title}</h1>
      <p className="muted">{intro}</p>
      {notice && <Notice tone="info">{notice}</Notice>}
      <div className="field">
        <label htmlFor={ids.email}>E-mail</label>
        <input
          ref={emailInput}
          id={ids.email}
          type="email"
          name="email"
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? ids.emailError : undefined}
        />
        {errors.email && (
          <p className="field-error" id={ids.emailError}>
            {errors.email}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.password}>Password</label>
        {signingUp && (
          <p className="hint" id={ids.passwordHint}>
            At least {minPasswordLength} characters. A few words you will remember make a good one.
          </p>
        )}
        <input
          ref={passwordInput}
          id={ids.password}
          type="password"
          name="password"
          autoComplete={passwordComplete}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={
            [signingUp ? ids.passwordHint : null, errors.password ? ids.passwordError : null].filter(Boolean).join(" ") ||
            undefined
          }
        />
        {errors.password && (
          <p className="field-error" id={ids.passwordError}>
            {errors.password}
          </p>
        )}
      </div>
      {failure && <Notice tone="error">{failure}</Notice>}
      <button type="submit" className="button button-primary auth-submit" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
      {children}
    </form>
  );
}
