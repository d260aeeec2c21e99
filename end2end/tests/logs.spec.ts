import { expect, test } from './support/test';
import { kubectl } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';

test.afterEach(() => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Removed', defaultRoute: false, storage: { emptyDir: null, managementState: null } } })]);
});

test('the registry\'s own log, followed, filtered, paused and downloaded', async ({ page }) => {
  test.setTimeout(150_000);
  await signInAsDemoUser(page, 'viewer');
  await page.getByRole('link', { name: 'Logs' }).click();
  await expect(page).toHaveURL(/\/registry-logs$/);
  await waitForHydration(page);
  await expect(page.locator('.no-lines')).toBeVisible();
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Managed', defaultRoute: true, storage: { emptyDir: {} } } })]);
  // Followed: the real registry's startup shows without a reload.
  const log = page.locator('pre.log');
  await expect(log).toContainText('listening on 127.0.0.1:', { timeout: 30_000 });
  // Then the registry's own access line for a push: the demo's traffic generator pushes
  // through the route once the pod is ready.
  await expect(log).toContainText(/"PUT \/v2\/demo-traffic\/[^"]+\/manifests\/[^" ]+ HTTP\/1\.1" 201/, { timeout: 60_000 });
  // "All registry pods" and at least the pod that wrote it (pods of earlier tests may be
  // going away).
  await expect.poll(() => page.locator('select[name="pod"] option').count()).toBeGreaterThan(1);
  await page.locator('input[name="filter"]').fill('listening on');
  await expect(log.locator('.line')).not.toHaveCount(0);
  for (const line of await log.locator('.line').allTextContents()) expect(line).toContain('listening on');
  await page.locator('select[name="level"]').selectOption('error');
  await expect(page.locator('.no-lines')).toBeVisible();
  await page.locator('select[name="level"]').selectOption('');
  const download = page.locator('a.download');
  await expect(download).toHaveAttribute('href', /^data:text\/plain;charset=utf-8,.*listening%20on/);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.follow')).toContainText('Paused');
  await expect(page.getByRole('heading', { name: 'Events in openshift-image-registry' })).toBeVisible();
});
