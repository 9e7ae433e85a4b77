import { createCafe24TokenActivities, type Cafe24ActivityDeps } from './cafe24-tokens.js';
import { createSystemActivities, type SystemActivityDeps } from './system.js';

export type ActivityDeps = SystemActivityDeps & Cafe24ActivityDeps;

/** Every activity the worker registers, built from injected clients and repositories. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps),
    ...createCafe24TokenActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
