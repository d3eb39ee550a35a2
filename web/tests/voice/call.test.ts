import type { TranscriptData } from "@pipecat-ai/client-js";
import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  type CallState,
  type LipSyncSink,
  VoiceCall,
  initialCallState,
  onCandidateCaption,
  onServerMessage,
} from "../../src/voice/call";
import { LocalMediaManager } from "../../src/voice/media";
import { FakeTrack } from "../support/media";
import { FakePipecatClient } from "../support/pipecat";

vi.mock("@pipecat-ai/client-js", () => import("../support/pipecat").then((m) => m.clientModule));
vi.mock("@pipecat-ai/small-webrtc-transport", () => import("../support/pipecat").then((m) => m.transportModule));

const live: CallState = { ...initialCallState, status: "live" };

const caption = (text: string, final: boolean): TranscriptData => ({
  text,
  final,
  timestamp: "2026-11-22T04:01:31.33+00:00",
  user_id: "candidate",
});

const lipsync = {
  type: "lipsync",
  offset: 2.84,
  duration: 1.92,
  text: "How would you cache this?",
  words: [{ word: "How", start: 0, end: 0.21 }],
  envelope_frame_ms: 20,
  envelope: [0, 0.12, 0.55],
};

describe("onServerMessage", () => {
  it("goes live when the pipeline is ready, clearing an old error", () => {
    const next = onServerMessage({ ...initialCallState, error: "The voice call failed." }, { type: "ready" });
    expect(next.status).toBe("live");
    expect(next.error).toBeNull();
  });

  it("keeps the words heard before an interruption, with an ellipsis, and listens", () => {
    const speaking: CallState = {
      ...live,
      interviewer: "speaking",
      interviewerCaption: "Thanks. Could you walk me through it?",
    };
    const next = onServerMessage(speaking, { type: "interrupted", spoken_text: "Thanks. Could you walk me" });
    expect(next.interviewer).toBe("listening");
    expect(next.interviewerCaption).toBe("Thanks. Could you walk me…");
  });

  it("clears the caption when nothing was heard before the interruption", () => {
    const speaking: CallState = { ...live, interviewer: "speaking", interviewerCaption: "Thanks." };
    expect(onServerMessage(speaking, { type: "interrupted", spoken_text: "" }).interviewerCaption).toBeNull();
    expect(onServerMessage(speaking, { type: "interrupted" }).interviewerCaption).toBeNull();
  });

  it("gives way without a caption when the candidate goes on with their answer", () => {
    const speaking: CallState = { ...live, interviewer: "speaking", interviewerCaption: "Thanks. Could you" };
    const next = onServerMessage(speaking, { type: "yielded" });
    expect(next.interviewer).toBe("listening");
    expect(next.interviewerCaption).toBeNull();
  });

  it("shows the check-in as the interviewer's caption", () => {
    const next = onServerMessage({ ...live, interviewerCaption: "How would you cache this?" }, {
      type: "check-in",
      text: "Take your time.",
    });
    expect(next.interviewerCaption).toBe("Take your time.");
  });

  it("stores the turn's latency", () => {
    const latency = { type: "latency", interviewer_message_id: 6, transcript_ms: 1010, voice_to_voice_ms: 1330 };
    expect(onServerMessage(live, latency).latency).toMatchObject({ transcript_ms: 1010, voice_to_voice_ms: 1330 });
  });

  it("shows the server's error, or a general one when it has no message", () => {
    const ended = { type: "error", code: "interview_finished", message: "This interview has ended; open its report." };
    expect(onServerMessage(live, ended).error).toBe("This interview has ended; open its report.");
    expect(onServerMessage(live, { type: "error" }).error).toBe("The interviewer could not answer.");
  });

  it("thinks after a stored turn only if it was listening", () => {
    expect(onServerMessage({ ...live, interviewer: "listening" }, { type: "turn" }).interviewer).toBe("thinking");
    expect(onServerMessage({ ...live, interviewer: "speaking" }, { type: "turn" }).interviewer).toBe("speaking");
  });

  it("follows the avatar: a hosted one connecting, then live, then given up for the local one", () => {
    const connecting = onServerMessage(initialCallState, { type: "avatar", provider: "tavus", status: "connecting" });
    expect(connecting.avatar).toEqual({ provider: "tavus", status: "connecting", reason: "", gaveUp: null });
    const live = onServerMessage(connecting, { type: "avatar", provider: "tavus", status: "live" });
    expect(live.avatar.status).toBe("live");
    const fallback = onServerMessage(live, {
      type: "avatar", provider: "local", status: "live", reason: "Tavus's video stopped.",
    });
    expect(fallback.avatar).toEqual({ provider: "local", status: "live", reason: "Tavus's video stopped.", gaveUp: "tavus" });
  });

  it("ignores an avatar message naming no known provider", () => {
    expect(onServerMessage(initialCallState, { type: "avatar", provider: "someone" })).toBe(initialCallState);
  });

  it("leaves the state alone for messages it does not know", () => {
    expect(onServerMessage(live, { type: "something-new" })).toBe(live);
  });
});

describe("onCandidateCaption", () => {
  it("keeps the interviewer's state while the candidate may still go on", () => {
    const next = onCandidateCaption({ ...live, interviewer: "listening" }, caption("I would use", false));
    expect(next.candidateCaption).toEqual({ text: "I would use", final: false });
    expect(next.interviewer).toBe("listening");
  });

  it("thinks once the candidate's turn is final", () => {
    const next = onCandidateCaption({ ...live, interviewer: "listening" }, caption("I would use a hash map.", true));
    expect(next.candidateCaption).toEqual({ text: "I would use a hash map.", final: true });
    expect(next.interviewer).toBe("thinking");
  });
});

describe("VoiceCall", () => {
  beforeEach(() => {
    FakePipecatClient.reset();
  });

  function startCall(events: ConstructorParameters<typeof VoiceCall>[3] = {}) {
    const lipSync: LipSyncSink = { push: vi.fn(), stop: vi.fn() };
    const call = new VoiceCall("iv 1", "usb-mic", lipSync, events);
    const client = FakePipecatClient.last();
    const changes = vi.fn();
    call.subscribe(changes);
    return { call, client, lipSync, changes };
  }

  it("offers to the interview's voice endpoint with its own media manager and the chosen mic", () => {
    const { client } = startCall();
    const options = client.transport.options;
    expect(options.webrtcRequestParams).toMatchObject({ endpoint: "/api/interviews/iv%201/voice/offer" });
    expect(options.mediaManager).toBeInstanceOf(LocalMediaManager);
    expect(client.options).toMatchObject({ enableMic: true, enableCam: false });
  });

  it("sends the session's CSRF token with the offer when signed in with a cookie", () => {
    document.cookie = "mockroom_csrf=token-1; path=/";
    try {
      const { client } = startCall();
      const { headers } = client.transport.options.webrtcRequestParams as { headers: Headers };
      expect(headers.get("X-CSRF-Token")).toBe("token-1");
    } finally {
      document.cookie = "mockroom_csrf=; path=/; max-age=0";
    }
  });

  it("starts connecting and goes live on the server's ready", async () => {
    const { call, client, changes } = startCall();
    expect(call.snapshot()).toEqual(initialCallState);
    await call.start();
    expect(client.connect).toHaveBeenCalledOnce();
    client.serverMessage({ type: "ready", interview_id: "iv 1" });
    expect(call.snapshot().status).toBe("live");
    expect(changes).toHaveBeenCalled();
  });

  it("hands lip-sync timing to the avatar's scheduler and keeps it out of the state", () => {
    const { call, client, lipSync, changes } = startCall();
    vi.spyOn(performance, "now").mockReturnValue(1234);
    client.serverMessage(lipsync);
    expect(lipSync.push).toHaveBeenCalledWith(lipsync, 1234);
    expect(call.snapshot()).toEqual(initialCallState);
    expect(changes).not.toHaveBeenCalled();
  });

  it("closes the mouth when the candidate interrupts and when the interviewer stops", () => {
    const { call, client, lipSync } = startCall();
    client.callbacks.onBotStartedSpeaking?.();
    expect(call.snapshot().interviewer).toBe("speaking");
    client.serverMessage({ type: "interrupted", spoken_text: "Thanks. Could you" });
    expect(lipSync.stop).toHaveBeenCalledTimes(1);
    expect(call.snapshot().interviewerCaption).toBe("Thanks. Could you…");
    client.serverMessage({ type: "yielded" });
    expect(lipSync.stop).toHaveBeenCalledTimes(2);
    client.callbacks.onBotStartedSpeaking?.();
    client.callbacks.onBotStoppedSpeaking?.();
    expect(lipSync.stop).toHaveBeenCalledTimes(3);
    expect(call.snapshot().interviewer).toBe("idle");
  });

  it("tells the room when a turn is stored, and whether the interview is over", () => {
    const onTurn = vi.fn();
    const { call, client } = startCall({ onTurn });
    client.callbacks.onUserStartedSpeaking?.();
    client.serverMessage({ type: "turn", candidate_seq: 3, interviewer_seq: 4, phase: "technical", finished: false });
    expect(onTurn).toHaveBeenLastCalledWith({ finished: false, phase: "technical" });
    expect(call.snapshot().interviewer).toBe("thinking");
    client.serverMessage({ type: "turn", candidate_seq: 5, interviewer_seq: 6, phase: "wrap_up", finished: true });
    expect(onTurn).toHaveBeenLastCalledWith({ finished: true, phase: "wrap_up" });
  });

  it("plays the interviewer's audio track, and hands a hosted avatar's video to the room", () => {
    const onAudio = vi.fn();
    const onVideo = vi.fn();
    const { client } = startCall({ onAudio, onVideo });
    const mine = new FakeTrack("usb-mic") as unknown as MediaStreamTrack;
    const video = { kind: "video" } as MediaStreamTrack;
    const theirs = new FakeTrack("bot") as unknown as MediaStreamTrack;
    client.callbacks.onTrackStarted?.(mine, { id: "me", name: "candidate", local: true });
    client.callbacks.onTrackStarted?.(video, { id: "bot", name: "interviewer", local: false });
    expect(onAudio).not.toHaveBeenCalled();
    expect(onVideo).toHaveBeenCalledWith(video);
    client.callbacks.onTrackStarted?.(theirs, { id: "bot", name: "interviewer", local: false });
    expect(onAudio).toHaveBeenCalledWith(theirs);
    expect(onVideo).toHaveBeenCalledTimes(1);
  });

  it("shows captions of both sides", () => {
    const { call, client } = startCall();
    client.callbacks.onUserTranscript?.(caption("I would use", false));
    expect(call.snapshot().candidateCaption).toEqual({ text: "I would use", final: false });
    client.callbacks.onBotTtsText?.({ text: "Thanks." });
    expect(call.snapshot().interviewerCaption).toBe("Thanks.");
  });

  it.each([
    [503, "Offer request failed: [object Response]", "Voice is not available on this server; answer by typing."],
    [409, "WebRTC offer rejected with status 409", "This interview has ended; open its report."],
    [422, "WebRTC offer rejected with status 422", "The server refused the voice call. Reload the page and try again."],
  ])("fails with a readable message when the offer gets %i", async (status, message, shown) => {
    const { call, client } = startCall();
    // As small-webrtc's buildTransportStartError makes it: a 5xx is retried, so only `status` keeps the code.
    client.connect.mockRejectedValueOnce(Object.assign(new Error(message), { status }));
    await call.start();
    expect(call.snapshot()).toMatchObject({ status: "failed", error: shown });
  });

  it("fails with a hint to check the server when the offer never arrives", async () => {
    const { call, client } = startCall();
    client.connect.mockRejectedValueOnce(new Error("Offer request failed: TypeError: Failed to fetch"));
    await call.start();
    expect(call.snapshot()).toMatchObject({
      status: "failed",
      error: "The voice call could not connect. Check that the Mockroom server is running, then try again.",
    });
  });

  it("does not report a failure when the candidate hung up while connecting", async () => {
    const { call, client } = startCall();
    let refuse!: (error: Error) => void;
    client.connect.mockReturnValueOnce(new Promise((_, reject) => (refuse = reject)));
    const starting = call.start();
    await call.stop();
    refuse(new Error("Offer request failed."));
    await starting;
    expect(call.snapshot()).toMatchObject({ status: "ended", error: null });
  });

  it("hangs up: disconnects, closes the mouth and ends", async () => {
    const { call, client, lipSync } = startCall();
    client.serverMessage({ type: "ready" });
    await call.stop();
    expect(client.disconnect).toHaveBeenCalledOnce();
    expect(lipSync.stop).toHaveBeenCalled();
    expect(call.snapshot()).toMatchObject({ status: "ended", interviewer: "idle" });
  });

  it("ends when the connection drops", () => {
    const { call, client, lipSync } = startCall();
    client.serverMessage({ type: "ready" });
    client.callbacks.onBotStartedSpeaking?.();
    client.callbacks.onDisconnected?.();
    expect(lipSync.stop).toHaveBeenCalled();
    expect(call.snapshot()).toMatchObject({ status: "ended", interviewer: "idle" });
  });

  it("shows a transport error", () => {
    const { call, client } = startCall();
    client.callbacks.onError?.({ id: "1", label: "rtvi-ai", type: "error", data: { message: "Bot crashed." } });
    expect(call.snapshot().error).toBe("Bot crashed.");
    client.callbacks.onError?.({ id: "2", label: "rtvi-ai", type: "error", data: undefined });
    expect(call.snapshot().error).toBe("The voice call failed.");
  });

  it("sends a typed answer through the call and thinks about it", async () => {
    const { call, client } = startCall();
    client.serverMessage({ type: "ready" });
    await call.sendText("I'd use a heap.");
    expect(client.sendText).toHaveBeenCalledWith("I'd use a heap.");
    expect(call.snapshot()).toMatchObject({
      candidateCaption: { text: "I'd use a heap.", final: true },
      interviewer: "thinking",
    });
  });

  it("leaves the state alone when a typed answer could not be sent", async () => {
    const { call, client } = startCall();
    client.serverMessage({ type: "ready" });
    const before = call.snapshot();
    client.sendText.mockRejectedValueOnce(new Error("data channel closed"));
    await expect(call.sendText("I'd use a heap.")).rejects.toThrow("data channel closed");
    expect(call.snapshot()).toBe(before);
  });

  it("mutes and unmutes the microphone", () => {
    const { call, client } = startCall();
    call.setMic(false);
    expect(client.enableMic).toHaveBeenLastCalledWith(false);
    expect(call.snapshot().micOn).toBe(false);
    call.setMic(true);
    expect(client.enableMic).toHaveBeenLastCalledWith(true);
    expect(call.snapshot().micOn).toBe(true);
  });

  it("stops telling a listener that unsubscribed", () => {
    const { call, client } = startCall();
    const listener = vi.fn();
    const unsubscribe = call.subscribe(listener);
    unsubscribe();
    client.serverMessage({ type: "ready" });
    expect(listener).not.toHaveBeenCalled();
  });

  it("sends the new microphone's track after a device change", () => {
    const { client } = startCall();
    const replaceTrack = vi.fn(async () => {});
    client.transport.pc = { getTransceivers: () => [{ sender: { replaceTrack } }] } as unknown as RTCPeerConnection;
    const media = client.transport.options.mediaManager as LocalMediaManager;
    const track = new FakeTrack("laptop-mic") as unknown as MediaStreamTrack;
    media.onTrackReplaced?.(track);
    expect(replaceTrack).toHaveBeenCalledWith(track);
  });
});
