import { expect, test } from '@playwright/test';
import { kubectl } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';
const SECRET_NAME = 'image-registry-private-configuration-user';

function spec(): { storage?: { pvc?: { claim?: string } }; managementState?: string; replicas?: number; logLevel?: string } {
  return JSON.parse(kubectl(['get', CONFIG, 'cluster', '-o', 'json'])).spec;
}

// The other specs start from the seeded state: Removed, no storage.
test.afterEach(() => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: {
      managementState: 'Removed', replicas: 1, logLevel: 'Normal',
      storage: { pvc: null, s3: null, managementState: null },
    } })]);
  kubectl(['delete', 'secret', SECRET_NAME, '-n', 'openshift-image-registry', '--ignore-not-found']);
});

test('the bare-metal first run: PVC with an empty claim, reviewed, then Managed', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/config');
  await waitForHydration(page);
  await expect(page.getByText(/Signed in as/)).toContainText('admin');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const form = page.locator('form.config-form');
  await form.locator('select[name="managementState"]').selectOption('Managed');
  await form.getByLabel('PersistentVolumeClaim').check();
  await expect(form.locator('input[name="claim"]')).toBeVisible();

  await page.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('.review');
  await expect(review.locator('pre.oc-patch')).toContainText('"storage":{"pvc":{"claim":""}}');
  await expect(review.locator('pre.diff .added').first()).toBeVisible();
  await review.getByRole('button', { name: 'Apply' }).click();

  await expect(page.locator('.outcome')).toContainText('Applied');
  await expect.poll(() => spec().storage?.pvc?.claim, { timeout: 10_000 }).toBe('image-registry-storage');
  expect(spec().managementState).toBe('Managed');
});

test('S3 with credentials: the keys are written under their names and never come back', async ({ page }) => {
  const secretKey = 'e2e-Secret-Value-7fQ2/+x';
  const bodies: string[] = [];
  page.on('response', async (response) => {
    if (response.url().includes('/api/')) bodies.push(await response.text().catch(() => ''));
  });
  await signInAsDemoUser(page, 'admin');
  await page.goto('/config');
  await waitForHydration(page);
  const form = page.locator('form.config-form');
  await form.locator('select[name="managementState"]').selectOption('Managed');
  await form.getByLabel('Amazon S3').check();
  await form.locator('input[name="s3.bucket"]').fill('Bad_Bucket');
  await form.locator('input[name="s3.region"]').fill('us-east-1');
  // The shared rules run in the browser as the user types.
  await expect(form.locator('.live-findings [data-field="spec.storage.s3.bucket"]')).toBeVisible();
  await expect(form.locator('.live-findings [data-field="credentials"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Review the change' })).toBeDisabled();
  await form.locator('input[name="s3.bucket"]').fill('registry-images');
  await form.locator('input[name="REGISTRY_STORAGE_S3_ACCESSKEY"]').fill('AKIAE2EEXAMPLE');
  await form.locator('input[name="REGISTRY_STORAGE_S3_SECRETKEY"]').fill(secretKey);
  await expect(form.locator('.live-findings .finding.error')).toHaveCount(0);

  await page.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('.review');
  await expect(review.locator('pre.oc-secret')).toContainText('--from-literal=REGISTRY_STORAGE_S3_SECRETKEY=<redacted>');
  await review.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.outcome')).toContainText('Applied');

  const data = JSON.parse(kubectl(['get', 'secret', SECRET_NAME, '-n', 'openshift-image-registry', '-o', 'json'])).data;
  expect(Object.keys(data).sort()).toEqual(['REGISTRY_STORAGE_S3_ACCESSKEY', 'REGISTRY_STORAGE_S3_SECRETKEY']);
  expect(Buffer.from(data.REGISTRY_STORAGE_S3_SECRETKEY, 'base64').toString()).toBe(secretKey);
  expect(spec().storage).toMatchObject({ s3: { bucket: 'registry-images', region: 'us-east-1' } });

  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) expect(body).not.toContain(secretKey);
  await page.goto('/config');
  expect(await page.content()).not.toContain(secretKey);
  await expect(page.locator('input[name="REGISTRY_STORAGE_S3_SECRETKEY"]')).toHaveAttribute('placeholder', /stored/);
});

test('a kubectl change between review and apply is a conflict that names the field', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/config');
  await waitForHydration(page);
  const form = page.locator('form.config-form');
  await form.locator('select[name="logLevel"]').selectOption('Debug');
  await page.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('.review');
  await expect(review.locator('pre.oc-patch')).toContainText('"logLevel":"Debug"');

  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p', '{"spec":{"replicas":3}}']);
  await review.getByRole('button', { name: 'Apply' }).click();
  const outcome = page.locator('.outcome');
  await expect(outcome).toContainText('Nothing was changed');
  await expect(outcome.locator('table.changes')).toContainText('spec.replicas');
  expect(spec()).toMatchObject({ replicas: 3, logLevel: 'Normal' });
});
