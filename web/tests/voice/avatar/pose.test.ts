import { describe, expect, it } from "vitest";
import type { AvatarState } from "../../../src/voice/avatar/Avatar";
import {
  NEUTRAL_SHAPE,
  PoseAnimator,
  blinkAt,
  mouthShapeOf,
  speechAt,
  targetPose,
} from "../../../src/voice/avatar/pose";
import { LipSync, type LipSyncMessage } from "../../../src/voice/lipsync";

/** "Mama", loud throughout: 0.4 s, one letter every 0.1 s. */
const mama: LipSyncMessage = {
  offset: 0,
  duration: 0.4,
  text: "Mama",
  words: [{ word: "Mama", start: 0, end: 0.4 }],
  envelope_frame_ms: 20,
  envelope: Array<number>(20).fill(0.8),
};

const speaking = (message: LipSyncMessage = mama) => {
  const lipSync = new LipSync({ playoutDelayMs: 0 });
  lipSync.push(message, 0);
  return lipSync;
};

/** The animator's poses every 16 ms from `fromMs` to `toMs` (inclusive) in `state`. */
function run(animator: PoseAnimator, state: AvatarState, lipSync: LipSync, fromMs: number, toMs: number) {
  const poses = [];
  for (let ms = fromMs; ms <= toMs; ms += 16) poses.push({ ms, pose: animator.next(state, ms, lipSync) });
  return poses;
}

describe("mouthShapeOf", () => {
  it("closes the lips on m, b and p, rounds them on o and u, spreads them on ee, opens wide on a", () => {
    expect(mouthShapeOf("map", 0).open).toBeLessThan(0.1);
    expect(mouthShapeOf("map", 0.5)).toEqual({ open: 1, spread: expect.any(Number) });
    expect(mouthShapeOf("map", 0.9).open).toBeLessThan(0.1);
    expect(mouthShapeOf("do", 0.75).spread).toBeLessThan(-0.5);
    expect(mouthShapeOf("you", 0.9).spread).toBeLessThan(-0.5);
    expect(mouthShapeOf("see", 0.9).spread).toBeGreaterThan(0.5);
  });

  it("spreads the letters evenly over the word, ignoring punctuation and accents", () => {
    expect(mouthShapeOf("ma", 0.49)).toEqual(mouthShapeOf("m", 0));
    expect(mouthShapeOf("ma", 0.5)).toEqual(mouthShapeOf("a", 0));
    expect(mouthShapeOf("“Ma!”", 0.99)).toEqual(mouthShapeOf("a", 0));
    expect(mouthShapeOf("café", 0.99)).toEqual(mouthShapeOf("e", 0));
    expect(mouthShapeOf("ma", 1)).toEqual(mouthShapeOf("a", 0));
  });

  it("takes a neutral shape for words without Latin letters", () => {
    expect(mouthShapeOf("42", 0.5)).toBe(NEUTRAL_SHAPE);
    expect(mouthShapeOf("", 0)).toBe(NEUTRAL_SHAPE);
    expect(mouthShapeOf("t", 0)).toBe(NEUTRAL_SHAPE);
  });
});

describe("speechAt", () => {
  it("follows the lip-sync schedule: its loudness and the letter being said", () => {
    const lipSync = speaking();
    expect(speechAt(lipSync, 50)).toEqual({ loudness: 0.8, shape: mouthShapeOf("m", 0) });
    expect(speechAt(lipSync, 150)).toEqual({ loudness: 0.8, shape: mouthShapeOf("a", 0) });
  });

  it("is silent and neutral outside every chunk", () => {
    expect(speechAt(speaking(), 500)).toEqual({ loudness: 0, shape: NEUTRAL_SHAPE });
    expect(speechAt(new LipSync(), 0)).toEqual({ loudness: 0, shape: NEUTRAL_SHAPE });
  });
});

describe("blinkAt", () => {
  const minute = Array.from({ length: 60_000 / 10 }, (_, i) => i * 10);
  const shut = minute.filter((ms) => blinkAt(ms) > 0.9);

  it("keeps the eyes open nearly all the time and within 0 to 1", () => {
    const values = minute.map(blinkAt);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(values.filter((value) => value > 0).length / values.length).toBeLessThan(0.1);
  });

  it("blinks every few seconds, at irregular times", () => {
    // A blink is a run of shut samples; take each run's first sample.
    const blinks = shut.filter((ms, i) => i === 0 || ms - shut[i - 1]! > 20);
    expect(blinks.length).toBeGreaterThanOrEqual(12);
    expect(blinks.length).toBeLessThanOrEqual(25);
    const gaps = blinks.slice(1).map((ms, i) => ms - blinks[i]!);
    expect(Math.max(...gaps)).toBeLessThan(8400);
    expect(new Set(gaps.map((gap) => Math.round(gap / 100))).size).toBeGreaterThan(5);
  });

  it("is the same at the same instant", () => {
    expect(minute.map(blinkAt)).toEqual(minute.map(blinkAt));
  });
});

/** An instant mid-blink. */
function midBlink(): number {
  for (let ms = 0; ms < 10_000; ms += 5) if (blinkAt(ms) > 0.9) return ms;
  throw new Error("no blink in 10 s");
}

describe("targetPose", () => {
  const loud = { loudness: 1, shape: mouthShapeOf("a", 0) };

  it("opens the jaw only while speaking, by the loudness and the sound's shape", () => {
    expect(targetPose("speaking", 0, loud).jaw).toBeCloseTo(1);
    expect(targetPose("speaking", 0, { loudness: 0.5, shape: loud.shape }).jaw).toBeCloseTo(0.5);
    expect(targetPose("speaking", 0, { loudness: 1, shape: mouthShapeOf("m", 0) }).jaw).toBeLessThan(0.4);
    expect(targetPose("speaking", 0, { loudness: 0, shape: loud.shape }).jaw).toBe(0);
    for (const state of ["idle", "listening", "thinking"] as const) {
      expect(targetPose(state, 0, loud).jaw).toBe(0);
    }
  });

  it("rounds and spreads the lips as the sound asks", () => {
    expect(targetPose("speaking", 0, { loudness: 0.8, shape: mouthShapeOf("o", 0) }).spread).toBeLessThan(-0.5);
    expect(targetPose("speaking", 0, { loudness: 0.8, shape: mouthShapeOf("e", 0) }).spread).toBeGreaterThan(0.5);
  });

  it("leans in with raised brows while listening", () => {
    const idle = targetPose("idle", 1000);
    const listening = targetPose("listening", 1000);
    expect(listening.roll).toBeGreaterThan(idle.roll + 0.05);
    expect(listening.pitch).toBeGreaterThan(idle.pitch + 0.05);
    expect(listening.browLeft).toBeGreaterThan(0.2);
    expect(listening.smile).toBeGreaterThan(idle.smile);
  });

  it("looks up and aside with one brow raised while thinking", () => {
    const thinking = targetPose("thinking", 1000);
    expect(thinking.gazeY).toBeGreaterThan(0.4);
    expect(thinking.gazeX).toBeGreaterThan(0.4);
    expect(thinking.pitch).toBeLessThan(targetPose("idle", 1000).pitch - 0.05);
    expect(thinking.browRight - thinking.browLeft).toBeGreaterThan(0.5);
  });

  it("moves the head a little, and never far", () => {
    for (const state of ["idle", "listening", "thinking", "speaking"] as const) {
      const poses = Array.from({ length: 600 }, (_, i) => targetPose(state, i * 100, loud));
      const yaws = poses.map((pose) => pose.yaw);
      expect(Math.max(...yaws) - Math.min(...yaws)).toBeGreaterThan(0.02);
      for (const pose of poses) {
        expect(Math.abs(pose.yaw)).toBeLessThan(0.35);
        expect(Math.abs(pose.pitch)).toBeLessThan(0.25);
        expect(Math.abs(pose.roll)).toBeLessThan(0.15);
      }
    }
  });

  it("blinks in every state", () => {
    const blinking = midBlink();
    for (const state of ["idle", "listening", "thinking", "speaking"] as const) {
      expect(targetPose(state, blinking).blink).toBe(blinkAt(blinking));
    }
  });
});

describe("PoseAnimator", () => {
  it("moves the mouth with the voice while speaking", () => {
    const jaws = run(new PoseAnimator(), "speaking", speaking(), 0, 400).map(({ pose }) => pose.jaw);
    expect(Math.max(...jaws)).toBeGreaterThan(0.6);
    // The lips meet on each "m" and part on each "a".
    const atM = jaws[Math.round(290 / 16)]!;
    const atA = jaws[Math.round(390 / 16)]!;
    expect(atA - atM).toBeGreaterThan(0.3);
  });

  it("closes the mouth after the chunk, and keeps it shut while listening even if chunks are pending", () => {
    const animator = new PoseAnimator();
    const lipSync = speaking({ ...mama, duration: 2, envelope: Array<number>(100).fill(0.8) });
    run(animator, "speaking", lipSync, 0, 300);
    const listening = run(animator, "listening", lipSync, 316, 1000);
    const rested = listening.filter(({ ms }) => ms >= 800).map(({ pose }) => [pose.jaw, pose.spread]);
    expect(rested.length).toBeGreaterThan(10);
    expect(rested.every(([jaw, spread]) => jaw === 0 && spread === 0)).toBe(true);
  });

  it("blends into a new state instead of jumping", () => {
    const animator = new PoseAnimator();
    const lipSync = new LipSync();
    const idle = run(animator, "idle", lipSync, 0, 1000).at(-1)!.pose;
    const first = animator.next("thinking", 1016, lipSync);
    const target = targetPose("thinking", 1016);
    expect(first.gazeY).toBeGreaterThan(idle.gazeY);
    expect(first.gazeY).toBeLessThan(target.gazeY / 2);
    const settled = run(animator, "thinking", lipSync, 1032, 3000).at(-1)!.pose;
    expect(settled.gazeY).toBeCloseTo(targetPose("thinking", 3000).gazeY, 2);
    expect(settled.yaw).toBeCloseTo(targetPose("thinking", 3000).yaw, 1);
  });

  it("does not jump after a long pause (a hidden tab)", () => {
    const animator = new PoseAnimator();
    const lipSync = new LipSync();
    animator.next("idle", 0, lipSync);
    const after = animator.next("thinking", 60_000, lipSync);
    expect(after.gazeY).toBeLessThan(targetPose("thinking", 60_000).gazeY);
  });
});
