/**
 * Settles as `work` does, or rejects with `new Error(message)` once `ms` have passed first. A
 * rejection of `work` after the deadline is swallowed rather than left unhandled.
 */
export function withinDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  work.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
