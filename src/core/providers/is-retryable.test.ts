import { describe, expect, it } from 'vitest';
import { appError } from '../errors';
import { isRetryable } from './is-retryable';

describe('isRetryable', () => {
  it('retries rate limits, server faults, time-outs and dropped connections', () => {
    expect(isRetryable(appError('http', 'x', { status: 429, code: 429 }))).toBe(true);
    expect(isRetryable(appError('http', 'x', { status: 503 }))).toBe(true);
    expect(isRetryable(appError('network', 'x'))).toBe(true);
    expect(isRetryable(appError('timeout', 'x'))).toBe(true);
  });

  it('does not retry an empty account, a bad key, a wrong URL or a stop', () => {
    expect(isRetryable(appError('http', 'x', { status: 429, code: 'insufficient_quota', type: 'insufficient_quota' }))).toBe(false);
    expect(isRetryable(appError('http', 'x', { status: 401 }))).toBe(false);
    expect(isRetryable(appError('http', 'x', { status: 404 }))).toBe(false);
    expect(isRetryable(appError('aborted', 'x'))).toBe(false);
    expect(isRetryable(appError('stream', 'x'))).toBe(false);
  });
});
