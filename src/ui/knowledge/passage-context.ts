/** How much text either side of a passage the "in context" view shows (characters). */
export const CONTEXT_CHARS = 1200;

export interface PassageInContext {
  before: string;
  passage: string;
  after: string;
  /** Text was cut off before / after what is shown. */
  cutBefore: boolean;
  cutAfter: boolean;
}

/**
 * The passage at `start..end` of `text` with up to `around` characters either side, cut at a
 * line or word break where one is near so the view does not start mid-word.
 */
export function passageInContext(text: string, start: number, end: number, around = CONTEXT_CHARS): PassageInContext {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  let from = Math.max(0, s - around);
  let to = Math.min(text.length, e + around);
  if (from > 0) {
    const nl = text.indexOf('\n', from);
    const sp = text.indexOf(' ', from);
    const cut = nl >= 0 && nl < s && nl - from < 200 ? nl + 1 : sp >= 0 && sp < s ? sp + 1 : from;
    from = cut;
  }
  if (to < text.length) {
    const nl = text.lastIndexOf('\n', to);
    const sp = text.lastIndexOf(' ', to);
    to = nl > e && to - nl < 200 ? nl : sp > e ? sp : to;
  }
  return { before: text.slice(from, s), passage: text.slice(s, e), after: text.slice(e, to), cutBefore: from > 0, cutAfter: to < text.length };
}

/** Where the passage is in `text` when its offsets are unknown or stale: by its text (null when not found). */
export function findPassage(text: string, passage: string): { start: number; end: number } | null {
  const at = text.indexOf(passage);
  if (at >= 0) return { start: at, end: at + passage.length };
  // Whole-document sources and edited texts: try the passage's first line.
  const head = passage.split('\n').find((l) => l.trim().length > 20)?.trim();
  const h = head ? text.indexOf(head) : -1;
  return h >= 0 ? { start: h, end: h + head!.length } : null;
}
