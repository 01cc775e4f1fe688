export * from './problem';
export * from './problem-details.filter';
export * from './validation';
export * from './safe-text';
export * from './domain-error';
export * from './api-errors';
