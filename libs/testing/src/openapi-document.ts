import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Test } from '@nestjs/testing';
import type { OpenAPIObject } from '@nestjs/swagger';
import { buildOpenApiDocument } from '@pm/bootstrap';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SPEC = /\.(int-|e2e-)?spec\.ts$/;

/**
 * Every @Controller class in a source folder and below it (specs left out). Found by reading the
 * files rather than from a module list, so a controller added anywhere in an app is never missed.
 */
export function controllersIn(sourceRoot: string): Type[] {
  const controllers: Type[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts') && !SPEC.test(entry.name) && readFileSync(file, 'utf8').includes('@Controller(')) {
        const exported: Record<string, unknown> = require(file);
        for (const value of Object.values(exported)) {
          if (typeof value === 'function' && Reflect.hasMetadata(PATH_METADATA, value)) controllers.push(value as Type);
        }
      }
    }
  };
  visit(sourceRoot);
  return controllers;
}

/**
 * The OpenAPI document of an app's routes, built from its controllers alone (their dependencies
 * are empty stand-ins: a document reads decorators, never calls a handler), as main.ts builds it.
 */
export async function openApiDocumentOf(sourceRoot: string): Promise<OpenAPIObject> {
  const moduleRef = await Test.createTestingModule({ controllers: controllersIn(sourceRoot) })
    .useMocker(() => ({}))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    return buildOpenApiDocument(app, { title: path.basename(path.dirname(sourceRoot)), description: '' });
  } finally {
    await app.close();
  }
}
