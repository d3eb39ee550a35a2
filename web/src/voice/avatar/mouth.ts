/**
 * The 3-D head's mouth: lips made as one tube around the mouth, with a morph target (blend shape) per
 * lip movement, and the inside of the mouth (dark, teeth, tongue) sized to the lips' opening. Lengths
 * are in the head's units (the head is about 2 wide), in the mouth's own frame: x to the figure's
 * left, y up, z out of the face.
 */
import { BufferAttribute, BufferGeometry, Float32BufferAttribute } from "three";
import type { Pose } from "./pose";

/** The lips' outline: the parameters every mouth shape is made from. */
export interface LipOutline {
  /** From the middle to each corner. */
  halfWidth: number;
  /** Middle of the upper lip above the corners, and of the lower lip (negative: below). */
  upperY: number;
  lowerY: number;
  /** How far the middle of the lips stands out. */
  forward: number;
  /** Corners raised. */
  corner: number;
}

const REST: LipOutline = { halfWidth: 0.165, upperY: 0.02, lowerY: -0.024, forward: 0.012, corner: 0 };

/** The lips' blend shapes, in the order of the mesh's morph targets. */
export const LIP_SHAPES = {
  open: { halfWidth: 0.145, upperY: 0.05, lowerY: -0.23, forward: 0.015, corner: -0.01 },
  spread: { halfWidth: 0.21, upperY: 0.016, lowerY: -0.02, forward: 0, corner: 0.012 },
  round: { halfWidth: 0.095, upperY: 0.032, lowerY: -0.036, forward: 0.055, corner: 0 },
  smile: { halfWidth: 0.18, upperY: 0.02, lowerY: -0.024, forward: 0.012, corner: 0.035 },
} satisfies Record<string, LipOutline>;

export type LipShape = keyof typeof LIP_SHAPES;

/** How far the lower lip drops with the mouth wide open; the chin drops with it. */
export const JAW_DROP = REST.lowerY - LIP_SHAPES.open.lowerY;
export const LIP_SHAPE_ORDER = Object.keys(LIP_SHAPES) as LipShape[];

/** How much of each blend shape a pose takes. */
export function lipWeights(pose: Pose): Record<LipShape, number> {
  return {
    open: pose.jaw,
    spread: Math.max(0, pose.spread),
    round: Math.max(0, -pose.spread),
    smile: pose.smile,
  };
}

/** The outline the blended lips make (the morph targets add up the same way). */
export function lipOutline(weights: Record<LipShape, number>): LipOutline {
  const outline = { ...REST };
  for (const shape of LIP_SHAPE_ORDER) {
    const target = LIP_SHAPES[shape];
    for (const key of Object.keys(outline) as (keyof LipOutline)[]) {
      outline[key] += weights[shape] * (target[key] - REST[key]);
    }
  }
  return outline;
}

// Lip thickness in the middle; thinner towards the corners.
const UPPER_THICKNESS = 0.024;
const LOWER_THICKNESS = 0.03;
const AROUND = 48;
const ACROSS = 10;

/** The lip tube's vertex positions for `outline`: AROUND rings of ACROSS points. */
function lipPositions({ halfWidth, upperY, lowerY, forward, corner }: LipOutline): Float32Array {
  const positions = new Float32Array(AROUND * ACROSS * 3);
  for (let i = 0; i < AROUND; i++) {
    const u = (2 * Math.PI * i) / AROUND;
    const cos = Math.cos(u);
    const sin = Math.sin(u);
    const along = Math.abs(sin) ** 0.6;
    const x = halfWidth * cos;
    const y = (sin >= 0 ? upperY : lowerY) * along + corner * cos * cos;
    const z = forward * Math.abs(sin) - 0.035 * cos * cos;
    const thickness = (sin >= 0 ? UPPER_THICKNESS : LOWER_THICKNESS) * (0.35 + 0.65 * Math.abs(sin) ** 0.5);
    for (let j = 0; j < ACROSS; j++) {
      const v = (2 * Math.PI * j) / ACROSS;
      const out = Math.cos(v) * thickness;
      const k = 3 * (i * ACROSS + j);
      positions[k] = x + cos * out;
      positions[k + 1] = y + sin * out;
      positions[k + 2] = z + Math.sin(v) * thickness;
    }
  }
  return positions;
}

function lipIndices(): number[] {
  const indices: number[] = [];
  const at = (i: number, j: number) => (i % AROUND) * ACROSS + (j % ACROSS);
  for (let i = 0; i < AROUND; i++) {
    for (let j = 0; j < ACROSS; j++) {
      indices.push(at(i, j), at(i + 1, j), at(i, j + 1), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1));
    }
  }
  return indices;
}

function tube(outline: LipOutline, indices: number[]): BufferGeometry {
  const geometry = new BufferGeometry();
  geometry.setAttribute("position", new BufferAttribute(lipPositions(outline), 3));
  geometry.setIndex(indices);
  geometry.computeVertexNormals();
  return geometry;
}

const minus = (a: ArrayLike<number>, b: ArrayLike<number>) => Float32Array.from(a, (value, i) => value - b[i]!);

/** The lips at rest, with one relative morph target (positions and normals) per entry of LIP_SHAPES. */
export function lipsGeometry(): BufferGeometry {
  const indices = lipIndices();
  const lips = tube(REST, indices);
  const base = lips.getAttribute("position").array;
  const baseNormals = lips.getAttribute("normal").array;
  const targets = LIP_SHAPE_ORDER.map((shape) => tube(LIP_SHAPES[shape], indices));
  lips.morphTargetsRelative = true;
  lips.morphAttributes.position = targets.map(
    (target) => new Float32BufferAttribute(minus(target.getAttribute("position").array, base), 3),
  );
  lips.morphAttributes.normal = targets.map(
    (target) => new Float32BufferAttribute(minus(target.getAttribute("normal").array, baseNormals), 3),
  );
  targets.forEach((target) => target.dispose());
  return lips;
}

/**
 * The gap between the lips for `outline`: how much wider apart they are than at rest, where they
 * meet (0: closed), and the inner edges of the upper and lower lip (y).
 */
export function lipGap({ upperY, lowerY }: LipOutline): { opening: number; top: number; bottom: number } {
  return {
    opening: Math.max(0, upperY - lowerY - (REST.upperY - REST.lowerY)),
    top: upperY - 0.6 * UPPER_THICKNESS,
    bottom: lowerY + 0.6 * LOWER_THICKNESS,
  };
}
