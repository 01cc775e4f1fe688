export * from './bootstrap-service';
export * from './core.module';
export * from './trusted-proxies';
