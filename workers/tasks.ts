import { readBranch, titleFromText } from '../src/core/storage/chats';
import { isAppError } from '../src/core/errors';
import { SETTINGS } from '../src/core/storage/settings-keys';
import { readTaskSettings, templateOf, type TaskSettings } from '../src/core/tasks/task-settings';
import { TASK_MAX_TOKENS, type TaskKind } from '../src/core/tasks/templates';
import { fillTemplate, type TaskMessage } from '../src/core/tasks/fill-template';
import { builtinValues } from '../src/core/prompts/fill-variables';
import { parseFollowUps, parseTags, parseTitle } from '../src/core/tasks/parse-output';
import { addSuggestedTags, applyGeneratedTitle, setFollowUps } from '../src/core/tasks/apply-results';
import type { Message } from '../src/core/storage/schema';
import type { EnginePorts } from './ports';
import { askTaskModel, pickTaskTarget, type TaskTarget } from './task-request';

/** Longest a task may take before it is given up (a hung server must not hold a chat's guard forever). */
export const TASK_TIMEOUT_MS = 60_000;

export interface TaskRunner {
  /**
   * Called when an answer has ended; returns at once. The tasks run in the background, one
   * after the other (a local server runs one request at a time), and never throw: a failure
   * is one console warning and changes nothing.
   */
  afterAnswer(chatId: string, messageId: string): void;
  /** Resolves when every task started so far has finished (tests, and a clean close). */
  idle(): Promise<void>;
  /** Aborts every running task. */
  close(): void;
}

/** Which tasks an ended answer calls for; pure, so the rules are tested without a server. */
export function plannedTasks(s: TaskSettings, answer: Message, branch: readonly Message[], chat: { title: string; tags: readonly string[] }): TaskKind[] {
  if (answer.role !== 'assistant' || answer.status !== 'done' || answer.finishReason === 'stopped' || answer.content.trim() === '') return [];
  const questions = branch.filter((m) => m.role === 'user');
  const first = questions[0];
  if (!first) return [];
  // The title is still the one derived from the first question: nobody (user or task) named the chat yet.
  const defaultTitle = chat.title === titleFromText(first.content) || chat.title === 'New chat';
  const out: TaskKind[] = [];
  if (s.enabled.title && defaultTitle) out.push('title');
  if (s.enabled.followUps) out.push('followUps');
  if (s.enabled.tags && questions.length === 1 && chat.tags.length === 0) out.push('tags');
  return out;
}

export function createTaskRunner(ports: EnginePorts): TaskRunner {
  const { db } = ports;
  const running = new Set<Promise<void>>();
  const controllers = new Set<AbortController>();
  // Chats whose title/tags tasks are under way: the answers of several models, or a quick
  // regenerate, must not name one chat twice. Each tab's engine runs only the answers it
  // streamed itself, so this guard is per engine.
  const naming = new Set<string>();
  // Answers whose follow-ups are under way.
  const following = new Set<string>();

  const warn = (kind: TaskKind, target: TaskTarget, message: string) => console.warn(`Parley: the ${kind} task (${target.label}) failed: ${message}`);

  const runOne = async (kind: TaskKind, target: TaskTarget, s: TaskSettings, messages: TaskMessage[], signal: AbortSignal, chatId: string, answerId: string, titleAtStart: string) => {
    // Only the date built-ins are read by fillTemplate: the worker knows no clipboard or language.
    const dates = builtinValues({ now: new Date(ports.clock.now()), language: '' });
    const reply = await askTaskModel(ports.fetch, target, fillTemplate(templateOf(s, kind), messages, dates), TASK_MAX_TOKENS[kind], signal);
    if (isAppError(reply)) return warn(kind, target, reply.message);
    if (kind === 'title') {
      const title = parseTitle(reply);
      if (title === null) return warn(kind, target, 'the answer held no {"title": …}');
      await applyGeneratedTitle(db, chatId, titleAtStart, title);
    } else if (kind === 'tags') {
      const tags = parseTags(reply);
      if (tags === null) return warn(kind, target, 'the answer held no {"tags": […]}');
      await addSuggestedTags(db, chatId, tags);
    } else {
      const list = parseFollowUps(reply);
      if (list === null) return warn(kind, target, 'the answer held no {"follow_ups": […]}');
      await setFollowUps(db, answerId, list);
    }
  };

  const run = async (chatId: string, messageId: string, signal: AbortSignal) => {
    const [answer, chat, setting] = await Promise.all([db.messages.get(messageId), db.chats.get(chatId), db.settings.get(SETTINGS.tasks)]);
    if (!answer || !chat || answer.chatId !== chatId) return;
    const s = readTaskSettings(setting?.value);
    if (!s.enabled.title && !s.enabled.tags && !s.enabled.followUps) return;
    const branch = await readBranch(db, chatId, messageId);
    let kinds = plannedTasks(s, answer, branch, { title: chat.title, tags: chat.tags ?? [] });
    if (naming.has(chatId)) kinds = kinds.filter((k) => k === 'followUps');
    if (following.has(messageId)) kinds = kinds.filter((k) => k !== 'followUps');
    if (kinds.length === 0) return;
    // Claimed in the same turn as the check above: no await between them.
    const claimedName = kinds.some((k) => k !== 'followUps');
    const claimedFollow = kinds.includes('followUps');
    if (claimedName) naming.add(chatId);
    if (claimedFollow) following.add(messageId);
    try {
      const target = await pickTaskTarget(db, s.model, answer, ports.appOrigin);
      if (!target) return;
      const messages: TaskMessage[] = branch.map((m) => ({ role: m.role, content: m.content }));
      for (const kind of kinds) {
        if (signal.aborted) return;
        await runOne(kind, target, s, messages, signal, chatId, messageId, chat.title).catch((e: unknown) =>
          warn(kind, target, e instanceof Error ? e.message : String(e)),
        );
      }
    } finally {
      if (claimedName) naming.delete(chatId);
      if (claimedFollow) following.delete(messageId);
    }
  };

  return {
    afterAnswer(chatId, messageId) {
      const ac = new AbortController();
      controllers.add(ac);
      const timer = ports.clock.setTimeout(() => ac.abort(), TASK_TIMEOUT_MS);
      const p: Promise<void> = run(chatId, messageId, ac.signal)
        .catch((e: unknown) => console.warn('Parley: background tasks failed:', e))
        .finally(() => {
          ports.clock.clearTimeout(timer);
          controllers.delete(ac);
          running.delete(p);
        });
      running.add(p);
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    close() {
      for (const ac of controllers) ac.abort();
      controllers.clear();
    },
  };
}
