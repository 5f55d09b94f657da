/**
 * require-error-listener across functions and modules: a project function that makes a new
 * node-redis client on every call and neither listens on it nor passes it on leaves the listener
 * to its caller, so the call is checked as the client's creation. Factories reached through
 * object literals (a namespace object, a default-exported object) count the same.
 */
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';
import rule, { type MessageIds, type Options } from '../../rules/require-error-listener';
import { handlerJs, handlerTs, modulesOff, untypedServiceTester } from '../analysis/modules-harness';

vi.setConfig({ testTimeout: 60_000 });

type Invalid = InvalidTestCase<MessageIds, Options>;
type Valid = ValidTestCase<Options>;

/** A class that keeps on `this.publisher` what `factoryCall` gives, with `extra` after it in its constructor. */
function publisherClass(factoryCall: string, extra = ''): string {
  return `const { PubSub } = require('../lib/pubsub');
class Publisher {
  constructor(config) {
    this.publisher = ${factoryCall};${extra}
  }
  publish(channel, message) {
    return this.publisher.publish(channel, message);
  }
}
module.exports = { Publisher };`;
}

const PUBLISHER = publisherClass('PubSub.createPublisher(config)');

const valid: Valid[] = [
  // The factory listens on what it makes.
  { filename: handlerJs, code: publisherClass('PubSub.createSubscriber(config)') },
  {
    filename: handlerTs,
    code: `import helper from '../lib/redis-helper';
export async function ping(url: string) {
  const client = helper.makeListened(url);
  await client.connect();
  await client.ping();
  await client.quit();
}`,
  },
  // The caller listens.
  { filename: handlerJs, code: publisherClass('PubSub.createPublisher(config)', "\n    this.publisher.on('error', (err) => console.error(err));") },
  // Handed on: whoever gets it listens, or is checked where it is.
  {
    filename: handlerTs,
    code: `import helper from '../lib/redis-helper';
export function forTenant(url: string) {
  return helper.makeClient(url);
}`,
  },
  // A local factory that listens, or passes the client to a function that may.
  {
    filename: handlerTs,
    code: `import { createClient } from 'redis';
function make(url: string) {
  const client = createClient({ url });
  client.on('error', (err) => console.error(err));
  return client;
}
function register(client: { on(event: string, listener: () => void): unknown }) { client.on('error', () => {}); }
function makeRegistered(url: string) {
  const client = createClient({ url });
  register(client);
  return client;
}
export async function run(url: string) {
  const a = make(url);
  const b = makeRegistered(url);
  await Promise.all([a.connect(), b.connect()]);
}`,
  },
  // With the module view off, what the factory does is not known.
  { filename: handlerJs, code: PUBLISHER, settings: modulesOff },
];

/** The code with an 'error' listener on `target` added after line `after` (1-based), indented like it. */
function withListener(code: string, after: number, target: string): string {
  const lines = code.split('\n');
  const indent = /^\s*/.exec(lines[after - 1]!)![0];
  const listener = [`${target}.on('error', (err) => {`, "  console.error('Redis error', err);", '});'].map((line) => indent + line);
  lines.splice(after, 0, ...listener);
  return lines.join('\n');
}

/** One missingErrorListener at `line`, whose suggestion adds the listener on `target` there. */
function missing(code: string, line: number, target: string): Invalid['errors'][number] {
  return { messageId: 'missingErrorListener', line, suggestions: [{ messageId: 'addErrorListener', output: withListener(code, line, target) }] };
}

const RAW = `const { PubSub } = require('../lib/pubsub');
async function ping(url) {
  const client = PubSub.createRaw(url);
  await client.connect();
  await client.ping();
  await client.quit();
}
module.exports = { ping };`;

const HELPER = `import helper from '../lib/redis-helper';
export async function ping(url: string) {
  const client = helper.makeClient(url);
  await client.connect();
  await client.ping();
  await client.quit();
}`;

const NESTED = `import { factories } from '../lib/redis-helper';
export async function ping(url: string) {
  const client = factories.redis.makeClient(url);
  await client.connect();
  await client.ping();
  await client.quit();
}`;

const LOCAL = `import { createClient } from 'redis';
function make(url: string) {
  return createClient({ url });
}
const factory = { make, other: (url: string) => createClient({ url }) };
export class Store {
  a; b; c;
  constructor(url: string) {
    this.a = make(url);
    this.b = factory.make(url);
    this.c = factory.other(url);
  }
}`;

const invalid: Invalid[] = [
  // parse-server's LiveQuery shape: a client from a namespace object kept on the instance.
  { filename: handlerJs, code: PUBLISHER, errors: [missing(PUBLISHER, 4, 'this.publisher')] },
  // A function assigned to the namespace object after it is made.
  { filename: handlerJs, code: RAW, errors: [missing(RAW, 3, 'client')] },
  // A default-exported object literal's function.
  { filename: handlerTs, code: HELPER, errors: [missing(HELPER, 3, 'client')] },
  // An object literal inside an exported one.
  { filename: handlerTs, code: NESTED, errors: [missing(NESTED, 3, 'client')] },
  // In one file: a local factory, and factories on an object literal.
  { filename: handlerTs, code: LOCAL, errors: [missing(LOCAL, 9, 'this.a'), missing(LOCAL, 10, 'this.b'), missing(LOCAL, 11, 'this.c')] },
];

untypedServiceTester().run('require-error-listener (modules)', rule, { valid, invalid });
