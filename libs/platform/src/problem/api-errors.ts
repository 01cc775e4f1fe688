import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type SchemaObject } from '@nestjs/swagger';
import type { DomainErrorClass } from './domain-error';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** The problem+json schema of one status, its `code` listing the codes this operation can answer. */
export function problemSchema(listed: readonly DomainErrorClass[]): SchemaObject {
  // A subclass that declares no spec of its own answers its parent's code: listed once.
  const errors = listed.filter((error, index) => listed.findIndex((other) => other.spec.code === error.spec.code) === index);
  return {
    type: 'object',
    required: ['type', 'title', 'status', 'code'],
    properties: {
      type: { type: 'string', example: 'about:blank' },
      title: { type: 'string' },
      status: { type: 'integer', example: errors[0]?.spec.status },
      detail: { type: 'string' },
      code: {
        type: 'string',
        enum: errors.map((error) => error.spec.code),
        description: errors.map((error) => `${error.spec.code}: ${error.spec.description}`).join('\n'),
      },
      errors: { type: 'object', additionalProperties: { type: 'string' }, description: 'The fields at fault, each with its message' },
    },
  };
}

/**
 * Documents the feature errors an operation can answer: each status gets a problem+json schema
 * whose `code` lists them. Its description is left to the operation's own `@Api…Response` (merged
 * by @nestjs/swagger whatever the decorator order), so the words stay the operation's.
 */
export function ApiErrors(...errors: DomainErrorClass[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, DomainErrorClass[]>();
  for (const error of errors) byStatus.set(error.spec.status, [...(byStatus.get(error.spec.status) ?? []), error]);
  return applyDecorators(
    ...[...byStatus].map(([status, sameStatus]) =>
      ApiResponse({ status, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema(sameStatus) } } }),
    ),
  );
}
