import { useEffect, useRef } from "react";
import type { AvatarProps } from "./Avatar";
import { prefersReducedMotion } from "./choice";
import "./avatar.css";

const MOUTH_X = 100;
const MOUTH_Y = 121;

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * The mouth as an SVG path for `openness` from 0 to 1: a slight smile when closed, an open
 * mouth that narrows a little as it drops, like a vowel.
 */
export function mouthPath(openness: number): string {
  const open = Math.min(1, Math.max(0, openness));
  const halfWidth = 11 - 3 * open;
  const left = round(MOUTH_X - halfWidth);
  const right = round(MOUTH_X + halfWidth);
  const upper = round(MOUTH_Y + 3 - 5 * open);
  const lower = round(MOUTH_Y + 3 + 16 * open);
  return `M${left} ${MOUTH_Y}Q${MOUTH_X} ${upper} ${right} ${MOUTH_Y}Q${MOUTH_X} ${lower} ${left} ${MOUTH_Y}Z`;
}

/**
 * The interviewer as a friendly 2-D bust, where the 3-D head can't be shown. Blinking, leaning and
 * the thinking dots are CSS; while speaking, an animation frame loop sets the mouth from `lipSync`
 * without re-rendering React.
 */
export function FaceAvatar({ state, lipSync, size = 160, label = "Interviewer" }: AvatarProps) {
  const mouthRef = useRef<SVGPathElement>(null);

  useEffect(() => {
    const mouth = mouthRef.current;
    if (state !== "speaking" || !mouth) return;
    // With reduced motion the mouth keeps to three positions instead of following every frame.
    const simple = prefersReducedMotion();
    let frame = requestAnimationFrame(function draw() {
      const openness = lipSync.mouthAt(performance.now());
      mouth.setAttribute("d", mouthPath(simple ? Math.round(openness * 2) / 2 : openness));
      frame = requestAnimationFrame(draw);
    });
    return () => {
      cancelAnimationFrame(frame);
      mouth.setAttribute("d", mouthPath(0));
    };
  }, [state, lipSync]);

  return (
    <svg
      className={`avatar avatar-${state}`}
      viewBox="0 0 200 200"
      width={size}
      height={size}
      role="img"
      aria-label={`${label}, ${state}`}
      data-avatar="face"
    >
      <circle className="avatar-backdrop" cx="100" cy="100" r="96" />
      <circle className="avatar-ring" cx="100" cy="100" r="96" />
      <g className="avatar-figure">
        <g className="avatar-body">
          <path className="avatar-neck" d="M88 132h24v20H88z" />
          <path
            className="avatar-jacket"
            d="M34.3 170C42 152 62 144 84 141L100 164 116 141C138 144 158 152 165.7 170A96 96 0 0 1 34.3 170Z"
          />
          <path className="avatar-shirt" d="M86 140 100 164 114 140 100 150Z" />
          <g className="avatar-head">
            <ellipse className="avatar-skin" cx="64" cy="98" rx="6" ry="9" />
            <ellipse className="avatar-skin" cx="136" cy="98" rx="6" ry="9" />
            <ellipse className="avatar-skin" cx="100" cy="94" rx="36" ry="42" />
            <path
              className="avatar-hair"
              d="M64 92C59 62 76 46 102 46c26 0 40 18 34 46-2-12-6-20-14-24-16 5-36 5-52 0-3 8-5 16-6 24Z"
            />
            <path className="avatar-brow avatar-brow-left" d="M77 79q8-5 16-1" />
            <path className="avatar-brow avatar-brow-right" d="M107 78q8-4 16 1" />
            <g className="avatar-eyes">
              <ellipse className="avatar-eye-white" cx="85" cy="90" rx="7" ry="5" />
              <ellipse className="avatar-eye-white" cx="115" cy="90" rx="7" ry="5" />
              <g className="avatar-pupils">
                <circle cx="85" cy="90" r="3.2" />
                <circle cx="115" cy="90" r="3.2" />
              </g>
            </g>
            <path className="avatar-nose" d="M100 94q-4 10 1 12" />
            <path ref={mouthRef} className="avatar-mouth" d={mouthPath(0)} />
          </g>
        </g>
      </g>
      {state === "thinking" && (
        <g className="avatar-dots">
          <circle cx="146" cy="52" r="3" />
          <circle cx="156" cy="42" r="4" />
          <circle cx="169" cy="33" r="5" />
        </g>
      )}
    </svg>
  );
}
