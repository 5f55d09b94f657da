const Redis = require('ioredis')

const CACHE_URL = process.env.CACHE_URL || 'redis://localhost:6379'

async function lookup (key) {
  const redis = new Redis(CACHE_URL, { commandTimeout: 1500 })
    .on('error', (error) => console.error('cache', error))
  try {
    return await redis.get(key)
  } finally {
    await redis.quit()
  }
}

module.exports = { lookup }
