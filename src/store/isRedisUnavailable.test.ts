import { describe, expect, it } from 'vitest';
import { isRedisUnavailable } from './isRedisUnavailable.js';

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe('isRedisUnavailable', () => {
  it('recognises what ioredis and Redis answer during an outage, also wrapped', () => {
    for (const e of [
      named('MaxRetriesPerRequestError', 'Reached the max retries per request limit (which is 0).'),
      new Error('Connection is closed.'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      new Error('Command timed out'),
      named('AbortError', 'Command aborted due to connection close'),
      named('ReplyError', 'LOADING Redis is loading the dataset in memory'),
      named('ReplyError', 'MOVED 3999 127.0.0.1:6381'),
      named('ReplyError', 'ASK 3999 127.0.0.1:6381'),
      named('ReplyError', 'TRYAGAIN Multiple keys request during rehashing of slot'),
      named('ReplyError', 'CLUSTERDOWN The cluster is down'),
      new Error('Too many Cluster redirections. Last error: Error: Connection is closed.'),
      new Error('All sentinels are unreachable. Retrying from scratch after 500ms.'),
      Object.assign(named('ReplyError', 'EXECABORT Transaction discarded because of previous errors.'), { previousErrors: [named('ReplyError', 'MOVED 1625 127.0.0.1:7001')] }),
      new Error('oops', { cause: new Error('Connection is closed.') }),
    ]) {
      expect(isRedisUnavailable(e), e.message).toBe(true);
    }
  });

  it('leaves every other error a bug, including a fetch that could not connect', () => {
    const fetchFailed = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const badTransaction = Object.assign(named('ReplyError', 'EXECABORT Transaction discarded because of previous errors.'), { previousErrors: [named('ReplyError', 'ERR wrong number of arguments')] });
    for (const e of [badTransaction, new Error('x is undefined'), named('ReplyError', 'ERR wrong number of arguments'), named('AbortError', 'This operation was aborted'), fetchFailed, 'a string', undefined]) {
      expect(isRedisUnavailable(e)).toBe(false);
    }
  });
});
