import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/env.js';
import { createDb } from '../db/database.js';
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyScope } from '../db/repositories/api-keys.js';
import { generateApiKey } from '../domain/api-keys.js';

const usage = `usage:
  npm run apikey -- create --admin --name <label>
  npm run apikey -- create --cst <cstCd> --name <label>
  npm run apikey -- list
  npm run apikey -- revoke <id>`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { admin: { type: 'boolean', default: false }, cst: { type: 'string' }, name: { type: 'string' } },
});

const fail = (message: string): never => {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
};

const config = loadConfigOrExit();
const db = createDb(config.DATABASE_URL, { maxConnections: 1 });
try {
  const [command, argument] = positionals;
  if (command === 'create') {
    if (values.admin === Boolean(values.cst)) fail('create needs exactly one of --admin or --cst <cstCd>');
    const scope: ApiKeyScope = values.admin ? { role: 'admin', cstCd: null } : { role: 'customer', cstCd: values.cst! };
    const key = generateApiKey();
    const row = await insertApiKey(db, { name: values.name ?? fail('create needs --name <label>'), scope, displayPrefix: key.displayPrefix, hash: key.hash });
    process.stdout.write(`created key ${row.id} (${row.role}${row.cst_cd ? ` for ${row.cst_cd}` : ''}).\n`);
    process.stdout.write(`Key (shown once, store it now): ${key.plaintext}\n`);
  } else if (command === 'list') {
    for (const row of await listApiKeys(db)) {
      const state = row.revoked_at ? `revoked ${row.revoked_at.toISOString()}` : 'active';
      process.stdout.write(`${row.id}  ${row.key_prefix}…  ${row.role.padEnd(8)} ${(row.cst_cd ?? '-').padEnd(12)} ${state}  ${row.name}\n`);
    }
  } else if (command === 'revoke') {
    if (!argument) fail('revoke needs the key id');
    process.stdout.write((await revokeApiKey(db, argument!)) ? `revoked ${argument}\n` : `no active key ${argument}\n`);
  } else {
    fail(command ? `unknown command ${command}` : 'no command');
  }
} finally {
  await db.destroy();
}
