import { CodeBlock } from "../components/Markdown";
import { splitFences } from "../components/markdown";

/**
 * A message's text as written, with fenced code blocks (the candidate's code runs, examples the
 * interviewer quotes) shown as code. Nothing in it is read as HTML.
 */
export function MessageText({ text }: { text: string }) {
  const segments = splitFences(text);
  if (segments.every((segment) => segment.kind === "text")) {
    return <p className="message-text">{text}</p>;
  }
  return (
    <div className="message-text">
      {segments.map((segment, index) =>
        segment.kind === "code" ? (
          <CodeBlock key={index} code={segment.code} language={segment.language} />
        ) : (
          segment.text.trim() && <p key={index}>{segment.text.replace(/^\n+|\n+$/g, "")}</p>
        ),
      )}
    </div>
  );
}
