/**
 * Mouth movement for the interviewer's voice, scheduled from the server's `lipsync` messages
 * (PROTOCOL.md, "Lip-sync timing"). Each message describes one chunk of audio that is about to
 * play; the scheduler places it on the caller's clock and answers "how open is the mouth, and which
 * word is being said, at this instant". All times are milliseconds on one clock the caller passes in
 * (`performance.now()` in the browser), which keeps the scheduler deterministic under test.
 */

/** One word's timing within a chunk, in seconds from the chunk's start. */
export interface LipSyncWord {
  word: string;
  start: number;
  end: number;
}

/** The `data` of a `lipsync` server message. */
export interface LipSyncMessage {
  offset: number;
  duration: number;
  text: string;
  words: LipSyncWord[];
  envelope_frame_ms: number;
  envelope: number[];
}

/**
 * The word being spoken: its place in the chunk's `words`, the chunk's text it belongs to, and how
 * far through the word the voice is (0 at its start, approaching 1 at its end).
 */
export interface SpokenWord {
  word: string;
  index: number;
  text: string;
  progress: number;
}

export interface LipSyncOptions {
  /** How long after a message arrives its audio is heard (the browser's jitter buffer). */
  playoutDelayMs?: number;
}

interface Chunk {
  message: LipSyncMessage;
  start: number;
  end: number;
}

export const DEFAULT_PLAYOUT_DELAY_MS = 60;

// How far the mouth opens mid-word when a chunk has word timings but no envelope.
const WORD_OPENNESS = 0.7;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The envelope at `ms` into the chunk, interpolated between frame centres so the mouth glides
 * from frame to frame instead of stepping every `frameMs`.
 */
function envelopeAt(envelope: readonly number[], frameMs: number, ms: number): number {
  const position = ms / frameMs - 0.5;
  const last = envelope.length - 1;
  const index = clamp(Math.floor(position), 0, last);
  const fraction = clamp(position - index, 0, 1);
  const here = envelope[index] ?? 0;
  const next = envelope[Math.min(index + 1, last)] ?? here;
  return here + (next - here) * fraction;
}

/** Without an envelope: an arch over each word, closed between words. */
function wordShapeAt(words: readonly LipSyncWord[], seconds: number): number {
  const word = words.find(({ start, end }) => start <= seconds && seconds < end);
  if (!word) return 0;
  return WORD_OPENNESS * Math.sin((Math.PI * (seconds - word.start)) / (word.end - word.start));
}

/** Schedules lip-sync chunks one after another and reports the mouth and the word at any instant. */
export class LipSync {
  private chunks: Chunk[] = [];
  private readonly playoutDelayMs: number;

  constructor({ playoutDelayMs = DEFAULT_PLAYOUT_DELAY_MS }: LipSyncOptions = {}) {
    this.playoutDelayMs = playoutDelayMs;
  }

  /** Schedules a chunk received at `receivedAtMs`: after the playout delay, never before the previous chunk ends. */
  push(message: LipSyncMessage, receivedAtMs: number): void {
    this.chunks = this.chunks.filter((chunk) => chunk.end > receivedAtMs);
    const previousEnd = this.chunks.at(-1)?.end ?? -Infinity;
    const start = Math.max(receivedAtMs + this.playoutDelayMs, previousEnd);
    this.chunks.push({ message, start, end: start + Math.max(0, message.duration) * 1000 });
  }

  /** Mouth openness from 0 (closed) to 1 at `nowMs`; closed outside every chunk. */
  mouthAt(nowMs: number): number {
    const chunk = this.chunkAt(nowMs);
    if (!chunk) return 0;
    const { envelope, envelope_frame_ms: frameMs, words } = chunk.message;
    const ms = nowMs - chunk.start;
    const openness =
      envelope.length > 0 && frameMs > 0 ? envelopeAt(envelope, frameMs, ms) : wordShapeAt(words, ms / 1000);
    return clamp(openness, 0, 1);
  }

  /** The word being spoken at `nowMs`, or null between words and outside every chunk. */
  wordAt(nowMs: number): SpokenWord | null {
    const chunk = this.chunkAt(nowMs);
    if (!chunk) return null;
    const seconds = (nowMs - chunk.start) / 1000;
    const { words, text } = chunk.message;
    const index = words.findIndex(({ start, end }) => start <= seconds && seconds < end);
    const word = words[index];
    if (!word) return null;
    return { word: word.word, index, text, progress: (seconds - word.start) / (word.end - word.start) };
  }

  /** Closes the mouth and drops every chunk, playing or pending (on `interrupted` and `bot-stopped-speaking`). */
  stop(): void {
    this.chunks = [];
  }

  private chunkAt(nowMs: number): Chunk | undefined {
    return this.chunks.find((chunk) => chunk.start <= nowMs && nowMs < chunk.end);
  }
}
