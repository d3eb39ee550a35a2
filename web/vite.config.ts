import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The API server the dev server proxies to (`mockroom serve` defaults to 127.0.0.1:8000).
const apiTarget = process.env.MOCKROOM_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // Monaco's lazily loaded chunk is ~3 MB (~0.8 MB gzip); the initial bundle has its own budget.
    chunkSizeWarningLimit: 3500,
  },
  test: {
    environment: "jsdom",
    globals: true,
    include: ["tests/**/*.test.{ts,tsx}"],
    setupFiles: ["tests/setup.ts"],
    css: false,
    testTimeout: 20_000,
  },
});
