/**
 * What the fake server should do for a request. Every field is optional; `{}` is the default
 * behaviour (echo "You said: <last user message>", as fast as possible).
 */

export const ERROR_STATUSES = [400, 401, 403, 404, 429, 500, 503] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];

export interface Scenario {
  /** The assistant content to stream (markdown, any unicode). */
  reply?: string;
  /** Reasoning streamed before the content (OpenAI `delta.reasoning_content`, Ollama `thinking`). */
  reasoning?: string;
  /** Without `reply`: a deterministic lorem-markdown reply of about this many tokens. */
  tokens?: number;
  /** Pace the deltas (0 or absent: as fast as possible). */
  tokensPerSecond?: number;
  /** Write the body in pieces cut at awkward byte offsets ('odd'), or of this many bytes. */
  split?: 'odd' | number;
  /** After N tokens send the server kind's mid-stream error (and end the response). */
  errorAfterTokens?: number;
  /** After N tokens destroy the socket (no terminator). */
  dropAfterTokens?: number;
  /** After N tokens stop writing and keep the connection open until the client or close() ends it. */
  hangAfterTokens?: number;
  /** Accept the request and never answer, not even headers. */
  hang?: boolean;
  /** Answer with this status and the server kind's real error body. */
  status?: ErrorStatus;
  /** With status 429 on the OpenAI kind: `insufficient_quota` instead of `rate_limit_exceeded`. */
  quota?: boolean;
  /** Answer 200 text/html with a login page, like an authenticating proxy. */
  html?: boolean;
  /** false: no Access-Control-* headers at all (preflight still answered, without them). */
  cors?: boolean;
  /** Serve <fixturesDir>/streams/<fixture>.txt byte-exact with the sidecar's contentType and status. */
  fixture?: string;
  /** Wait this long before the response headers. */
  delayMs?: number;
  /** finish_reason / done_reason (default "stop"). */
  finishReason?: string;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

const NUMBER_FIELDS = [
  'tokens',
  'tokensPerSecond',
  'errorAfterTokens',
  'dropAfterTokens',
  'hangAfterTokens',
  'delayMs',
] as const;
const STRING_FIELDS = ['reply', 'reasoning', 'finishReason'] as const;
const BOOLEAN_FIELDS = ['hang', 'quota', 'html', 'cors'] as const;
const KNOWN = new Set<string>([...NUMBER_FIELDS, ...STRING_FIELDS, ...BOOLEAN_FIELDS, 'split', 'status', 'fixture']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isErrorStatus(v: unknown): v is ErrorStatus {
  return typeof v === 'number' && (ERROR_STATUSES as readonly number[]).includes(v);
}

/** Validate an unknown value as a Scenario. Throws ScenarioError naming the bad field. */
export function parseScenario(input: unknown): Scenario {
  if (!isRecord(input)) throw new ScenarioError('scenario must be a JSON object');
  const out: Scenario = {};
  for (const key of Object.keys(input)) {
    if (!KNOWN.has(key)) throw new ScenarioError(`unknown scenario field "${key}"`);
  }
  for (const key of NUMBER_FIELDS) {
    const v = input[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ScenarioError(`"${key}" must be a non-negative number`);
    }
    out[key] = v;
  }
  for (const key of STRING_FIELDS) {
    const v = input[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new ScenarioError(`"${key}" must be a string`);
    out[key] = v;
  }
  for (const key of BOOLEAN_FIELDS) {
    const v = input[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new ScenarioError(`"${key}" must be a boolean`);
    out[key] = v;
  }
  const split = input['split'];
  if (split !== undefined) {
    if (split === 'odd') out.split = 'odd';
    else if (typeof split === 'number' && Number.isInteger(split) && split >= 1) out.split = split;
    else throw new ScenarioError('"split" must be "odd" or a positive integer (bytes per piece)');
  }
  const status = input['status'];
  if (status !== undefined) {
    if (!isErrorStatus(status)) throw new ScenarioError(`"status" must be one of ${ERROR_STATUSES.join(', ')}`);
    out.status = status;
  }
  const fixture = input['fixture'];
  if (fixture !== undefined) {
    if (typeof fixture !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(fixture) || fixture.includes('..')) {
      throw new ScenarioError('"fixture" must be a case name such as "openai-text-include-usage"');
    }
    out.fixture = fixture;
  }
  return out;
}

/** Parse the JSON text of a scenario (e.g. the decoded `/x/<json>/` URL segment). */
export function parseScenarioJson(text: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(`scenario is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseScenario(value);
}

/** The URL path prefix that makes every request through it follow `s`: `/x/<encoded JSON>`. */
export function scenarioPrefix(s: Scenario): string {
  return `/x/${encodeURIComponent(JSON.stringify(s))}`;
}
