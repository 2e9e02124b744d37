/**
 * Waits for every promise, then throws the first failure: work on a connection never
 * outlives the step that started it (the next try or file would share the connection).
 */
export async function allSettledOrThrow(work: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
