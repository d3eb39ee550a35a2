import type { ReactNode, RefObject } from "react";
import { paths, type Route } from "../routing";
import { useSession } from "../session";
import { AccountMenu } from "./AccountMenu";

interface LayoutProps {
  route: Route;
  mainRef: RefObject<HTMLElement | null>;
  children: ReactNode;
}

/** The page frame: skip link, brand, navigation, account menu and the main landmark every screen renders into. */
export function Layout({ route, mainRef, children }: LayoutProps) {
  const { session } = useSession();
  const current = (screen: Route["screen"]) => (route.screen === screen ? "page" : undefined);
  // Signed out in accounts mode, the interview screens are not open to you.
  const signedOut = session.status === "ready" && session.mode === "accounts" && !session.user;
  return (
    <>
      <a className="skip-link" href="#main" onClick={(event) => {
        event.preventDefault();
        mainRef.current?.focus();
      }}>
        Skip to content
      </a>
      <header className="site-header no-print">
        <a className="brand" href={paths.setup()}>
          <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M8 22V10l8 7 8-7v12" stroke="white" strokeWidth="3" fill="none" strokeLinejoin="round" />
          </svg>
          <span>Mockroom</span>
        </a>
        <nav aria-label="Main">
          <ul>
            {!signedOut && (
              <>
                <li>
                  <a href={paths.setup()} aria-current={current("setup")}>
                    New interview
                  </a>
                </li>
                <li>
                  <a href={paths.history()} aria-current={current("history")}>
                    History
                  </a>
                </li>
              </>
            )}
            <AccountMenu route={route} />
          </ul>
        </nav>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className={`screen screen-${route.screen}`}>
        {children}
      </main>
    </>
  );
}
