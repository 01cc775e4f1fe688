import { ExecutionContext, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ApiForbiddenResponse, ApiOperation, ApiUnauthorizedResponse, DECORATORS } from '@nestjs/swagger';
import { accessRule, type RouteKey } from '../access-policy';
import type { AccessTokenClaims } from '../access-token-policy';
import type { Role } from '../roles';

export const PUBLIC_ROUTE = 'access-control:public';
export const ALLOWED_ROLES = 'access-control:roles';
export const ACCESS_POLICY_KEY = 'access-control:policy-key';

/** The route needs no access token. Every other route does. (Services say it through @Access.) */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Only these roles may call the route (on a controller: every route of it, unless a route has
 * its own); services say it through @Access, which takes the roles from ACCESS_POLICY. Enforced
 * by AccessTokenGuard and documented in OpenAPI from the same list: the 401 and 403 responses,
 * and "Roles: ..." at the end of the operation's description. On a route, put it above
 * @ApiOperation, so that the description is already there to extend. (The controller carries
 * @ApiBearerAuth() once; adding it per route would list the scheme twice.)
 */
export function Roles(...roles: Role[]): ClassDecorator & MethodDecorator {
  const forbidden = `The caller's role is not ${roles.join(' or ')}`;
  const decorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorate of [
      SetMetadata(ALLOWED_ROLES, roles),
      ApiUnauthorizedResponse({ description: 'No access token, or one that is invalid, expired or revoked' }),
      ApiForbiddenResponse({ description: forbidden }),
    ]) {
      (decorate as (t: object, k?: string | symbol, d?: PropertyDescriptor) => void)(target, key, descriptor);
    }
    if (descriptor) {
      describeRoles(target, key!, descriptor, roles);
      return descriptor;
    }
    // On a controller: routes that name no roles of their own get the controller's.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const route = Object.getOwnPropertyDescriptor(prototype, name);
      if (typeof route?.value !== 'function' || !Reflect.hasMetadata(METHOD_METADATA, route.value)) continue;
      if (Reflect.hasMetadata(ALLOWED_ROLES, route.value)) continue;
      describeRoles(prototype, name, route, roles);
    }
    return undefined;
  };
  return decorator as ClassDecorator & MethodDecorator;
}

/**
 * The route's access as ACCESS_POLICY says, by the route's own method and path template:
 * `@Access('GET /patients/{id}')` beside `@Get(':id')`. A public route needs no token; any other
 * gets @Roles with the policy's roles (so its OpenAPI description and 401/403 answers too). Put it
 * above @ApiOperation, like @Roles. Each app's access-policy spec checks the key is the route's own.
 */
export function Access(key: RouteKey): MethodDecorator {
  const rule = accessRule(key);
  return applyDecorators(SetMetadata(ACCESS_POLICY_KEY, key), rule.access === 'public' ? Public() : Roles(...rule.roles));
}

/** Appends "Roles: ..." to the route's OpenAPI description. */
function describeRoles(target: object, key: string | symbol, route: PropertyDescriptor, roles: Role[]): void {
  const operation = (Reflect.getMetadata(DECORATORS.API_OPERATION, route.value) ?? {}) as { description?: string };
  const note = `Roles: ${roles.join(', ')}.`;
  const description = operation.description ? `${operation.description}\n\n${note}` : note;
  ApiOperation({ ...operation, description })(target, key, route);
}

/** The verified claims of the caller's access token. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AccessTokenClaims => {
  return context.switchToHttp().getRequest<{ user: AccessTokenClaims }>().user;
});
