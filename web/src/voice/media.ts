// The microphone for a voice call, with the browser's own getUserMedia. It stands in for the
// small-webrtc transport's default media manager, whose device handling (daily-js) downloads code
// from Daily's CDN at run time and so fails offline.
import type { PipecatClientOptions, Tracks } from "@pipecat-ai/client-js";

/** What the room asks of the microphone: echo cancellation keeps the interviewer's voice out of it. */
export const micConstraints = (deviceId?: string): MediaStreamConstraints => ({
  audio: {
    ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
    echoCancellation: true,
    noiseSuppression: true,
    autoGainControl: true,
  },
  video: false,
});

/** A sentence the candidate can act on, for each way getUserMedia fails. */
export function micErrorMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return "The browser blocked the microphone. Allow it for this site (the icon at the left of the address bar), then try again, or answer by typing.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Plug one in or choose another, then try again, or answer by typing.";
    case "NotReadableError":
    case "AbortError":
      return "The microphone is in use by another app or could not start. Close the other app, then try again.";
    default:
      return typeof navigator !== "undefined" && !navigator.mediaDevices
        ? "This browser can't use a microphone here. Open Mockroom over http://localhost or https."
        : "The microphone could not start. Try again, or answer by typing.";
  }
}

/**
 * A media manager for `SmallWebRTCTransport`: audio only, one microphone, its track handed to the
 * transport's first transceiver. The interviewer's voice arrives through the client's
 * `onTrackStarted` callback and is played by the room.
 */
export class LocalMediaManager {
  private stream: MediaStream | null = null;
  private micEnabled = true;
  private deviceId: string | undefined;
  private devices: MediaDeviceInfo[] = [];
  /** Called with the new track after a device change, so the call sends it instead of the old one. */
  onTrackReplaced: ((track: MediaStreamTrack) => void) | null = null;

  constructor(deviceId?: string) {
    this.deviceId = deviceId;
  }

  setUserAudioCallback(): void {
    // The transport sends the microphone as a track; it never asks for raw audio.
  }

  setClientOptions(options: PipecatClientOptions): void {
    this.micEnabled = options.enableMic ?? true;
  }

  get supportsScreenShare(): boolean {
    return false;
  }

  async initialize(): Promise<void> {
    await this.open();
  }

  async connect(): Promise<void> {
    if (!this.stream) await this.open();
  }

  async disconnect(): Promise<void> {
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = null;
  }

  async getAllMics(): Promise<MediaDeviceInfo[]> {
    this.devices = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === "audioinput");
    return this.devices;
  }

  async getAllCams(): Promise<MediaDeviceInfo[]> {
    return [];
  }

  async getAllSpeakers(): Promise<MediaDeviceInfo[]> {
    return [];
  }

  async updateMic(micId: string): Promise<void> {
    this.deviceId = micId;
    const previous = this.stream;
    await this.open();
    previous?.getTracks().forEach((track) => track.stop());
    const track = this.track();
    if (track) this.onTrackReplaced?.(track);
  }

  updateCam(): void {}

  updateSpeaker(): void {}

  get selectedMic(): MediaDeviceInfo | Record<string, never> {
    const id = this.track()?.getSettings().deviceId;
    return this.devices.find((device) => device.deviceId === id) ?? {};
  }

  get selectedCam(): Record<string, never> {
    return {};
  }

  get selectedSpeaker(): Record<string, never> {
    return {};
  }

  enableMic(enable: boolean): void {
    this.micEnabled = enable;
    const track = this.track();
    if (track) track.enabled = enable;
  }

  enableCam(): void {}

  enableScreenShare(): void {}

  get isMicEnabled(): boolean {
    return this.micEnabled;
  }

  get isCamEnabled(): boolean {
    return false;
  }

  get isSharingScreen(): boolean {
    return false;
  }

  tracks(): Tracks {
    return { local: { audio: this.track() } };
  }

  private track(): MediaStreamTrack | undefined {
    return this.stream?.getAudioTracks()[0];
  }

  private async open(): Promise<void> {
    this.stream = await navigator.mediaDevices.getUserMedia(micConstraints(this.deviceId));
    const track = this.track();
    if (track) track.enabled = this.micEnabled;
  }
}
