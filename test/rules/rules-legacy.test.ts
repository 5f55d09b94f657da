/**
 * The callback-era libraries through every rule they concern: node_redis 2 and 3 (the `redis`
 * package below 4) and generic-pool 2. Which entry `redis` and `generic-pool` resolve to depends
 * on the major, set here through `settings.redis.versions` (the installed ones are 6 and 3); the
 * same code under the current majors is the control. No typed cases for them: neither package
 * ships types (and @types/redis is not installed); reply callbacks are also checked on ioredis
 * loans, typed.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import noBlockingOnSharedClient from '../../rules/no-blocking-on-shared-client';
import noOversizedPool from '../../rules/no-oversized-pool';
import noUnreleasedConnection, { type MessageIds, type Options } from '../../rules/no-unreleased-connection';
import requireErrorListener from '../../rules/require-error-listener';
import requireTimeout from '../../rules/require-timeout';
import { commonjsOptions, typedFile, typedTester, untypedTester } from '../rule-tester';

const V3: Record<string, unknown> = { redis: { versions: { redis: '3.1.1', 'generic-pool': '2.5.4' } } };
const V2: Record<string, unknown> = { redis: { versions: { redis: '2.8.0', 'generic-pool': '2.5.4' } } };

// generic-pool 2 has no managed call to suggest (no `use`), so the advice names only finally.
const LOAN_ADVICE = 'release it in a finally block';
const CONNECTION_ADVICE = 'close it in a finally block, or hand it to an owner that does';

type Settings = Record<string, unknown>;
const legacy = <T extends { code: string }>(test: T, settings: Settings = V3): T & { settings: Settings } => ({
  ...commonjsOptions,
  settings,
  ...test,
});

// node_redis models written as constructor functions (node-url-shortener's RedisModel): the
// prototype methods follow; `inConstructor` goes after the field is set.
const STORE = (methods: string, inConstructor = '') => `var redis = require('redis');
function Store(cfg) {
  this.db = redis.createClient(cfg.port, cfg.host);${inConstructor}
}
${methods}
module.exports = Store;`;
const MODEL = (methods: string, inConstructor = '') => `var redis = require('redis');
var Model = module.exports = function (config) {
  this.db = redis.createClient({ host: config.host });${inConstructor}
};
${methods}`;
// hook.io-datastore's shape: a constructor on a namespace object, `var self = this`, methods wrapped in thenify.
const DATASTORE = (inConstructor: string, methods = '') => `var redis = require('redis');
var thenify = require('thenify').withCallback;
var datastore = {};
datastore.Datastore = function (opts) {
  var self = this;
  self.client = redis.createClient(opts.port, opts.host);${inConstructor}
  return self;
};
datastore.Datastore.prototype.get = thenify(function (key, cb) {
  var self = this;
  self.client.get(key, cb);
});
${methods}module.exports = datastore;`;
const STORE_GET = 'Store.prototype.get = function (k, cb) { this.db.get(k, cb); };';
const MODEL_SET = `Model.prototype.set = function (k, v, cb) {
  var self = this;
  self.db.incr('n', function (err) {
    if (err) return cb(err);
    self.db.set(k, v, cb);
  });
};`;
const SUGGESTED_FIELD_LISTENER = `
  this.db.on('error', (err) => {
    console.error('Redis error', err);
  });`;
const missingFieldListener = (output: string) => ({
  messageId: 'missingErrorListener' as const,
  line: 3,
  suggestions: [{ messageId: 'addErrorListener' as const, output }],
});

// A generic-pool 2 pool of node_redis 3 clients, as production code of that era builds it.
const POOL = `const redis = require('redis');
const { Pool } = require('generic-pool');
const pool = new Pool({
  name: 'redis',
  create(callback) {
    const client = redis.createClient({ connect_timeout: 5000 });
    client.on('error', () => {});
    callback(null, client);
  },
  destroy(client) { client.quit(); },
  max: 10,
});`;

// A loan whose SCAN reply callback runs `body`.
const scanWith = (body: string) => `${POOL}
function keys(pattern, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.scan('0', 'MATCH', pattern, (e, reply) => {
${body}
    });
  });
}`;

// One loan over two commands: GET's reply callback releases on its error branch and sends SET, whose callback runs `body`.
const copyWith = (body: string) => `${POOL}
function copy(from, to, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.get(from, (e, value) => {
      if (e) {
        pool.release(conn);
        return done(e);
      }
      conn.set(to, value, (e2) => {
${body}
      });
    });
  });
}`;

const CLIENT = `const redis = require('redis');
const client = redis.createClient(6379, 'redis.internal', { connect_timeout: 5000 });
client.on('error', (err) => console.error(err));`;

// ---------------------------------------------------------------------------------------------
// no-unreleased-connection
// ---------------------------------------------------------------------------------------------
const unreleasedValid: ValidTestCase<Options>[] = [
  // A callback loan released in the command's callback; the error branch got no client.
  legacy({
    code: `${POOL}
function get(key, done) {
  pool.acquire((err, client) => {
    if (err) return done(err);
    client.get(key, (e, value) => {
      pool.release(client);
      done(e, value);
    });
  });
}`,
  }),
  // Released on every path of the callback itself; `if (err) { … }` with a block, `function`.
  legacy({
    code: `${POOL}
function info(done) {
  pool.acquire(function (err, client) {
    if (err) {
      return done(err);
    }
    const address = client.address;
    pool.release(client);
    done(null, address);
  });
}`,
  }),
  // destroy() ends a loan too.
  legacy({
    code: `${POOL}
function drop(done) {
  pool.acquire((err, client) => {
    if (err) return done(err);
    pool.destroy(client);
    done();
  });
}`,
  }),
  // Hard negative: node_redis 3 clients made inside a generic-pool create() are the pool's.
  legacy({ code: `${POOL}\nmodule.exports = pool;` }),
  // generic-pool 3 over node_redis 3 clients: create() returns them.
  legacy({
    code: `const redis = require('redis');
const { createPool } = require('generic-pool');
const pool = createPool({ create: async () => redis.createClient(), destroy: async (c) => c.quit() }, { max: 4 });
module.exports = pool;`,
    settings: { redis: { versions: { redis: 3 } } },
  }),
  // A per-call client closed with quit(cb) or end(flush) on every path.
  legacy({
    code: `const redis = require('redis');
function once(key, done) {
  const client = redis.createClient(process.env.REDIS_URL);
  client.on('error', done);
  client.get(key, (err, value) => {
    client.quit();
    done(err, value);
  });
}`,
  }),
  legacy({
    code: `const redis = require('redis');
function ping() {
  const client = redis.createClient({ port: 6380 });
  client.on('error', () => {});
  client.end(true);
}`,
  }),
  // A callback duplicate closed in its command's callback.
  legacy({
    code: `${CLIENT}
function next(done) {
  client.duplicate((err, dup) => {
    if (err) return done(err);
    dup.on('error', () => {});
    dup.brpop('jobs', 5, (e, item) => {
      dup.quit();
      done(e, item);
    });
  });
}`,
  }),
  // A subscriber is kept open on purpose.
  legacy({
    code: `${CLIENT}
function listen(onMessage) {
  const subscriber = client.duplicate();
  subscriber.on('message', onMessage);
  subscriber.subscribe('events');
}`,
  }),
  // Module level: a long-lived client, never per call.
  legacy({ code: `${CLIENT}\nmodule.exports = client;` }),
  // SCAN's reply callback releases on every branch.
  legacy({ code: scanWith('      if (e) {\n        pool.release(conn);\n        return done(e);\n      }\n      pool.release(conn);\n      done(null, reply[1]);') }),
  // Released first thing in the reply callback, before its error branch.
  legacy({ code: scanWith('      pool.release(conn);\n      if (e) return done(e);\n      done(null, reply[1]);') }),
  // Released before the command: its callback no longer holds the loan, whatever it does.
  legacy({
    code: `${POOL}
function host(done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    pool.release(conn);
    conn.ping((e) => {
      if (e) return done(e);
      done(null, conn.address);
    });
  });
}`,
  }),
  // Two commands deep: each reply callback gives it back on every path.
  legacy({ code: copyWith('        pool.release(conn);\n        done(e2);') }),
  // The reply callback releases through a helper of the loan's callback, on every path.
  legacy({
    code: `${POOL}
function copy(from, to, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    function finish(e) {
      pool.release(conn);
      done(e);
    }
    conn.get(from, (e, value) => {
      if (e) return finish(e);
      conn.set(to, value, finish);
    });
  });
}`,
  }),
  // A listener on the loan is no reply callback: registering it hands the release over, as before.
  legacy({
    code: `${POOL}
function watch(done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.once('end', () => {
      if (conn.closing) pool.destroy(conn);
    });
    done(null, conn.address);
  });
}`,
  }),
  // A SCAN loop through a named helper that releases where it stops.
  legacy({
    code: `${POOL}
function keys(pattern, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    const found = [];
    function next(cursor) {
      conn.scan(cursor, 'MATCH', pattern, (e, reply) => {
        if (e) {
          pool.release(conn);
          return done(e);
        }
        found.push(...reply[1]);
        if (reply[0] === '0') {
          pool.release(conn);
          return done(null, found);
        }
        next(reply[0]);
      });
    }
    next('0');
  });
}`,
  }),
  // Not a pool of the catalog: a callback `acquire` on an unrecognised object is no loan.
  legacy({
    code: `const locks = require('./locks');
function run(done) {
  locks.acquire((err, lock) => {
    if (err) return done(err);
    done();
  });
}`,
  }),
];

const unreleasedInvalid: InvalidTestCase<MessageIds, Options>[] = [
  // The SCAN-era fault: an early return inside the loan's callback skips pool.release().
  legacy({
    code: `${POOL}
function keys(prefix, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    if (!prefix) return done(new Error('prefix required'));
    pool.release(conn);
    done();
  });
}`,
    errors: [{ messageId: 'notReleasedOnReturn', line: 14, data: { what: 'generic-pool loan', line: 16, advice: LOAN_ADVICE } }],
  }),
  // The SCAN callback's error branch returns without pool.release(conn): the reply callback is
  // the loan's path, not a hand-over.
  legacy({
    code: scanWith('      if (e) return done(e);\n      pool.release(conn);\n      done(null, reply[1]);'),
    errors: [{ messageId: 'notReleasedOnReturn', line: 14, data: { what: 'generic-pool loan', line: 17, advice: LOAN_ADVICE }, suggestions: [] }],
  }),
  // Two commands deep: the second reply callback's error branch leaks.
  legacy({
    code: copyWith('        if (e2) return done(e2);\n        pool.release(conn);\n        done();'),
    errors: [{ messageId: 'notReleasedOnReturn', line: 14, data: { what: 'generic-pool loan', line: 22, advice: LOAN_ADVICE } }],
  }),
  // generic-pool 3 loan of a node_redis 3 client, released in a reply callback.
  legacy({
    code: `const redis = require('redis');
const { createPool } = require('generic-pool');
const pool = createPool({ create: async () => redis.createClient(), destroy: async (c) => c.quit() }, { max: 4, acquireTimeoutMillis: 3000 });
async function keys(pattern, done) {
  const conn = await pool.acquire();
  conn.scan('0', 'MATCH', pattern, (e, reply) => {
    if (e) return done(e);
    pool.release(conn);
    done(null, reply[1]);
  });
}`,
    settings: { redis: { versions: { redis: '3.1.1', 'generic-pool': '3.9.0' } } },
    errors: [{ messageId: 'notReleasedOnReturn', line: 5, data: { what: 'generic-pool loan', line: 7, advice: 'release it in a finally block or use pool.use()' }, suggestions: [] }],
  }),
  // A per-call client closed in its reply callback, except on the error branch.
  legacy({
    code: `const redis = require('redis');
function lookup(key, done) {
  const client = redis.createClient(6379, 'cache.internal');
  client.on('error', done);
  client.get(key, (err, value) => {
    if (err) return done(err);
    client.quit();
    done(null, value);
  });
}`,
    errors: [{ messageId: 'notReleasedOnReturn', line: 3, data: { what: 'node_redis client', line: 6, advice: CONNECTION_ADVICE }, suggestions: [] }],
  }),
  // The same helper, skipped on one branch.
  legacy({
    code: `${POOL}
function copy(from, to, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    const finish = (e) => {
      pool.release(conn);
      done(e);
    };
    conn.get(from, (e, value) => {
      if (e) return done(e);
      conn.set(to, value, finish);
    });
  });
}`,
    errors: [{ messageId: 'notReleasedOnReturn', line: 14, data: { what: 'generic-pool loan', line: 21, advice: LOAN_ADVICE } }],
  }),
  // A reply callback that uses the loan and never gives it back.
  legacy({
    code: `${POOL}
function touch(key, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.get(key, (e, value) => {
      conn.set(key + ':seen', '1');
      done(e, value);
    });
  });
}`,
    errors: [{ messageId: 'neverReleased', line: 14, data: { what: 'generic-pool loan', advice: LOAN_ADVICE } }],
  }),
  // Borrowed for a command and never given back.
  legacy({
    code: `${POOL}
function get(key, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.get(key, done);
  });
}`,
    errors: [{ messageId: 'neverReleased', line: 14, data: { what: 'generic-pool loan', advice: LOAN_ADVICE } }],
  }),
  // node_redis 2 reads the same way.
  legacy(
    {
      code: `${POOL}
function get(key, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.get(key, done);
  });
}`,
      errors: [{ messageId: 'neverReleased', line: 14 }],
    },
    V2,
  ),
  // createClient() per call with callbacks, never closed.
  legacy({
    code: `const redis = require('redis');
function lookup(key, done) {
  const client = redis.createClient(6379, 'cache.internal');
  client.on('error', done);
  client.get(key, done);
}`,
    errors: [
      {
        messageId: 'neverReleased',
        line: 3,
        data: { what: 'node_redis client', advice: CONNECTION_ADVICE },
        // quit(cb) is the release node_redis 3 prefers; it returns no promise, so none is awaited.
        suggestions: [
          {
            messageId: 'wrapInTryFinally',
            data: { verb: 'Close', name: 'client' },
            output: `const redis = require('redis');
function lookup(key, done) {
  const client = redis.createClient(6379, 'cache.internal');
  client.on('error', done);
  try {
    client.get(key, done);
  } finally {
    client.quit();
  }
}`,
          },
        ],
      },
    ],
  }),
];

untypedTester().run('no-unreleased-connection: node_redis 2, 3 and generic-pool 2', noUnreleasedConnection, {
  valid: unreleasedValid,
  invalid: unreleasedInvalid,
});

// ioredis commands take a reply callback too (and ship types): a generic-pool 3 loan of ioredis
// clients continues in it the same way, typed and untyped.
const IOREDIS_POOL = `import Redis from 'ioredis';
import { createPool } from 'generic-pool';
const pool = createPool({ create: async () => new Redis().on('error', () => {}), destroy: async (c: Redis) => { await c.quit(); } }, { max: 4, acquireTimeoutMillis: 3000 });`;
const ioredisScan = (body: string) => `${IOREDIS_POOL}
export async function keys(pattern: string, done: (err: Error | null, keys?: string[]) => void) {
  const conn = await pool.acquire();
  conn.scan('0', 'MATCH', pattern, (e, reply) => {
${body}
  });
}`;
const ioredisValid = [ioredisScan("    void pool.release(conn);\n    if (e) return done(e);\n    done(null, reply?.[1]);")];
const ioredisInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    code: ioredisScan("    if (e) return done(e);\n    void pool.release(conn);\n    done(null, reply?.[1]);"),
    errors: [{ messageId: 'notReleasedOnReturn', line: 5, data: { what: 'generic-pool loan', line: 7, advice: 'release it in a finally block or use pool.use()' }, suggestions: [] }],
  },
];
untypedTester().run('no-unreleased-connection: reply callbacks on ioredis loans', noUnreleasedConnection, {
  valid: ioredisValid,
  invalid: ioredisInvalid,
});
typedTester().run('no-unreleased-connection: reply callbacks on ioredis loans (typed)', noUnreleasedConnection, {
  valid: ioredisValid.map((code) => ({ code, filename: typedFile })),
  invalid: ioredisInvalid.map((test) => ({ ...test, filename: typedFile })),
});

// ---------------------------------------------------------------------------------------------
// no-blocking-on-shared-client
// ---------------------------------------------------------------------------------------------
untypedTester().run('no-blocking-on-shared-client: node_redis 2, 3 and generic-pool 2', noBlockingOnSharedClient, {
  valid: [
    // A dedicated duplicate for the blocking read.
    legacy({
      code: `${CLIENT}
const blocking = client.duplicate();
blocking.on('error', () => {});
function next(done) { blocking.blpop('jobs', 5, done); }
function read(done) { client.get('x', done); }`,
    }),
    // A pool used only for blocking hand-offs lends each waiter its own connection.
    legacy({
      code: `${POOL}
function next(done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.blpop('jobs', 5, (e, item) => { pool.release(conn); done(e, item); });
  });
}`,
    }),
    // bless-free: a lower-case command that is not blocking.
    legacy({ code: `${CLIENT}\nfunction a(done) { client.lpop('jobs', done); client.get('x', done); }` }),
    // send_command and argument arrays of commands that do not block.
    legacy({ code: `${CLIENT}\nfunction a(done) { client.send_command('lpop', ['jobs'], done); client.get(['x'], done); }` }),
    legacy({ code: `${CLIENT}\nfunction a(done) { client.sendCommand('ping', done); client.mget('a', ['b', 'c'], done); }` }),
  ],
  invalid: [
    legacy({
      code: `${CLIENT}
function next(done) { client.blpop('jobs', 0, done); }
function read(done) { client.get('x', done); }`,
      errors: [{ messageId: 'blockingOnSharedClient', line: 4 }],
    }),
    // Upper case spelling, node_redis 2.
    legacy(
      {
        code: `${CLIENT}
function next(done) { client.BRPOPLPUSH('jobs', 'busy', 0, done); }
function read(done) { client.get('x', done); }`,
        errors: [{ messageId: 'blockingOnSharedClient', line: 4 }],
      },
      V2,
    ),
    // The same read through send_command and through argument arrays (node_redis 3 and 2).
    ...[
      `client.send_command('blpop', ['jobs', 0], done)`,
      `client.sendCommand('BRPOP', ['jobs', 0], done)`,
      `client.blpop(['jobs', 0], done)`,
      `client.blpop('jobs', [0], done)`,
      `client.BLPOP(['jobs', 0], (err, item) => done(err, item))`,
    ].flatMap((read) =>
      [V3, V2].map((settings) =>
        legacy(
          {
            code: `${CLIENT}\nfunction next(done) { ${read}; }\nfunction read(done) { client.get('x', done); }`,
            errors: [{ messageId: 'blockingOnSharedClient' as const, line: 4 }],
          },
          settings,
        ),
      ),
    ),
    // BLPOP 0 on clients checked out of a shared generic-pool 2 pool: the pool locks up.
    legacy({
      code: `${POOL}
function next(done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.blpop('jobs', 0, (e, item) => { pool.release(conn); done(e, item); });
  });
}
function read(key, done) {
  pool.acquire((err, conn) => {
    if (err) return done(err);
    conn.get(key, (e, v) => { pool.release(conn); done(e, v); });
  });
}`,
      errors: [{ messageId: 'blockingOnSharedPool', line: 16 }],
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// require-timeout
// ---------------------------------------------------------------------------------------------
// The generic-pool 2 acquire that nothing can bound: no suggestion, there is no option to write.
const unboundable = (capacity: string, line: number) => ({
  messageId: 'acquireUnboundable' as const,
  line,
  data: { library: 'generic-pool', major: 2, capacity, upgrade: 'generic-pool 3 and set acquireTimeoutMillis' },
  suggestions: [],
});

untypedTester().run('require-timeout: node_redis 2 and 3, generic-pool 2', requireTimeout, {
  valid: [
    // generic-pool 2 over resources that are not Redis clients: not this plugin's business.
    legacy({ code: `const { Pool } = require('generic-pool');\nconst mysql = require('mysql');\nconst pool = new Pool({ create(cb) { cb(null, mysql.createConnection({})); }, destroy(c) { c.end(); }, max: 5 });` }),
    // The same pool shape on generic-pool 3 is judged by acquireTimeoutMillis, not by this.
    legacy({
      code: `const redis = require('redis');
const { createPool } = require('generic-pool');
const pool = createPool({ create: async () => redis.createClient(), destroy: async (c) => c.quit() }, { max: 4, acquireTimeoutMillis: 3000 });`,
      settings: { redis: { versions: { redis: '3.1.1', 'generic-pool': '3.9.0' } } },
    }),
    // A bounded blocking read; connect_timeout is bounded by default (one hour).
    legacy({ code: `${CLIENT}\nfunction next(done) { client.blpop('jobs', 5, done); }` }),
    legacy({ code: `const redis = require('redis');\nconst client = redis.createClient();\nclient.on('error', () => {});\nmodule.exports = client;` }),
    // Bounded reads through send_command and argument arrays.
    legacy({ code: `${CLIENT}\nfunction next(done) { client.send_command('blpop', ['jobs', 5], done); client.blpop(['jobs', 5], done); client.brpop('jobs', [5], done); }` }),
  ],
  invalid: [
    legacy({
      code: `${CLIENT}\nfunction next(done) { client.blpop('jobs', 0, done); }`,
      errors: [{ messageId: 'infiniteBlocking', line: 4 }],
    }),
    // generic-pool 2 of node_redis clients: `new Pool({...})`, with the pool's max in the message.
    legacy({ code: POOL, errors: [unboundable('all 10 clients are', 3)] }),
    // `Pool({...})` without new, its default max of 1; node_redis 2 the same.
    legacy(
      {
        code: `const redis = require('redis');\nconst Pool = require('generic-pool').Pool;\nconst pool = Pool({ create: (cb) => cb(null, redis.createClient()), destroy: (c) => c.quit() });\nmodule.exports = pool;`,
        errors: [unboundable("its one client (generic-pool's default max) is", 3)],
      },
      V2,
    ),
    // `0` waits forever in every calling form node_redis 2 and 3 take.
    ...[`client.send_command('blpop', ['jobs', 0], done)`, `client.blpop(['jobs', 0], done)`, `client.brpop('jobs', [0], done)`, `client.sendCommand('brpoplpush', ['a', 'b', 0])`].flatMap(
      (read) =>
        [V3, V2].map((settings) =>
          legacy({ code: `${CLIENT}\nfunction next(done) { ${read}; }`, errors: [{ messageId: 'infiniteBlocking' as const, line: 4 }] }, settings),
        ),
    ),
  ],
});

// ---------------------------------------------------------------------------------------------
// require-error-listener
// ---------------------------------------------------------------------------------------------
untypedTester().run('require-error-listener: node_redis 2 and 3', requireErrorListener, {
  valid: [
    legacy({ code: `${CLIENT}\nmodule.exports = client;` }),
    // A generic-pool 2 create that listens before it hands the client over.
    legacy({ code: `${POOL}\nmodule.exports = pool;` }),
    // Handed to a callback that is not the pool's: someone else's business.
    legacy({
      code: `const redis = require('redis');
function connect(done) {
  const client = redis.createClient();
  done(null, client);
}
module.exports = connect;`,
    }),
    // retry_strategy holds socket errors back, but its giving up is still emitted: a listener is still needed, and here it is.
    legacy({
      code: `const redis = require('redis');
const client = redis.createClient({ retry_strategy: () => 1000 });
client.on('error', () => {});
module.exports = client;`,
    }),
    // A constructor function whose prototype method listens on the field.
    legacy({ code: STORE(`Store.prototype.start = function () {\n  this.db.on('error', function (err) { console.error(err); });\n};\n${STORE_GET}`) }),
    // Listened on through \`var self = this\` in a prototype method's callback.
    legacy({ code: MODEL(`Model.prototype.start = function (done) {\n  var self = this;\n  setImmediate(function () {\n    self.db.on('error', done);\n  });\n};`) }),
    // \`this\` leaves the constructor (an alias, a registry): who listens can't be seen.
    legacy({ code: STORE('', `\n  var self = this;\n  setup(self);`) }),
    // A constructor on a namespace object, listened on through \`self\` in it or in a wrapped prototype method.
    legacy({ code: DATASTORE(`\n  self.client.on('error', function (err) { console.error(err); });`) }),
    legacy({ code: DATASTORE('', `datastore.Datastore.prototype.start = thenify(function (cb) {\n  var self = this;\n  self.client.on('error', cb);\n});\n`) }),
    legacy({ code: DATASTORE(`\n  register(self);`) }),
  ],
  invalid: [
    // A client in a constructor function's field that neither it nor a prototype method listens on.
    legacy({ code: STORE(STORE_GET), errors: [missingFieldListener(STORE(STORE_GET, SUGGESTED_FIELD_LISTENER))] }),
    // \`module.exports = function\` with \`var self = this\` in its methods, read only as \`self.db\`.
    legacy({ code: MODEL(MODEL_SET), errors: [missingFieldListener(MODEL(MODEL_SET, SUGGESTED_FIELD_LISTENER))] }),
    // The field set through \`self\` in a constructor on a namespace object (\`return self\` hands back the instance itself).
    legacy({
      code: DATASTORE(''),
      errors: [
        {
          messageId: 'missingErrorListener',
          line: 6,
          suggestions: [{ messageId: 'addErrorListener', output: DATASTORE(`\n  self.client.on('error', (err) => {\n    console.error('Redis error', err);\n  });`) }],
        },
      ],
    }),
    // generic-pool 2 never listens on its resources: the client create() hands it crashes the process on its first error.
    legacy({
      code: `const redis = require('redis');
const { Pool } = require('generic-pool');
const pool = new Pool({
  create(callback) {
    const client = redis.createClient({ connect_timeout: 5000 });
    callback(null, client);
  },
  destroy(client) { client.quit(); },
  max: 10,
});
module.exports = pool;`,
      errors: [
        {
          messageId: 'missingErrorListener',
          line: 5,
          suggestions: [
            {
              messageId: 'addErrorListener',
              output: `const redis = require('redis');
const { Pool } = require('generic-pool');
const pool = new Pool({
  create(callback) {
    const client = redis.createClient({ connect_timeout: 5000 });
    client.on('error', (err) => {
      console.error('Redis error', err);
    });
    callback(null, client);
  },
  destroy(client) { client.quit(); },
  max: 10,
});
module.exports = pool;`,
            },
          ],
        },
      ],
    }),
    // Straight into the callback, `Pool(...)` without new, node_redis 2.
    legacy(
      {
        code: `const redis = require('redis');\nconst Pool = require('generic-pool').Pool;\nmodule.exports = Pool({ create: (cb) => cb(null, redis.createClient()), destroy: (c) => c.quit() });`,
        errors: [
          {
            messageId: 'missingErrorListener',
            line: 3,
            suggestions: [
              {
                messageId: 'addErrorListener',
                output: `const redis = require('redis');\nconst Pool = require('generic-pool').Pool;\nmodule.exports = Pool({ create: (cb) => cb(null, redis.createClient().on('error', (err) => console.error('Redis error', err))), destroy: (c) => c.quit() });`,
              },
            ],
          },
        ],
      },
      V2,
    ),
    legacy({
      code: `const redis = require('redis');\nconst client = redis.createClient(6379, 'localhost');\nclient.get('x', () => {});`,
      errors: [
        {
          messageId: 'missingErrorListener',
          data: {
            library: 'node_redis',
            kind: 'client',
            consequence:
              'the first socket error (a Redis restart, a failover, a network blip) is thrown as an unhandled event and crashes the process.',
          },
          suggestions: [
            {
              messageId: 'addErrorListener',
              output: `const redis = require('redis');\nconst client = redis.createClient(6379, 'localhost');\nclient.on('error', (err) => {\n  console.error('Redis error', err);\n});\nclient.get('x', () => {});`,
            },
          ],
        },
      ],
    }),
  ],
});

// ---------------------------------------------------------------------------------------------
// no-oversized-pool
// ---------------------------------------------------------------------------------------------
untypedTester().run('no-oversized-pool: generic-pool 2', noOversizedPool, {
  valid: [legacy({ code: POOL })],
  invalid: [
    legacy({
      code: POOL.replace('max: 10', 'max: 60'),
      errors: [{ messageId: 'maxAboveCap', line: 11 }],
    }),
    // generic-pool 2 defaults max to 1 as 3 does (lib/generic-pool.js: isNaN(max) ? 1), and lends
    // each client to one caller at a time.
    legacy({
      code: POOL.replace('  max: 10,\n', ''),
      errors: [{ messageId: 'implicitMaxOfOne', line: 3, data: { pool: 'generic-pool pool', option: 'max' } }],
    }),
  ],
});
