const { createClient } = require('redis');

const client = createClient({ url: process.env.REDIS_URL });
client.on('error', (error) => console.error(error));
client.connect();

async function take() {
  return client.brPop('tasks', 5);
}

async function put(task) {
  return client.lPush('tasks', task);
}

module.exports = { take, put };
