import { createClient } from 'redis'

// Written in standard style: no semicolons, chains broken over lines.
export const client = await createClient({ url: process.env.REDIS_URL })
  .on('error', (error) => console.error('redis', error))
  .connect()

export async function nextTask () {
  return client.blPop('tasks', 10)
}

export async function addTask (task) {
  return client.rPush('tasks', task)
}

export async function close () {
  await client.close()
}
