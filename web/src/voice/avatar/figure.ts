/**
 * The 3-D interviewer, built from three.js primitives by our own code (no model files): a stylised
 * head with hair, ears, eyes with lids, brows, nose and the morphing mouth, on a neck and shoulders in
 * a jacket. `apply` poses it for one frame. The head is about 2 units wide, centred on the origin.
 */
import {
  BufferGeometry,
  CapsuleGeometry,
  CircleGeometry,
  CylinderGeometry,
  Float32BufferAttribute,
  Group,
  type Material,
  Mesh,
  MeshBasicMaterial,
  MeshPhongMaterial,
  Object3D,
  SphereGeometry,
} from "three";
import { JAW_DROP, LIP_SHAPE_ORDER, lipGap, lipOutline, lipWeights, lipsGeometry } from "./mouth";
import type { Pose } from "./pose";

const COLOURS = {
  skin: 0xf0c8a8,
  skinShade: 0xe4b493,
  hair: 0x3a2c25,
  lips: 0xc0706a,
  mouth: 0x4a1018,
  tongue: 0xb5485a,
  teeth: 0xf4f1ea,
  eyeWhite: 0xf7f5f0,
  iris: 0x5a3a28,
  pupil: 0x141010,
  jacket: 0x2f3e5c,
  shirt: 0xf8f8f8,
};

// Where the face's features sit on the head (the mouth's centre is on the face's surface).
const EYE = { x: 0.33, y: 0.1, z: 0.755, radius: 0.19 };
const BROW = { x: 0.33, y: 0.37, z: 0.86 };
const MOUTH = { y: -0.43, z: 0.88 };
const HEAD = { width: 0.9, height: 1.12, depth: 0.98 };
// Upper lid angles (radians about the eye's x axis): open, and shut.
const LID_OPEN = -0.62;
const LID_SHUT = 1.45;

const smoothstep = (edge0: number, edge1: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - edge0) / (edge1 - edge0)));
  return t * t * (3 - 2 * t);
};

/** An egg-shaped head, narrower at the jaw and chin, with a "jaw open" morph target that drops the chin. */
function headGeometry(): BufferGeometry {
  const geometry = new SphereGeometry(1, 56, 44);
  const position = geometry.getAttribute("position");
  const jaw = new Float32Array(position.count * 3);
  for (let i = 0; i < position.count; i++) {
    let x = position.getX(i);
    let y = position.getY(i);
    let z = position.getZ(i);
    if (y < 0) {
      x *= 1 - 0.22 * y * y;
      z *= 1 - 0.12 * y * y;
    }
    x *= HEAD.width;
    y *= HEAD.height;
    z *= HEAD.depth;
    position.setXYZ(i, x, y, z);
    const below = smoothstep(MOUTH.y + 0.02, MOUTH.y - 0.14, y);
    const front = smoothstep(0.15, 0.6, z);
    const middle = 1 - smoothstep(0.25, 0.62, Math.abs(x));
    jaw[3 * i + 1] = -JAW_DROP * below * front * middle;
  }
  geometry.computeVertexNormals();
  geometry.morphTargetsRelative = true;
  geometry.morphAttributes.position = [new Float32BufferAttribute(jaw, 3)];
  return geometry;
}

/** The hair: a cap over the top and back of the head, tipped back to leave the forehead clear, and a swept fringe. */
function hair(material: Material): Group {
  const group = new Group();
  const cap = new Mesh(new SphereGeometry(1, 40, 24, 0, 2 * Math.PI, 0, Math.PI * 0.5), material);
  cap.scale.set(HEAD.width * 1.07, HEAD.height * 1.04, HEAD.depth * 1.07);
  cap.rotation.x = -0.38;
  cap.position.set(0, 0.08, -0.04);
  const fringe = new Mesh(new SphereGeometry(1, 32, 16), material);
  fringe.scale.set(0.5, 0.15, 0.36);
  fringe.position.set(0.16, 0.86, 0.5);
  fringe.rotation.set(0.62, 0, -0.22);
  group.add(cap, fringe);
  return group;
}

interface Eye {
  root: Group;
  /** Turns with the gaze. */
  ball: Object3D;
  /** Turns about the eye's x axis to blink. */
  upperLid: Object3D;
}

type EyeMaterials = Record<"white" | "iris" | "pupil" | "glint" | "skin", Material>;

/** An eyeball (white, iris, pupil and a glint of light) between an upper lid that blinks and a lower one. */
function eye(side: 1 | -1, materials: EyeMaterials): Eye {
  const root = new Group();
  root.position.set(side * EYE.x, EYE.y, EYE.z);
  // Eyes face a little outwards, as on a rounded face.
  root.rotation.y = side * 0.18;
  const ball = new Group();
  const white = new Mesh(new SphereGeometry(EYE.radius, 24, 16), materials.white);
  const iris = new Mesh(new CircleGeometry(EYE.radius * 0.54, 24), materials.iris);
  iris.position.z = EYE.radius * 0.97;
  const pupil = new Mesh(new CircleGeometry(EYE.radius * 0.26, 20), materials.pupil);
  pupil.position.z = EYE.radius * 0.975;
  const glint = new Mesh(new CircleGeometry(EYE.radius * 0.09, 12), materials.glint);
  glint.position.set(-EYE.radius * 0.16, EYE.radius * 0.17, EYE.radius * 0.98);
  ball.add(white, iris, pupil, glint);
  const lidGeometry = new SphereGeometry(EYE.radius * 1.08, 24, 10, 0, 2 * Math.PI, 0, Math.PI / 2);
  const upperLid = new Mesh(lidGeometry, materials.skin);
  upperLid.name = "upper lid";
  upperLid.rotation.x = LID_OPEN;
  const lowerLid = new Mesh(lidGeometry, materials.skin);
  lowerLid.rotation.x = Math.PI + 0.55;
  root.add(ball, upperLid, lowerLid);
  return { root, ball, upperLid };
}

/** The figure and how to pose it. */
export class HeadFigure {
  readonly root = new Group();
  private readonly body = new Group();
  /** The head, turning about the top of the neck. */
  private readonly neck = new Group();
  private readonly headMesh: Mesh;
  private readonly lips: Mesh;
  private readonly mouthInside: Mesh;
  private readonly teeth: Mesh;
  private readonly tongue: Mesh;
  private readonly eyes: Eye[] = [];
  private readonly brows: Mesh[] = [];
  private readonly disposables = new Set<{ dispose(): void }>();

  constructor() {
    // Phong rather than physically based shading: it looks the same on these smooth shapes and costs
    // far less where WebGL runs on the CPU.
    const phong = (color: number, shininess: number) => this.own(new MeshPhongMaterial({ color, shininess }));
    const skin = phong(COLOURS.skin, 20);
    const skinShade = phong(COLOURS.skinShade, 15);
    const hairMaterial = phong(COLOURS.hair, 8);

    const torso = new Mesh(new SphereGeometry(1, 40, 24), phong(COLOURS.jacket, 10));
    torso.scale.set(1.75, 0.95, 0.9);
    torso.position.y = -2.3;
    const collar = new Mesh(new CylinderGeometry(0.4, 0.46, 0.3, 32), phong(COLOURS.shirt, 10));
    collar.position.y = -1.42;
    const neck = new Mesh(new CylinderGeometry(0.33, 0.36, 0.8, 32), skinShade);
    neck.position.y = -1.1;
    this.neck.position.y = -0.95;
    const head = new Group();
    head.position.y = 0.95;
    this.neck.add(head);
    this.body.add(torso, collar, neck, this.neck);

    this.headMesh = new Mesh(headGeometry(), skin);
    this.headMesh.name = "head";
    head.add(this.headMesh, hair(hairMaterial));

    for (const side of [1, -1] as const) {
      const ear = new Mesh(new SphereGeometry(1, 20, 14), skinShade);
      ear.scale.set(0.07, 0.17, 0.11);
      ear.position.set(side * 0.9, -0.04, -0.02);
      head.add(ear);
    }

    const nose = new Mesh(new SphereGeometry(1, 24, 16), skinShade);
    nose.scale.set(0.085, 0.15, 0.1);
    nose.position.set(0, -0.12, 0.97);
    nose.rotation.x = -0.3;
    head.add(nose);

    const eyeMaterials = {
      white: phong(COLOURS.eyeWhite, 60),
      iris: phong(COLOURS.iris, 40),
      pupil: phong(COLOURS.pupil, 50),
      glint: this.own(new MeshBasicMaterial({ color: 0xffffff })),
      skin,
    };
    for (const side of [1, -1] as const) {
      const sideEye = eye(side, eyeMaterials);
      const brow = new Mesh(new CapsuleGeometry(0.036, 0.2, 4, 10), hairMaterial);
      brow.scale.set(1, 1, 0.6);
      this.eyes.push(sideEye);
      this.brows.push(brow);
      head.add(sideEye.root, brow);
    }

    const mouth = new Group();
    mouth.position.set(0, MOUTH.y, MOUTH.z);
    this.lips = new Mesh(lipsGeometry(), phong(COLOURS.lips, 30));
    this.mouthInside = new Mesh(new SphereGeometry(1, 24, 14), phong(COLOURS.mouth, 5));
    this.teeth = new Mesh(new SphereGeometry(1, 20, 10), phong(COLOURS.teeth, 40));
    this.tongue = new Mesh(new SphereGeometry(1, 20, 10), phong(COLOURS.tongue, 20));
    this.lips.name = "lips";
    this.mouthInside.name = "inside of the mouth";
    mouth.add(this.lips, this.mouthInside, this.teeth, this.tongue);
    head.add(mouth);

    this.root.add(this.body);
    this.root.traverse((node) => {
      if (node instanceof Mesh) this.disposables.add(node.geometry);
    });
  }

  /** Poses the figure for one frame. */
  apply(pose: Pose): void {
    this.body.position.y = 0.012 * pose.breath;
    this.body.scale.setScalar(1 + 0.004 * pose.breath);
    this.neck.rotation.set(pose.pitch, pose.yaw, pose.roll, "YXZ");

    for (const { ball, upperLid } of this.eyes) {
      ball.rotation.set(-0.3 * pose.gazeY, 0.35 * pose.gazeX, 0);
      const open = LID_OPEN - 0.2 * Math.max(0, pose.gazeY);
      upperLid.rotation.x = open + (LID_SHUT - open) * pose.blink;
    }
    const raise = [pose.browLeft, pose.browRight];
    this.brows.forEach((mesh, index) => {
      const side = index === 0 ? 1 : -1;
      const lift = raise[index] ?? 0;
      mesh.position.set(side * BROW.x, BROW.y + 0.05 * lift, BROW.z + 0.01 * lift);
      // Across the face, turned to follow its curve, tilting a little more as they rise.
      mesh.rotation.set(0, side * 0.3, Math.PI / 2 + side * (0.12 + 0.1 * lift));
    });

    const weights = lipWeights(pose);
    const influences = this.lips.morphTargetInfluences;
    if (influences) LIP_SHAPE_ORDER.forEach((shape, index) => (influences[index] = weights[shape]));
    const headInfluences = this.headMesh.morphTargetInfluences;
    if (headInfluences) headInfluences[0] = pose.jaw;

    const outline = lipOutline(weights);
    const gap = lipGap(outline);
    // The inside shows only once the lips part; it reaches a little under them so no seam shows.
    const open = gap.opening > 0.01;
    const middle = (gap.top + gap.bottom) / 2;
    const halfHeight = Math.max(0, gap.top - gap.bottom) / 2 + 0.012;
    this.mouthInside.visible = this.teeth.visible = this.tongue.visible = open;
    this.mouthInside.position.set(0, middle, -0.035);
    this.mouthInside.scale.set(outline.halfWidth * 0.85, halfHeight, 0.06);
    this.teeth.position.set(0, gap.top - 0.006, -0.012);
    this.teeth.scale.set(outline.halfWidth * 0.55, Math.min(0.022, halfHeight * 0.5), 0.035);
    this.tongue.position.set(0, gap.bottom + 0.004, -0.04);
    this.tongue.scale.set(outline.halfWidth * 0.6, Math.min(0.035, halfHeight * 0.6), 0.05);
  }

  dispose(): void {
    this.disposables.forEach((item) => item.dispose());
  }

  private own<T extends { dispose(): void }>(item: T): T {
    this.disposables.add(item);
    return item;
  }
}
