import { describe, expect, it } from 'vitest';
import { splitNdjson } from './parse-ndjson';
import { cutAt, splitVariants, streamOf, utf8 } from './test-chunks';

async function lines(chunks: Uint8Array[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const v of splitNdjson(streamOf(chunks))) out.push(v);
  return out;
}

const body = '{"a":"Grüße 👋"}\r\n\n  \n{"b":[1,2]}\n{"c":"日本"}';
const values = [{ a: 'Grüße 👋' }, { b: [1, 2] }, { c: '日本' }];

describe('splitNdjson', () => {
  for (const { name, chunks } of splitVariants(utf8(body))) {
    it(`keeps partial lines across reads, handles CRLF, blank lines and a last line without \\n (${name})`, async () => {
      expect(await lines(chunks)).toEqual(values);
    });
  }

  it('cuts inside a multi-byte character', async () => {
    const bytes = utf8('{"a":"é"}\n');
    // "é" is bytes 6 and 7; cut between them.
    expect(await lines(cutAt(bytes, [7]))).toEqual([{ a: 'é' }]);
  });

  it('yields nothing for an empty body', async () => {
    expect(await lines([])).toEqual([]);
  });

  it('throws a protocol AppError at a line that is not JSON, after the lines before it', async () => {
    const seen: unknown[] = [];
    const run = async () => {
      for await (const v of splitNdjson(streamOf([utf8('{"ok":1}\nnot json\n{"never":1}\n')]))) seen.push(v);
    };
    await expect(run()).rejects.toMatchObject({ kind: 'protocol' });
    expect(seen).toEqual([{ ok: 1 }]);
  });
});
