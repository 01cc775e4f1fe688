export * from './database.module';
export * from './database.check';
export * from './data-source-options';
export * from './migrate';
export * from './sql-migration';
export * from './parameter-free-query-logger';
export * from './transactions';
