/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server's build runs `npm run build`, which writes straight into the server's wwwroot (served at `/`).
// `npm run dev` proxies the API and hub to a server started with `dotnet run` (DRIVER_OFFERS_API, default :5000).
const api = process.env.DRIVER_OFFERS_API ?? 'http://localhost:5000';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../src/DriverOffers.Server/wwwroot',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      '/api': api,
      '/hubs': { target: api, ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
