import { describe, expect, it } from 'vitest';
import { explainUnreachable } from './explain-unreachable';
import { appError } from '../errors';

const cause = appError('network', 'Failed to fetch', { detail: 'TypeError: Failed to fetch' });

describe('explainUnreachable', () => {
  it('tells Ollama users to set OLLAMA_ORIGINS to this origin', () => {
    const e = explainUnreachable('ollama', 'http://localhost:11434', 'http://127.0.0.1:4317', cause);
    expect(e.kind).toBe('network');
    expect(e.message).toContain('http://localhost:11434');
    expect(e.detail).toContain('OLLAMA_ORIGINS=http://127.0.0.1:4317');
  });

  it('gives per-server CORS fixes for OpenAI-compatible servers', () => {
    const e = explainUnreachable('openai', 'http://gpu:8000/v1', 'http://127.0.0.1:4317', cause);
    expect(e.detail).toMatch(/--allowed-origins/);
    expect(e.detail).toMatch(/LM Studio/);
    expect(e.detail).toMatch(/llama\.cpp/);
    expect(e.detail).toMatch(/proxy/);
  });

  it('names mixed content when an https page calls a plain http server that is not loopback', () => {
    const e = explainUnreachable('openai', 'http://192.0.2.10:8000/v1', 'https://parley.example', cause);
    expect(e.message).toMatch(/mixed content/);
    // Loopback over http is allowed from https pages, so the usual CORS advice applies.
    expect(explainUnreachable('ollama', 'http://localhost:11434', 'https://parley.example', cause).message).not.toMatch(/mixed/);
  });

  it('says when the URL itself is not valid', () => {
    expect(explainUnreachable('openai', 'nope', 'http://a', cause).kind).toBe('invalid');
  });
});
