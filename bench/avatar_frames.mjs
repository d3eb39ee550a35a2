// 3-D avatar benchmark: frames per second of the voice room's 3-D interviewer in headless Chromium
// (software WebGL, as on a machine without a GPU), and the size of the lazily loaded chunk that holds
// it and three.js. Usage, after scripts/setup.sh:
//
//     node bench/avatar_frames.mjs [--seconds N] [--screenshots DIR]
//
// The avatar is mounted alone on a page (bench/avatar_frames/), speaking a made-up reply on a loop,
// and the page counts its animation frames: the avatar draws once in each. Chromium is Debian's
// /usr/bin/chromium (or $CHROMIUM).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");
const web = resolve(root, "web");
const harness = resolve(root, "bench/avatar_frames");
const fromWeb = (path) => import(pathToFileURL(resolve(web, "node_modules", path)).href);

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "5" }, screenshots: { type: "string" } },
});
const seconds = Number(values.seconds);

/** The lazy chunk of the 3-D avatar in web/dist (built when the sources changed), raw and gzipped. */
function avatarChunk() {
  execFileSync("bash", [resolve(root, "scripts/setup-web.sh")], { stdio: "inherit" });
  const assets = resolve(web, "dist/assets");
  const files = readdirSync(assets).filter((name) => /^HeadAvatar-.*\.js$/.test(name));
  if (files.length !== 1) throw new Error(`expected one HeadAvatar chunk in ${assets}, found ${files.length}`);
  const bytes = readFileSync(resolve(assets, files[0]));
  return { file: files[0], raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Builds the harness page with the web app's Vite into a temporary folder. */
async function buildHarness() {
  const { build } = await fromWeb("vite/dist/node/index.js");
  const outDir = mkdtempSync(join(tmpdir(), "mockroom-avatar-bench-"));
  const dependency = (name) => resolve(web, "node_modules", name);
  await build({
    root: harness,
    configFile: false,
    logLevel: "error",
    resolve: { alias: { react: dependency("react"), "react-dom": dependency("react-dom"), three: dependency("three") } },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 },
  });
  return outDir;
}

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css" };

/** Serves `dir` on a free port of 127.0.0.1. */
function serve(dir) {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    try {
      const body = readFileSync(join(dir, path === "/" ? "index.html" : path));
      response.writeHead(200, { "Content-Type": types[extname(path) || ".html"] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(server)));
}

/** Frames per second the avatar draws over `seconds`, and the main thread's busy share, after a warm-up. */
async function measure(page, url) {
  await page.goto(url);
  await page.locator("[data-avatar=head] canvas").waitFor();
  await page.waitForTimeout(1500);
  const error = await page.evaluate(() => document.body.dataset.error);
  if (error) throw new Error(`the avatar failed: ${error}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");
  const sample = async () => ({
    frames: await page.evaluate(() => window.avatarFrames),
    at: performance.now(),
    busy: (await cdp.send("Performance.getMetrics")).metrics.find((metric) => metric.name === "TaskDuration").value,
  });
  const before = await sample();
  await page.waitForTimeout(seconds * 1000);
  const after = await sample();
  await cdp.detach();
  const elapsed = (after.at - before.at) / 1000;
  return { fps: (after.frames - before.frames) / elapsed, busy: (after.busy - before.busy) / elapsed };
}

const chunk = avatarChunk();
const outDir = await buildHarness();
const server = await serve(outDir);
const base = `http://127.0.0.1:${server.address().port}/`;
const { chromium } = await fromWeb("playwright-core/index.mjs");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
});
try {
  const probe = await browser.newPage();
  const renderer = await probe.evaluate(() => {
    const gl = document.createElement("canvas").getContext("webgl2");
    const info = gl?.getExtension("WEBGL_debug_renderer_info");
    return gl ? gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) : "no WebGL 2";
  });
  await probe.close();
  console.log(`WebGL: ${renderer}`);
  console.log(`Lazy chunk ${chunk.file}: ${(chunk.raw / 1024).toFixed(1)} KB, ${(chunk.gzip / 1024).toFixed(1)} KB gzip`);
  const runs = [
    { state: "speaking", size: 168, scale: 1 },
    { state: "speaking", size: 168, scale: 2 },
    { state: "idle", size: 168, scale: 1 },
    { state: "speaking", size: 320, scale: 1 },
  ];
  for (const { state, size, scale } of runs) {
    const context = await browser.newContext({ viewport: { width: 400, height: 400 }, deviceScaleFactor: scale });
    const page = await context.newPage();
    const { fps, busy } = await measure(page, `${base}?state=${state}&size=${size}`);
    const what = `${state}, ${size} px at ${scale}x`;
    console.log(`${what.padEnd(26)} ${fps.toFixed(1).padStart(6)} fps   main thread busy ${(busy * 100).toFixed(0)}%`);
    if (values.screenshots) {
      mkdirSync(values.screenshots, { recursive: true });
      await page.locator("[data-avatar=head]").screenshot({ path: join(values.screenshots, `avatar-${state}-${size}-${scale}x.png`) });
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
}
