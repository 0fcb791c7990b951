/** The /__fake/* control endpoints: scenarios, queue, model lists, reset, recorded requests. */

import { isRecord } from './helpers';
import { sendJson, type Ctx } from './request-context';
import { parseScenario } from './scenario';
import { resetState, setModels, type FakeState } from './state';

export function control(ctx: Ctx, state: FakeState): void {
  const ok = (): void => sendJson(ctx, 200, { ok: true });
  const bad = (msg: string): void => sendJson(ctx, 400, { error: msg });
  const body = isRecord(ctx.json) ? ctx.json : {};
  try {
    if (ctx.method === 'GET' && ctx.path === '/__fake/requests') return sendJson(ctx, 200, state.recorded);
    if (ctx.method === 'GET' && ctx.path === '/__fake/task-requests') return sendJson(ctx, 200, state.taskRecorded);
    if (ctx.method !== 'POST') return bad(`${ctx.method} ${ctx.path}: use POST`);
    switch (ctx.path) {
      case '/__fake/scenario': {
        const model = body['model'];
        if (typeof model !== 'string' || model === '') return bad('"model" must be a non-empty string');
        if (body['scenario'] === null) state.scenarios.delete(model);
        else state.scenarios.set(model, parseScenario(body['scenario']));
        return ok();
      }
      case '/__fake/task-scenario':
        state.taskScenario = body['scenario'] === null ? null : parseScenario(body['scenario']);
        return ok();
      case '/__fake/queue':
        state.queued.push(parseScenario(body['scenario']));
        return ok();
      case '/__fake/models': {
        const kind = body['kind'];
        const ids = body['ids'];
        if (kind !== 'openai' && kind !== 'ollama') return bad('"kind" must be "openai" or "ollama"');
        if (!Array.isArray(ids) || !ids.every((x): x is string => typeof x === 'string')) return bad('"ids" must be an array of strings');
        setModels(state, kind, ids);
        return ok();
      }
      case '/__fake/reset':
        resetState(state);
        return ok();
      default:
        return sendJson(ctx, 404, { error: `unknown control endpoint ${ctx.path}` });
    }
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
}
