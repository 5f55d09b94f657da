/**
 * Templates for the generated corpora: the kinds of module a service on Redis is made of (client
 * and pool modules, caches, handlers that borrow connections, queue workers, rate limiters,
 * pub/sub) and, as in any real service, a larger share of modules that don't touch Redis at all
 * (models, validation, utilities, HTTP handlers that call services). A few files carry the
 * faults the rules look for, so the measured runs include reporting, not only analysis.
 *
 * Every template renders TypeScript (valid under the typed fixture project's tsconfig) or, with
 * `ts: false`, the same module as CommonJS JavaScript.
 */

/** A small seeded PRNG (mulberry32), so a corpus is the same on every run. */
export function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

const NOUNS = ['order', 'invoice', 'session', 'user', 'cart', 'product', 'payment', 'shipment', 'coupon', 'review', 'account', 'report', 'ticket', 'device', 'tenant', 'webhook', 'quota', 'profile', 'message', 'upload'];
const VERBS = ['load', 'store', 'refresh', 'expire', 'count', 'track', 'lookup', 'sync', 'purge', 'touch'];

const cap = (word) => word[0].toUpperCase() + word.slice(1);

/** Module syntax and type annotations for one rendering. */
function dialect(ts) {
  return {
    ts,
    /** A type annotation, or nothing in JavaScript. */
    t: (text) => (ts ? text : ''),
    /** `import x from` / `const x = require()`; `named` is a list of names, `def` a default binding. */
    imp: (module, { def, named } = {}) => {
      if (ts) {
        const parts = [def, named?.length ? `{ ${named.join(', ')} }` : undefined].filter(Boolean);
        return `import ${parts.join(', ')} from '${module}';`;
      }
      const lines = [];
      if (def) lines.push(`const ${def} = require('${module}');`);
      if (named?.length) lines.push(`const { ${named.join(', ')} } = require('${module}');`);
      return lines.join('\n');
    },
    exp: (declaration) => (ts ? `export ${declaration}` : declaration),
    exports: (names) => (ts ? '' : `\nmodule.exports = { ${names.join(', ')} };\n`),
    iface: (text) => (ts ? `${text}\n` : ''),
  };
}

function redisUrl(r) {
  return r.chance(0.5) ? "process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'" : `'redis://cache-${r.int(1, 9)}.internal:6379'`;
}

/** Helper functions with ordinary control flow, appended to make files realistic in size. */
function helpers(d, r, noun, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const n = `${noun}${cap(r.pick(VERBS))}${i}`;
    switch (r.int(0, 3)) {
      case 0:
        out.push(`function ${n}Key(id${d.t(': string')}, scope${d.t(': string')} = '${r.pick(NOUNS)}')${d.t(': string')} {
  const parts = [scope, '${noun}', id].filter((part) => part.length > 0);
  return parts.join(':');
}`);
        break;
      case 1:
        out.push(`function ${n}Ttl(size${d.t(': number')})${d.t(': number')} {
  if (size <= 0) return ${r.int(30, 120)};
  let ttl = ${r.int(60, 600)};
  for (let step = size; step > 1; step = Math.floor(step / 2)) {
    ttl += ${r.int(5, 30)};
  }
  return Math.min(ttl, ${r.int(1800, 7200)});
}`);
        break;
      case 2:
        out.push(`function ${n}Parse(raw${d.t(': string | null')})${d.t(': Record<string, unknown> | null')} {
  if (raw === null || raw === '') return null;
  try {
    const value = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? value : null;
  } catch (error) {
    console.warn('invalid ${noun} payload', error);
    return null;
  }
}`);
        break;
      default:
        out.push(`function ${n}Batch${d.t('<T>')}(items${d.t(': T[]')}, size${d.t(': number')})${d.t(': T[][]')} {
  const batches${d.t(': T[][]')} = [];
  for (let index = 0; index < items.length; index += size) {
    batches.push(items.slice(index, index + size));
  }
  return batches;
}`);
    }
  }
  return out;
}

function helperNames(text) {
  return [...text.matchAll(/^function (\w+)/gm)].map((m) => m[1]);
}

// --- modules that create clients -------------------------------------------------------------

function nodeRedisClient(d, r, noun) {
  const listener = !r.chance(0.1);
  const timeout = r.int(1, 5) * 1000;
  const name = `${noun}Client`;
  const body = helpers(d, r, noun, r.int(1, 3)).join('\n\n');
  return `${d.imp('redis', { named: ['createClient'] })}

const url = ${redisUrl(r)};

${d.exp(`const ${name} = createClient({
  url,
  socket: { connectTimeout: ${timeout}, reconnectStrategy: (retries${d.t(': number')}) => Math.min(retries * 100, 3000) },
})`)}${listener ? `.on('error', (error${d.t(': Error')}) => {
  console.error('${noun} redis error', error);
})` : ''};

${d.exp(`async function connect${cap(noun)}()${d.t(': Promise<void>')} {
  if (!${name}.isOpen) await ${name}.connect();
}`)}

${d.exp(`async function close${cap(noun)}()${d.t(': Promise<void>')} {
  await ${name}.close();
}`)}

${body}
${d.exports([name, `connect${cap(noun)}`, `close${cap(noun)}`, ...helperNames(body)])}`;
}

function ioredisClient(d, r, noun) {
  const library = r.chance(0.8) ? 'ioredis' : 'iovalkey';
  const withTimeout = !r.chance(0.15);
  const name = `${noun}Redis`;
  const body = helpers(d, r, noun, r.int(1, 3)).join('\n\n');
  return `${d.imp(library, { def: 'Redis' })}

${d.exp(`const ${name} = new Redis(${redisUrl(r)}, {
  ${withTimeout ? `commandTimeout: ${r.int(1, 4) * 500},\n  ` : ''}maxRetriesPerRequest: ${r.int(1, 5)},
  enableOfflineQueue: ${r.chance(0.5)},
  keyPrefix: '${noun}:',
})`)};

${name}.on('error', (error${d.t(': Error')}) => {
  console.error('${noun} redis error', error.message);
});

${d.exp(`async function ping${cap(noun)}()${d.t(': Promise<boolean>')} {
  const reply = await ${name}.ping();
  return reply === 'PONG';
}`)}

${body}
${d.exports([name, `ping${cap(noun)}`, ...helperNames(body)])}`;
}

// --- pools and code that borrows from them ----------------------------------------------------

function genericPoolModule(d, r, noun) {
  const leak = r.chance(0.15);
  const max = r.pick([8, 10, 16, 20, 24, 32]);
  const pool = `${noun}Pool`;
  const body = helpers(d, r, noun, r.int(0, 2)).join('\n\n');
  return `${d.imp('generic-pool', { named: ['createPool'] })}
${d.imp('ioredis', { def: 'Redis' })}

const url = ${redisUrl(r)};

${d.exp(`const ${pool} = createPool${d.t('<Redis>')}(
  {
    create: async () => new Redis(url, { commandTimeout: ${r.int(1, 4) * 500}, lazyConnect: false }),
    destroy: async (client${d.t(': Redis')}) => {
      await client.quit();
    },
    validate: async (client${d.t(': Redis')}) => client.status === 'ready',
  },
  { min: ${r.int(0, 4)}, max: ${max}, acquireTimeoutMillis: ${r.int(1, 5) * 1000}, testOnBorrow: true },
)`)};

${d.exp(`async function get${cap(noun)}(id${d.t(': string')})${d.t(': Promise<string | null>')} {
  const client = await ${pool}.acquire();
  ${leak ? `const value = await client.get(\`${noun}:\${id}\`);
  await ${pool}.release(client);
  return value;` : `try {
    return await client.get(\`${noun}:\${id}\`);
  } finally {
    await ${pool}.release(client);
  }`}
}`)}

${d.exp(`async function put${cap(noun)}(id${d.t(': string')}, value${d.t(': string')}, ttlSeconds${d.t(': number')})${d.t(': Promise<void>')} {
  await ${pool}.use(async (client${d.t(': Redis')}) => {
    await client.set(\`${noun}:\${id}\`, value, 'EX', ttlSeconds);
  });
}`)}

${d.exp(`async function count${cap(noun)}s(ids${d.t(': string[]')})${d.t(': Promise<number>')} {
  const client = await ${pool}.acquire();
  try {
    let total = 0;
    for (const id of ids) {
      if (await client.exists(\`${noun}:\${id}\`)) total += 1;
    }
    return total;
  } finally {
    await ${pool}.release(client);
  }
}`)}

${body}
${d.exports([pool, `get${cap(noun)}`, `put${cap(noun)}`, `count${cap(noun)}s`, ...helperNames(body)])}`;
}

function tarnPoolModule(d, r, noun) {
  const pool = `${noun}Connections`;
  const body = helpers(d, r, noun, r.int(0, 2)).join('\n\n');
  return `${d.imp('tarn', { named: ['Pool'] })}
${d.imp('ioredis', { def: 'Redis' })}

${d.exp(`const ${pool} = new Pool${d.t('<Redis>')}({
  create: () => new Redis(${redisUrl(r)}, { commandTimeout: ${r.int(1, 4) * 500} }),
  destroy: async (client${d.t(': Redis')}) => {
    await client.quit();
  },
  min: ${r.int(0, 2)},
  max: ${r.pick([4, 8, 12, 16])},
  acquireTimeoutMillis: ${r.int(2, 10) * 1000},
  idleTimeoutMillis: 30000,
})`)};

${d.exp(`async function withConnection${d.t('<T>')}(work${d.t(': (client: Redis) => Promise<T>')})${d.t(': Promise<T>')} {
  const client = await ${pool}.acquire().promise;
  try {
    return await work(client);
  } finally {
    ${pool}.release(client);
  }
}`)}

${d.exp(`async function increment${cap(noun)}(id${d.t(': string')})${d.t(': Promise<number>')} {
  return withConnection((client) => client.incr(\`${noun}:count:\${id}\`));
}`)}

${body}
${d.exports([pool, 'withConnection', `increment${cap(noun)}`, ...helperNames(body)])}`;
}

function nodeRedisPoolModule(d, r, noun) {
  const pool = `${noun}ClientPool`;
  const body = helpers(d, r, noun, r.int(0, 2)).join('\n\n');
  return `${d.imp('redis', { named: ['createClientPool'] })}

${d.exp(`const ${pool} = createClientPool(
  { url: ${redisUrl(r)}, socket: { connectTimeout: 3000 } },
  { minimum: ${r.int(1, 3)}, maximum: ${r.pick([5, 10, 20])}, acquireTimeout: ${r.int(1, 5) * 1000} },
)`)};

${pool}.on('error', (error${d.t(': Error')}) => console.error('${noun} pool error', error));

${d.exp(`async function swap${cap(noun)}(id${d.t(': string')}, next${d.t(': string')})${d.t(': Promise<string | null>')} {
  return ${pool}.execute(async (client) => {
    const previous = await client.get(\`${noun}:\${id}\`);
    await client.set(\`${noun}:\${id}\`, next);
    return previous;
  });
}`)}

${d.exp(`async function read${cap(noun)}(id${d.t(': string')})${d.t(': Promise<string | null>')} {
  return ${pool}.get(\`${noun}:\${id}\`);
}`)}

${body}
${d.exports([pool, `swap${cap(noun)}`, `read${cap(noun)}`, ...helperNames(body)])}`;
}

// --- code that uses a client made elsewhere, or makes short-lived ones -----------------------

function cacheService(d, r, noun) {
  const clientName = `${r.pick(NOUNS)}Client`;
  const ttl = r.int(60, 3600);
  const body = helpers(d, r, noun, r.int(1, 3)).join('\n\n');
  return `${d.imp(`../lib/${clientName}`, { named: [clientName] })}

${d.iface(`interface ${cap(noun)} {
  id: string;
  updatedAt: number;
  tags: string[];
}`)}
${d.exp(`async function cached${cap(noun)}(id${d.t(': string')}, load${d.t(`: (id: string) => Promise<${cap(noun)}>`)})${d.t(`: Promise<${cap(noun)}>`)} {
  const key = \`${noun}:\${id}\`;
  const hit = await ${clientName}.get(key);
  if (hit !== null) return JSON.parse(hit)${d.t(` as ${cap(noun)}`)};
  const fresh = await load(id);
  await ${clientName}.set(key, JSON.stringify(fresh), { EX: ${ttl} });
  return fresh;
}`)}

${d.exp(`async function invalidate${cap(noun)}(ids${d.t(': string[]')})${d.t(': Promise<number>')} {
  if (ids.length === 0) return 0;
  return ${clientName}.del(ids.map((id) => \`${noun}:\${id}\`));
}`)}

${body}
${d.exports([`cached${cap(noun)}`, `invalidate${cap(noun)}`, ...helperNames(body)])}`;
}

function shortLivedClient(d, r, noun) {
  // A script-style module that opens a client, uses it and closes it on every path (or, in a
  // few files, forgets the close on the error path).
  const safe = !r.chance(0.2);
  return `${d.imp('ioredis', { def: 'Redis' })}

${d.exp(`async function export${cap(noun)}s(prefix${d.t(': string')})${d.t(': Promise<string[]>')} {
  const redis = new Redis(${redisUrl(r)}, { commandTimeout: ${r.int(1, 4) * 1000}, lazyConnect: true });
  redis.on('error', (error${d.t(': Error')}) => console.error(error));
  ${safe ? `try {
    await redis.connect();
    const keys${d.t(': string[]')} = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', \`\${prefix}*\`, 'COUNT', ${r.pick([100, 500, 1000])});
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    await redis.quit();
  }` : `await redis.connect();
  const keys${d.t(': string[]')} = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', \`\${prefix}*\`, 'COUNT', ${r.pick([100, 500, 1000])});
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
  return keys;`}
}`)}
${d.exports([`export${cap(noun)}s`])}`;
}

function queueWorker(d, r, noun) {
  const queue = `${noun}-${r.pick(['jobs', 'events', 'tasks'])}`;
  return `${d.imp('bullmq', { named: ['Queue', 'Worker'] })}

const connection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: ${r.pick([6379, 6380])}, maxRetriesPerRequest: null };

${d.exp(`const ${noun}Queue = new Queue('${queue}', { connection })`)};

${d.exp(`const ${noun}Worker = new Worker(
  '${queue}',
  async (job) => {
    const attempts = job.attemptsMade;
    if (attempts > ${r.int(2, 5)}) {
      throw new Error(\`giving up on \${job.id}\`);
    }
    return { processed: job.name, at: Date.now() };
  },
  { connection, concurrency: ${r.int(1, 16)} },
)`)};

${noun}Worker.on('failed', (job, error) => {
  console.error('${queue} failed', job?.id, error.message);
});

${d.exp(`async function enqueue${cap(noun)}(payload${d.t(': Record<string, unknown>')})${d.t(': Promise<string | undefined>')} {
  const job = await ${noun}Queue.add('${noun}', payload, { attempts: ${r.int(1, 5)}, removeOnComplete: true });
  return job.id;
}`)}
${d.exports([`${noun}Queue`, `${noun}Worker`, `enqueue${cap(noun)}`])}`;
}

function blockingConsumer(d, r, noun) {
  const shared = r.chance(0.2);
  return `${d.imp('ioredis', { def: 'Redis' })}

const redis = new Redis(${redisUrl(r)}, { commandTimeout: 2000 });
redis.on('error', (error${d.t(': Error')}) => console.error(error));
${shared ? '' : `const blocking = redis.duplicate({ commandTimeout: 15000 });
blocking.on('error', (error${d.t(': Error')}) => console.error(error));
`}
${d.exp(`async function next${cap(noun)}()${d.t(': Promise<string | null>')} {
  const popped = await ${shared ? 'redis' : 'blocking'}.blpop('${noun}:queue', ${r.int(1, 10)});
  return popped ? popped[1] : null;
}`)}

${d.exp(`async function push${cap(noun)}(payload${d.t(': string')})${d.t(': Promise<number>')} {
  return redis.rpush('${noun}:queue', payload);
}`)}

${d.exp(`async function drain${cap(noun)}(limit${d.t(': number')})${d.t(': Promise<string[]>')} {
  const items${d.t(': string[]')} = [];
  while (items.length < limit) {
    const item = await next${cap(noun)}();
    if (item === null) break;
    items.push(item);
  }
  return items;
}`)}
${d.exports([`next${cap(noun)}`, `push${cap(noun)}`, `drain${cap(noun)}`])}`;
}

function rateLimiter(d, r, noun) {
  const windowSeconds = r.pick([1, 10, 60]);
  return `${d.imp('ioredis', { def: 'Redis' })}

const limiterRedis = new Redis(${redisUrl(r)}, { commandTimeout: 500, maxRetriesPerRequest: 1 });
limiterRedis.on('error', (error${d.t(': Error')}) => console.error('limiter', error.message));

${d.exp(`async function allow${cap(noun)}(subject${d.t(': string')}, limit${d.t(': number')})${d.t(': Promise<boolean>')} {
  const key = \`rate:${noun}:\${subject}:\${Math.floor(Date.now() / ${windowSeconds * 1000})}\`;
  const results = await limiterRedis.multi().incr(key).expire(key, ${windowSeconds * 2}).exec();
  if (!results) return true;
  const [error, count] = results[0]${d.t(' ?? [null, 0]')};
  if (error) return true;
  return Number(count) <= limit;
}`)}
${d.exports([`allow${cap(noun)}`])}`;
}

function pubsub(d, r, noun) {
  return `${d.imp('redis', { named: ['createClient'] })}

const publisher = createClient({ url: ${redisUrl(r)} });
publisher.on('error', (error${d.t(': Error')}) => console.error('publisher', error));
const subscriber = publisher.duplicate();
subscriber.on('error', (error${d.t(': Error')}) => console.error('subscriber', error));

${d.exp(`async function start${cap(noun)}Events(onEvent${d.t(': (payload: string) => void')})${d.t(': Promise<void>')} {
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe('${noun}-events', (message${d.t(': string')}) => onEvent(message));
}`)}

${d.exp(`async function publish${cap(noun)}(payload${d.t(': object')})${d.t(': Promise<number>')} {
  return publisher.publish('${noun}-events', JSON.stringify(payload));
}`)}

${d.exp(`async function stop${cap(noun)}Events()${d.t(': Promise<void>')} {
  await subscriber.unsubscribe('${noun}-events');
  await Promise.all([subscriber.close(), publisher.close()]);
}`)}
${d.exports([`start${cap(noun)}Events`, `publish${cap(noun)}`, `stop${cap(noun)}Events`])}`;
}

// --- modules without Redis -------------------------------------------------------------------

function model(d, r, noun) {
  const Name = cap(noun);
  const fields = Array.from({ length: r.int(3, 7) }, (_, i) => `${r.pick(['name', 'code', 'label', 'status', 'owner', 'region', 'note'])}${i}`);
  return `${d.iface(`${d.ts ? 'export ' : ''}interface ${Name}Input {
${fields.map((f) => `  ${f}?: string;`).join('\n')}
}`)}
${d.exp(`class ${Name}ValidationError extends Error {
  ${d.ts ? 'readonly ' : ''}field${d.t(': string')};

  constructor(field${d.t(': string')}, message${d.t(': string')}) {
    super(message);
    this.name = '${Name}ValidationError';
    this.field = field;
  }
}`)}

${d.exp(`class ${Name} {
${fields.map((f) => `  ${d.ts ? 'readonly ' : ''}${f}${d.t(': string')};`).join('\n')}

  constructor(input${d.t(`: ${Name}Input`)}) {
${fields.map((f) => `    this.${f} = (input.${f} ?? '').trim();`).join('\n')}
  }

  validate()${d.t(': void')} {
${fields
  .slice(0, 3)
  .map((f) => `    if (this.${f}.length > ${r.int(32, 256)}) throw new ${Name}ValidationError('${f}', '${f} is too long');`)
  .join('\n')}
  }

  toJSON()${d.t(': Record<string, string>')} {
    return { ${fields.map((f) => `${f}: this.${f}`).join(', ')} };
  }
}`)}
${d.exports([`${Name}ValidationError`, Name])}`;
}

function utilities(d, r, noun) {
  const body = helpers(d, r, noun, r.int(3, 7)).join('\n\n');
  return `${body
    .split('\n')
    .map((line) => (d.ts && line.startsWith('function ') ? `export ${line}` : line))
    .join('\n')}
${d.exports(helperNames(body))}`;
}

function httpHandler(d, r, noun) {
  const Name = cap(noun);
  const service = `../services/${noun}-service`;
  return `${d.imp(service, { named: [`find${Name}`, `save${Name}`] })}

${d.iface(`interface Request {
  params: Record<string, string>;
  body: unknown;
  headers: Record<string, string | undefined>;
}
interface Response {
  status(code: number): Response;
  json(body: unknown): void;
}`)}
${d.exp(`async function get${Name}Handler(req${d.t(': Request')}, res${d.t(': Response')})${d.t(': Promise<void>')} {
  const id = req.params.id;
  if (!id || !/^[a-z0-9-]{1,64}$/.test(id)) {
    res.status(400).json({ error: 'invalid id' });
    return;
  }
  try {
    const found = await find${Name}(id);
    if (!found) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.status(200).json(found);
  } catch (error) {
    console.error('${noun} lookup failed', error);
    res.status(500).json({ error: 'internal' });
  }
}`)}

${d.exp(`async function put${Name}Handler(req${d.t(': Request')}, res${d.t(': Response')})${d.t(': Promise<void>')} {
  const tenant = req.headers['x-tenant'] ?? 'default';
  const saved = await save${Name}(tenant, req.params.id, req.body);
  res.status(saved ? 200 : 409).json({ saved });
}`)}
${d.exports([`get${Name}Handler`, `put${Name}Handler`])}`;
}

function service(d, r, noun) {
  const Name = cap(noun);
  const store = `${noun}Store`;
  return `${d.iface(`interface ${Name}Record {
  id: string;
  tenant: string;
  data: unknown;
  version: number;
}`)}
const ${store}${d.t(`: Map<string, ${Name}Record>`)} = new Map();

${d.exp(`async function find${Name}(id${d.t(': string')})${d.t(`: Promise<${Name}Record | undefined>`)} {
  return ${store}.get(id);
}`)}

${d.exp(`async function save${Name}(tenant${d.t(': string')}, id${d.t(': string | undefined')}, data${d.t(': unknown')})${d.t(': Promise<boolean>')} {
  if (!id) return false;
  const previous = ${store}.get(id);
  if (previous && previous.tenant !== tenant) return false;
  ${store}.set(id, { id, tenant, data, version: (previous?.version ?? 0) + 1 });
  return true;
}`)}

${d.exp(`function list${Name}s(tenant${d.t(': string')}, limit = ${r.int(10, 100)})${d.t(`: ${Name}Record[]`)} {
  const out${d.t(`: ${Name}Record[]`)} = [];
  for (const record of ${store}.values()) {
    if (record.tenant !== tenant) continue;
    out.push(record);
    if (out.length >= limit) break;
  }
  return out.sort((a, b) => b.version - a.version);
}`)}
${d.exports([`find${Name}`, `save${Name}`, `list${Name}s`])}`;
}

/**
 * Kinds and weights: about half the files use Redis, half don't, as in a service whose core
 * is Redis-backed. `typed` marks templates that type-check on their own (no import of a
 * sibling module that the typed project doesn't generate).
 */
export const KINDS = [
  { name: 'node-redis-client', weight: 4, render: nodeRedisClient, dir: 'lib', typed: true },
  { name: 'ioredis-client', weight: 4, render: ioredisClient, dir: 'lib', typed: true },
  { name: 'generic-pool', weight: 4, render: genericPoolModule, dir: 'pools', typed: true },
  { name: 'tarn', weight: 2, render: tarnPoolModule, dir: 'pools', typed: true },
  { name: 'node-redis-pool', weight: 2, render: nodeRedisPoolModule, dir: 'pools', typed: true },
  { name: 'cache-service', weight: 6, render: cacheService, dir: 'services', typed: false },
  { name: 'short-lived-client', weight: 3, render: shortLivedClient, dir: 'scripts', typed: true },
  { name: 'queue-worker', weight: 3, render: queueWorker, dir: 'workers', typed: true },
  { name: 'blocking-consumer', weight: 2, render: blockingConsumer, dir: 'workers', typed: true },
  { name: 'rate-limiter', weight: 2, render: rateLimiter, dir: 'middleware', typed: true },
  { name: 'pubsub', weight: 2, render: pubsub, dir: 'events', typed: true },
  { name: 'model', weight: 10, render: model, dir: 'models', typed: true },
  { name: 'utilities', weight: 10, render: utilities, dir: 'utils', typed: true },
  { name: 'http-handler', weight: 8, render: httpHandler, dir: 'handlers', typed: false },
  { name: 'service', weight: 8, render: service, dir: 'services', typed: true },
];

/** The i-th file of a corpus: path (relative) and source. Deterministic in (seed, index). */
export function renderFile(seed, index, { typedOnly = false, jsShare = 0.35 } = {}) {
  const r = random(seed * 100_003 + index);
  const kinds = typedOnly ? KINDS.filter((kind) => kind.typed) : KINDS;
  const total = kinds.reduce((sum, kind) => sum + kind.weight, 0);
  let roll = r.next() * total;
  const kind = kinds.find((k) => (roll -= k.weight) < 0) ?? kinds[kinds.length - 1];
  const ts = typedOnly || !r.chance(jsShare);
  const noun = `${r.pick(NOUNS)}${r.int(0, 9)}`;
  const source = kind.render(dialect(ts), r, noun);
  const group = `area${String(Math.floor(index / 100)).padStart(3, '0')}`;
  return { path: `src/${group}/${kind.dir}/${kind.name}-${index}.${ts ? 'ts' : 'js'}`, source, kind: kind.name };
}
