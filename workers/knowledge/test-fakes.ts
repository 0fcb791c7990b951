import { appError } from '../../src/core/errors';
import { tokenize } from '../../src/core/rag/tokenize';
import type { EmbedApi, EmbedConfig, EmbedderInfo } from '../embed-api';

/**
 * A stand-in for the embed service: words hashed into 64 dimensions (so texts sharing words are
 * close), one model loaded at a time like the real one, ids shaped like the real ones. A model
 * named "broken" fails to load; `gate` (when set) holds every embed call until it resolves.
 */
export class FakeEmbedService implements EmbedApi {
  loads: string[] = [];
  embedCalls = 0;
  loaded: EmbedderInfo | undefined;
  gate: Promise<void> | undefined;
  constructor(readonly dims = 64) {}

  async load(config: EmbedConfig): Promise<EmbedderInfo> {
    const model = config.engine === 'local' ? config.modelId : config.model;
    this.loads.push(model);
    if (model === 'broken') throw appError('network', 'The model files could not be downloaded.');
    const id = config.engine === 'local' ? `local:${model}` : `${config.engine}:${config.connection.id}:${model}`;
    this.loaded = { id, maxBatch: 4, dims: this.dims };
    return this.loaded;
  }

  async embed(id: string, texts: string[]): Promise<Float32Array[]> {
    if (this.loaded?.id !== id) throw appError('internal', `not loaded: ${id}`);
    this.embedCalls++;
    await this.gate;
    // The model's name seeds the hash: two models give unrelated vectors of the same size.
    const seed = [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    return texts.map((t) => {
      const v = new Float32Array(this.dims);
      for (const w of tokenize(t)) {
        let h = seed;
        for (const c of w) h = (h * 33 + c.charCodeAt(0)) >>> 0;
        v[h % this.dims]! += 1;
      }
      const n = Math.hypot(...v) || 1;
      return v.map((x) => x / n);
    });
  }

  /** Request ids cancelled (the call itself still runs to its end here, as an in-browser batch does). */
  cancelled: number[] = [];
  async cancel(requestId: number) {
    this.cancelled.push(requestId);
  }

  async importModel(modelId: string) {
    return { modelId, files: [], bytes: 0 };
  }
  async storedModels() {
    return [];
  }
  async deleteModel() {}
  async unload() {
    this.loaded = undefined;
  }
}
