/** A replica in a worker thread, driven by request/reply messages (see parallelWorker.ts). */
import { Worker } from 'node:worker_threads';
import type { BatchShard, NamedArrays, PhaseResult } from './replica.js';
import type { ReplicaHost, ReplicaSpec } from './replicaHost.js';
import type { RequestBody, WorkerReply } from './workerProtocol.js';

function fromSources(): boolean {
  return import.meta.url.endsWith('.ts');
}

/**
 * Starts parallelWorker next to this file: the compiled .js in dist/, or the .ts source under tsx. Node 20 does
 * not apply the parent's `--import tsx` loader hooks inside worker threads, so from sources the worker is a
 * two-line bootstrap that registers tsx's loader itself and then imports the TypeScript entry.
 */
function spawnWorker(spec: ReplicaSpec): Worker {
  if (!fromSources())
    return new Worker(new URL('./parallelWorker.js', import.meta.url), { workerData: spec });
  const entry = new URL('./parallelWorker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((error) => { setImmediate(() => { throw error; }); });`;
  return new Worker(bootstrap, { eval: true, workerData: spec });
}

export class WorkerReplicaHost implements ReplicaHost {
  private readonly worker: Worker;
  private readonly pending = new Map<
    number,
    { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | undefined;
  phases: readonly string[] = [];
  backend = '';

  private constructor(spec: ReplicaSpec) {
    this.worker = spawnWorker(spec);
    this.worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (waiter === undefined) return;
      if (reply.ok) waiter.resolve(reply);
      else waiter.reject(new Error(`replica worker: ${reply.error}`));
    });
    const failAll = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) => failAll(new Error(`replica worker exited (code ${code})`)));
  }

  static async start(spec: ReplicaSpec): Promise<WorkerReplicaHost> {
    const host = new WorkerReplicaHost(spec);
    const reply = await host.request({ type: 'init' }).catch(async (error: unknown) => {
      await host.worker.terminate();
      throw error;
    });
    if (reply.ok) {
      host.phases = reply.phases ?? [];
      host.backend = reply.backend ?? '';
    }
    return host;
  }

  private request(body: RequestBody, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  async computeGradients(phase: string, shard: BatchShard, shardSize: number): Promise<PhaseResult> {
    const reply = await this.request({ type: 'computeGradients', phase, shard, shardSize });
    return (reply as { result: PhaseResult }).result;
  }

  async applyGradients(phase: string, gradients: NamedArrays): Promise<void> {
    await this.request({ type: 'applyGradients', phase, gradients });
  }

  async getWeights(names?: readonly string[]): Promise<NamedArrays> {
    const reply = await this.request({ type: 'getWeights', names });
    return (reply as { weights: NamedArrays }).weights;
  }

  async setWeights(weights: NamedArrays): Promise<void> {
    await this.request({ type: 'setWeights', weights });
  }

  async getOptimizerState(): Promise<NamedArrays> {
    const reply = await this.request({ type: 'getOptimizerState' });
    return (reply as { weights: NamedArrays }).weights;
  }

  async setOptimizerState(state: NamedArrays): Promise<void> {
    await this.request({ type: 'setOptimizerState', state });
  }

  async dispose(): Promise<void> {
    if (this.failure === undefined) await this.request({ type: 'dispose' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
