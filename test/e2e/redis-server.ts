/**
 * A throw-away Redis for the end-to-end tests: Debian's `redis-server` on a free loopback port,
 * with no persistence, in its own temporary directory, stopped and removed afterwards.
 * `.ci/install-redis.sh` installs the binary when it is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RedisServer {
  host: '127.0.0.1';
  port: number;
  version: string;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 10_000;

const BINARY = 'redis-server';

/** The installed server's version, or a clear failure: the proof must not be skipped quietly. */
export function redisServerVersion(): string {
  const found = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  if (found.error || found.status !== 0) {
    throw new Error('redis-server is not installed: run `bash .ci/install-redis.sh` (apt-get install redis-server).');
  }
  return /v=(\S+)/.exec(found.stdout)?.[1] ?? 'unknown';
}

export async function startRedisServer(): Promise<RedisServer> {
  const version = redisServerVersion();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-e2e-'));
  // A port can be taken between probing and binding: retry on a fresh one.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(
      BINARY,
      [
        '--port', String(port),
        '--bind', '127.0.0.1',
        '--save', '',
        '--appendonly', 'no',
        '--dir', dir,
        '--daemonize', 'no',
        '--protected-mode', 'yes',
        '--loglevel', 'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const started = await waitForReady(child, port);
    if (started === 'ready') {
      return { host: '127.0.0.1', port, version, stop: () => stop(child, dir) };
    }
    await stop(child, undefined);
    if (started !== 'port-taken') {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${started}`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error('redis-server could not find a free loopback port');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Ready once it answers PING on the port; 'port-taken' when the bind failed. */
async function waitForReady(child: ChildProcess, port: number): Promise<'ready' | 'port-taken' | string> {
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) return /Address already in use/i.test(output) ? 'port-taken' : `exited: ${output.trim()}`;
    if (await answersPing(port)) return 'ready';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return `no PING reply within ${STARTUP_TIMEOUT_MS} ms: ${output.trim()}`;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

async function stop(child: ChildProcess, dir: string | undefined): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
