import { defineConfig } from "vitest/config";

// Preact through the automatic JSX runtime; no framework plugin needed.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    target: "es2022",
    sourcemap: false,
    // Three pages that share no code: the storefront, the back office at /admin, and the API
    // reference that nginx serves at /api/docs, so that the storefront never loads the others.
    rolldownOptions: {
      input: { index: "index.html", admin: "admin/index.html", "api-docs": "api-docs/index.html" },
    },
    // No page imports dynamically, so no modulepreload link is left for the polyfill to serve;
    // it would instead become a chunk that every page loads. Preact is one chunk the storefront
    // and the back office share.
    modulePreload: { polyfill: false },
    // Swagger UI is one chunk of about 1.5 MB (430 kB gzipped), loaded by /api/docs alone; the
    // storefront's own budget is web/scripts/bundle-budget.mjs's.
    chunkSizeWarningLimit: 1600,
  },
  test: { environment: "node", include: ["src/**/*.test.ts"] },
});
