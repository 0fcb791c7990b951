import { describe, expect, it } from 'vitest';
import { encodeModel, float32Bytes, FLOAT, INT64, Writer } from './tiny-embedder/onnx';
import {
  cosine,
  DIMS,
  embeddingTable,
  onnxModel,
  preTokenize,
  referenceEmbedding,
  tinyEmbedderFiles,
  tokenIds,
  tokenizerJson,
  vocabulary,
} from './tiny-embedder/model';

/** A minimal protobuf reader, independent of the writer: field number → list of raw values. */
type Field = bigint | Uint8Array;
function read(bytes: Uint8Array): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    const wire = tag & 7;
    let value: Field;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const len = Number(varint());
      value = bytes.subarray(pos, pos + len);
      pos += len;
    } else throw new Error(`unexpected wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}
const text = (f: Field | undefined) => new TextDecoder().decode(f as Uint8Array);
const sub = (m: Map<number, Field[]>, field: number, i = 0) => read(m.get(field)![i] as Uint8Array);

describe('protobuf writer', () => {
  it('writes varints as protobuf does (1, 150, 300, -1 as 10 bytes)', () => {
    expect(Array.from(new Writer().varint(1).finish())).toEqual([1]);
    expect(Array.from(new Writer().varint(150).finish())).toEqual([0x96, 0x01]);
    expect(Array.from(new Writer().varint(300).finish())).toEqual([0xac, 0x02]);
    expect(Array.from(new Writer().varint(-1).finish())).toEqual([255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
  });

  it('tags fields with number and wire type, and length-prefixes strings', () => {
    // The protobuf docs' example: field 1 = 150 → 08 96 01; field 2 = "testing" → 12 07 74 65 73 74 69 6e 67.
    expect(Array.from(new Writer().int(1, 150).finish())).toEqual([0x08, 0x96, 0x01]);
    expect(Array.from(new Writer().string(2, 'testing').finish())).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  });

  it('float32Bytes is little-endian IEEE 754', () => {
    expect(Array.from(float32Bytes([1, -2]))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('a ModelProto reads back with its graph, node, initializer, inputs, outputs and opset', () => {
    const bytes = encodeModel({
      graphName: 'g',
      nodes: [{ opType: 'Gather', inputs: ['w', 'ids'], outputs: ['y'], intAttrs: { axis: 0 } }],
      initializers: [{ name: 'w', dataType: FLOAT, dims: [3, 2], raw: float32Bytes([1, 2, 3, 4, 5, 6]) }],
      inputs: [{ name: 'ids', elemType: INT64, shape: ['batch', 4] }],
      outputs: [{ name: 'y', elemType: FLOAT, shape: ['batch', 4, 2] }],
    });
    const model = read(bytes);
    expect(model.get(1)).toEqual([8n]); // ir_version
    expect(sub(model, 8).get(2)).toEqual([13n]); // opset_import.version
    const graph = sub(model, 7);
    expect(text(graph.get(2)![0])).toBe('g');
    const node = sub(graph, 1);
    expect(node.get(1)!.map(text)).toEqual(['w', 'ids']);
    expect(text(node.get(4)![0])).toBe('Gather');
    const attr = sub(node, 5);
    expect([text(attr.get(1)![0]), attr.get(3)![0], attr.get(20)![0]]).toEqual(['axis', 0n, 2n]);
    const init = sub(graph, 5);
    expect(init.get(1)).toEqual([3n, 2n]);
    expect(init.get(2)).toEqual([1n]);
    expect(new Float32Array((init.get(9)![0] as Uint8Array).slice().buffer)).toEqual(new Float32Array([1, 2, 3, 4, 5, 6]));
    const input = sub(graph, 11);
    expect(text(input.get(1)![0])).toBe('ids');
    const tensorType = sub(sub(input, 2), 1);
    expect(tensorType.get(1)).toEqual([7n]);
    const dims = read(tensorType.get(2)![0] as Uint8Array).get(1)!.map((d) => read(d as Uint8Array));
    expect(text(dims[0]!.get(2)![0])).toBe('batch');
    expect(dims[1]!.get(1)).toEqual([4n]);
    expect(text(sub(graph, 12).get(1)![0])).toBe('y');
  });
});

describe('tiny embedder', () => {
  const vocab = vocabulary();
  const table = embeddingTable(vocab);

  it('has unique ids 0…n-1 with the specials first, and a float32 table of n × DIMS', () => {
    expect([...vocab.values()]).toEqual([...Array(vocab.size).keys()]);
    expect(vocab.get('[PAD]')).toBe(0);
    expect(table).toHaveLength(vocab.size * DIMS);
    expect(Array.from(table.subarray(0, DIMS)).every((x) => x === 0)).toBe(true);
  });

  it('tokenizes like a lowercase whitespace WordPiece: [CLS] words [SEP], unknown words as [UNK]', () => {
    expect(preTokenize('Where is the Rocket? zebra')).toEqual(['where', 'is', 'the', 'rocket', '?', 'zebra']);
    const ids = tokenIds('Rocket zebra', vocab);
    expect(ids).toEqual([vocab.get('[CLS]'), vocab.get('rocket'), vocab.get('[UNK]'), vocab.get('[SEP]')]);
  });

  it('related words are close and unrelated ones far, so retrieval tests mean something', () => {
    const e = (t: string) => referenceEmbedding(t, vocab, table);
    expect(cosine(e('cat'), e('kitten'))).toBeGreaterThan(0.8);
    expect(cosine(e('rocket'), e('planet'))).toBeGreaterThan(0.8);
    expect(cosine(e('cat'), e('rocket'))).toBeLessThan(0.35);
    const question = e('Which planet does the rocket orbit?');
    const passages = ['The dog and the kitten are pets.', 'An astronaut saw Mars through a telescope.', 'Bake the bread in a hot oven.'];
    const best = passages.map((p) => cosine(question, e(p)));
    expect(best.indexOf(Math.max(...best))).toBe(1);
  });

  it('reference embeddings are unit length', () => {
    expect(Math.hypot(...referenceEmbedding('the cat and the dog', vocab, table))).toBeCloseTo(1, 6);
  });

  it('the tokenizer.json vocabulary and the ONNX table agree in size', () => {
    const tok = tokenizerJson(vocab) as { model: { vocab: Record<string, number> } };
    expect(Object.keys(tok.model.vocab)).toHaveLength(vocab.size);
    const graph = sub(read(onnxModel(vocab, table)), 7);
    expect(sub(graph, 5).get(1)).toEqual([BigInt(vocab.size), BigInt(DIMS)]);
  });

  it('has the files of a Hugging Face model folder', () => {
    expect([...tinyEmbedderFiles().keys()].sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
  });
});
