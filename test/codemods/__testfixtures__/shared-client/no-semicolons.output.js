const Redis = require('ioredis')

const CACHE_URL = process.env.CACHE_URL || 'redis://localhost:6379'

const redis = new Redis(CACHE_URL, { commandTimeout: 1500 })
  .on('error', (error) => console.error('cache', error))

async function lookup (key) {
  return await redis.get(key)
}

module.exports = { lookup }
