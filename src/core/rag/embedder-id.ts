/**
 * Embedder ids (Embedder.id) and when two of them name the same model.
 *
 * An id names the engine and the model: `openai:<connectionId>:<model>`,
 * `ollama:<connectionId>:<model>`, `local:<model>`. Vectors of different models never share an
 * index; every "same model?" check goes through `sameEmbedder`.
 *
 * The in-browser engine's ids do not name the weights' precision. fp32 weights (WebGPU's default)
 * and q8 ones (WASM's default: the same network with its weights quantized to 8 bits) give
 * vectors in the same space: same dimensions, nearly the same directions (quantization error
 * only), so cosine similarity between them ranks the same passages. A base indexed on a machine
 * with WebGPU must stay searchable by meaning on one without it, and changing the weights setting
 * must not ask for a re-index.
 *
 * Ids stored by earlier versions did carry it: `local:<model>:fp32` or `local:<model>:q8`. They
 * stay as stored (a base's vectors are keyed by its id, see store.ts): comparisons ignore the
 * suffix, and a base keeps writing and reading under the id it was first indexed with
 * (`storageId`).
 */

/** Weight types transformers.js names in its dtype option (the suffix of older local ids). */
export const LOCAL_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const;

const LEGACY_SUFFIX = new RegExp(`^(local:.+):(?:${LOCAL_DTYPES.join('|')})$`);

/** The model an id names: `local:<model>:<dtype>` (stored by earlier versions) → `local:<model>`; other ids as they are. */
export function embedderModel(id: string): string {
  return LEGACY_SUFFIX.exec(id)?.[1] ?? id;
}

/** Whether two ids name the same model (so their vectors may be compared and share an index); false when either is missing. */
export function sameEmbedder(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && embedderModel(a) === embedderModel(b);
}

/**
 * The id to store new vectors under, for a base (or document) already holding `stored`: that id
 * when it names the same model as `current` (one key range per base, also for an older id),
 * else `current`.
 */
export function storageId(stored: string | null | undefined, current: string): string {
  return stored && sameEmbedder(stored, current) ? stored : current;
}
