import { describe, expect, it } from "vitest";
import { JAW_DROP, LIP_SHAPE_ORDER, lipGap, lipOutline, lipWeights, lipsGeometry } from "../../../src/voice/avatar/mouth";
import { type Pose, targetPose } from "../../../src/voice/avatar/pose";

const rest: Pose = { ...targetPose("idle", 0), blink: 0, smile: 0 };

describe("the lips", () => {
  const lips = lipsGeometry();
  const base = lips.getAttribute("position");
  const target = (shape: string) => lips.morphAttributes.position![LIP_SHAPE_ORDER.indexOf(shape as never)]!;
  /** The lowest and highest y of the lips and their half-width with `shape` fully on. */
  const extent = (shape?: string) => {
    const ys: number[] = [];
    const xs: number[] = [];
    for (let i = 0; i < base.count; i++) {
      ys.push(base.getY(i) + (shape ? target(shape).getY(i) : 0));
      xs.push(Math.abs(base.getX(i) + (shape ? target(shape).getX(i) : 0)));
    }
    return { bottom: Math.min(...ys), top: Math.max(...ys), halfWidth: Math.max(...xs) };
  };

  it("have a blend shape for each lip movement, with normals", () => {
    expect(lips.morphAttributes.position).toHaveLength(LIP_SHAPE_ORDER.length);
    expect(lips.morphAttributes.normal).toHaveLength(LIP_SHAPE_ORDER.length);
    expect(lips.morphTargetsRelative).toBe(true);
  });

  it("drop the lower lip when the mouth opens, and narrow when rounded, widen when spread", () => {
    const closed = extent();
    const open = extent("open");
    expect(closed.bottom - open.bottom).toBeCloseTo(JAW_DROP, 2);
    expect(open.top - closed.top).toBeLessThan(JAW_DROP / 3);
    expect(extent("round").halfWidth).toBeLessThan(closed.halfWidth * 0.7);
    expect(extent("spread").halfWidth).toBeGreaterThan(closed.halfWidth * 1.2);
  });

  it("meet at rest and when pursed in thought, and part with the jaw", () => {
    const opening = (pose: Pose) => lipGap(lipOutline(lipWeights(pose))).opening;
    expect(opening(rest)).toBe(0);
    expect(opening(targetPose("thinking", 0))).toBeLessThan(0.01);
    expect(opening({ ...rest, jaw: 1 })).toBeGreaterThan(JAW_DROP);
  });
});
