import type { Endpoint, HttpRequest } from './types';

/** The user's URL without trailing slashes, so `${base}/models` never doubles a slash. */
export function baseUrl(endpoint: Endpoint): string {
  return endpoint.url.trim().replace(/\/+$/, '');
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** OpenRouter ranks and credits apps by these two headers; no other server gets them. */
export function attributionHeaders(endpoint: Endpoint): Record<string, string> {
  const host = hostOf(endpoint.url);
  if (host !== 'openrouter.ai' && !host.endsWith('.openrouter.ai')) return {};
  return endpoint.appOrigin ? { 'HTTP-Referer': endpoint.appOrigin, 'X-Title': 'Parley' } : { 'X-Title': 'Parley' };
}

/**
 * `base`, plus the key (Authorization: Bearer, or Azure's `api-key`) when one is set and auth
 * is not `none`, plus attribution headers, with the connection's own headers merged over them
 * so a user can override anything. Header names are compared without case: `authorization`
 * from the user must replace ours, not travel beside it.
 */
export function authHeaders(endpoint: Endpoint, base: Record<string, string> = {}): Record<string, string> {
  const ours: Record<string, string> = { ...base, ...attributionHeaders(endpoint) };
  if (endpoint.key && endpoint.authType !== 'none') {
    if (endpoint.azure) ours['api-key'] = endpoint.key;
    else ours['Authorization'] = `Bearer ${endpoint.key}`;
  }
  const theirs = endpoint.headers ?? {};
  const overridden = new Set(Object.keys(theirs).map((k) => k.toLowerCase()));
  const kept = Object.fromEntries(Object.entries(ours).filter(([k]) => !overridden.has(k.toLowerCase())));
  return { ...kept, ...theirs };
}

/** True when the request carries anything secret: a key sent, or headers the user added. */
export function carriesSecrets(endpoint: Endpoint): boolean {
  return (!!endpoint.key && endpoint.authType !== 'none') || Object.keys(endpoint.headers ?? {}).length > 0;
}

/** A request to this connection: its headers, and redirects not followed when it carries secrets. */
export function httpRequest(endpoint: Endpoint, url: string, method: 'GET' | 'POST', body?: string): HttpRequest {
  const headers = authHeaders(endpoint, body === undefined ? {} : { 'content-type': 'application/json' });
  const redirect = carriesSecrets(endpoint) ? 'manual' : 'follow';
  return { url, init: body === undefined ? { method, headers, redirect } : { method, headers, body, redirect } };
}
