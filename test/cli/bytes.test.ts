/**
 * Bytes are sacred: `redis-lint codemod` reads and writes bytes. Outside the rewritten code every
 * byte stays (Latin-1 text, a UTF-8 BOM, CRLF and mixed line endings, tabs); `--dry` prints the
 * bytes that would be written; files it can't decode without loss, read-only files, files that
 * change on disk during the run and symlinks out of the given paths are left alone, with the
 * reason. In-process, through the command's `run`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/codemod-command';
import { UsageError, type CommandIO } from '../../src/cli/usage-error';
import { decodeBytes, encodeText, matchLineEndings, runFiles } from '../../src/transform/runner';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    // Read-only files and directories must not stop the clean-up.
    execFileSync('chmod', ['-R', 'u+w', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function project(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-lint-bytes-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Runs `redis-lint codemod …args` in-process; stdout is kept as bytes. */
async function codemod(args: string[], cwd: string): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  let err = '';
  stdout.on('data', (chunk: Buffer) => out.push(Buffer.from(chunk)));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const io: CommandIO = { stdout, stderr, cwd, interactive: false };
  let code: number;
  try {
    code = await run(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err += `redis-lint: ${error.message}\n`;
    code = 2;
  }
  return { code, stdout: Buffer.concat(out), stderr: err };
}

// An ioredis client without commandTimeout: add-timeouts inserts `, commandTimeout: 5000`.
const CLIENT_LINE = "\texport const redis = new Redis({ host: 'x' });";
const BOUNDED_LINE = "\texport const redis = new Redis({ host: 'x', commandTimeout: 5000 });";

function module(eol: string | string[]): string {
  const lines = [
    "import Redis from 'ioredis';",
    '// café été, naïve: a comment never rewritten',
    "const label = 'été';",
    CLIENT_LINE,
    "redis.on('error', () => {});",
    'export async function read() {',
    '\treturn redis.get(label);',
    '}',
  ];
  return lines.map((line, index) => `${line}${Array.isArray(eol) ? eol[index % eol.length] : eol}`).join('');
}

describe('codemods keep every byte outside the rewritten code', () => {
  it('a Latin-1 file with CRLF: é stays one 0xE9 byte, never U+FFFD; only the options change', async () => {
    const original = Buffer.from(module('\r\n'), 'latin1');
    expect(original.includes(0xe9)).toBe(true);
    const dir = project({ 'a.ts': original });
    const result = await codemod(['add-timeouts', 'a.ts'], dir);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.ts'))).toEqual(Buffer.from(module('\r\n').replace(CLIENT_LINE, BOUNDED_LINE), 'latin1'));
  });

  it('--dry on a Latin-1 file prints the bytes that would be written, and git apply makes exactly them', async () => {
    const original = Buffer.from(module('\n'), 'latin1');
    const dir = project({ 'a.ts': original });
    const result = await codemod(['add-timeouts', '--dry', 'a.ts'], dir);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.ts'))).toEqual(original);
    expect(result.stdout.includes(Buffer.from('\ufffd'))).toBe(false);
    expect(result.stdout.toString('latin1')).toContain(`-${CLIENT_LINE}\n+${BOUNDED_LINE}\n`);
    fs.writeFileSync(path.join(dir, 'change.patch'), result.stdout);
    execFileSync('git', ['apply', '--unsafe-paths', 'change.patch'], { cwd: dir });
    expect(fs.readFileSync(path.join(dir, 'a.ts'))).toEqual(Buffer.from(module('\n').replace(CLIENT_LINE, BOUNDED_LINE), 'latin1'));
  });

  it('a UTF-8 file with a BOM, CRLF and tabs keeps them; the lines a rewrite adds end in CRLF too', async () => {
    const text = module('\r\n');
    const dir = project({ 'a.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) });
    const result = await codemod(['add-timeouts', '.'], dir);
    expect(result.code).toBe(0);
    const written = fs.readFileSync(path.join(dir, 'a.ts'));
    expect(written.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(written.subarray(3).toString('utf8')).toBe(text.replace(CLIENT_LINE, BOUNDED_LINE));
  });

  it('mixed line endings stay as they were, line by line', async () => {
    const text = module(['\n', '\r\n', '\r\n', '\n']);
    const dir = project({ 'a.ts': text });
    expect((await codemod(['add-timeouts', '.'], dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(text.replace(CLIENT_LINE, BOUNDED_LINE));
  });

  it('added lines follow a CRLF file (release-in-finally inserts try/finally)', async () => {
    const leaky = [
      "import { createPool } from 'generic-pool';",
      "import Redis from 'ioredis';",
      '',
      'const pool = createPool({ create: async () => new Redis(), destroy: async (client) => void (await client.quit()) }, { max: 4 });',
      '',
      'export async function get(key: string): Promise<string | null> {',
      '  const conn = await pool.acquire();',
      '  const value = await conn.get(key);',
      '  await pool.release(conn);',
      '  return value;',
      '}',
      '',
    ].join('\r\n');
    const lf = project({ 'a.ts': leaky.replace(/\r\n/g, '\n') });
    const crlf = project({ 'a.ts': leaky });
    expect((await codemod(['release-in-finally', '.'], lf)).code).toBe(0);
    expect((await codemod(['release-in-finally', '.'], crlf)).code).toBe(0);
    const fromLf = fs.readFileSync(path.join(lf, 'a.ts'), 'utf8');
    expect(fromLf).toContain('finally');
    expect(fs.readFileSync(path.join(crlf, 'a.ts'), 'utf8')).toBe(fromLf.replace(/\n/g, '\r\n'));
  });

  it('a UTF-16 file is left as it is, with the reason, and fails the run', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(module('\n'), 'utf16le')]);
    const dir = project({ 'a.ts': bytes });
    const result = await codemod(['add-timeouts', '.'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout.toString()).toContain('Left as they were:\n  a.ts  not rewritten: UTF-16 text');
    expect(fs.readFileSync(path.join(dir, 'a.ts'))).toEqual(bytes);
  });
});

describe('decoding and encoding', () => {
  it('round-trips every byte of valid UTF-8, BOM or not, and of any other bytes as one character each', () => {
    const samples = [
      Buffer.from('plain ascii\n'),
      Buffer.from('\ufeffBOM, 𝄞 and é\r\n', 'utf8'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a, 0x80, 0x9f, 0xff]),
      Buffer.from([0xc3, 0x28]),
    ];
    for (const bytes of samples) {
      const decoded = decodeBytes(bytes);
      if ('reason' in decoded) throw new Error(decoded.reason);
      expect(encodeText(decoded.text, decoded)).toEqual(bytes);
    }
    expect(decodeBytes(Buffer.from([0xc3, 0x28]))).toMatchObject({ encoding: 'latin1' });
    expect(decodeBytes(Buffer.from('\ufeffx', 'utf8'))).toEqual({ text: 'x', encoding: 'utf8', bom: true });
  });

  it('refuses to write a character a single-byte file cannot hold', () => {
    const decoded = decodeBytes(Buffer.from([0xe9, 0x0a]));
    if ('reason' in decoded) throw new Error(decoded.reason);
    expect(encodeText('é€\n', decoded)).toEqual({ reason: expect.stringContaining('"€"') });
  });

  it('turns added LF into CRLF only in files whose every line ends in CRLF', () => {
    expect(matchLineEndings('a\r\nb\r\n', 'a\r\nx\ny\r\nb\r\n')).toBe('a\r\nx\r\ny\r\nb\r\n');
    expect(matchLineEndings('a\nb\r\n', 'a\nx\nb\r\n')).toBe('a\nx\nb\r\n');
    expect(matchLineEndings('a\nb\n', 'a\nx\nb\n')).toBe('a\nx\nb\n');
  });
});

describe('files the codemod must not force', () => {
  it('a read-only file is reported and left as it is, mode and bytes', async () => {
    const dir = project({ 'a.ts': module('\n'), 'b.ts': module('\n') });
    fs.chmodSync(path.join(dir, 'a.ts'), 0o444);
    const result = await codemod(['add-timeouts', '.'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout.toString()).toContain('Left as they were:\n  a.ts  read-only; not rewritten');
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(module('\n'));
    expect(fs.statSync(path.join(dir, 'a.ts')).mode & 0o777).toBe(0o444);
    expect(fs.readFileSync(path.join(dir, 'b.ts'), 'utf8')).toBe(module('\n').replace(CLIENT_LINE, BOUNDED_LINE));
  });

  it('a file that changed on disk between read and write is not overwritten', async () => {
    const dir = project({
      'a.ts': 'export const a = 1;\n',
      // Plays an editor saving the file while the codemod works on it.
      'editing-transform.js': `const fs = require('node:fs');
module.exports = (file) => {
  fs.appendFileSync(file.path, '// saved by someone else\\n');
  return file.source + '// codemod\\n';
};
`,
    });
    const [result] = await runFiles([path.join(dir, 'a.ts')], { transform: path.join(dir, 'editing-transform.js'), options: {}, dry: false, diff: false, print: false, cwd: dir }, 0);
    expect(result).toMatchObject({ status: 'skipped', error: expect.stringContaining('changed on disk while the codemod ran; not overwritten') });
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe('export const a = 1;\n// saved by someone else\n');
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('symlinks: one out of the given paths is reported, not followed; one inside them is not rewritten twice', async () => {
    const dir = project({ 'src/a.ts': module('\n'), 'outside/real.ts': module('\n') });
    fs.symlinkSync(path.join(dir, 'outside/real.ts'), path.join(dir, 'src/out.ts'));
    fs.symlinkSync(path.join(dir, 'src/a.ts'), path.join(dir, 'src/same.ts'));
    const result = await codemod(['add-timeouts', 'src', '--json'], dir);
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout.toString()) as { filesChanged: string[]; filesLeft: unknown[] };
    expect(summary.filesChanged).toEqual(['src/a.ts']);
    expect(summary.filesLeft).toEqual([{ file: 'src/out.ts', reason: `a symbolic link to ${fs.realpathSync(path.join(dir, 'outside/real.ts'))}, outside the given paths; not followed` }]);
    expect(fs.readFileSync(path.join(dir, 'outside/real.ts'), 'utf8')).toBe(module('\n'));
    expect(fs.lstatSync(path.join(dir, 'src/out.ts')).isSymbolicLink()).toBe(true);
    expect(fs.lstatSync(path.join(dir, 'src/same.ts')).isSymbolicLink()).toBe(true);
    // Named on the command line, a link is still not followed.
    const named = await codemod(['add-timeouts', 'src/out.ts', '--json'], dir);
    expect(JSON.parse(named.stdout.toString())).toMatchObject({ filesChanged: [], filesLeft: [{ file: 'src/out.ts', reason: expect.stringMatching(/^a symbolic link to .*real\.ts, not followed \(name the file it points to\)$/) }] });
    expect(fs.readFileSync(path.join(dir, 'outside/real.ts'), 'utf8')).toBe(module('\n'));
  });
});
