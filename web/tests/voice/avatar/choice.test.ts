import { afterEach, describe, expect, it, vi } from "vitest";
import { chooseAvatar, prefersReducedMotion, probeWebGL } from "../../../src/voice/avatar/choice";

/** A WebGL 2 context whose renderer is `renderer`, and the calls made to release it. */
function stubWebGL(renderer: string | null) {
  const loseContext = vi.fn();
  const gl = {
    RENDERER: 0x1f01,
    getExtension: (name: string) =>
      name === "WEBGL_debug_renderer_info" ? { UNMASKED_RENDERER_WEBGL: 0x9246 } : name === "WEBGL_lose_context" ? { loseContext } : null,
    getParameter: (parameter: number) => (parameter === 0x9246 ? renderer : "WebKit WebGL"),
  };
  vi.stubGlobal("WebGL2RenderingContext", class {});
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue((renderer === null ? null : gl) as never);
  return { loseContext };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("chooseAvatar", () => {
  it("shows the 3-D head only with WebGL, no wish for reduced motion, and no failure", () => {
    expect(chooseAvatar({ webgl: true, reducedMotion: false, headFailed: false })).toBe("head");
    expect(chooseAvatar({ webgl: false, reducedMotion: false, headFailed: false })).toBe("face");
    expect(chooseAvatar({ webgl: true, reducedMotion: true, headFailed: false })).toBe("face");
    expect(chooseAvatar({ webgl: true, reducedMotion: false, headFailed: true })).toBe("face");
  });
});

describe("probeWebGL", () => {
  it("finds no WebGL where the browser has no WebGL 2", () => {
    expect(probeWebGL()).toBeNull();
  });

  it("finds no WebGL where a context can't be made", () => {
    stubWebGL(null);
    expect(probeWebGL()).toBeNull();
  });

  it("finds no WebGL where making a context throws", () => {
    vi.stubGlobal("WebGL2RenderingContext", class {});
    vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockImplementation(() => {
      throw new Error("blocked");
    });
    expect(probeWebGL()).toBeNull();
  });

  it("tells a GPU from a renderer on the CPU, and releases the test context", () => {
    const { loseContext } = stubWebGL("ANGLE (NVIDIA GeForce RTX 3060 Direct3D11)");
    expect(probeWebGL()).toEqual({ software: false });
    expect(loseContext).toHaveBeenCalledOnce();
    stubWebGL("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)");
    expect(probeWebGL()).toEqual({ software: true });
    stubWebGL("llvmpipe (LLVM 15.0.6, 256 bits)");
    expect(probeWebGL()).toEqual({ software: true });
  });
});

describe("prefersReducedMotion", () => {
  it("reads the media query, and is false where there is none", () => {
    expect(prefersReducedMotion()).toBe(false);
    vi.stubGlobal("matchMedia", (query: string) => ({ matches: query === "(prefers-reduced-motion: reduce)" }));
    expect(prefersReducedMotion()).toBe(true);
  });
});
