import type { Endpoint } from './types';

/** The user's URL without trailing slashes, so `${base}/models` never doubles a slash. */
export function baseUrl(endpoint: Endpoint): string {
  return endpoint.url.trim().replace(/\/+$/, '');
}

/**
 * `base`, plus Authorization when a key is set and auth is not `none`, with the connection's
 * own headers merged over them so a user can override anything. Header names are compared
 * without case: `authorization` from the user must replace ours, not travel beside it.
 */
export function authHeaders(endpoint: Endpoint, base: Record<string, string> = {}): Record<string, string> {
  const ours: Record<string, string> = { ...base };
  if (endpoint.key && endpoint.authType !== 'none') ours['Authorization'] = `Bearer ${endpoint.key}`;
  const theirs = endpoint.headers ?? {};
  const overridden = new Set(Object.keys(theirs).map((k) => k.toLowerCase()));
  const kept = Object.fromEntries(Object.entries(ours).filter(([k]) => !overridden.has(k.toLowerCase())));
  return { ...kept, ...theirs };
}
