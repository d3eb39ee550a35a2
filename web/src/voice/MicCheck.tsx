import { useCallback, useEffect, useId, useRef, useState } from "react";
import { ApiError, getVoiceStatus } from "../api/client";
import { Notice } from "../components/Notice";
import type { VoiceStatus } from "../api/types";
import { avatarLabels } from "./call";
import { micConstraints, micErrorMessage } from "./media";

interface MicCheckProps {
  /** The candidate is ready: start the call with this microphone ("" for the default one). */
  onStart: (deviceId: string) => void;
  onCancel: () => void;
}

/** Loudness (0–1) above which the meter says the microphone hears the candidate. */
const HEARD = 0.04;

/** Root-mean-square loudness of one analyser frame, 0–1. */
export function loudness(samples: Float32Array): number {
  let sum = 0;
  for (const sample of samples) sum += sample * sample;
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

/**
 * Before a voice interview: the server's speech models load, the browser asks for the microphone,
 * and the candidate picks a device and sees a level meter move while they talk.
 */
export function MicCheck({ onStart, onCancel }: MicCheckProps) {
  const [server, setServer] = useState<VoiceStatus | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const [micError, setMicError] = useState<string | null>(null);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState("");
  const [level, setLevel] = useState(0);
  const [heard, setHeard] = useState(false);
  const [opening, setOpening] = useState(true);
  const stream = useRef<MediaStream | null>(null);
  const selectId = useId();

  useEffect(() => {
    let current = true;
    getVoiceStatus()
      .then((status) => current && setServer(status))
      .catch((error: unknown) => {
        if (current) setServerError(error instanceof ApiError ? error.message : "Can't reach the Mockroom server.");
      });
    return () => {
      current = false;
    };
  }, []);

  const open = useCallback(async (wanted: string) => {
    setOpening(true);
    setMicError(null);
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException("no mediaDevices", "NotSupportedError");
      const opened = await navigator.mediaDevices.getUserMedia(micConstraints(wanted || undefined));
      stream.current = opened;
      const mics = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === "audioinput");
      setDevices(mics);
      setDeviceId(opened.getAudioTracks()[0]?.getSettings().deviceId ?? wanted);
    } catch (error) {
      setMicError(micErrorMessage(error));
    } finally {
      setOpening(false);
    }
  }, []);

  useEffect(() => {
    void open("");
    return () => {
      stream.current?.getTracks().forEach((track) => track.stop());
      stream.current = null;
    };
  }, [open]);

  useEffect(() => {
    const source = stream.current;
    if (!source || typeof AudioContext === "undefined") return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(source).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let frame = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(samples);
      const value = loudness(samples);
      setLevel(value);
      if (value > HEARD) setHeard(true);
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(frame);
      void context.close();
    };
  }, [deviceId, opening]);

  const start = () => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    onStart(deviceId);
  };

  const ready = server?.available === true && !micError && !opening;
  const percent = Math.min(100, Math.round(Math.sqrt(level) * 160));

  return (
    <section className="mic-check" aria-labelledby="mic-check-title">
      <h2 id="mic-check-title">Check your microphone</h2>
      <p className="muted">
        Say a few words: the bar should move. Use headphones if you can; echo cancellation is on either way.
      </p>

      {micError ? (
        <Notice
          tone="error"
          action={
            <button type="button" className="button" onClick={() => void open(deviceId)}>
              Try again
            </button>
          }
        >
          {micError}
        </Notice>
      ) : (
        <>
          <div className="field">
            <label htmlFor={selectId}>Microphone</label>
            <select
              id={selectId}
              value={deviceId}
              onChange={(event) => {
                setDeviceId(event.target.value);
                void open(event.target.value);
              }}
              disabled={opening || devices.length === 0}
            >
              {devices.length === 0 && <option value="">Default microphone</option>}
              {devices.map((device, index) => (
                <option key={device.deviceId || index} value={device.deviceId}>
                  {device.label || `Microphone ${index + 1}`}
                </option>
              ))}
            </select>
          </div>
          <div
            className="mic-meter"
            role="meter"
            aria-label="Microphone level"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            data-testid="mic-level"
          >
            <span style={{ width: `${percent}%` }} />
          </div>
          <p className="mic-heard" aria-live="polite">
            {opening ? "Opening the microphone…" : heard ? "We can hear you." : "Waiting to hear you…"}
          </p>
        </>
      )}

      <p className="muted" aria-live="polite" data-testid="voice-server">
        {serverError
          ? serverError
          : !server
            ? "Loading the speech models on the server…"
            : server.available
              ? "Speech models ready."
              : server.message || "Voice is not available on this server."}
      </p>
      {server?.available && (
        <p className="muted" data-testid="avatar-choice">
          {`You will talk with ${avatarLabels[server.avatar ?? "local"]}.`}
          {server.avatar && server.avatar !== "local" && " If it cannot join, Mockroom's own interviewer takes over."}
        </p>
      )}

      <div className="mic-actions">
        <button type="button" className="button button-primary" onClick={start} disabled={!ready}>
          Start talking
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Keep typing
        </button>
      </div>
    </section>
  );
}
