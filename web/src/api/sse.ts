// A parser for server-sent events (text/event-stream) read through fetch, where the network
// hands over text in chunks that can split a line, or even a "\r\n", anywhere.

export interface ServerEvent {
  event: string;
  data: string;
}

export interface EventStreamParser {
  /** Feeds the next piece of the stream; calls `onEvent` for each event it completes. */
  push(text: string): void;
  /** Ends the stream. An event left without its closing blank line is dropped, as the standard says. */
  end(): void;
}

export function eventStreamParser(onEvent: (event: ServerEvent) => void): EventStreamParser {
  let buffer = "";
  let event = "";
  let data: string[] = [];

  const line = (text: string) => {
    if (text === "") {
      if (data.length > 0) onEvent({ event: event || "message", data: data.join("\n") });
      event = "";
      data = [];
      return;
    }
    if (text.startsWith(":")) return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  };

  const push = (text: string) => {
    buffer += text;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const char = buffer[i];
      if (char !== "\n" && char !== "\r") continue;
      // A "\r" at the very end may be the first half of a "\r\n" the next chunk completes.
      if (char === "\r" && i === buffer.length - 1) break;
      line(buffer.slice(start, i));
      if (char === "\r" && buffer[i + 1] === "\n") i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  };

  return {
    push,
    end() {
      // Nothing follows a held-back "\r" any more, so it ends its line on its own.
      if (buffer.endsWith("\r")) push("\n");
      buffer = "";
      event = "";
      data = [];
    },
  };
}
