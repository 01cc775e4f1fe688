import type { Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { Test } from '@nestjs/testing';
import { DECORATORS, type OpenAPIObject } from '@nestjs/swagger';
import { ACCESS_POLICY_KEY, type PolicyService, type RouteKey, documentedRoutes, policyCoverage } from '@pm/auth-tokens';
import { buildOpenApiDocument } from '@pm/platform';
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
        // require, not import(): Jest loads the controller's TypeScript synchronously, in this walk.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
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
export async function openApiDocumentOf(sourceRoot: string, controllers = controllersIn(sourceRoot)): Promise<OpenAPIObject> {
  const moduleRef = await Test.createTestingModule({ controllers })
    .useMocker(() => ({}))
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    return buildOpenApiDocument(app, { title: path.basename(path.dirname(sourceRoot)), description: '' });
  } finally {
    await app.close();
  }
}

/** A route of an app's OpenAPI document, and the access-policy key its handler's @Access names. */
export interface RouteAndPolicy {
  route: RouteKey;
  /** `PatientsController.get` */
  handler: string;
  /** Undefined when the handler has no @Access (a bare @Roles or @Public does not count). */
  policyKey?: string;
}

/**
 * Each handler of the controllers by its operation id: the one @ApiOperation pins, or Swagger's
 * default `Controller_method` (a controller split in two may keep its old operation ids).
 */
function handlersByOperationId(controllers: Type[]): Map<string, { name: string; handler: object }> {
  const byId = new Map<string, { name: string; handler: object }>();
  for (const controller of controllers) {
    for (const methodName of Object.getOwnPropertyNames(controller.prototype)) {
      const handler: unknown = controller.prototype[methodName];
      if (methodName === 'constructor' || typeof handler !== 'function') continue;
      const pinned: { operationId?: string } | undefined = Reflect.getMetadata(DECORATORS.API_OPERATION, handler);
      byId.set(pinned?.operationId ?? `${controller.name}_${methodName}`, { name: `${controller.name}.${methodName}`, handler });
    }
  }
  return byId;
}

/**
 * Every route of an app's OpenAPI document (operational endpoints left out) with the key of its
 * handler's @Access, found through the operation id.
 */
export async function routesAndPolicies(sourceRoot: string): Promise<RouteAndPolicy[]> {
  const controllers = controllersIn(sourceRoot);
  const document = await openApiDocumentOf(sourceRoot, controllers);
  const routes = new Set(documentedRoutes(document.paths));
  const handlers = handlersByOperationId(controllers);
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { operationId?: string }>).flatMap(([method, operation]): RouteAndPolicy[] => {
      const route = `${method.toUpperCase()} ${path}` as RouteKey;
      if (!routes.has(route) || !operation.operationId) return [];
      const found = handlers.get(operation.operationId);
      const policyKey = found ? Reflect.getMetadata(ACCESS_POLICY_KEY, found.handler) : undefined;
      return [{ route, handler: found?.name ?? operation.operationId, policyKey }];
    }),
  );
}

/**
 * The access-policy checks of one app, as a describe block for its `access-policy.spec.ts`: every
 * route of its OpenAPI document has a policy, the policy names no route of the service the document
 * lacks, and each handler's @Access names the handler's own route.
 */
export function describeAccessPolicyOf(service: PolicyService, sourceRoot: string): void {
  describe(`the ${service} service's routes and the access policy`, () => {
    let routes: RouteAndPolicy[];

    beforeAll(async () => {
      routes = await routesAndPolicies(sourceRoot);
    });

    it('gives every documented route a policy, and the policy names no route the document lacks', () => {
      expect(routes.length).toBeGreaterThan(0);
      expect(policyCoverage(service, routes.map((route) => route.route))).toEqual({ withoutPolicy: [], undocumented: [] });
    });

    it("has each handler's @Access name the handler's own route", () => {
      expect(routes.filter((route) => route.policyKey !== route.route)).toEqual([]);
    });
  });
}
