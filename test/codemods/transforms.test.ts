/**
 * Behaviour of the codemods beyond the fixture pairs: recognition (by origin, across files, by
 * annotation), what is and is not a release, line endings, version-dependent releases, reports
 * under the jscodeshift CLI, and the managed-call plan the prefer-pool-use rule and managed-lifecycle share.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyTransform } from 'jscodeshift/src/testUtils';
import { afterAll, describe, expect, it } from 'vitest';
import * as managedLifecycle from '../../codemods/managed-lifecycle';
import * as releaseInFinally from '../../codemods/release-in-finally';
import { analyzeFile } from '../../src/analysis/standalone';
import preferPoolUse from '../../rules/prefer-pool-use';
import type { SiteReport } from '../../src/transform/report';
import { CodemodParseError } from '../../src/transform/plan-codemod';

const HERE = path.join(__dirname, 'example.ts');
const POOL = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';
const pool = createPool({ create: async () => new Redis(), destroy: async (c) => void (await c.quit()) }, { max: 2 });
`;

type Codemod = 'release-in-finally' | 'managed-lifecycle';

function transform(codemod: Codemod, source: string, file = HERE, options: Record<string, unknown> = {}) {
  const reports: string[] = [];
  const reporter = {
    rewritten: (site: SiteReport) => reports.push(`R ${site.line} ${site.reason}`),
    skipped: (site: SiteReport) => reports.push(`S ${site.line} ${site.reason}`),
  };
  const module = codemod === 'release-in-finally' ? releaseInFinally : managedLifecycle;
  const output = applyTransform(module, { ...options, reporter }, { path: file, source });
  return { output: output === '' ? undefined : `${output}\n`, reports: reports.sort() };
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

function projectWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-codemod-'));
  temporary.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('recognition', () => {
  it('follows a pool through a re-export and a namespace import of local modules', () => {
    const dir = projectWith({
      'pools.ts': POOL.replace('const pool', 'export const pool'),
      'index.ts': "export { pool as cachePool } from './pools';\n",
      'use.ts': `import * as db from './index';
export async function get(key: string) {
  const conn = await db.cachePool.acquire();
  const value = await conn.get(key);
  await db.cachePool.release(conn);
  return value;
}
`,
    });
    const file = path.join(dir, 'use.ts');
    expect(transform('release-in-finally', fs.readFileSync(file, 'utf8'), file).reports).toEqual(['R 3 released in finally']);
  });

  it('follows a CommonJS module.exports of a local module', () => {
    const dir = projectWith({
      'pool.js': "const { createPool } = require('generic-pool');\nconst Redis = require('ioredis');\nmodule.exports = { pool: createPool({ create: () => new Redis(), destroy: (c) => c.quit() }) };\n",
      'use.js': "const { pool } = require('./pool');\nexports.ping = async () => {\n  const conn = await pool.acquire();\n  await conn.ping();\n  pool.release(conn);\n};\n",
    });
    const file = path.join(dir, 'use.js');
    expect(transform('release-in-finally', fs.readFileSync(file, 'utf8'), file).reports).toEqual(['R 3 released in finally']);
  });

  it('knows a pool from a constructor assignment to this', () => {
    const source = `${POOL}export class Store {
  private pool;
  constructor() {
    this.pool = createPool({ create: async () => new Redis(), destroy: async (c) => void (await c.quit()) });
  }
  async get(key: string) {
    const conn = await this.pool.acquire();
    const value = await conn.get(key);
    await this.pool.release(conn);
    return value;
  }
}
`;
    expect(transform('release-in-finally', source).reports).toEqual(['R 10 released in finally']);
  });

  it('does not take a method name as evidence', () => {
    const source = `const pool = { acquire: async () => ({ get: async (k: string) => k }), release: (_c: unknown) => {} };
export async function get(key: string) {
  const conn = await pool.acquire();
  const value = await conn.get(key);
  pool.release(conn);
  return value;
}
`;
    expect(transform('release-in-finally', source)).toEqual({ output: undefined, reports: [] });
  });

  it('leaves a module-level loan alone (it lives as long as the process)', () => {
    expect(transform('release-in-finally', `${POOL}export const conn = await pool.acquire();\nawait conn.ping();\n`)).toEqual({ output: undefined, reports: [] });
  });

  it('a shadowing local named like the pool is not the pool', () => {
    const source = `${POOL}export async function get(key: string, pool: { acquire(): Promise<{ get(k: string): Promise<string> }>; release(c: unknown): void }) {
  const conn = await pool.acquire();
  const value = await conn.get(key);
  pool.release(conn);
  return value;
}
`;
    expect(transform('release-in-finally', source).output).toBeUndefined();
  });
});

describe('releases', () => {
  it('does not count disconnect(true), which reconnects, as closing an ioredis client', () => {
    const source = `import Redis from 'ioredis';
export async function bump(key: string) {
  const redis = new Redis();
  await redis.incr(key);
  redis.disconnect(true);
}
`;
    // disconnect(true) is one more use: it stays inside the try, and quit() goes in the finally.
    expect(transform('release-in-finally', source).output).toContain(
      '  try {\n    await redis.incr(key);\n    redis.disconnect(true);\n  } finally {\n    await redis.quit();\n  }\n',
    );
  });

  it('counts a release guarded by the loan itself as one', () => {
    const source = `${POOL}export async function get(key: string) {
  const conn = await pool.acquire();
  try {
    return await conn.get(key);
  } finally {
    if (conn) await pool.release(conn);
  }
}
`;
    expect(transform('release-in-finally', source).output).toBeUndefined();
  });

  it('writes quit() for node-redis 4 and close() for 5 when the code has no release', () => {
    const source = `import { createClient } from 'redis';
export async function ping() {
  const client = await createClient().connect();
  return client.ping();
}
`;
    expect(transform('release-in-finally', source, HERE, { nodeRedisMajor: 4 }).output).toContain('await client.quit();');
    expect(transform('release-in-finally', source, HERE, { 'node-redis-major': 5 }).output).toContain('await client.close();');
    // The installed redis here is 6.
    expect(transform('release-in-finally', source).output).toContain('await client.close();');
  });

  it('does not await a release that returns nothing (tarn) or in a function that is not async', () => {
    const source = `import Redis from 'ioredis';
import { Pool } from 'tarn';
const pool = new Pool<Redis>({ create: () => new Redis(), destroy: (c) => c.disconnect(), min: 0, max: 2 });
export async function get(key: string) {
  const client = await pool.acquire().promise;
  return client.get(key);
}
`;
    expect(transform('release-in-finally', source).output).toContain('  } finally {\n    pool.release(client);\n  }\n');
  });
});

describe('text', () => {
  it('keeps CRLF line endings', () => {
    const source = `${POOL}export async function ping() {\n  const conn = await pool.acquire();\n  await conn.ping();\n  await pool.release(conn);\n}\n`.replace(/\n/g, '\r\n');
    const { output } = transform('release-in-finally', source);
    expect(output).toBeDefined();
    // (applyTransform trims the final line break.)
    expect(output!.trimEnd().replace(/\r\n/g, '')).not.toContain('\n');
    expect(output).toContain('\r\n  try {\r\n    await conn.ping();\r\n  } finally {\r\n    await pool.release(conn);\r\n  }\r\n');
  });

  it('does not re-indent the inside of a template literal it moves', () => {
    const source = `${POOL}export async function save(id: string) {
  const conn = await pool.acquire();
  await conn.set(id, \`line one
line two\`);
  await pool.release(conn);
}
`;
    expect(transform('release-in-finally', source).output).toContain('    await conn.set(id, `line one\nline two`);\n');
  });

  it('reports a file that does not parse', () => {
    expect(() => transform('release-in-finally', `${POOL}export const = ;\n`)).toThrow(CodemodParseError);
  });

  it('reads JavaScript with the JavaScript grammar: a < b > (c) is a comparison, sloppy scripts parse', () => {
    const source = `var genericPool = require('generic-pool');
var Redis = require('ioredis');
var pool = genericPool.createPool({ create: function () { return new Redis(); }, destroy: function (c) { return c.quit(); } });
async function flag(a, b, c) {
  var conn = await pool.acquire();
  with (Math) await conn.set('max', String(max(a < b > (c), 0644)));
  pool.release(conn);
}
`;
    const { output } = transform('release-in-finally', source, path.join(__dirname, 'example.cjs'));
    expect(output).toContain("    with (Math) await conn.set('max', String(max(a < b > (c), 0644)));\n");
  });
});

describe('reports', () => {
  it('go through jscodeshift\'s api.report when no reporter is given', () => {
    const messages: string[] = [];
    const source = `${POOL}export async function f(key: string) {\n  const conn = await pool.acquire();\n  const same = conn;\n  await same.del(key);\n}\n`;
    const output = releaseInFinally.default({ path: HERE, source }, { report: (message: string) => messages.push(message), stats: () => {} } as never, {});
    expect(output).toBeUndefined();
    expect(messages).toEqual(['5:3 skipped: it is copied to another variable at line 6; release it through one name']);
  });

  it("a finding of the codemod's rule with no plan is said through api.report and counted in api.stats", () => {
    const messages: string[] = [];
    const source = `import Redis from 'ioredis';\nlet client: Redis | undefined;\nexport function getRedis(url: string): Redis {\n  client = new Redis(url, { commandTimeout: 2000 });\n  return client;\n}\n`;
    const api = { report: (message: string) => messages.push(message), stats: (name: string) => messages.push(`stats: ${name}`) };
    expect(releaseInFinally.default({ path: HERE, source }, api as never, {})).toBeUndefined();
    expect(messages).toEqual([
      'stats: findings with no rewrite planned',
      '4:3 found, no rewrite planned: `getRedis` makes a new ioredis client in `client` on every call without closing the one it holds: each call leaves a connection open. Make it once (`if (!client)`) or close the previous one first.',
    ]);
  });

  it('managed-lifecycle reports a node-redis 4 duplicate instead of writing executeIsolated', () => {
    const source = `import { createClient } from 'redis';
const client = createClient();
export async function pop(queue: string) {
  const isolated = client.duplicate();
  await isolated.connect();
  try {
    return await isolated.blPop(queue, 5);
  } finally {
    await isolated.quit();
  }
}
`;
    expect(transform('managed-lifecycle', source, HERE, { nodeRedisMajor: 4 })).toEqual({
      output: undefined,
      reports: [
        'S 4 executeIsolated() would lend from the isolation pool (isolationPoolOptions.max, 1 by default) instead of this connection of its own, so concurrent callers would queue; size that pool and rewrite by hand',
      ],
    });
    expect(transform('managed-lifecycle', source, HERE, { nodeRedisMajor: 5 })).toEqual({ output: undefined, reports: [] });
  });

  it('managed-lifecycle, TypeScript: a value assigned inside and read after, that is not a carried result', () => {
    const source = `${POOL}export async function f(key: string) {
  let hits: number;
  const conn = await pool.acquire();
  try {
    hits = await conn.incr(key);
    hits += 1;
  } finally {
    await pool.release(conn);
  }
  return hits;
}
`;
    expect(transform('managed-lifecycle', source).reports).toEqual([
      "S 6 `hits` is assigned inside the try and read after it; TypeScript can't see that assignment through the callback",
    ]);
    // In JavaScript the closure assignment is fine.
    const js = source.replace('let hits: number;', 'let hits;').replace('key: string', 'key');
    expect(transform('managed-lifecycle', js, path.join(__dirname, 'example.js')).output).toContain('  await pool.use(async (conn) => {\n    hits = await conn.incr(key);');
  });
});

describe('the managed-call plan (prefer-pool-use\'s fix, managed-lifecycle\'s rewrite)', () => {
  const source = `${POOL}export async function touch(key: string) {
  const conn = await pool.acquire();
  try {
    await conn.expire(key, 60);
  } finally {
    await pool.release(conn);
  }
}
`;
  const offset = source.indexOf('const conn');
  const plansOf = (text: string) => analyzeFile(HERE, text, { rules: { 'prefer-pool-use': { rule: preferPoolUse as never } } }).plans;

  it('is one replacement of the site, from the declaration to the end of the try', () => {
    const [plan] = plansOf(source);
    expect(plan).toMatchObject({ type: 'rewrite', rule: 'prefer-pool-use', kind: 'managed-call', line: 5, column: 2, description: 'pool.use(…)' });
    if (plan?.type !== 'rewrite') return;
    expect(plan.edits).toEqual([{ start: offset, end: source.indexOf('\n}\n', offset), text: 'await pool.use(async (conn) => {\n    await conn.expire(key, 60);\n  });' }]);
  });

  it('says why it skips', () => {
    expect(plansOf(source.replace('await pool.release(conn);', 'await pool.destroy(conn);'))).toEqual([
      { type: 'skip', rule: 'prefer-pool-use', kind: 'managed-call', line: 5, column: 2, reason: 'it is given back with destroy(), and use() would release() it instead' },
    ]);
  });
});

describe('hoisting in TypeScript', () => {
  it('takes quiet readers into the try instead of hoisting', () => {
    const source = `${POOL}export async function names(key: string) {
  const conn = await pool.acquire();
  const prefix = await conn.get(key);
  await pool.release(conn);
  return ['a', 'b'].map((name) => prefix + name);
}
`;
    expect(transform('release-in-finally', source).output).toContain(`  try {
    const prefix = await conn.get(key);
    return ['a', 'b'].map((name) => prefix + name);
  } finally {
    await pool.release(conn);
  }
`);
  });

  it('hoists with the written type when the readers wait, and skips when no type is written', () => {
    const source = `${POOL}export async function names(key: string, notify: (value: string | null) => Promise<void>) {
  const conn = await pool.acquire();
  const prefix = await conn.get(key);
  await pool.release(conn);
  await notify(prefix);
  return ['a', 'b'].map((name) => prefix + name);
}
`;
    expect(transform('release-in-finally', source)).toEqual({
      output: undefined,
      reports: ['S 5 `prefix` is read after the loan is given back (line 9) and its type is not written; annotate it so it can be declared above the try'],
    });
    const annotated = source.replace('const prefix =', 'const prefix: string | null =');
    expect(transform('release-in-finally', annotated).output).toContain(`  let prefix: string | null;
  const conn = await pool.acquire();
  try {
    prefix = await conn.get(key);
  } finally {
    await pool.release(conn);
  }
  await notify(prefix);
`);
  });
});

describe('style', () => {
  it('writes no semicolons in a file that relies on ASI', () => {
    const source = `import { createPool } from 'generic-pool'
import Redis from 'ioredis'
const pool = createPool({ create: async () => new Redis(), destroy: async (c) => void (await c.quit()) })
export async function get(key, log) {
  const conn = await pool.acquire()
  const value = await conn.get(key)
  await pool.release(conn)
  await log(value)
  return value
}
`;
    expect(transform('release-in-finally', source, path.join(__dirname, 'example.js')).output).toContain(`  let value
  const conn = await pool.acquire()
  try {
    value = await conn.get(key)
  } finally {
    await pool.release(conn)
  }
  await log(value)
`);
  });
});

describe('managed-lifecycle returns', () => {
  it('a return inside a loop in the tail try becomes the callback\'s, returned through', () => {
    const source = `${POOL}export async function firstSet(keys: string[]): Promise<string | null> {
  const conn = await pool.acquire();
  try {
    for (const key of keys) {
      const value = await conn.get(key);
      if (value !== null) return value;
    }
    return null;
  } finally {
    await pool.release(conn);
  }
}
`;
    expect(transform('managed-lifecycle', source).output).toContain(`  return pool.use(async (conn) => {
    for (const key of keys) {
      const value = await conn.get(key);
      if (value !== null) return value;
    }
    return null;
  });
`);
  });
});

describe('guarded releases', () => {
  it('keeps a guard on the connection state when the release moves into the finally', () => {
    const source = `import { createClient } from 'redis';
export async function read(key: string) {
  const client = await createClient().connect();
  const value = await client.get(key);
  if (client.isOpen) {
    await client.close();
  }
  return value;
}
`;
    expect(transform('release-in-finally', source).output).toContain(`  try {
    const value = await client.get(key);
    return value;
  } finally {
    if (client.isOpen) {
      await client.close();
    }
  }
`);
  });

  it('counts a release under a state guard as one', () => {
    const source = `import { createClient } from 'redis';
export async function read(key: string) {
  const client = await createClient().connect();
  try {
    return await client.get(key);
  } finally {
    if (client.isOpen) await client.close();
  }
}
`;
    expect(transform('release-in-finally', source)).toEqual({ output: undefined, reports: [] });
  });
});
