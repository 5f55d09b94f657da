export { closeRedis, getRedis } from './redis';
