import * as z from 'zod/mini';
import type { ParleyDb } from './db';
import { connectionKind, connectionSchema, type Connection } from './schema';
import { newId } from '../id';
import { appError, type AppError } from '../errors';

/** What the settings form submits; validated before anything is written. */
export const connectionInput = z.object({
  kind: connectionKind,
  id: z.optional(z.string()),
  name: z._default(z.string().check(z.trim(), z.maxLength(200)), ''),
  url: z.string().check(
    z.trim(),
    z.refine((u) => {
      try {
        const p = new URL(u);
        return p.protocol === 'http:' || p.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'Enter a full URL starting with http:// or https://'),
  ),
  key: z._default(z.string().check(z.trim()), ''),
  enabled: z._default(z.boolean(), true),
});
export type ConnectionInput = z.input<typeof connectionInput>;

export function defaultName(kind: Connection['kind'], url: string): string {
  try {
    const host = new URL(url).host;
    return kind === 'ollama' ? `Ollama (${host})` : host;
  } catch {
    return kind;
  }
}

export async function saveConnection(db: ParleyDb, input: ConnectionInput, now: number): Promise<Connection | AppError> {
  const parsed = connectionInput.safeParse(input);
  if (!parsed.success) return appError('invalid', parsed.error.issues.map((i) => i.message).join('; '));
  const v = parsed.data;
  const url = v.url.replace(/\/+$/, '');
  return db.transaction('rw', db.connections, async () => {
    const old = v.id ? await db.connections.get(v.id) : undefined;
    const record = connectionSchema.parse({
      ...(old ?? {}),
      id: old?.id ?? newId(),
      kind: v.kind,
      name: v.name || defaultName(v.kind, url),
      url,
      key: v.key,
      enabled: v.enabled,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
    });
    await db.connections.put(record);
    return record;
  });
}
