// The only place the app talks HTTP. Every call returns the typed body or throws ApiError.
import type {
  AnswerRequest,
  AnswerResponse,
  CodeRequest,
  CodeRunResult,
  CvParseResult,
  HintResult,
  Interview,
  InterviewCreate,
  InterviewCreated,
  InterviewSummary,
  Report,
  ReportFromEnd,
  Topic,
  TranscriptFormat,
  VoiceStatus,
} from "./types";
import { eventStreamParser } from "./sse";

const BASE = "/api";

/** A failed call: `network` when the server could not be reached, otherwise the server's error. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(message: string, status: number, code: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }

  get network(): boolean {
    return this.status === 0;
  }

  /** The server had accepted the request and failed while answering it (an `error` event in a stream). */
  get midStream(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

const networkError = (message = "Can't reach the Mockroom server. Check your connection and try again.") =>
  new ApiError(message, 0, "network");

const badResponse = (status: number) =>
  new ApiError("The server sent a response the app could not read.", status, "bad_response");

type Body = { json: unknown } | { form: FormData };

type ErrorBody = { error?: { code?: string; message?: string }; detail?: unknown };

async function errorFrom(response: Response): Promise<ApiError> {
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    // A body that is not JSON (a proxy's error page) falls through to the generic message.
  }
  if (payload && typeof payload === "object") {
    const { error, detail } = payload as ErrorBody;
    if (error?.message) {
      return new ApiError(error.message, response.status, error.code ?? "error");
    }
    // FastAPI's own validation errors, should one slip past the server's error handler.
    if (typeof detail === "string") {
      return new ApiError(detail, response.status, "error");
    }
    if (Array.isArray(detail) && detail[0]?.msg) {
      return new ApiError(String(detail[0].msg), response.status, "validation_error");
    }
  }
  return new ApiError(`The server answered ${response.status} ${response.statusText}.`.trim(), response.status, "http_error");
}

async function request<T>(method: string, path: string, body?: Body): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json" } };
  if (body && "json" in body) {
    init.body = JSON.stringify(body.json);
    init.headers = { ...init.headers, "Content-Type": "application/json" };
  } else if (body) {
    init.body = body.form;
  }
  let response: Response;
  try {
    response = await fetch(BASE + path, init);
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    throw await errorFrom(response);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  try {
    return (await response.json()) as T;
  } catch {
    throw badResponse(response.status);
  }
}

const at = (id: string) => `/interviews/${encodeURIComponent(id)}`;

export function listTopics(): Promise<Topic[]> {
  return request("GET", "/topics");
}

export function parseCv(file: File): Promise<CvParseResult> {
  const form = new FormData();
  form.append("cv", file, file.name);
  return request("POST", "/cv/parse", { form });
}

/** Starts an interview: multipart when a CV file goes along, JSON otherwise. */
export function createInterview(settings: InterviewCreate, cv?: File | null): Promise<InterviewCreated> {
  if (!cv) {
    return request("POST", "/interviews", { json: settings });
  }
  const form = new FormData();
  for (const [key, value] of Object.entries(settings)) {
    if (value !== null && value !== undefined) {
      form.append(key, String(value));
    }
  }
  form.append("cv", cv, cv.name);
  return request("POST", "/interviews", { form });
}

export function getInterview(id: string): Promise<Interview> {
  return request("GET", at(id));
}

export function answer(id: string, text: string): Promise<AnswerResponse> {
  const body: AnswerRequest = { text };
  return request("POST", `${at(id)}/answer`, { json: body });
}

const dropped = "The connection dropped before the interviewer's reply arrived. Check your connection and try again.";

function parseJson<T>(data: string, status: number): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw badResponse(status);
  }
}

/**
 * Sends an answer to the streaming endpoint and calls `onDelta` with each piece of the reply as
 * the server generates it. Resolves with the same body as `answer`, whose reply text is the final
 * word; a browser that can't read a response as a stream gets `answer` itself.
 */
export async function answerStream(id: string, text: string, onDelta: (text: string) => void): Promise<AnswerResponse> {
  if (typeof ReadableStream === "undefined") {
    return answer(id, text);
  }
  const body: AnswerRequest = { text };
  let response: Response;
  try {
    response = await fetch(`${BASE}${at(id)}/answer/stream`, {
      method: "POST",
      headers: { Accept: "text/event-stream", "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    throw await errorFrom(response);
  }
  if (!response.body) {
    throw badResponse(response.status);
  }

  // Asserted, not annotated: the parser's callback sets it, which TypeScript's narrowing can't see.
  let outcome = null as { reply: AnswerResponse } | { error: ApiError } | null;
  const parser = eventStreamParser(({ event, data }) => {
    if (outcome) return;
    if (event === "delta") {
      onDelta(parseJson<{ text: string }>(data, response.status).text);
    } else if (event === "reply") {
      outcome = { reply: parseJson<AnswerResponse>(data, response.status) };
    } else if (event === "error") {
      const { error } = parseJson<ErrorBody>(data, response.status);
      const message = error?.message ?? "The interviewer could not reply.";
      outcome = { error: new ApiError(message, response.status, error?.code ?? "error") };
    }
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  try {
    while (!outcome) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw networkError(dropped);
      }
      if (chunk.done) {
        parser.push(decoder.decode());
        parser.end();
        break;
      }
      parser.push(decoder.decode(chunk.value, { stream: true }));
    }
  } finally {
    // Stop reading once the outcome is known, or when the stream could not be read.
    reader.cancel().catch(() => undefined);
  }
  if (!outcome) {
    throw networkError(dropped);
  }
  if ("error" in outcome) {
    throw outcome.error;
  }
  return outcome.reply;
}

export function endInterview(id: string): Promise<ReportFromEnd> {
  return request("POST", `${at(id)}/end`);
}

export function getReport(id: string): Promise<Report> {
  return request("GET", `${at(id)}/report`);
}

export function listInterviews(): Promise<InterviewSummary[]> {
  return request("GET", "/interviews");
}

export function deleteInterview(id: string): Promise<void> {
  return request("DELETE", at(id));
}

export function transcriptUrl(id: string, format: TranscriptFormat): string {
  return `${BASE}${at(id)}/transcript?format=${format}`;
}

export function runCode(id: string, body: CodeRequest): Promise<CodeRunResult> {
  return request("POST", `${at(id)}/code/run`, { json: body });
}

export function submitCode(id: string, body: CodeRequest): Promise<CodeRunResult> {
  return request("POST", `${at(id)}/code/submit`, { json: body });
}

export function codeHint(id: string): Promise<HintResult> {
  return request("POST", `${at(id)}/code/hint`);
}

/** Whether voice works on this server; the first call loads the speech models (a few seconds). */
export function getVoiceStatus(): Promise<VoiceStatus> {
  return request("GET", "/voice");
}
