import { createPool } from 'generic-pool';
import { Socket } from 'node:net';

// A generic-pool of plain sockets is not a Redis pool.
const sockets = createPool({ create: async () => new Socket(), destroy: async (socket) => void socket.destroy() }, { max: 2 });

export async function send(data: string): Promise<void> {
  const socket = await sockets.acquire();
  socket.write(data);
  await sockets.release(socket);
}

// Methods named acquire and release on something else are not evidence.
class Semaphore {
  async acquire(): Promise<{ id: number }> {
    return { id: 1 };
  }
  release(_token: { id: number }): void {}
}
const gate = new Semaphore();

export async function guarded(work: () => Promise<void>): Promise<void> {
  const token = await gate.acquire();
  await work();
  gate.release(token);
}
