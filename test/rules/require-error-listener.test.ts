import type { InvalidTestCase } from '@typescript-eslint/rule-tester';
import rule, { type MessageIds, type Options } from '../../rules/require-error-listener';
import { typedFile, typedTester, untypedTester } from '../rule-tester';

const valid = [
  // A listener on the variable.
  `import { createClient } from 'redis';
   const client = createClient();
   client.on('error', (err) => console.error(err));`,
  // Chained before connect().
  `import { createClient } from 'redis';
   const client = await createClient().on('error', console.error).connect();`,
  // once and addListener count.
  `import { createClient } from 'redis';
   const client = createClient();
   client.once('error', () => {});`,
  `const redis = require('redis');
   const client = redis.createClient();
   client.addListener('error', () => {});`,
  // Through an alias.
  `import { createClient } from 'redis';
   const client = createClient();
   const c = client;
   c.on('error', () => {});`,
  // Ownership leaves: returned, exported, stored, passed on.
  `import { createClient } from 'redis';
   export function make() { return createClient(); }`,
  `import { createClient } from 'redis';
   export function make() { const c = createClient(); return c; }`,
  `import { createClient } from 'redis';
   export const client = createClient();`,
  `import { createClient } from 'redis';
   const client = createClient();
   module.exports = { client };`,
  `import { createClient } from 'redis';
   function attach(c) {}
   const client = createClient();
   attach(client);`,
  `import { createClient } from 'redis';
   class Cache { constructor() { this.client = createClient(); this.client.on('error', () => {}); } }`,
  `import { createClient } from 'redis';
   class Cache { client = createClient(); start() { this.client.on('error', () => {}); } }`,
  // ioredis only logs: not checked by default.
  `import Redis from 'ioredis';
   const redis = new Redis();`,
  // Not a Redis client.
  `import { createClient } from './my-http';
   const client = createClient();`,
  `function createClient() { return {}; }
   const client = createClient();`,
  // An event name we can't read may be 'error'.
  `import { createClient } from 'redis';
   const client = createClient();
   const event = process.env.EVENT;
   client.on(event, () => {});`,
  // Pool with listener.
  `import { createClientPool } from 'redis';
   const pool = createClientPool({}, { maximum: 5 });
   pool.on('error', () => {});`,
  // A class field listened to through a local that reads it.
  `import { createClient } from 'redis';
   class Cache {
     client = createClient();
     start() {
       const c = this.client;
       c.on('error', (err) => console.error(err));
     }
   }`,
  `import { createClient } from 'redis';
   class Cache {
     client = createClient();
     start() {
       const { client } = this;
       client.on('error', (err) => console.error(err));
     }
   }`,
  // A pool's create that listens before it hands the client over (generic-pool 3, tarn).
  `import { createClient } from 'redis';
   import { createPool } from 'generic-pool';
   export const pool = createPool({
     async create() {
       const client = createClient();
       client.on('error', (err) => console.error(err));
       await client.connect();
       return client;
     },
     async destroy(client) { await client.quit(); },
   }, { max: 4, acquireTimeoutMillis: 3000 });`,
  `import { createClient } from 'redis';
   import { Pool } from 'tarn';
   export const pool = new Pool({
     create: () => createClient().on('error', (err) => console.error(err)).connect(),
     destroy: (client) => client.quit(),
     min: 0,
     max: 4,
   });`,
  // create returns what a project factory makes: the factory decides (here it listens).
  `import { createClient } from 'redis';
   import { createPool } from 'generic-pool';
   function makeClient() {
     const client = createClient();
     client.on('error', () => {});
     return client;
   }
   export const pool = createPool({ create: async () => makeClient(), destroy: async (c) => c.quit() }, { max: 4, acquireTimeoutMillis: 3000 });`,
  // Something that is not a pool of the catalog gets it: its business.
  `import { createClient } from 'redis';
   import { makePool } from './pools';
   export const pool = makePool({ create: () => createClient() });`,
];

const IOREDIS_POOLS = `import Redis from 'ioredis';
import { createPool } from 'generic-pool';
export const pool = createPool({
  create() {
    const c = new Redis();
    return Promise.resolve(c);
  },
  async destroy(c) { await c.quit(); },
}, { max: 4, acquireTimeoutMillis: 3000 });
export const pool2 = createPool({
  create: async () => {
    const c = new Redis();
    return c;
  },
  destroy: async (c) => { await c.quit(); },
}, { max: 4, acquireTimeoutMillis: 3000 });`;

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    // A generic-pool 3 create returns a client nobody listens on: pools never add an 'error' listener.
    code: `import { createClient } from 'redis';
import { createPool } from 'generic-pool';
const factory = {
  async create() {
    const client = createClient();
    await client.connect();
    return client;
  },
  async destroy(client) { await client.quit(); },
};
export const pool = createPool(factory, { max: 4, acquireTimeoutMillis: 3000 });`,
    errors: [
      {
        messageId: 'missingErrorListener' as const,
        line: 5,
        data: {
          library: 'node-redis',
          kind: 'client',
          consequence: 'the first socket error (a Redis restart, a failover, a network blip) is thrown as an unhandled event and crashes the process.',
        },
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: `import { createClient } from 'redis';
import { createPool } from 'generic-pool';
const factory = {
  async create() {
    const client = createClient();
    client.on('error', (err) => {
      console.error('Redis error', err);
    });
    await client.connect();
    return client;
  },
  async destroy(client) { await client.quit(); },
};
export const pool = createPool(factory, { max: 4, acquireTimeoutMillis: 3000 });`,
          },
        ],
      },
    ],
  },
  {
    // tarn, the client returned straight from an arrow.
    code: `import { createClient } from 'redis';
import { Pool } from 'tarn';
export const pool = new Pool({ create: () => createClient().connect(), destroy: (c) => c.quit(), min: 0, max: 4 });`,
    errors: [
      {
        messageId: 'missingErrorListener' as const,
        line: 3,
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: `import { createClient } from 'redis';
import { Pool } from 'tarn';
export const pool = new Pool({ create: () => createClient().on('error', (err) => console.error('Redis error', err)).connect(), destroy: (c) => c.quit(), min: 0, max: 4 });`,
          },
        ],
      },
    ],
  },
  {
    // ioredis in a generic-pool 3 create, when the option asks for ioredis; the first is passed
    // to Promise.resolve, which is not the pool: someone else's business.
    code: IOREDIS_POOLS,
    options: [{ libraries: ['ioredis'] }],
    errors: [
      {
        messageId: 'missingErrorListener' as const,
        line: 12,
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: IOREDIS_POOLS.replace(
              '    const c = new Redis();\n    return c;',
              "    const c = new Redis();\n    c.on('error', (err) => {\n      console.error('Redis error', err);\n    });\n    return c;",
            ),
          },
        ],
      },
    ],
  },
  {
    code: `import { createClient } from 'redis';
const client = createClient();
await client.connect();`,
    errors: [
      {
        messageId: 'missingErrorListener' as const,
        line: 2,
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: `import { createClient } from 'redis';
const client = createClient();
client.on('error', (err) => {
  console.error('Redis error', err);
});
await client.connect();`,
          },
        ],
      },
    ],
  },
  {
    code: `import { createClient } from 'redis';
const client = await createClient({ url: process.env.REDIS_URL }).connect();`,
    errors: [
      {
        messageId: 'missingErrorListener' as const,
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: `import { createClient } from 'redis';
const client = await createClient({ url: process.env.REDIS_URL }).connect();
client.on('error', (err) => {
  console.error('Redis error', err);
});`,
          },
        ],
      },
    ],
  },
  {
    // A duplicate has no listeners of its own.
    code: `import { createClient } from 'redis';
const client = createClient();
client.on('error', () => {});
const subscriber = client.duplicate();
await subscriber.connect();`,
    errors: [{ messageId: 'missingErrorListener' as const, line: 4, suggestions: [{ messageId: 'addErrorListener' as const, output: `import { createClient } from 'redis';
const client = createClient();
client.on('error', () => {});
const subscriber = client.duplicate();
subscriber.on('error', (err) => {
  console.error('Redis error', err);
});
await subscriber.connect();` }] }],
  },
  {
    // CommonJS with destructuring, and a listener for another event.
    code: `const { createClient } = require('redis');
const client = createClient();
client.on('ready', () => {});`,
    errors: [{ messageId: 'missingErrorListener' as const, suggestions: [{ messageId: 'addErrorListener' as const, output: `const { createClient } = require('redis');
const client = createClient();
client.on('error', (err) => {
  console.error('Redis error', err);
});
client.on('ready', () => {});` }] }],
  },
  {
    // Namespace import; a cluster; a sentinel.
    code: `import * as redis from 'redis';
const cluster = redis.createCluster({ rootNodes: [] });
const sentinel = redis.createSentinel({ name: 'm', sentinelRootNodes: [] });`,
    errors: [
      { messageId: 'missingErrorListener' as const, line: 2, suggestions: [{ messageId: 'addErrorListener' as const, output: `import * as redis from 'redis';
const cluster = redis.createCluster({ rootNodes: [] });
cluster.on('error', (err) => {
  console.error('Redis error', err);
});
const sentinel = redis.createSentinel({ name: 'm', sentinelRootNodes: [] });` }] },
      { messageId: 'missingErrorListener' as const, line: 3, suggestions: [{ messageId: 'addErrorListener' as const, output: `import * as redis from 'redis';
const cluster = redis.createCluster({ rootNodes: [] });
const sentinel = redis.createSentinel({ name: 'm', sentinelRootNodes: [] });
sentinel.on('error', (err) => {
  console.error('Redis error', err);
});` }] },
    ],
  },
  {
    // Made and dropped.
    code: `import { createClient } from 'redis';
await createClient().connect();`,
    errors: [
      {
        messageId: 'missingErrorListener' as const,
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: `import { createClient } from 'redis';
await createClient().on('error', (err) => console.error('Redis error', err)).connect();`,
          },
        ],
      },
    ],
  },
  {
    // Removing or emitting an 'error' listener on the field is not adding one: the catalog, not
    // the method's name, says which methods listen.
    code: `import { createClient } from 'redis';
class Cache {
  client = createClient();
  stop(h) { this.client.removeListener('error', h); const c = this.client; c.emit('error', new Error('x')); }
}`,
    errors: [{ messageId: 'missingErrorListener' as const, suggestions: [{ messageId: 'addErrorListener' as const, output: `import { createClient } from 'redis';
class Cache {
  client = createClient().on('error', (err) => console.error('Redis error', err));
  stop(h) { this.client.removeListener('error', h); const c = this.client; c.emit('error', new Error('x')); }
}` }] }],
  },
  {
    // A class field never listened to.
    code: `import { createClient } from 'redis';
class Cache {
  client = createClient();
  get(key) { return this.client.get(key); }
}`,
    errors: [{ messageId: 'missingErrorListener' as const, suggestions: [{ messageId: 'addErrorListener' as const, output: `import { createClient } from 'redis';
class Cache {
  client = createClient().on('error', (err) => console.error('Redis error', err));
  get(key) { return this.client.get(key); }
}` }] }],
  },
  {
    // A local that reads the field but never listens does not handle it.
    code: `import { createClient } from 'redis';
class Cache {
  client = createClient();
  get(key) {
    const c = this.client;
    return c.get(key);
  }
}`,
    errors: [{ messageId: 'missingErrorListener' as const, line: 3, suggestions: [{ messageId: 'addErrorListener' as const, output: `import { createClient } from 'redis';
class Cache {
  client = createClient().on('error', (err) => console.error('Redis error', err));
  get(key) {
    const c = this.client;
    return c.get(key);
  }
}` }] }],
  },
  {
    // Assigned in a statement of its own: the listener follows as a statement on the same target.
    code: `import { createClient } from 'redis';
class Cache {
  constructor() {
    this.client = createClient();
  }
}
let shared;
export async function init() {
  shared = createClient();
  await shared.connect();
}`,
    errors: [
      {
        messageId: 'missingErrorListener' as const,
        line: 4,
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: `import { createClient } from 'redis';
class Cache {
  constructor() {
    this.client = createClient();
    this.client.on('error', (err) => {
      console.error('Redis error', err);
    });
  }
}
let shared;
export async function init() {
  shared = createClient();
  await shared.connect();
}`,
          },
        ],
      },
      {
        messageId: 'missingErrorListener' as const,
        line: 9,
        suggestions: [
          {
            messageId: 'addErrorListener' as const,
            output: `import { createClient } from 'redis';
class Cache {
  constructor() {
    this.client = createClient();
  }
}
let shared;
export async function init() {
  shared = createClient();
  shared.on('error', (err) => {
    console.error('Redis error', err);
  });
  await shared.connect();
}`,
          },
        ],
      },
    ],
  },
  {
    // ioredis when the option asks for it.
    code: `import Redis from 'ioredis';
const redis = new Redis();`,
    options: [{ libraries: ['ioredis'] }],
    errors: [{ messageId: 'missingErrorListener' as const, suggestions: [{ messageId: 'addErrorListener' as const, output: `import Redis from 'ioredis';
const redis = new Redis();
redis.on('error', (err) => {
  console.error('Redis error', err);
});` }] }],
  },
];

untypedTester().run('require-error-listener', rule, {
  valid,
  invalid,
});

typedTester().run('require-error-listener (typed)', rule, {
  valid: valid.map((code) => ({ code, filename: typedFile })),
  invalid: invalid.map((test) => ({ ...test, filename: typedFile })),
});
