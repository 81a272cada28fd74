import type { Server as HttpServer } from 'node:http';
import type { AppServer } from '../socket/socket-data.ts';

/**
 * Every response carries a content security policy and the usual hardening
 * headers. The client is one origin (page, scripts, styles and the Socket.IO
 * connection), so 'self' is all it needs; styles allow inline attributes
 * because Svelte sets colours and widths through `style=`. Names typed by
 * students are rendered as text, and the policy forbids any script that
 * slipped through from running.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

const ENTRIES = Object.entries(HEADERS);

/**
 * Set on the raw response before anything answers it, so that every answer
 * has them: our routes, Fastify's own errors (a malformed URL is refused
 * before any hook runs) and engine.io's answers on /socket.io/, which never
 * reach Fastify. A websocket upgrade is no request event: engine.io adds
 * them to its 101. Call it after Socket.IO has attached to the server
 * (engine.io takes over the request listeners there were until then).
 */
export function securityHeaders(server: HttpServer, engine: AppServer['engine']): void {
  server.prependListener('request', (_request, response) => {
    for (const [name, value] of ENTRIES) response.setHeader(name, value);
  });
  engine.on('headers', (headers: Record<string, string>) => Object.assign(headers, HEADERS));
}
