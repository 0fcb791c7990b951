/** The mutable state of one fake-llm server: model lists, scenarios, queue, recorded requests. */

import type { ServerKind } from './error-bodies';
import type { RecordedRequest } from './recorder';
import type { Scenario } from './scenario';

export type ModelKind = ServerKind;

export const DEFAULT_MODELS: Readonly<Record<ModelKind, readonly string[]>> = {
  openai: ['gpt-4o-mini', 'fake-reasoner'],
  ollama: ['llama3.2:latest', 'qwen3:0.6b'],
};

export interface FakeState {
  fixturesDir: string;
  models: Record<ModelKind, string[]>;
  /** Per-model scenarios. */
  scenarios: Map<string, Scenario>;
  /** Scenarios for the next chat requests (FIFO). */
  queued: Scenario[];
  recorded: RecordedRequest[];
  /** Parley's background task requests (see task.ts), kept apart so specs that count chat requests are not disturbed. */
  taskRecorded: RecordedRequest[];
  /** Scenario for every task request (null: answer each with its JSON). The queue and model scenarios never apply to them. */
  taskScenario: Scenario | null;
  /** Chat requests answered so far (ids are derived from it). */
  counter: number;
}

export function createState(fixturesDir: string): FakeState {
  return {
    fixturesDir,
    models: {
      openai: [...DEFAULT_MODELS.openai],
      ollama: [...DEFAULT_MODELS.ollama],
    },
    scenarios: new Map<string, Scenario>(),
    queued: [],
    recorded: [],
    taskRecorded: [],
    taskScenario: null,
    counter: 0,
  };
}

/** Forget requests, queue and per-model scenarios; default model lists again. */
export function resetState(state: FakeState): void {
  state.recorded = [];
  state.taskRecorded = [];
  state.taskScenario = null;
  state.queued = [];
  state.scenarios.clear();
  state.models.openai = [...DEFAULT_MODELS.openai];
  state.models.ollama = [...DEFAULT_MODELS.ollama];
}

export function setModels(state: FakeState, kind: ModelKind, ids: readonly string[]): void {
  if (kind !== 'openai' && kind !== 'ollama') throw new Error(`unknown kind ${String(kind)}`);
  state.models[kind] = [...ids];
}
