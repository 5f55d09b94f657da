'use strict';
const genericPool = require('generic-pool');
const Redis = require('ioredis');

const pool = genericPool.createPool({ create: () => new Redis(), destroy: (client) => client.quit() }, { max: 4 });

async function getJSON(key) {
  const conn = await pool.acquire();
  try {
    const raw = await conn.get(key);
    return raw && JSON.parse(raw);
  } finally {
    pool.release(conn);
  }
}

module.exports = { getJSON };
