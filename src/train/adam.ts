/**
 * Adam (Kingma & Ba 2015) on flat float32 arrays keyed by weight name.
 *
 * Why not tf.train.adam: its state is keyed by TF.js variable names (which depend on what a process built
 * before) and matched to gradients by position, which makes checkpoints and replicas fragile. Here the state is
 * plain arrays under our stable weight names, saved and restored as they are, and the update is the same
 * arithmetic on every replica, so replicas that apply the same averaged gradients stay bit-identical.
 */
export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon?: number;
}

export interface AdamState {
  step: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class Adam {
  private state: AdamState = { step: 0, m: {}, v: {} };

  constructor(private readonly options: AdamOptions) {}

  /** Updates `weights[name]` in place for every gradient given. Names must be the same at every step. */
  update(weights: Record<string, Float32Array>, gradients: Record<string, Float32Array>): void {
    const { learningRate, beta1, beta2 } = this.options;
    const epsilon = this.options.epsilon ?? 1e-7;
    this.state.step += 1;
    const t = this.state.step;
    // Bias corrections folded into the step size, as in the paper's efficient form.
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (const [name, g] of Object.entries(gradients)) {
      const w = weights[name];
      if (w === undefined || w.length !== g.length)
        throw new Error(`adam: no weight "${name}" of size ${g.length}`);
      const m = (this.state.m[name] ??= new Float32Array(g.length));
      const v = (this.state.v[name] ??= new Float32Array(g.length));
      for (let i = 0; i < g.length; i++) {
        const gi = g[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        w[i] = w[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) + epsilon);
      }
    }
  }

  getState(): AdamState {
    return this.state;
  }

  setState(state: AdamState): void {
    this.state = { step: state.step, m: { ...state.m }, v: { ...state.v } };
  }
}
