'use strict';
const genericPool = require('generic-pool');
const Redis = require('ioredis');

const pool = genericPool.createPool({ create: () => new Redis(), destroy: (client) => client.quit() }, { max: 4 });

async function getJSON(key) {
  const conn = await pool.acquire();
  const raw = await conn.get(key);
  pool.release(conn);
  return raw && JSON.parse(raw);
}

module.exports = { getJSON };
