import type { Mesh } from "three";
import { describe, expect, it } from "vitest";
import { HeadFigure } from "../../../src/voice/avatar/figure";
import { LIP_SHAPE_ORDER } from "../../../src/voice/avatar/mouth";
import { type Pose, targetPose } from "../../../src/voice/avatar/pose";

const rest: Pose = { ...targetPose("idle", 0), blink: 0, smile: 0 };

describe("HeadFigure", () => {
  const figure = new HeadFigure();
  const part = (name: string) => figure.root.getObjectByName(name) as Mesh;

  it("keeps the inside of the mouth hidden while the lips meet, and shows it as the jaw drops", () => {
    figure.apply(rest);
    expect(part("inside of the mouth").visible).toBe(false);
    expect(part("head").morphTargetInfluences).toEqual([0]);
    figure.apply({ ...rest, jaw: 0.8, spread: -0.5 });
    expect(part("inside of the mouth").visible).toBe(true);
    expect(part("head").morphTargetInfluences).toEqual([0.8]);
    const weights = { open: 0.8, spread: 0, round: 0.5, smile: 0 };
    expect(part("lips").morphTargetInfluences).toEqual(LIP_SHAPE_ORDER.map((shape) => weights[shape]));
  });

  it("shuts the eyelids to blink", () => {
    figure.apply(rest);
    const open = part("upper lid").rotation.x;
    figure.apply({ ...rest, blink: 1 });
    expect(part("upper lid").rotation.x - open).toBeGreaterThan(1.5);
  });
});
