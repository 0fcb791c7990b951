/** A response body as a list of steps (head, tokens, tail) and its truncation by failure scenarios. */

import type { Scenario } from './scenario';

export type StepKind = 'head' | 'token' | 'tail';
export interface Step {
  kind: StepKind;
  /** Bytes, or a function making them at write time (timestamps, measured durations). */
  data: Buffer | (() => Buffer);
}
export type Ending = 'end' | 'drop' | 'hang';

export function bytesOf(step: Step): Buffer {
  return typeof step.data === 'function' ? step.data() : step.data;
}

/** Apply errorAfterTokens / dropAfterTokens / hangAfterTokens (the smallest N wins). */
export function truncate(steps: Step[], s: Scenario, errorSteps: Step[]): { steps: Step[]; ending: Ending } {
  const triggers: Array<[number, 'error' | 'drop' | 'hang']> = [];
  if (s.errorAfterTokens !== undefined) triggers.push([s.errorAfterTokens, 'error']);
  if (s.dropAfterTokens !== undefined) triggers.push([s.dropAfterTokens, 'drop']);
  if (s.hangAfterTokens !== undefined) triggers.push([s.hangAfterTokens, 'hang']);
  if (triggers.length === 0) return { steps, ending: 'end' };
  triggers.sort((a, b) => a[0] - b[0]);
  const [n, what] = triggers[0] ?? [0, 'error'];
  const tokenIdx: number[] = [];
  steps.forEach((st, i) => {
    if (st.kind === 'token') tokenIdx.push(i);
  });
  let cut = tokenIdx[Math.floor(n)];
  if (cut === undefined) {
    const firstTail = steps.findIndex((st) => st.kind === 'tail');
    cut = firstTail >= 0 ? firstTail : steps.length;
  }
  const kept = steps.slice(0, cut);
  if (what === 'error') return { steps: [...kept, ...errorSteps], ending: 'end' };
  return { steps: kept, ending: what };
}
