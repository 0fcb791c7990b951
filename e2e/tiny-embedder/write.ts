import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TINY_MODEL_ID, tinyEmbedderFiles } from './model';

/**
 * Writes the tiny model under `root` in a mirror's layout: `<root>/<model id>/<file>`, e.g.
 * `<root>/parley/tiny-embedder/onnx/model.onnx`. Returns the model's folder.
 */
export async function writeTinyEmbedder(root: string, modelId = TINY_MODEL_ID): Promise<string> {
  const folder = join(root, modelId);
  for (const [path, bytes] of tinyEmbedderFiles()) {
    const file = join(folder, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes);
  }
  return folder;
}

// `npx tsx e2e/tiny-embedder/write.ts <root>`: write the model for manual use (e.g. to import it in the app).
if (process.argv[1] && /write\.ts$/.test(process.argv[1])) {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: tsx e2e/tiny-embedder/write.ts <folder>');
    process.exit(2);
  }
  writeTinyEmbedder(root).then((folder) => console.log(`tiny embedder written to ${folder}`));
}
