import { describe, expect, it } from 'vitest';
import { embedderModel, sameEmbedder, storageId } from './embedder-id';

describe('embedder ids', () => {
  it('an in-browser id of an earlier version names its model without the weights type', () => {
    expect(embedderModel('local:Xenova/all-MiniLM-L6-v2:fp32')).toBe('local:Xenova/all-MiniLM-L6-v2');
    expect(embedderModel('local:m:q8')).toBe('local:m');
    expect(embedderModel('local:m:q4f16')).toBe('local:m');
    expect(embedderModel('local:m')).toBe('local:m');
    // Not a weights type, or not the in-browser engine: the id as it is.
    expect(embedderModel('local:m:v2')).toBe('local:m:v2');
    expect(embedderModel('ollama:c:nomic-embed-text:q8')).toBe('ollama:c:nomic-embed-text:q8');
    expect(embedderModel('openai:c:text-embedding-3-small')).toBe('openai:c:text-embedding-3-small');
  });

  it('fp32 and q8 of one model are the same model; other models, engines or connections are not', () => {
    expect(sameEmbedder('local:m:fp32', 'local:m:q8')).toBe(true);
    expect(sameEmbedder('local:m:fp32', 'local:m')).toBe(true);
    expect(sameEmbedder('local:m', 'local:m')).toBe(true);
    expect(sameEmbedder('local:m:fp32', 'local:n:fp32')).toBe(false);
    expect(sameEmbedder('local:m', 'local:mm')).toBe(false);
    expect(sameEmbedder('ollama:c:m', 'ollama:d:m')).toBe(false);
    expect(sameEmbedder('ollama:c:m:latest', 'ollama:c:m')).toBe(false);
    expect(sameEmbedder(null, 'local:m')).toBe(false);
    expect(sameEmbedder('local:m', undefined)).toBe(false);
  });

  it('new vectors go under the id already stored for the same model, else under the current one', () => {
    expect(storageId('local:m:fp32', 'local:m')).toBe('local:m:fp32');
    expect(storageId(null, 'local:m')).toBe('local:m');
    expect(storageId('local:n:fp32', 'local:m')).toBe('local:m');
  });
});
