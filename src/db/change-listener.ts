import pg from 'pg';
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
  changed(): void;
  /** The connection is gone: changes go unheard until it is back. */
  lost(): void;
}

/** How long the listener waits before connecting again after a loss or a failed connect. */
const reconnectDelayMs = 1_000;

export function listenForChanges(databaseUrl: string, channel: string, handlers: ChangeHandlers, log: Logger): ChangeListener {
  let current: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const drop = (client: pg.Client, err?: unknown) => {
    if (client !== current) return;
    current = null;
    if (listening) log.warn({ err, channel }, 'stopped listening for changes; caches behind it are bypassed until it is back');
    listening = false;
    handlers.lost();
    client.end().catch(() => {});
    if (!closed) retry = setTimeout(connect, reconnectDelayMs);
  };

  function connect() {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: `listen ${channel}` });
    current = client;
    client.on('notification', (message) => {
      if (message.channel === channel) handlers.changed();
    });
    client.on('error', (err) => drop(client, err));
    client.on('end', () => drop(client));
    client
      .connect()
      .then(() => client.query(`listen ${client.escapeIdentifier(channel)}`))
      .then(() => {
        if (client !== current) return;
        // Anything that changed while nobody listened is unknown: start from nothing.
        handlers.lost();
        listening = true;
        log.info({ channel }, 'listening for changes');
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
      const client = current;
      current = null;
      listening = false;
      await client?.end().catch(() => {});
    },
  };
}
