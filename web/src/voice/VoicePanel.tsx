import { useEffect, useState } from "react";
import { Notice } from "../components/Notice";
import { Avatar } from "./Avatar";
import type { VoiceCall } from "./call";
import { MicCheck } from "./MicCheck";
import { useVoiceCall } from "./useVoiceCall";
import "./voice.css";

interface VoicePanelProps {
  interviewId: string;
  /** A turn was stored: the room reloads the transcript. */
  onTurn: (turn: { finished: boolean }) => void;
  /** The live call (to send typed answers through it), or null when there is none. */
  onCall: (call: VoiceCall | null) => void;
  /** The candidate left voice mode: back to typing only. */
  onLeave: () => void;
}

const stateLabels = {
  idle: "Listening for your answer",
  listening: "Listening…",
  thinking: "Thinking…",
  speaking: "Speaking",
};

/**
 * Voice mode of the room: first the mic check, then the call — the avatar, live captions of both
 * sides, mute and leave. Loaded on demand, so text-only interviews never download the voice code.
 */
export default function VoicePanel({ interviewId, onTurn, onCall, onLeave }: VoicePanelProps) {
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const { call, state, lipSync, audio } = useVoiceCall(interviewId, deviceId, { onTurn });

  useEffect(() => {
    onCall(call && state.status === "live" ? call : null);
  }, [call, state.status, onCall]);

  if (deviceId === null) return <MicCheck onStart={setDeviceId} onCancel={onLeave} />;

  const status =
    state.status === "connecting"
      ? "Connecting…"
      : state.status === "live"
        ? stateLabels[state.interviewer]
        : state.status === "ended"
          ? "Voice call ended"
          : "Voice call failed";

  return (
    <section className="voice-panel" aria-label="Voice call" data-status={state.status}>
      <Avatar state={state.status === "live" ? state.interviewer : "idle"} lipSync={lipSync} size={168} />
      <p className="voice-status" aria-live="polite" data-testid="voice-status">
        {status}
      </p>
      <div className="captions" aria-live="polite">
        <p className="caption caption-interviewer" data-testid="caption-interviewer">
          <span className="caption-who">Interviewer</span>
          {state.interviewerCaption ?? "…"}
        </p>
        <p
          className={`caption caption-candidate${state.candidateCaption?.final === false ? " caption-partial" : ""}`}
          data-testid="caption-candidate"
        >
          <span className="caption-who">You</span>
          {state.candidateCaption?.text ?? (state.micOn ? "Speak when you're ready." : "Your microphone is muted.")}
        </p>
      </div>
      {state.error && <Notice tone="error">{state.error}</Notice>}
      {state.latency?.voice_to_voice_ms != null && (
        <p className="muted voice-latency" data-testid="voice-latency">
          Reply started {(state.latency.voice_to_voice_ms / 1000).toFixed(1)} s after you stopped talking.
        </p>
      )}
      <div className="voice-actions">
        {state.status === "live" && (
          <button type="button" className="button" aria-pressed={!state.micOn} onClick={() => call?.setMic(!state.micOn)}>
            {state.micOn ? "Mute" : "Unmute"}
          </button>
        )}
        {(state.status === "failed" || state.status === "ended") && (
          <button type="button" className="button" onClick={() => setDeviceId(null)}>
            Reconnect
          </button>
        )}
        <button type="button" className="button" onClick={onLeave}>
          Stop voice, keep typing
        </button>
      </div>
      <audio ref={audio} autoPlay data-testid="interviewer-audio" />
    </section>
  );
}
