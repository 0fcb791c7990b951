// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { prepareFiles } from './add-files';

/** A File-like that fails the test if anything reads it. */
function unreadable(name: string, size: number): File {
  const fail = () => {
    throw new Error(`${name} was read`);
  };
  return { name, size, type: 'text/html', text: fail, arrayBuffer: fail, slice: fail } as unknown as File;
}

describe('prepareFiles', () => {
  it('turns HTML into markdown text under its own name and leaves other files as they are', async () => {
    const md = new File(['# Notes'], 'notes.md', { type: 'text/markdown' });
    const html = new File(['<html><body><main><h1>Title</h1><p>Body text.</p></main></body></html>'], 'page.html', { type: 'text/html' });
    const [a, b] = await prepareFiles([md, html]);
    expect(a).toBe(md);
    expect(b).toMatchObject({ name: 'page.html', mime: 'text/markdown' });
    expect((b as { text: string }).text).toContain('# Title');
    expect((b as { text: string }).text).toContain('Body text.');
  });

  it('never reads an HTML file its size alone refuses (empty, over 100 MB): the worker says why', async () => {
    const big = unreadable('huge.html', 150 * 1024 * 1024);
    const empty = unreadable('empty.htm', 0);
    expect(await prepareFiles([big, empty])).toEqual([big, empty]);
  });
});
