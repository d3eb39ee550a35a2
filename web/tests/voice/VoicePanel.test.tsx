import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { VoiceCall } from "../../src/voice/call";
import { LocalMediaManager, micConstraints } from "../../src/voice/media";
import VoicePanel from "../../src/voice/VoicePanel";
import { json, mockApi, voiceStatus } from "../support/api";
import { FakeTrack, stubMediaDevices } from "../support/media";
import { FakePipecatClient } from "../support/pipecat";

vi.mock("@pipecat-ai/client-js", () => import("../support/pipecat").then((m) => m.clientModule));
vi.mock("@pipecat-ai/small-webrtc-transport", () => import("../support/pipecat").then((m) => m.transportModule));

const startButton = () => screen.getByRole("button", { name: "Start talking" });
const status = () => screen.getByTestId("voice-status");
const interviewerCaption = () => screen.getByTestId("caption-interviewer");
const candidateCaption = () => screen.getByTestId("caption-candidate");

function renderPanel(avatar: "local" | "tavus" | "heygen" = "local") {
  const media = stubMediaDevices();
  mockApi({ "GET /api/voice": () => json(200, voiceStatus({ avatar })) });
  const onTurn = vi.fn();
  const onCall = vi.fn();
  const onLeave = vi.fn();
  const view = render(<VoicePanel interviewId="iv1" onTurn={onTurn} onCall={onCall} onLeave={onLeave} />);
  return { ...view, media, onTurn, onCall, onLeave };
}

/** Through the mic check with `device`, into a call that is connecting. */
async function startCall(device = "Laptop microphone", avatar: "local" | "tavus" | "heygen" = "local") {
  const user = userEvent.setup();
  const panel = renderPanel(avatar);
  await waitFor(() => expect(startButton()).toBeEnabled());
  await user.selectOptions(screen.getByRole("combobox", { name: "Microphone" }), device);
  await waitFor(() => expect(startButton()).toBeEnabled());
  await user.click(startButton());
  return { ...panel, user, client: FakePipecatClient.last() };
}

/** A server message, delivered as the data channel would. */
const serverSays = (client: FakePipecatClient, data: Record<string, unknown>) => act(() => client.serverMessage(data));

describe("VoicePanel", () => {
  beforeEach(() => {
    FakePipecatClient.reset();
  });

  it("checks the microphone first, then connects with the chosen one", async () => {
    const { client, media } = await startCall("USB headset");
    expect(screen.queryByRole("heading", { name: "Check your microphone" })).not.toBeInTheDocument();
    expect(status()).toHaveTextContent("Connecting…");
    expect(client.connect).toHaveBeenCalledOnce();
    expect(client.transport.options.webrtcRequestParams).toMatchObject({ endpoint: "/api/interviews/iv1/voice/offer" });

    const manager = client.transport.options.mediaManager as LocalMediaManager;
    await manager.initialize();
    expect(media.getUserMedia).toHaveBeenLastCalledWith(micConstraints("usb-mic"));
  });

  it("goes live on the server's ready, and only then offers the call for typed answers", async () => {
    const { client, onCall } = await startCall();
    expect(onCall).not.toHaveBeenCalledWith(expect.any(VoiceCall));
    serverSays(client, { type: "ready", interview_id: "iv1" });
    expect(status()).toHaveTextContent("Listening for your answer");
    expect(screen.getByRole("img", { name: "Interviewer, idle" })).toBeInTheDocument();
    expect(onCall).toHaveBeenLastCalledWith(expect.any(VoiceCall));
    expect(candidateCaption()).toHaveTextContent("Speak when you're ready.");
  });

  it("captions both sides as they talk", async () => {
    const { client } = await startCall();
    serverSays(client, { type: "ready" });
    act(() => client.callbacks.onBotStartedSpeaking?.());
    act(() => client.callbacks.onBotTtsText?.({ text: "How would you cache this?" }));
    expect(status()).toHaveTextContent("Speaking");
    expect(screen.getByRole("img", { name: "Interviewer, speaking" })).toBeInTheDocument();
    expect(interviewerCaption()).toHaveTextContent("How would you cache this?");

    serverSays(client, { type: "interrupted", spoken_text: "How would you" });
    expect(interviewerCaption()).toHaveTextContent("How would you…");
    expect(status()).toHaveTextContent("Listening…");

    const words = { timestamp: "2026-11-22T04:01:31.33+00:00", user_id: "candidate" };
    act(() => client.callbacks.onUserTranscript?.({ ...words, text: "With an LRU", final: false }));
    expect(candidateCaption()).toHaveTextContent("With an LRU");
    expect(candidateCaption()).toHaveClass("caption-partial");

    act(() => client.callbacks.onUserTranscript?.({ ...words, text: "With an LRU cache.", final: true }));
    expect(candidateCaption()).toHaveTextContent("With an LRU cache.");
    expect(candidateCaption()).not.toHaveClass("caption-partial");
    expect(status()).toHaveTextContent("Thinking…");
  });

  it("shows how fast the reply started", async () => {
    const { client } = await startCall();
    serverSays(client, { type: "ready" });
    expect(screen.queryByTestId("voice-latency")).not.toBeInTheDocument();
    serverSays(client, { type: "latency", transcript_ms: 1010, voice_to_voice_ms: 1330 });
    expect(screen.getByTestId("voice-latency")).toHaveTextContent("Reply started 1.3 s after you stopped talking.");
  });

  it("tells the room about each stored turn", async () => {
    const { client, onTurn } = await startCall();
    serverSays(client, { type: "ready" });
    serverSays(client, { type: "turn", candidate_seq: 3, interviewer_seq: 4, phase: "technical", finished: false });
    expect(onTurn).toHaveBeenCalledWith({ finished: false, phase: "technical" });
  });

  it("mutes and unmutes the microphone", async () => {
    const { client, user } = await startCall();
    serverSays(client, { type: "ready" });
    await user.click(screen.getByRole("button", { name: "Mute" }));
    expect(client.enableMic).toHaveBeenLastCalledWith(false);
    const unmute = screen.getByRole("button", { name: "Unmute" });
    expect(unmute).toHaveAttribute("aria-pressed", "true");
    expect(candidateCaption()).toHaveTextContent("Your microphone is muted.");
    await user.click(unmute);
    expect(client.enableMic).toHaveBeenLastCalledWith(true);
    expect(screen.getByRole("button", { name: "Mute" })).toHaveAttribute("aria-pressed", "false");
  });

  it("plays the interviewer's voice", async () => {
    vi.stubGlobal(
      "MediaStream",
      class {
        constructor(readonly tracks: MediaStreamTrack[]) {}
      },
    );
    const play = vi.spyOn(HTMLMediaElement.prototype, "play").mockResolvedValue(undefined);
    const { client } = await startCall();
    const voice = new FakeTrack("bot") as unknown as MediaStreamTrack;
    act(() => client.callbacks.onTrackStarted?.(voice, { id: "bot", name: "interviewer", local: false }));
    const audio = screen.getByTestId("interviewer-audio") as HTMLAudioElement;
    expect((audio.srcObject as unknown as { tracks: MediaStreamTrack[] }).tracks).toEqual([voice]);
    expect(play).toHaveBeenCalled();
    play.mockRestore();
  });

  it("shows the server's error during the call", async () => {
    const { client } = await startCall();
    serverSays(client, { type: "ready" });
    const message = "This interview has ended; open its report.";
    serverSays(client, { type: "error", code: "interview_finished", message });
    expect(screen.getByRole("alert")).toHaveTextContent("This interview has ended; open its report.");
  });

  it("says why the call failed and reconnects through the mic check", async () => {
    FakePipecatClient.onCreate = (client) =>
      client.connect.mockRejectedValueOnce(
        Object.assign(new Error("Offer request failed: [object Response]"), { status: 503 }),
      );
    const { client, user, onCall } = await startCall();
    await waitFor(() => expect(status()).toHaveTextContent("Voice call failed"));
    expect(screen.getByRole("alert")).toHaveTextContent("Voice is not available on this server; answer by typing.");
    expect(screen.queryByRole("button", { name: "Mute" })).not.toBeInTheDocument();
    expect(onCall).not.toHaveBeenCalledWith(expect.any(VoiceCall));

    FakePipecatClient.onCreate = null;
    await user.click(screen.getByRole("button", { name: "Reconnect" }));
    expect(screen.getByRole("heading", { name: "Check your microphone" })).toBeInTheDocument();
    expect(client.disconnect).toHaveBeenCalled();
    await waitFor(() => expect(startButton()).toBeEnabled());
    await user.click(startButton());
    expect(FakePipecatClient.instances).toHaveLength(2);
    serverSays(FakePipecatClient.last(), { type: "ready" });
    expect(status()).toHaveTextContent("Listening for your answer");
  });

  it("offers to reconnect when the connection drops", async () => {
    const { client, onCall } = await startCall();
    serverSays(client, { type: "ready" });
    act(() => client.callbacks.onDisconnected?.());
    expect(status()).toHaveTextContent("Voice call ended");
    expect(screen.getByRole("button", { name: "Reconnect" })).toBeInTheDocument();
    expect(onCall).toHaveBeenLastCalledWith(null);
  });

  it("leaves voice mode from the mic check", async () => {
    const user = userEvent.setup();
    const { onLeave } = renderPanel();
    await user.click(screen.getByRole("button", { name: "Keep typing" }));
    expect(onLeave).toHaveBeenCalledOnce();
    expect(FakePipecatClient.instances).toHaveLength(0);
  });

  it("leaves voice mode during the call, and hangs up when it closes", async () => {
    const { client, user, onLeave, unmount } = await startCall();
    serverSays(client, { type: "ready" });
    const actions = screen.getByRole("region", { name: "Voice call" });
    await user.click(within(actions).getByRole("button", { name: "Stop voice, keep typing" }));
    expect(onLeave).toHaveBeenCalledOnce();
    expect(client.disconnect).not.toHaveBeenCalled();
    unmount();
    expect(client.disconnect).toHaveBeenCalledOnce();
  });
  it("says in the mic check which interviewer the call will use", async () => {
    renderPanel("tavus");
    expect(await screen.findByTestId("avatar-choice")).toHaveTextContent(
      "You will talk with a Tavus video interviewer. If it cannot join, Mockroom's own interviewer takes over.",
    );
  });

  it("shows the hosted avatar's video once it speaks, and the local interviewer with a notice when it fails", async () => {
    vi.stubGlobal(
      "MediaStream",
      class {
        constructor(readonly tracks: MediaStreamTrack[]) {}
      },
    );
    const play = vi.spyOn(HTMLMediaElement.prototype, "play").mockResolvedValue(undefined);
    const { client } = await startCall("Laptop microphone", "heygen");
    serverSays(client, { type: "ready" });
    serverSays(client, { type: "avatar", provider: "heygen", status: "connecting" });
    expect(screen.getByTestId("avatar-provider")).toHaveTextContent("Connecting to HeyGen LiveAvatar…");
    expect(screen.getByTestId("avatar-video")).not.toBeVisible();
    expect(screen.getByRole("img", { name: "Interviewer, idle" })).toBeInTheDocument();

    const track = { kind: "video", id: "bot-video" } as unknown as MediaStreamTrack;
    act(() => client.callbacks.onTrackStarted?.(track, { id: "bot", name: "interviewer", local: false }));
    serverSays(client, { type: "avatar", provider: "heygen", status: "live" });
    const video = screen.getByTestId("avatar-video") as HTMLVideoElement;
    expect(video).toBeVisible();
    expect((video.srcObject as unknown as { tracks: MediaStreamTrack[] }).tracks).toEqual([track]);
    expect(video.muted).toBe(true);
    expect(screen.queryByRole("img", { name: /Interviewer, / })).not.toBeInTheDocument();
    expect(screen.getByTestId("avatar-provider")).toHaveTextContent("a HeyGen LiveAvatar video interviewer");

    serverSays(client, { type: "avatar", provider: "local", status: "live", reason: "HeyGen LiveAvatar's video stopped." });
    expect(screen.getByTestId("avatar-video")).not.toBeVisible();
    expect(screen.getByRole("img", { name: "Interviewer, idle" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent(
      "HeyGen LiveAvatar stopped (HeyGen LiveAvatar's video stopped). The interview goes on with Mockroom's own interviewer; nothing you said is lost.",
    );
    play.mockRestore();
  });
});
