import { appError, type AppError } from '../errors';
import type { ConnectionKind } from './types';

/** Hosts a browser lets an https page call over plain http (they count as secure). */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host);
}

/**
 * The browser says nothing about why a request failed (by design, for CORS), so when a model
 * list cannot be fetched, say what usually causes it and how to fix it for this kind of
 * server. `appOrigin` is the origin Parley runs on, which the server must allow.
 */
export function explainUnreachable(kind: ConnectionKind, url: string, appOrigin: string, cause: AppError): AppError {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return appError('invalid', 'This is not a valid URL. Enter a full address starting with http:// or https://.');
  }
  const detail = cause.detail ?? cause.message;
  if (appOrigin.startsWith('https:') && target.protocol === 'http:' && !isLoopback(target.hostname)) {
    return appError(
      'network',
      `The browser blocks calls from this https page to the plain http address ${target.origin} (mixed content).`,
      { detail: `Serve the model server over https (a reverse proxy with a certificate), or open Parley over http. ${detail}` },
    );
  }
  const who = `${target.origin} did not answer, or the browser blocked the request.`;
  if (kind === 'ollama') {
    return appError('network', who, {
      detail: `Is Ollama running? It must also allow this page's origin: start it with OLLAMA_ORIGINS=${appOrigin} (for example \`OLLAMA_ORIGINS=${appOrigin} ollama serve\`, or set it in the service's environment and restart). ${detail}`,
    });
  }
  return appError('network', who, {
    detail:
      `Check that the server runs at this address. Browsers need the server to allow this page's origin (${appOrigin}) via CORS: ` +
      'vLLM: start with --allowed-origins \'["' + appOrigin + '"]\'; llama.cpp server: CORS is on by default, so check the URL and port; ' +
      'LM Studio: turn on "Enable CORS" in the server settings; a hosted API that forbids browsers: put a CORS-enabled proxy in front of it. ' +
      detail,
  });
}
