import { describe, expect, it } from 'vitest';
import { versionToRecord } from './record-parse';
import { blankState, changedFields, docId, ORIGIN_HLC, parseDocId, recordToVersion, syncsRecord } from './records';
import { chat, connection, message } from './test-records';
import type { SyncStateRow } from './types';

const H = '1700000000000-0000-abc';
const D = '1700000000001-0000-abc';

describe('records', () => {
  it('names documents <type>:<id> and reads them back, refusing anything else', () => {
    expect(docId('msg', 'a:b')).toBe('msg:a:b');
    expect(parseDocId('msg:a:b')).toEqual({ type: 'msg', id: 'a:b' });
    expect(parseDocId('setting:rag.topK')).toEqual({ type: 'setting', id: 'rag.topK' });
    for (const bad of ['chat:', ':x', 'chats:x', 'x', 'parley:meta']) expect(parseDocId(bad)).toBeNull();
  });

  it('syncs allowlisted settings and every kind of connection but In-browser', () => {
    for (const key of ['theme', 'defaultModel', 'tasks', 'rag.engine', 'webgpu.weightsBase']) expect(syncsRecord('setting', { key, value: 1 })).toBe(true);
    for (const key of ['ollamaProbed', 'sidebarPinnedHint', 'webgpu.offered', 'sync.device', 'sync.key']) expect(syncsRecord('setting', { key, value: 1 })).toBe(false);
    expect(syncsRecord('conn', connection('o'))).toBe(true);
    expect(syncsRecord('conn', connection('w', { kind: 'webgpu' }))).toBe(false);
    expect(syncsRecord('chat', chat('c'))).toBe(true);
  });

  it('finds the changed fields (whole kinds: * when anything changed)', () => {
    expect(changedFields('chat', chat('c'), chat('c', { title: 'x', tags: ['t'] })).sort()).toEqual(['tags', 'title']);
    expect(changedFields('chat', chat('c'), { ...chat('c'), knowledgeIds: undefined })).toEqual([]);
    const { system: _s, ...withoutSystem } = chat('c');
    expect(changedFields('chat', chat('c'), withoutSystem)).toEqual(['system']);
    expect(changedFields('msg', message('m', 'c'), message('m', 'c'))).toEqual([]);
    expect(changedFields('msg', message('m', 'c'), message('m', 'c', { content: 'more' }))).toEqual(['*']);
    expect(changedFields('msg', undefined, message('m', 'c'))).toEqual(['*']);
  });

  it('turns a record and its clocks into a version and back (unknown clocks are the origin)', () => {
    const state: SyncStateRow = { id: 'chat:c', clocks: { title: H }, del: null, rev: '1-a' };
    const v = recordToVersion('chat', chat('c'), state, { includeKeys: false });
    expect(v.fields.title).toEqual({ h: H, v: 'Chat c' });
    expect(v.fields.pinned).toEqual({ h: ORIGIN_HLC, v: false });
    expect(ORIGIN_HLC < H).toBe(true);
    expect(versionToRecord('chat', v)).toEqual(chat('c'));

    const m = recordToVersion('msg', message('m', 'c'), { id: 'msg:m', clocks: { '*': H }, del: null, rev: null }, { includeKeys: false });
    expect(m).toEqual({ id: 'msg:m', fields: { '*': { h: H, v: message('m', 'c') } }, del: null });
    expect(versionToRecord('msg', m)).toEqual(message('m', 'c'));
  });

  it("leaves a connection's key out unless keys sync", () => {
    const state = blankState('conn:o');
    expect(recordToVersion('conn', connection('o'), state, { includeKeys: false }).fields.key).toBeUndefined();
    expect(recordToVersion('conn', connection('o'), state, { includeKeys: true }).fields.key!.v).toBe('sk-secret');
  });

  it('gives a deleted record no values, and no record for it', () => {
    const state: SyncStateRow = { id: 'chat:c', clocks: { title: H }, del: D, rev: null };
    const v = recordToVersion('chat', undefined, state, { includeKeys: false });
    expect(v).toEqual({ id: 'chat:c', fields: {}, del: D });
    expect(versionToRecord('chat', v)).toBeNull();
    // Fields under the tombstone, none newer: still deleted.
    expect(versionToRecord('chat', { id: 'chat:c', fields: { title: { h: H, v: 'x' } }, del: D })).toBeNull();
  });

  it('validates a record from the server, filling defaults and refusing a wrong key or shape', () => {
    const { tags: _t, pinned: _p, ...minimal } = chat('c');
    const v = { id: 'chat:c', fields: Object.fromEntries(Object.entries(minimal).map(([k, x]) => [k, { h: H, v: x }])), del: null };
    expect(versionToRecord('chat', v)).toEqual(chat('c'));
    expect(versionToRecord('chat', { ...v, id: 'chat:other' })).toBeNull();
    expect(versionToRecord('chat', { ...v, fields: { ...v.fields, title: { h: H, v: 7 } } })).toBeNull();
    expect(versionToRecord('setting', { id: 'setting:theme', fields: { '*': { h: H, v: { key: 'theme', value: 'dark' } } }, del: null })).toEqual({ key: 'theme', value: 'dark' });
    expect(versionToRecord('setting', { id: 'setting:theme', fields: { '*': { h: H, v: 'dark' } }, del: null })).toBeNull();
  });
});
