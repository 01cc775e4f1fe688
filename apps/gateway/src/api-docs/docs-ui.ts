import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { DOCS_PATH } from '../edge/security-headers';
import { PUBLISHED_API_DOCS } from './api-docs.service';

/** The documents the Swagger UI lists, as the gateway serves them. */
export const DOCS_UI_DOCUMENTS = [...Object.keys(PUBLISHED_API_DOCS), 'gateway'].map((name) => ({ name, url: `/api-docs/${name}` }));

/**
 * One Swagger UI at /docs with a picker over every service's document (fetched from /api-docs/*
 * on this origin, so the page needs nothing from elsewhere; see the docs CSP).
 */
export function setupDocsUi(app: INestApplication, gatewayDocument: OpenAPIObject): void {
  SwaggerModule.setup(DOCS_PATH.slice(1), app, gatewayDocument, {
    explorer: true,
    // The documents are at /api-docs/{name}; no /docs-json copy.
    raw: false,
    customSiteTitle: 'Patient management API',
    swaggerOptions: {
      urls: DOCS_UI_DOCUMENTS,
      'urls.primaryName': 'patients',
      // The default validator badge loads an image from validator.swagger.io.
      validatorUrl: null,
    },
  });
}
