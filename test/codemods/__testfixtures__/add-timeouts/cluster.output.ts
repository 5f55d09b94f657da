import { Cluster } from 'ioredis';

const nodes = [{ host: 'node-1.internal', port: 6379 }];

// A cluster's per-node client options sit under redisOptions.
export const cluster = new Cluster(nodes, {
  redisOptions: { commandTimeout: 5000 },
});

export const configured = new Cluster(nodes, {
  scaleReads: 'slave',
  redisOptions: { password: 'secret', commandTimeout: 5000 },
});

export const withOptions = new Cluster(nodes, {
  scaleReads: 'all',
  redisOptions: { commandTimeout: 5000 },
});

const nodeOptions = { password: 'secret' };
// The per-node options are a variable here: written by hand.
export const referenced = new Cluster(nodes, { redisOptions: nodeOptions });
