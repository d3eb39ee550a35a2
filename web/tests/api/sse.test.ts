import { describe, expect, it } from "vitest";
import { eventStreamParser, type ServerEvent } from "../../src/api/sse";

function parse(chunks: string[]): ServerEvent[] {
  const events: ServerEvent[] = [];
  const parser = eventStreamParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return events;
}

const stream = 'event: delta\ndata: {"text": "Hel"}\n\nevent: delta\ndata: {"text": "lo"}\n\nevent: reply\ndata: {}\n\n';
const expected = [
  { event: "delta", data: '{"text": "Hel"}' },
  { event: "delta", data: '{"text": "lo"}' },
  { event: "reply", data: "{}" },
];

describe("eventStreamParser", () => {
  it("reads several events from one chunk", () => {
    expect(parse([stream])).toEqual(expected);
  });

  it("reads events split across chunks at every possible place", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(expected);
    }
  });

  it("reads a stream that arrives one character at a time", () => {
    expect(parse([...stream])).toEqual(expected);
  });

  it("understands \\r\\n and \\r line endings, even when a \\r\\n is split between chunks", () => {
    const crlf = stream.replace(/\n/g, "\r\n");
    expect(parse([crlf])).toEqual(expected);
    for (let cut = 1; cut < crlf.length; cut++) {
      expect(parse([crlf.slice(0, cut), crlf.slice(cut)])).toEqual(expected);
    }
    expect(parse([stream.replace(/\n/g, "\r")])).toEqual(expected);
  });

  it("reads the error event", () => {
    const error = 'event: error\ndata: {"error": {"code": "internal_error", "message": "The reply failed."}}\n\n';
    expect(parse(['event: delta\ndata: {"text": "Hi"}\n\n', error.slice(0, 20), error.slice(20)])).toEqual([
      { event: "delta", data: '{"text": "Hi"}' },
      { event: "error", data: '{"error": {"code": "internal_error", "message": "The reply failed."}}' },
    ]);
  });

  it("joins data lines, skips comments and unknown fields, and defaults the event name", () => {
    expect(parse([": keep-alive\nid: 7\nretry: 100\ndata: one\ndata:two\ndata\n\n"])).toEqual([
      { event: "message", data: "one\ntwo\n" },
    ]);
  });

  it("ignores events without data and drops an event the stream cut off", () => {
    expect(parse(["event: ping\n\nevent: delta\ndata: cut off"])).toEqual([]);
  });

  it("ends a line on a final \\r", () => {
    expect(parse(["data: x\r\r"])).toEqual([{ event: "message", data: "x" }]);
  });
});
