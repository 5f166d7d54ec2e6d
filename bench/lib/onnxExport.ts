// Exports a Mimic generator (tf.layers, built by src/model/networks.ts) to an ONNX model, so that the benchmark can
// run the very same graph and weights on ONNX Runtime for Node and compare it with TF.js. Bench only: nothing in
// src/ needs ONNX. Covers the layers the default generator is made of (Conv2D, Conv2DTranspose, BatchNormalization,
// ReLU, Dense, Flatten, Reshape, Concatenate; tanh output); anything else throws, rather than export a wrong graph.
//
// TF.js works channels-last (NHWC), ONNX's Conv channels-first (NCHW): the image is transposed once on the way in
// and once on the way out, and around Flatten/Reshape so that the dense layers see TF.js's element order. The
// ONNX protobuf is written by hand (a few message types of onnx.proto; field numbers from the ONNX specification).
import type * as tf from '@tensorflow/tfjs';

// ---- protobuf wire format -------------------------------------------------------------------------------------

class Proto {
  private readonly parts: Uint8Array[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.parts.push(Uint8Array.from(bytes));
  }

  int(field: number, value: number | bigint): this {
    this.varint(field << 3);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.varint((field << 3) | 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    this.parts.push(data);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  message(field: number, inner: Proto): this {
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

// onnx.proto enums
const FLOAT = 1;
const INT64 = 7;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

type Attr = number | number[] | { float: number };

function tensorProto(name: string, dims: number[], data: Float32Array | BigInt64Array): Proto {
  const t = new Proto();
  for (const d of dims) t.int(1, d);
  t.int(2, data instanceof Float32Array ? FLOAT : INT64);
  t.string(8, name);
  return t.bytes(9, new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
}

function valueInfo(name: string, dims: (number | string)[]): Proto {
  const shape = new Proto();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new Proto().int(1, d) : new Proto().string(2, d));
  const tensorType = new Proto().int(1, FLOAT).message(2, shape);
  return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
}

// ---- graph building -------------------------------------------------------------------------------------------

class Graph {
  readonly nodes: Proto[] = [];
  readonly initializers: Proto[] = [];
  private counter = 0;

  fresh(base: string): string {
    return `${base}__${this.counter++}`;
  }

  node(op: string, inputs: string[], output: string, attrs: Record<string, Attr> = {}): string {
    const n = new Proto();
    for (const i of inputs) n.string(1, i);
    n.string(2, output).string(3, output).string(4, op);
    for (const [name, value] of Object.entries(attrs)) {
      const a = new Proto().string(1, name);
      if (Array.isArray(value)) {
        for (const v of value) a.int(8, v);
        a.int(20, ATTR_INTS);
      } else if (typeof value === 'number') a.int(3, value).int(20, ATTR_INT);
      else a.float(2, value.float).int(20, ATTR_FLOAT);
      n.message(5, a);
    }
    this.nodes.push(n);
    return output;
  }

  weight(name: string, dims: number[], data: Float32Array | BigInt64Array): string {
    this.initializers.push(tensorProto(name, dims, data));
    return name;
  }
}

/** [kh, kw, a, b] → [b, a, kh, kw] (TF conv kernels to ONNX Conv weights; also TF transposed-conv kernels). */
function kernelToOnnx(kernel: tf.Tensor): { dims: number[]; data: Float32Array } {
  const [kh, kw, a, b] = kernel.shape as [number, number, number, number];
  const src = kernel.dataSync() as Float32Array;
  const out = new Float32Array(src.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < a; i++)
        for (let j = 0; j < b; j++)
          out[((j * a + i) * kh + y) * kw + x] = src[((y * kw + x) * a + i) * b + j]!;
  return { dims: [b, a, kh, kw], data: out };
}

/** TF "same" padding for a stride-s convolution of size `size` with kernel k: [before, after]. */
function samePads(size: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

interface LayerConfig {
  kernelSize?: number[];
  strides?: number[];
  padding?: string;
  activation?: string;
  epsilon?: number;
  axis?: number;
  targetShape?: number[];
  useBias?: boolean;
  center?: boolean;
  scale?: boolean;
}

/** The ONNX bytes of `model`; its inputs keep TF.js's names and NHWC layout, batch size free. */
export function exportToOnnx(model: tf.LayersModel): Uint8Array {
  const g = new Graph();
  // name of the ONNX value holding each layer's output, and whether it is an NCHW image (rank 4) or a [N, C] matrix
  const value = new Map<string, { name: string; rank: number }>();
  const inputs: Proto[] = [];
  for (const [k, input] of model.inputs.entries()) {
    const layerName = model.inputLayers[k]!.name;
    const dims = input.shape.slice(1) as number[];
    inputs.push(valueInfo(layerName, ['N', ...dims]));
    if (dims.length === 3)
      value.set(layerName, {
        name: g.node('Transpose', [layerName], `${layerName}_nchw`, { perm: [0, 3, 1, 2] }),
        rank: 4,
      });
    else value.set(layerName, { name: layerName, rank: 2 });
  }

  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    const config = layer.getConfig() as LayerConfig;
    const sources = layer.inboundNodes[0]!.inboundLayers.map((l) => value.get(l.name)!);
    const x = sources[0]!;
    const weights = layer.getWeights();
    const name = layer.name;
    let out: { name: string; rank: number };
    switch (className) {
      case 'Conv2D':
      case 'Conv2DTranspose': {
        const k = config.kernelSize!;
        const s = config.strides!;
        // one input: inputShapes is that input's shape (an array of numbers), not a list of shapes
        const shapes = layer.inboundNodes[0]!.inputShapes as unknown[];
        const inShape = (Array.isArray(shapes[0]) ? shapes[0] : shapes) as number[];
        const kernel = kernelToOnnx(weights[0]!);
        const w = g.weight(`${name}_W`, kernel.dims, kernel.data);
        const ins = [x.name, w];
        if (weights[1] !== undefined)
          ins.push(g.weight(`${name}_B`, weights[1].shape, weights[1].dataSync() as Float32Array));
        let pads: number[] = [0, 0, 0, 0];
        if (config.padding === 'same') {
          if (className === 'Conv2D') {
            const [t, b] = samePads(inShape[1] as number, k[0]!, s[0]!);
            const [l, r] = samePads(inShape[2] as number, k[1]!, s[1]!);
            pads = [t, l, b, r];
          } else {
            // the adjoint of a "same" convolution from size·s to size: the same pads
            const [t, b] = samePads((inShape[1] as number) * s[0]!, k[0]!, s[0]!);
            const [l, r] = samePads((inShape[2] as number) * s[1]!, k[1]!, s[1]!);
            pads = [t, l, b, r];
          }
        }
        let y = g.node(className === 'Conv2D' ? 'Conv' : 'ConvTranspose', ins, g.fresh(name), {
          kernel_shape: k,
          strides: s,
          pads,
        });
        if (config.activation === 'tanh') y = g.node('Tanh', [y], g.fresh(name));
        else if (config.activation === 'relu') y = g.node('Relu', [y], g.fresh(name));
        else if (config.activation !== 'linear' && config.activation !== undefined)
          throw new Error(`onnx export: activation ${config.activation} of ${name}`);
        out = { name: y, rank: 4 };
        break;
      }
      case 'BatchNormalization': {
        if (config.center === false || config.scale === false)
          throw new Error(`onnx export: ${name} without centre/scale`);
        const [gamma, beta, mean, variance] = weights.map((t, k) =>
          g.weight(
            `${name}_${['gamma', 'beta', 'mean', 'variance'][k]}`,
            t.shape,
            t.dataSync() as Float32Array,
          ),
        );
        out = {
          name: g.node('BatchNormalization', [x.name, gamma!, beta!, mean!, variance!], g.fresh(name), {
            epsilon: { float: config.epsilon ?? 1e-3 },
          }),
          rank: x.rank,
        };
        break;
      }
      case 'ReLU':
        out = { name: g.node('Relu', [x.name], g.fresh(name)), rank: x.rank };
        break;
      case 'Dense': {
        const ins = [
          x.name,
          g.weight(`${name}_W`, weights[0]!.shape, weights[0]!.dataSync() as Float32Array),
        ];
        if (weights[1] !== undefined)
          ins.push(g.weight(`${name}_B`, weights[1].shape, weights[1].dataSync() as Float32Array));
        let y = g.node('Gemm', ins, g.fresh(name));
        if (config.activation === 'relu') y = g.node('Relu', [y], g.fresh(name));
        else if (config.activation !== 'linear' && config.activation !== undefined)
          throw new Error(`onnx export: activation ${config.activation} of ${name}`);
        out = { name: y, rank: 2 };
        break;
      }
      case 'Flatten': {
        const nhwc = g.node('Transpose', [x.name], g.fresh(name), { perm: [0, 2, 3, 1] });
        out = { name: g.node('Flatten', [nhwc], g.fresh(name), { axis: 1 }), rank: 2 };
        break;
      }
      case 'Reshape': {
        const shape = g.weight(
          `${name}_shape`,
          [4],
          BigInt64Array.from([-1n, ...config.targetShape!.map(BigInt)]),
        );
        const nhwc = g.node('Reshape', [x.name, shape], g.fresh(name));
        out = { name: g.node('Transpose', [nhwc], g.fresh(name), { perm: [0, 3, 1, 2] }), rank: 4 };
        break;
      }
      case 'Concatenate': {
        // TF.js concatenates on the last axis: channels (axis 1 in NCHW) or features (axis 1 of [N, C])
        if (config.axis !== -1 && config.axis !== undefined)
          throw new Error(`onnx export: ${name} on axis ${config.axis}`);
        out = {
          name: g.node(
            'Concat',
            sources.map((s) => s.name),
            g.fresh(name),
            { axis: 1 },
          ),
          rank: x.rank,
        };
        break;
      }
      default:
        throw new Error(`onnx export: layer ${name} of class ${className} is not supported`);
    }
    value.set(name, out);
  }

  const last = value.get(model.outputLayers[0]!.name)!;
  const output =
    last.rank === 4
      ? g.node('Transpose', [last.name], 'output', { perm: [0, 2, 3, 1] })
      : g.node('Identity', [last.name], 'output');
  const graph = new Proto();
  for (const n of g.nodes) graph.message(1, n);
  graph.string(2, model.name);
  for (const t of g.initializers) graph.message(5, t);
  for (const i of inputs) graph.message(11, i);
  graph.message(12, valueInfo(output, ['N', ...(model.outputs[0]!.shape.slice(1) as number[])]));
  return new Proto()
    .int(1, 8) // ir_version
    .string(2, 'mimic bench/lib/onnxExport.ts')
    .message(7, graph)
    .message(8, new Proto().string(1, '').int(2, 13)) // opset 13
    .finish();
}
