
/**
 * OpenAI's reasoning models (o1, o3, o4, gpt-5 families) reject `max_tokens` and a `system`
 * message; they take `max_completion_tokens` and a `developer` message (`user` for the
 * oldest, o1-mini and o1-preview), as Open WebUI maps them.
 */
export function isReasoningModel(model: string): boolean {
  return /^(o1|o3|o4|gpt-5)/i.test(model);
}

/** Only OpenAI itself and Azure OpenAI enforce this; other servers with such names may not. */
export function isOpenAIHost(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === 'api.openai.com' || host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com');
  } catch {
    return false;
  }
}

/** `messages` as they go on the wire (any shape with a role). */
export function mapReasoningBody<M extends { role: string }>(model: string, body: Record<string, unknown>, messages: M[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  if (out['max_tokens'] !== undefined) {
    out['max_completion_tokens'] = out['max_tokens'];
    delete out['max_tokens'];
  }
  const first = messages[0];
  if (first?.role === 'system') {
    const legacy = /^(o1-mini|o1-preview)/i.test(model);
    // The message objects are typed for our roles; the wire takes OpenAI's `developer` too.
    out['messages'] = [{ ...first, role: legacy ? 'user' : 'developer' }, ...messages.slice(1)];
  }
  return out;
}
