import { expect, test } from './support/test';
import { kubectl } from './support/cluster';
import { makeServerPair } from './support/certificates';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';
const HOST = 'registry.apps.example.com';

test.afterEach(() => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Removed', routes: null, storage: { emptyDir: null, managementState: null } } })]);
  kubectl(['delete', 'secret', 'public-tls', '-n', 'openshift-image-registry', '--ignore-not-found']);
});

test('a custom route with its own TLS secret: checked, reviewed, served by the route, removed with the secret kept', async ({ page }) => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Managed', storage: { emptyDir: {} } } })]);
  const good = makeServerPair(HOST);
  const other = makeServerPair(HOST);
  await signInAsDemoUser(page, 'admin');
  await page.getByRole('link', { name: 'Routes' }).click();
  await expect(page).toHaveURL(/\/routes$/);
  await waitForHydration(page);

  const form = page.locator('.route-form');
  await form.locator('input[name="name"]').fill('public');
  await form.locator('input[name="hostname"]').fill(HOST);
  await form.getByLabel('Upload a certificate and its key').check();
  await form.locator('textarea[name="tlsCert"]').fill(good.cert);
  // A key that is not the certificate's is refused before anything is made.
  await form.locator('textarea[name="tlsKey"]').fill(other.key);
  await form.locator('input[name="secret"]').fill('public-tls');
  await page.locator('button.review-route').click();
  await expect(page.locator('.review .finding.error')).toContainText('does not belong to this certificate');
  await form.locator('textarea[name="tlsKey"]').fill(good.key);
  await page.locator('button.review-route').click();
  await expect(page.locator('.review pre.command').first()).toHaveText(
    'oc create secret tls public-tls --cert=tls.crt --key=tls.key -n openshift-image-registry');
  await expect(page.locator('.to-serve')).toContainText(HOST);
  await page.locator('.review button.apply-route').click();
  await expect(page.locator('.outcome')).toContainText('Applied');

  expect(kubectl(['get', 'secret', 'public-tls', '-n', 'openshift-image-registry', '-o', 'jsonpath={.type}'])).toBe('kubernetes.io/tls');
  // The operator makes the route with the certificate; the router admits it; the page shows it live.
  const row = page.locator('.route-row[data-route="public"]');
  await expect(row.locator('.admitted')).toHaveText('yes', { timeout: 20_000 });
  await expect(row.locator('.route-cert')).toContainText(HOST);
  expect(await page.content()).not.toContain(good.key.split('\n')[1]);

  await page.locator('.custom-route[data-route="public"] button.remove-route').click();
  await expect(page.locator('.remove-route-danger')).toContainText('public-tls stays');
  await page.locator('button.review-route').click();
  await page.getByRole('button', { name: 'Remove route public' }).click();
  await expect(page.locator('.outcome')).toContainText('Applied');
  await expect(page.locator('.custom-route[data-route="public"]')).toHaveCount(0);
  expect(kubectl(['get', 'secret', 'public-tls', '-n', 'openshift-image-registry', '-o', 'name'])).toContain('public-tls');
});
