'use strict';
const { createPool } = require('generic-pool');
const Redis = require('ioredis');

const pool = createPool({ create: () => new Redis(), destroy: (client) => client.quit() }, { max: 4 });

async function getJSON(key) {
  return pool.use(async (conn) => {
    const raw = await conn.get(key);
    return raw && JSON.parse(raw);
  });
}

module.exports = { getJSON };
