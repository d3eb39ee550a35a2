// Words and numbers as the screens show them.
import type { Kind, Level, Recommendation } from "../api/types";

export const levelLabels: Record<Level, string> = {
  beginner: "Beginner",
  intermediate: "Intermediate",
  advanced: "Advanced",
};

export const kindLabels: Record<Kind, string> = {
  mixed: "Mixed",
  technical: "Technical",
  behavioral: "Behavioral",
  coding: "Coding",
  system_design: "System design",
};

export const recommendationLabels: Record<Recommendation, string> = {
  strong_hire: "Strong hire",
  hire: "Hire",
  lean_no: "Lean no",
  no: "No hire",
  insufficient_data: "Not enough data",
};

export function labelOf<K extends string>(labels: Record<K, string>, value: string): string {
  return (labels as Record<string, string>)[value] ?? value.replace(/_/g, " ");
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function clock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

/** A duration for people: "45 s", "12 min", "1 h 5 min". */
export function duration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined) return "—";
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
