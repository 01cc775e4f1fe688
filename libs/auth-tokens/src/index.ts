export * from './roles';
export * from './access-token-verifier';
export * from './token-revocation-list';
export * from './nest';
