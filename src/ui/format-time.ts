/** A time of day as the user's locale writes it, to the minute ("14:03", "2:03 PM"). */
export function clockTime(t: number): string {
  return new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
