import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// CI machines are shared and slow: give findBy*/waitFor the time a loaded two-core machine needs.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  window.location.hash = "";
  window.sessionStorage.clear();
  window.localStorage.clear();
});
