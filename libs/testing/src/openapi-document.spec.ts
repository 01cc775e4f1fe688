import { policyCoverage } from '@pm/auth-tokens';
import path from 'node:path';
import { controllersIn, routesAndPolicies } from './openapi-document';

const drifted = path.join(__dirname, 'fixtures', 'policy-drift');

describe('routesAndPolicies', () => {
  it('finds the controllers of a folder by reading its files', () => {
    expect(controllersIn(drifted).map((controller) => controller.name)).toEqual(['DriftedController']);
  });

  it("pairs each documented route with its handler's @Access key, so drift shows", async () => {
    const routes = await routesAndPolicies(drifted);
    expect(routes).toEqual([
      { route: 'GET /patients/{id}', handler: 'DriftedController.read', policyKey: 'GET /patients' },
      { route: 'DELETE /patients/{id}', handler: 'DriftedController.remove', policyKey: undefined },
      { route: 'GET /wards', handler: 'DriftedController.wards', policyKey: undefined },
    ]);
    const coverage = policyCoverage('patient', routes.map((route) => route.route));
    expect(coverage.withoutPolicy).toEqual(['GET /wards']);
    expect(coverage.undocumented).toEqual(expect.arrayContaining(['GET /patients', 'POST /patients/{id}/restore']));
  });
});
