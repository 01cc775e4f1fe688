export * from './redis-connection';
export * from './redis.check';
export * from './redis.module';
