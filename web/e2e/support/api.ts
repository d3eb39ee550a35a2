// Direct calls to the server under test, for arranging state and checking what it stored.
import { baseURL } from "./browser";

export async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(baseURL() + path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function startInterview(topic: string): Promise<string> {
  const { status, body } = await call<{ id: string }>("POST", "/api/interviews", {
    topic,
    level: "intermediate",
    kind: "mixed",
    duration_minutes: 15,
  });
  if (status !== 201) throw new Error(`POST /api/interviews answered ${status}: ${JSON.stringify(body)}`);
  return body.id;
}
