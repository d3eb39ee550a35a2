// Which interviewer the room shows: the 3-D head where the browser can draw it and the candidate
// has not asked for less motion, the SVG face everywhere else.
import { useSyncExternalStore } from "react";

export type AvatarKind = "head" | "face";

export interface AvatarConditions {
  /** The browser has WebGL 2, which three.js needs. */
  webgl: boolean;
  /** The candidate prefers reduced motion. */
  reducedMotion: boolean;
  /** The 3-D view failed: its code did not load, or WebGL failed or was lost while drawing. */
  headFailed: boolean;
}

/** The 3-D head only when nothing speaks against it; the SVG face otherwise. */
export function chooseAvatar({ webgl, reducedMotion, headFailed }: AvatarConditions): AvatarKind {
  return webgl && !reducedMotion && !headFailed ? "head" : "face";
}

/** What the browser's WebGL 2 is like. */
export interface WebGLSupport {
  /** Drawn on the CPU (SwiftShader, llvmpipe): the head then draws without antialiasing, at one pixel per CSS pixel. */
  software: boolean;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** Whether a WebGL 2 context can be made, and by what; null when it can't. The test context is released at once. */
export function probeWebGL(): WebGLSupport | null {
  if (typeof WebGL2RenderingContext === "undefined") return null;
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return null;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
    gl.getExtension("WEBGL_lose_context")?.loseContext();
    return { software: SOFTWARE_RENDERER.test(renderer) };
  } catch {
    return null;
  }
}

const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

const reducedMotionQuery = () => (typeof window.matchMedia === "function" ? window.matchMedia(REDUCED_MOTION) : null);

export const prefersReducedMotion = (): boolean => reducedMotionQuery()?.matches === true;

function onReducedMotionChange(listener: () => void): () => void {
  const query = reducedMotionQuery();
  if (typeof query?.addEventListener !== "function") return () => {};
  query.addEventListener("change", listener);
  return () => query.removeEventListener("change", listener);
}

/** The reduced-motion preference, following changes made while the page is open. */
export function useReducedMotion(): boolean {
  return useSyncExternalStore(onReducedMotionChange, prefersReducedMotion);
}
