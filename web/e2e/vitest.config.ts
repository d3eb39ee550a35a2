import { defineConfig } from "vitest/config";

// End-to-end tests: headless Debian Chromium (playwright-core) against one real `mockroom serve`
// started for the whole run by support/server.ts, on a fresh data directory (accounts.e2e.ts starts
// a second one of its own, in accounts mode).
export default defineConfig({
  test: {
    root: new URL(".", import.meta.url).pathname,
    include: ["**/*.e2e.ts"],
    environment: "node",
    globalSetup: ["support/server.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
