/**
 * The error bodies each server kind really sends.
 *
 * OpenAI: the `{"error":{message,type,param,code}}` envelope, pretty-printed with 4 spaces and a
 * trailing newline as api.openai.com does (see shared/fixtures/streams/openai-401-invalid-api-key.txt).
 * Ollama native: gin's compact `{"error":"<string>"}` with no trailing newline; a 403 from
 * Ollama's CORS/host check has an EMPTY body (gin `AbortWithStatus`).
 */

import type { ErrorStatus } from './scenario';

export type ServerKind = 'openai' | 'ollama';

export interface ErrorResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface ErrorContext {
  /** Model id from the request body, if any. */
  model?: string;
  /** The bearer token the client sent, if any. */
  apiKey?: string;
  /** 429: quota exhausted rather than rate limited (OpenAI). */
  quota?: boolean;
  method: string;
  /** The routed path, e.g. /v1/chat/completions. */
  path: string;
  /** True for model listings, version and other non-inference endpoints. */
  listing?: boolean;
}

const OPENAI_JSON = 'application/json; charset=utf-8';
const OLLAMA_JSON = 'application/json; charset=utf-8';

interface OpenAiError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

function openAiBody(e: OpenAiError): string {
  return JSON.stringify({ error: e }, null, 4) + '\n';
}

/** OpenAI's masking of a wrong key: first 8 and last 4 characters kept, short keys shown whole. */
export function maskApiKey(key: string): string {
  if (key.length <= 12) return key;
  return key.slice(0, 8) + '*'.repeat(key.length - 12) + key.slice(-4);
}

/** OpenAI `Invalid URL` 404 for an unknown route. */
export function openAiInvalidUrl(method: string, path: string): ErrorResponse {
  return {
    status: 404,
    contentType: OPENAI_JSON,
    body: openAiBody({ message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null }),
  };
}

/** Go's net/http / gin 404 for an unknown route on Ollama. */
export function ollamaNotFoundPage(): ErrorResponse {
  return { status: 404, contentType: 'text/plain', body: '404 page not found' };
}

export function openAiErrorResponse(status: ErrorStatus, ctx: ErrorContext): ErrorResponse {
  const model = ctx.model ?? 'gpt-4o-mini';
  switch (status) {
    case 400:
      return {
        status,
        contentType: OPENAI_JSON,
        body: openAiBody({
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        }),
      };
    case 401: {
      const key = ctx.apiKey ?? '';
      const message =
        key === ''
          ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys."
          : `Incorrect API key provided: ${maskApiKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`;
      return {
        status,
        contentType: OPENAI_JSON,
        headers: { 'www-authenticate': 'Bearer realm="OpenAI API"' },
        body: openAiBody({ message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' }),
      };
    }
    case 403:
      return {
        status,
        contentType: OPENAI_JSON,
        body: openAiBody({
          message: 'Country, region, or territory not supported',
          type: 'request_forbidden',
          param: null,
          code: 'unsupported_country_region_territory',
        }),
      };
    case 404:
      if (ctx.listing) return openAiInvalidUrl(ctx.method, ctx.path);
      return {
        status,
        contentType: OPENAI_JSON,
        body: openAiBody({
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          param: null,
          code: 'model_not_found',
        }),
      };
    case 429:
      if (ctx.quota) {
        return {
          status,
          contentType: OPENAI_JSON,
          body: openAiBody({
            message:
              'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
            type: 'insufficient_quota',
            param: null,
            code: 'insufficient_quota',
          }),
        };
      }
      return {
        status,
        contentType: OPENAI_JSON,
        headers: {
          'retry-after': '20',
          'x-ratelimit-limit-requests': '3',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '20s',
        },
        body: openAiBody({
          message: `Rate limit reached for ${model} in organization org-fakeLlm0000000000000000 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        }),
      };
    case 500:
      return {
        status,
        contentType: OPENAI_JSON,
        body: openAiBody({
          message:
            'The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.',
          type: 'server_error',
          param: null,
          code: null,
        }),
      };
    case 503:
      return {
        status,
        contentType: OPENAI_JSON,
        body: openAiBody({
          message: 'The engine is currently overloaded, please try again later',
          type: 'server_error',
          param: null,
          code: null,
        }),
      };
  }
}

function ollamaJson(status: number, error: string): ErrorResponse {
  // Go encoding/json escapes <, >, & — model names never contain them, but keep it faithful.
  return { status, contentType: OLLAMA_JSON, body: goJson({ error }) };
}

export function ollamaErrorResponse(status: ErrorStatus, ctx: ErrorContext): ErrorResponse {
  switch (status) {
    case 400:
      return ollamaJson(status, 'invalid model name');
    case 401:
      return ollamaJson(status, 'unauthorized');
    case 403:
      // gin-contrib/cors / allowed-hosts check: AbortWithStatus(403), no body at all.
      return { status, contentType: 'text/plain', body: '' };
    case 404:
      if (ctx.listing) return ollamaNotFoundPage();
      return ollamaJson(status, `model '${ctx.model ?? ''}' not found`);
    case 429:
      return ollamaJson(status, 'too many requests, please try again later');
    case 500:
      return ollamaJson(status, 'llama runner process has terminated: exit status 2');
    case 503:
      return ollamaJson(status, 'server busy, please try again.  maximum pending requests exceeded');
  }
}

export function errorResponse(kind: ServerKind, status: ErrorStatus, ctx: ErrorContext): ErrorResponse {
  return kind === 'openai' ? openAiErrorResponse(status, ctx) : ollamaErrorResponse(status, ctx);
}

/** Bad request bodies (not valid JSON / missing fields), as each server words them. */
export function badRequest(kind: ServerKind, what: 'json' | 'model' | 'messages', detail = ''): ErrorResponse {
  if (kind === 'ollama') {
    if (what === 'json') return ollamaJson(400, detail || 'unexpected EOF');
    return ollamaJson(400, 'model is required');
  }
  if (what === 'json') {
    return {
      status: 400,
      contentType: OPENAI_JSON,
      body: openAiBody({
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        type: 'invalid_request_error',
        param: null,
        code: null,
      }),
    };
  }
  if (what === 'model') {
    return {
      status: 400,
      contentType: OPENAI_JSON,
      body: openAiBody({ message: 'you must provide a model parameter', type: 'invalid_request_error', param: null, code: null }),
    };
  }
  return {
    status: 400,
    contentType: OPENAI_JSON,
    body: openAiBody({
      message: "Missing required parameter: 'messages'.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'missing_required_parameter',
    }),
  };
}

/** The mid-stream error event OpenAI sends (then `data: [DONE]`). */
export const OPENAI_STREAM_ERROR = {
  error: { message: 'The server had an error while processing your request.', type: 'server_error', code: null },
} as const;

/** The mid-stream error line Ollama sends (and no done line after it). */
export const OLLAMA_STREAM_ERROR = { error: 'an error was encountered while running the model' } as const;

/** Compact JSON the way Go's encoding/json writes it (<, >, &, U+2028, U+2029 escaped). */
export function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** An SSO proxy's login page, answered with 200 text/html instead of the API response. */
export const LOGIN_PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Access</title>
<style>body{font-family:system-ui,sans-serif;background:#f4f5f7;display:flex;align-items:center;justify-content:center;height:100vh;margin:0}form{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15);width:20rem}input,button{display:block;width:100%;margin-top:.75rem;padding:.5rem;box-sizing:border-box}</style>
</head>
<body>
<form method="post" action="/oauth2/sign_in">
<h1>Sign in to continue</h1>
<p>You must sign in to access this application.</p>
<input type="email" name="username" placeholder="Email" autocomplete="username">
<input type="password" name="password" placeholder="Password" autocomplete="current-password">
<input type="hidden" name="rd" value="/">
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
