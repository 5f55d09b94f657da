/**
 * The module view on its own: specifier resolution (relative, index, `.js` → `.ts`, tsconfig
 * `paths`), export facts (named, default, re-exports, CommonJS), laziness (modules that can't
 * export a Redis value are never parsed), the cache checked against file versions, and the LRU
 * bound.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModuleView, moduleSettingsOf } from '../../src/analysis/modules';
import type { Origin } from '../../src/analysis/origin';
import { serviceDir } from './modules-harness';

const lib = path.join(serviceDir, 'src', 'lib');
const handler = path.join(serviceDir, 'src', 'handlers', 'handler.ts');

/** A short description of an export fact, for assertions. */
function describeFact(origin: Origin | undefined): string {
  if (!origin) return 'unknown';
  switch (origin.type) {
    case 'value':
      return `${origin.value.library.id} ${origin.value.kind}${origin.value.typedResource ? ` of ${origin.value.typedResource}` : ''}`;
    case 'function': {
      const returns = origin.summary.returns;
      if (!returns) return 'function returning unknown';
      const options = returns.type === 'fresh' && returns.optionsParam !== undefined ? ` (options: param ${returns.optionsParam})` : '';
      return `function returning ${returns.type} ${returns.library.id} ${returns.kind}${options}`;
    }
    case 'promise':
      return `promise of ${describeFact(origin.of)}`;
    case 'project-module':
      return `module ${path.basename(origin.file)}`;
    default:
      return origin.type;
  }
}

describe('module view: resolution', () => {
  const view = new ModuleView();
  it('resolves relative specifiers, index files, `.js` written for `.ts`, and tsconfig paths', () => {
    expect(view.resolveSpecifier(handler, '../lib/redis')).toBe(path.join(lib, 'redis.ts'));
    expect(view.resolveSpecifier(handler, '../lib/redis.js')).toBe(path.join(lib, 'redis.ts'));
    expect(view.resolveSpecifier(handler, '../lib')).toBe(path.join(lib, 'index.ts'));
    expect(view.resolveSpecifier(handler, '../lib/legacy')).toBe(path.join(lib, 'legacy.js'));
    expect(view.resolveSpecifier(handler, '@lib/pool')).toBe(path.join(lib, 'pool.ts'));
    expect(view.resolveSpecifier(handler, '../lib/missing')).toBeUndefined();
    // Packages are not project modules.
    expect(view.resolveSpecifier(handler, 'ioredis')).toBeUndefined();
    expect(view.resolveSpecifier(handler, 'lodash')).toBeUndefined();
  });

  it('knows which texts can reach a project module', () => {
    const settings = moduleSettingsOf({});
    expect(view.mayReachModules(`import { a } from '../lib/redis';`, handler, settings)).toBe(true);
    expect(view.mayReachModules(`const a = require("../lib/legacy");`, handler, settings)).toBe(true);
    expect(view.mayReachModules(`import { a } from '@lib/redis';`, handler, settings)).toBe(true);
    // Through the index, which re-exports modules that import ioredis.
    expect(view.mayReachModules(`import a from '../lib';`, handler, settings)).toBe(true);
    // Project modules from which no catalog module is reached: nothing to follow.
    expect(view.mayReachModules(`import { formatKey } from '../lib/format';`, handler, settings)).toBe(false);
    expect(view.mayReachModules(`import { a } from './missing';`, handler, settings)).toBe(false);
    expect(view.mayReachModules(`import { a } from 'lodash';`, handler, settings)).toBe(false);
    const declared = moduleSettingsOf({ getters: [{ from: 'package', package: '@acme/redis', name: 'getRedis' }] });
    expect(view.mayReachModules(`import { getRedis } from '@acme/redis';`, handler, declared)).toBe(true);
  });
});

describe('module view: export facts', () => {
  const view = new ModuleView();
  const fact = (file: string, name: string) => describeFact(view.exportFact(path.join(lib, file), name));

  it('summarises getters, memoised getters, factories and registries', () => {
    expect(fact('redis.ts', 'getRedisConnection')).toBe('function returning shared ioredis client');
    expect(fact('redis.ts', 'getOrCreateRedis')).toBe('function returning shared ioredis client');
    expect(fact('redis.ts', 'getLazy')).toBe('function returning shared ioredis client');
    expect(fact('redis.ts', 'createRedisInstance')).toBe('function returning fresh ioredis client (options: param 0)');
    expect(fact('redis.ts', 'createWithDefaults')).toBe('function returning fresh ioredis client');
    expect(fact('redis.ts', 'createSubscriber')).toBe('function returning fresh ioredis client');
    expect(fact('redis.ts', 'clientFor')).toBe('function returning unknown');
    expect(fact('redis.ts', 'registeredClient')).toBe('function returning unknown');
    expect(fact('redis.ts', 'connection')).toBe('ioredis client');
  });

  it('summarises pools made by a local factory, with what they lend', () => {
    expect(fact('pool.ts', 'makePool')).toBe('function returning fresh generic-pool pool');
    expect(fact('pool.ts', 'pool')).toBe('generic-pool pool of redis');
    expect(fact('pool.ts', 'workerPool')).toBe('generic-pool pool of other');
  });

  it('follows re-exports, default exports and CommonJS', () => {
    expect(fact('index.ts', 'getRedisConnection')).toBe('function returning shared ioredis client');
    expect(fact('index.ts', 'sharedPool')).toBe('generic-pool pool of redis');
    expect(fact('index.ts', 'default')).toBe('function returning shared node-redis client');
    expect(fact('cache-factory.ts', 'default')).toBe('function returning fresh node-redis client');
    expect(fact('legacy.js', 'client')).toBe('ioredis client');
    expect(fact('legacy.js', 'getClient')).toBe('function returning shared ioredis client');
    expect(fact('legacy.js', 'createConnection')).toBe('function returning fresh ioredis client (options: param 0)');
    expect(fact('legacy.js', 'default')).toBe('module legacy.js');
    expect(fact('exports-style.js', 'connect')).toBe('function returning fresh ioredis client');
  });
});

describe('module view: cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'module-view-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses only modules that can export a Redis value', () => {
    const view = new ModuleView();
    fs.writeFileSync(path.join(dir, 'util.ts'), 'export function add(a: number, b: number) { return a + b; }\n');
    fs.writeFileSync(path.join(dir, 'redis.ts'), "import Redis from 'ioredis';\nexport const client = new Redis();\n");
    expect(describeFact(view.exportFact(path.join(dir, 'util.ts'), 'add'))).toBe('unknown');
    expect(view.parses).toBe(0);
    expect(describeFact(view.exportFact(path.join(dir, 'redis.ts'), 'client'))).toBe('ioredis client');
    expect(view.parses).toBe(1);
    // Asked again: from the cache.
    view.exportFact(path.join(dir, 'redis.ts'), 'client');
    expect(view.parses).toBe(1);
  });

  it('re-reads a module whose file changed', () => {
    const view = new ModuleView();
    const file = path.join(dir, 'changing.ts');
    fs.writeFileSync(file, "import Redis from 'ioredis';\nexport const client = new Redis();\n");
    expect(describeFact(view.exportFact(file, 'client'))).toBe('ioredis client');
    // A different size is a different version, whatever the clock's resolution.
    fs.writeFileSync(file, "import Redis from 'ioredis';\nexport const client = new Redis();\nexport function make() { return new Redis(); }\n");
    expect(describeFact(view.exportFact(file, 'make'))).toBe('function returning fresh ioredis client');
    expect(view.parses).toBe(2);
  });

  it('keeps at most its bound of modules', () => {
    const view = new ModuleView();
    for (let index = 0; index < 300; index++) {
      const file = path.join(dir, `m${index}.ts`);
      fs.writeFileSync(file, "import Redis from 'ioredis';\nexport const client = new Redis();\n");
      view.exportFact(file, 'client');
    }
    expect(view.parses).toBe(300);
    expect(view.size).toBe(256);
  });

  it('keeps at most 8 MB of module text, however few the modules', () => {
    const view = new ModuleView();
    // 2.5 MB each (a long comment): three fit in 8 MB, a fourth pushes the oldest out.
    const padding = `// ${'x'.repeat(99)}\n`.repeat(25_000);
    const files = [0, 1, 2, 3, 4].map((index) => {
      const file = path.join(dir, `big${index}.ts`);
      fs.writeFileSync(file, `${padding}import Redis from 'ioredis';\nexport const client = new Redis();\n`);
      expect(describeFact(view.exportFact(file, 'client'))).toBe('ioredis client');
      return file;
    });
    expect(view.size).toBe(3);
    // The newest are still cached; the first was dropped and is parsed again.
    view.exportFact(files[4]!, 'client');
    expect(view.parses).toBe(5);
    view.exportFact(files[0]!, 'client');
    expect(view.parses).toBe(6);
  });
});
