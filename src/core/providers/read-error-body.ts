import { appError, type AppError } from '../errors';
import { excerpt, tryParseJson } from './json-fields';
import { readErrorEnvelope } from './read-error-envelope';
import { looksLikeHtml, WEB_PAGE_MESSAGE } from './transport-errors';

/**
 * A non-2xx answer → AppError of kind `http`. `message` is the server's own words when the
 * body has them (OpenAI/OpenRouter/Ollama/Mistral envelopes), `code`/`type` are kept as the
 * body gave them, and `detail` holds a short hint for the status, then the status line and
 * the start of the body for whoever debugs it.
 */
export function errorFromHttp(status: number, statusText: string, bodyText: string, contentType: string | null): AppError {
  const statusLine = `${status} ${statusText}`.trim();
  const body = bodyText.trim();
  const parsed = tryParseJson(body);
  const env = parsed.ok ? readErrorEnvelope(parsed.value) : undefined;
  const code = env?.code;
  const type = env?.type;

  let message: string;
  if (env) message = env.message;
  else if (looksLikeHtml(contentType, body)) message = WEB_PAGE_MESSAGE;
  else message = `The server answered ${statusLine}`;

  const detail = [hintFor(status, code, type), `HTTP ${statusLine}`, body && !env ? excerpt(body) : '']
    .filter((line) => line !== '')
    .join('\n');
  return appError('http', message, {
    status,
    detail,
    ...(env && 'code' in env ? { code } : {}),
    ...(env && 'type' in env ? { type } : {}),
  });
}

/** True when a 429 means the account is out of credit (OpenAI `insufficient_quota`), not busy. */
export function isOutOfCredit(code: unknown, type: unknown): boolean {
  return code === 'insufficient_quota' || type === 'insufficient_quota';
}

function hintFor(status: number, code: unknown, type: unknown): string {
  if (status === 401 || status === 403) return 'The server rejected the API key (or none was sent): check the key in the connection settings.';
  if (status === 404) return 'Wrong URL or model: check the base URL (many servers want /v1 at the end) and that this server has the model.';
  if (status === 429 && isOutOfCredit(code, type))
    return 'The account is out of credit: add credit or change plan with the provider. Retrying will not help.';
  if (status === 429) return 'Rate limited: the server wants fewer requests. Wait a moment and try again.';
  if (status >= 500) return 'The server had a problem of its own. Trying again later may work.';
  return '';
}
