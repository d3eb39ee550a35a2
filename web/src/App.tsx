import { useEffect, useRef } from "react";
import { Layout } from "./components/Layout";
import { HistoryScreen } from "./history/HistoryScreen";
import { ReportScreen } from "./report/ReportScreen";
import { RoomScreen } from "./room/RoomScreen";
import { paths, useRoute, type Route } from "./routing";
import { SetupScreen } from "./setup/SetupScreen";

const titles: Record<Route["screen"], string> = {
  setup: "New interview",
  room: "Interview",
  report: "Report",
  history: "History",
  not_found: "Page not found",
};

export function App() {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    document.title = `${titles[route.screen]} · Mockroom`;
    // Move focus to the new screen so keyboard and screen-reader users start at its top.
    if (!first.current) main.current?.focus();
    first.current = false;
  }, [route]);

  return (
    <Layout route={route} mainRef={main}>
      {route.screen === "setup" && <SetupScreen />}
      {route.screen === "room" && <RoomScreen key={route.id} id={route.id} />}
      {route.screen === "report" && <ReportScreen key={route.id} id={route.id} />}
      {route.screen === "history" && <HistoryScreen />}
      {route.screen === "not_found" && (
        <section className="panel">
          <h1>Page not found</h1>
          <p>
            <a href={paths.setup()}>Start a new interview</a> or <a href={paths.history()}>open your history</a>.
          </p>
        </section>
      )}
    </Layout>
  );
}
