import type { Store } from '../../src/store/connectRedis.js';

/** Every key name and every value in Redis, of every type, as one text (and the types seen). */
export async function dumpRedis(r: Store): Promise<{ text: string; types: Set<string> }> {
  const parts: string[] = [];
  const types = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await r.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of batch) {
      parts.push(key);
      const type = await r.type(key);
      types.add(type);
      if (type === 'string') parts.push((await r.get(key)) ?? '');
      else if (type === 'hash') parts.push(JSON.stringify(await r.hgetall(key)));
      else if (type === 'set') parts.push(JSON.stringify(await r.smembers(key)));
      else if (type === 'zset') parts.push(JSON.stringify(await r.zrange(key, 0, -1, 'WITHSCORES')));
      else if (type === 'list') parts.push(JSON.stringify(await r.lrange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await r.xrange(key, '-', '+')));
      else throw new Error(`key ${key} of a type the scan cannot read: ${type}`);
    }
  } while (cursor !== '0');
  return { text: parts.join('\n'), types };
}
