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
      managementState: 'Removed', replicas: 1, logLevel: 'Normal', rolloutStrategy: null,
      storage: { pvc: null, s3: null, gcs: null, managementState: null },
    } })]);
  kubectl(['delete', 'secret', SECRET_NAME, '-n', 'openshift-image-registry', '--ignore-not-found']);
  kubectl(['delete', 'pvc', '--all', '-n', 'openshift-image-registry']);
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
  await expect(form.locator('input[name="claimMode"][value="operator"]')).toBeChecked();

  await page.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('.review');
  await expect(review.locator('pre.oc-patch')).toContainText('"storage":{"pvc":{"claim":""}}');
  await expect(review.locator('pre.diff .added').first()).toBeVisible();
  await review.getByRole('button', { name: 'Apply' }).click();

  await expect(page.locator('.outcome')).toContainText('Applied');
  await expect.poll(() => spec().storage?.pvc?.claim, { timeout: 10_000 }).toBe('image-registry-storage');
  expect(spec().managementState).toBe('Managed');
  // The overview shows the registry pods the operator starts, ready.
  await page.goto('/');
  await waitForHydration(page);
  const pod = page.locator('.pods tr[data-pod]').first();
  await expect(pod.locator('.status')).toHaveText('Running', { timeout: 15_000 });
  await expect(pod.locator('td').nth(1)).toHaveText('1/1', { timeout: 15_000 });
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
  // ...and each finding also sits next to the input it is about.
  await expect(form.locator('label:has(input[name="s3.bucket"]) .findings.near')).toContainText('Bad_Bucket');
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
  // The page reads the config again in place: the form shows what the cluster now holds.
  await expect(page.locator('.outcome')).toContainText('The form now shows the configuration');
  await expect(form.locator('.key-status[data-key="REGISTRY_STORAGE_S3_SECRETKEY"]')).toContainText('by the console');
  await expect(form.locator('input[name="s3.bucket"]')).toHaveValue('registry-images');

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
  // The form now holds the current values, ready for the change to be made again.
  await expect(form.locator('input[name="replicas"]')).toHaveValue('3');
  await expect(form.locator('select[name="logLevel"]')).toHaveValue('Normal');
});

test('block storage: the guide\'s ReadWriteOnce claim, one replica, Recreate', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/config');
  await waitForHydration(page);
  const form = page.locator('form.config-form');
  await form.locator('input[name="replicas"]').fill('2');
  await form.getByLabel('Block storage').check();
  // Choosing block storage sets what a ReadWriteOnce volume needs, visibly.
  await expect(form.locator('input[name="replicas"]')).toHaveValue('1');
  await expect(form.locator('select[name="rolloutStrategy"]')).toHaveValue('Recreate');
  await expect(form.locator('input[name="newClaim.name"]')).toHaveValue('image-registry-block');
  await expect(form.locator('select[name="newClaim.storageClass"]')).toContainText('standard (default)');
  await form.locator('input[name="newClaim.size"]').fill('20Gi');
  await expect(form.locator('.live-findings [data-field="newClaim.size"]')).toContainText('100Gi');
  await form.locator('input[name="newClaim.size"]').fill('100Gi');
  await form.locator('input[name="replicas"]').fill('2');
  await expect(form.locator('.live-findings [data-field="spec.replicas"]')).toContainText('ReadWriteOnce');
  await form.locator('input[name="replicas"]').fill('1');
  await form.locator('select[name="managementState"]').selectOption('Managed');

  await page.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('.review');
  await expect(review.locator('pre.oc-claim')).toContainText('ReadWriteOnce');
  await expect(review.locator('pre.oc-patch')).toContainText('"claim":"image-registry-block"');
  await review.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.outcome')).toContainText('Applied');

  const claim = JSON.parse(kubectl(['get', 'pvc', 'image-registry-block', '-n', 'openshift-image-registry', '-o', 'json']));
  expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
  expect(claim.spec.resources.requests.storage).toBe('100Gi');
  expect(spec()).toMatchObject({ replicas: 1, managementState: 'Managed', storage: { pvc: { claim: 'image-registry-block' } } });
  // Reloaded: the claim is now an existing one, and the browser knows it is ReadWriteOnce.
  await expect(form.locator('input[name="claimMode"][value="existing"]')).toBeChecked();
  await form.locator('input[name="replicas"]').fill('3');
  await expect(form.locator('.live-findings [data-field="spec.replicas"]')).toContainText('ReadWriteOnce');
});

test('GCS: the key file is uploaded, checked in the browser, and stored under its key', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/config');
  await waitForHydration(page);
  const form = page.locator('form.config-form');
  await form.getByLabel('Google Cloud Storage').check();
  await form.locator('input[name="gcs.bucket"]').fill('registry-images-e2e');
  const upload = form.locator('input[name="REGISTRY_STORAGE_GCS_KEYFILE"]');
  await upload.setInputFiles({ name: 'user.json', mimeType: 'application/json', buffer: Buffer.from('{"type":"authorized_user"}') });
  await expect(form.locator('.live-findings [data-field="credentials.REGISTRY_STORAGE_GCS_KEYFILE"]')).toContainText('service account');
  const key = JSON.stringify({
    type: 'service_account', project_id: 'e2e-project', client_email: 'registry@e2e-project.iam.gserviceaccount.com',
    private_key: '-----BEGIN PRIVATE KEY-----\nMIIE-e2e-key\n-----END PRIVATE KEY-----\n',
  });
  await upload.setInputFiles({ name: 'registry-key.json', mimeType: 'application/json', buffer: Buffer.from(key) });
  await expect(form.locator('.uploaded')).toContainText('registry-key.json');
  await expect(form.locator('.live-findings .finding.error')).toHaveCount(0);

  await page.getByRole('button', { name: 'Review the change' }).click();
  const review = page.locator('.review');
  await expect(review.locator('pre.oc-secret')).toContainText('--from-file=REGISTRY_STORAGE_GCS_KEYFILE=registry-key.json');
  await expect(review).not.toContainText('MIIE-e2e-key');
  await review.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('.outcome')).toContainText('Applied');
  const data = JSON.parse(kubectl(['get', 'secret', SECRET_NAME, '-n', 'openshift-image-registry', '-o', 'json'])).data;
  expect(Buffer.from(data.REGISTRY_STORAGE_GCS_KEYFILE, 'base64').toString()).toBe(key);
  // A fresh page, rendered by the server from what the cluster now holds: no key in it.
  await page.goto('/config');
  await waitForHydration(page);
  expect(await page.content()).not.toContain('MIIE-e2e-key');
  await expect(page.locator('.key-status[data-key="REGISTRY_STORAGE_GCS_KEYFILE"]')).toContainText('by the console');
});

test('the first run from the overview\'s link proposes Managed on an operator-created claim', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/config?first-run=1');
  await waitForHydration(page);
  const form = page.locator('form.config-form');
  await expect(form.locator('.first-run')).toBeVisible();
  await expect(form.locator('select[name="managementState"]')).toHaveValue('Managed');
  await expect(form.getByLabel('PersistentVolumeClaim')).toBeChecked();
  // Nothing was stored, so nothing is being switched away from.
  await expect(form.locator('.switch')).toHaveCount(0);
  await page.getByRole('button', { name: 'Review the change' }).click();
  await expect(page.locator('.review pre.oc-patch')).toContainText('"managementState":"Managed"');
  await expect(page.locator('.review pre.oc-patch')).toContainText('"pvc":{"claim":""}');
});
