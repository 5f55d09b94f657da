import Queue from 'bull';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Notification {
  userId: string;
  text: string;
}

// Fault: a Bull queue per request, never closed: up to three connections (client, subscriber,
// blocking client) left open every time.
export async function notifyLeaky(notification: Notification): Promise<void> {
  const queue = new Queue<Notification>('notifications', REDIS_URL);
  await queue.add(notification);
}

// Right: one queue for the process, closed on shutdown.
const notifications = new Queue<Notification>('notifications', REDIS_URL);
notifications.on('error', (err) => console.error('notification queue error', err));
process.once('SIGTERM', () => {
  void notifications.close();
});

export async function notify(notification: Notification): Promise<void> {
  await notifications.add(notification);
}
