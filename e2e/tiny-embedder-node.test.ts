import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIMS, referenceEmbedding, TINY_MODEL_ID } from './tiny-embedder/model';
import { writeTinyEmbedder } from './tiny-embedder/write';

/**
 * The tiny model through the real transformers.js in node (onnxruntime-node): the files load,
 * the tokenizer splits as the reference does, and mean pooling + normalize gives the reference
 * vectors. The browser run (WASM, WebGPU) is e2e/embedder.spec.ts.
 */
const root = mkdtempSync(join(tmpdir(), 'parley-tiny-embedder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('tiny embedder in transformers.js (node)', () => {
  it('gives the normalized mean of the table rows, for every text of a padded batch', async () => {
    await writeTinyEmbedder(root);
    const { pipeline, env } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${root}/`;
    const extract = await pipeline('feature-extraction', TINY_MODEL_ID, { dtype: 'fp32' });
    const texts = ['The cat chased the DOG.', 'Which planet does the rocket orbit? zebra', '', 'bread'];
    const out = await extract(texts, { pooling: 'mean', normalize: true });
    expect(out.dims).toEqual([texts.length, DIMS]);
    const data = out.data as Float32Array;
    texts.forEach((t, i) => {
      const ref = referenceEmbedding(t);
      for (let d = 0; d < DIMS; d++) expect(data[i * DIMS + d], `${t} [${d}]`).toBeCloseTo(ref[d]!, 6);
    });
    await extract.dispose();
  });
});
