// The tests' transform: @swc/jest with the project's .swcrc, except that SWC's helpers (the
// decorator and metadata functions) are imported from @swc/helpers rather than written into every
// file. Coverage then counts the branches of our code, not ~20 copies of a compiler helper per
// decorated file. The build (build.mjs) keeps inlining them, so images need no extra package.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { createTransformer } = require('@swc/jest');

const options = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '.swcrc'), 'utf8'));
delete options.$schema;
options.jsc = { ...options.jsc, externalHelpers: true };

module.exports = createTransformer(options);
