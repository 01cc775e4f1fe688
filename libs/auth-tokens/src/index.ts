export * from './roles';
export * from './access-token.errors';
export * from './access-token-policy';
export * from './access-token-keys';
export * from './access-token.strategy';
export * from './access-token-verifier';
export * from './token-revocation-list';
export * from './nest';
