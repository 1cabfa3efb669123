import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { routesUnderTheirRoots } from './routesUnderTheirRoots.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** An app with the router behind the gate, then a fallback that names itself; and how often the router matched. */
async function serve(router: Router) {
  const calls = { match: 0 };
  const match = router.match.bind(router);
  router.match = (path, method) => {
    calls.match++;
    return match(path, method);
  };
  const app = new Koa();
  app.use(routesUnderTheirRoots(router));
  app.use((ctx) => {
    ctx.body = 'fallback';
  });
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, method = 'GET') => (await fetch(url + path, { method })).text();
  return { calls, get };
}

describe('routesUnderTheirRoots', () => {
  it('hands the router the requests under its routes\' roots (in any case, as its patterns match), and no other', async () => {
    const router = new Router({ prefix: '/interaction/:uid' });
    router.get('/tap', (ctx) => {
      ctx.body = `tap ${ctx.params.uid}`;
    });
    const other = new Router();
    other.get('/federation/callback', (ctx) => {
      ctx.body = 'callback';
    });
    const { calls, get } = await serve(router);
    expect(await get('/interaction/u1/tap')).toBe('tap u1');
    expect(await get('/INTERACTION/u2/tap')).toBe('tap u2');
    expect(calls.match).toBe(2);
    // Under its root but no route of it: the router looks, finds nothing, and the request goes on.
    expect(await get('/interaction/u3/nothing')).toBe('fallback');
    expect(calls.match).toBe(3);
    // Elsewhere: the router is not asked at all.
    for (const path of ['/token', '/', '/interactions/u1/tap', '//interaction/u1/tap']) expect(await get(path, 'POST')).toBe('fallback');
    expect(calls.match).toBe(3);

    const second = await serve(other);
    expect(await second.get('/federation/callback')).toBe('callback');
    expect(await second.get('/token')).toBe('fallback');
    expect(second.calls.match).toBe(1);
  });

  it('hands a router whose route starts with a parameter every request', async () => {
    const router = new Router();
    router.get('/:tenant/home', (ctx) => {
      ctx.body = `home of ${ctx.params.tenant}`;
    });
    const { calls, get } = await serve(router);
    expect(await get('/contoso/home')).toBe('home of contoso');
    expect(await get('/token')).toBe('fallback');
    expect(calls.match).toBe(2);
  });

  it('reads the roots at the first request, so routes added after mounting are reached too', async () => {
    const router = new Router();
    const { get } = await serve(router);
    router.get('/late/route', (ctx) => {
      ctx.body = 'late';
    });
    expect(await get('/late/route')).toBe('late');
  });
});
