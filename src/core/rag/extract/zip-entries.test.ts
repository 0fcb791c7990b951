import { describe, expect, it } from 'vitest';
import { isDocx, zipEntryNames } from './zip-entries';
import { crc32, makeZip } from './__fixtures__/make-zip';
import { makeDocx } from './__fixtures__/make-docx';

describe('zipEntryNames', () => {
  it('lists the entries of a zip from its central directory', () => {
    expect(zipEntryNames(makeZip({ 'a.txt': 'x', 'dir/b.xml': '<b/>' }))).toEqual(['a.txt', 'dir/b.xml']);
  });

  it('tells a Word document from another zip and from damaged bytes', () => {
    expect(isDocx(makeDocx([{ p: 'hi' }]))).toBe(true);
    expect(isDocx(makeZip({ 'word/other.xml': 'x' }))).toBe(false);
    const cut = makeDocx([{ p: 'hi' }]).subarray(0, 200);
    expect(zipEntryNames(cut)).toBeUndefined();
    expect(isDocx(cut)).toBe(false);
  });

  it('the test zip writer computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789')).toString(16)).toBe('cbf43926');
  });
});
