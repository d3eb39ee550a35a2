import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent, type RefObject } from "react";

interface ComposerProps {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  disabled: boolean;
  /** Typing goes on but sending waits (code is running); unlike `disabled`, focus stays put. */
  holdSend?: boolean;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}

/** Where the candidate types. Enter sends, Shift+Enter starts a new line. */
export function Composer({ value, onChange, onSend, disabled, holdSend = false, inputRef }: ComposerProps) {
  const id = useId();
  const hintId = useId();
  const own = useRef<HTMLTextAreaElement>(null);
  const textarea = inputRef ?? own;

  useEffect(() => {
    if (!disabled) textarea.current?.focus();
  }, [disabled]);

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!disabled && !holdSend && value.trim()) onSend();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor={id} className="visually-hidden">
        Your answer
      </label>
      <textarea
        ref={textarea}
        id={id}
        name="answer"
        rows={3}
        value={value}
        placeholder="Type your answer…"
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={hintId}
      />
      <div className="composer-bar">
        <p className="hint" id={hintId}>
          <kbd>Enter</kbd> sends · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line
        </p>
        <button type="submit" className="button button-primary" disabled={disabled || holdSend || !value.trim()}>
          Send
        </button>
      </div>
    </form>
  );
}
