import { describe, expect, it } from 'vitest';
import { clusterSlot } from './clusterSlot.js';

describe('clusterSlot', () => {
  it('gives the slots Redis Cluster gives (CLUSTER KEYSLOT), by hash tag when there is one', () => {
    // Values from the Cluster specification's example and from `redis-cli cluster keyslot`.
    expect(clusterSlot('123456789')).toBe(0x31c3 % 16384);
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('user:{u:42}')).toBe(clusterSlot('u:42'));
    expect(clusterSlot('{}x')).toBe(clusterSlot('{}x'));
  });
});
