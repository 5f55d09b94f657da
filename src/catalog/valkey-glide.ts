/**
 * valkey-glide (`@valkey/valkey-glide`). Checked in node_modules: 2.5.2
 * (build-ts/BaseClient.d.ts, GlideClient.d.ts, GlideClusterClient.d.ts, Commands.d.ts).
 * Clients are made by an async static factory and are not EventEmitters.
 */
import type { ClassSpec, LibraryCatalog, ValueSpec } from './types';

const glideClient: ClassSpec = {
  type: 'class',
  produces: 'client',
  statics: { createClient: { type: 'factory', produces: 'client', async: true, optionsArg: 0 } },
};
const glideClusterClient: ClassSpec = {
  type: 'class',
  produces: 'cluster',
  statics: { createClient: { type: 'factory', produces: 'cluster', async: true, optionsArg: 0 } },
};

const clientValue: ValueSpec = {
  commandStyle: 'glide',
  errorEvent: 'none',
  methods: {
    // close() is synchronous in 2.5.
    close: { type: 'release' },
  },
};

export const valkeyGlide: LibraryCatalog = {
  id: 'valkey-glide',
  displayName: 'valkey-glide',
  latestMajor: 2,
  packages: ['@valkey/valkey-glide'],
  modules: ['@valkey/valkey-glide'],
  exports: { GlideClient: glideClient, GlideClusterClient: glideClusterClient },
  values: { client: clientValue, cluster: clientValue },
  blockingMethods: {
    blpop: { command: 'BLPOP', timeout: { arg: 1 } },
    brpop: { command: 'BRPOP', timeout: { arg: 1 } },
    blmove: { command: 'BLMOVE', timeout: { arg: 4 } },
    blmpop: { command: 'BLMPOP', timeout: { arg: 2 } },
    bzpopmin: { command: 'BZPOPMIN', timeout: { arg: 1 } },
    bzpopmax: { command: 'BZPOPMAX', timeout: { arg: 1 } },
    bzmpop: { command: 'BZMPOP', timeout: { arg: 2 } },
    xread: { command: 'XREAD', timeout: { arg: 1, key: 'block' }, blocksOnlyWithTimeout: true },
    xreadgroup: {
      command: 'XREADGROUP',
      timeout: { arg: 3, key: 'block' },
      blocksOnlyWithTimeout: true,
    },
    wait: { command: 'WAIT', timeout: { arg: 1 } },
  },
  rawCommandMethods: { customCommand: { argv: 'array', arg: 0 } },
  takeoverMethods: {},
  timeouts: [
    {
      path: ['requestTimeout'],
      appliesTo: 'client',
      argument: 'options',
      bounds: 'command',
      defaultMs: 250,
      zero: 'default',
      note: 'Blocking commands get their own timeout plus 0.5 s; a blocking timeout of 0 removes the limit.',
    },
  ],
  poolSizes: [],
  typeNames: { GlideClient: 'client', GlideClusterClient: 'cluster' },
  typePackages: ['@valkey/valkey-glide'],
};
