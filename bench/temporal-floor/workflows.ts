/** A workflow that does nothing: what Temporal alone costs per run (bench case T). */
export async function emptyRun(): Promise<void> {}
