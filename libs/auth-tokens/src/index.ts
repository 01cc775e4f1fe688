export * from './roles';
export * from './access-token-verifier';
