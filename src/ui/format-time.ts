/** Built once: each `toLocaleTimeString` with options builds a formatter, tens of ms the first time. */
let clock: Intl.DateTimeFormat | undefined;

/** A time of day as the user's locale writes it, to the minute ("14:03", "2:03 PM"). */
export function clockTime(t: number): string {
  clock ??= new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });
  return clock.format(new Date(t));
}
