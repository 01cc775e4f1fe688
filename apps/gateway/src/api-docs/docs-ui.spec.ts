import { DOCS_UI_DOCUMENTS } from './docs-ui';

describe('the Swagger UI document list', () => {
  it("lists every service's document and the gateway's, from this origin", () => {
    expect(DOCS_UI_DOCUMENTS).toEqual([
      { name: 'auth', url: '/api-docs/auth' },
      { name: 'patients', url: '/api-docs/patients' },
      { name: 'billing', url: '/api-docs/billing' },
      { name: 'analytics', url: '/api-docs/analytics' },
      { name: 'appointments', url: '/api-docs/appointments' },
      { name: 'gateway', url: '/api-docs/gateway' },
    ]);
  });
});
