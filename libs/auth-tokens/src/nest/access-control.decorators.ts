import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { AccessTokenClaims } from '../access-token-verifier';
import type { Role } from '../roles';

export const PUBLIC_ROUTE = 'access-control:public';
export const ALLOWED_ROLES = 'access-control:roles';

/** The route needs no access token (login, JWKS). Every other route does. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only these roles may call the route (on a controller: every route of it, unless overridden). */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** The verified claims of the caller's access token. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AccessTokenClaims => {
  return context.switchToHttp().getRequest<{ user: AccessTokenClaims }>().user;
});
