import pg from 'pg';
import { withinDeadline } from '../deadline.js';
import type { Logger } from '../logger.js';

/**
 * A connection of its own that LISTENs on one PostgreSQL channel, for a cache in front of a table
 * whose changes notify it. The cache may trust itself only while `listening`: a notification sent
 * while the connection is down is never delivered, so `lost` fires on every loss (and the listener
 * reconnects), and the cache starts afresh.
 */
export interface ChangeListener {
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface ChangeHandlers {
  /** A notification arrived: something the cache holds may have changed. */
  changed(payload: string): void;
  /** The connection is gone: changes go unheard until it is back. */
  lost(): void;
}

export interface ChangeListenerTiming {
  /** How long the listener waits before connecting again after a loss or a failed connect. */
  reconnectDelayMs: number;
  /** How often an idle connection proves it is alive with a query. */
  heartbeatMs: number;
  /** How long a connect or a heartbeat may take before the connection counts as lost. */
  deadlineMs: number;
}

/**
 * A connection that died without a word (a dropped route, a paused peer) delivers nothing and
 * reports nothing: the heartbeat finds it within heartbeatMs + deadlineMs, well inside the
 * minute a cached key may live anyway.
 */
const defaultTiming: ChangeListenerTiming = { reconnectDelayMs: 1_000, heartbeatMs: 10_000, deadlineMs: 5_000 };

export function listenForChanges(
  databaseUrl: string,
  channel: string,
  handlers: ChangeHandlers,
  log: Logger,
  timing: ChangeListenerTiming = defaultTiming,
): ChangeListener {
  let current: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const inTime = <T>(work: Promise<T>, what: string) => withinDeadline(work, timing.deadlineMs, `${what} took longer than ${timing.deadlineMs} ms`);

  /** Ends the client without waiting on a peer that may never answer. */
  const release = (client: pg.Client) => inTime(client.end(), 'closing the connection').catch(() => {});

  const drop = (client: pg.Client, err?: unknown) => {
    if (client !== current) return;
    current = null;
    clearTimeout(heartbeat);
    if (listening) log.warn({ err, channel }, 'stopped listening for changes; caches behind it are bypassed until it is back');
    listening = false;
    handlers.lost();
    void release(client);
    if (!closed) retry = setTimeout(connect, timing.reconnectDelayMs);
  };

  const beat = (client: pg.Client) => {
    heartbeat = setTimeout(() => {
      inTime(client.query('select 1'), 'a heartbeat').then(
        () => {
          if (client === current) beat(client);
        },
        (err: unknown) => drop(client, err),
      );
    }, timing.heartbeatMs);
  };

  function connect() {
    // pg's own connect timeout closes the socket of a connect that hangs; ending a client that is
    // still connecting would only half-close it.
    const client = new pg.Client({ connectionString: databaseUrl, application_name: `listen ${channel}`, connectionTimeoutMillis: timing.deadlineMs });
    current = client;
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.changed(message.payload ?? '');
    });
    client.on('error', (err) => drop(client, err));
    client.on('end', () => drop(client));
    inTime(
      client.connect().then(() => client.query(`listen ${client.escapeIdentifier(channel)}`)),
      'connecting and listening',
    )
      .then(() => {
        if (client !== current) return;
        // Anything that changed while nobody listened is unknown: start from nothing.
        handlers.lost();
        listening = true;
        log.info({ channel }, 'listening for changes');
        beat(client);
      })
      .catch((err: unknown) => {
        if (!closed) log.warn({ err, channel }, 'could not listen for changes; retrying');
        drop(client, err);
      });
  }

  connect();
  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(heartbeat);
      const client = current;
      current = null;
      listening = false;
      if (client) await release(client);
    },
  };
}
