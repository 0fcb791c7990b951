import { describe, expect, it } from 'vitest';
import { customCacheFor, deleteModel, filePrefixes, importModel, keyFor, MODEL_CACHE, storedModels, storeKey, type CachesPort } from './model-store';

/** Cache Storage in memory: the four methods the store uses. */
function memoryCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const caches: CachesPort = {
    async open(name) {
      const m = stores.get(name) ?? new Map<string, Response>();
      stores.set(name, m);
      const url = (r: RequestInfo | URL) => (typeof r === 'string' ? r : r instanceof URL ? r.href : r.url);
      return {
        async match(r: RequestInfo | URL) {
          return m.get(url(r))?.clone();
        },
        async put(r: RequestInfo | URL, res: Response) {
          m.set(url(r), res);
        },
        async keys() {
          return [...m.keys()].map((k) => new Request(k));
        },
        async delete(r: RequestInfo | URL) {
          return m.delete(url(r));
        },
      } as unknown as Cache;
    },
  };
  return { caches, stores };
}

const files = (names: string[]) => names.map((path) => ({ path, data: new Blob([`content of ${path}`]) }));

describe('model store', () => {
  it('maps transformers.js URLs of any configured mirror, or the local path, to one key per model file', () => {
    const hf = filePrefixes('Xenova/all-MiniLM-L6-v2', { remoteHost: 'https://huggingface.co/', pathTemplate: '{model}/resolve/{revision}/', localModelPath: '/models/' });
    expect(hf).toEqual(['https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/', '/models/Xenova/all-MiniLM-L6-v2/']);
    const key = storeKey('Xenova/all-MiniLM-L6-v2', 'onnx/model.onnx');
    expect(keyFor('https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/onnx/model.onnx', 'Xenova/all-MiniLM-L6-v2', hf)).toBe(key);
    expect(keyFor(new Request('https://huggingface.co/Xenova/all-MiniLM-L6-v2/resolve/main/onnx/model.onnx'), 'Xenova/all-MiniLM-L6-v2', hf)).toBe(key);
    expect(keyFor('/models/Xenova/all-MiniLM-L6-v2/onnx/model.onnx', 'Xenova/all-MiniLM-L6-v2', hf)).toBe(key);
    const mirror = filePrefixes('Xenova/all-MiniLM-L6-v2', { remoteHost: 'http://10.0.0.5/models', pathTemplate: '{model}/' });
    expect(keyFor('http://10.0.0.5/models/Xenova/all-MiniLM-L6-v2/onnx/model.onnx', 'Xenova/all-MiniLM-L6-v2', mirror)).toBe(key);
    // Another model's file, or another host, is not this model's.
    expect(keyFor('https://huggingface.co/Xenova/other/resolve/main/config.json', 'Xenova/all-MiniLM-L6-v2', hf)).toBeUndefined();
    expect(keyFor('https://evil.example/Xenova/all-MiniLM-L6-v2/resolve/main/config.json', 'Xenova/all-MiniLM-L6-v2', hf)).toBeUndefined();
  });

  it('a file downloaded through one mirror is found through another, and through an import', async () => {
    const { caches } = memoryCaches();
    const id = 'org/m';
    const a = customCacheFor(caches, id, filePrefixes(id, { remoteHost: 'https://a.example/', pathTemplate: '{model}/resolve/{revision}/' }));
    await a.put('https://a.example/org/m/resolve/main/config.json', new Response('{"model_type":"bert"}'));
    const b = customCacheFor(caches, id, filePrefixes(id, { remoteHost: 'http://b.local/', pathTemplate: '{model}/' }));
    expect(await (await b.match('http://b.local/org/m/config.json'))!.text()).toBe('{"model_type":"bert"}');
    expect(await b.match('http://b.local/org/m/tokenizer.json')).toBeUndefined();
    await importModel(caches, id, files(['config.json', 'tokenizer.json']));
    expect(await (await b.match('http://b.local/org/m/tokenizer.json'))!.text()).toBe('content of tokenizer.json');
  });

  it('lists stored models with files and bytes, and deletes one model only', async () => {
    const { caches, stores } = memoryCaches();
    await importModel(caches, 'org/one', files(['config.json', 'onnx/model.onnx']));
    await importModel(caches, 'two', files(['config.json']));
    expect(await storedModels(caches)).toEqual([
      { modelId: 'org/one', files: ['config.json', 'onnx/model.onnx'], bytes: 'content of config.json'.length + 'content of onnx/model.onnx'.length },
      { modelId: 'two', files: ['config.json'], bytes: 'content of config.json'.length },
    ]);
    await deleteModel(caches, 'org/one');
    expect((await storedModels(caches)).map((m) => m.modelId)).toEqual(['two']);
    expect([...stores.keys()]).toEqual([MODEL_CACHE]);
  });

  it('refuses a folder without config.json and a malformed id', async () => {
    const { caches } = memoryCaches();
    await expect(importModel(caches, 'org/m', files(['tokenizer.json']))).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/no config.json/) });
    await expect(importModel(caches, '../x', files(['config.json']))).rejects.toMatchObject({ kind: 'invalid', message: expect.stringMatching(/not a model id/) });
  });
});
