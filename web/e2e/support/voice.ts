// A candidate's voice for the browser tests: Chromium's fake microphone plays a WAV that the server's
// own TTS made, so a spoken interview runs with no person and no network.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");

/**
 * `text` spoken by the embedded TTS as a 16 kHz WAV, after `leadSeconds` of silence (time for the
 * page to connect) and with silence after it so the turn ends. `text` may be several parts with
 * `pauses` (seconds) between them: each part's own lead-in and tail silence is trimmed, so a pause
 * is exactly as long as asked.
 */
export function speechWav(text: string | string[], leadSeconds: number, pauses: number[] = []): string {
  const path = join(mkdtempSync(join(tmpdir(), "mockroom-voice-")), "answer.wav");
  const parts = Array.isArray(text) ? text : [text];
  const script = `
import json, sys, wave
import numpy as np
from mockroom.providers.stt.audio import pcm16_to_float, resample
from mockroom.providers.tts.base import float_to_pcm16
from mockroom.providers.tts.hibari import HibariTextToSpeech
tts = HibariTextToSpeech()
parts, pauses = json.loads(sys.argv[1]), json.loads(sys.argv[4])
pieces = [np.zeros(int(16000 * float(sys.argv[3])))]
for index, part in enumerate(parts):
    chunks = list(tts.synthesize(part))
    samples = resample(pcm16_to_float(b"".join(c.pcm for c in chunks)), chunks[0].sample_rate, 16000)
    if len(parts) > 1:
        voiced = np.flatnonzero(np.abs(samples) > 500 / 32768)
        samples = samples[max(0, voiced[0] - 800): voiced[-1] + 800]
    pieces.append(samples)
    if index < len(pauses):
        pieces.append(np.zeros(int(16000 * pauses[index])))
pieces.append(np.zeros(16000 * 30))
with wave.open(sys.argv[2], "wb") as out:
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(16000)
    out.writeframes(float_to_pcm16(np.concatenate(pieces)))
`;
  const args = ["-c", script, JSON.stringify(parts), path, String(leadSeconds), JSON.stringify(pauses)];
  execFileSync(resolve(repo, ".venv/bin/python"), args, {
    cwd: repo,
    env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE" },
  });
  return path;
}

/** Chromium flags for a fake microphone that plays `wav` once, with autoplay allowed. */
export function fakeMicrophone(wav: string): string[] {
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}%noloop`,
    "--autoplay-policy=no-user-gesture-required",
  ];
}
