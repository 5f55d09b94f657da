export { closeRedis, getRedis, getRedisBlocking } from './redis';
