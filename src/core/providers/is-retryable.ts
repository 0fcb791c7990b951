import type { AppError } from '../errors';
import { isOutOfCredit } from './read-error-body';

/**
 * Whether sending the same request again later may succeed: rate limits, server faults,
 * time-outs and dropped connections may; a bad key, a wrong URL, an empty account
 * (429 `insufficient_quota`) or a user's stop will not.
 */
export function isRetryable(error: AppError): boolean {
  switch (error.kind) {
    case 'network':
    case 'timeout':
      return true;
    case 'http': {
      const status = error.status ?? 0;
      if (status === 429) return !isOutOfCredit(error.code, error.type);
      return status === 408 || (status >= 500 && status !== 501);
    }
    default:
      return false;
  }
}
