/**
 * The `add-timeouts` codemod against its fixture pairs in __testfixtures__/add-timeouts: expected
 * output and reports, idempotence, a re-lint of every output with `redis/require-timeout`, tsc over
 * the TypeScript outputs, and the examples in docs/codemods/add-timeouts.md. Then its flags,
 * through `redis-lint codemod`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import addTimeouts from '../../codemods/add-timeouts';
import { run } from '../../src/cli/codemod-command';
import { fixtureSuite, runCodemod } from './harness';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

async function codemod(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await run(args, { stdout, stderr, cwd, interactive: false });
  return { code, stdout: out, stderr: err };
}

const SOURCE = `import { createPool } from 'generic-pool';
import Redis from 'ioredis';

export const redis = new Redis();
export const pool = createPool({ create: async () => new Redis(), destroy: async (client: Redis) => void (await client.quit()) }, { max: 4 });
`;

describe('add-timeouts', () => {
  fixtureSuite('add-timeouts', addTimeouts, 'require-timeout');

  it("counts a wait of 0 as long as ioredis's blockingTimeout, which ends it", () => {
    const file = path.join(__dirname, 'example.ts');
    const source = `import Redis from 'ioredis';\n\nexport const queue = new Redis({ blockingTimeout: 30000 });\n\nexport const next = () => queue.blpop('jobs', 0);\n`;
    const run = runCodemod(addTimeouts, file, source);
    // The line would pass the file's 80 columns: the object is written one option a line.
    expect(run.output).toBe(source.replace('{ blockingTimeout: 30000 }', '{\n  blockingTimeout: 30000,\n  commandTimeout: 31000\n}'));
    expect(run.reports).toEqual(['R 3:22 added commandTimeout: 31000 (longer than the 30 s BLPOP at line 5)']);
  });

  describe('flags', () => {
    it('--command-timeout and --acquire-timeout set the values written', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'add-timeouts-'));
      temporary.push(dir);
      fs.writeFileSync(path.join(dir, 'redis.ts'), SOURCE);
      const result = await codemod(['add-timeouts', '.', '--command-timeout', '7000', '--acquire-timeout=9000'], dir);
      expect(result.code).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'redis.ts'), 'utf8')).toBe(`import { createPool } from 'generic-pool';
import Redis from 'ioredis';

export const redis = new Redis({ commandTimeout: 7000 });
export const pool = createPool({ create: async () => new Redis({ commandTimeout: 7000 }), destroy: async (client: Redis) => void (await client.quit()) }, { max: 4, acquireTimeoutMillis: 9000 });
`);
      expect(result.stdout).toBe('add-timeouts: 1 file changed, 3 sites rewritten, 0 sites skipped (1 file scanned)\n');
    });

    it('--node-redis-major says which defaults apply', () => {
      const source = `import { createClient } from 'redis';\n\nexport const client = createClient();\n`;
      const file = path.join(__dirname, 'example.ts');
      expect(runCodemod(addTimeouts, file, source, { nodeRedisMajor: 6 }).changed).toBe(false);
      expect(runCodemod(addTimeouts, file, source, { nodeRedisMajor: 5 }).output).toBe(
        `import { createClient } from 'redis';\n\nexport const client = createClient({ commandOptions: { timeout: 5000 } });\n`,
      );
    });

    it('refuses a timeout that is not a whole number of milliseconds above 0', () => {
      const file = path.join(__dirname, 'example.ts');
      for (const bad of [0, -5, 2.5, 'soon']) {
        expect(() => runCodemod(addTimeouts, file, SOURCE, { commandTimeout: bad })).toThrow(/--command-timeout needs a whole number of milliseconds above 0/);
      }
    });
  });
});
