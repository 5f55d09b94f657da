'use strict';
const genericPool = require('generic-pool');
const Redis = require('ioredis');

const pool = genericPool.createPool({ create: () => new Redis(), destroy: (client) => client.quit() }, { max: 4 });

async function getJSON(key) {
  let raw;
  const conn = await pool.acquire();
  try {
    raw = await conn.get(key);
  } finally {
    pool.release(conn);
  }
  return raw && JSON.parse(raw);
}

module.exports = { getJSON };
