import { useState } from "react";
import { ApiError, exportAccount } from "../api/client";
import { Notice } from "../components/Notice";

const exportFileName = "mockroom-export.json";

/** Saves `data` as a JSON file through a temporary link, the way a download from the server would. */
function saveJson(data: unknown, fileName: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Everything Mockroom keeps about the account, as one JSON file. */
export function ExportData() {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setDone(false);
    setError(null);
    try {
      saveJson(await exportAccount(), exportFileName);
      setDone(true);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : "Your data could not be exported.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel account-section" aria-labelledby="export-title">
      <h2 id="export-title">Your data</h2>
      <p className="muted">
        One JSON file with your account and every interview: its settings, transcript and report.
      </p>
      {error && <Notice tone="error">{error}</Notice>}
      {done && <Notice tone="success">Saved as {exportFileName}.</Notice>}
      <button type="button" className="button" onClick={() => void download()} disabled={busy}>
        {busy ? "Preparing…" : "Download my data (JSON)"}
      </button>
    </section>
  );
}
