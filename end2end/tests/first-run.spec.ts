import { expect, Locator, Page, test } from './support/test';
import { kubectl, managementState } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';
import { expectOutcome } from './support/forms';

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
  kubectl(['delete', 'pvc', '--all', '-n', 'openshift-image-registry']);
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
  // The guide says what the doctor and the form say about emptyDir: ticked, with the warning.
  await expect(step(page, 0)).toHaveAttribute('data-step-state', 'warning');
  await expect(step(page, 0)).toContainText('The doctor finds: emptyDir is for non-production');
  await expect(doctor(page).locator('[data-source="spec.storage.emptyDir"]')).toContainText('non-production');
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

/** Presses Tab until `target` has the focus, as a keyboard user would (at most `max` times). */
async function tabTo(page: Page, target: Locator, max = 150): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('the first run with the keyboard only: sign in, follow the guide, review, apply', async ({ page }) => {
  await page.goto('/sign-in');
  await waitForHydration(page);
  await tabTo(page, page.locator('button[data-demo-user="admin"]'));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);

  await tabTo(page, guide(page).getByRole('link', { name: 'Configure storage' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/config\?first-run=1$/);
  await waitForHydration(page);
  // The first run is proposed: Managed, on a claim the operator creates.
  await expect(page.locator('select[name="managementState"]')).toHaveValue('Managed');

  await tabTo(page, page.getByRole('button', { name: 'Review the change' }));
  await page.keyboard.press('Enter');
  const apply = page.locator('.review').getByRole('button', { name: 'Apply' });
  await expect(apply).toBeVisible();
  await tabTo(page, apply, 40);
  await page.keyboard.press('Enter');
  // The outcome takes the focus: the keyboard goes on from there.
  await expectOutcome(page, 'Applied');
  await expect.poll(() => managementState()).toBe('Managed');
});
