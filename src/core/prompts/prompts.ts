import type { ParleyDb } from '../storage/db';
import { promptSchema, type Prompt } from './schema';
import { newId } from '../id';
import { appError, toAppError, type AppError } from '../errors';

/** What the Settings form submits: `id` when editing. */
export interface PromptInput {
  id?: string;
  command: string;
  title: string;
  content: string;
}

/** `/Summarize ` → `summarize`: people type the slash and capitals; the menu matches without them. */
export function normalizeCommand(text: string): string {
  return text.trim().replace(/^\/+/, '').toLowerCase();
}

/**
 * Validates and stores a prompt. The duplicate check and the write share one transaction, so
 * two tabs saving the same command cannot both pass the check (the unique index is the last
 * word; its ConstraintError comes back as an AppError too).
 */
export async function savePrompt(db: ParleyDb, input: PromptInput, now: number): Promise<Prompt | AppError> {
  const command = normalizeCommand(input.command);
  const title = input.title.trim() || command;
  const draft = { id: input.id ?? 'new', command, title, content: input.content, createdAt: now, updatedAt: now };
  const checked = promptSchema.safeParse(draft);
  if (!checked.success) return appError('invalid', checked.error.issues.map((i) => i.message).join(' '));
  try {
    return await db.transaction('rw', db.prompts, async () => {
      const old = input.id ? await db.prompts.get(input.id) : undefined;
      if (input.id && !old) return appError('invalid', 'This prompt was deleted in the meantime.');
      const same = await db.prompts.where('command').equals(command).first();
      if (same && same.id !== old?.id) return appError('invalid', `Another prompt already uses /${command}. Pick a different command.`);
      const record: Prompt = { ...checked.data, id: old?.id ?? newId(), createdAt: old?.createdAt ?? now };
      await db.prompts.put(record);
      return record;
    });
  } catch (e) {
    return toAppError(e, 'storage');
  }
}

export async function deletePrompt(db: ParleyDb, id: string): Promise<void> {
  await db.prompts.delete(id);
}
