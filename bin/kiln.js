#!/usr/bin/env -S node --max-semi-space-size=64
// Entry point installed as `kiln`: runs the compiled CLI from dist/ (built by `npm run build`).
//
// A compiler allocates many short-lived objects (IR, machine instructions, live
// intervals): a young generation of up to 64 MB per semi-space (V8's default is 16) means
// far fewer scavenges — measured on vm.wasm, a warm -O2 compile 123-126 -> 87-98 ms
// median. The space only grows when used, so start-up and small compiles do not pay for
// it. `node bin/kiln.js` runs without it.

// `kiln run --engine interp` uses node:wasi, which warns on every start that it is
// experimental; that line would mix into the guest program's stderr.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  if (String(warning).startsWith('WASI is an experimental feature')) return;
  emitWarning(warning, ...rest);
};

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
