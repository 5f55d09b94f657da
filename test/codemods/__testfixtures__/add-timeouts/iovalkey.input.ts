import Valkey from 'iovalkey';

export const valkey = new Valkey({ host: 'valkey.internal' });

export async function next() {
  return valkey.bzpopmax('scores', 5);
}
