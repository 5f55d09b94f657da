/**
 * Generated inputs for the size rows of the benchmark:
 * - `loanFile(pairs)`: one TypeScript module with `pairs` loan functions, half released in a
 *   `finally`, half leaking on a throw, as long test files and bundles have them. Lint time must
 *   grow linearly with `pairs`.
 * - `classFile(fields)`: one class holding a client and `fields` fields, each written in the
 *   constructor and read through `this` in a method of its own, as large service classes (and
 *   the client libraries' own sources) have them. Lint time must grow linearly with `fields`.
 * - `sharedClientFile(calls)`: one module-level client that `calls` functions each block on
 *   (BRPOP) and then use for an ordinary command: a finding with a planned fix per call.
 * - `oneFunctionFile(loans)`: one function that takes and gives back `loans` loans in a row, as
 *   generated batch code has them: each loan's path walk must cover its own life, not the function.
 * - `generateMonorepo(dir, { packages, filesPerPackage })`: a monorepo of packages that each have
 *   a `lib/redis` module (a memoised getter, a fresh-client factory, a pool from a local
 *   factory), an index that re-exports it, modules from the ordinary templates, and handlers that
 *   import the connection from their own package and from a sibling package, so the module view
 *   has real work to do.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFile } from './templates.mjs';

const HERE = fileURLToPath(import.meta.url);

/** A module-level generic-pool pool of ioredis clients, sized and with an acquire timeout. */
const POOL_MODULE = [
  "import { createPool } from 'generic-pool';",
  "import Redis from 'ioredis';",
  '',
  'const pool = createPool(',
  '  { create: async () => new Redis({ commandTimeout: 500 }), destroy: async (client) => { await client.quit(); } },',
  '  { max: 10, acquireTimeoutMillis: 2000 },',
  ');',
  "pool.on('factoryCreateError', () => {});",
  '',
];

export function loanFile(pairs) {
  const lines = [...POOL_MODULE];
  for (let index = 0; index < pairs; index++) {
    if (index % 2 === 0) {
      lines.push(
        `export async function released${index}(key: string): Promise<string | null> {`,
        '  const conn = await pool.acquire();',
        '  try {',
        `    const value = await conn.get(\`\${key}:${index}\`);`,
        `    if (value === null) await conn.set(key, '${index}');`,
        '    return value;',
        '  } finally {',
        '    await pool.release(conn);',
        '  }',
        '}',
        '',
      );
    } else {
      lines.push(
        `export async function leaks${index}(key: string): Promise<unknown> {`,
        '  const conn = await pool.acquire();',
        `  const raw = await conn.get(\`\${key}:${index}\`);`,
        '  const parsed = JSON.parse(raw ?? "{}");',
        '  await pool.release(conn);',
        '  return parsed;',
        '}',
        '',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function classFile(fields) {
  const lines = ["import Redis from 'ioredis';", '', 'export class Store {', '  private readonly redis = new Redis({ commandTimeout: 500 });'];
  for (let index = 0; index < fields; index++) lines.push(`  private field${index} = ${index};`);
  lines.push('', '  constructor(scale: number) {');
  for (let index = 0; index < fields; index++) lines.push(`    this.field${index} = ${index} * scale;`);
  lines.push('  }', '');
  for (let index = 0; index < fields; index++) {
    lines.push(
      `  async read${index}(key: string): Promise<string> {`,
      `    const value = await this.redis.get(\`\${key}:${index}\`);`,
      `    this.field${index} = Number(value ?? this.field${index});`,
      `    return this.field${index}.toFixed(2);`,
      '  }',
      '',
    );
  }
  lines.push('  async close(): Promise<void> {', '    await this.redis.quit();', '  }', '}');
  return `${lines.join('\n')}\n`;
}

export function sharedClientFile(calls) {
  const lines = ["import Redis from 'ioredis';", '', 'const shared = new Redis({ commandTimeout: 500 });', "shared.on('error', () => {});", ''];
  for (let index = 0; index < calls; index++) {
    lines.push(
      `export async function take${index}(key: string): Promise<unknown> {`,
      '  const item = await shared.brpop(key, 1);',
      `  await shared.set('last:${index}', String(item));`,
      '  return item;',
      '}',
      '',
    );
  }
  lines.push('export async function shutdown(): Promise<void> {', '  await shared.quit();', '}');
  return `${lines.join('\n')}\n`;
}

export function oneFunctionFile(loans) {
  const lines = [...POOL_MODULE, 'export async function batch(keys: string[]): Promise<number> {', '  let total = 0;'];
  for (let index = 0; index < loans; index++) {
    lines.push(
      `  const conn${index} = await pool.acquire();`,
      '  try {',
      `    total += Number(await conn${index}.get(keys[${index % 10}]));`,
      '  } finally {',
      `    await pool.release(conn${index});`,
      '  }',
    );
  }
  lines.push('  return total;', '}');
  return `${lines.join('\n')}\n`;
}

/** Writes (or reuses, by stamp) `<name>-<multiple>x.ts` for the given multiples of `unit`, made by `make` (loanFile, classFile). */
export function writeSizedFiles(dir, name, make, unit, multiples) {
  fs.mkdirSync(dir, { recursive: true });
  return multiples.map((multiple) => {
    const file = path.join(dir, `${name}-${multiple}x.ts`);
    const source = make(unit * multiple);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== source) fs.writeFileSync(file, source);
    return file;
  });
}

function redisModule(index) {
  return `import Redis, { type RedisOptions } from 'ioredis';
import { createPool } from 'generic-pool';

let shared: Redis | undefined;

/** The package's one long-lived connection. */
export function getRedis(): Redis {
  if (!shared) {
    shared = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { commandTimeout: 1000 });
    shared.on('error', () => {});
  }
  return shared;
}

/** A fresh connection on every call: the caller closes it. */
export function createRedisInstance(options: RedisOptions = {}): Redis {
  const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { commandTimeout: 1000, ...options });
  client.on('error', () => {});
  return client;
}

export function makePool() {
  const pool = createPool(
    { create: async () => createRedisInstance({ connectionName: 'pool-${index}' }), destroy: async (client) => { await client.quit(); } },
    { max: 8, acquireTimeoutMillis: 2000 },
  );
  pool.on('factoryCreateError', () => {});
  return pool;
}

export const pool = makePool();
`;
}

function handlerModule(index, file, sibling) {
  return `import { getRedis, createRedisInstance, pool } from '../lib/redis';
import { getRedis as siblingRedis } from '../../../p${sibling}/src/index';

export async function read${file}(key: string): Promise<string | null> {
  return getRedis().get(\`p${index}:\${key}\`);
}

export async function mirror${file}(key: string): Promise<void> {
  const value = await siblingRedis().get(key);
  if (value !== null) await getRedis().set(key, value);
}

export async function once${file}(key: string): Promise<string | null> {
  const client = createRedisInstance();
  try {
    return await client.get(key);
  } finally {
    await client.quit();
  }
}

export async function borrow${file}(key: string): Promise<number> {
  const conn = await pool.acquire();
  try {
    return await conn.incr(key);
  } finally {
    await pool.release(conn);
  }
}
`;
}

/** Writes (or reuses) the monorepo; returns its files. */
export function generateMonorepo(dir, { packages, filesPerPackage, seed = 7 }) {
  const stamp = crypto.createHash('sha256').update(fs.readFileSync(HERE)).update(JSON.stringify({ packages, filesPerPackage, seed })).digest('hex');
  const stampFile = path.join(dir, '.stamp');
  const listFile = path.join(dir, '.files.json');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(listFile)) return JSON.parse(fs.readFileSync(listFile, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  const files = [];
  const write = (relative, source) => {
    const full = path.join(dir, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, source);
    files.push(full);
  };
  for (let index = 0; index < packages; index++) {
    const root = `packages/p${index}/src`;
    write(`${root}/lib/redis.ts`, redisModule(index));
    write(`${root}/index.ts`, "export * from './lib/redis';\n");
    // A tenth of each package's files are handlers that import connections across modules.
    const handlers = Math.max(1, Math.floor(filesPerPackage / 10));
    for (let file = 0; file < handlers; file++) write(`${root}/handlers/h${file}.ts`, handlerModule(index, file, (index + 1) % packages));
    for (let file = handlers + 2; file < filesPerPackage; file++) {
      const rendered = renderFile(seed + index, file);
      write(`${root}/${rendered.path}`, rendered.source);
    }
  }
  fs.writeFileSync(listFile, JSON.stringify(files));
  fs.writeFileSync(stampFile, stamp);
  return files;
}
