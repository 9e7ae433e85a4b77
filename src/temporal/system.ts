/** What the worker's database check found. */
export interface DatabaseCheck {
  /** Name of the newest applied migration, or null on an empty schema. */
  schemaVersion: string | null;
  serverTime: string;
}

/** The activity behind `systemCheck`. */
export interface SystemActivities {
  /** Proves the worker reaches PostgreSQL with a migrated schema. */
  checkDatabase(): Promise<DatabaseCheck>;
}

export interface SystemCheckResult {
  taskQueue: string;
  schemaVersion: string | null;
  databaseTime: string;
}
