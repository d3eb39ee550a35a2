// Stand-ins for pipecat's browser client and small-webrtc transport (the real transport throws
// "WebRTC not supported" in jsdom). A test file mocks the packages with them:
//
//   vi.mock("@pipecat-ai/client-js", () => import("../support/pipecat").then((m) => m.clientModule));
//   vi.mock("@pipecat-ai/small-webrtc-transport", () => import("../support/pipecat").then((m) => m.transportModule));
//
// calls `FakePipecatClient.reset()` before each test, and drives the call through
// `FakePipecatClient.last().callbacks`, as the server would.
import type { PipecatClientOptions, RTVIEventCallbacks } from "@pipecat-ai/client-js";
import { vi } from "vitest";

export class FakeSmallWebRTCTransport {
  pc: RTCPeerConnection | null = null;

  constructor(readonly options: Record<string, unknown>) {}
}

export class FakePipecatClient {
  static instances: FakePipecatClient[] = [];
  /** Set up each new client before the call uses it, e.g. to make its `connect` fail. */
  static onCreate: ((client: FakePipecatClient) => void) | null = null;

  readonly callbacks: RTVIEventCallbacks;
  readonly connect = vi.fn(async () => {});
  readonly disconnect = vi.fn(async () => {});
  readonly enableMic = vi.fn();
  readonly sendText = vi.fn(async (_text: string) => {});

  constructor(readonly options: PipecatClientOptions) {
    this.callbacks = options.callbacks ?? {};
    FakePipecatClient.instances.push(this);
    FakePipecatClient.onCreate?.(this);
  }

  /** Forgets the clients of earlier tests. */
  static reset(): void {
    FakePipecatClient.instances.length = 0;
    FakePipecatClient.onCreate = null;
  }

  /** The client of the newest call. */
  static last(): FakePipecatClient {
    const client = FakePipecatClient.instances.at(-1);
    if (!client) throw new Error("No voice call was started");
    return client;
  }

  get transport(): FakeSmallWebRTCTransport {
    return this.options.transport as unknown as FakeSmallWebRTCTransport;
  }

  /** A server message as the data channel would deliver it (the `data` of an RTVI server-message). */
  serverMessage(data: Record<string, unknown>): void {
    this.callbacks.onServerMessage?.(data);
  }
}

export const clientModule = { PipecatClient: FakePipecatClient };
export const transportModule = { SmallWebRTCTransport: FakeSmallWebRTCTransport };
