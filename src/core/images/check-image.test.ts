import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, MAX_IMAGES, refuseImage } from './check-image';

describe('refuseImage', () => {
  it('accepts the four image types under the limits', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/webp', 'image/gif']) {
      expect(refuseImage({ name: 'a', type, size: 10 }, 0)).toBeNull();
    }
    expect(refuseImage({ name: 'a.png', type: 'image/png', size: MAX_IMAGE_BYTES }, MAX_IMAGES - 1)).toBeNull();
  });

  it('refuses other types, by name', () => {
    expect(refuseImage({ name: 'notes.txt', type: 'text/plain', size: 10 }, 0)).toContain('“notes.txt” is not an image');
    expect(refuseImage({ name: 'x.svg', type: 'image/svg+xml', size: 10 }, 0)).toContain('not an image');
    expect(refuseImage({ name: '', type: '', size: 10 }, 0)).toContain('The pasted file');
  });

  it('refuses a file over 10 MB, saying its size', () => {
    expect(refuseImage({ name: 'big.png', type: 'image/png', size: MAX_IMAGE_BYTES + 1 }, 0)).toBe('“big.png” is 10.0 MB; images can be at most 10 MB.');
  });

  it('refuses an empty file and a ninth image', () => {
    expect(refuseImage({ name: 'e.png', type: 'image/png', size: 0 }, 0)).toContain('empty');
    expect(refuseImage({ name: 'n.png', type: 'image/png', size: 5 }, MAX_IMAGES)).toContain('At most 8 images');
  });
});
