import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain ES module script without type declarations
import { lockClosure, requiredPackages } from './app-dependencies.mjs';

describe('the image keeps only the packages its app reaches', () => {
  it('follows relative requires from main.js and keeps bare packages, not builtins', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'app-deps-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    };
    write('dist/apps/demo/src/main.js', 'require("./app.module"); require("node:fs"); require("@nestjs/core");');
    write('dist/apps/demo/src/app.module.js', 'require("../../../libs/kafka/src"); require("path");');
    write('dist/libs/kafka/src/index.js', 'require("kafkajs"); require("@scope/pkg/sub/path");');
    write('dist/libs/unused/src/index.js', 'require("argon2");');

    const packages: Set<string> = requiredPackages(root, 'demo');
    expect([...packages]).toEqual(expect.arrayContaining(['@nestjs/core', 'kafkajs', '@scope/pkg', 'pg', 'reflect-metadata']));
    expect(packages.has('argon2')).toBe(false);
    expect(packages.has('node:fs')).toBe(false);
    expect(packages.has('path')).toBe(false);
  });

  it("takes dependencies and required peers as npm resolved them, nested copies first", () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/a': { dependencies: { b: '^1' }, peerDependencies: { p: '*', q: '*' }, peerDependenciesMeta: { q: { optional: true } } },
        'node_modules/a/node_modules/b': { dependencies: { c: '^1' } },
        'node_modules/b': { version: '2.0.0' },
        'node_modules/c': {},
        'node_modules/p': {},
        'node_modules/q': {},
        'node_modules/unused': {},
      },
    };
    const closure: Set<string> = lockClosure(lock, new Set(['a']));
    expect([...closure].sort()).toEqual(['node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/c', 'node_modules/p']);
  });
});
