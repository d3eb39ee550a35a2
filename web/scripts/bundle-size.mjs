// Prints the gzipped size of the JavaScript the browser loads first: the scripts and
// modulepreloads that dist/index.html references (lazy chunks are not counted), and of the
// 3-D avatar's lazy chunk (three.js and the head, fetched when a voice call starts), which has a
// budget of its own so that it does not grow unnoticed.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const INITIAL_BUDGET_KB = 250;
const AVATAR_BUDGET_KB = 175;

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
const gzipKB = (file) => gzipSync(readFileSync(resolve(dist, file)), { level: 9 }).length / 1024;
const line = (kb, what) => console.log(`${kb.toFixed(1).padStart(8)} KB  ${what}`);

const html = readFileSync(resolve(dist, "index.html"), "utf8");
const files = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
let total = 0;
for (const file of files) {
  const size = gzipKB(file);
  total += size;
  line(size, file);
}
line(total, `initial JS, gzip (budget ${INITIAL_BUDGET_KB} KB)`);

const avatar = readdirSync(resolve(dist, "assets")).filter((name) => /^HeadAvatar-.*\.js$/.test(name));
if (avatar.length !== 1) {
  console.error(`expected one HeadAvatar chunk in dist/assets, found ${avatar.length}`);
  process.exit(1);
}
const avatarSize = gzipKB(`assets/${avatar[0]}`);
line(avatarSize, `assets/${avatar[0]}: 3-D avatar, lazy, gzip (budget ${AVATAR_BUDGET_KB} KB)`);

if (total > INITIAL_BUDGET_KB || avatarSize > AVATAR_BUDGET_KB) {
  process.exit(1);
}
