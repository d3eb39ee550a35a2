import { describe, expect, it, vi } from "vitest";
import { LocalMediaManager, micConstraints, micErrorMessage } from "../../src/voice/media";
import { laptopMic, mediaError, stubMediaDevices, usbMic } from "../support/media";

describe("micConstraints", () => {
  it("asks for audio only, with echo cancellation", () => {
    expect(micConstraints()).toEqual({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      video: false,
    });
  });

  it("asks for exactly the chosen device", () => {
    expect(micConstraints("usb-mic").audio).toMatchObject({ deviceId: { exact: "usb-mic" }, echoCancellation: true });
  });
});

describe("micErrorMessage", () => {
  it.each([
    ["NotAllowedError", "The browser blocked the microphone."],
    ["SecurityError", "The browser blocked the microphone."],
    ["NotFoundError", "No microphone was found."],
    ["OverconstrainedError", "No microphone was found."],
    ["NotReadableError", "The microphone is in use by another app"],
    ["AbortError", "The microphone is in use by another app"],
  ])("explains %s", (name, start) => {
    stubMediaDevices();
    expect(micErrorMessage(mediaError(name))).toMatch(new RegExp(`^${start}`));
  });

  it("offers typing when the reason is unknown", () => {
    stubMediaDevices();
    const unknown = "The microphone could not start. Try again, or answer by typing.";
    expect(micErrorMessage(new Error("something odd"))).toBe(unknown);
    expect(micErrorMessage("not even an error")).toBe(unknown);
  });

  it("points to localhost or https when the page has no microphone API at all", () => {
    expect(navigator.mediaDevices).toBeUndefined();
    expect(micErrorMessage(mediaError("NotSupportedError"))).toBe(
      "This browser can't use a microphone here. Open Mockroom over http://localhost or https.",
    );
  });
});

describe("LocalMediaManager", () => {
  it("opens the chosen microphone with echo cancellation", async () => {
    const { getUserMedia, tracks } = stubMediaDevices();
    const media = new LocalMediaManager("usb-mic");
    await media.initialize();
    expect(getUserMedia).toHaveBeenCalledWith(micConstraints("usb-mic"));
    expect(getUserMedia.mock.calls[0]?.[0].audio).toMatchObject({ echoCancellation: true });
    expect(media.tracks().local.audio).toBe(tracks[0]);
    expect(tracks[0]?.deviceId).toBe("usb-mic");
  });

  it("opens the default microphone when none was chosen", async () => {
    const { getUserMedia } = stubMediaDevices();
    await new LocalMediaManager().initialize();
    expect(getUserMedia).toHaveBeenCalledWith(micConstraints());
  });

  it("has no track before it opens, and opens on connect if it has not yet", async () => {
    const { getUserMedia } = stubMediaDevices();
    const media = new LocalMediaManager();
    expect(media.tracks()).toEqual({ local: { audio: undefined } });
    await media.connect();
    await media.connect();
    expect(getUserMedia).toHaveBeenCalledOnce();
    expect(media.tracks().local.audio).toBeDefined();
  });

  it("mutes and unmutes by disabling the track", async () => {
    const { tracks } = stubMediaDevices();
    const media = new LocalMediaManager();
    await media.initialize();
    media.enableMic(false);
    expect(tracks[0]?.enabled).toBe(false);
    expect(media.isMicEnabled).toBe(false);
    media.enableMic(true);
    expect(tracks[0]?.enabled).toBe(true);
    expect(media.isMicEnabled).toBe(true);
  });

  it("opens the microphone muted when the client starts with the mic off", async () => {
    const { tracks } = stubMediaDevices();
    const media = new LocalMediaManager();
    media.setClientOptions({ transport: {} as never, enableMic: false });
    await media.initialize();
    expect(tracks[0]?.enabled).toBe(false);
  });

  it("switches devices: opens the new one, stops the old one and hands over the new track", async () => {
    const { getUserMedia, tracks } = stubMediaDevices();
    const media = new LocalMediaManager("laptop-mic");
    const onTrackReplaced = vi.fn();
    media.onTrackReplaced = onTrackReplaced;
    await media.initialize();
    media.enableMic(false);

    await media.updateMic("usb-mic");
    const [old, replacement] = tracks;
    expect(getUserMedia).toHaveBeenLastCalledWith(micConstraints("usb-mic"));
    expect(old?.stop).toHaveBeenCalled();
    expect(replacement?.stop).not.toHaveBeenCalled();
    expect(replacement?.enabled).toBe(false);
    expect(onTrackReplaced).toHaveBeenCalledWith(replacement);
    expect(media.tracks().local.audio).toBe(replacement);
  });

  it("keeps the old microphone when the new one cannot open", async () => {
    let refuse = false;
    const { tracks } = stubMediaDevices({ fail: () => (refuse ? mediaError("NotReadableError") : null) });
    const media = new LocalMediaManager("laptop-mic");
    const onTrackReplaced = vi.fn();
    media.onTrackReplaced = onTrackReplaced;
    await media.initialize();
    refuse = true;
    await expect(media.updateMic("usb-mic")).rejects.toThrow("NotReadableError");
    expect(tracks[0]?.stop).not.toHaveBeenCalled();
    expect(onTrackReplaced).not.toHaveBeenCalled();
    expect(media.tracks().local.audio).toBe(tracks[0]);
  });

  it("lists only microphones, and knows which one is open", async () => {
    stubMediaDevices({ devices: [laptopMic, usbMic] });
    const media = new LocalMediaManager("usb-mic");
    await media.initialize();
    expect(await media.getAllMics()).toEqual([laptopMic, usbMic]);
    expect(media.selectedMic).toBe(usbMic);
    expect(await media.getAllCams()).toEqual([]);
    expect(await media.getAllSpeakers()).toEqual([]);
  });

  it("stops the microphone on disconnect", async () => {
    const { tracks } = stubMediaDevices();
    const media = new LocalMediaManager();
    await media.initialize();
    await media.disconnect();
    expect(tracks[0]?.stop).toHaveBeenCalled();
    expect(media.tracks().local.audio).toBeUndefined();
  });
});
