export * from './load-config';
export * from './schemas';
export * from './app-config.module';
export * from './describe-config';
