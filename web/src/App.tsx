import { Suspense, lazy, useEffect, useRef, type ReactNode } from "react";
import { AccountScreen } from "./account/AccountScreen";
import { SignInScreen } from "./auth/SignInScreen";
import { SignUpScreen } from "./auth/SignUpScreen";
import { Layout } from "./components/Layout";
import { Loading } from "./components/Loading";
import { Notice } from "./components/Notice";
import { HistoryScreen } from "./history/HistoryScreen";
import { ReportScreen } from "./report/ReportScreen";
import { RoomScreen } from "./room/RoomScreen";
import { navigate, paths, useRoute, type Route } from "./routing";
import { SessionContext, useSessionState, type Session } from "./session";
import { SetupScreen } from "./setup/SetupScreen";

// Few people open these, so they stay out of the initial bundle.
const AdminScreen = lazy(() => import("./admin/AdminScreen"));
const ProgressScreen = lazy(() => import("./progress/ProgressScreen"));

const titles: Record<Route["screen"], string> = {
  setup: "New interview",
  room: "Interview",
  report: "Report",
  history: "History",
  progress: "Progress",
  account: "Account",
  admin: "Users",
  sign_in: "Sign in",
  sign_up: "Create an account",
  not_found: "Page not found",
};

type SignInRoute = Extract<Route, { screen: "sign_in" | "sign_up" }>;
const isSignInScreen = (route: Route): route is SignInRoute => route.screen === "sign_in" || route.screen === "sign_up";

export function App() {
  const route = useRoute();
  const sessionState = useSessionState();
  const { session } = sessionState;
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    document.title = `${titles[route.screen]} · Mockroom`;
    // Move focus to the new screen so keyboard and screen-reader users start at its top.
    if (!first.current) main.current?.focus();
    first.current = false;
  }, [route]);

  // In accounts mode, nobody signed in sees only the sign-in screens, and whoever is signed in never does.
  useEffect(() => {
    if (session.status !== "ready" || session.mode !== "accounts") return;
    if (!session.user && !isSignInScreen(route)) {
      navigate(paths.signIn(window.location.hash), { replace: true });
    } else if (session.user && isSignInScreen(route)) {
      navigate(route.next ?? paths.setup(), { replace: true });
    }
  }, [session, route]);

  return (
    <SessionContext.Provider value={sessionState}>
      <Layout route={route} mainRef={main}>
        {screenFor(route, session, sessionState.reload)}
      </Layout>
    </SessionContext.Provider>
  );
}

function screenFor(route: Route, session: Session, reload: () => void): ReactNode {
  if (session.status === "loading") return <Loading label="Loading…" />;
  if (session.status === "failed") {
    return (
      <Notice
        tone="error"
        action={
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        }
      >
        {session.message}
      </Notice>
    );
  }
  const accounts = session.mode === "accounts";
  // The guard above is on its way to the right screen.
  if (accounts && !session.user && !isSignInScreen(route)) return <Loading label="Opening sign-in…" />;
  if (accounts && session.user && isSignInScreen(route)) return null;
  const localOnly = !accounts && (isSignInScreen(route) || route.screen === "account" || route.screen === "admin");
  if (localOnly) {
    return (
      <section className="panel">
        <h1>No sign-in needed</h1>
        <p>This Mockroom runs in local mode: it has one user, you, and no accounts to manage.</p>
        <p>
          <a href={paths.setup()}>Start a new interview</a> or <a href={paths.progress()}>see your progress</a>.
        </p>
      </section>
    );
  }

  switch (route.screen) {
    case "setup":
      return <SetupScreen />;
    case "room":
      return <RoomScreen key={route.id} id={route.id} />;
    case "report":
      return <ReportScreen key={route.id} id={route.id} />;
    case "history":
      return <HistoryScreen />;
    case "progress":
      return (
        <Suspense fallback={<Loading label="Loading your progress…" />}>
          <ProgressScreen />
        </Suspense>
      );
    case "account":
      return <AccountScreen />;
    case "admin":
      return (
        <Suspense fallback={<Loading label="Loading the users…" />}>
          <AdminScreen />
        </Suspense>
      );
    case "sign_in":
      return <SignInScreen next={route.next} />;
    case "sign_up":
      return <SignUpScreen next={route.next} />;
    case "not_found":
      return (
        <section className="panel">
          <h1>Page not found</h1>
          <p>
            <a href={paths.setup()}>Start a new interview</a> or <a href={paths.history()}>open your history</a>.
          </p>
        </section>
      );
  }
}
