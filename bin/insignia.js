#!/usr/bin/env node
// The `insignia` command. Runs the compiled CLI (built by `npm run build`, which `npm start` and
// `npm test` run first).
import('../dist/cli/main.js').catch((err) => {
  console.error(err && err.code === 'ERR_MODULE_NOT_FOUND'
    ? 'insignia: dist/ is missing; run `npm run build` first'
    : err);
  process.exit(1);
});
