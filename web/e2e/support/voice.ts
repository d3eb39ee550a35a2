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
 * page to connect) and with silence after it so the turn ends.
 */
export function speechWav(text: string, leadSeconds: number): string {
  const path = join(mkdtempSync(join(tmpdir(), "mockroom-voice-")), "answer.wav");
  const script = `
import sys, wave
import numpy as np
from mockroom.providers.stt.audio import pcm16_to_float, resample
from mockroom.providers.tts.base import float_to_pcm16
from mockroom.providers.tts.hibari import HibariTextToSpeech
chunks = list(HibariTextToSpeech().synthesize(sys.argv[1]))
samples = resample(pcm16_to_float(b"".join(c.pcm for c in chunks)), chunks[0].sample_rate, 16000)
lead, tail = np.zeros(int(16000 * float(sys.argv[3]))), np.zeros(16000 * 30)
with wave.open(sys.argv[2], "wb") as out:
    out.setnchannels(1); out.setsampwidth(2); out.setframerate(16000)
    out.writeframes(float_to_pcm16(np.concatenate([lead, samples, tail])))
`;
  execFileSync(resolve(repo, ".venv/bin/python"), ["-c", script, text, path, String(leadSeconds)], {
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
