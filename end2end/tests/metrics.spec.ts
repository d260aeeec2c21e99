import { expect, test } from '@playwright/test';
import { kubectl } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';

test.afterEach(() => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Removed', defaultRoute: false, storage: { emptyDir: null, managementState: null } } })]);
});

test('the metrics page charts the real registry as the demo traffic pushes and pulls', async ({ page }) => {
  test.setTimeout(120_000);
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Managed', defaultRoute: true, storage: { emptyDir: {} } } })]);
  await signInAsDemoUser(page, 'admin');
  await page.getByRole('link', { name: 'Metrics' }).click();
  await expect(page).toHaveURL(/\/registry-metrics$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Registry metrics', level: 1 })).toBeVisible();
  // Two scrapes, 10 s apart, after the registry's pod is ready and the traffic generator
  // has pushed: the request rate has lines, each with its latest value.
  const requests = page.locator('.chart[data-chart="Requests"]');
  await expect(requests.locator('svg path').first()).toBeVisible({ timeout: 90_000 });
  await expect(requests.locator('.legend')).toContainText(/(GET|PUT|POST|HEAD) 2xx/);
  await expect(page.locator('.health')).toContainText('Scraping 1 registry pod');
  await expect(requests.locator('svg')).toHaveAttribute('aria-label', /Requests per second, latest: /);
  // A chart the upstream registry cannot fill says why instead of drawing zero.
  await expect(page.locator('.chart[data-chart="StorageErrors"] .empty')).toContainText('does not count storage errors');
  await expect(page.locator('.chart[data-chart="StorageErrors"] svg')).toHaveCount(0);
  // The pointer over a chart reads out the values at that moment.
  const box = (await requests.locator('svg').boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  await expect(requests.locator('.readout')).toContainText(/\d\d:\d\d:\d\d .*: /);
  // Time ranges.
  await page.getByRole('button', { name: '5 min' }).click();
  await expect(page.getByRole('button', { name: '5 min' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: '1 hour' })).toHaveAttribute('aria-pressed', 'false');
  // The wall display: the charts without the controls.
  await page.getByRole('link', { name: 'Wall display' }).click();
  await expect(page).toHaveURL(/\/registry-metrics\?kiosk$/);
  await expect(page.locator('.chart[data-chart="Requests"] svg path').first()).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.ranges')).toHaveCount(0);
});

test('a user who may not read the pods\' metrics is told so, and what grants it', async ({ page }) => {
  await signInAsDemoUser(page, 'viewer');
  await page.goto('/registry-metrics');
  await waitForHydration(page);
  await expect(page.locator('.denied')).toContainText('pods/proxy');
  await expect(page.locator('.chart')).toHaveCount(0);
});
