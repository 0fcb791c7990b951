import { appError, isAppError, toAppError, type AppError } from '../src/core/errors';
import { listModels } from '../src/core/providers/list-models';
import { saveConnection } from '../src/core/storage/connections';
import type { Connection } from '../src/core/storage/schema';
import { SETTINGS } from '../src/core/storage/settings-keys';
import type { EnginePorts } from './ports';

/** Where Ollama listens by default. */
export const LOCAL_OLLAMA_URL = 'http://localhost:11434';
export const LOCAL_OLLAMA_NAME = 'Ollama (this computer)';
/** A local server answers in milliseconds; this only has to outwait a busy machine. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * True when Parley itself is served from this machine or the local network. Only then is
 * the first-start probe quiet: from a public https origin, Chrome asks the user for "local
 * network access" before the request goes out, which is not something to spring on a first
 * visit. There the empty state offers the same search as a button.
 */
export function probesQuietly(appOrigin: string): boolean {
  let host: string;
  try {
    host = new URL(appOrigin).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\./.test(host) ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    host.endsWith('.local')
  );
}

function isLocalOllama(c: Connection): boolean {
  return c.kind === 'ollama' && /^http:\/\/(localhost|127\.0\.0\.1):11434\/?$/.test(c.url);
}

/**
 * Looks for an Ollama on this computer and adds it as a connection when one answers.
 * An existing connection to it is returned as is (never a second one).
 */
export async function findLocalOllama(ports: Pick<EnginePorts, 'db' | 'fetch' | 'clock'>): Promise<Connection | AppError> {
  const existing = (await ports.db.connections.toArray()).find(isLocalOllama);
  if (existing) return existing;
  try {
    await listModels(ports.fetch, { kind: 'ollama', url: LOCAL_OLLAMA_URL }, AbortSignal.timeout(PROBE_TIMEOUT_MS));
  } catch (e) {
    const err = toAppError(e, 'network');
    return appError('network', `No Ollama answered at ${LOCAL_OLLAMA_URL}.`, {
      detail: `Is it running, and does it allow this page? Start it with OLLAMA_ORIGINS set to this page's origin. (${err.message})`,
    });
  }
  return saveConnection(ports.db, { kind: 'ollama', url: LOCAL_OLLAMA_URL, name: LOCAL_OLLAMA_NAME }, ports.clock.now());
}

/**
 * Once per browser profile, when nothing is configured yet and the probe is quiet here:
 * add the local Ollama if one answers. Resolves to the new connection, or null.
 */
export async function firstStartProbe(ports: Pick<EnginePorts, 'db' | 'fetch' | 'clock' | 'appOrigin'>): Promise<Connection | null> {
  const done = await ports.db.settings.get(SETTINGS.ollamaProbed);
  if (done) return null;
  // Marked first: a probe that crashes the tab must not run on every start.
  await ports.db.settings.put({ key: SETTINGS.ollamaProbed, value: ports.clock.now() });
  if ((await ports.db.connections.count()) > 0 || !probesQuietly(ports.appOrigin)) return null;
  const r = await findLocalOllama(ports);
  return isAppError(r) ? null : r;
}
