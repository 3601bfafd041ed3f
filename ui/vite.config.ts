import { defineConfig } from "vite";

// The window loads the built files from the app bundle; nothing is fetched at run time.
export default defineConfig({
  base: "./",
  clearScreen: false,
  oxc: { jsx: { runtime: "automatic" } },
  server: { port: 1420, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // The CSP allows no inline scripts, so no inline module-preload polyfill either.
    modulePreload: { polyfill: false },
    // Loaded from the app bundle on disk, not over a network: one chunk is fine.
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
