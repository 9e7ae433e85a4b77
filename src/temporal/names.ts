/**
 * The names Temporal knows our work by: task queue, workflow types, workflow ids and schedule
 * ids. Workflows, activities, schedules, the API, the worker and tools all take them from here,
 * so a rename is one edit and a new workflow starts here.
 */

/** The task queue of every workflow and activity, unless TEMPORAL_TASK_QUEUE names another. */
export const defaultTaskQueue = 'cafe24-fms-link';

/**
 * Workflow type names: the worker registers the functions of src/workflows/index.ts under their
 * names, and everything else starts workflows by these strings.
 */
export const workflowTypes = {
  /** 주문수집 for one mall at one slot. */
  collectOrders: 'collectOrders',
  /** 송장등록 for one mall at one slot. */
  syncInvoices: 'syncInvoices',
  /** Daily: every link's schedules in line with PostgreSQL. */
  reconcileSchedules: 'reconcileSchedules',
  /** Daily: renews Cafe24 refresh tokens before they lapse. */
  refreshExpiringTokens: 'refreshExpiringTokens',
  /** A round trip through server, worker and database. */
  systemCheck: 'systemCheck',
  /** 카페24 상품 가져오기: one link's Cafe24 catalogue into PostgreSQL. */
  importCatalogue: 'importCatalogue',
} as const;

/** The per-link schedule jobs: the schedule id prefix, the workflow each starts and its label. */
export const scheduleJobs = {
  'collect-orders': { workflowType: workflowTypes.collectOrders, label: '주문수집' },
  'sync-invoices': { workflowType: workflowTypes.syncInvoices, label: '송장등록' },
} as const;
export type ScheduleJob = keyof typeof scheduleJobs;
export const scheduleJobNames = Object.keys(scheduleJobs) as ScheduleJob[];

/** `collect-orders:{linkId}`: the schedule id, also the workflow id prefix of its runs (the server appends the time). */
export const scheduleIdFor = (job: ScheduleJob, mallLinkId: string) => `${job}:${mallLinkId}`;

/** The job and link of one of our per-link schedule ids, or undefined for any other schedule. */
export function parseScheduleId(scheduleId: string): { job: ScheduleJob; mallLinkId: string } | undefined {
  const job = scheduleJobNames.find((name) => scheduleId.startsWith(`${name}:`));
  return job ? { job, mallLinkId: scheduleId.slice(job.length + 1) } : undefined;
}

/**
 * Every collection run of a link has a workflow id starting with this: scheduled runs get
 * `collect-orders:{linkId}-{time}` from the schedule, manual runs `collect-orders:{linkId}:manual`.
 */
export const collectOrdersWorkflowIdPrefix = (mallLinkId: string) => scheduleIdFor('collect-orders', mallLinkId);

/** One id for every manual run of a link: a second start while one runs is refused by Temporal. */
export const manualCollectWorkflowId = (mallLinkId: string) => `${collectOrdersWorkflowIdPrefix(mallLinkId)}:manual`;

/** Scheduled invoice runs get `sync-invoices:{linkId}-{time}`; manual runs `sync-invoices:{linkId}:manual`. */
export const syncInvoicesWorkflowIdPrefix = (mallLinkId: string) => scheduleIdFor('sync-invoices', mallLinkId);

/** One id for every manual invoice run of a link: a second start while one runs is refused by Temporal. */
export const manualInvoiceSyncWorkflowId = (mallLinkId: string) => `${syncInvoicesWorkflowIdPrefix(mallLinkId)}:manual`;

/** The daily schedule (and workflow id) of `reconcileSchedules`; it moves the holiday horizon into the next year. */
export const reconcileScheduleId = 'reconcile-schedules';

/** The daily schedule (and workflow id) of `refreshExpiringTokens`. */
export const tokenRefreshScheduleId = 'cafe24-token-refresh';

/** A system check's workflow id; `run` tells one check from the next (a time, a task queue). */
export const systemCheckWorkflowId = (run: string) => `system-check-${run}`;

/** One id for every catalogue import of a link: a second start while one runs is refused by Temporal. */
export const catalogueImportWorkflowId = (mallLinkId: string) => `import-catalogue:${mallLinkId}`;
