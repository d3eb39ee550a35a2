// One voice call of an interview: pipecat's browser client over the small-webrtc transport, with
// our own media manager, turned into a state the room can render (status, avatar state, captions).
// The protocol is src/mockroom/voice/PROTOCOL.md.
import { PipecatClient, type PipecatClientOptions, type TranscriptData } from "@pipecat-ai/client-js";
import { SmallWebRTCTransport, type SmallWebRTCTransportConstructorOptions } from "@pipecat-ai/small-webrtc-transport";
import { voiceOfferRequest } from "../api/client";
import type { AvatarState } from "./avatar/Avatar";
import type { LipSyncMessage } from "./lipsync";
import { LocalMediaManager } from "./media";

export type CallStatus = "connecting" | "live" | "ended" | "failed";
export type InterviewerState = AvatarState;

export interface LatencyFigures {
  transcript_ms?: number | null;
  first_brain_output_ms?: number | null;
  first_tts_audio_ms?: number | null;
  first_audio_sent_ms?: number | null;
  voice_to_voice_ms?: number | null;
}

export type AvatarProvider = "local" | "tavus" | "heygen";

/** Who draws the interviewer: the browser's own avatar, or a hosted one whose video comes over the call. */
export interface AvatarInfo {
  provider: AvatarProvider;
  /** "connecting" while a hosted avatar starts (the local one speaks meanwhile), then "live". */
  status: "connecting" | "live";
  /** Why the call went back to the local avatar ("" unless it did). */
  reason: string;
  /** The hosted avatar the call gave up, for the notice. */
  gaveUp: AvatarProvider | null;
}

export const avatarLabels: Record<AvatarProvider, string> = {
  local: "Mockroom's own interviewer, drawn in your browser",
  tavus: "a Tavus video interviewer",
  heygen: "a HeyGen LiveAvatar video interviewer",
};

export interface CallState {
  status: CallStatus;
  avatar: AvatarInfo;
  interviewer: InterviewerState;
  /** What the candidate is saying; `final` once the turn is over and stored. */
  candidateCaption: { text: string; final: boolean } | null;
  /** The interviewer's sentence being spoken now (or the words heard before an interruption). */
  interviewerCaption: string | null;
  micOn: boolean;
  latency: LatencyFigures | null;
  error: string | null;
}

/** Where lip-sync timing goes: the avatar's scheduler. */
export interface LipSyncSink {
  push(message: LipSyncMessage, receivedAtMs: number): void;
  stop(): void;
}

export interface CallEvents {
  /** A turn was stored (spoken or typed): the room reloads the transcript. */
  onTurn?: (turn: { finished: boolean; phase: string }) => void;
  /** The interviewer's voice: the room plays it. */
  onAudio?: (track: MediaStreamTrack) => void;
  /** A hosted avatar's video: the room shows it while the avatar is live. */
  onVideo?: (track: MediaStreamTrack) => void;
}

export const initialCallState: CallState = {
  status: "connecting",
  avatar: { provider: "local", status: "live", reason: "", gaveUp: null },
  interviewer: "idle",
  candidateCaption: null,
  interviewerCaption: null,
  micOn: true,
  latency: null,
  error: null,
};

type ServerMessage = { type?: string; [key: string]: unknown };

/** The next state after a server message; pure, so the call's behaviour is testable without WebRTC. */
export function onServerMessage(state: CallState, data: ServerMessage): CallState {
  switch (data.type) {
    case "ready":
      return { ...state, status: "live", error: null };
    case "interrupted":
      return {
        ...state,
        interviewer: "listening",
        interviewerCaption: typeof data.spoken_text === "string" && data.spoken_text ? `${data.spoken_text}…` : null,
      };
    case "yielded":
      // The candidate went on with their answer as the interviewer began: it stops without a word about it.
      return { ...state, interviewer: "listening", interviewerCaption: null };
    case "check-in":
      return { ...state, interviewerCaption: typeof data.text === "string" ? data.text : state.interviewerCaption };
    case "avatar": {
      const avatar = nextAvatar(state.avatar, data);
      return avatar === state.avatar ? state : { ...state, avatar };
    }
    case "latency":
      return { ...state, latency: data as LatencyFigures };
    case "error":
      return { ...state, error: typeof data.message === "string" ? data.message : "The interviewer could not answer." };
    case "turn":
      return { ...state, interviewer: state.interviewer === "listening" ? "thinking" : state.interviewer };
    default:
      return state;
  }
}

const isProvider = (value: unknown): value is AvatarProvider =>
  value === "local" || value === "tavus" || value === "heygen";

/** The avatar after an `avatar` server message; a switch from a hosted one to the local one keeps its name. */
function nextAvatar(current: AvatarInfo, data: ServerMessage): AvatarInfo {
  if (!isProvider(data.provider)) return current;
  const status = data.status === "connecting" ? "connecting" : "live";
  const reason = typeof data.reason === "string" ? data.reason : "";
  const gaveUp = data.provider === "local" && current.provider !== "local" ? current.provider : current.gaveUp;
  return { provider: data.provider, status, reason, gaveUp };
}

/** The next state after the candidate's caption changes. */
export function onCandidateCaption(state: CallState, data: TranscriptData): CallState {
  return {
    ...state,
    candidateCaption: { text: data.text, final: data.final },
    interviewer: data.final ? "thinking" : state.interviewer,
  };
}

const isLipSync = (data: ServerMessage): data is ServerMessage & LipSyncMessage =>
  data.type === "lipsync" && Array.isArray(data.envelope) && typeof data.duration === "number";

/**
 * A live voice call. `subscribe`/`snapshot` fit React's useSyncExternalStore; `start` connects
 * (the microphone must already be allowed, see the mic check) and `stop` hangs up.
 */
export class VoiceCall {
  private state: CallState = initialCallState;
  private readonly listeners = new Set<() => void>();
  private readonly client: PipecatClient;
  private readonly media: LocalMediaManager;
  private stopping = false;

  constructor(
    readonly interviewId: string,
    deviceId: string | undefined,
    private readonly lipSync: LipSyncSink,
    private readonly events: CallEvents = {},
  ) {
    this.media = new LocalMediaManager(deviceId);
    const transport = new SmallWebRTCTransport({
      webrtcRequestParams: voiceOfferRequest(interviewId),
      waitForICEGathering: true,
      mediaManager: this.media as unknown as SmallWebRTCTransportConstructorOptions["mediaManager"],
    });
    this.media.onTrackReplaced = (track) => {
      const pc = (transport as unknown as { pc: RTCPeerConnection | null }).pc;
      void pc?.getTransceivers()[0]?.sender.replaceTrack(track);
    };
    const options: PipecatClientOptions = { transport, enableMic: true, enableCam: false, callbacks: this.callbacks() };
    this.client = new PipecatClient(options);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): CallState => this.state;

  async start(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      if (!this.stopping) this.set({ status: "failed", error: connectError(error) });
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.lipSync.stop();
    await this.client.disconnect();
    this.set({ status: "ended", interviewer: "idle" });
  }

  setMic(on: boolean): void {
    this.client.enableMic(on);
    this.set({ micOn: on });
  }

  /** A typed answer: handled like a spoken one, and the reply is spoken. */
  async sendText(text: string): Promise<void> {
    await this.client.sendText(text);
    this.set({ candidateCaption: { text, final: true }, interviewer: "thinking" });
  }

  private set(change: Partial<CallState>): void {
    this.replace({ ...this.state, ...change });
  }

  private replace(next: CallState): void {
    if (next === this.state) return;
    this.state = next;
    this.listeners.forEach((listener) => listener());
  }

  private callbacks(): PipecatClientOptions["callbacks"] {
    return {
      onUserStartedSpeaking: () => this.set({ interviewer: "listening" }),
      onUserTranscript: (data) => this.replace(onCandidateCaption(this.state, data)),
      onBotStartedSpeaking: () => this.set({ interviewer: "speaking" }),
      onBotStoppedSpeaking: () => {
        this.lipSync.stop();
        this.set({ interviewer: "idle" });
      },
      onBotTtsText: (data) => this.set({ interviewerCaption: data.text }),
      onServerMessage: (data: ServerMessage) => {
        if (isLipSync(data)) {
          this.lipSync.push(data, performance.now());
          return;
        }
        if (data.type === "interrupted" || data.type === "yielded") this.lipSync.stop();
        this.replace(onServerMessage(this.state, data));
        if (data.type === "turn") {
          this.events.onTurn?.({ finished: data.finished === true, phase: String(data.phase ?? "") });
        }
      },
      onTrackStarted: (track, participant) => {
        if (participant?.local) return;
        if (track.kind === "audio") this.events.onAudio?.(track);
        else if (track.kind === "video") this.events.onVideo?.(track);
      },
      onDisconnected: () => {
        this.lipSync.stop();
        if (!this.stopping) this.set({ status: "ended", interviewer: "idle" });
      },
      onError: (message) => {
        const data = message.data as { message?: string } | undefined;
        this.set({ error: data?.message ?? "The voice call failed." });
      },
    };
  }
}

function connectError(error: unknown): string {
  // small-webrtc rejects a 4xx with "... status 409" in the message; it retries a 5xx and then fails with
  // "Offer request failed: [object Response]", keeping the code only in the error's `status`.
  const status = (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? error.message : String(error);
  const code = typeof status === "number" ? status : Number(/status (\d{3})/.exec(message)?.[1] ?? 0);
  if (code === 503) return "Voice is not available on this server; answer by typing.";
  if (code === 409) return "This interview has ended; open its report.";
  if (code >= 400 && code < 500) return "The server refused the voice call. Reload the page and try again.";
  return "The voice call could not connect. Check that the Mockroom server is running, then try again.";
}
