// Preload (`NODE_OPTIONS=--import=…`) that appends every module a process loads to $DNR_TRACK_MODULES, one per
// line: ESM imports through a resolve hook (which runs in a loader thread, so it writes the file itself) and
// CommonJS requires through Module._load. The start-up test reads it to prove --help never loads DuckDB & co.
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';

const file = process.env.DNR_TRACK_MODULES;
if (file) {
  register('./module-tracker-hooks.mjs', import.meta.url, { data: { file } });
  const load = Module._load;
  Module._load = function (request, ...rest) {
    appendFileSync(file, `require ${request}\n`);
    return load.call(this, request, ...rest);
  };
}
