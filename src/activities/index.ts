import { createSystemActivities, type SystemActivityDeps } from './system.js';

export type ActivityDeps = SystemActivityDeps;

/** Every activity the worker registers, built from injected clients and repositories. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
