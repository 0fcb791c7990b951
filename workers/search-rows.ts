import type { ParleyDb } from '../src/core/storage/db';
import type { Message } from '../src/core/storage/schema';

/** What a snippet needs of a message. */
export type MessageText = Pick<Message, 'id' | 'chatId' | 'role' | 'content'>;

/** Rows kept at most: a few answers' worth of snippets (up to ~50 each), well under a MB of text. */
const MAX_ROWS = 1000;

/**
 * The message rows recent answers showed, so the next keystroke (which mostly shows the same
 * chats) reads only the new ones from IndexedDB: a read there crosses to the browser process and
 * is the slow part of a query under load. A row leaves as soon as a change report names it; a
 * read overtaken by a report is returned but not kept (the generation moved on meanwhile).
 */
export class MessageRows {
  private rows = new Map<string, MessageText>();
  private generation = 0;

  constructor(private readonly db: ParleyDb) {}

  /** The rows still stored among `ids` (a deleted one is simply absent). */
  async get(ids: readonly string[]): Promise<Map<string, MessageText>> {
    const out = new Map<string, MessageText>();
    const missing: string[] = [];
    for (const id of ids) {
      const r = this.rows.get(id);
      if (r) {
        out.set(id, r);
        this.keep(r);
      } else missing.push(id);
    }
    if (missing.length === 0) return out;
    const generation = this.generation;
    for (const m of await this.db.messages.bulkGet(missing)) {
      if (!m) continue;
      const r: MessageText = { id: m.id, chatId: m.chatId, role: m.role, content: m.content };
      out.set(m.id, r);
      if (generation === this.generation) this.keep(r);
    }
    return out;
  }

  forget(ids: Iterable<string>): void {
    this.generation++;
    for (const id of ids) this.rows.delete(id);
  }

  clear(): void {
    this.generation++;
    this.rows.clear();
  }

  get size(): number {
    return this.rows.size;
  }

  /** Most recently used last; the oldest goes past the cap. */
  private keep(r: MessageText): void {
    this.rows.delete(r.id);
    this.rows.set(r.id, r);
    if (this.rows.size > MAX_ROWS) this.rows.delete(this.rows.keys().next().value!);
  }
}
