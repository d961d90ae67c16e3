// @ts-check
// Svelte options read by both vite-plugin-svelte and svelte-check.
/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  compilerOptions: {
    // Runes only: a component written in legacy syntax (`export let`, `$:`) fails to compile. This
    // also applies to Svelte components from node_modules; we use none.
    runes: true,
  },
};
