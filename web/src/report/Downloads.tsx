import { transcriptUrl } from "../api/client";
import type { TranscriptFormat } from "../api/types";

const formats: { format: TranscriptFormat; label: string }[] = [
  { format: "md", label: "Markdown" },
  { format: "txt", label: "Plain text" },
  { format: "json", label: "JSON" },
];

/** Transcript downloads and printing, which the browser can save as PDF. */
export function Downloads({ id }: { id: string }) {
  return (
    <div className="downloads no-print">
      <span className="downloads-label">Transcript:</span>
      {formats.map(({ format, label }) => (
        <a key={format} className="button button-small" href={transcriptUrl(id, format)} download>
          {label} <span className="muted">.{format}</span>
        </a>
      ))}
      <button type="button" className="button button-small" onClick={() => window.print()}>
        Print or save as PDF
      </button>
    </div>
  );
}
