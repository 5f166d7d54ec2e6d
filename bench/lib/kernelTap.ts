/**
 * Watches the kernel calls of one backend, for profiles, benchmarks and tests (tf.profile aborts the WASM backend on
 * a training step's graph). Each kernel is wrapped so that `observe` hears of every call with its time and whether
 * another watched kernel made it: the engine's conv gradients call XNNPACK convs, which a count of "what the step
 * ran" must not see twice. The returned function puts the kernels back as they were.
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelCall {
  name: string;
  inputs: tf.NamedTensorInfoMap;
  attrs: tf.NamedAttrMap;
  output: tf.TensorInfo;
  ms: number;
  /** Called from inside another watched kernel. */
  nested: boolean;
}

/** Wraps the kernels of `backend` (all of them, or those named) until the returned function is called. */
export function tapKernels(
  backend: string,
  observe: (call: KernelCall) => void,
  names?: readonly string[],
): () => void {
  const originals = tf
    .getKernelsForBackend(backend)
    .filter((config) => names === undefined || names.includes(config.kernelName));
  let depth = 0;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const start = performance.now();
        depth++;
        let output;
        try {
          output = config.kernelFunc(args);
        } finally {
          depth--;
        }
        observe({
          name: config.kernelName,
          inputs: args.inputs,
          attrs: args.attrs ?? {},
          output: output as tf.TensorInfo,
          ms: performance.now() - start,
          nested: depth > 0,
        });
        return output;
      },
    });
  }
  return () => {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backend);
      tf.registerKernel(config);
    }
  };
}
