import { describe, expect, it } from 'vitest';
import { createRoot } from 'solid-js';
import { createPendingImages, type Decode } from './pending-images';

const png = (name: string, size = 4) => new File([new Uint8Array(size)], name, { type: 'image/png' });
/** Decodes anything whose name does not say "broken", as a 3×2 image. */
const decode: Decode = async (blob) => {
  if (blob instanceof File && blob.name.includes('broken')) throw new Error('bad image');
  return { width: 3, height: 2 };
};

function setup() {
  const refused: string[] = [];
  return createRoot((dispose) => {
    const [images, actions] = createPendingImages((why) => refused.push(why), decode);
    return { images, actions, refused, dispose };
  });
}

describe('createPendingImages', () => {
  it('keeps good images in order with their size, refuses the rest with a reason each', async () => {
    const s = setup();
    await s.actions.add([png('a.png'), new File(['x'], 'n.txt', { type: 'text/plain' }), png('broken.png'), png('b.png')]);
    expect(s.images().map((i) => [i.name, i.width, i.height, i.mime])).toEqual([
      ['a.png', 3, 2, 'image/png'],
      ['b.png', 3, 2, 'image/png'],
    ]);
    expect(s.refused).toHaveLength(2);
    expect(s.refused[0]).toContain('“n.txt” is not an image');
    expect(s.refused[1]).toContain('“broken.png” could not be read');
    s.dispose();
  });

  it('stops at 8 images per message', async () => {
    const s = setup();
    await s.actions.add(Array.from({ length: 10 }, (_, i) => png(`${i}.png`)));
    expect(s.images()).toHaveLength(8);
    expect(s.refused).toEqual([expect.stringContaining('At most 8 images'), expect.stringContaining('At most 8 images')]);
    s.dispose();
  });

  it('remove and clear take images out', async () => {
    const s = setup();
    await s.actions.add([png('a.png'), png('b.png'), png('c.png')]);
    s.actions.remove(s.images()[1]!.key);
    expect(s.images().map((i) => i.name)).toEqual(['a.png', 'c.png']);
    s.actions.clear();
    expect(s.images()).toEqual([]);
    s.dispose();
  });
});
