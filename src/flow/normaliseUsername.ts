/** The identifier as the flow looks it up: trimmed, and no longer than an email address may be. */
export function normaliseUsername(username: string | undefined): string {
  return (username ?? '').trim().slice(0, 320);
}
