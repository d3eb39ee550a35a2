import { useId, type Ref } from "react";
import type { Topic } from "../api/types";
import { suggestTopics } from "./suggestions";

interface TopicFieldProps {
  value: string;
  onChange: (value: string) => void;
  topics: readonly Topic[];
  error: string | null;
  inputRef?: Ref<HTMLInputElement>;
}

const shownSuggestions = 8;

/** Free-text topic with the question bank's topics offered as suggestions. */
export function TopicField({ value, onChange, topics, error, inputRef }: TopicFieldProps) {
  const suggestions = suggestTopics(topics, value, shownSuggestions);
  const inputId = useId();
  const listId = useId();
  const hintId = useId();
  const errorId = useId();
  return (
    <div className="field">
      <label htmlFor={inputId}>Topic or skill</label>
      <p className="hint" id={hintId}>
        Anything you want to practise, e.g. “Python backend” or “engineering management”.
      </p>
      <input
        ref={inputRef}
        id={inputId}
        name="topic"
        type="text"
        required
        maxLength={200}
        autoComplete="off"
        list={listId}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
      />
      <datalist id={listId}>
        {topics.map((topic) => (
          <option key={topic.slug} value={topic.title} />
        ))}
      </datalist>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
      {suggestions.length > 0 && (
        <div className="suggestions" role="group" aria-label="Suggested topics">
          {suggestions.map((topic) => (
            <button
              key={topic.slug}
              type="button"
              className="chip"
              aria-pressed={value === topic.title}
              onClick={() => onChange(topic.title)}
            >
              {topic.title}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
