import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The signalling server (apps/signalling) serves the API and socket.io on 8080; in
// development the browser talks to Vite only, so both are proxied to keep one origin
// (getUserMedia needs a secure context, and localhost is one).
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
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
  },
});
