/**
 * A compile worker (parallel.ts): decodes the module from its bytes, builds the same
 * CompileUnit as the main thread, then claims chunks from the shared counter until none
 * are left, posting each chunk's code as it finishes. Validation already passed in the
 * main thread; bodies are validated again only as part of translating them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeModule } from '../frontend/decode.js';
import { emptyTimes, unitFromWasm } from './compile.js';
import { compileChunk, packChunk, type WorkerInput } from './parallel.js';

const { input } = workerData as { input: WorkerInput };
const decoded = decodeModule(input.bytes);
if (!decoded.ok) throw new Error(`compile worker: the module no longer decodes: ${decoded.error.message}`);
const unit = unitFromWasm({ module: decoded.value, declaredRefs: input.declaredRefs }, input.opts);
const claims = new Int32Array(input.counter);
for (let k = Atomics.add(claims, 0, 1); k < input.chunks.length; k = Atomics.add(claims, 0, 1)) {
  const chunk = input.order[k]!;
  const times = emptyTimes();
  const r = compileChunk(unit, input.chunks[chunk]!, times);
  const msg = packChunk(chunk, r.compiled, times, r.error);
  parentPort!.postMessage(msg, [msg.code]);
}
