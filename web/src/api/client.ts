// The only place the app talks HTTP. Every call returns the typed body or throws ApiError.
//
// Requests carry the same-origin session cookie. A cookie session's writes must echo its CSRF
// token (readable from the `mockroom_csrf` cookie) in `X-CSRF-Token`; a bearer-less, cookie-less
// request in accounts mode gets 401 `unauthenticated`, which `onUnauthenticated` listeners hear.
import type {
  AccountDeletion,
  AccountExport,
  AnswerRequest,
  AnswerResponse,
  CodeRequest,
  CodeRunResult,
  Credentials,
  CvParseResult,
  DisabledChange,
  HintResult,
  Interview,
  InterviewCreate,
  InterviewCreated,
  InterviewSummary,
  Me,
  PasswordChange,
  ProgressOverview,
  Registered,
  Report,
  ReportFromEnd,
  SignedIn,
  Topic,
  TranscriptFormat,
  UpdatedUser,
  UserUsage,
  VoiceStatus,
} from "./types";
import { eventStreamParser } from "./sse";

const BASE = "/api";
const CSRF_COOKIE = "mockroom_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

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

/** The cookie session's CSRF token, or null when there is no cookie session. */
function csrfToken(): string | null {
  for (const cookie of document.cookie.split(";")) {
    const [name, ...value] = cookie.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("=")) || null;
  }
  return null;
}

/** What a request with this method adds to its headers: the CSRF token on every write, when there is one. */
function sessionHeaders(method: string): Record<string, string> {
  const token = SAFE_METHODS.has(method.toUpperCase()) ? null : csrfToken();
  return token ? { "X-CSRF-Token": token } : {};
}

const unauthenticatedListeners = new Set<() => void>();

/** Calls `listener` whenever the server answers that nobody is signed in; returns the unsubscribe. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => {
    unauthenticatedListeners.delete(listener);
  };
}

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

/** The error of a failed response; a missing or expired sign-in is also told to the listeners. */
async function failure(response: Response): Promise<ApiError> {
  const error = await errorFrom(response);
  if (error.status === 401 && error.code === "unauthenticated") {
    for (const listener of [...unauthenticatedListeners]) listener();
  }
  return error;
}

async function request<T>(method: string, path: string, body?: Body): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", ...sessionHeaders(method) },
  };
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
    throw await failure(response);
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
      credentials: "same-origin",
      headers: { Accept: "text/event-stream", "Content-Type": "application/json", ...sessionHeaders("POST") },
      body: JSON.stringify(body),
    });
  } catch {
    throw networkError();
  }
  if (!response.ok) {
    throw await failure(response);
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

/**
 * Where the voice call sends its WebRTC offer and ICE candidates (the voice client does the
 * requests itself), with the headers those writes need.
 */
export function voiceOfferRequest(id: string): { endpoint: string; headers: Headers } {
  return { endpoint: `${BASE}${at(id)}/voice/offer`, headers: new Headers(sessionHeaders("POST")) };
}

/** The signed-in account and the server's sign-in mode; 401 in accounts mode when nobody is signed in. */
export function getMe(): Promise<Me> {
  return request("GET", "/auth/me");
}

export function register(credentials: Credentials): Promise<Registered> {
  return request("POST", "/auth/register", { json: credentials });
}

/** Signs in; the server sets the session and CSRF cookies the later calls ride on. */
export function signIn(credentials: Credentials): Promise<SignedIn> {
  return request("POST", "/auth/login", { json: credentials });
}

export function signOut(): Promise<void> {
  return request("POST", "/auth/logout");
}

/** Changes the password; the server signs every session out, this one included. */
export function changePassword(body: PasswordChange): Promise<void> {
  return request("POST", "/auth/password", { json: body });
}

export function exportAccount(): Promise<AccountExport> {
  return request("GET", "/auth/export");
}

export function deleteAccount(body: AccountDeletion): Promise<void> {
  return request("DELETE", "/auth/me", { json: body });
}

export function listUsers(): Promise<UserUsage[]> {
  return request("GET", "/admin/users");
}

export function setUserDisabled(id: string, disabled: boolean): Promise<UpdatedUser> {
  const body: DisabledChange = { disabled };
  return request("PUT", `/admin/users/${encodeURIComponent(id)}/disabled`, { json: body });
}

export function getProgress(): Promise<ProgressOverview> {
  return request("GET", "/progress");
}
