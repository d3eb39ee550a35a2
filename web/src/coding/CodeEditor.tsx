import { Component, Suspense, lazy, type KeyboardEvent, type ReactNode } from "react";
import type { EditorProps } from "./editorProps";

const MonacoEditor = lazy(() => import("./MonacoEditor"));

/** A plain text box for the code: shown while Monaco loads, and instead of it if it cannot load. */
export function PlainEditor({ value, label, onChange, onRun, readOnly }: EditorProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  };
  return (
    <textarea
      className="plain-editor"
      aria-label={label}
      value={value}
      readOnly={readOnly}
      spellCheck={false}
      autoCapitalize="off"
      autoComplete="off"
      autoCorrect="off"
      wrap="off"
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={onKeyDown}
    />
  );
}

class EditorBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** The code editor: Monaco from the app's own files, with the plain text box until (or unless) it loads. */
export function CodeEditor(props: EditorProps) {
  const plain = <PlainEditor {...props} />;
  return (
    <div className="code-editor">
      <EditorBoundary
        fallback={
          <>
            {plain}
            <p className="hint" role="status">
              The full editor could not load, so this is a plain text box. Your code still runs the same way.
            </p>
          </>
        }
      >
        <Suspense fallback={plain}>
          <MonacoEditor {...props} />
        </Suspense>
      </EditorBoundary>
    </div>
  );
}
