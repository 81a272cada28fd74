import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { startServer, type TestServer } from './helpers/server.ts';

/** A GET with the path sent exactly as given (fetch would normalise `/%`); a websocket upgrade when asked. */
function rawGet(url: string, path: string, upgrade = false): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  const headers = upgrade
    ? { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' }
    : {};
  return new Promise((resolve, reject) => {
    const req = request(new URL(url), { path, headers }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, headers: res.headers });
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode!, headers: res.headers });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Soft: a response that lacks them does not hide the others that do too. */
function expectHardened(headers: IncomingHttpHeaders, what: string): void {
  expect.soft(headers['content-security-policy'] ?? '', what).toContain("frame-ancestors 'none'");
  expect.soft(headers['x-content-type-options'], what).toBe('nosniff');
  expect.soft(headers['x-frame-options'], what).toBe('DENY');
  expect.soft(headers['referrer-policy'], what).toBe('no-referrer');
}

function tryConnect(url: string, origin?: string): Promise<'connected' | string> {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: origin === undefined ? {} : { origin },
  });
  return new Promise((resolve) => {
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (err) => {
      socket.close();
      resolve(err.message);
    });
  });
}

describe('security headers and origins', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ allowedOrigins: ['http://localhost:5173'] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('sends a content security policy and hardening headers on every response', async () => {
    for (const path of ['/api/health', '/no/such/page']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it("sends them too on Fastify's own errors and on every Socket.IO response", async () => {
    const cases: [string, string, number, boolean?][] = [
      ['a malformed URL, refused by Fastify itself', '/%', 400],
      ['the Socket.IO handshake', '/socket.io/?EIO=4&transport=polling', 200],
      ['a Socket.IO request for an unknown session, refused by engine.io itself', '/socket.io/?EIO=4&transport=polling&sid=nope', 400],
      ['the websocket upgrade', '/socket.io/?EIO=4&transport=websocket', 101, true],
    ];
    for (const [what, path, status, upgrade] of cases) {
      const res = await rawGet(server.url, path, upgrade);
      expect.soft(res.status, what).toBe(status);
      expectHardened(res.headers, what);
    }
  });

  it('accepts a socket from our own origin, a listed origin, or a client with no origin', async () => {
    expect(await tryConnect(server.url, server.url)).toBe('connected');
    expect(await tryConnect(server.url, 'http://localhost:5173')).toBe('connected');
    expect(await tryConnect(server.url)).toBe('connected');
  });

  it('refuses a socket from another origin', async () => {
    expect(await tryConnect(server.url, 'https://evil.example')).not.toBe('connected');
  });
});
