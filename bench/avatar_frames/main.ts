// The 3-D avatar alone on a page, speaking a made-up reply on a loop (or in the state `?state=` names),
// at `?size=` pixels, set up as the voice room sets it up. bench/avatar_frames.mjs reads
// `window.avatarFrames`: how many animation frames the avatar drew in (any WebGL draw call counts).
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import type { AvatarState } from "../../web/src/voice/avatar/Avatar";
import "../../web/src/voice/avatar/avatar.css";
import { probeWebGL } from "../../web/src/voice/avatar/choice";
import HeadAvatar from "../../web/src/voice/avatar/HeadAvatar";
import { LipSync, type LipSyncMessage } from "../../web/src/voice/lipsync";

declare global {
  interface Window {
    avatarFrames: number;
  }
}

window.avatarFrames = 0;
let drewThisFrame = false;
const drawElements = WebGL2RenderingContext.prototype.drawElements;
WebGL2RenderingContext.prototype.drawElements = function (...args) {
  drewThisFrame = true;
  return drawElements.apply(this, args);
};
requestAnimationFrame(function count() {
  if (drewThisFrame) window.avatarFrames++;
  drewThisFrame = false;
  requestAnimationFrame(count);
});

const params = new URLSearchParams(location.search);
const state = (params.get("state") ?? "speaking") as AvatarState;
const size = Number(params.get("size") ?? 168);
const FRAME_MS = 20;

/** One sentence as the server's lipsync message: words spread by length, loudness in syllable-like pulses. */
function sentence(text: string): LipSyncMessage {
  const words = text.split(" ");
  const letters = words.reduce((sum, word) => sum + word.length + 1, 0);
  const duration = letters * 0.065;
  let start = 0;
  const timed = words.map((word) => {
    const end = start + ((word.length + 1) / letters) * duration;
    const entry = { word, start, end: end - 0.03 };
    start = end;
    return entry;
  });
  const envelope = Array.from({ length: Math.ceil((duration * 1000) / FRAME_MS) }, (_, i) => {
    const seconds = (i + 0.5) * (FRAME_MS / 1000);
    const inWord = timed.some((word) => word.start <= seconds && seconds < word.end);
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4.5 * seconds)) ** 0.7;
    return inWord ? syllable * (0.65 + 0.35 * Math.sin(2 * Math.PI * 0.7 * seconds)) : 0;
  });
  return { offset: 0, duration, text, words: timed, envelope_frame_ms: FRAME_MS, envelope };
}

const reply = sentence("How would you design a rate limiter for a public API, and where would you keep its counters?");
const lipSync = new LipSync({ playoutDelayMs: 0 });
const speak = () => lipSync.push(reply, performance.now());
speak();
setInterval(speak, reply.duration * 1000);

const root = document.getElementById("root");
if (!root) throw new Error("no #root");
createRoot(root).render(
  createElement(HeadAvatar, {
    state,
    lipSync,
    size,
    software: probeWebGL()?.software ?? false,
    onError: (error: unknown) => {
      document.body.dataset.error = String(error);
    },
  }),
);
