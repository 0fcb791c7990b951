/** mammoth for a worker, loaded on the first DOCX (Vite bundles its browser build, which reads `{ arrayBuffer }`). */
import type { MammothLike } from './docx';

let loading: Promise<MammothLike> | undefined;

export function loadMammoth(): Promise<MammothLike> {
  loading ??= import('mammoth').then((m) => ((m as { default?: MammothLike }).default ?? (m as unknown as MammothLike)));
  return loading;
}
