import { useEffect, useLayoutEffect, useRef } from "react";
import { monaco } from "./monaco";
import type { EditorProps } from "./editorProps";

/**
 * The Monaco editor for the candidate's code, kept in step with `value`: typing reports through
 * `onChange`, and a new `value` from outside (a language switch, a reset) replaces the text.
 * Loaded lazily (it is most of the app's weight); CodeEditor shows a text box until it arrives.
 */
export default function MonacoEditor({ value, language, label, onChange, onRun, readOnly }: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // The latest callbacks, so the editor's listeners (set up once) never call stale ones.
  const handlers = useRef({ onChange, onRun });
  useLayoutEffect(() => {
    handlers.current = { onChange, onRun };
  });

  useEffect(() => {
    if (!host.current) return;
    const created = monaco.editor.create(host.current, {
      value,
      language,
      ariaLabel: label,
      readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 14,
      lineNumbersMinChars: 3,
      tabSize: 4,
      renderLineHighlight: "line",
      // No autocomplete: an interview editor is closer to a whiteboard than an IDE.
      quickSuggestions: false,
      suggestOnTriggerCharacters: false,
      wordBasedSuggestions: "off",
      fixedOverflowWidgets: true,
      accessibilitySupport: "auto",
    });
    editor.current = created;
    const changes = created.onDidChangeModelContent(() => handlers.current.onChange(created.getValue()));
    created.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => handlers.current.onRun());
    return () => {
      changes.dispose();
      created.getModel()?.dispose();
      created.dispose();
      editor.current = null;
    };
    // Created once; the effects below follow the props.
  }, []);

  useEffect(() => {
    const current = editor.current;
    if (current && current.getValue() !== value) {
      // An outside change (language switch, start over): replace the text as one undoable edit.
      const model = current.getModel();
      if (model) {
        current.pushUndoStop();
        current.executeEdits("mockroom", [{ range: model.getFullModelRange(), text: value }]);
        current.pushUndoStop();
      }
    }
  }, [value]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (model) monaco.editor.setModelLanguage(model, language);
    editor.current?.updateOptions({ ariaLabel: label, readOnly });
  }, [language, label, readOnly]);

  return <div ref={host} className="monaco-host" data-testid="monaco-editor" />;
}
