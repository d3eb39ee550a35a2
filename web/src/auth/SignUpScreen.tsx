import { useRef } from "react";
import { register, signIn } from "../api/client";
import { paths } from "../routing";
import { useSession } from "../session";
import { CredentialsForm } from "./CredentialsForm";
import "./auth.css";

/** Create an account, then sign in with it straight away. */
export function SignUpScreen({ next }: { next: string | null }) {
  const { signedIn } = useSession();
  // An account made by an attempt whose sign-in then failed: trying again only signs in.
  const registered = useRef<string | null>(null);
  return (
    <div className="auth">
      <CredentialsForm
        title="Create an account"
        intro="Your interviews, reports and progress are kept under your account and visible only to you."
        submitLabel="Create account"
        busyLabel="Creating your account…"
        passwordComplete="new-password"
        onSubmit={async (credentials) => {
          if (registered.current !== credentials.email) {
            await register(credentials);
            registered.current = credentials.email;
          }
          const { user } = await signIn(credentials);
          signedIn(user);
        }}
      >
        <p className="auth-switch">
          Already have an account? <a href={paths.signIn(next)}>Sign in</a>
        </p>
      </CredentialsForm>
    </div>
  );
}
