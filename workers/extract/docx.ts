/**
 * DOCX → markdown with mammoth: its HTML (headings from Word's heading styles, lists, tables),
 * then our small converter (src/core/rag/extract/mammoth-html.ts). Images are not read (only
 * their alt text is kept). mammoth comes in as a parameter, loaded lazily by the worker.
 */
import { failed, MESSAGES, type ExtractResult } from '../../src/core/rag/extract/extract-error';
import { mammothHtmlToMarkdown } from '../../src/core/rag/extract/mammoth-html';

/** The part of mammoth's API used here. */
export interface MammothLike {
  convertToHtml(input: { arrayBuffer: ArrayBuffer }, options?: { convertImage?: unknown }): Promise<{ value: string; messages: Array<{ type: string; message: string }> }>;
  images: { imgElement(f: (image: unknown) => Promise<{ src: string }>): unknown };
}

export async function extractDocx(mammoth: MammothLike, bytes: Uint8Array, name: string): Promise<ExtractResult> {
  const arrayBuffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
  try {
    // An empty src: the image's bytes are never read nor base64-encoded into the text.
    const { value } = await mammoth.convertToHtml({ arrayBuffer }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) });
    return { ok: true, doc: { text: mammothHtmlToMarkdown(value) } };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return failed('corrupt', MESSAGES.notDocx(name), `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`);
  }
}
