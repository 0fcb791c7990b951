/** Writing a streamed body: steps paced by tokensPerSecond, split into pieces, then the ending. */

import { performance } from 'node:perf_hooks';

import type { Ctx } from './request-context';
import type { Scenario } from './scenario';
import { Splitter } from './splitter';
import { bytesOf, type Ending, type Step } from './steps';

function write(ctx: Ctx, buf: Buffer): Promise<void> {
  if (ctx.gone || buf.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      ctx.res.off('close', done);
      resolve();
    };
    ctx.res.once('close', done);
    ctx.res.write(buf, () => done());
  });
}

async function writeBytes(ctx: Ctx, buf: Buffer, splitter: Splitter | undefined): Promise<void> {
  if (!splitter) return write(ctx, buf);
  const pieces = splitter.cut(buf);
  // ~1 ms between pieces so they reach the client separately; for very many pieces only every
  // few pieces, so one body never spends more than ~0.25 s in these pauses.
  const every = Math.max(1, Math.ceil(pieces.length / 250));
  for (let i = 0; i < pieces.length; i++) {
    if (ctx.gone) return;
    await write(ctx, pieces[i] ?? Buffer.alloc(0));
    if (i < pieces.length - 1 && i % every === every - 1) await ctx.sleep(1);
  }
}

/** Send a body as a series of steps, honouring tokensPerSecond, split and the ending. */
export async function writeSteps(
  ctx: Ctx,
  status: number,
  headers: Record<string, string>,
  steps: Step[],
  s: Scenario,
  ending: Ending,
  contentLength?: number,
): Promise<void> {
  if (ctx.gone) return;
  const head: Record<string, string> = { ...headers, ...ctx.cors };
  if (contentLength !== undefined && ending === 'end') head['content-length'] = String(contentLength);
  ctx.res.writeHead(status, head);
  ctx.res.flushHeaders();
  const splitter = s.split !== undefined ? new Splitter(s.split) : undefined;
  const tps = s.tokensPerSecond ?? 0;
  if (tps > 0) {
    const interval = 1000 / tps;
    const t0 = performance.now();
    let k = 0;
    for (const st of steps) {
      if (st.kind === 'token') {
        k++;
        const wait = t0 + k * interval - performance.now();
        if (wait > 0) await ctx.sleep(wait);
      }
      if (ctx.gone) return;
      await writeBytes(ctx, bytesOf(st), splitter);
    }
  } else if (steps.length > 0) {
    await writeBytes(ctx, Buffer.concat(steps.map(bytesOf)), splitter);
  }
  if (ctx.gone) return;
  if (ending === 'end') ctx.res.end();
  else if (ending === 'drop') ctx.req.socket.destroy();
  // 'hang': leave the response open; the client or close() ends it.
}
