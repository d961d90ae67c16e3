// Builds the PWA: Svelte 5 UI, ES-module workers, and a precaching service worker from vite-plugin-pwa.
// Text files also get gzip and brotli twins (.gz, .br), which the app server sends to browsers that
// accept them (server/serveApp.ts). index.html carries the Content-Security-Policy as a <meta>, so the
// build works from a static host that sets no headers. `vite build` (and `npm start`) builds the app that
// reads its network from the server's /network.json; scripts/build.ts (`npm run build -- --network FILE`)
// calls appConfig with a network, which is then baked in (src/app/bakedNetwork.ts).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './server/contentSecurityPolicy.ts';
import type { NetworkConfig } from './src/core/network.ts';

const THEME_COLOUR = '#0f766e';
const BACKGROUND_COLOUR = '#f0fdfa';

/** Puts the policy first in <head>, before any script or style it must govern. */
function cspMeta(): Plugin {
  return {
    name: 'torrenttx-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy('meta') },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/** The app's build; `network` (checked by the caller) is baked in, or null to read /network.json. */
export function appConfig(network: NetworkConfig | null = null): UserConfig {
  return {
    // The config as JSON text (or null), parsed in the page by the same checks as any other config.
    define: { __TORRENTTX_NETWORK__: JSON.stringify(network === null ? null : JSON.stringify(network)) },
    plugins: [
      svelte(),
      cspMeta(),
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
  };
}

export default defineConfig(appConfig());
