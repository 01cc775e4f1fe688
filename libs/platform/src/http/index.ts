export * from './response-fields';
