import { act, render, screen } from "@testing-library/react";
import { useEffect } from "react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { AvatarProps } from "../../../src/voice/avatar/Avatar";
import { LipSync } from "../../../src/voice/lipsync";

type Outcome = "loads" | "fails-to-load" | "fails-to-start";

/**
 * The 3-D head's chunk, as a test needs it: it loads (a stand-in for the WebGL view), fails to
 * download, or loads and then can't start WebGL.
 */
function headChunk(outcome: Outcome) {
  if (outcome === "fails-to-load") throw new TypeError("Failed to fetch dynamically imported module");
  return {
    default: function StandInHead(props: AvatarProps & { software: boolean; onError: (error: unknown) => void }) {
      useEffect(() => {
        if (outcome === "fails-to-start") props.onError(new Error("Error creating WebGL context."));
      }, [props]);
      return (
        <div role="img" aria-label={`Interviewer, ${props.state}`} data-avatar="head" data-software={props.software} />
      );
    },
  };
}

/** A browser with WebGL 2 drawn by `renderer`. */
function withWebGL(renderer = "ANGLE (Apple M2)") {
  vi.stubGlobal("WebGL2RenderingContext", class {});
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue({
    RENDERER: 1,
    getExtension: () => null,
    getParameter: () => renderer,
  } as never);
}

/** A candidate whose reduced-motion preference is `reduce`, and a way to change it while the page is open. */
function motionPreference(reduce: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    matches: reduce,
    addEventListener: (_: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
  };
  vi.stubGlobal("matchMedia", () => query);
  return (next: boolean) => {
    query.matches = next;
    listeners.forEach((listener) => listener());
  };
}

/** The avatar with a fresh module, so that its lazy chunk is imported again, with `outcome`. */
async function renderAvatar(state: AvatarProps["state"] = "speaking", outcome: Outcome = "loads") {
  vi.resetModules();
  vi.doMock("../../../src/voice/avatar/HeadAvatar", async () => headChunk(outcome));
  const { Avatar } = await import("../../../src/voice/avatar/Avatar");
  return render(<Avatar state={state} lipSync={new LipSync()} size={120} />);
}

/** Lets the lazy chunk's import settle. */
const settle = () => act(() => new Promise((wait) => setTimeout(wait, 50)));

const shown = () => screen.getByRole("img", { name: /^Interviewer, / }).dataset.avatar;

describe("Avatar", () => {
  beforeEach(() => {
    vi.restoreAllMocks();
  });

  it("shows the 3-D head where WebGL works, with the SVG face while its chunk loads", async () => {
    withWebGL();
    await renderAvatar("listening");
    expect(screen.getByRole("img", { name: "Interviewer, listening" })).toHaveAttribute("data-avatar", "face");
    await settle();
    expect(screen.getByRole("img", { name: "Interviewer, listening" })).toHaveAttribute("data-avatar", "head");
    expect(screen.getByRole("img")).toHaveAttribute("data-software", "false");
  });

  it("tells the head when WebGL is drawn on the CPU", async () => {
    withWebGL("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)");
    await renderAvatar();
    await settle();
    expect(shown()).toBe("head");
    expect(screen.getByRole("img")).toHaveAttribute("data-software", "true");
  });

  it("shows the SVG face without WebGL", async () => {
    await renderAvatar();
    await settle();
    expect(shown()).toBe("face");
  });

  it("shows the SVG face to a candidate who prefers reduced motion, and follows a change of mind", async () => {
    withWebGL();
    const change = motionPreference(true);
    await renderAvatar();
    await settle();
    expect(shown()).toBe("face");
    act(() => change(false));
    await settle();
    expect(shown()).toBe("head");
    act(() => change(true));
    expect(shown()).toBe("face");
  });

  it("falls back to the SVG face for good when the 3-D chunk fails to load", async () => {
    withWebGL();
    // React reports the caught error to the console.
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { container, rerender } = await renderAvatar("thinking", "fails-to-load");
    await settle();
    expect(screen.getByRole("img", { name: "Interviewer, thinking" })).toHaveAttribute("data-avatar", "face");
    expect(container.querySelector(".avatar-dots")).not.toBeNull();
    const { Avatar } = await import("../../../src/voice/avatar/Avatar");
    rerender(<Avatar state="speaking" lipSync={new LipSync()} size={120} />);
    await settle();
    expect(shown()).toBe("face");
  });

  it("falls back to the SVG face when WebGL fails to start", async () => {
    withWebGL();
    await renderAvatar("speaking", "fails-to-start");
    await settle();
    expect(shown()).toBe("face");
  });
});
