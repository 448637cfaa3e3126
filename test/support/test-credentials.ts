/** Credentials the test harness gives the server, so that factories can log in as the admin. */
export const TEST_ADMIN = { email: 'admin@mutua.test', password: 'admin-password-for-tests' };
export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
