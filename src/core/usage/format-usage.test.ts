import { describe, expect, it } from 'vitest';
import { describeUsage, formatSeconds, formatThoughtFor, formatUsageLine } from './format-usage';
import type { UsageSummary } from './normalize-usage';

const base: UsageSummary = { source: 'server', estimate: false };

describe('formatUsageLine', () => {
  it.each<[string, UsageSummary, string]>([
    ['everything', { ...base, promptTokens: 123, completionTokens: 456, tokensPerSecond: 38.24, ttftMs: 410 }, '123 → 456 tokens · 38.2 tok/s · 0.41 s to first token'],
    ['no prompt count', { ...base, completionTokens: 456, tokensPerSecond: 38.25 }, '456 tokens · 38.3 tok/s'],
    ['only a prompt count', { ...base, promptTokens: 12 }, '12 prompt tokens'],
    ['an estimate', { source: 'measured', estimate: true, completionTokens: 100, tokensPerSecond: 50, ttftMs: 12_345 }, '≈100 tokens · ≈50.0 tok/s · 12.3 s to first token'],
    ['nothing known', { source: 'measured', estimate: false, durationMs: 900 }, ''],
  ])('%s', (_name, u, want) => {
    expect(formatUsageLine(u)).toBe(want);
  });
});

describe('formatSeconds', () => {
  it.each<[number, string]>([
    [0, '0.00 s'],
    [410, '0.41 s'],
    [4_200, '4.20 s'],
    [9_994, '9.99 s'],
    [10_000, '10.0 s'],
    [64_250, '64.3 s'],
  ])('%d ms → %s', (ms, want) => {
    expect(formatSeconds(ms)).toBe(want);
  });
});

describe('describeUsage', () => {
  it('says where the numbers came from and marks an estimate', () => {
    expect(describeUsage({ source: 'measured', estimate: true, completionTokens: 9 })).toBe(
      'Answer: about 9 tokens (estimated from its length)\nMeasured in this browser.',
    );
    expect(describeUsage({ ...base, promptTokens: 1, completionTokens: 2, durationMs: 1500 })).toBe(
      'Prompt: 1 tokens\nAnswer: 2 tokens\nTotal: 1.50 s\nCounts as reported by the server.',
    );
  });
});

describe('formatThoughtFor', () => {
  it.each<[number, string]>([
    [4_200, 'Thought for 4.2 s'],
    [40, 'Thought for 0.0 s'],
    [61_960, 'Thought for 62.0 s'],
  ])('%d ms → %s', (ms, want) => {
    expect(formatThoughtFor(ms)).toBe(want);
  });
});
