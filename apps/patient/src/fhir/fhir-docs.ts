import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { FHIR_JSON } from '@pm/fhir';

const resource = (description: string) => ({ [FHIR_JSON]: { schema: { type: 'object' as const, description } } });
const OUTCOME = resource('An OperationOutcome: diagnostics, details.text the problem code, expression the element or parameter at fault');

/** OpenAPI of a FHIR route: what it answers, always application/fhir+json (errors are OperationOutcomes). */
export const FhirAnswers = {
  read: (type: string) =>
    applyDecorators(
      ApiProduces(FHIR_JSON),
      ApiOkResponse({ description: `The ${type}, with its version as ETag`, content: resource(`A FHIR R4 ${type}`) }),
      ApiBadRequestResponse({ description: 'The id is not a UUID', content: OUTCOME }),
      ApiNotFoundResponse({ description: `No ${type} has this id`, content: OUTCOME }),
    ),
  search: (type: string, description: string) =>
    applyDecorators(
      ApiProduces(FHIR_JSON),
      ApiOkResponse({ description, content: resource(`A searchset Bundle of ${type}`) }),
      ApiBadRequestResponse({ description: 'A search parameter is invalid or unknown; expression names it', content: OUTCOME }),
    ),
  create: (type: string) =>
    applyDecorators(
      ApiProduces(FHIR_JSON),
      ApiBody({ description: `A FHIR R4 ${type} (application/fhir+json)`, schema: { type: 'object' } }),
      ApiCreatedResponse({
        description: `The ${type} as recorded`,
        content: resource(`A FHIR R4 ${type}`),
        headers: {
          Location: { description: 'Where it is read', schema: { type: 'string' } },
          ETag: { description: 'Its version', schema: { type: 'string' } },
        },
      }),
      ApiBadRequestResponse({ description: 'An element is invalid; expression names it (e.g. Observation.valueQuantity.value)', content: OUTCOME }),
    ),
  outcome: OUTCOME,
};
