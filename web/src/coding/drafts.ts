// The candidate's code, per interview and problem, kept in localStorage so a reload (or a closed
// tab) keeps it: the chosen language and, per language, the code if it differs from the starter.
import type { LanguageId } from "../api/types";

export interface CodeDrafts {
  language: LanguageId | null;
  code: Partial<Record<LanguageId, string>>;
}

const key = (interviewId: string, problemId: string) => `mockroom:code:${interviewId}:${problemId}`;

export function loadCodeDrafts(interviewId: string, problemId: string): CodeDrafts {
  try {
    const stored = JSON.parse(window.localStorage.getItem(key(interviewId, problemId)) ?? "null") as unknown;
    if (stored && typeof stored === "object") {
      const { language, code } = stored as Partial<CodeDrafts>;
      return {
        language: typeof language === "string" ? language : null,
        code: code && typeof code === "object" ? code : {},
      };
    }
  } catch {
    // Unreadable or unavailable storage: start from the starter code.
  }
  return { language: null, code: {} };
}

export function saveCodeDrafts(interviewId: string, problemId: string, drafts: CodeDrafts): void {
  try {
    window.localStorage.setItem(key(interviewId, problemId), JSON.stringify(drafts));
  } catch {
    // Storage can be unavailable (private mode, quota); the code then lives only in memory.
  }
}
