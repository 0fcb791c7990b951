import type { MessageContext } from '../../core/storage/schema';
import { tidyPageText } from '../../core/launch/page-text';
import { extractReadable } from './extract-readable';

/** How long a page may take before the question goes without it. */
const TIMEOUT_MS = 15_000;
/** Most characters of a response read: a page's text is in its first megabytes, if anywhere. */
const MAX_BODY_CHARS = 5_000_000;

export type LoadedPage = { page: MessageContext } | { error: string };

/**
 * Fetches `url` from the browser and reads its text. Only pages whose site allows other sites
 * to read them (CORS) can be read; the browser does not say which way a fetch failed, so the
 * notice names both likely causes. No cookies go with the request.
 */
export async function loadPage(url: string, fetchFn: typeof fetch = fetch): Promise<LoadedPage> {
  const fail = (why: string): LoadedPage => ({ error: `Could not attach ${url}: ${why} The message goes without it.` });
  let res: Response;
  try {
    res = await fetchFn(url, { credentials: 'omit', redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'TimeoutError') return fail(`no answer within ${TIMEOUT_MS / 1000} s.`);
    return fail('the site does not let other sites read its pages (CORS), or it could not be reached.');
  }
  if (!res.ok) return fail(`the site answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`);
  const type = (res.headers.get('content-type') ?? '').toLowerCase();
  const html = type === '' || type.includes('html') || type.includes('xml');
  if (!html && !type.startsWith('text/')) return fail(`it is not a web page (${type.split(';')[0]}).`);
  let body: string;
  try {
    body = (await res.text()).slice(0, MAX_BODY_CHARS);
  } catch {
    return fail('the connection broke while reading it.');
  }
  const read = html ? extractReadable(body) : { title: '', text: body };
  const { text, truncated } = tidyPageText(read.text);
  if (text === '') return fail('no readable text was found on it.');
  return { page: { kind: 'url', url, title: read.title || new URL(url).host, text, truncated } };
}
