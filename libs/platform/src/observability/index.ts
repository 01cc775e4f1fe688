export * from './metrics.module';
export * from './metrics.registry';
export * from './health.module';
export * from './dependency-check';
