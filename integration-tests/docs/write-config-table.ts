import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configurationTable } from './config-reference';

/** `npm run docs:config`: rewrites the README's configuration table from the app schemas. */
const readmePath = path.resolve(__dirname, '..', '..', '..', 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const updated = readme.replace(
  /<!-- config:start -->[\s\S]*<!-- config:end -->/,
  `<!-- config:start -->\n${configurationTable()}\n<!-- config:end -->`,
);
writeFileSync(readmePath, updated);
process.stdout.write(updated === readme ? 'README configuration table already up to date\n' : 'README configuration table rewritten\n');
