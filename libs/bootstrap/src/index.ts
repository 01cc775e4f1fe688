export * from './bootstrap-service';
export * from './core.module';
