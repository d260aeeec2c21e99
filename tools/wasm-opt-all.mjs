// `wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int` over
// many modules in one Node process; each file is replaced in place.
//
//   node tools/wasm-opt-all.mjs BINARYEN_INDEX_JS FILE...
//
// binaryen from npm is binaryen.js: its `wasm-opt` command decodes and compiles a 10 MB
// WebAssembly build of binaryen at every start, about 1.5 s, and the site has some 140
// chunks of a few hundred bytes to a few KiB: one command each spent about four minutes of
// a cold start starting up. Here binaryen starts once. Its API's `optimize()` runs the
// same default passes at the same levels, yet leaves about 0.2 % more code than the
// command; tools/build-site.sh sends the large modules to the command for that reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [binaryenPath, ...files] = process.argv.slice(2);
const { default: binaryen } = await import(pathToFileURL(binaryenPath).href);
const { BulkMemory, NontrappingFPToInt } = binaryen.Features;

// -Oz
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
for (const file of files) {
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(module.getFeatures() | BulkMemory | NontrappingFPToInt);
  // --converge, as wasm-opt runs it: the passes again while the binary shrinks, and the
  // module as the last round left it.
  module.optimize();
  let size = module.emitBinary().length;
  for (;;) {
    module.optimize();
    const now = module.emitBinary().length;
    if (now >= size) break;
    size = now;
  }
  if (!module.validate()) throw new Error(`${file}: not valid after optimizing`);
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
