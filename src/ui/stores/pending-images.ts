import { createSignal, onCleanup } from 'solid-js';
import { refuseImage } from '../../core/images/check-image';
import type { NewImage } from '../../core/storage/message-images';

/** An image waiting in the composer: checked, decoded once, with a preview URL. */
export interface PendingImage extends NewImage {
  key: string;
  /** Object URL of the blob for the thumbnail; revoked when the image leaves. */
  url: string;
}

/** Decodes an image once: a file that only claims to be an image fails here. */
export type Decode = (blob: Blob) => Promise<{ width: number; height: number }>;

export const decodeWithBitmap: Decode = async (blob) => {
  const bmp = await createImageBitmap(blob);
  const size = { width: bmp.width, height: bmp.height };
  bmp.close();
  return size;
};

/**
 * The composer's images before sending. `add` checks each file (type, size, count), decodes it
 * once to refuse broken ones and learn its size, and says why in `refuse` for each it leaves out.
 */
export function createPendingImages(refuse: (why: string) => void, decode: Decode = decodeWithBitmap) {
  const [images, setImages] = createSignal<PendingImage[]>([]);
  // A file being decoded counts against the limit, so a paste during a pick cannot pass it.
  let decoding = 0;
  let next = 1;

  const add = async (files: readonly File[]) => {
    // One at a time, so the thumbnails keep the order the files came in.
    for (const file of files) {
      const why = refuseImage(file, images().length + decoding);
      if (why) {
        refuse(why);
        continue;
      }
      decoding++;
      try {
        const size = await decode(file);
        const img: PendingImage = { key: `img-${next++}`, url: URL.createObjectURL(file), blob: file, mime: file.type, name: file.name || 'pasted image', ...size };
        setImages((list) => [...list, img]);
      } catch {
        refuse(`“${file.name || 'The pasted image'}” could not be read as an image; the file may be damaged.`);
      } finally {
        decoding--;
      }
    }
  };
  const remove = (key: string) => {
    const gone = images().find((i) => i.key === key);
    if (gone) URL.revokeObjectURL(gone.url);
    setImages((list) => list.filter((i) => i.key !== key));
  };
  const clear = () => {
    for (const i of images()) URL.revokeObjectURL(i.url);
    setImages([]);
  };
  onCleanup(clear);
  return [images, { add, remove, clear }] as const;
}
