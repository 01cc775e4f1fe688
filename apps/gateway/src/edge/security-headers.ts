import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/** JSON answers load nothing and may not be framed. */
const API_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/**
 * Swagger UI loads its own scripts, styles and images from this origin, uses inline styles and
 * data: images, and fetches the API documents from here. Nothing from elsewhere.
 */
const DOCS_CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
};

const COMMON: HelmetOptions = {
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // helmet's defaults otherwise: HSTS, nosniff, same-origin CORP/COOP, no DNS prefetch...
};

/** The path of the Swagger UI page and its assets. */
export const DOCS_PATH = '/docs';

export function isDocsPath(path: string): boolean {
  return path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`);
}

/** helmet on every response: a locked-down policy for the API, a looser one for the docs page. */
export function securityHeaders(): RequestHandler {
  const api = helmet({ ...COMMON, contentSecurityPolicy: API_CONTENT_SECURITY_POLICY });
  const docs = helmet({ ...COMMON, contentSecurityPolicy: DOCS_CONTENT_SECURITY_POLICY });
  return (req: Request, res: Response, next: NextFunction) => (isDocsPath(req.path) ? docs : api)(req, res, next);
}
