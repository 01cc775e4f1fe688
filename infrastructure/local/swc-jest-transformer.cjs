// The tests' transform: @swc/jest with the project's .swcrc, with two changes so that coverage
// counts the branches of our code, not the compiler's:
// - SWC's helpers (the decorator and metadata functions) are imported from @swc/helpers rather
//   than written into every file (~20 copies of a compiler helper per decorated file). The build
//   (build.mjs) keeps inlining them, so images need no extra package.
// - The decorator metadata SWC writes for each injected or decorated type,
//   `typeof X === "undefined" ? Object : X`, is marked `istanbul ignore next`: one side of it can
//   never be taken (the class exists, or the type is erased), and no test could take it.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { createTransformer } = require('@swc/jest');

const options = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '.swcrc'), 'utf8'));
delete options.$schema;
options.jsc = { ...options.jsc, externalHelpers: true };

const swc = createTransformer(options);
const METADATA_FALLBACK = /typeof ([\w$.]+) === "undefined" \? Object : \1\b/g;

/** SWC's output with its metadata fallbacks marked for Istanbul (same lines, so the source map still holds). */
function withIgnoredMetadataFallbacks(output) {
  const mark = (code) => code.replace(METADATA_FALLBACK, (fallback) => `/* istanbul ignore next */ ${fallback}`);
  return typeof output === 'string' ? mark(output) : { ...output, code: mark(output.code) };
}

module.exports = {
  ...swc,
  // A key of its own, so Jest's cache never serves what SWC alone made.
  getCacheKey: (...args) => `${swc.getCacheKey(...args)}:metadata-fallbacks-ignored`,
  process: (...args) => withIgnoredMetadataFallbacks(swc.process(...args)),
  processAsync: swc.processAsync && (async (...args) => withIgnoredMetadataFallbacks(await swc.processAsync(...args))),
};
