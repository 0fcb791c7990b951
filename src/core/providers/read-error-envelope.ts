import { isRecord, stringField } from './json-fields';

/** What a server said went wrong, in the shapes the common APIs use. */
export interface ErrorEnvelope {
  message: string;
  /** Present only when the body had the key, so `null` ("code": null) is kept apart from absent. */
  code?: string | number | null;
  type?: string | null;
}

/**
 * Reads `{"error":{"message",type,code}}` (OpenAI; OpenRouter's code is a number),
 * `{"error":"…"}` (Ollama), `{"detail":"…"}` or `{"detail":[{msg}]}` (Mistral, FastAPI),
 * and `{"message":"…"}`. Returns undefined when none of them carries a message.
 */
export function readErrorEnvelope(json: unknown): ErrorEnvelope | undefined {
  if (!isRecord(json)) return undefined;
  const err = json['error'];
  if (isRecord(err)) {
    const message = stringField(err, 'message');
    if (message !== undefined && message !== '') {
      const out: ErrorEnvelope = { message };
      if ('code' in err) out.code = codeOf(err['code']);
      if ('type' in err) out.type = typeof err['type'] === 'string' ? err['type'] : null;
      return out;
    }
  }
  if (typeof err === 'string' && err !== '') return { message: err };
  const detail = json['detail'];
  if (typeof detail === 'string' && detail !== '') return { message: detail };
  if (Array.isArray(detail)) {
    const msgs = detail.flatMap((d) => (isRecord(d) && typeof d['msg'] === 'string' ? [d['msg']] : []));
    if (msgs.length > 0) return { message: msgs.join('; ') };
  }
  const message = stringField(json, 'message');
  if (message !== undefined && message !== '') return { message };
  return undefined;
}

function codeOf(v: unknown): string | number | null {
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}
