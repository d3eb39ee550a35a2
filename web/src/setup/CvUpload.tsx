import { useId, useRef, useState } from "react";
import type { CvParseResult } from "../api/types";
import { Loading } from "../components/Loading";
import { CvPreview } from "./CvPreview";
import { cvAccept } from "./options";

export type CvState =
  | { status: "empty" }
  | { status: "parsing"; file: File }
  | { status: "ready"; file: File; result: CvParseResult }
  | { status: "error"; fileName: string; message: string };

interface CvUploadProps {
  state: CvState;
  onSelect: (file: File) => void;
  onClear: () => void;
}

/** Drop zone and file picker for the CV, with the parsed profile or the server's error beside it. */
export function CvUpload({ state, onSelect, onClear }: CvUploadProps) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const pick = (files: FileList | null) => {
    const file = files?.[0];
    if (file) onSelect(file);
    // Choosing the same file again after an error must still fire a change.
    if (input.current) input.current.value = "";
  };

  return (
    <div className="field cv-upload">
      <span className="label" id={`${inputId}-label`}>
        CV
      </span>
      <div
        className={`dropzone${dragging ? " dropzone-active" : ""}${state.status === "error" ? " dropzone-error" : ""}`}
        onDragEnter={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          event.dataTransfer.dropEffect = "copy";
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          pick(event.dataTransfer.files);
        }}
        onClick={(event) => {
          // The whole zone opens the picker; the label and the input already do so themselves.
          const target = event.target as HTMLElement;
          if (!target.closest("label, input")) input.current?.click();
        }}
        data-testid="cv-dropzone"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="28" height="28" className="dropzone-icon">
          <path
            d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        <p>
          Drag your CV here, or{" "}
          <label htmlFor={inputId} className="link-like">
            choose a file
          </label>
        </p>
        <p className="hint" id={hintId}>
          PDF, DOCX or TXT. It shapes the questions; you'll see what was read before you start.
        </p>
        <input
          ref={input}
          id={inputId}
          className="visually-hidden-input"
          type="file"
          name="cv"
          accept={cvAccept}
          aria-labelledby={`${inputId}-label`}
          aria-describedby={state.status === "error" ? `${hintId} ${errorId}` : hintId}
          aria-invalid={state.status === "error" ? true : undefined}
          onChange={(event) => pick(event.target.files)}
        />
      </div>
      {state.status === "parsing" && <Loading label={`Reading ${state.file.name}…`} />}
      {state.status === "error" && (
        <div className="field-error cv-error" id={errorId} role="alert">
          <strong>{state.fileName} could not be used:</strong> {state.message}
        </div>
      )}
      {state.status === "ready" && (
        <CvPreview fileName={state.file.name} result={state.result} onRemove={onClear} />
      )}
    </div>
  );
}
