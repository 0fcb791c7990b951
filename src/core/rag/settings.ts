import type { ParleyDb } from '../storage/db';
import { SETTINGS } from '../storage/settings-keys';

/**
 * Knowledge settings (keys `rag.*` of the settings table), read with their defaults. Values are
 * checked one by one: a bad value falls back to its default instead of breaking retrieval.
 */

export type RagEngine = 'local' | 'openai' | 'ollama';

/**
 * The in-browser engine's weights: 'auto' = full precision (fp32, onnx/model.onnx) on WebGPU,
 * quantized (q8, onnx/model_quantized.onnx) on WebAssembly, and the other one when that file is
 * missing. Either gives the same model's vectors (no re-index when it changes).
 */
export type RagLocalDtype = 'auto' | 'fp32' | 'q8';

export interface RagSettings {
  engine: RagEngine;
  /** Embedding model; '' = none chosen yet (knowledge then waits, keyword search still works). */
  model: string;
  /** For 'openai' and 'ollama'. */
  connectionId: string;
  /** For 'local': a mirror with the Hugging Face layout; '' = only files already stored. */
  localBaseUrl: string;
  /** For 'local': which weights file to load. */
  localDtype: RagLocalDtype;
  chunkSize: number;
  chunkOverlap: number;
  topK: number;
  hybridWeight: number;
  /** '' = DEFAULT_RAG_TEMPLATE. */
  template: string;
  /** Attached files whose text is at most this many characters go in whole (0 = always retrieve). */
  fullContextChars: number;
}

export const DEFAULT_LOCAL_MODEL = 'Xenova/all-MiniLM-L6-v2';

export const DEFAULT_RAG_SETTINGS: RagSettings = {
  engine: 'local',
  model: DEFAULT_LOCAL_MODEL,
  connectionId: '',
  localBaseUrl: 'https://huggingface.co/',
  localDtype: 'auto',
  chunkSize: 1000,
  chunkOverlap: 100,
  topK: 5,
  hybridWeight: 0.5,
  template: '',
  fullContextChars: 8000,
};

const KEYS: Record<keyof RagSettings, string> = {
  engine: SETTINGS.ragEngine,
  model: SETTINGS.ragModel,
  connectionId: SETTINGS.ragConnectionId,
  localBaseUrl: SETTINGS.ragLocalBaseUrl,
  localDtype: SETTINGS.ragLocalDtype,
  chunkSize: SETTINGS.ragChunkSize,
  chunkOverlap: SETTINGS.ragChunkOverlap,
  topK: SETTINGS.ragTopK,
  hybridWeight: SETTINGS.ragHybridWeight,
  template: SETTINGS.ragTemplate,
  fullContextChars: SETTINGS.ragFullContextChars,
};

const int = (min: number, max: number) => (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

const CHECK: { [K in keyof RagSettings]: (v: unknown) => RagSettings[K] | undefined } = {
  engine: (v) => (v === 'local' || v === 'openai' || v === 'ollama' ? v : undefined),
  model: str,
  connectionId: str,
  localBaseUrl: str,
  localDtype: (v) => (v === 'auto' || v === 'fp32' || v === 'q8' ? v : undefined),
  chunkSize: int(50, 100_000),
  chunkOverlap: int(0, 50_000),
  topK: int(1, 100),
  hybridWeight: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : undefined),
  template: str,
  fullContextChars: int(0, 10_000_000),
};

/** Settings from their stored values (key → value); missing or bad ones take the default. */
export function parseRagSettings(values: ReadonlyMap<string, unknown>): RagSettings {
  const out = { ...DEFAULT_RAG_SETTINGS } as Record<keyof RagSettings, unknown>;
  for (const k of Object.keys(KEYS) as Array<keyof RagSettings>) {
    const v = CHECK[k](values.get(KEYS[k]));
    if (v !== undefined) out[k] = v;
  }
  const s = out as unknown as RagSettings;
  // The overlap must leave room to move forward.
  if (s.chunkOverlap >= s.chunkSize) s.chunkOverlap = Math.floor(s.chunkSize / 2);
  return s;
}

export async function readRagSettings(db: ParleyDb): Promise<RagSettings> {
  const rows = await db.settings.bulkGet(Object.values(KEYS));
  return parseRagSettings(new Map(rows.filter((r) => r !== undefined).map((r) => [r!.key, r!.value])));
}

/** Stores the given settings (checked: a bad value is refused with the key's name). */
export async function writeRagSettings(db: ParleyDb, patch: Partial<RagSettings>): Promise<void> {
  const rows: Array<{ key: string; value: unknown }> = [];
  for (const [k, v] of Object.entries(patch) as Array<[keyof RagSettings, unknown]>) {
    if (!(k in KEYS)) continue;
    if (CHECK[k](v) === undefined) throw new RangeError(`Invalid knowledge setting ${k}: ${JSON.stringify(v)}`);
    rows.push({ key: KEYS[k], value: v });
  }
  await db.settings.bulkPut(rows);
}

/**
 * Whether changing from `a` to `b` changes the embedding model (so stored vectors no longer fit).
 * The in-browser weights (localDtype) do not: fp32 and q8 give the same model's vectors.
 */
export function embedderChanged(a: RagSettings, b: RagSettings): boolean {
  return a.engine !== b.engine || a.model !== b.model || (a.engine !== 'local' && a.connectionId !== b.connectionId);
}
