import { describe, expect, it } from 'vitest';
import {
  MAX_STOP,
  PARAM_FIELDS,
  chatParamsSchema,
  isParamsFormError,
  mergeParams,
  paramsToText,
  parseParamsForm,
  parseStopText,
  readParams,
  type ParamsText,
} from './params';
import { OLLAMA_ONLY_PARAMS, type ChatParams } from './providers/types';

function formError(text: ParamsText) {
  const r = parseParamsForm(text);
  if (!isParamsFormError(r)) throw new Error(`expected an error, got ${JSON.stringify(r)}`);
  return r;
}

function formOk(text: ParamsText): ChatParams {
  const r = parseParamsForm(text);
  if (isParamsFormError(r)) throw new Error(`expected params, got ${r.message}`);
  return r;
}

describe('parseParamsForm', () => {
  it('turns every field’s text into its typed value', () => {
    expect(
      formOk({
        temperature: '0.7',
        top_p: ' 0.9 ',
        max_tokens: '256',
        stop: 'END\n\\n\\nUser:\n',
        seed: '-42',
        frequency_penalty: '-1.5',
        presence_penalty: '2',
        num_ctx: '8192',
        keep_alive: '1h30m',
        top_k: '0',
        min_p: '0.05',
        repeat_penalty: '1.1',
      }),
    ).toEqual({
      temperature: 0.7,
      top_p: 0.9,
      max_tokens: 256,
      stop: ['END', '\n\nUser:'],
      seed: -42,
      frequency_penalty: -1.5,
      presence_penalty: 2,
      num_ctx: 8192,
      keep_alive: '1h30m',
      top_k: 0,
      min_p: 0.05,
      repeat_penalty: 1.1,
    });
  });

  it('leaves empty and blank fields unset', () => {
    expect(formOk({})).toEqual({});
    expect(formOk({ temperature: '', max_tokens: '   ', stop: '\n\n' })).toEqual({});
  });

  it('accepts the range ends and a decimal comma', () => {
    expect(formOk({ temperature: '0', top_p: '1', frequency_penalty: '-2' })).toEqual({ temperature: 0, top_p: 1, frequency_penalty: -2 });
    expect(formOk({ temperature: '2', min_p: '0,1' })).toEqual({ temperature: 2, min_p: 0.1 });
  });

  it('takes keep_alive as a Go duration, seconds, or -1 for forever', () => {
    for (const d of ['5m', '1h30m', '90s', '0', '-1m', '1.5h', '300ms']) expect(formOk({ keep_alive: d }).keep_alive, d).toBeDefined();
    expect(formOk({ keep_alive: '5m' }).keep_alive).toBe('5m');
    expect(formOk({ keep_alive: '300' }).keep_alive).toBe(300);
    expect(formOk({ keep_alive: '-1' }).keep_alive).toBe(-1);
    expect(formOk({ keep_alive: '0' }).keep_alive).toBe(0);
    for (const bad of ['forever', '5 minutes', '5M', 'm5', '-2', '1d']) expect(formError({ keep_alive: bad }).field, bad).toBe('keep_alive');
  });

  it('names the bad field and what it expects, in words', () => {
    const e = formError({ temperature: '0.5', max_tokens: 'abc' });
    expect(e.kind).toBe('invalid');
    expect(e.field).toBe('max_tokens');
    expect(e.message).toBe('Max tokens must be a whole number above 0 (you entered “abc”).');
    expect(formError({ temperature: '3' }).message).toBe('Temperature must be a number from 0 to 2 (you entered “3”).');
  });

  it('rejects each kind of out-of-range or mistyped value', () => {
    const cases: Array<[keyof ChatParams, string]> = [
      ['temperature', '-0.1'],
      ['temperature', '2.01'],
      ['temperature', 'hot'],
      ['top_p', '1.5'],
      ['max_tokens', '0'],
      ['max_tokens', '1.5'],
      ['max_tokens', '1,000'],
      ['max_tokens', '1e400'],
      ['seed', '1.2'],
      ['frequency_penalty', '2.5'],
      ['presence_penalty', '-3'],
      ['num_ctx', '-1'],
      ['top_k', '-1'],
      ['top_k', '2.5'],
      ['min_p', '1.1'],
      ['repeat_penalty', '-0.1'],
      ['temperature', '0x1'],
      ['temperature', '1 2'],
    ];
    for (const [field, text] of cases) expect(formError({ [field]: text }).field, `${field}=${text}`).toBe(field);
  });

  it('limits the number of stop sequences', () => {
    const many = Array.from({ length: MAX_STOP + 1 }, (_, i) => `s${i}`).join('\n');
    expect(formError({ stop: many }).field).toBe('stop');
    expect(formOk({ stop: many.split('\n').slice(0, MAX_STOP).join('\n') }).stop).toHaveLength(MAX_STOP);
  });

  it('shortens a long bad value in the message', () => {
    expect(formError({ temperature: 'x'.repeat(100) }).message).toContain(`“${'x'.repeat(39)}…”`);
  });
});

describe('parseStopText', () => {
  it('keeps spaces, decodes \\n, \\t and \\\\, drops empty lines and CRs', () => {
    expect(parseStopText(' User:\r\n\n\\tEnd\\\\n\n')).toEqual([' User:', '\tEnd\\n']);
  });
});

describe('paramsToText', () => {
  it('round-trips through the form parser', () => {
    const p: ChatParams = { temperature: 0.2, stop: ['\n\n', 'a\\b', '\tx'], keep_alive: -1, num_ctx: 4096, seed: 7 };
    expect(formOk(paramsToText(p))).toEqual(p);
    expect(paramsToText({ keep_alive: '5m' })).toEqual({ keep_alive: '5m' });
    expect(paramsToText({})).toEqual({});
  });
});

describe('readParams', () => {
  it('keeps valid fields and drops invalid or unknown ones', () => {
    expect(
      readParams({ temperature: 0.5, top_p: 7, max_tokens: '100', stop: ['x'], keep_alive: '5m', num_ctx: 2048, mirostat: 2, seed: null }),
    ).toEqual({ temperature: 0.5, stop: ['x'], keep_alive: '5m', num_ctx: 2048 });
  });

  it('drops an empty or mistyped stop list', () => {
    expect(readParams({ stop: [] })).toEqual({});
    expect(readParams({ stop: ['a', 3] })).toEqual({});
    expect(readParams({ stop: 'x' })).toEqual({});
  });

  it('gives {} for anything that is not an object', () => {
    for (const v of [undefined, null, 3, 'x', [1, 2], true]) expect(readParams(v)).toEqual({});
  });
});

describe('mergeParams', () => {
  it('lets the chat’s set fields win, field by field', () => {
    const defaults: ChatParams = { temperature: 0.2, max_tokens: 100, stop: ['A'], keep_alive: '5m' };
    const chat: ChatParams = { temperature: 1.1, stop: ['B', 'C'], top_k: 0 };
    expect(mergeParams(defaults, chat)).toEqual({ temperature: 1.1, max_tokens: 100, stop: ['B', 'C'], keep_alive: '5m', top_k: 0 });
  });

  it('ignores fields the chat leaves undefined, and keeps 0 and -1 as set values', () => {
    expect(mergeParams({ temperature: 0.7, keep_alive: '5m' }, { temperature: undefined, keep_alive: -1 })).toEqual({ temperature: 0.7, keep_alive: -1 });
    expect(mergeParams({ temperature: 0.7 }, { temperature: 0 })).toEqual({ temperature: 0 });
    expect(mergeParams({}, {})).toEqual({});
  });

  it('does not change its inputs', () => {
    const d: ChatParams = { temperature: 0.2 };
    mergeParams(d, { temperature: 1 });
    expect(d).toEqual({ temperature: 0.2 });
  });
});

describe('the field table', () => {
  it('covers every param once and marks exactly the Ollama-only ones', () => {
    const names = PARAM_FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(Object.keys(chatParamsSchema.shape).sort());
    expect(PARAM_FIELDS.filter((f) => f.ollamaOnly).map((f) => f.name).sort()).toEqual([...OLLAMA_ONLY_PARAMS].sort());
  });

  it('the strict schema rejects what readParams would drop', () => {
    expect(chatParamsSchema.safeParse({ temperature: 0.5, keep_alive: '10m' }).success).toBe(true);
    expect(chatParamsSchema.safeParse({ temperature: 5 }).success).toBe(false);
    expect(chatParamsSchema.safeParse({ keep_alive: 'soon' }).success).toBe(false);
  });
});
