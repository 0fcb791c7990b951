/** A saved key as the UI may show it: its last four characters, never more. */
export function maskKey(key: string): string {
  if (!key) return 'no key';
  return key.length <= 8 ? '…' : `…${key.slice(-4)}`;
}
