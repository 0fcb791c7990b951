import { DEFAULT_TEMPLATES, TASK_KINDS, type TaskKind } from './templates';

/**
 * What Settings › Tasks stores under SETTINGS.tasks. Read field by field: a missing or
 * malformed field takes its default, so an old or hand-edited value never stops the tasks.
 */
export interface TaskSettings {
  /** The model tasks run on; null = the model that wrote the answer (Open WebUI's `TASK_MODEL` unset). */
  model: { id: string; connectionId: string } | null;
  enabled: Record<TaskKind, boolean>;
  /** The user's own templates; a kind missing here uses DEFAULT_TEMPLATES. */
  templates: Partial<Record<TaskKind, string>>;
}

export const DEFAULT_TASK_SETTINGS: TaskSettings = { model: null, enabled: { title: true, tags: true, followUps: true }, templates: {} };

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export function readTaskSettings(value: unknown): TaskSettings {
  const v = record(value);
  const m = record(v['model']);
  const model = typeof m['id'] === 'string' && m['id'] && typeof m['connectionId'] === 'string' && m['connectionId'] ? { id: m['id'], connectionId: m['connectionId'] } : null;
  const en = record(v['enabled']);
  const tp = record(v['templates']);
  const enabled = { ...DEFAULT_TASK_SETTINGS.enabled };
  const templates: Partial<Record<TaskKind, string>> = {};
  for (const k of TASK_KINDS) {
    if (typeof en[k] === 'boolean') enabled[k] = en[k];
    const t = tp[k];
    if (typeof t === 'string' && t.trim() !== '') templates[k] = t;
  }
  return { model, enabled, templates };
}

export function templateOf(s: TaskSettings, kind: TaskKind): string {
  return s.templates[kind] ?? DEFAULT_TEMPLATES[kind];
}
