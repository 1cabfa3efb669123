import type { Cluster, Redis } from 'ioredis';

/** A connection to Redis or Redis Cluster; both speak the commands the product uses. */
export type RedisClient = Redis | Cluster;
