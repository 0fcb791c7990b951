import * as z from 'zod/mini';

/**
 * A saved prompt: typing `/` + its command in the composer inserts its content, with
 * `{{variables}}` filled in a small form first. The command is stored without the slash,
 * lower case, and is unique (the `&command` index in db.ts).
 */
export const COMMAND = /^[a-z0-9][a-z0-9_-]*$/;
/** Long enough for `/summarize-meeting-notes-in-german`, short enough for a menu row at 350 px. */
export const COMMAND_MAX = 48;

export const promptSchema = z.object({
  id: z.string().check(z.minLength(1)),
  command: z.string().check(
    z.minLength(1, 'Give the prompt a command, for example summarize (typed as /summarize).'),
    z.maxLength(COMMAND_MAX, `The command may be at most ${COMMAND_MAX} characters.`),
    z.regex(COMMAND, 'The command may only use letters, digits, - and _ (no spaces), and must start with a letter or digit.'),
  ),
  title: z.string().check(z.maxLength(200, 'The title may be at most 200 characters.')),
  content: z.string().check(
    z.refine((s) => s.trim() !== '', 'The prompt text is empty.'),
    z.maxLength(100_000, 'The prompt text may be at most 100,000 characters.'),
  ),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Prompt = z.infer<typeof promptSchema>;
