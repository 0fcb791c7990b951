/** The synthetic corpus of the knowledge bench: chunk texts drawn from a Zipf vocabulary. */

/** A Zipf vocabulary: some real words first, then made-up syllable words. */
export function vocabulary(r: () => number, size: number): { word: () => string; words: string[] } {
  const real = ('model prompt deploy cache query index server client token stream answer question code function error test build release version branch merge review design plan budget recipe travel hotel flight garden music movie book story letter report meeting project team customer market price order kettle planet orbit rust python react database network water time people year way day man thing woman life child world school state family student group country problem hand part place case week company system program number night point home room mother area money fact month lot right study word business issue side kind head house service friend father power hour game line end member law car city community name president team minute idea kid body information back parent face others level office door health person art war history party result change morning reason research girl guy moment air teacher force education').split(' ');
  const syl = ['ka', 'lo', 'mi', 'ren', 'tor', 'sa', 'vel', 'qu', 'an', 'is', 'ber', 'dex', 'pho', 'lum', 'tri', 'go', 'nel', 'wa', 'zen', 'ix', 'mor', 'tha', 'el', 'pri'];
  const words = [...new Set(real)];
  const seen = new Set(words);
  while (words.length < size) {
    let w = '';
    const n = 2 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) w += syl[Math.floor(r() * syl.length)];
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  const cum = new Float64Array(words.length);
  let sum = 0;
  for (let i = 0; i < words.length; i++) cum[i] = sum += 1 / (i + 1);
  const word = (): string => {
    const x = r() * sum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  return { word, words };
}
