// Compiles TypeScript to dist/ with SWC (decorator metadata, path aliases rewritten to relative
// requires). `node build.mjs` builds every app; `node build.mjs patient` builds one app and the libs.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const app = process.argv[2];
const sources = app ? [`apps/${app}/src`, 'libs'] : ['apps', 'libs'];
const started = Date.now();

if (!app) rmSync(join(root, 'dist'), { recursive: true, force: true });
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'swc'),
  [...sources, '-d', 'dist', '--config-file', '.swcrc', '--ignore', '**/*.spec.ts,**/*.int-spec.ts,**/*.e2e-spec.ts,**/project.json', '--copy-files', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
console.log(`Built ${app ?? 'all apps'} in ${Date.now() - started} ms`);
