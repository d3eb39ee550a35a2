/**
 * The 3-D interviewer's pose at each frame: how open the jaw is and how the lips are shaped (from the
 * lip-sync schedule), blinking, head motion, gaze and brows (from the state and the clock). Plain
 * functions and one small easing animator, free of three.js, so they are cheap and testable; times
 * are milliseconds on the lip-sync scheduler's clock (`performance.now()` in the browser).
 */
import type { LipSync } from "../lipsync";
import type { AvatarState } from "./Avatar";

/** How the lips are shaped for a sound, whatever its loudness. */
export interface MouthShape {
  /** How far the sound lets the jaw drop, 0 to 1: m, b and p close it, an "a" opens it fully. */
  open: number;
  /** -1 rounded and pushed forward (o, u, w) to 1 spread wide (ee). */
  spread: number;
}

/** What the figure shows at one frame; angles in radians. */
export interface Pose {
  /** Jaw drop, 0 (closed) to 1. */
  jaw: number;
  /** Lip shape, -1 (rounded) to 1 (spread). */
  spread: number;
  /** Eyelids, 0 (open) to 1 (shut). */
  blink: number;
  /** Head turn: positive yaw turns to the figure's left, positive pitch nods down, positive roll tilts. */
  yaw: number;
  pitch: number;
  roll: number;
  /** Where the eyes look, -1 to 1: right and up are positive. */
  gazeX: number;
  gazeY: number;
  /** Brows, -1 (lowered) to 1 (raised). */
  browLeft: number;
  browRight: number;
  /** Corners of the mouth raised, 0 to 1. */
  smile: number;
  /** Breathing, -1 (out) to 1 (in). */
  breath: number;
}

/** What the voice is doing at an instant: its loudness (the lip-sync's mouth openness) and the sound's lip shape. */
export interface Speech {
  loudness: number;
  shape: MouthShape;
}

const SHAPES = {
  closed: { open: 0.05, spread: 0 },
  teeth: { open: 0.25, spread: 0.3 },
  round: { open: 0.75, spread: -0.9 },
  pursed: { open: 0.35, spread: -1 },
  wide: { open: 0.55, spread: 0.8 },
  open: { open: 1, spread: 0.25 },
  neutral: { open: 0.6, spread: 0.15 },
} satisfies Record<string, MouthShape>;

const LETTER_SHAPES: Record<string, MouthShape> = {
  m: SHAPES.closed,
  b: SHAPES.closed,
  p: SHAPES.closed,
  f: SHAPES.teeth,
  v: SHAPES.teeth,
  o: SHAPES.round,
  u: SHAPES.pursed,
  w: SHAPES.pursed,
  q: SHAPES.pursed,
  e: SHAPES.wide,
  i: SHAPES.wide,
  y: SHAPES.wide,
  a: SHAPES.open,
};

export const NEUTRAL_SHAPE: MouthShape = SHAPES.neutral;

/**
 * The lip shape `progress` (0 to 1) of the way through `word`. The server sends word timings but no
 * phonemes, so the word's letters stand in for its sounds, spread evenly over its time.
 */
export function mouthShapeOf(word: string, progress: number): MouthShape {
  const letters = word
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z]/g, "");
  if (!letters) return NEUTRAL_SHAPE;
  const index = Math.min(letters.length - 1, Math.max(0, Math.floor(progress * letters.length)));
  return LETTER_SHAPES[letters[index]!] ?? NEUTRAL_SHAPE;
}

/** The voice at `nowMs` by the lip-sync schedule: silent and neutral between words and chunks. */
export function speechAt(lipSync: LipSync, nowMs: number): Speech {
  const word = lipSync.wordAt(nowMs);
  return {
    loudness: lipSync.mouthAt(nowMs),
    shape: word ? mouthShapeOf(word.word, word.progress) : NEUTRAL_SHAPE,
  };
}

const BLINK_SLOT_MS = 4200;
const BLINK_MS = 170;
const DOUBLE_BLINK_GAP_MS = 90;

/** A fixed pseudo-random number in [0, 1) for each integer, so blinks fall irregularly yet repeatably. */
function scatter(n: number): number {
  const x = Math.sin(n * 127.1 + 311.7) * 43758.5453;
  return x - Math.floor(x);
}

/** One blink `ms` after it starts: shuts quickly, opens a little slower. */
function blinkShape(ms: number): number {
  const t = ms / BLINK_MS;
  if (t < 0 || t > 1) return 0;
  return t < 0.4 ? t / 0.4 : 1 - (t - 0.4) / 0.6;
}

/**
 * The eyelids at `nowMs`: one blink at a scattered moment in each 4.2 s slot (so 1 to 8 s apart),
 * and now and then a second one right after it.
 */
export function blinkAt(nowMs: number): number {
  const slot = Math.floor(nowMs / BLINK_SLOT_MS);
  const room = BLINK_SLOT_MS - 2 * BLINK_MS - DOUBLE_BLINK_GAP_MS;
  const start = slot * BLINK_SLOT_MS + scatter(slot) * room;
  const second = scatter(slot + 0.5) > 0.75 ? blinkShape(nowMs - start - BLINK_MS - DOUBLE_BLINK_GAP_MS) : 0;
  return Math.max(blinkShape(nowMs - start), second);
}

const wave = (seconds: number, hertz: number, phase = 0) => Math.sin(2 * Math.PI * hertz * seconds + phase);

/**
 * The pose the figure moves towards at `nowMs` in `state`; `speech` (only while speaking) opens the
 * jaw and shapes the lips, and its loudness lifts the brows and nods the head a little for emphasis.
 * Head motion is a few slow waves of unrelated periods, so it never visibly repeats.
 */
export function targetPose(state: AvatarState, nowMs: number, speech: Speech | null = null): Pose {
  const t = nowMs / 1000;
  const sway = state === "speaking" ? 1.6 : 1;
  const pose: Pose = {
    jaw: 0,
    spread: 0,
    blink: blinkAt(nowMs),
    yaw: sway * (0.05 * wave(t, 0.07) + 0.02 * wave(t, 0.19, 1)),
    pitch: 0.025 * wave(t, 0.11, 2),
    roll: 0.02 * wave(t, 0.05, 4),
    gazeX: 0.12 * wave(t, 0.09, 3),
    gazeY: 0,
    browLeft: 0,
    browRight: 0,
    smile: 0.2,
    breath: wave(t, 0.25),
  };
  switch (state) {
    case "listening": {
      // Leans in with the head tilted, brows up, and a small nod now and then.
      const nod = 0.05 * Math.max(0, wave(t, 0.6)) ** 6 * Math.max(0, wave(t, 0.13));
      return {
        ...pose,
        roll: pose.roll + 0.08,
        pitch: pose.pitch + 0.06 + nod,
        gazeX: pose.gazeX * 0.3,
        browLeft: 0.35,
        browRight: 0.35,
        smile: 0.35,
      };
    }
    case "thinking":
      // Looks up and aside with one brow raised and the lips pressed forward a little.
      return {
        ...pose,
        yaw: pose.yaw + 0.14,
        pitch: pose.pitch - 0.1,
        gazeX: 0.55,
        gazeY: 0.6,
        browLeft: -0.1,
        browRight: 0.7,
        spread: -0.35,
        smile: 0.05,
      };
    case "speaking": {
      const { loudness, shape } = speech ?? { loudness: 0, shape: NEUTRAL_SHAPE };
      return {
        ...pose,
        jaw: loudness * (0.3 + 0.7 * shape.open),
        spread: shape.spread * Math.min(1, loudness * 3),
        pitch: pose.pitch + 0.06 * loudness,
        browLeft: 0.35 * loudness,
        browRight: 0.35 * loudness,
        smile: 0.25,
      };
    }
    default:
      return pose;
  }
}

/**
 * How long each part of the pose takes to follow its target (the time constant of an exponential
 * ease, ms): the mouth keeps up with the voice, the head turns slowly; blinks and breathing are
 * already smooth.
 */
const EASE_MS = {
  jaw: 40,
  spread: 70,
  blink: 0,
  yaw: 350,
  pitch: 250,
  roll: 400,
  gazeX: 120,
  gazeY: 120,
  browLeft: 150,
  browRight: 150,
  smile: 300,
  breath: 0,
} satisfies Record<keyof Pose, number>;

const POSE_PARTS = Object.keys(EASE_MS) as (keyof Pose)[];

// A frame after a long pause (a hidden tab) moves at most this far in time, so nothing jumps.
const MAX_STEP_MS = 200;

function ease(current: number, target: number, stepMs: number, timeConstantMs: number): number {
  if (timeConstantMs <= 0) return target;
  const next = current + (target - current) * (1 - Math.exp(-stepMs / timeConstantMs));
  return Math.abs(target - next) < 1e-3 ? target : next;
}

/** The pose frame by frame: each part eases towards its target, so state changes blend instead of jumping. */
export class PoseAnimator {
  private pose: Pose | null = null;
  private lastMs = 0;

  next(state: AvatarState, nowMs: number, lipSync: LipSync): Pose {
    const target = targetPose(state, nowMs, state === "speaking" ? speechAt(lipSync, nowMs) : null);
    const stepMs = Math.min(MAX_STEP_MS, Math.max(0, nowMs - this.lastMs));
    this.lastMs = nowMs;
    const previous = this.pose;
    const pose = { ...target };
    if (previous) {
      for (const part of POSE_PARTS) pose[part] = ease(previous[part], target[part], stepMs, EASE_MS[part]);
    }
    this.pose = pose;
    return pose;
  }
}
