// Test-only workflow that reports the slot the real helper gives it.
import type { SlotInput } from '../../src/temporal/slot.js';
import { runSlot } from '../../src/workflows/slot.js';

export async function reportSlot(input: SlotInput): Promise<string> {
  return runSlot(input).toISOString();
}
