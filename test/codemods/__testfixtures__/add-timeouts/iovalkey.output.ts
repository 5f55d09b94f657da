import Valkey from 'iovalkey';

export const valkey = new Valkey({
  host: 'valkey.internal',
  commandTimeout: 6000
});

export async function next() {
  return valkey.bzpopmax('scores', 5);
}
