// `wasm-opt -O1 --enable-bulk-memory --enable-nontrapping-float-to-int` over every module
// of the site in one Node process; each file is replaced in place. The main module (the
// file named MAIN_MODULE_NAME) also gets `--zero-filled-memory --low-memory-unused`.
//
//   node tools/wasm-opt-all.mjs BINARYEN_INDEX_JS MAIN_MODULE_NAME FILE...
//
// Why -O1 and not -Oz: what a browser receives is the brotli of each module, and -O1's
// output compresses better. Measured on session 20's site (README, "Speed and size"): the
// overview's main module 216,191 bytes brotli against 226,170 with `-Oz --converge` (raw
// 948 against 836 KB), all modules 984,383 bytes against 1,029,806, and this whole step
// 13 s of one core against 161 s of CPU. LLVM has already optimised the code for size
// (`opt-level = "z"`, fat LTO); what is left here is mostly clean-up after the split.
//
// Why one process: binaryen from npm is binaryen.js, whose `wasm-opt` command decodes and
// compiles a 10 MB WebAssembly build of binaryen at every start, about 1.5 s, and the site
// has some 160 modules. The API's `optimize()` at these levels writes the same bytes as
// the command.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const [binaryenPath, mainName, ...files] = process.argv.slice(2);
if (!binaryenPath || !mainName || files.length === 0) {
  console.error('usage: node tools/wasm-opt-all.mjs BINARYEN_INDEX_JS MAIN_MODULE_NAME FILE...');
  process.exit(2);
}
const { default: binaryen } = await import(pathToFileURL(binaryenPath).href);
const { BulkMemory, NontrappingFPToInt } = binaryen.Features;

// -O1
binaryen.setOptimizeLevel(1);
binaryen.setShrinkLevel(0);
for (const file of files) {
  // The main module owns its memory, fresh and zeroed, and nothing lives in its first KiB
  // (Rust's stack sits below 1 MiB and grows down toward it); the chunks import that
  // memory, so only the main module may assume either.
  const main = basename(file) === mainName;
  binaryen.setZeroFilledMemory(main);
  binaryen.setLowMemoryUnused(main);
  const module = binaryen.readBinary(readFileSync(file));
  module.setFeatures(module.getFeatures() | BulkMemory | NontrappingFPToInt);
  module.optimize();
  if (!module.validate()) throw new Error(`${file}: not valid after optimizing`);
  writeFileSync(file, module.emitBinary());
  module.dispose();
}
