import type { UsageSummary } from './normalize-usage';

/** Marks a figure derived from an estimated token count. */
export const ESTIMATE_MARK = '≈';

/** Seconds for people: two decimals under 10 s (a TTFT of 0.41 s), one above. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

/** The reasoning block's title once it is done: "Thought for 4.2 s". */
export function formatThoughtFor(ms: number): string {
  return `Thought for ${(ms / 1000).toFixed(1)} s`;
}

/**
 * The line under an answer: "123 → 456 tokens · 38.2 tok/s · 0.41 s to first token". Unknown
 * parts are left out; an estimated count (and the speed from it) carries "≈". Empty when
 * nothing is known.
 */
export function formatUsageLine(u: UsageSummary): string {
  const mark = u.estimate ? ESTIMATE_MARK : '';
  const parts: string[] = [];
  if (u.completionTokens !== undefined) {
    const prompt = u.promptTokens !== undefined ? `${u.promptTokens} → ` : '';
    parts.push(`${prompt}${mark}${u.completionTokens} tokens`);
  } else if (u.promptTokens !== undefined) {
    parts.push(`${u.promptTokens} prompt tokens`);
  }
  if (u.tokensPerSecond !== undefined) parts.push(`${mark}${u.tokensPerSecond.toFixed(1)} tok/s`);
  if (u.ttftMs !== undefined) parts.push(`${formatSeconds(u.ttftMs)} to first token`);
  return parts.join(' · ');
}

/** The same figures spelled out, with where they came from (a tooltip). */
export function describeUsage(u: UsageSummary): string {
  const lines: string[] = [];
  if (u.promptTokens !== undefined) lines.push(`Prompt: ${u.promptTokens} tokens`);
  if (u.completionTokens !== undefined) lines.push(`Answer: ${u.estimate ? `about ${u.completionTokens} tokens (estimated from its length)` : `${u.completionTokens} tokens`}`);
  if (u.tokensPerSecond !== undefined) lines.push(`Speed: ${u.tokensPerSecond.toFixed(1)} tokens per second`);
  if (u.ttftMs !== undefined) lines.push(`First token after ${formatSeconds(u.ttftMs)}`);
  if (u.durationMs !== undefined) lines.push(`Total: ${formatSeconds(u.durationMs)}`);
  lines.push(u.source === 'server' ? 'Counts as reported by the server.' : 'Measured in this browser.');
  return lines.join('\n');
}
