/**
 * The edited target landmarks with undo/redo. A drag or a slider move changes the live landmarks many times a
 * second; only the state at the end of the gesture (commit) becomes an undo step.
 */
export class LandmarkHistory {
  private readonly states: Float32Array[];
  private index = 0;
  private live: Float32Array;

  constructor(private readonly original: Float32Array) {
    this.states = [Float32Array.from(original)];
    this.live = Float32Array.from(original);
  }

  get current(): Float32Array {
    return this.live;
  }

  /** Replaces the live landmarks without making an undo step (yet). */
  change(next: Float32Array): void {
    this.live = Float32Array.from(next);
  }

  /** Makes the live landmarks an undo step (nothing happens when they did not change). */
  commit(): void {
    if (sameValues(this.live, this.states[this.index]!)) return;
    this.states.splice(this.index + 1);
    this.states.push(Float32Array.from(this.live));
    this.index = this.states.length - 1;
  }

  get canUndo(): boolean {
    return this.index > 0 || !sameValues(this.live, this.states[this.index]!);
  }

  get canRedo(): boolean {
    return this.index < this.states.length - 1;
  }

  undo(): void {
    // An uncommitted change is undone first (back to the last committed state).
    if (!sameValues(this.live, this.states[this.index]!)) {
      this.commit();
    }
    if (this.index === 0) return;
    this.index--;
    this.live = Float32Array.from(this.states[this.index]!);
  }

  redo(): void {
    if (!this.canRedo) return;
    this.index++;
    this.live = Float32Array.from(this.states[this.index]!);
  }

  /** Back to the photo's own landmarks, as an undoable step. */
  reset(): void {
    this.change(this.original);
    this.commit();
  }
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
