/**
 * What a drag moves: one point, or the named group the grabbed point belongs to (groups from the shared iBUG-68
 * scheme, src/face/landmarks.ts), so an eyelid, a mouth corner, a brow or the lips move as one piece.
 */
import { LANDMARK_GROUPS, type LandmarkGroupName } from '../../src/face/landmarks.js';

export const DRAG_MODES = {
  point: { label: 'Single point', groups: [] },
  eyelid: {
    label: 'Eyelid',
    groups: ['rightUpperEyelid', 'rightLowerEyelid', 'leftUpperEyelid', 'leftLowerEyelid'],
  },
  mouthCorner: { label: 'Mouth corner', groups: ['rightMouthCorner', 'leftMouthCorner'] },
  brow: { label: 'Brow', groups: ['rightBrow', 'leftBrow'] },
  lips: { label: 'Lips', groups: ['lips'] },
} as const satisfies Record<string, { label: string; groups: readonly LandmarkGroupName[] }>;

export type DragMode = keyof typeof DRAG_MODES;

/** Indices a drag of point `index` moves in `mode`; undefined when the point belongs to none of the mode's groups. */
export function pointsToDrag(mode: DragMode, index: number): readonly number[] | undefined {
  if (mode === 'point') return [index];
  const groups: readonly LandmarkGroupName[] = DRAG_MODES[mode].groups;
  const group = groups.find((name) => (LANDMARK_GROUPS[name] as readonly number[]).includes(index));
  return group === undefined ? undefined : LANDMARK_GROUPS[group];
}

/** Copy of 136 flat coordinates with `indices` shifted by (dx, dy). */
export function movePoints(
  flat: Float32Array,
  indices: readonly number[],
  dx: number,
  dy: number,
): Float32Array {
  const out = Float32Array.from(flat);
  for (const i of indices) {
    out[2 * i] = out[2 * i]! + dx;
    out[2 * i + 1] = out[2 * i + 1]! + dy;
  }
  return out;
}
