import { expect, test } from './support/test';
import { kubectl, managementState, patchManagementState } from './support/cluster';

const CONFIG = 'configs.imageregistry.operator.openshift.io';
import { shownManagementState, signInAsDemoUser, waitForHydration } from './support/console';

test.beforeEach(() => {
  if (managementState() !== 'Removed') patchManagementState('Removed');
});

test('a kubectl patch shows in the open page within a second, without a reload', async ({ page }) => {
  await signInAsDemoUser(page, 'viewer');
  await waitForHydration(page);
  await expect(shownManagementState(page)).toHaveText('Removed');
  // Give the live stream a moment to open, then mark the document: a reload would lose this.
  await page.waitForTimeout(500);
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  patchManagementState('Managed');
  await expect(shownManagementState(page)).toHaveText('Managed', { timeout: 1_000 });
  await expect(page.locator('.guidance').first()).toContainText('Managed but has no storage');
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
});

test('the admin changes the management state through the confirmation', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await waitForHydration(page);
  // Only the hydrated page opens the dialog: this fails if the WASM is broken.
  await page.getByRole('button', { name: 'Change management state…' }).click();
  await page.locator('[data-choice="Managed"]').click();
  const confirm = page.locator('.confirm');
  await expect(confirm).toContainText('Change managementState from Removed to Managed?');
  await expect(confirm.locator('pre.command')).toContainText('"managementState":"Managed"');
  await confirm.getByRole('button', { name: 'Set Managed' }).click();

  await expect(shownManagementState(page)).toHaveText('Managed');
  await expect(page.locator('.confirm')).toHaveCount(0);
  expect(managementState()).toBe('Managed');

  // Removed names what it would delete, and its button looks dangerous.
  await page.getByRole('button', { name: 'Change management state…' }).click();
  await page.locator('[data-choice="Removed"]').click();
  await expect(page.locator('.confirm .loss')).toContainText('every image');
  await expect(page.locator('.confirm button.set-management-state')).toHaveClass(/danger/);
  await page.keyboard.press('Escape');
  await expect(page.locator('.confirm')).toHaveCount(0);
  expect(managementState()).toBe('Managed');
});

test('Removed names the claim it deletes, with its size, on the overview and the form', async ({ page }) => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Managed', storage: { pvc: { claim: '' } } } })]);
  try {
    // The operator creates its claim (100Gi) and names it in the spec.
    await expect.poll(() => kubectl(['get', CONFIG, 'cluster', '-o', 'jsonpath={.spec.storage.pvc.claim}']),
      { timeout: 15_000 }).toBe('image-registry-storage');
    await signInAsDemoUser(page, 'admin');
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Change management state…' }).click();
    await page.locator('[data-choice="Removed"]').click();
    const loss = page.locator('.confirm .loss');
    await expect(loss).toContainText('image-registry-storage (100Gi)');
    await expect(loss).toContainText('the operator deletes');
    await page.keyboard.press('Escape');

    await page.goto('/config');
    await waitForHydration(page);
    await page.locator('select[name="managementState"]').selectOption('Removed');
    await expect(page.locator('.removal')).toContainText('claim image-registry-storage (100Gi)');
    await expect(page.locator('.removal')).toHaveAttribute('role', 'alert');
  } finally {
    kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
      JSON.stringify({ spec: { managementState: 'Removed', storage: { pvc: null, managementState: null } } })]);
    kubectl(['delete', 'pvc', '--all', '-n', 'openshift-image-registry']);
  }
});

test('the configure page explains the next steps', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.locator('.guidance').getByRole('link', { name: 'Configure storage' }).click();
  await expect(page).toHaveURL(/\/config\?first-run=1$/);
  await expect(page.getByRole('heading', { name: 'Configure the registry' })).toBeVisible();
});
