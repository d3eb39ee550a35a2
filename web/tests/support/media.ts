// Fakes of the browser's microphone for tests: jsdom has no navigator.mediaDevices and no MediaStream.
import { onTestFinished, vi } from "vitest";

/** An audio track from `deviceId`; `stop` ends it, as a real track does. */
export class FakeTrack {
  readonly kind = "audio";
  enabled = true;
  readyState: MediaStreamTrackState = "live";
  readonly stop = vi.fn(() => {
    this.readyState = "ended";
  });

  constructor(readonly deviceId: string) {}

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId };
  }
}

/** A stream with one audio track, as getUserMedia gives for `{ audio: ... }`. */
export function fakeStream(deviceId: string): { stream: MediaStream; track: FakeTrack } {
  const track = new FakeTrack(deviceId);
  const stream = { getTracks: () => [track], getAudioTracks: () => [track] } as unknown as MediaStream;
  return { stream, track };
}

export const mic = (deviceId: string, label: string): MediaDeviceInfo =>
  ({ deviceId, label, kind: "audioinput", groupId: "g" }) as MediaDeviceInfo;

export const laptopMic = mic("laptop-mic", "Laptop microphone");
export const usbMic = mic("usb-mic", "USB headset");
const speaker = { deviceId: "speaker", label: "Speakers", kind: "audiooutput", groupId: "g" } as MediaDeviceInfo;

/** A failure of getUserMedia, named as the browser names it. */
export const mediaError = (name: string) => new DOMException(`${name} from the test`, name);

/**
 * Installs `navigator.mediaDevices` for one test. getUserMedia opens the asked-for device (the
 * first one by default) unless `fail` says otherwise; every track it handed out is in `tracks`.
 */
export function stubMediaDevices({
  devices = [laptopMic, usbMic],
  fail,
}: { devices?: MediaDeviceInfo[]; fail?: () => Error | null } = {}) {
  const tracks: FakeTrack[] = [];
  const getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    const error = fail?.();
    if (error) throw error;
    const audio = constraints.audio as MediaTrackConstraints;
    const wanted = (audio.deviceId as ConstrainDOMStringParameters | undefined)?.exact as string | undefined;
    const opened = fakeStream(wanted ?? devices[0]?.deviceId ?? "default");
    tracks.push(opened.track);
    return opened.stream;
  });
  const enumerateDevices = vi.fn(async () => [...devices, speaker]);
  Object.defineProperty(navigator, "mediaDevices", { configurable: true, value: { getUserMedia, enumerateDevices } });
  onTestFinished(() => {
    delete (navigator as { mediaDevices?: MediaDevices }).mediaDevices;
  });
  return { getUserMedia, enumerateDevices, tracks };
}
