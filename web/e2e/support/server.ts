// Starts `mockroom serve` once for the whole e2e run on a free port with a fresh data directory,
// waits until /api/health answers, and stops it (and removes the directory) at the end. That one
// runs in local mode; `startServer({ auth: "accounts" })` starts another, with MOCKROOM_AUTH=accounts,
// for a test file that needs sign-in.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

const here = fileURLToPath(new URL(".", import.meta.url));
const repo = resolve(here, "../../..");
const web = resolve(repo, "web");

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

async function waitForHealth(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) {
      throw new Error(`mockroom serve exited with ${server.exitCode}:\n${log()}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`mockroom serve did not answer /api/health within 60 s:\n${log()}`);
}

export interface ServerOptions {
  /** MOCKROOM_AUTH: `local` (one user, no sign-in) or `accounts` (everyone signs in). */
  auth?: "local" | "accounts";
}

export interface RunningServer {
  baseURL: string;
  /** Stops the server and removes its data directory. */
  stop: () => Promise<void>;
}

/** A `mockroom serve` of its own on a free port with a fresh data directory, answering /api/health. */
export async function startServer({ auth = "local" }: ServerOptions = {}): Promise<RunningServer> {
  const binary = resolve(repo, ".venv/bin/mockroom");
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run scripts/setup.sh first.`);
  if (!existsSync(resolve(web, "dist/index.html"))) throw new Error("web/dist is missing: run scripts/setup-web.sh.");

  const dataDir = mkdtempSync(join(tmpdir(), `mockroom-e2e-${auth}-`));
  const port = await freePort();
  let output = "";
  const server = spawn(binary, ["serve", "--host", "127.0.0.1", "--port", String(port)], {
    cwd: repo,
    env: { ...process.env, MOCKROOM_DATA_DIR: dataDir, MOCKROOM_AUTH: auth },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  server.stdout?.on("data", collect);
  server.stderr?.on("data", collect);

  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseURL, server, () => output);
  } catch (error) {
    stop(server);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    baseURL,
    stop: async () => {
      stop(server);
      await new Promise((done) => (server.exitCode !== null ? done(null) : server.once("exit", done)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export default async function setup(project: TestProject) {
  const server = await startServer();
  project.provide("baseURL", server.baseURL);
  return server.stop;
}

function stop(server: ChildProcess) {
  if (server.pid && server.exitCode === null) {
    try {
      // The whole process group: uvicorn may have started workers or reloaders.
      process.kill(-server.pid, "SIGTERM");
    } catch {
      server.kill("SIGTERM");
    }
  }
}
