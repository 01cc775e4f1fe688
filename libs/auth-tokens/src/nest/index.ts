export * from './access-control.decorators';
export * from './access-token.guard';
export * from './auth-tokens.module';
export * from './revocation-list.check';
export * from './revocation-list.follower';
