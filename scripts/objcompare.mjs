#!/usr/bin/env node
// Byte-identity check for pure speed changes in the backend: compiles every bench wasm
// (~/.cache/kiln/bench/*/*.wasm) and a sample of converted spec modules
// (~/.cache/kiln/wast/*/*.wasm) for both targets at -O0 and -O2 (and --bounds explicit at
// -O2) and records a hash of each object.
//
//   node scripts/objcompare.mjs save FILE.json [--every N]   record hashes (run on the "before" build)
//   node scripts/objcompare.mjs check FILE.json              recompile and compare (exit 1 on any difference)
//   KILN_DIST=/other/tree/dist node scripts/objcompare.mjs save FILE.json   hashes from another build
//
// Runs dist/, so `npm run build` first.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// KILN_DIST: another build's dist/ (e.g. a baseline tree), default this checkout's.
const dist = process.env.KILN_DIST ? pathToFileURL(process.env.KILN_DIST + '/').href : new URL('../dist/', import.meta.url).href;
const { decodeModule } = await import(dist + 'src/frontend/decode.js');
const { validateModule } = await import(dist + 'src/frontend/validate.js');
const { compileModule } = await import(dist + 'src/backend/compile.js');

const [mode, file, ...rest] = process.argv.slice(2);
if ((mode !== 'save' && mode !== 'check') || !file) {
  console.error('usage: objcompare.mjs save|check FILE.json [--every N]');
  process.exit(2);
}
const everyArg = rest.indexOf('--every');
const every = everyArg >= 0 ? Number(rest[everyArg + 1]) : 6;
const cache = join(homedir(), '.cache', 'kiln');

function wasmFiles() {
  const out = [];
  const bench = join(cache, 'bench');
  for (const d of readdirSync(bench).sort()) {
    let names;
    try { names = readdirSync(join(bench, d)); } catch { continue; }
    for (const n of names.sort()) if (n.endsWith('.wasm')) out.push(join(bench, d, n));
  }
  const wast = join(cache, 'wast');
  const spec = [];
  for (const d of readdirSync(wast).sort()) {
    if (d.startsWith('.')) continue;
    for (const n of readdirSync(join(wast, d)).sort()) if (n.endsWith('.wasm')) spec.push(join(wast, d, n));
  }
  spec.forEach((p, i) => { if (i % every === 0) out.push(p); });
  return out;
}

const configs = [
  { target: 'x86_64', optLevel: 0 },
  { target: 'x86_64', optLevel: 2 },
  { target: 'x86_64', optLevel: 2, bounds: 'explicit' },
  { target: 'aarch64', optLevel: 0 },
  { target: 'aarch64', optLevel: 2 },
  { target: 'aarch64', optLevel: 2, bounds: 'explicit' },
];
const key = (p, c) => `${p.replace(cache + '/', '')}|${c.target}|O${c.optLevel}|${c.bounds ?? 'guard'}`;

const files = mode === 'save' ? wasmFiles() : Object.keys(JSON.parse(readFileSync(file, 'utf8')).files);
const hashes = {};
let n = 0;
const t0 = performance.now();
for (const p of files) {
  if (!existsSync(p)) continue;
  const d = decodeModule(readFileSync(p));
  if (!d.ok) continue;
  const v = validateModule(d.value);
  if (!v.ok) continue;
  const fileHashes = {};
  for (const c of configs) {
    let h;
    try {
      h = createHash('sha256').update(compileModule(v.value, { ...c, target: c.target }).object).digest('hex').slice(0, 20);
    } catch (e) {
      h = `error: ${e instanceof Error ? e.message.slice(0, 120) : String(e)}`;
    }
    fileHashes[key(p, c)] = h;
    n++;
  }
  hashes[p] = fileHashes;
}
const ms = performance.now() - t0;
if (mode === 'save') {
  writeFileSync(file, JSON.stringify({ files: hashes }, null, 0));
  console.log(`saved ${n} objects from ${Object.keys(hashes).length} modules in ${(ms / 1000).toFixed(1)} s`);
} else {
  const before = JSON.parse(readFileSync(file, 'utf8')).files;
  let diffs = 0;
  for (const [p, fh] of Object.entries(before)) {
    for (const [k, h] of Object.entries(fh)) {
      const now = hashes[p]?.[k];
      if (now !== h) {
        if (diffs < 20) console.log(`DIFF ${k}: ${h} → ${now}`);
        diffs++;
      }
    }
  }
  console.log(`${n} objects compared in ${(ms / 1000).toFixed(1)} s: ${diffs} differ`);
  process.exit(diffs > 0 ? 1 : 0);
}
