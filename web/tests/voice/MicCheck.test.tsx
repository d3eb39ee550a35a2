import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { MicCheck, loudness } from "../../src/voice/MicCheck";
import { micConstraints } from "../../src/voice/media";
import { apiError, deferred, json, mockApi, voiceStatus } from "../support/api";
import { laptopMic, mediaError, stubMediaDevices, usbMic } from "../support/media";

function renderCheck(status: () => Response | Promise<Response> = () => json(200, voiceStatus())) {
  const api = mockApi({ "GET /api/voice": status });
  const onStart = vi.fn();
  const onCancel = vi.fn();
  const view = render(<MicCheck onStart={onStart} onCancel={onCancel} />);
  return { api, onStart, onCancel, ...view };
}

const startButton = () => screen.getByRole("button", { name: "Start talking" });
const micSelect = () => screen.getByRole("combobox", { name: "Microphone" });
const serverLine = () => screen.getByTestId("voice-server");

describe("loudness", () => {
  it("is the root mean square of the frame", () => {
    expect(loudness(new Float32Array([0.5, -0.5, 0.5, -0.5]))).toBeCloseTo(0.5);
    expect(loudness(new Float32Array([0, 0]))).toBe(0);
    expect(loudness(new Float32Array([]))).toBe(0);
  });
});

describe("MicCheck", () => {
  it("lists the microphones by name and starts once the speech models are ready", async () => {
    const user = userEvent.setup();
    const { getUserMedia } = stubMediaDevices();
    const models = deferred<Response>();
    const { onStart } = renderCheck(() => models.promise);

    expect(serverLine()).toHaveTextContent("Loading the speech models on the server…");
    expect(await screen.findByRole("option", { name: "Laptop microphone" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "USB headset" })).toBeInTheDocument();
    expect(screen.queryByRole("option", { name: "Speakers" })).not.toBeInTheDocument();
    expect(micSelect()).toHaveValue("laptop-mic");
    expect(getUserMedia).toHaveBeenCalledWith(micConstraints());
    expect(screen.getByText("Waiting to hear you…")).toBeInTheDocument();
    expect(startButton()).toBeDisabled();

    models.resolve(json(200, voiceStatus()));
    await waitFor(() => expect(startButton()).toBeEnabled());
    expect(serverLine()).toHaveTextContent("Speech models ready.");
    await user.click(startButton());
    expect(onStart).toHaveBeenCalledWith("laptop-mic");
  });

  it("starts with the microphone the candidate chose, and stops the check's own tracks", async () => {
    const user = userEvent.setup();
    const { getUserMedia, tracks } = stubMediaDevices();
    const { onStart } = renderCheck();
    await waitFor(() => expect(startButton()).toBeEnabled());

    await user.selectOptions(micSelect(), "USB headset");
    await waitFor(() => expect(startButton()).toBeEnabled());
    expect(getUserMedia).toHaveBeenLastCalledWith(micConstraints("usb-mic"));
    expect(tracks[0]?.stop).toHaveBeenCalled();
    expect(micSelect()).toHaveValue("usb-mic");

    await user.click(startButton());
    expect(onStart).toHaveBeenCalledWith("usb-mic");
    expect(tracks.every((track) => track.readyState === "ended")).toBe(true);
  });

  it("says the browser blocked the microphone, and tries again", async () => {
    const user = userEvent.setup();
    let blocked = true;
    const { getUserMedia } = stubMediaDevices({ fail: () => (blocked ? mediaError("NotAllowedError") : null) });
    renderCheck();

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The browser blocked the microphone. Allow it for this site");
    expect(screen.queryByRole("combobox", { name: "Microphone" })).not.toBeInTheDocument();
    await waitFor(() => expect(serverLine()).toHaveTextContent("Speech models ready."));
    expect(startButton()).toBeDisabled();

    blocked = false;
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("option", { name: "USB headset" })).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(getUserMedia).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(startButton()).toBeEnabled());
  });

  it("says no microphone was found", async () => {
    stubMediaDevices({ devices: [], fail: () => mediaError("NotFoundError") });
    renderCheck();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "No microphone was found. Plug one in or choose another, then try again, or answer by typing.",
    );
    expect(startButton()).toBeDisabled();
  });

  it("says the microphone is busy when another app holds it", async () => {
    stubMediaDevices({ fail: () => mediaError("NotReadableError") });
    renderCheck();
    expect(await screen.findByRole("alert")).toHaveTextContent("The microphone is in use by another app");
  });

  it("explains a page that can't use a microphone at all", async () => {
    renderCheck();
    expect(await screen.findByRole("alert")).toHaveTextContent("Open Mockroom over http://localhost or https.");
    expect(startButton()).toBeDisabled();
  });

  it("keeps Start disabled and shows the server's reason when voice is not available", async () => {
    stubMediaDevices();
    renderCheck(() => json(200, voiceStatus({ available: false, message: "Install mockroom[voice] for speech." })));
    await waitFor(() => expect(serverLine()).toHaveTextContent("Install mockroom[voice] for speech."));
    expect(micSelect()).toBeEnabled();
    expect(startButton()).toBeDisabled();
  });

  it("says so when the server has no reason to give", async () => {
    stubMediaDevices();
    renderCheck(() => json(200, voiceStatus({ available: false })));
    await waitFor(() => expect(serverLine()).toHaveTextContent("Voice is not available on this server."));
  });

  it("shows the server's error when the voice status can't be loaded", async () => {
    stubMediaDevices();
    renderCheck(() => apiError(500, "internal_error", "The speech models failed to load."));
    await waitFor(() => expect(serverLine()).toHaveTextContent("The speech models failed to load."));
    expect(startButton()).toBeDisabled();
  });

  it("goes back to typing", async () => {
    const user = userEvent.setup();
    stubMediaDevices();
    const { onCancel, onStart } = renderCheck();
    await user.click(screen.getByRole("button", { name: "Keep typing" }));
    expect(onCancel).toHaveBeenCalledOnce();
    expect(onStart).not.toHaveBeenCalled();
  });

  it("stops the microphone when it closes", async () => {
    const { tracks } = stubMediaDevices();
    const { unmount } = renderCheck();
    await screen.findByRole("option", { name: "Laptop microphone" });
    unmount();
    expect(tracks[0]?.stop).toHaveBeenCalled();
  });

  it("moves the meter and says it hears the candidate while they talk", async () => {
    stubMediaDevices({ devices: [laptopMic, usbMic] });
    const close = vi.fn(async () => {});
    vi.stubGlobal(
      "AudioContext",
      class {
        createAnalyser = () => ({
          fftSize: 0,
          getFloatTimeDomainData: (samples: Float32Array) => samples.fill(0.1),
        });
        createMediaStreamSource = () => ({ connect: () => {} });
        close = close;
      },
    );
    const { unmount } = renderCheck();
    expect(await screen.findByText("We can hear you.")).toBeInTheDocument();
    // sqrt(0.1) scaled to the bar: about half full.
    expect(screen.getByRole("meter", { name: "Microphone level" })).toHaveAttribute("aria-valuenow", "51");
    await act(async () => unmount());
    expect(close).toHaveBeenCalled();
  });
});
