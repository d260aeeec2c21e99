import { expect, Page, test } from '@playwright/test';
import { kubectl } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';

/** `kubectl patch --type merge` of the registry config's spec. */
function patchSpec(spec: object): void {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p', JSON.stringify({ spec })]);
}

const guide = (page: Page) => page.locator('.guidance[data-first-run]');
const step = (page: Page, index: number) => guide(page).locator('.step').nth(index);
const doctor = (page: Page) => page.locator('.doctor');

// The other specs start from the seeded state: Removed, no storage.
test.afterEach(() => {
  patchSpec({ managementState: 'Removed', replicas: 1, storage: { emptyDir: null, pvc: null, managementState: null } });
});

test('the seeded demo shows the first-run guide, whose link leads to the configuration', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await expect(guide(page)).toContainText('removed at install');
  await expect(guide(page).locator('.step')).toHaveCount(3);
  await expect(step(page, 0)).toHaveAttribute('data-step-state', 'current');
  await expect(step(page, 0)).toContainText('PersistentVolumeClaim');
  await expect(step(page, 1)).toHaveAttribute('data-step-state', 'to-do');
  await expect(step(page, 2)).toHaveAttribute('data-step-state', 'to-do');
  await expect(doctor(page)).toContainText('No problems found');

  await guide(page).getByRole('link', { name: 'Configure storage' }).click();
  await expect(page).toHaveURL(/\/config\?first-run=1$/);
  await expect(page.getByRole('heading', { name: 'Configure the registry' })).toBeVisible();
});

test('emptyDir with 2 replicas made with kubectl shows in the doctor live, and the guide ticks', async ({ page }) => {
  await signInAsDemoUser(page, 'viewer');
  await waitForHydration(page);
  // Give the live stream a moment to open, then mark the document: a reload would lose this.
  await page.waitForTimeout(500);
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  patchSpec({ managementState: 'Managed', replicas: 2, storage: { emptyDir: {} } });
  const replicas = doctor(page).locator('[data-source="spec.replicas"]');
  await expect(replicas).toContainText('emptyDir storage cannot be shared', { timeout: 5_000 });
  await expect(replicas.locator('.fix')).toContainText('replicas');
  // The link lands on the field itself.
  await expect(replicas.getByRole('link')).toHaveAttribute('href', '/config#spec.replicas');
  await expect(step(page, 0)).toHaveAttribute('data-step-state', 'done');
  await expect(step(page, 0)).toContainText('emptyDir');
  await expect(step(page, 1)).toHaveAttribute('data-step-state', 'done');
  // The simulated operator deploys the pods; the last step ticks when they are ready,
  // and the finished guide stays on this page, which watched it progress.
  await expect(step(page, 2)).toHaveAttribute('data-step-state', 'done', { timeout: 30_000 });
  await expect(guide(page)).toContainText('The registry is running');

  patchSpec({ replicas: 1 });
  await expect(replicas).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
});

test("a doctor's link opens the configuration with the focus on the field to fix", async ({ page }) => {
  patchSpec({ managementState: 'Managed', replicas: 2, storage: { emptyDir: {} } });
  await signInAsDemoUser(page, 'admin');
  await waitForHydration(page);
  const replicas = doctor(page).locator('[data-source="spec.replicas"]');
  await replicas.getByRole('link').click();
  await expect(page).toHaveURL(/\/config#spec\.replicas$/);
  await expect(page.locator('form.config-form [name="replicas"]')).toBeFocused();
});
