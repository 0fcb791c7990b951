import { describe, expect, it } from 'vitest';
import { DEFAULT_RAG_SETTINGS } from '../../core/rag/settings';
import { readForm, toForm } from './rag-settings-form';

const form = toForm(DEFAULT_RAG_SETTINGS);

describe('readForm', () => {
  it('gives back the defaults unchanged', () => {
    expect(readForm(form, [])).toEqual({ ok: true, settings: DEFAULT_RAG_SETTINGS });
  });
  it('names each bad field', () => {
    const r = readForm({ ...form, model: ' ', chunkSize: '20', chunkOverlap: 'x', topK: '0', hybridWeight: '1.5', fullContextChars: '-1', localBaseUrl: 'ftp://x', template: 'no placeholder' }, []);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['chunkOverlap', 'chunkSize', 'fullContextChars', 'hybridWeight', 'localBaseUrl', 'model', 'template', 'topK']);
  });
  it('wants an overlap below the size and a connection for remote engines', () => {
    const r = readForm({ ...form, chunkSize: '100', chunkOverlap: '100', engine: 'openai', model: 'text-embedding-3-small', connectionId: '' }, ['c1']);
    expect(r.ok ? {} : r.errors).toEqual({ chunkOverlap: 'The overlap must be smaller than the chunk size.', connectionId: 'Choose the connection the embeddings go through.' });
    const none = readForm({ ...form, engine: 'ollama', connectionId: '' }, []);
    expect(none.ok ? '' : none.errors.connectionId).toMatch(/Add an Ollama connection first/);
  });
  it('keeps the chosen in-browser weights', () => {
    const r = readForm({ ...form, localDtype: 'q8' }, []);
    expect(r.ok && r.settings.localDtype).toBe('q8');
    expect(toForm({ ...DEFAULT_RAG_SETTINGS, localDtype: 'fp32' }).localDtype).toBe('fp32');
  });
  it('trims, adds the trailing slash to a mirror and keeps an empty template as the default', () => {
    const r = readForm({ ...form, engine: 'openai', connectionId: 'c1', model: ' emb ', localBaseUrl: 'https://mirror.test/models', hybridWeight: '0', template: '  ' }, ['c1']);
    expect(r.ok && r.settings).toMatchObject({ model: 'emb', connectionId: 'c1', localBaseUrl: 'https://mirror.test/models/', hybridWeight: 0, template: '' });
  });
});
