// Builds the PWA: Svelte 5 UI, ES-module workers, and a precaching service worker from vite-plugin-pwa.
// Text files also get gzip and brotli twins (.gz, .br), which the app server sends to browsers that
// accept them (server/serveApp.ts).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

const THEME_COLOUR = '#0f766e';
const BACKGROUND_COLOUR = '#f0fdfa';

export default defineConfig({
  plugins: [
    svelte(),
    VitePWA({
      strategies: 'generateSW',
      registerType: 'prompt',
      // src/app/ServiceWorkerUpdate.svelte.ts registers the worker itself, to show the update prompt.
      injectRegister: false,
      manifest: {
        name: 'TorrentTX',
        short_name: 'TorrentTX',
        description: 'A browser-native payment network: every transaction is a torrent.',
        theme_color: THEME_COLOUR,
        background_color: BACKGROUND_COLOUR,
        start_url: '.',
        display: 'standalone',
        // An installed app opens web+ttx: payment links itself (src/app/paymentLink.ts reads `uri`).
        protocol_handlers: [{ protocol: 'web+ttx', url: './#pay?uri=%s' }],
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        // /network.json gets no runtime rule, so this worker never answers it (stale or not): online it
        // comes from the server, offline the page starts from the networks saved in IndexedDB
        // (src/app/activeNetwork.ts). Navigations to it or to the API are not the app shell either.
        navigateFallbackDenylist: [/^\/api\//, /^\/network\.json$/],
      },
    }),
    compression({
      algorithms: ['gzip', 'brotliCompress'],
      include: /\.(js|mjs|css|html|svg|json|webmanifest)$/,
      threshold: 1024,
      logLevel: 'silent',
    }),
  ],
  worker: {
    format: 'es',
  },
});
