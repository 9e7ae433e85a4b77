/** An activity failure's message with its causes, e.g. "Activity task failed: run … no longer holds …". */
export function failureMessage(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
  return messages.length > 0 ? messages.join(': ') : String(error);
}
