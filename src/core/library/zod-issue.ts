import type * as z from 'zod/mini';

/** The first problem zod found, as a short sentence naming where it is ("history.messages.x.content: expected string"). */
export function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid data';
  const where = issue.path.map(String).join('.');
  return where ? `${where}: ${issue.message}` : issue.message;
}
