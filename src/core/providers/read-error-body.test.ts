import { describe, expect, it } from 'vitest';
import { errorFromHttp } from './read-error-body';
import { WEB_PAGE_MESSAGE } from './transport-errors';

const json = 'application/json';

describe('errorFromHttp', () => {
  it('reads the OpenAI envelope and keeps code and type', () => {
    const err = errorFromHttp(401, 'Unauthorized', '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}', json);
    expect(err).toMatchObject({ kind: 'http', status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key', type: 'invalid_request_error' });
    expect(err.detail).toMatch(/rejected the API key/);
  });

  it('keeps a numeric code (OpenRouter) and leaves type out when the body has none', () => {
    const err = errorFromHttp(429, '', '{"error":{"message":"Rate limit exceeded","code":429}}', json);
    expect(err).toMatchObject({ message: 'Rate limit exceeded', code: 429 });
    expect('type' in err).toBe(false);
    expect(err.detail).toMatch(/Rate limited/);
  });

  it('says an insufficient_quota 429 is out of credit, not busy', () => {
    const err = errorFromHttp(429, 'Too Many Requests', '{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}', json);
    expect(err.detail).toMatch(/out of credit/);
    expect(err.detail).toMatch(/Retrying will not help/);
  });

  it('reads {"error":"…"} (Ollama)', () => {
    const err = errorFromHttp(404, 'Not Found', '{"error":"model \\"llama2\\" not found, try pulling it first"}', json);
    expect(err.message).toBe('model "llama2" not found, try pulling it first');
    expect(err.detail).toMatch(/Wrong URL or model/);
  });

  it('reads {"detail":"…"} and a FastAPI detail array', () => {
    expect(errorFromHttp(401, '', '{"detail":"Invalid API Key"}', json).message).toBe('Invalid API Key');
    const arr = '{"detail":[{"loc":["body","model"],"msg":"field required","type":"value_error.missing"},{"msg":"too long"}]}';
    expect(errorFromHttp(422, '', arr, json).message).toBe('field required; too long');
  });

  it('reads {"message":"…"}', () => {
    expect(errorFromHttp(400, 'Bad Request', '{"message":"Bad input"}', json).message).toBe('Bad input');
  });

  it('recognises a web page, by content type or by its first tag', () => {
    expect(errorFromHttp(403, 'Forbidden', '<h1>Sign in</h1>', 'text/html; charset=utf-8').message).toBe(WEB_PAGE_MESSAGE);
    expect(errorFromHttp(502, 'Bad Gateway', '<!DOCTYPE html><html>…', null).message).toBe(WEB_PAGE_MESSAGE);
  });

  it('falls back to the status line for empty and unknown bodies, keeping the body in detail', () => {
    const empty = errorFromHttp(503, 'Service Unavailable', '', null);
    expect(empty.message).toBe('The server answered 503 Service Unavailable');
    expect(empty.detail).toMatch(/problem of its own/);
    const text = errorFromHttp(404, 'Not Found', '404 page not found', 'text/plain');
    expect(text.message).toBe('The server answered 404 Not Found');
    expect(text.detail).toContain('404 page not found');
    expect(errorFromHttp(500, '', '{"unexpected":true}', json).message).toBe('The server answered 500');
  });
});
