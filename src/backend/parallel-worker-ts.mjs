// Compile-worker bootstrap for running kiln from its TypeScript sources (vitest): teach
// this worker's module loader TypeScript (parallel-ts-hooks.mjs), then load the worker.
// From dist/ the compiled parallel-worker.js is started directly and this file is unused.
import { register } from 'node:module';
import { workerData } from 'node:worker_threads';

register('./parallel-ts-hooks.mjs', import.meta.url);
await import(workerData.entry);
