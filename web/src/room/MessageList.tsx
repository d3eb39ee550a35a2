import { useEffect, useRef, type ReactNode } from "react";
import type { Message } from "../api/types";
import { MessageText } from "./MessageText";

interface MessageListProps {
  messages: readonly Message[];
  pending: string | null;
  /** The interviewer's reply as it streams in, before the final message replaces it. */
  live: string | null;
  typing: boolean;
  /** Shown above the first message and scrolled away with the conversation (server notices). */
  before?: ReactNode;
}

// Why the built-in interviewer answered instead of the configured model.
const FALLBACK_REASONS: Record<NonNullable<Message["fallback_reason"]>, string> = {
  over_budget: "the model was too slow",
  too_slow: "this model is too slow for live turns here",
  bad_json: "the model's reply was cut off or not JSON",
  invalid_output: "the model's reply broke the interview's rules",
  provider_error: "the model was unavailable",
};

/** Which brain wrote an interviewer message, when a model is configured; null otherwise. */
function brainNote(message: Message): string | null {
  if (message.role !== "interviewer" || !message.brain) return null;
  if (message.brain === "model") return "model";
  return message.fallback_reason ? `built-in reply: ${FALLBACK_REASONS[message.fallback_reason]}` : null;
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/**
 * The conversation so far, newest at the bottom, with the answer being sent and then a typing
 * indicator, or the reply as it streams in.
 */
export function MessageList({ messages, pending, live, typing, before }: MessageListProps) {
  const end = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: "end" });
  }, [messages.length, pending, typing]);

  useEffect(() => {
    // Follow the streaming reply down, unless the candidate scrolled up to reread something.
    if (live && atBottom.current) end.current?.scrollIntoView?.({ block: "end" });
  }, [live]);

  useEffect(() => {
    // Keep the newest message in view when the box shrinks (phone keyboard, rotation) unless
    // the candidate had scrolled up to reread something.
    const element = list.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const element = list.current;
    if (element) atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };

  return (
    <div ref={list} onScroll={onScroll} className="messages" role="log" aria-live="polite" aria-relevant="additions" tabIndex={0} aria-label="Messages">
      {before}
      {messages.map((message) => {
        const note = brainNote(message);
        return (
          <article key={message.id} className={`message message-${message.role}`} data-testid="message">
            <header>
              <span className="message-author">{message.role === "interviewer" ? "Interviewer" : "You"}</span>
              <time dateTime={message.created_at}>{timeOf(message.created_at)}</time>
              {note && <span data-testid="message-brain">{note}</span>}
            </header>
            <MessageText text={message.text} />
          </article>
        );
      })}
      {pending !== null && (
        <article className="message message-candidate message-pending" aria-busy="true">
          <header>
            <span className="message-author">You</span>
            {!live && <span className="muted">sending…</span>}
          </header>
          <p className="message-text">{pending}</p>
        </article>
      )}
      {live ? (
        // Kept out of the log's announcements while it grows: the final message is read out once.
        <article
          className="message message-interviewer message-live"
          data-testid="live-message"
          aria-live="off"
          aria-busy="true"
        >
          <header>
            <span className="message-author">Interviewer</span>
          </header>
          <p className="message-text">{live}</p>
        </article>
      ) : typing && (
        <div className="typing" data-testid="typing">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <span>Interviewer is typing…</span>
        </div>
      )}
      <div ref={end} />
    </div>
  );
}
