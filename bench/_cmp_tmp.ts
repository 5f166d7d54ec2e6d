import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend.js';
await initBackend();
const shapes: [number, number, number][] = [[4, 128, 128], [8, 128, 64], [16, 64, 32], [32, 64, 4]];
function time(f: () => tf.Tensor): number {
  for (let i = 0; i < 5; i++) tf.tidy(() => f().dataSync());
  const t: number[] = [];
  for (let i = 0; i < 40; i++) { const s = performance.now(); tf.tidy(() => f().dataSync()); t.push(performance.now() - s); }
  return t.sort((a, b) => a - b)[20]!;
}
for (const [h, inC, out] of shapes) {
  const x = tf.randomUniform([1, h, h, inC], -1, 1) as tf.Tensor4D;
  const wt = tf.randomUniform([4, 4, out, inC], -0.05, 0.05) as tf.Tensor4D;
  const w3 = tf.randomUniform([3, 3, inC, 4 * out], -0.05, 0.05) as tf.Tensor4D;
  const b = tf.randomUniform([out]) as tf.Tensor1D, b4 = tf.randomUniform([4 * out]) as tf.Tensor1D;
  const a = time(() => tf.relu(tf.add(tf.conv2dTranspose(x, wt, [1, 2 * h, 2 * h, out], 2, 'same'), b)));
  const a0 = time(() => tf.conv2dTranspose(x, wt, [1, 2 * h, 2 * h, out], 2, 'same'));
  const c = time(() => tf.fused.conv2d({ x, filter: w3, strides: 1, pad: 'same', bias: b4, activation: 'relu' }));
  const d = time(() => tf.depthToSpace(tf.fused.conv2d({ x, filter: w3, strides: 1, pad: 'same', bias: b4, activation: 'relu' }), 2));
  const e = time(() => { const y = tf.fused.conv2d({ x, filter: w3, strides: 1, pad: 'same', bias: b4, activation: 'relu' }); return tf.reshape(tf.transpose(tf.reshape(y, [h, h, 2, 2 * out]), [0, 2, 1, 3]), [1, 2 * h, 2 * h, out]); });
  console.log(`${h}x${h}x${inC}->${out}: deconv ${a0.toFixed(2)} +bias+relu ${a.toFixed(2)} | 3x3 ${c.toFixed(2)} +d2s ${d.toFixed(2)} +transpose ${e.toFixed(2)}`);
}
