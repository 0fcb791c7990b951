import * as z from 'zod/mini';
import { HLC_RE } from './hlc';
import { META_ID } from './types';

/**
 * Schemas for what sync reads from the server: the decrypted `Version` inside a document and the
 * plain meta document; only the sync worker validates, so zod stays out of the main bundle.
 */

const hlc = z.string().check(z.regex(HLC_RE));

export const fieldStateSchema = z.object({
  h: hlc,
  // Optional: JSON drops a field whose value is undefined, so `{ h }` is what such a field becomes.
  v: z.optional(z.unknown()),
});

export const versionSchema = z.object({
  id: z.string().check(z.regex(/^[a-z]+:.+$/s)),
  fields: z.record(z.string(), fieldStateSchema),
  del: z.nullable(hlc),
});

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/));

export const metaDocSchema = z.object({
  _id: z.literal(META_ID),
  _rev: z.optional(z.string()),
  e: z.literal(1),
  kdf: z.literal('PBKDF2-SHA256'),
  // Bounded so a tampered meta document cannot make the derivation run for hours.
  iterations: z.int().check(z.gte(1), z.lte(10_000_000)),
  salt: base64,
  check: z.object({ iv: base64, ct: base64 }),
});

export const syncDocSchema = z.object({
  _id: z.string().check(z.minLength(1)),
  _rev: z.optional(z.string()),
  _conflicts: z.optional(z.array(z.string())),
  _deleted: z.optional(z.boolean()),
  e: z.literal(1),
  iv: base64,
  ct: base64,
});
