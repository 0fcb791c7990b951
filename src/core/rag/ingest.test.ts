import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { addDocument, blockSize, createKnowledge, deleteKnowledge, documentChunks, loadVectors, reindexDocument, removeDocument, retryDocument, setKnowledgeEmbedder } from './store';
import { ingest, INGEST_PAUSED, NO_TEXT, resumeAll, type IngestPorts } from './ingest';
import type { Embedder } from './types';
import { chunkDocument } from './chunk';
import { EXPECTED, FakeEmbedder, OPTS, simpleChunk, TEXT } from './test-fakes';

let extractCalls = 0;
function ports(embedder: Embedder, extra: Partial<IngestPorts> = {}): IngestPorts {
  return {
    extract: async (_doc, file) => {
      extractCalls++;
      if (!file) throw new Error('no file');
      return { text: await file.text(), warnings: ['a remark'] };
    },
    chunk: simpleChunk,
    chunkOptions: OPTS,
    embedder,
    ...extra,
  };
}

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  extractCalls = 0;
  db = openDb(`test-ingest-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

async function newDoc(text = TEXT, embedderId: string | null = null) {
  const k = await createKnowledge(db, { name: 'K', embedderId });
  const { document } = await addDocument(db, { knowledgeId: k.id, file: new Blob([text], { type: 'text/plain' }), name: 'a.txt' });
  return { k, doc: document };
}

/** What a finished document holds, without ids that differ between databases. */
async function stored(documentId: string) {
  const chunks = await documentChunks(db, documentId);
  const blocks = await db.vectors.where('documentId').equals(documentId).toArray();
  return {
    chunks: chunks.map((c) => [c.index, c.text, c.start, c.end, c.embedderId, c.dims]),
    ids: blocks.flatMap((b) => b.chunkIds.map((id) => id.replace(documentId, '<doc>'))),
    vectors: blocks.flatMap((b) => Array.from(b.vectors)),
  };
}

describe('ingest', () => {
  it('extracts, chunks and embeds in batches; progress ends at total; the text is kept and the file dropped', async () => {
    const { k, doc } = await newDoc();
    const e = new FakeEmbedder();
    const seen: string[] = [];
    const end = await ingest(db, doc.id, ports(e, { onProgress: (p) => seen.push(`${p.status}:${p.done}/${p.total}`) }));
    expect(end).toMatchObject({ status: 'done', progress: { done: EXPECTED, total: EXPECTED }, embedderId: 'fake:a', chunking: OPTS, warnings: ['a remark'], error: null });
    expect(e.calls.map((c) => c.length)).toEqual(Array.from({ length: Math.ceil(EXPECTED / 3) }, (_, i) => Math.min(3, EXPECTED - i * 3)));
    expect(seen[0]).toBe('extracting:0/0');
    expect(seen.at(-1)).toBe(`done:${EXPECTED}/${EXPECTED}`);
    expect(await db.knowledge.get(k.id)).toMatchObject({ embedderId: 'fake:a', dims: 8 });
    expect(await db.sources.get(doc.id)).toMatchObject({ file: null, extracted: { text: TEXT } });
    const chunks = await documentChunks(db, doc.id);
    expect(chunks.map((c) => c.index)).toEqual([...Array(EXPECTED).keys()]);
    const set = await loadVectors(db, k.id, 'fake:a');
    expect(set.count).toBe(EXPECTED);
    expect(set.chunkIds).toEqual(chunks.map((c) => c.id));
    expect(set.vectors).toBeInstanceOf(Float32Array);
    const [v0] = await e.embed([chunks[0]!.text]);
    expect(Array.from(set.vectors.subarray(0, 8))).toEqual(Array.from(v0!));
  });

  it('vector blocks grow across batches up to the block size, and load as one run gives them', async () => {
    const dims = 13107; // blockSize(13107) = 5 vectors, the embedder gives 3 at a time
    expect(blockSize(dims)).toBe(5);
    const { k, doc } = await newDoc();
    const e = new FakeEmbedder('fake:a', dims, 3);
    await ingest(db, doc.id, ports(e));
    const blocks = await db.vectors.where('documentId').equals(doc.id).sortBy('first');
    const sizes = Array.from({ length: Math.ceil(EXPECTED / 5) }, (_, i) => Math.min(5, EXPECTED - i * 5));
    expect(blocks.map((b) => [b.first, b.chunkIds.length])).toEqual(sizes.map((n, i) => [i * 5, n]));
    const chunks = await documentChunks(db, doc.id);
    const want = await new FakeEmbedder('fake:a', dims, 3).embed(chunks.map((c) => c.text));
    const set = await loadVectors(db, k.id, 'fake:a');
    expect(set.chunkIds).toEqual(chunks.map((c) => c.id));
    for (const row of [0, 4, 5, 6, EXPECTED - 1]) expect(set.vectors.subarray(row * dims, (row + 1) * dims)).toEqual(want[row]);
  });

  it('resumes after a crash between batches: no batch twice, and the result equals an uninterrupted run', async () => {
    // Uninterrupted reference.
    const ref = await newDoc();
    await ingest(db, ref.doc.id, ports(new FakeEmbedder()));
    const want = await stored(ref.doc.id);

    const { doc } = await newDoc();
    const name = db.name;
    const e1 = new FakeEmbedder();
    let reached!: () => void;
    const atThird = new Promise<void>((r) => (reached = r));
    e1.hook = (i) => {
      if (i === 2) {
        reached();
        return new Promise(() => {}); // the tab closes while the third batch is being embedded
      }
    };
    void ingest(db, doc.id, ports(e1));
    await atThird;
    db.close();

    db = openDb(name);
    expect(await db.documents.get(doc.id)).toMatchObject({ status: 'embedding', progress: { done: 6, total: EXPECTED } });
    expect((await documentChunks(db, doc.id)).length).toBe(6);
    const e2 = new FakeEmbedder();
    const before = extractCalls;
    const ended = await resumeAll(db, () => ports(e2));
    expect(ended.map((d) => [d.id, d.status])).toEqual([[doc.id, 'done']]);
    expect(extractCalls).toBe(before); // the text was kept: no second extraction
    // The resumed run embeds only what was not stored: the batch cut off, then the rest.
    expect(e2.calls.flat()).toEqual(simpleChunk({ text: TEXT }, OPTS).slice(6).map((c) => c.text));
    const got = await stored(doc.id);
    expect(got.chunks).toEqual(want.chunks);
    expect(got.vectors).toEqual(want.vectors);
    expect(got.ids).toEqual(want.ids);
    expect(new Set(got.ids).size).toBe(EXPECTED);
  });

  it('pauses on INGEST_PAUSED (kept, resumable) and resumes to exactly what one run gives', async () => {
    const ref = await newDoc();
    await ingest(db, ref.doc.id, ports(new FakeEmbedder()));
    const want = await stored(ref.doc.id);

    const { doc } = await newDoc(TEXT);
    const ac = new AbortController();
    const e1 = new FakeEmbedder();
    e1.hook = (i) => {
      if (i === 1) ac.abort(INGEST_PAUSED);
    };
    expect(await ingest(db, doc.id, ports(e1, { signal: ac.signal }))).toMatchObject({ status: 'embedding', progress: { done: 3 } });
    await resumeAll(db, () => ports(new FakeEmbedder()));
    expect(await db.documents.get(doc.id)).toMatchObject({ status: 'done', progress: { done: EXPECTED } });
    expect(await stored(doc.id)).toEqual(want);
  });

  it('resumes a document whose extraction was cut off, from its stored file', async () => {
    const { doc } = await newDoc();
    void ingest(db, doc.id, ports(new FakeEmbedder(), { extract: () => new Promise(() => {}) }));
    await new Promise((r) => setTimeout(r, 20));
    expect((await db.documents.get(doc.id))?.status).toBe('extracting');
    await resumeAll(db, () => ports(new FakeEmbedder()));
    expect(await db.documents.get(doc.id)).toMatchObject({ status: 'done', progress: { done: EXPECTED } });
  });

  it('cancel: aborting marks the document cancelled and removes its partial chunks', async () => {
    const { k, doc } = await newDoc();
    const ac = new AbortController();
    const e = new FakeEmbedder();
    e.hook = (i) => {
      if (i === 2) ac.abort();
    };
    expect(await ingest(db, doc.id, ports(e, { signal: ac.signal }))).toMatchObject({ status: 'cancelled', progress: { done: 0 } });
    expect(await db.chunks.count()).toBe(0);
    expect(await db.vectors.count()).toBe(0);
    expect((await loadVectors(db, k.id, 'fake:a')).count).toBe(0);
    // A cancelled document is not resumed.
    expect(await resumeAll(db, () => ports(new FakeEmbedder()))).toEqual([]);
  });

  it('remove during a run: the run stops at its next batch and writes nothing more', async () => {
    const { doc } = await newDoc();
    const e = new FakeEmbedder();
    e.hook = async (i) => {
      if (i === 1) await removeDocument(db, doc.id);
    };
    expect(await ingest(db, doc.id, ports(e))).toBeUndefined();
    expect(e.calls.length).toBe(2);
    expect(await db.chunks.count()).toBe(0);
    expect(await db.vectors.count()).toBe(0);
    expect(await db.sources.count()).toBe(0);
  });

  it('deleting the base during a run: the run stops and nothing of the base is left', async () => {
    const { k, doc } = await newDoc();
    const e = new FakeEmbedder();
    e.hook = async (i) => {
      if (i === 2) await deleteKnowledge(db, k.id);
    };
    expect(await ingest(db, doc.id, ports(e))).toBeUndefined();
    expect(e.calls.length).toBe(3);
    expect([await db.documents.count(), await db.chunks.count(), await db.vectors.count(), await db.sources.count()]).toEqual([0, 0, 0, 0]);
  });

  it('resumeAll leaves a document queued when no embedder is available for it, and runs the others', async () => {
    const a = await newDoc();
    const b = await newDoc('Other words entirely, for the second base.');
    const ended = await resumeAll(db, (d) => (d.id === a.doc.id ? null : ports(new FakeEmbedder())));
    expect(ended.map((d) => d.id)).toEqual([b.doc.id]);
    expect((await db.documents.get(a.doc.id))?.status).toBe('queued');
  });

  it('re-index drops the chunks and runs again from the stored text, with the current options', async () => {
    const { doc } = await newDoc();
    await ingest(db, doc.id, ports(new FakeEmbedder()));
    await reindexDocument(db, doc.id);
    expect(await db.documents.get(doc.id)).toMatchObject({ status: 'queued', progress: { done: 0, total: 0 }, chunking: null });
    expect(await db.chunks.count()).toBe(0);
    const wider = { size: 300, overlap: 0 };
    await ingest(db, doc.id, ports(new FakeEmbedder(), { chunkOptions: wider }));
    const n300 = simpleChunk({ text: TEXT }, wider).length;
    expect(await db.documents.get(doc.id)).toMatchObject({ status: 'done', chunking: wider, progress: { done: n300, total: n300 } });
    expect(await db.chunks.count()).toBe(n300);
    expect(extractCalls).toBe(1);
  });

  it('changing the base embedder re-indexes everything, never mixes, and search refuses the old model', async () => {
    const { k, doc } = await newDoc();
    const doc2 = (await addDocument(db, { knowledgeId: k.id, file: new Blob(['Another short file about apples.']), name: 'b.txt' })).document;
    await resumeAll(db, () => ports(new FakeEmbedder('fake:a', 8)));
    expect((await loadVectors(db, k.id, 'fake:a')).count).toBe(EXPECTED + 1);

    await setKnowledgeEmbedder(db, k.id, 'fake:b');
    expect(await db.knowledge.get(k.id)).toMatchObject({ embedderId: 'fake:b', dims: null });
    expect((await db.documents.bulkGet([doc.id, doc2.id])).map((d) => d?.status)).toEqual(['queued', 'queued']);
    expect(await db.vectors.count()).toBe(0);
    await expect(loadVectors(db, k.id, 'fake:a')).rejects.toMatchObject({ code: 'embedder_mismatch' });

    // A run with the old embedder is refused, not mixed in.
    expect(await ingest(db, doc.id, ports(new FakeEmbedder('fake:a', 8)))).toMatchObject({ status: 'error', error: { code: 'embedder_mismatch' } });
    await retryDocument(db, doc.id);
    await resumeAll(db, () => ports(new FakeEmbedder('fake:b', 16)));
    const set = await loadVectors(db, k.id, 'fake:b');
    expect(set).toMatchObject({ dims: 16, count: EXPECTED + 1 });
    expect((await db.chunks.toArray()).every((c) => c.embedderId === 'fake:b' && c.dims === 16)).toBe(true);
  });

  it('a batch of another length than the base holds is refused', async () => {
    const { k, doc } = await newDoc();
    await ingest(db, doc.id, ports(new FakeEmbedder('fake:a', 8)));
    const other = (await addDocument(db, { knowledgeId: k.id, file: new Blob(['x'.repeat(50)]), name: 'c.txt' })).document;
    expect(await ingest(db, other.id, ports(new FakeEmbedder('fake:a', 4)))).toMatchObject({ status: 'error', error: { code: 'embedder_mismatch' } });
    expect((await loadVectors(db, k.id, 'fake:a')).count).toBe(EXPECTED);
  });

  it('an embedding error marks the document failed with the message, keeping earlier batches; retry continues', async () => {
    const { doc } = await newDoc();
    const e = new FakeEmbedder();
    e.hook = (i) => {
      if (i === 2) throw new Error('HTTP 500 from the embeddings server');
    };
    expect(await ingest(db, doc.id, ports(e))).toMatchObject({ status: 'error', error: { message: 'HTTP 500 from the embeddings server' }, progress: { done: 6 } });
    expect((await documentChunks(db, doc.id)).length).toBe(6);
    await retryDocument(db, doc.id);
    const e2 = new FakeEmbedder();
    expect(await ingest(db, doc.id, ports(e2))).toMatchObject({ status: 'done', progress: { done: EXPECTED } });
    expect(e2.calls.flat().length).toBe(EXPECTED - 6);
  });

  it('a document without text ends as an error that says so', async () => {
    const { doc } = await newDoc('');
    expect(await ingest(db, doc.id, ports(new FakeEmbedder()))).toMatchObject({ status: 'error', error: { kind: 'invalid', message: NO_TEXT }, progress: { done: 0, total: 0 } });
    expect(await db.chunks.count()).toBe(0);
  });

  it('a file attached to a message (no base) is ingested and loads by document', async () => {
    const { document } = await addDocument(db, { knowledgeId: null, chatId: 'chat1', file: new Blob([TEXT]), name: 'att.txt' });
    expect(await ingest(db, document.id, ports(new FakeEmbedder()))).toMatchObject({ status: 'done' });
    const { loadDocumentVectors } = await import('./store');
    expect(await loadDocumentVectors(db, document.id, 'fake:a')).toMatchObject({ count: EXPECTED, dims: 8 });
  });
});

describe('with the real chunker', () => {
  it('chunk.ts fits the port: a markdown file ends done with its headings on the chunks', async () => {
    const md = ['# Install', 'Run the installer. '.repeat(20), '## On Linux', 'Use the package manager. '.repeat(20), '# Use', 'Open the app. '.repeat(20)].join('\n\n');
    const { doc } = await newDoc(md);
    const end = await ingest(db, doc.id, ports(new FakeEmbedder(), { chunk: chunkDocument, chunkOptions: { size: 200, overlap: 20 } }));
    expect(end).toMatchObject({ status: 'done' });
    const chunks = await documentChunks(db, doc.id);
    expect(chunks.length).toBe(end!.progress.total);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.some((c) => c.headings.join('/') === 'Install/On Linux')).toBe(true);
  });
});

describe('two runs at once', () => {
  it('two documents of a new base embedded with two models: the first batch stored decides, the other is refused', async () => {
    const k = await createKnowledge(db, { name: 'K' });
    const a = (await addDocument(db, { knowledgeId: k.id, file: new Blob([TEXT]), name: 'a' })).document;
    const b = (await addDocument(db, { knowledgeId: k.id, file: new Blob(['other text '.repeat(30)]), name: 'b' })).document;
    const [ra, rb] = await Promise.all([ingest(db, a.id, ports(new FakeEmbedder('fake:a', 8))), ingest(db, b.id, ports(new FakeEmbedder('fake:b', 8)))]);
    const winner = (await db.knowledge.get(k.id))!.embedderId;
    const [won, lost] = winner === 'fake:a' ? [ra, rb] : [rb, ra];
    expect(won).toMatchObject({ status: 'done' });
    expect(lost).toMatchObject({ status: 'error', error: { code: 'embedder_mismatch' }, progress: { done: 0 } });
    expect((await db.chunks.toArray()).every((c) => c.embedderId === winner)).toBe(true);
  });

  it('the same document run twice at once stores each chunk once', async () => {
    const { doc } = await newDoc();
    const e1 = new FakeEmbedder();
    const e2 = new FakeEmbedder();
    await Promise.all([ingest(db, doc.id, ports(e1)), ingest(db, doc.id, ports(e2))]);
    // The run that lost a batch to the other stops quietly, leaving the rest to it.
    expect(Math.min(e1.calls.length, e2.calls.length)).toBeLessThan(Math.ceil(EXPECTED / 3));
    expect(await db.documents.get(doc.id)).toMatchObject({ status: 'done', progress: { done: EXPECTED } });
    expect(await db.chunks.count()).toBe(EXPECTED);
    expect((await loadVectors(db, (await db.documents.get(doc.id))!.knowledgeId!, 'fake:a')).count).toBe(EXPECTED);
  });
});
