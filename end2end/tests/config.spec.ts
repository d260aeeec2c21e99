import { expect, test } from '@playwright/test';
import { kubectl } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';

function spec(): { storage?: { pvc?: { claim?: string } }; managementState?: string } {
  return JSON.parse(kubectl(['get', CONFIG, 'cluster', '-o', 'json'])).spec;
}

// The other specs start from the seeded state: Removed, no storage.
test.afterEach(() => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Removed', storage: { pvc: null, managementState: null } } })]);
});

test('the bare-metal first run: PVC with an empty claim, reviewed, then Managed', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/config');
  await waitForHydration(page);
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
