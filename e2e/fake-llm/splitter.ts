/** Awkward byte splitting of response bodies (scenario `split`). */

const ODD_SIZES = [1, 5, 2, 11, 3, 7, 17, 4, 13, 9, 23, 6];

/** Cuts buffers at awkward offsets: mid-line, inside multi-byte UTF-8 characters, between CR and LF. */
export class Splitter {
  private i = 0;
  constructor(private readonly mode: 'odd' | number) {}

  cut(buf: Buffer): Buffer[] {
    if (buf.length <= 1) return [buf];
    const cuts = new Set<number>();
    if (typeof this.mode === 'number') {
      for (let at = this.mode; at < buf.length; at += this.mode) cuts.add(at);
    } else {
      // Scale the piece sizes with the body so huge bodies do not take minutes.
      const scale = Math.max(1, Math.ceil(buf.length / 1024));
      let at = 0;
      for (;;) {
        at += (ODD_SIZES[this.i++ % ODD_SIZES.length] ?? 1) * scale;
        if (at >= buf.length) break;
        cuts.add(at);
      }
      // Always cut inside the first few multi-byte characters and after the first CR.
      let forced = 0;
      for (let j = 0; j < buf.length - 1 && forced < 4; j++) {
        if ((buf[j] ?? 0) >= 0xc0) {
          cuts.add(j + 1);
          forced++;
        }
      }
      const cr = buf.indexOf(0x0d);
      if (cr >= 0 && cr + 1 < buf.length) cuts.add(cr + 1);
    }
    const sorted = [...cuts].filter((c) => c > 0 && c < buf.length).sort((a, b) => a - b);
    const pieces: Buffer[] = [];
    let prev = 0;
    for (const c of sorted) {
      pieces.push(buf.subarray(prev, c));
      prev = c;
    }
    pieces.push(buf.subarray(prev));
    return pieces;
  }
}
