/** What both code editors (Monaco and the plain text box) take. */
export interface EditorProps {
  value: string;
  /** Monaco's language id, which is the API's: python, javascript, c, cpp, java, go, rust. */
  language: string;
  /** The accessible name, e.g. "Code (Python)". */
  label: string;
  onChange: (value: string) => void;
  /** Ctrl+Enter (Cmd+Enter on a Mac) in the editor runs the tests. */
  onRun: () => void;
  readOnly?: boolean;
}
