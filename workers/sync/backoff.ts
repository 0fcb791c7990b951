/** How long the live loop waits after a failure before trying again. */

/** The first wait after a failure. */
export const BACKOFF_FIRST_MS = 1_000;
/** The longest wait: a server down for hours is still tried every five minutes. */
export const BACKOFF_MAX_MS = 5 * 60_000;

/**
 * The wait after `failures` failures in a row (1 = the first): doubling from 1 s up to 5 min,
 * then a random 0–25 % on top, so devices that lost the same server do not come back in step.
 * Never above 5 min. `random` is in [0, 1).
 */
export function backoffDelay(failures: number, random: () => number): number {
  const n = Math.max(1, Math.floor(failures));
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** Math.min(n - 1, 30));
  return Math.min(BACKOFF_MAX_MS, Math.round(base * (1 + 0.25 * random())));
}
