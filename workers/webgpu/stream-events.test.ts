import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, it } from 'vitest';
import { collect } from '../../src/core/providers/test-collect';
import type { ChatRequest } from '../../src/core/providers/types';
import { FakeWebLlm } from './fake-runtime';
import { createWebGpuService } from './service';
import { streamEvents } from './stream-events';

const LLAMA = 'Llama-3.2-1B-Instruct-q4f32_1-MLC';
const ask: ChatRequest = { model: LLAMA, messages: [{ role: 'user', content: 'hi' }] };

function setup(reply = 'one two three four five six') {
  const rt = new FakeWebLlm({ appConfig: prebuiltAppConfig, cached: [LLAMA], reply: () => reply });
  return { rt, api: createWebGpuService({ runtime: rt, cache: rt, appConfig: prebuiltAppConfig }) };
}

describe('streamEvents', () => {
  it('yields the service events as an AsyncIterable, done last', async () => {
    const { api } = setup();
    const out = await collect(streamEvents(api, 1, ask, new AbortController().signal));
    expect(out.text).toBe('one two three four five six');
    expect(out.types.at(-1)).toBe('done');
    expect(out.types.filter((t) => t === 'usage')).toHaveLength(1);
  });

  it('the signal cancels: partial text, then an aborted error', async () => {
    const { rt, api } = setup();
    const controller = new AbortController();
    const types: string[] = [];
    let text = '';
    for await (const ev of streamEvents(api, 2, ask, controller.signal)) {
      types.push(ev.type);
      if (ev.type === 'text') {
        text += ev.text;
        if (text === 'one ') controller.abort();
      }
      if (ev.type === 'error') expect(ev.error.kind).toBe('aborted');
    }
    expect(types.at(-1)).toBe('error');
    expect(text.startsWith('one ')).toBe(true);
    expect(text).not.toBe('one two three four five six');
    expect(rt.calls).toContain('interrupt');
  });

  it('an already aborted signal never reaches the worker; a consumer that stops reading cancels', async () => {
    const { rt, api } = setup();
    const controller = new AbortController();
    controller.abort();
    const out = await collect(streamEvents(api, 3, ask, controller.signal));
    expect(out.error?.kind).toBe('aborted');
    expect(rt.calls).not.toContain('create');

    for await (const ev of streamEvents(api, 4, ask, new AbortController().signal)) if (ev.type === 'text') break;
    // The service finishes the cancelled stream; the next one runs normally.
    const next = await collect(streamEvents(api, 5, ask, new AbortController().signal));
    expect(next.types.at(-1)).toBe('done');
    // Stopped early (interrupt → 'abort', or left at the next chunk → 'return'), not run to 'stop'.
    expect(['abort', 'return']).toContain(rt.generationEnds[0]);
    expect(rt.generationEnds[1]).toBe('stop');
  });
});
