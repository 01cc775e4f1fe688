export * from './logging.module';
export * from './request-id';
export * from './safe-error-summary';
