// A fake of the server for component tests: routes "METHOD /path" to handlers and records calls.
import { vi } from "vitest";
import type {
  AnswerResponse,
  CodeRunResult,
  CodingExercise,
  Interview,
  InterviewSummary,
  Me,
  Message,
  ProgressOverview,
  Report,
  User,
  UserUsage,
  VoiceStatus,
} from "../../src/api/types";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  json: unknown;
  form: FormData | null;
}

type Reply = Response | Promise<Response>;
export type Routes = Record<string, (call: Call) => Reply>;

export function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export function apiError(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

/** Stubs global fetch; unknown routes answer 599 so a test fails loudly. */
export function mockApi(routes: Routes) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), "http://localhost");
    const method = (init?.method ?? "GET").toUpperCase();
    const body = init?.body;
    const call: Call = {
      method,
      path: url.pathname,
      query: url.searchParams,
      json: typeof body === "string" ? JSON.parse(body) : null,
      form: body instanceof FormData ? body : null,
    };
    calls.push(call);
    const handler = routes[`${method} ${url.pathname}`];
    if (!handler) return json(599, { error: { code: "unmocked", message: `${method} ${url.pathname}` } });
    return handler(call);
  });
  vi.stubGlobal("fetch", fetchMock);
  return { calls, fetchMock, callsTo: (key: string) => calls.filter((c) => `${c.method} ${c.path}` === key) };
}

/**
 * A text/event-stream response the test writes to as it goes: `send` one event, `write` raw text
 * or `writeBytes` (to split events anywhere), `close` the stream, or `fail` it as a dropped
 * connection would.
 */
export function eventStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  const writeBytes = (bytes: Uint8Array) => controller.enqueue(bytes);
  const write = (text: string) => writeBytes(encoder.encode(text));
  return {
    response: new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    write,
    writeBytes,
    send: (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    close: () => controller.close(),
    fail: () => controller.error(new TypeError("network error")),
  };
}

/** A whole reply as a stream: the text in a few deltas, then the `reply` event with `body`. */
export function streamed(body: AnswerResponse, pieces = 3): Response {
  const stream = eventStream();
  const text = body.reply.text;
  const size = Math.ceil(text.length / pieces);
  for (let at = 0; at < text.length; at += size) stream.send("delta", { text: text.slice(at, at + size) });
  stream.send("reply", body);
  stream.close();
  return stream.response;
}

/** A promise with its resolve handle, to hold a response until the test lets it go. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export function message(id: number, role: Message["role"], text: string): Message {
  return { id, seq: id, role, text, created_at: "2026-11-22T10:00:00Z", phase: "warmup", move: null };
}

export function interview(overrides: Partial<Interview> = {}): Interview {
  return {
    id: "iv1",
    status: "in_progress",
    topic: "Python backend",
    level: "intermediate",
    kind: "technical",
    duration_minutes: 25,
    language: "en",
    job_description: null,
    cv: null,
    matched_topics: [{ slug: "python", title: "Python", score: 0.9 }],
    brain: "embedded",
    messages: [message(1, "interviewer", "Hello! Tell me about a Python service you built.")],
    progress: {
      phase: "warmup",
      phase_label: "Warm-up",
      question_number: 1,
      planned_questions: 6,
      elapsed_seconds: 30,
      remaining_seconds: 1470,
    },
    notices: [],
    created_at: "2026-11-22T10:00:00Z",
    ended_at: null,
    ...overrides,
  };
}

export function report(overrides: Partial<Report> = {}): Report {
  return {
    interview_id: "iv1",
    overall_score: 72,
    recommendation: "hire",
    insufficient_data: false,
    summary: "Solid grasp of async Python with concrete examples.",
    dimensions: [
      {
        name: "Technical depth",
        score: 4,
        rationale: "Explained the event loop precisely.",
        evidence: ["the event loop runs one coroutine at a time"],
      },
      { name: "Communication", score: 2, rationale: "Answers wandered.", evidence: ["um, so, basically"] },
    ],
    strengths: [{ text: "Concrete examples", evidence: ["we cut latency from 300 ms to 40 ms"] }],
    improvements: [
      {
        text: "Structure your answers",
        evidence: ["um, so, basically"],
        suggestion: "Lead with the conclusion, then the reasons.",
      },
    ],
    questions: [
      {
        number: 1,
        phase: "core",
        question: "How does asyncio schedule coroutines?",
        follow_ups: ["What happens when a coroutine never awaits?"],
        answer_summary: "One loop, cooperative scheduling.",
        assessment: "Correct and specific.",
        model_answer: "An event loop runs ready callbacks; await yields control.",
        hints_used: 1,
        score: 3.8,
        brain: "embedded",
      },
    ],
    analytics: { answered: 4, words: 412, filler_words: 9, words_per_minute: null },
    notes: ["Scored by the embedded interviewer."],
    brains: { questions: ["embedded"], assessments: ["embedded"] },
    generated_at: "2026-11-22T10:30:00Z",
    ...overrides,
  };
}

export function summary(overrides: Partial<InterviewSummary> = {}): InterviewSummary {
  return {
    id: "iv1",
    topic: "Python backend",
    level: "intermediate",
    kind: "technical",
    status: "finished",
    created_at: "2026-11-22T10:00:00Z",
    ended_at: "2026-11-22T10:24:00Z",
    duration_seconds: 1440,
    overall_score: 72,
    recommendation: "hire",
    answered: 5,
    ...overrides,
  };
}

export function codingExercise(overrides: Partial<CodingExercise> = {}): CodingExercise {
  return {
    problem: {
      id: "any-duplicate",
      title: "Any Repeats?",
      difficulty: "easy",
      categories: ["arrays", "hashing"],
      statement: "Given a list of integers `nums`, return `true` if some value appears **at least twice**.",
      constraints: ["`0 <= len(nums) <= 2 * 10^5`"],
      examples: [{ input: { nums: [4, 1, 7, 1] }, output: true, explanation: "`1` appears twice." }],
      function: { name: "has_duplicate", params: [{ name: "nums", type: "int[]" }], returns: "bool" },
      compare: "exact",
      time_limit_ms: 2000,
      visible_tests: [
        { name: "visible-1", input: { nums: [4, 1, 7, 1] }, output: true, hidden: false, generated: false },
        { name: "visible-2", input: { nums: [3, -3, 0] }, output: false, hidden: false, generated: false },
      ],
      hint_count: 3,
    },
    languages: [
      {
        id: "python",
        name: "Python",
        signature: "def has_duplicate(nums: list[int]) -> bool:",
        starter_code: "def has_duplicate(nums: list[int]) -> bool:\n    pass\n",
      },
      {
        id: "java",
        name: "Java",
        signature: "public static boolean hasDuplicate(long[] nums) {",
        starter_code: "class Solution {\n    public static boolean hasDuplicate(long[] nums) {\n    }\n}\n",
      },
    ],
    active: true,
    hints_used: 0,
    hints_total: 3,
    runs: [],
    ...overrides,
  };
}

/** A run of the example tests: the first passes, the second gets the wrong answer. */
export function codeRun(overrides: Partial<CodeRunResult> = {}): CodeRunResult {
  return {
    kind: "run",
    verdict: "wrong_answer",
    passed: 1,
    total: 2,
    tests: [
      { index: 0, verdict: "accepted", hidden: false, time_ms: 3, memory_kb: 9000, input: null, expected: null, actual: null, message: null, stderr: null },
      {
        index: 1,
        verdict: "wrong_answer",
        hidden: false,
        time_ms: 4,
        memory_kb: 9000,
        input: { nums: [3, -3, 0] },
        expected: false,
        actual: true,
        message: null,
        stderr: "checking 3\nchecking -3\n",
      },
    ],
    compile_output: null,
    message: null,
    candidate_message: message(10, "candidate", "Ran Python code: 1/2 tests passed (wrong answer).\n```python\nreturn True\n```"),
    reply: null,
    ...overrides,
  };
}

/** GET /api/voice on a server whose speech models are loaded. */
export function voiceStatus(overrides: Partial<VoiceStatus> = {}): VoiceStatus {
  return {
    available: true,
    avatar: "local",
    message: "",
    sample_rate_in: 16000,
    sample_rate_out: 24000,
    stt: "moonshine",
    tts: "hibari",
    ...overrides,
  };
}

export function user(overrides: Partial<User> = {}): User {
  return {
    id: "u1",
    email: "ada@example.com",
    role: "user",
    provider: "password",
    created_at: "2026-11-01T09:00:00Z",
    disabled: false,
    ...overrides,
  };
}

/** GET /api/auth/me: Ada signed in on a server with accounts, unless overridden. */
export function me(overrides: Partial<Me> = {}): Me {
  return { user: user(), mode: "accounts", ...overrides };
}

/** GET /api/auth/me of a local-mode server: the one local user, who is its admin. */
export const localMe = (): Me =>
  me({ mode: "local", user: user({ id: "local", email: "local@localhost", role: "admin", provider: "local" }) });

export const unauthenticated = () =>
  apiError(401, "unauthenticated", "Sign in first: send a bearer token or the session cookie.");

export function usage(overrides: Partial<UserUsage> = {}): UserUsage {
  return { user: user(), interviews: 3, interview_minutes: 41.5, code_runs: 7, llm_tokens: 12345, ...overrides };
}

/** Two Python interviews and one on SQL, with recurring themes and a plan. */
export function progressOverview(overrides: Partial<ProgressOverview> = {}): ProgressOverview {
  return {
    interviews: 4,
    scored: 3,
    topics: [
      {
        topic: "Python",
        points: [
          { id: "p1", date: "2026-11-01T10:00:00+00:00", level: "intermediate", overall_score: 55, recommendation: "lean_no", dimensions: { Communication: 2 } },
          { id: "p2", date: "2026-11-08T10:00:00+00:00", level: "intermediate", overall_score: 72, recommendation: "hire", dimensions: { Communication: 4 } },
        ],
      },
      {
        topic: "SQL",
        points: [{ id: "s1", date: "2026-11-05T10:00:00+00:00", level: "beginner", overall_score: 64, recommendation: "lean_no", dimensions: { Communication: 3 } }],
      },
    ],
    dimensions: [
      { name: "Communication", scores: [2, 3, 4], first: 2, latest: 4, average: 3 },
      { name: "Technical knowledge", scores: [4, 3, 3], first: 4, latest: 3, average: 3.3 },
    ],
    themes: [
      { theme: "Depth: answers that stop before the how and the why", interviews: 3, example: "It depends, you follow best practices" },
      { theme: "Delivery: fewer filler words", interviews: 1, example: null },
    ],
    plan: [
      { topic: "Communication", why: "Your lowest area on average (3/5)." },
      { topic: "SQL", why: "Your last score here was 64/100; try it again at the beginner level before moving up." },
    ],
    ...overrides,
  };
}
