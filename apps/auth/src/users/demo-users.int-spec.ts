import { AuthTestApp, startAuthTestApp } from '../testing/auth-test-app';
import { DEMO_USERS } from './demo-users.seeder';
import { PasswordPolicy } from './password-policy';

describe('demo accounts and the password policy', () => {
  let auth: AuthTestApp;

  afterEach(async () => {
    await auth?.close();
  });

  it('keep password123 (the contract), which the policy would refuse: they are seeded directly, with DEMO_SEED on', async () => {
    auth = await startAuthTestApp('auth_int_demo_on', { DEMO_SEED: 'true' });
    for (const user of DEMO_USERS) {
      expect(user.password).toBe('password123');
      expect(auth.app.get(PasswordPolicy).problem(user.password, user.email)).toBeDefined();
      expect((await auth.login(user.email, 'password123')).status).toBe(200);
    }
  });

  it('do not exist with DEMO_SEED off', async () => {
    auth = await startAuthTestApp('auth_int_demo_off', { DEMO_SEED: 'false' });
    expect(await auth.dataSource.query('SELECT count(*)::int AS users FROM users')).toEqual([{ users: 0 }]);
    expect((await auth.login('testuser@test.com', 'password123')).status).toBe(401);
  });
});
