import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { startServer, type TestServer } from './helpers/server.ts';

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

  it('accepts a socket from our own origin, a listed origin, or a client with no origin', async () => {
    expect(await tryConnect(server.url, server.url)).toBe('connected');
    expect(await tryConnect(server.url, 'http://localhost:5173')).toBe('connected');
    expect(await tryConnect(server.url)).toBe('connected');
  });

  it('refuses a socket from another origin', async () => {
    expect(await tryConnect(server.url, 'https://evil.example')).not.toBe('connected');
  });
});
