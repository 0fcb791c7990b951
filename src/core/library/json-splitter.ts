/**
 * Cuts a JSON text, fed in pieces, into the elements of its top-level array, without parsing
 * them: each element's text is handed on whole, to be `JSON.parse`d on its own, so a 200 MB
 * export never sits in memory as one string or one object tree. A top-level object (a backup,
 * a single chat) is handed on whole as one element. Strings and escapes are tracked so brackets
 * inside text do not count; nesting deeper than `maxDepth` is refused before anything parses it
 * (a recursive parser or validator would overflow its stack).
 */
export class JsonSplitError extends Error {}

export interface SplitterOptions {
  maxDepth: number;
  /** Called with each element's text; `top` says whether the file is an array or a single value. */
  onElement(text: string, top: 'array' | 'value'): void;
}

export class JsonSplitter {
  private top: 'array' | 'value' | null = null;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Text of the element being read that earlier pieces held. */
  private carry: string[] = [];
  private collecting = false;
  private ended = false;
  /** After `]` of the top-level array or the end of a top-level value: only whitespace may follow. */
  private closed = false;
  private expectValue = true;
  private items = 0;

  constructor(private readonly opts: SplitterOptions) {}

  push(piece: string): void {
    let start = this.collecting ? 0 : -1;
    for (let i = 0; i < piece.length; i++) {
      const ch = piece.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === 0x5c) this.escaped = true;
        else if (ch === 0x22) this.inString = false;
        continue;
      }
      if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) continue;
      if (this.closed) throw new JsonSplitError('Unexpected text after the end of the JSON.');
      if (this.top === null) {
        if (ch !== 0x5b && ch !== 0x7b) throw new JsonSplitError('The file is not a JSON list or object.');
        this.top = ch === 0x5b ? 'array' : 'value';
        if (this.top === 'array') {
          this.depth = 1;
          continue;
        }
      }
      if (this.top === 'array' && this.depth === 1) {
        if (ch === 0x5d) {
          if (this.expectValue && this.items > 0) throw new JsonSplitError('Unexpected comma before the end of the top-level list.');
          this.closed = true;
          continue;
        }
        if (ch === 0x2c) {
          if (this.expectValue) throw new JsonSplitError('Unexpected comma in the top-level list.');
          this.expectValue = true;
          continue;
        }
        if (!this.expectValue) throw new JsonSplitError('Missing comma between two items of the top-level list.');
        if (ch !== 0x7b) throw new JsonSplitError('An item of the top-level list is not an object.');
        this.expectValue = false;
        this.items++;
        this.collecting = true;
        start = i;
      } else if (!this.collecting) {
        this.collecting = true;
        start = i;
      }
      if (ch === 0x22) this.inString = true;
      else if (ch === 0x7b || ch === 0x5b) {
        if (++this.depth > this.opts.maxDepth) throw new JsonSplitError(`The JSON is nested more than ${this.opts.maxDepth} levels deep.`);
      } else if (ch === 0x7d || ch === 0x5d) {
        if (--this.depth < (this.top === 'array' ? 1 : 0)) throw new JsonSplitError('Unbalanced brackets in the JSON.');
      }
      // Elements are objects (and the top value an object): one ends when its closing brace brings the depth back.
      if (this.depth === (this.top === 'array' ? 1 : 0) && (ch === 0x7d || ch === 0x5d)) {
        this.emit(piece.slice(start, i + 1));
        start = -1;
      }
    }
    if (this.collecting && start >= 0) this.carry.push(piece.slice(start));
  }

  private emit(tail: string): void {
    const text = this.carry.length ? this.carry.join('') + tail : tail;
    this.carry = [];
    this.collecting = false;
    if (this.top === 'value') this.closed = true;
    this.opts.onElement(text, this.top!);
  }

  /** The input is complete: anything unfinished is an error. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.top === null) throw new JsonSplitError('The file is empty.');
    if (this.inString) throw new JsonSplitError('The JSON ends inside a string.');
    if (this.collecting) throw new JsonSplitError('The JSON ends before it is complete.');
    if (this.top === 'array' && !this.closed) throw new JsonSplitError('The JSON ends before its top-level list is closed.');
  }
}
