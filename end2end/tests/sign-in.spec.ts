import { expect, test } from './support/test';
import { managementState, patchManagementState, resourceVersion, token } from './support/cluster';
import { shownManagementState, signInAsDemoUser, signInWithToken, waitForHydration } from './support/console';

test.beforeEach(() => {
  if (managementState() !== 'Removed') patchManagementState('Removed');
});

test('people who are not signed in are sent to the sign-in page', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('button', { name: 'Sign in as admin' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in as viewer' })).toBeVisible();
  await expect(page.getByLabel('Bearer token')).toBeVisible();
});

test('the admin signs in with one click and sees the seeded Removed state with its guidance', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await expect(shownManagementState(page)).toHaveText('Removed');
  const guidance = page.locator('.guidance').first();
  await expect(guidance).toContainText('removed at install');
  await expect(guidance).toContainText('bare metal and vSphere');
  await expect(guidance.getByRole('link', { name: 'Configure storage' })).toHaveAttribute('href', '/config?first-run=1');
  await expect(page.locator('.conditions').first()).toContainText('Removed');
  await expect(page.getByRole('button', { name: 'Change management state…' })).toBeVisible();
});

test('the viewer sees no edit controls, and a forged write is refused by the server', async ({ page }) => {
  await signInAsDemoUser(page, 'viewer');
  await expect(shownManagementState(page)).toHaveText('Removed');
  await expect(page.locator('.badge')).toHaveText('view only');
  await expect(page.getByRole('button', { name: /Change management state/ })).toHaveCount(0);

  // The same call the admin's page makes, sent by hand from the viewer's page (with the
  // page's own anti-forgery token): the console passes it on and the cluster refuses.
  const answer = await page.evaluate(async (version) => {
    const token = document.querySelector('meta[name="anti-forgery"]')?.getAttribute('content') ?? '';
    const response = await fetch('/api/set_management_state', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Anti-Forgery': token },
      body: JSON.stringify({ state: 'Managed', resource_version: version }),
    });
    return { status: response.status, body: await response.text() };
  }, resourceVersion());
  expect(answer.status).toBe(403);
  expect(answer.body).toContain('Forbidden');
  // The error travels as a code with its arguments (the page words it); the cluster's
  // own message is one of them.
  expect(answer.body).toContain('cannot patch resource');
  expect(managementState()).toBe('Removed');
});

test('a wrong token is refused with a clear message', async ({ page }) => {
  await signInWithToken(page, 'sha256~this-is-not-a-token');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The cluster did not accept this token');
  await expect(alert).toContainText('oc whoami -t');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('a pasted token signs in, and signing out ends the session', async ({ page }) => {
  await signInWithToken(page, token('viewer'));
  await expect(page).toHaveURL(/\/$/);
  await expect(shownManagementState(page)).toHaveText('Removed');
  // The cluster names the token's user (SelfSubjectReview).
  await expect(page.getByText(/Signed in as/)).toContainText('viewer');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('no script in the page can read the session', async ({ page, context }) => {
  await signInAsDemoUser(page, 'admin');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'registry_console_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  expect(await page.evaluate(() => document.cookie)).not.toContain('registry_console_session');
  expect(await page.content()).not.toContain(token('admin'));
});

test('a page on another port of the same host cannot change anything for a signed-in admin', async ({ page, baseURL }) => {
  await signInAsDemoUser(page, 'admin');
  // The attack as measured: another origin of the same site (so SameSite=Strict cookies go
  // along) posts a plain form, and tries a no-cors fetch with a text/plain JSON body.
  const attacker = 'http://127.0.0.1:9999';
  await page.route(`${attacker}/**`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!DOCTYPE html><title>attacker</title>
        <form id="f" method="post" action="${baseURL}/api/set_management_state">
          <input name="state" value="Managed"><input name="resource_version" value="${resourceVersion()}">
        </form>
        <script>
          fetch('${baseURL}/api/set_management_state', { method: 'POST', mode: 'no-cors', credentials: 'include',
            headers: { 'Content-Type': 'text/plain' },
            body: JSON.stringify({ state: 'Managed', resource_version: '${resourceVersion()}' }) })
            .finally(() => document.getElementById('f').submit());
        </script>`,
    }),
  );
  const refusal = page.waitForResponse((r) => r.url().endsWith('/api/set_management_state') && r.request().resourceType() === 'document');
  await page.goto(`${attacker}/attack.html`);
  const answer = await refusal;
  expect(answer.status()).toBe(403);
  expect(answer.headers()['content-type']).toContain('text/html');
  expect(await answer.text()).toContain('not from the console');
  expect(managementState()).toBe('Removed');
  // The admin's own session is untouched and still works.
  await page.goto('/');
  await expect(page.locator('.user-name')).toHaveText('admin');
});
