import type { Kind, Level } from "../api/types";

export const levels: { value: Level; hint: string }[] = [
  { value: "beginner", hint: "Fundamentals, friendly pace" },
  { value: "intermediate", hint: "Day-to-day practice and trade-offs" },
  { value: "advanced", hint: "Depth, edge cases, leadership" },
];

export const kinds: { value: Kind; hint: string }[] = [
  { value: "mixed", hint: "A bit of everything" },
  { value: "technical", hint: "Concepts and how you apply them" },
  { value: "behavioral", hint: "Past situations, told as stories" },
  { value: "coding", hint: "Problems you solve in code" },
  { value: "system_design", hint: "Designing a system end to end" },
];

export const durations = [10, 15, 20, 25, 30, 45, 60] as const;
export const defaultDuration = 25;

/** File types the server's CV parser reads. */
export const cvAccept =
  ".pdf,.docx,.txt,application/pdf,text/plain,application/vnd.openxmlformats-officedocument.wordprocessingml.document";
