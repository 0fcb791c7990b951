import { SETTINGS } from '../src/core/storage/settings-keys';
import { saveConnection } from '../src/core/storage/connections';
import type { ParleyDb } from '../src/core/storage/db';
import type { Connection } from '../src/core/storage/schema';
import { isAppError } from '../src/core/errors';

/**
 * Test support for engine tests: a fetch that records every request body and answers each
 * with a finished stream of the right kind (Ollama NDJSON for /api/chat, else OpenAI SSE).
 */
export function recordingFetch(reply = 'ok') {
  const bodies: Array<Record<string, unknown>> = [];
  const fetch = async (url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)) as Record<string, unknown>);
    if (url.endsWith('/api/chat')) {
      const line = { model: 'm', message: { role: 'assistant', content: reply }, done: true, done_reason: 'stop' };
      return new Response(`${JSON.stringify(line)}\n`, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
    }
    const sse = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: reply }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
    return new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { fetch, bodies };
}

/** A stored connection of `kind` to a port nothing listens on (tests give their own fetch). */
export async function testServerConnection(db: ParleyDb, kind: 'openai' | 'ollama'): Promise<Connection> {
  const conn = await saveConnection(db, { kind, url: kind === 'openai' ? 'http://127.0.0.1:9/v1' : 'http://127.0.0.1:9' }, 1);
  if (isAppError(conn)) throw new Error(conn.message);
  return conn;
}

/**
 * Turns the background tasks (title, tags, follow-ups) off: tests about the chat request count
 * and read every request the fake fetch gets, and the tasks would add theirs after each answer.
 */
export async function withoutTasks(db: ParleyDb): Promise<void> {
  await db.settings.put({ key: SETTINGS.tasks, value: { enabled: { title: false, tags: false, followUps: false } } });
}
