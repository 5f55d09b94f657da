/** Timeouts read per value: which catalog options apply to which kind of value. */
import { describe, expect, it } from 'vitest';
import type { OptionsView } from '../../src/analysis/options';
import type { RedisValue } from '../../src/analysis/origin';
import { effectiveTimeouts } from '../../src/analysis/timeouts';
import { LIBRARIES } from '../../src/catalog';

const unset: OptionsView = { get: () => ({ status: 'absent' }) };
const nodeRedis = LIBRARIES.find((library) => library.id === 'node-redis')!;

describe('effectiveTimeouts', () => {
  it("gives a client library's pool its clients' timeouts, also when its client options are not in sight", () => {
    // A pool handed out by a project factory that passes no options through (no optionsArg).
    const pool = { library: nodeRedis, kind: 'pool', creation: {}, how: 'summary' } as unknown as RedisValue;
    const paths = [...effectiveTimeouts(pool, { options: unset, poolOptions: unset }, 5).keys()];
    expect(paths.sort()).toEqual(['acquireTimeout', 'commandOptions.timeout', 'socket.connectTimeout', 'socket.socketTimeout']);
  });
});
