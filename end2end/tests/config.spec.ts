import { expect, test } from './support/test';
import { kubectl } from './support/cluster';
import { waitForHydration } from './support/console';
import { applyReviewed, askForReview, expectNoLiveErrors, expectOutcome, find, openAs } from './support/forms';

const CONFIG = 'configs.imageregistry.operator.openshift.io';
const SECRET_NAME = 'image-registry-private-configuration-user';

function spec(): { storage?: { pvc?: { claim?: string } }; managementState?: string; replicas?: number; logLevel?: string } {
  return JSON.parse(kubectl(['get', CONFIG, 'cluster', '-o', 'json'])).spec;
}

// The other specs start from the seeded state: Removed, no storage.
test.afterEach(() => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: {
      managementState: 'Removed', replicas: 1, logLevel: 'Normal', rolloutStrategy: null, readOnly: null,
      storage: { pvc: null, s3: null, gcs: null, managementState: null },
    } })]);
  kubectl(['delete', 'secret', SECRET_NAME, '-n', 'openshift-image-registry', '--ignore-not-found']);
  kubectl(['delete', 'pvc', '--all', '-n', 'openshift-image-registry']);
});

test('the bare-metal first run: PVC with an empty claim, reviewed, then Managed', async ({ page }) => {
  await openAs(page, 'admin', '/config');
  await expect(page.getByText(/Signed in as/)).toContainText('admin');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const form = find.form(page, 'config');
  await find.field(form, 'managementState').selectOption('Managed');
  await form.getByLabel('PersistentVolumeClaim').check();
  await expect(form.locator('input[name="claimMode"][value="operator"]')).toBeChecked();

  const review = await askForReview(page);
  await expect(find.command(page, 'oc-patch')).toContainText('"storage":{"pvc":{"claim":""}}');
  await expect(review.locator('pre.diff .added').first()).toBeVisible();
  await applyReviewed(page);

  await expectOutcome(page, 'Applied');
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
  await openAs(page, 'admin', '/config');
  const form = find.form(page, 'config');
  await find.field(form, 'managementState').selectOption('Managed');
  await form.getByLabel('Amazon S3').check();
  // Nothing is an error before it is typed: the empty bucket and the missing keys wait.
  await expectNoLiveErrors(form);
  await expect(find.reviewButton(page)).toBeEnabled();
  await find.field(form, 's3.bucket').fill('Bad_Bucket');
  await find.field(form, 's3.region').fill('us-east-1');
  // The shared rules run in the browser as the user types.
  await expect(find.finding(form, 'spec.storage.s3.bucket')).toBeVisible();
  // ...and each finding also sits next to the input it is about.
  await expect(find.findingNear(form, 's3.bucket')).toContainText('Bad_Bucket');
  // ...the input says it is invalid, and why, to a screen reader...
  const bucket = find.field(form, 's3.bucket');
  await expect(bucket).toHaveAttribute('aria-invalid', 'true');
  const describedBy = await bucket.getAttribute('aria-describedby');
  await expect(page.locator(`[id="${describedBy}"]`)).toContainText('Bad_Bucket');
  // ...and the finding in the list takes the focus to it.
  await find.finding(form, 'spec.storage.s3.bucket').locator('a.to-field').click();
  await expect(bucket).toBeFocused();
  await expect(find.reviewButton(page)).toBeDisabled();
  await find.field(form, 's3.bucket').fill('registry-images');
  await expect(bucket).not.toHaveAttribute('aria-invalid', 'true');
  // The keys were not typed yet: Review says so, and takes the focus there.
  await expect(find.finding(form, 'credentials')).toHaveCount(0);
  await find.reviewButton(page).click();
  await expect(find.finding(form, 'credentials')).toBeVisible();
  await expect(find.review(page)).toHaveCount(0);
  await expect(find.field(form, 'REGISTRY_STORAGE_S3_ACCESSKEY')).toBeFocused();
  await find.field(form, 'REGISTRY_STORAGE_S3_ACCESSKEY').fill('AKIAE2EEXAMPLE');
  await find.field(form, 'REGISTRY_STORAGE_S3_SECRETKEY').fill(secretKey);
  // The key ID can be read back while typing (people check it); the secret key cannot.
  await expect(find.field(form, 'REGISTRY_STORAGE_S3_ACCESSKEY')).toHaveAttribute('type', 'text');
  await expect(find.field(form, 'REGISTRY_STORAGE_S3_SECRETKEY')).toHaveAttribute('type', 'password');
  await expectNoLiveErrors(form);

  await askForReview(page);
  await expect(find.command(page, 'oc-secret')).toContainText('--from-literal=REGISTRY_STORAGE_S3_SECRETKEY=<redacted>');
  await applyReviewed(page);
  await expectOutcome(page, 'Applied');
  // The page reads the config again in place: the form shows what the cluster now holds.
  await expectOutcome(page, 'The form now shows the configuration');
  await expect(form.locator('.key-status[data-key="REGISTRY_STORAGE_S3_SECRETKEY"]')).toContainText('by the console');
  await expect(find.field(form, 's3.bucket')).toHaveValue('registry-images');

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

test('a conflict keeps the edits away from what changed, and the user chooses where both changed', async ({ page }) => {
  await openAs(page, 'admin', '/config');
  const form = find.form(page, 'config');
  await find.field(form, 'replicas').fill('2');
  await find.field(form, 'logLevel').selectOption('Debug');
  await askForReview(page);
  await expect(find.command(page, 'oc-patch')).toContainText('"logLevel":"Debug"');

  // Someone else, with kubectl: a field the user also edited, and one they did not.
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p', '{"spec":{"logLevel":"Trace","readOnly":true}}']);
  await applyReviewed(page);
  const outcome = find.outcome(page);
  await expect(outcome).toContainText('Nothing was changed');
  await expect(outcome.locator('table.changes')).toContainText('spec.logLevel');
  await expect(outcome.locator('table.changes')).toContainText('spec.readOnly');
  // Where the user is: focused and in view, though it stands above the form.
  await expect(outcome).toBeFocused();
  await expect(outcome).toBeInViewport();
  expect(spec()).toMatchObject({ replicas: 1, logLevel: 'Trace' });

  // The form holds the cluster's values with the user's edits on top.
  const merge = page.locator('.merge');
  await expect(merge.locator('.kept')).toContainText('spec.replicas');
  await expect(find.field(form, 'replicas')).toHaveValue('2');
  await expect(find.field(form, 'readOnly')).toBeChecked();
  // Changed on both sides: what the user saw, theirs and the cluster's, and a choice.
  const clash = merge.locator('.clash[data-field="spec.logLevel"]');
  await expect(clash).toContainText('You saw: Normal');
  await expect(clash.locator('input[value="mine"]')).toBeChecked();
  await expect(find.field(form, 'logLevel')).toHaveValue('Debug');
  await clash.getByLabel(/Now in the cluster: Trace/).check();
  await expect(find.field(form, 'logLevel')).toHaveValue('Trace');

  await askForReview(page);
  await expect(find.command(page, 'oc-patch')).toContainText(`'{"spec":{"replicas":2}}'`);
  await applyReviewed(page);
  await expectOutcome(page, 'Applied');
  expect(spec()).toMatchObject({ replicas: 2, logLevel: 'Trace' });
});

test('a change made while the review is open is announced at once and brought in with the edits kept', async ({ page }) => {
  await openAs(page, 'admin', '/config');
  const form = find.form(page, 'config');
  await find.field(form, 'replicas').fill('2');
  await askForReview(page);
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p', '{"spec":{"logLevel":"Debug"}}']);
  const notice = page.locator('.changed-meanwhile');
  await expect(notice).toContainText('spec.logLevel');
  await expect(notice).toHaveAttribute('role', 'status');
  await notice.getByRole('button', { name: 'Bring in the changes, keep my edits' }).click();
  await expect(page.locator('.merge .kept')).toContainText('spec.replicas');
  await expect(find.field(form, 'replicas')).toHaveValue('2');
  await expect(find.field(form, 'logLevel')).toHaveValue('Debug');
  await expect(notice).toHaveCount(0);
  await expect(find.review(page)).toHaveCount(0);
  // Reviewed again from the new version, it applies.
  await askForReview(page);
  await applyReviewed(page);
  await expectOutcome(page, 'Applied');
  expect(spec()).toMatchObject({ replicas: 2, logLevel: 'Debug' });
});

test('block storage: the guide\'s ReadWriteOnce claim, one replica, Recreate', async ({ page }) => {
  await openAs(page, 'admin', '/config');
  const form = find.form(page, 'config');
  await find.field(form, 'replicas').fill('2');
  await form.getByLabel('Block storage').check();
  // Choosing block storage sets what a ReadWriteOnce volume needs, visibly.
  await expect(find.field(form, 'replicas')).toHaveValue('1');
  await expect(find.field(form, 'rolloutStrategy')).toHaveValue('Recreate');
  await expect(find.field(form, 'newClaim.name')).toHaveValue('image-registry-block');
  await expect(find.field(form, 'newClaim.storageClass')).toContainText('standard (default)');
  await find.field(form, 'newClaim.size').fill('20Gi');
  await expect(find.finding(form, 'newClaim.size')).toContainText('100Gi');
  await find.field(form, 'newClaim.size').fill('100Gi');
  await find.field(form, 'replicas').fill('2');
  await expect(find.finding(form, 'spec.replicas')).toContainText('ReadWriteOnce');
  await find.field(form, 'replicas').fill('1');
  await find.field(form, 'managementState').selectOption('Managed');

  await askForReview(page);
  await expect(find.command(page, 'oc-claim')).toContainText('ReadWriteOnce');
  await expect(find.command(page, 'oc-patch')).toContainText('"claim":"image-registry-block"');
  await applyReviewed(page);
  await expectOutcome(page, 'Applied');

  const claim = JSON.parse(kubectl(['get', 'pvc', 'image-registry-block', '-n', 'openshift-image-registry', '-o', 'json']));
  expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
  expect(claim.spec.resources.requests.storage).toBe('100Gi');
  expect(spec()).toMatchObject({ replicas: 1, managementState: 'Managed', storage: { pvc: { claim: 'image-registry-block' } } });
  // Reloaded: the claim is now an existing one, and the browser knows it is ReadWriteOnce.
  await expect(form.locator('input[name="claimMode"][value="existing"]')).toBeChecked();
  await find.field(form, 'replicas').fill('3');
  await expect(find.finding(form, 'spec.replicas')).toContainText('ReadWriteOnce');
});

test('GCS: the key file is uploaded, checked in the browser, and stored under its key', async ({ page }) => {
  await openAs(page, 'admin', '/config');
  const form = find.form(page, 'config');
  await form.getByLabel('Google Cloud Storage').check();
  await find.field(form, 'gcs.bucket').fill('registry-images-e2e');
  const upload = find.field(form, 'REGISTRY_STORAGE_GCS_KEYFILE');
  await upload.setInputFiles({ name: 'user.json', mimeType: 'application/json', buffer: Buffer.from('{"type":"authorized_user"}') });
  await expect(find.finding(form, 'credentials.REGISTRY_STORAGE_GCS_KEYFILE')).toContainText('service account');
  const key = JSON.stringify({
    type: 'service_account', project_id: 'e2e-project', client_email: 'registry@e2e-project.iam.gserviceaccount.com',
    private_key: '-----BEGIN PRIVATE KEY-----\nMIIE-e2e-key\n-----END PRIVATE KEY-----\n',
  });
  await upload.setInputFiles({ name: 'registry-key.json', mimeType: 'application/json', buffer: Buffer.from(key) });
  await expect(form.locator('.uploaded')).toContainText('registry-key.json');
  await expectNoLiveErrors(form);

  const review = await askForReview(page);
  await expect(find.command(page, 'oc-secret')).toContainText('--from-file=REGISTRY_STORAGE_GCS_KEYFILE=registry-key.json');
  await expect(review).not.toContainText('MIIE-e2e-key');
  await applyReviewed(page);
  await expectOutcome(page, 'Applied');
  const data = JSON.parse(kubectl(['get', 'secret', SECRET_NAME, '-n', 'openshift-image-registry', '-o', 'json'])).data;
  expect(Buffer.from(data.REGISTRY_STORAGE_GCS_KEYFILE, 'base64').toString()).toBe(key);
  // A fresh page, rendered by the server from what the cluster now holds: no key in it.
  await page.goto('/config');
  await waitForHydration(page);
  expect(await page.content()).not.toContain('MIIE-e2e-key');
  await expect(page.locator('.key-status[data-key="REGISTRY_STORAGE_GCS_KEYFILE"]')).toContainText('by the console');
});

test('the first run from the overview\'s link proposes Managed on an operator-created claim', async ({ page }) => {
  await openAs(page, 'admin', '/config?first-run=1');
  const form = find.form(page, 'config');
  await expect(form.locator('.first-run')).toBeVisible();
  await expect(find.field(form, 'managementState')).toHaveValue('Managed');
  await expect(form.getByLabel('PersistentVolumeClaim')).toBeChecked();
  // Nothing was stored, so nothing is being switched away from.
  await expect(form.locator('.switch')).toHaveCount(0);
  await askForReview(page);
  await expect(find.command(page, 'oc-patch')).toContainText('"managementState":"Managed"');
  await expect(find.command(page, 'oc-patch')).toContainText('"pvc":{"claim":""}');
});

test('a viewer sees the values with every control disabled and the reason beside them', async ({ page }) => {
  for (const [path, resource] of [
    ['/config', 'configs.imageregistry.operator.openshift.io/cluster'],
    ['/pruner', 'imagepruners.imageregistry.operator.openshift.io/cluster'],
  ]) {
    await openAs(page, 'viewer', path);
    const reason = page.locator('.view-only');
    await expect(reason).toContainText('viewer');
    await expect(reason).toContainText('patch');
    await expect(reason).toContainText(resource);
    const controls = page.locator('form .form-body').locator('input, select, textarea, button');
    expect(await controls.count()).toBeGreaterThan(3);
    for (const control of await controls.all()) await expect(control).toBeDisabled();
  }
});
