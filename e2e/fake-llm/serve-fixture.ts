/** Scenario `fixture`: serve a recorded stream byte-exact, cut into its events for pacing. */

import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { OLLAMA_STREAM_ERROR, OPENAI_STREAM_ERROR, goJson } from './error-bodies';
import { isRecord } from './helpers';
import { writeSteps } from './pacing';
import { send, type Ctx } from './request-context';
import type { Scenario } from './scenario';
import { truncate, type Step } from './steps';

/** Events of a recorded body: SSE events end with a blank line, NDJSON lines with "\n". */
function cutEvents(buf: Buffer, contentType: string): Buffer[] {
  const ct = contentType.toLowerCase();
  const out: Buffer[] = [];
  let start = 0;
  if (ct.includes('event-stream')) {
    let lineStart = 0;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i];
      if (b !== 0x0a && b !== 0x0d) continue;
      let end = i + 1;
      if (b === 0x0d && buf[i + 1] === 0x0a) end = i + 2;
      const empty = i === lineStart;
      i = end - 1;
      lineStart = end;
      if (empty) {
        out.push(buf.subarray(start, end));
        start = end;
      }
    }
  } else if (ct.includes('ndjson')) {
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 0x0a) {
        out.push(buf.subarray(start, i + 1));
        start = i + 1;
      }
    }
  } else {
    return [buf];
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}

export async function serveFixture(ctx: Ctx, s: Scenario, name: string, fixturesDir: string): Promise<void> {
  let body: Buffer;
  let contentType = 'application/octet-stream';
  let status = 200;
  try {
    body = await readFile(path.join(fixturesDir, 'streams', `${name}.txt`));
    const sidecar: unknown = JSON.parse(await readFile(path.join(fixturesDir, 'streams', `${name}.json`), 'utf8'));
    if (isRecord(sidecar)) {
      if (typeof sidecar['contentType'] === 'string') contentType = sidecar['contentType'];
      if (typeof sidecar['status'] === 'number') status = sidecar['status'];
    }
  } catch (err) {
    send(
      ctx,
      500,
      { 'content-type': 'text/plain; charset=utf-8', 'x-fake-llm-error': 'fixture' },
      `fake-llm: cannot read fixture "${name}" in ${fixturesDir}: ${err instanceof Error ? err.message : String(err)}`,
    );
    return;
  }
  const streaming = /event-stream|ndjson/i.test(contentType);
  const steps: Step[] = cutEvents(body, contentType).map((b) => ({ kind: 'token', data: b }));
  const errorSteps: Step[] = /ndjson/i.test(contentType)
    ? [{ kind: 'tail', data: Buffer.from(goJson(OLLAMA_STREAM_ERROR) + '\n') }]
    : [
        { kind: 'tail', data: Buffer.from(`data: ${JSON.stringify(OPENAI_STREAM_ERROR)}\n\n`) },
        { kind: 'tail', data: Buffer.from('data: [DONE]\n\n') },
      ];
  const t = truncate(steps, s, errorSteps);
  const untouched = t.steps === steps;
  await writeSteps(ctx, status, { 'content-type': contentType }, t.steps, s, t.ending, !streaming && untouched ? body.length : undefined);
}
