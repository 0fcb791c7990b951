/**
 * A hand-written protobuf encoder for the few ONNX messages a tiny model needs (field numbers
 * from onnx/onnx.proto3): ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto,
 * TypeProto, TensorShapeProto, OperatorSetIdProto. Enough to write a real model file that
 * onnxruntime loads, with no protobuf library.
 */

/** ONNX TensorProto.DataType values used here. */
export const FLOAT = 1;
export const INT64 = 7;

/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dim = number | string;

export interface TensorInit {
  name: string;
  dataType: typeof FLOAT | typeof INT64;
  dims: number[];
  /** Little-endian raw bytes (float32 or int64), as TensorProto.raw_data. */
  raw: Uint8Array;
}

export interface ValueInfo {
  name: string;
  elemType: typeof FLOAT | typeof INT64;
  shape: Dim[];
}

export interface NodeInit {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** Integer attributes only (e.g. Gather's `axis`). */
  intAttrs?: Record<string, number>;
}

export interface ModelInit {
  graphName: string;
  nodes: NodeInit[];
  initializers: TensorInit[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** Default opset 13 of the default domain; IR version 8. */
  opset?: number;
  irVersion?: number;
  producer?: string;
}

/** Bytes being built: varints, tags and length-delimited fields. */
export class Writer {
  private parts: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.parts.push(byte);
    } while (v !== 0n);
    return this;
  }

  /** Wire type 0 (varint) field. */
  int(field: number, value: number | bigint): this {
    return this.varint((field << 3) | 0).varint(value);
  }

  /** Wire type 2 (length-delimited) field. */
  bytes(field: number, data: Uint8Array): this {
    this.varint((field << 3) | 2).varint(data.length);
    for (const b of data) this.parts.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

function tensor(w: Writer, t: TensorInit): void {
  for (const d of t.dims) w.int(1, d); // dims (repeated int64, unpacked is valid proto3 input)
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function valueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, v.elemType);
      tensorType.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

function node(w: Writer, n: NodeInit): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, i] of Object.entries(n.intAttrs ?? {})) {
    // AttributeProto: name = 1, i = 3, type = 20 (INT = 2).
    w.message(5, (a) => a.string(1, name).int(3, i).int(20, 2));
  }
}

/** A ModelProto's bytes. */
export function encodeModel(m: ModelInit): Uint8Array {
  const w = new Writer();
  w.int(1, m.irVersion ?? 8);
  w.string(2, m.producer ?? 'parley-tiny-embedder');
  w.message(7, (g) => {
    for (const n of m.nodes) g.message(1, (x) => node(x, n));
    g.string(2, m.graphName);
    for (const t of m.initializers) g.message(5, (x) => tensor(x, t));
    for (const v of m.inputs) g.message(11, (x) => valueInfo(x, v));
    for (const v of m.outputs) g.message(12, (x) => valueInfo(x, v));
  });
  w.message(8, (o) => o.string(1, '').int(2, m.opset ?? 13));
  return w.finish();
}

/** float32 values as little-endian bytes. */
export function float32Bytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return out;
}
