import Redis from 'ioredis';
import { orderPool } from '../pool';

interface Order {
  id: string;
  total: number;
}

// Fault: if GET rejects or JSON.parse throws, the connection never goes back to the pool.
export async function getOrder(id: string): Promise<Order | null> {
  const conn = await orderPool.acquire();
  const raw = await conn.get(`order:${id}`);
  const order = raw ? (JSON.parse(raw) as Order) : null;
  await orderPool.release(conn);
  return order;
}

// Right: released on every path.
export async function getOrderSafely(id: string): Promise<Order | null> {
  const conn = await orderPool.acquire();
  try {
    const raw = await conn.get(`order:${id}`);
    return raw ? (JSON.parse(raw) as Order) : null;
  } finally {
    await orderPool.release(conn);
  }
}

// Fault: a new connection per request, never closed: connection counts only grow.
export async function countOrdersLeaky(): Promise<number> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { commandTimeout: 2000 });
  return redis.scard('orders');
}

// Right: the pool lends and takes back.
export async function countOrders(): Promise<number> {
  return orderPool.use((conn) => conn.scard('orders'));
}
