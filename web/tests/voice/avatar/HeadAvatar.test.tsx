import { act, render, screen } from "@testing-library/react";
import type { WebGLRendererParameters } from "three";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import HeadAvatar from "../../../src/voice/avatar/HeadAvatar";
import { LipSync } from "../../../src/voice/lipsync";

// jsdom has no WebGL: a stand-in renderer counts what the avatar asks of it. With `real` set, three.js's
// own renderer is made instead, to fail as it does without WebGL.
const renderers = vi.hoisted(() => ({ real: false, made: [] as FakeRenderer[] }));

interface FakeRenderer {
  options: WebGLRendererParameters;
  pixelRatio: number;
  renders: number;
  disposed: boolean;
  contextLost: boolean;
}

vi.mock("three", async (importOriginal) => {
  const three = await importOriginal<typeof import("three")>();
  return {
    ...three,
    WebGLRenderer: function WebGLRenderer(options: WebGLRendererParameters) {
      if (renderers.real) return new three.WebGLRenderer(options);
      const renderer: FakeRenderer & Record<string, unknown> = {
        options,
        pixelRatio: 0,
        renders: 0,
        disposed: false,
        contextLost: false,
        setPixelRatio: (ratio: number) => (renderer.pixelRatio = ratio),
        setSize: () => {},
        render: () => renderer.renders++,
        dispose: () => (renderer.disposed = true),
        forceContextLoss: () => (renderer.contextLost = true),
      };
      renderers.made.push(renderer);
      return renderer;
    },
  };
});

const lastRenderer = () => renderers.made.at(-1)!;

/** Draws counted over `ms` of animation frames. */
function drawsOver(ms: number): number {
  const before = lastRenderer().renders;
  act(() => vi.advanceTimersByTime(ms));
  return lastRenderer().renders - before;
}

describe("HeadAvatar", () => {
  beforeEach(() => {
    renderers.real = false;
    renderers.made = [];
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("draws every frame while speaking and every other frame otherwise", () => {
    const { rerender } = render(<HeadAvatar state="speaking" lipSync={new LipSync()} onError={vi.fn()} />);
    expect(screen.getByRole("img", { name: "Interviewer, speaking" })).toHaveAttribute("data-avatar", "head");
    expect(drawsOver(1000)).toBeGreaterThanOrEqual(55);
    rerender(<HeadAvatar state="listening" lipSync={new LipSync()} onError={vi.fn()} />);
    const quiet = drawsOver(1000);
    expect(quiet).toBeGreaterThanOrEqual(25);
    expect(quiet).toBeLessThanOrEqual(35);
  });

  it("draws with antialiasing at the screen's pixel density on a GPU, plainly on a CPU renderer", () => {
    vi.stubGlobal("devicePixelRatio", 2);
    const { unmount } = render(<HeadAvatar state="idle" lipSync={new LipSync()} onError={vi.fn()} />);
    expect(lastRenderer()).toMatchObject({ options: { antialias: true }, pixelRatio: 2 });
    unmount();
    render(<HeadAvatar state="idle" lipSync={new LipSync()} software onError={vi.fn()} />);
    expect(lastRenderer()).toMatchObject({ options: { antialias: false }, pixelRatio: 1 });
  });

  it("reports a lost WebGL context", () => {
    const onError = vi.fn();
    const { container } = render(<HeadAvatar state="idle" lipSync={new LipSync()} onError={onError} />);
    container.querySelector("canvas")!.dispatchEvent(new Event("webglcontextlost"));
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "The WebGL context was lost." }));
  });

  it("stops drawing, gives back its WebGL context and removes its canvas when it goes", () => {
    const onError = vi.fn();
    const { container, unmount } = render(<HeadAvatar state="speaking" lipSync={new LipSync()} onError={onError} />);
    const canvas = container.querySelector("canvas")!;
    unmount();
    expect(lastRenderer()).toMatchObject({ disposed: true, contextLost: true });
    expect(canvas.isConnected).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    // Giving the context back fires "webglcontextlost"; that is no failure.
    canvas.dispatchEvent(new Event("webglcontextlost"));
    expect(onError).not.toHaveBeenCalled();
  });

  it("reports an error, and leaves no canvas, when WebGL can't start", () => {
    renderers.real = true;
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
    // three.js logs the failure too.
    vi.spyOn(console, "error").mockImplementation(() => {});
    const onError = vi.fn();
    const { container } = render(<HeadAvatar state="idle" lipSync={new LipSync()} onError={onError} />);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringMatching(/WebGL context/) }));
    expect(container.querySelector("canvas")).toBeNull();
  });
});
