const { createPool } = require("generic-pool");
const Redis = require("ioredis");

const pool = createPool({ create: () => new Redis(), destroy: (c) => c.quit() }, { max: 2 });

exports.store = async function store(key, value) {
	const conn = await pool.acquire();
	if (value === undefined) {
		await conn.del(key);
	} else {
		await conn.set(key, JSON.stringify(value));
	}
	await pool.release(conn);
};
