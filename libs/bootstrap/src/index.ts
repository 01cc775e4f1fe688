export * from './bootstrap-service';
export * from './core.module';
export * from './json-bodies';
export * from './trusted-proxies';
export * from './ids';
export * from './clock';
export * from './forwarded-prefix';
