import { Component, type ReactNode, Suspense, lazy, useState } from "react";
import type { LipSync } from "../lipsync";
import { chooseAvatar, probeWebGL, useReducedMotion } from "./choice";
import { FaceAvatar } from "./FaceAvatar";

export type AvatarState = "idle" | "listening" | "thinking" | "speaking";

export interface AvatarProps {
  state: AvatarState;
  /** Drives the mouth while `state` is "speaking"; push its messages with `performance.now()` times. */
  lipSync: LipSync;
  /** Width and height in pixels. */
  size?: number;
  /** Who the avatar is, for screen readers; the state is added to it. */
  label?: string;
}

// three.js and the head are a chunk of their own, fetched only when a call shows the avatar.
const HeadAvatar = lazy(() => import("./HeadAvatar"));

interface LoadBoundaryProps {
  fallback: ReactNode;
  onError: () => void;
  children: ReactNode;
}

/** Shows `fallback` instead of children that threw (the 3-D chunk failed to download, or to start). */
class LoadBoundary extends Component<LoadBoundaryProps, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch() {
    this.props.onError();
  }

  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/**
 * The interviewer: the 3-D head where WebGL works and the candidate has not asked for reduced
 * motion, otherwise the SVG face, which also stands in while the head loads and for good if it fails.
 */
export function Avatar(props: AvatarProps) {
  const reducedMotion = useReducedMotion();
  const [webgl] = useState(probeWebGL);
  const [headFailed, setHeadFailed] = useState(false);
  const face = <FaceAvatar {...props} />;
  const kind = chooseAvatar({ webgl: webgl !== null, reducedMotion, headFailed });
  if (kind === "face" || !webgl) return face;
  const fail = () => setHeadFailed(true);
  return (
    <LoadBoundary fallback={face} onError={fail}>
      <Suspense fallback={face}>
        <HeadAvatar {...props} software={webgl.software} onError={fail} />
      </Suspense>
    </LoadBoundary>
  );
}
