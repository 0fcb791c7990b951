/**
 * Dot products of one query with many rows, in WebAssembly SIMD (f32x4, four accumulators):
 * about four times the scalar JavaScript loop, which converts every float32 to a double.
 *
 * The module is assembled here from its bytes (about 300; no toolchain, no fetch) and compiled
 * synchronously, which browsers allow for modules this small. Its memory is created by the
 * caller and holds, in order: the query (dims floats), the rows (capacity × dims floats), the
 * scores (capacity floats). Rows must be a multiple of 16 floats long (384, 768, 1024, 1536 …);
 * other sizes, or a runtime without SIMD, get `null` and use the JavaScript loop instead.
 *
 *   scan(q, data, n, dims, out): for r in [0, n): out[r] = Σ_j data[r·dims + j] · q[j]
 */

export interface DotKernel {
  /** The query to score against: write it here before `scan`. */
  readonly query: Float32Array;
  /** capacity × dims floats: the rows, one contiguous buffer. */
  readonly data: Float32Array;
  /** `scan(n)` writes row r's dot product to scores[r]. */
  readonly scores: Float32Array;
  scan(n: number): void;
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const ZERO_V128 = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
/** acc_k += load(p + j + 16k) * load(q + j + 16k) — locals: q 0, p 7, j 6, accumulators 9..12. */
const mulAdd = (k: number) => [
  ...get(9 + k),
  ...get(7), ...get(6), 0x6a, 0xfd, 0x00, 0x04, 16 * k, // v128.load align=16 offset=16k
  ...get(0), ...get(6), 0x6a, 0xfd, 0x00, 0x04, 16 * k,
  0xfd, 0xe6, 0x01, // f32x4.mul
  0xfd, 0xe4, 0x01, // f32x4.add
  ...set(9 + k),
];
const F32X4_ADD = [0xfd, 0xe4, 0x01];

/** The module's bytes. Params: 0 q, 1 data, 2 n, 3 dims, 4 out; locals: 5 r, 6 j, 7 p, 8 rowBytes, 9–12 accumulators. */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const code = [
    ...get(3), 0x41, 0x02, 0x74, ...set(8), // rowBytes = dims << 2
    ...get(1), ...set(7), // p = data
    0x02, 0x40, // block $done
    0x03, 0x40, // loop $rows
    ...get(5), ...get(2), 0x4f, 0x0d, 0x01, // if r >= n: break
    ...ZERO_V128, ...set(9), ...ZERO_V128, ...set(10), ...ZERO_V128, ...set(11), ...ZERO_V128, ...set(12),
    0x41, 0x00, ...set(6), // j = 0
    0x03, 0x40, // loop $inner
    ...mulAdd(0), ...mulAdd(1), ...mulAdd(2), ...mulAdd(3),
    ...get(6), 0x41, 0xc0, 0x00, 0x6a, 0x22, 0x06, ...get(8), 0x49, 0x0d, 0x00, // j += 64; if j < rowBytes: continue
    0x0b, // end $inner
    ...get(4), ...get(5), 0x41, 0x02, 0x74, 0x6a, // address out + r·4
    ...get(9), ...get(10), ...F32X4_ADD, ...get(11), ...get(12), ...F32X4_ADD, ...F32X4_ADD, 0x22, 0x09, // acc = (a0 + a1) + (a2 + a3)
    0xfd, 0x1f, 0x00, ...get(9), 0xfd, 0x1f, 0x01, 0x92, ...get(9), 0xfd, 0x1f, 0x02, 0x92, ...get(9), 0xfd, 0x1f, 0x03, 0x92, // lanes summed
    0x38, 0x02, 0x00, // f32.store
    ...get(7), ...get(8), 0x6a, ...set(7), // p += rowBytes
    ...get(5), 0x41, 0x01, 0x6a, ...set(5), // r++
    0x0c, 0x00, // continue $rows
    0x0b, // end $rows
    0x0b, // end $done
    0x0b, // end function
  ];
  const body = [0x02, 0x04, 0x7f, 0x04, 0x7b, ...code]; // locals: 4 × i32, 4 × v128
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type: (i32 ×5) → ()
    ...section(2, [0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01]), // import env.mem, min 1 page
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, 0x04, 0x73, 0x63, 0x61, 0x6e, 0x00, 0x00]), // export "scan"
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = moduleBytes();
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** A kernel with room for `capacity` rows of `dims`, or null where the JavaScript loop must do. */
export function createDotKernel(dims: number, capacity: number): DotKernel | null {
  if (dims % 16 !== 0 || capacity < 0) return null;
  const mod = wasmModule();
  if (!mod) return null;
  const qBytes = dims * 4;
  const dataBytes = capacity * dims * 4;
  const total = qBytes + dataBytes + capacity * 4;
  if (total > 2 ** 31) return null;
  const mem = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(total / 65536)) });
  const instance = new WebAssembly.Instance(mod, { env: { mem } });
  const scan = instance.exports['scan'] as (q: number, data: number, n: number, dims: number, out: number) => void;
  const buf = mem.buffer;
  const outAt = qBytes + dataBytes;
  return {
    query: new Float32Array(buf, 0, dims),
    data: new Float32Array(buf, qBytes, capacity * dims),
    scores: new Float32Array(buf, outAt, capacity),
    scan: (n) => scan(0, qBytes, Math.min(n, capacity), dims, outAt),
  };
}
