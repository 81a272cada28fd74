import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The server (Fastify + Socket.IO) serves client/dist from the same origin; in `vite dev`
// Socket.IO and the HTTP API are proxied to it.
const SERVER = process.env.MMAP_LAB_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [svelte()],
  server: {
    proxy: {
      '/api': SERVER,
      '/socket.io': { target: SERVER, ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
