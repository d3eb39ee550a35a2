import { describe, expect, it } from "vitest";
import { DEFAULT_PLAYOUT_DELAY_MS, LipSync, type LipSyncMessage } from "../../src/voice/lipsync";

// 20 ms frames: frame i is centred on 10 + 20 i ms into the chunk.
const chunk = (overrides: Partial<LipSyncMessage> = {}): LipSyncMessage => ({
  offset: 0,
  duration: 0.1,
  text: "How would you cache this?",
  words: [
    { word: "How", start: 0, end: 0.04 },
    { word: "would", start: 0.05, end: 0.1 },
  ],
  envelope_frame_ms: 20,
  envelope: [0.2, 0.4, 0.8, 0.6, 0.1],
  ...overrides,
});

describe("LipSync", () => {
  it("keeps the mouth closed with nothing scheduled", () => {
    const lipSync = new LipSync();
    expect(lipSync.mouthAt(0)).toBe(0);
    expect(lipSync.wordAt(0)).toBeNull();
  });

  it("starts a chunk after the playout delay and closes the mouth when it ends", () => {
    const lipSync = new LipSync();
    lipSync.push(chunk(), 1000);
    const start = 1000 + DEFAULT_PLAYOUT_DELAY_MS;
    expect(lipSync.mouthAt(start - 1)).toBe(0);
    expect(lipSync.mouthAt(start + 10)).toBeCloseTo(0.2);
    expect(lipSync.mouthAt(start + 99)).toBeCloseTo(0.1);
    expect(lipSync.mouthAt(start + 100)).toBe(0);
  });

  it("takes the playout delay from its options", () => {
    const lipSync = new LipSync({ playoutDelayMs: 150 });
    lipSync.push(chunk(), 0);
    expect(lipSync.mouthAt(149)).toBe(0);
    expect(lipSync.mouthAt(160)).toBeCloseTo(0.2);
  });

  it("reads the envelope frame by frame, gliding between frame centres", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk(), 0);
    expect([10, 30, 50, 70, 90].map((ms) => lipSync.mouthAt(ms))).toEqual([0.2, 0.4, 0.8, 0.6, 0.1]);
    expect(lipSync.mouthAt(40)).toBeCloseTo(0.6);
    expect(lipSync.mouthAt(0)).toBeCloseTo(0.2);
  });

  it("keeps the mouth within 0..1 whatever the envelope says", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk({ envelope: [1.4, -0.3] }), 0);
    expect(lipSync.mouthAt(10)).toBe(1);
    expect(lipSync.mouthAt(30)).toBe(0);
  });

  it("plays a chunk that arrives during the previous one after it, never over it", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk(), 0);
    lipSync.push(chunk({ envelope: [0.9, 0.9, 0.9, 0.9, 0.9] }), 50);
    expect(lipSync.mouthAt(70)).toBeCloseTo(0.6);
    expect(lipSync.mouthAt(110)).toBeCloseTo(0.9);
    expect(lipSync.mouthAt(199)).toBeCloseTo(0.9);
    expect(lipSync.mouthAt(200)).toBe(0);
  });

  it("starts a chunk at its own time when the previous one has already ended", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk(), 0);
    lipSync.push(chunk({ envelope: [0.9] }), 500);
    expect(lipSync.mouthAt(300)).toBe(0);
    expect(lipSync.mouthAt(499)).toBe(0);
    expect(lipSync.mouthAt(510)).toBeCloseTo(0.9);
  });

  it("closes the mouth and drops pending chunks on stop", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk(), 0);
    lipSync.push(chunk(), 20);
    lipSync.stop();
    expect(lipSync.mouthAt(50)).toBe(0);
    expect(lipSync.mouthAt(150)).toBe(0);
    expect(lipSync.wordAt(50)).toBeNull();

    lipSync.push(chunk(), 300);
    expect(lipSync.mouthAt(310)).toBeCloseTo(0.2);
  });

  it("tells which word is being spoken, and none between words or chunks", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk(), 0);
    expect(lipSync.wordAt(20)).toMatchObject({ word: "How", index: 0, text: "How would you cache this?" });
    expect(lipSync.wordAt(45)).toBeNull();
    expect(lipSync.wordAt(60)).toMatchObject({ word: "would", index: 1, text: "How would you cache this?" });
    expect(lipSync.wordAt(100)).toBeNull();
  });

  it("tells how far through the word the voice is", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk(), 0);
    expect(lipSync.wordAt(0)?.progress).toBe(0);
    expect(lipSync.wordAt(20)?.progress).toBeCloseTo(0.5);
    expect(lipSync.wordAt(90)?.progress).toBeCloseTo(0.8);
  });

  it("falls back to the word timings when the envelope is empty", () => {
    const lipSync = new LipSync({ playoutDelayMs: 0 });
    lipSync.push(chunk({ envelope: [] }), 0);
    expect(lipSync.mouthAt(0)).toBe(0);
    expect(lipSync.mouthAt(20)).toBeCloseTo(0.7);
    expect(lipSync.mouthAt(10)).toBeGreaterThan(0);
    expect(lipSync.mouthAt(10)).toBeLessThan(0.7);
    expect(lipSync.mouthAt(45)).toBe(0);
    expect(lipSync.mouthAt(75)).toBeCloseTo(0.7);
  });
});
