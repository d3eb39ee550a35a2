import { signIn } from "../api/client";
import { paths } from "../routing";
import { useSession } from "../session";
import { CredentialsForm } from "./CredentialsForm";
import "./auth.css";

/** Sign in with e-mail and password; App then returns to `next`, or to the set-up. */
export function SignInScreen({ next }: { next: string | null }) {
  const { session, signedIn } = useSession();
  const notice = session.status === "ready" ? session.notice : null;
  return (
    <div className="auth">
      <CredentialsForm
        title="Sign in"
        intro="Sign in to practise interviews and see your reports."
        submitLabel="Sign in"
        busyLabel="Signing in…"
        passwordComplete="current-password"
        notice={notice}
        onSubmit={async (credentials) => {
          const { user } = await signIn(credentials);
          signedIn(user);
        }}
      >
        <p className="auth-switch">
          New to Mockroom? <a href={paths.signUp(next)}>Create an account</a>
        </p>
      </CredentialsForm>
    </div>
  );
}
