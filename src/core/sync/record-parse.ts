import * as z from 'zod/mini';
import { chatSchema, connectionSchema, folderSchema, messageSchema, type Chat, type Connection, type Folder, type Message, type Setting } from '../storage/schema';
import { promptSchema, type Prompt } from '../prompts/schema';
import { isLive } from './merge';
import { keyOf, parseDocId, rawRecordOf } from './records';
import type { SyncType, Version } from './types';

/**
 * A record that came from the server, validated before anything writes it. Apart from
 * records.ts because it brings zod, which stays out of the main bundle (only the sync worker
 * applies remote versions).
 */

const settingSchema = z.object({ key: z.string().check(z.minLength(1)), value: z.unknown() });

export interface RecordOfType {
  chat: Chat;
  msg: Message;
  folder: Folder;
  prompt: Prompt;
  setting: Setting;
  conn: Connection;
}
export type SyncRecord = RecordOfType[SyncType];

const SCHEMAS: { [T in SyncType]: z.ZodMiniType<RecordOfType[T]> } = {
  chat: chatSchema,
  msg: messageSchema,
  folder: folderSchema,
  prompt: promptSchema,
  setting: settingSchema,
  conn: connectionSchema,
};

/** Why a live version is not a valid record of its kind, or null when it is (`parseRecord`). */
export type ParseResult<T extends SyncType> = { ok: true; record: RecordOfType[T] } | { ok: false; reason: string };

/** A live version's record, validated with the kind's zod schema (defaults filled in, unknown keys dropped); its key must be the document's. */
export function parseRecord<T extends SyncType>(type: T, v: Version): ParseResult<T> {
  const id = parseDocId(v.id);
  if (!id || id.type !== type) return { ok: false, reason: `not a ${type} document id` };
  const raw = rawRecordOf(v);
  if (!raw) return { ok: false, reason: 'no record' };
  const parsed = SCHEMAS[type].safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: `invalid ${type}: ${first ? `${first.path.join('.') || '(record)'}: ${first.message}` : 'schema'}` };
  }
  if (keyOf(type, parsed.data) !== id.id) return { ok: false, reason: `the record's key is not the document's (${id.id})` };
  return { ok: true, record: parsed.data };
}

/** The record a version holds: null when it is deleted or not a valid record of its kind. */
export function versionToRecord<T extends SyncType>(type: T, v: Version): RecordOfType[T] | null {
  if (!isLive(v)) return null;
  const r = parseRecord(type, v);
  return r.ok ? r.record : null;
}
