/**
 * Worker-thread side of the data-parallel engine: starts its own TF.js backend (the WASM backend is one
 * single-threaded instance per thread, so one worker = one core), loads one replica and answers requests.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend.js';
import { LocalReplicaHost, loadReplica, type ReplicaSpec } from './replicaHost.js';
import type { NamedArrays } from './replica.js';
import type { WorkerRequest, WorkerReply } from './workerProtocol.js';

const port = parentPort;
if (port === null) throw new Error('parallelWorker must run in a worker thread');

const spec = workerData as ReplicaSpec;

/** Buffers of gradients/weights we send: transferred, not copied (we never touch them again). */
function transferList(arrays: NamedArrays): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const values of Object.values(arrays)) {
    if (values.buffer instanceof ArrayBuffer && values.byteLength === values.buffer.byteLength)
      buffers.add(values.buffer);
  }
  return [...buffers];
}

const ready = (async () => {
  const backend = await initBackend({ backend: spec.backend ?? 'auto' });
  return { host: new LocalReplicaHost(await loadReplica(spec)), backend };
})();

port.on('message', async (request: WorkerRequest) => {
  const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  try {
    const { host, backend } = await ready;
    switch (request.type) {
      case 'init':
        return reply({ id: request.id, ok: true, phases: [...host.phases], backend });
      case 'computeGradients': {
        const result = await host.computeGradients(request.phase, request.shard, request.shardSize);
        return reply({ id: request.id, ok: true, result }, transferList(result.gradients));
      }
      case 'applyGradients':
        await host.applyGradients(request.phase, request.gradients);
        return reply({ id: request.id, ok: true });
      case 'getWeights': {
        const weights = await host.getWeights(request.names);
        return reply({ id: request.id, ok: true, weights }, transferList(weights));
      }
      case 'setWeights':
        await host.setWeights(request.weights);
        return reply({ id: request.id, ok: true });
      case 'getOptimizerState': {
        const weights = await host.getOptimizerState();
        return reply({ id: request.id, ok: true, weights }, transferList(weights));
      }
      case 'setOptimizerState':
        await host.setOptimizerState(request.state);
        return reply({ id: request.id, ok: true });
      case 'dispose':
        await host.dispose();
        reply({ id: request.id, ok: true });
        return port.close();
    }
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    reply({ id: request.id, ok: false, error: message });
  }
});
