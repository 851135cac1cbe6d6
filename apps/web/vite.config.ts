import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

// The signalling server (apps/signalling) serves the API and socket.io on 8080; in
// development the browser talks to Vite only, so both are proxied to keep one origin
// (getUserMedia needs a secure context, and localhost is one).
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    react(),
    // Brotli and gzip copies next to each built file, served by the signalling process with
    // Content-Encoding (apps/signalling/src/http/web-app.ts): nothing is compressed per request.
    // Not index.html: it gets a fresh CSP nonce in every response and is compressed as sent.
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(js|css|svg|json|txt|webmanifest)$/,
      threshold: 512,
      skipIfLargerOrEqual: true,
    }),
  ],
  // The signalling process puts a fresh nonce here in every index.html it serves (and in the
  // CSP header); Vite adds it to its tags and a <meta property="csp-nonce">, where
  // MantineProvider's getStyleNonce reads it for the <style> elements Mantine injects.
  html: { cspNonce: 'DP_CSP_NONCE' },
  // Named exports per top-level key of a JSON file, so that the link page's entry takes only
  // the translations it shows (src/i18n.ts) and the rest comes with the chunks that need it.
  json: { stringify: false, namedExports: true },
  server: {
    proxy: {
      '/socket.io': { target: backend, ws: true },
      '/api': { target: backend },
    },
  },
  preview: {
    proxy: {
      '/socket.io': { target: backend, ws: true },
      '/api': { target: backend },
    },
  },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // No inline script may run under the CSP (script-src 'self'); every browser that runs
    // es2022 modules has <link rel="modulepreload"> or simply loads the chunk a little later.
    modulePreload: { polyfill: false },
  },
});
