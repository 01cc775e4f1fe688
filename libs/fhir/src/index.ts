export * from './fhir-surface';
export * from './operation-outcome';
export * from './bundle';
