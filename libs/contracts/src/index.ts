export * from './proto-files';
export * from './patient-event';
export * from './billing-account-event';
export * from './billing-service';
export * from './topics';
export * from './appointment-event';
export * from './billing-event';
export * from './audit-denial-event';
