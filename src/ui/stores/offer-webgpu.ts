import type { ParleyDb } from '../../core/storage/db';
import { SETTINGS } from '../../core/storage/settings-keys';
import { detectWebGpu, type GpuLike } from '../../core/webgpu/detect';
import type { Connection } from '../../core/storage/schema';

/**
 * Once per browser profile: when WebGPU gives an adapter, the In-browser connection is added
 * (kind `webgpu`), so its models can be downloaded and picked. Not again after that, not even
 * when the user removed it (they can add it back in Settings › Connections). Returns what was
 * added. Imported lazily after start-up; asking for an adapter costs a few milliseconds, and
 * nothing heavier loads unless the connection is added.
 */
export async function offerInBrowser(db: ParleyDb, nav: { gpu?: GpuLike; userAgent: string }, now: number): Promise<Connection | null> {
  if ((await db.settings.get(SETTINGS.webgpuOffered))?.value === true) return null;
  const caps = await detectWebGpu(nav.gpu, nav.userAgent);
  if (!caps.available) return null;
  // Only now: connections.ts brings the zod schemas, which the first load leaves out.
  const { addInBrowserConnection } = await import('../../core/storage/connections');
  return addInBrowserConnection(db, now, { auto: true });
}
