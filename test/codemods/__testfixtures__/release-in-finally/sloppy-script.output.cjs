// A CommonJS script in sloppy mode: legacy octal literals parse with the JavaScript parser.
var genericPool = require('generic-pool');
var Redis = require('ioredis');

var pool = genericPool.createPool({ create: function () { return new Redis(); }, destroy: function (c) { return c.quit(); } });
var MODE = 0644;

async function chmodKey(key) {
  var conn = await pool.acquire();
  try {
    await conn.set(key + ':mode', String(MODE));
  } finally {
    pool.release(conn);
  }
}

exports.chmodKey = chmodKey;
