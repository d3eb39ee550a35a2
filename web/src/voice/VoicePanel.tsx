import { useEffect, useState } from "react";
import { Notice } from "../components/Notice";
import { Avatar } from "./avatar/Avatar";
import { type AvatarInfo, type VoiceCall, avatarLabels } from "./call";
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

const hostedNames = { tavus: "Tavus", heygen: "HeyGen LiveAvatar" } as const;

/** Who draws the interviewer now, in words. */
function avatarCaption(avatar: AvatarInfo): string {
  if (avatar.provider === "local") return `Interviewer: ${avatarLabels.local}.`;
  const name = hostedNames[avatar.provider];
  return avatar.status === "live" ? `Interviewer: ${avatarLabels[avatar.provider]}.` : `Connecting to ${name}…`;
}

/**
 * Voice mode of the room: first the mic check, then the call — the avatar, live captions of both
 * sides, mute and leave. Loaded on demand, so text-only interviews never download the voice code.
 */
export default function VoicePanel({ interviewId, onTurn, onCall, onLeave }: VoicePanelProps) {
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const { call, state, lipSync, audio, video } = useVoiceCall(interviewId, deviceId, { onTurn });

  useEffect(() => {
    onCall(call && state.status === "live" ? call : null);
  }, [call, state.status, onCall]);

  if (deviceId === null) return <MicCheck onStart={setDeviceId} onCancel={onLeave} />;

  const hosted = state.status === "live" && state.avatar.provider !== "local" && state.avatar.status === "live";
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
      {/* A hosted avatar's video shows only while it speaks for the interviewer; the element stays mounted so
          that its track can arrive at any time. Its voice comes on the audio track, so the video is muted. */}
      <video
        ref={video}
        className="avatar-video"
        autoPlay
        muted
        playsInline
        hidden={!hosted}
        width={168}
        height={168}
        aria-label={`Interviewer (${hosted ? hostedNames[state.avatar.provider as "tavus" | "heygen"] : "video"})`}
        data-testid="avatar-video"
      />
      {!hosted && <Avatar state={state.status === "live" ? state.interviewer : "idle"} lipSync={lipSync} size={168} />}
      <p className="muted avatar-provider" data-testid="avatar-provider">
        {avatarCaption(state.avatar)}
      </p>
      {state.avatar.gaveUp && state.avatar.gaveUp !== "local" && (
        <Notice tone="info">
          {`${hostedNames[state.avatar.gaveUp]} stopped${state.avatar.reason ? ` (${state.avatar.reason.replace(/\.$/, "")})` : ""}. `}
          The interview goes on with Mockroom&apos;s own interviewer; nothing you said is lost.
        </Notice>
      )}
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
