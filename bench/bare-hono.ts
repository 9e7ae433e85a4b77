import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/** The baseline of the config API bench: one Hono route answering a small JSON body, nothing else. Argument: the port. */
const app = new Hono();
app.get('/status', (c) => c.json({ ok: true, at: new Date().toISOString() }));
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' }, (info) => process.stdout.write(`bare listening on ${info.port}\n`));
