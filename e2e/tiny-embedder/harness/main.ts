import { registerSW } from 'virtual:pwa-register';
import { startEmbed } from '../../../src/ui/embed-client';
import type { EmbedConfig, EmbedLoadProgress } from '../../../workers/embed-api';

/**
 * The embedding worker as the app starts it (src/ui/embed-client.ts), reachable from
 * Playwright: vectors come back as number arrays, errors as the AppError the worker threw.
 */
const client = startEmbed();
const progress: EmbedLoadProgress[] = [];

const harness = {
  progress,
  load: (config: EmbedConfig) => client.load(config, (p) => progress.push(p)),
  embed: async (id: string, texts: string[]) => (await client.embed(id, texts)).map((v) => Array.from(v)),
  /** Through the Embedder port (batches of maxBatch), as ingestion uses it. */
  embedViaPort: async (config: EmbedConfig, texts: string[]) => {
    const info = await client.load(config);
    return (await client.embedder(info).embed(texts)).map((v) => Array.from(v));
  },
  importModel: (modelId: string, files: Array<{ path: string; base64: string }>) =>
    client.importModel(
      modelId,
      files.map((f) => ({ path: f.path, data: new Blob([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))]) })),
    ),
  storedModels: () => client.storedModels(),
  deleteModel: (modelId: string) => client.deleteModel(modelId),
  unload: () => client.unload(),
};

(globalThis as unknown as { embedHarness: typeof harness }).embedHarness = harness;
// #sw: the app's service worker, for the offline test (the app itself registers it in UpdatePrompt).
if (location.hash === '#sw') void registerSW({ immediate: true });
document.body.dataset['ready'] = 'yes';
