// What every app needs, one folder per concern: start-up, configuration, logs, health and
// metrics, problem responses and errors, response fields, the database.
export * from './bootstrap';
export * from './config';
export * from './logging';
export * from './observability';
export * from './problem';
export * from './http';
export * from './database';
