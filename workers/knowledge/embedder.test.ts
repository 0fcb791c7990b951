import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RAG_SETTINGS, embedderChanged, parseRagSettings, readRagSettings, writeRagSettings } from '../../src/core/rag/settings';
import { SETTINGS } from '../../src/core/storage/settings-keys';
import { openDb, type ParleyDb } from '../../src/core/storage/db';
import { embedConfig, embedderIdOf } from './embedder';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-embedder-config-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

describe('in-browser model weights setting', () => {
  it('defaults to automatic; fp32 and q8 are kept, anything else falls back', async () => {
    expect(DEFAULT_RAG_SETTINGS.localDtype).toBe('auto');
    expect(parseRagSettings(new Map([[SETTINGS.ragLocalDtype, 'q8']])).localDtype).toBe('q8');
    expect(parseRagSettings(new Map([[SETTINGS.ragLocalDtype, 'int4']])).localDtype).toBe('auto');
    await writeRagSettings(db, { localDtype: 'fp32' });
    expect((await readRagSettings(db)).localDtype).toBe('fp32');
    await expect(writeRagSettings(db, { localDtype: 'bf16' as never })).rejects.toThrow(/localDtype/);
  });

  it('goes to the engine as its dtype (automatic: none, the engine chooses by device)', async () => {
    const local = { ...DEFAULT_RAG_SETTINGS, model: 'm', localBaseUrl: '' };
    expect(await embedConfig(db, local, '')).toEqual({ engine: 'local', modelId: 'm' });
    expect(await embedConfig(db, { ...local, localDtype: 'fp32' }, '')).toEqual({ engine: 'local', modelId: 'm', dtype: 'fp32' });
    expect(await embedConfig(db, { ...local, localDtype: 'q8', localBaseUrl: 'https://hf.test/' }, '')).toEqual({ engine: 'local', modelId: 'm', baseUrl: 'https://hf.test/', dtype: 'q8' });
  });

  it('changing the weights is not another model: same id, no re-index', () => {
    const a = { ...DEFAULT_RAG_SETTINGS, localDtype: 'fp32' as const };
    const b = { ...DEFAULT_RAG_SETTINGS, localDtype: 'q8' as const };
    expect(embedderChanged(a, b)).toBe(false);
    expect(embedderIdOf(a)).toBe(embedderIdOf(b));
    expect(embedderIdOf(a)).toBe(`local:${DEFAULT_RAG_SETTINGS.model}`);
  });
});
