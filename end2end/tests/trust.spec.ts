import { expect, test } from './support/test';
import { kubectl } from './support/cluster';
import { makeCa } from './support/certificates';
import { signInAsDemoUser, waitForHydration } from './support/console';

const IMAGE = 'image.config.openshift.io/cluster';

test.afterEach(() => {
  kubectl(['delete', 'configmap', 'registry-config', '-n', 'openshift-config', '--ignore-not-found']);
  kubectl(['patch', IMAGE, '--type', 'merge', '-p', JSON.stringify({ spec: { additionalTrustedCA: null, registrySources: null } })]);
});

test('adding a CA: a key is refused unsent, the review shows the certificate and the oc commands, the registry gets it, and removing it names what breaks', async ({ page }) => {
  const ca = makeCa('Example Registry CA');
  await signInAsDemoUser(page, 'admin');
  await page.getByRole('link', { name: 'Trusted CAs' }).click();
  await expect(page).toHaveURL(/\/trust$/);
  await waitForHydration(page);
  await expect(page.locator('.source-none')).toContainText('only the system');

  const form = page.locator('.ca-form');
  await form.locator('input[name="registry"]').fill('registry.example.com:5000');
  // A private key pasted by mistake never stays in the form, so it cannot be sent.
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.postData() ?? ''));
  await form.locator('textarea[name="ca"]').fill(ca.key);
  await expect(form.locator('.key-refused')).toContainText('private key');
  await expect(form.locator('textarea[name="ca"]')).toHaveValue('');
  await form.locator('textarea[name="ca"]').fill(ca.cert);
  await expect(form.locator('.key-refused')).toHaveCount(0);

  await page.locator('button.review-ca').click();
  const review = page.locator('.review');
  await expect(review).toBeVisible();
  await expect(review.locator('pre.command').first()).toHaveText(
    'oc create configmap registry-config -n openshift-config --from-file=registry.example.com..5000=ca.crt');
  await expect(review.locator('pre.command').nth(1)).toContainText('oc patch image.config.openshift.io/cluster');
  await expect(page.locator('.to-store')).toContainText('CN=Example Registry CA');
  await review.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.outcome')).toContainText('Applied');
  expect(requests.join('\n')).not.toContain('PRIVATE KEY');

  // Read back with kubectl, and the operator's copy shows on the page without a reload.
  expect(kubectl(['get', 'configmap', 'registry-config', '-n', 'openshift-config', '-o',
    'jsonpath={.data.registry\\.example\\.com\\.\\.5000}'])).toBe(ca.cert);
  const entry = page.locator('.ca-entry[data-key="registry.example.com..5000"]');
  await expect(entry.locator('h3')).toHaveText('registry.example.com:5000');
  await expect(entry.locator('.reached')).toContainText('yes', { timeout: 15_000 });
  await expect(entry.locator('dl.cert')).toContainText('CN=Example Registry CA');

  // Removing it says what breaks, on a danger button named for what it does.
  await entry.getByRole('button', { name: 'Remove' }).click();
  await expect(page.locator('.remove-danger')).toContainText('x509: certificate signed by unknown authority');
  await page.locator('button.review-ca').click();
  await expect(page.locator('.review pre.command')).toHaveText(
    'oc set data configmap/registry-config -n openshift-config registry.example.com..5000-');
  await page.getByRole('button', { name: 'Remove the CA of registry.example.com:5000' }).click();
  await expect(page.locator('.outcome')).toContainText('Applied');
  await expect(entry).toHaveCount(0);
  await expect(page.locator('.source-empty')).toBeVisible();
});

test('a CA added with oc shows up on an open page, and a reference to a missing ConfigMap is called out', async ({ page }) => {
  await signInAsDemoUser(page, 'viewer');
  await page.goto('/trust');
  await waitForHydration(page);
  // A viewer sees why they cannot change anything.
  await expect(page.locator('.view-only')).toContainText('patch');
  await expect(page.locator('.ca-form')).toHaveCount(0);

  kubectl(['patch', IMAGE, '--type', 'merge', '-p', JSON.stringify({ spec: { additionalTrustedCA: { name: 'registry-config' } } })]);
  await expect(page.locator('.source-missing')).toContainText('does not exist', { timeout: 15_000 });
  const ca = makeCa('Mirror CA');
  kubectl(['create', 'configmap', 'registry-config', '-n', 'openshift-config', `--from-literal=mirror.example.com=${ca.cert}`]);
  await expect(page.locator('.ca-entry[data-key="mirror.example.com"] dl.cert')).toContainText('CN=Mirror CA', { timeout: 15_000 });
});

test('registry sources: allowed and blocked together refused as the user types, a block list reviewed and applied', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/trust');
  await waitForHydration(page);
  const form = page.locator('.sources-form');
  await form.locator('textarea[name="registrySources.allowedRegistries"]').fill('quay.io');
  await form.locator('textarea[name="registrySources.blockedRegistries"]').fill('docker.io');
  await expect(form.locator('[data-near="spec.registrySources.blockedRegistries"]')).toContainText('only one of allowedRegistries and blockedRegistries');
  await expect(form.locator('[data-near="spec.registrySources.allowedRegistries"]')).toContainText('registry.redhat.io');
  await form.locator('textarea[name="registrySources.allowedRegistries"]').fill('');
  await page.locator('button.review-sources').click();
  await expect(page.locator('.review pre.command')).toHaveText(
    `oc patch image.config.openshift.io/cluster --type merge -p '{"spec":{"registrySources":{"blockedRegistries":["docker.io"]}}}'`);
  await page.locator('.review button.apply-sources').click();
  await expect(page.locator('.outcome')).toContainText('Applied');
  expect(kubectl(['get', IMAGE, '-o', 'jsonpath={.spec.registrySources.blockedRegistries[0]}'])).toBe('docker.io');
});
