// Which installed packages one app needs at run time, so its image carries only those: the
// packages its compiled code requires (followed through relative requires from main.js), the few
// Nest loads by name, and everything they depend on as locked in package-lock.json.
//
//   node infrastructure/docker/app-dependencies.mjs <app> [--prune]
// lists the app's packages, or with --prune deletes every other package from ./node_modules.
import { builtinModules } from 'node:module';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

// Loaded by name at run time, not by a require the tracer can see.
const LOADED_BY_NAME = ['@nestjs/platform-express', 'reflect-metadata', 'class-validator', 'class-transformer', 'rxjs', 'pg'];
const REQUIRE = /require\("([^"]+)"\)/g;

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function resolveRelative(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.js`, path.join(base, 'index.js')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/** Bare package names reached from dist/apps/<app>/src/main.js. */
export function requiredPackages(root, app) {
  const entry = path.join(root, 'dist', 'apps', app, 'src', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build the app first`);
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const packages = new Set(LOADED_BY_NAME);
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(REQUIRE)) {
      if (specifier.startsWith('.')) {
        const target = resolveRelative(file, specifier);
        if (target?.endsWith('.js')) queue.push(target);
      } else if (!builtins.has(specifier) && !specifier.startsWith('node:')) {
        packages.add(packageName(specifier));
      }
    }
  }
  return packages;
}

/** The lock-file paths (node_modules/...) of the packages and all they depend on. */
export function lockClosure(lock, roots) {
  const entries = lock.packages;
  const resolve = (from, dependency) => {
    // npm's resolution: the nearest node_modules going up from the dependent package.
    let dir = from;
    for (;;) {
      const candidate = `${dir ? `${dir}/` : ''}node_modules/${dependency}`;
      if (entries[candidate]) return candidate;
      if (!dir) return undefined;
      const cut = dir.lastIndexOf('/node_modules/');
      dir = cut === -1 ? '' : dir.slice(0, cut);
    }
  };
  const closure = new Set();
  const queue = [...roots].map((name) => resolve('', name)).filter(Boolean);
  while (queue.length > 0) {
    const at = queue.pop();
    if (closure.has(at)) continue;
    closure.add(at);
    const entry = entries[at];
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const needed = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((peer) => !optionalPeers[peer]?.optional),
    ];
    for (const dependency of needed) {
      const found = resolve(at, dependency);
      if (found) queue.push(found);
    }
  }
  return closure;
}

/** Deletes installed packages outside the closure (nested copies go with their parent). */
export function prune(root, keep) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  let removed = 0;
  for (const at of Object.keys(lock.packages)) {
    if (!at.startsWith('node_modules/') || keep.has(at)) continue;
    const full = path.join(root, at);
    if (!existsSync(full)) continue;
    rmSync(full, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [app, flag] = process.argv.slice(2);
  const root = process.cwd();
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const keep = lockClosure(lock, requiredPackages(root, app));
  if (flag === '--prune') {
    const removed = prune(root, keep);
    console.log(`${app}: kept ${keep.size} packages, removed ${removed}`);
  } else {
    console.log([...keep].sort().join('\n'));
  }
}
