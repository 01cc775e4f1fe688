export * from './fhir-surface';
export * from './operation-outcome';
export * from './capability-statement';
export * from './bundle';
export * from './fhir-links';
