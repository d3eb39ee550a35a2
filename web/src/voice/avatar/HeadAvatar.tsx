import { useEffect, useRef } from "react";
import { DirectionalLight, HemisphereLight, PerspectiveCamera, Scene, WebGLRenderer } from "three";
import type { AvatarProps } from "./Avatar";
import { HeadFigure } from "./figure";
import { PoseAnimator } from "./pose";

interface HeadAvatarProps extends AvatarProps {
  /** WebGL is drawn on the CPU: draw without antialiasing, at one pixel per CSS pixel. */
  software?: boolean;
  /** WebGL could not start or was lost: the caller shows the SVG face instead. */
  onError: (error: unknown) => void;
}

// Unless it is speaking, the head moves slowly: half the frames are plenty, and spare a laptop's battery.
const QUIET_FRAME_MS = 1000 / 30;

/** The figure under soft light: a warm key from above left, a cool rim from behind, and sky-and-ground fill. */
function stage(figure: HeadFigure): { scene: Scene; camera: PerspectiveCamera } {
  const scene = new Scene();
  scene.add(figure.root);
  scene.add(new HemisphereLight(0xfff4ea, 0x5d6680, 1.6));
  const key = new DirectionalLight(0xfff0e0, 2.2);
  key.position.set(-2.5, 3, 4);
  const rim = new DirectionalLight(0xcfe0ff, 1.4);
  rim.position.set(3, 2, -3);
  scene.add(key, rim);
  const camera = new PerspectiveCamera(30, 1, 0.1, 50);
  camera.position.set(0, 0.05, 7.4);
  camera.lookAt(0, -0.32, 0);
  return { scene, camera };
}

/**
 * The interviewer as a 3-D head drawn with three.js (a lazily loaded chunk). An animation frame loop
 * poses and draws it from the state and `lipSync` without re-rendering React.
 */
export default function HeadAvatar({
  state,
  lipSync,
  size = 160,
  label = "Interviewer",
  software = false,
  onError,
}: HeadAvatarProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const stateRef = useRef(state);
  const onErrorRef = useRef(onError);

  useEffect(() => {
    stateRef.current = state;
    onErrorRef.current = onError;
  }, [state, onError]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    // A canvas of its own each time: a canvas keeps its (lost) context after the renderer is disposed.
    const canvas = document.createElement("canvas");
    canvas.className = "avatar-canvas";
    host.prepend(canvas);
    let renderer: WebGLRenderer;
    try {
      renderer = new WebGLRenderer({ canvas, antialias: !software, alpha: true, powerPreference: "low-power" });
    } catch (error) {
      canvas.remove();
      onErrorRef.current(error);
      return;
    }
    renderer.setPixelRatio(software ? 1 : Math.min(window.devicePixelRatio || 1, 2));
    renderer.setSize(size, size, false);
    const figure = new HeadFigure();
    const { scene, camera } = stage(figure);
    const animator = new PoseAnimator();
    const lost = () => onErrorRef.current(new Error("The WebGL context was lost."));
    canvas.addEventListener("webglcontextlost", lost);

    let drawnAt = -Infinity;
    let frame = requestAnimationFrame(function draw() {
      frame = requestAnimationFrame(draw);
      const now = performance.now();
      // A few ms of slack so that 60 Hz frames alternate instead of drifting.
      if (stateRef.current !== "speaking" && now - drawnAt < QUIET_FRAME_MS - 4) return;
      drawnAt = now;
      figure.apply(animator.next(stateRef.current, now, lipSync));
      renderer.render(scene, camera);
    });
    return () => {
      cancelAnimationFrame(frame);
      canvas.removeEventListener("webglcontextlost", lost);
      figure.dispose();
      renderer.dispose();
      // Browsers keep only a few WebGL contexts; give this one back now rather than when collected.
      renderer.forceContextLoss();
      canvas.remove();
    };
  }, [lipSync, size, software]);

  return (
    <div
      className={`avatar avatar-head avatar-${state}`}
      style={{ width: size, height: size }}
      role="img"
      aria-label={`${label}, ${state}`}
      data-avatar="head"
      ref={hostRef}
    >
      {state === "thinking" && (
        <span className="avatar-dots" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
      )}
    </div>
  );
}
