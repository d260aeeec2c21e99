import { expect, test } from './support/test';
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
  // The charts move on the live feed, one moment per scrape: no read of the whole window.
  const windowReads: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/api/registry_metrics')) windowReads.push(r.url()); });
  const before = await requests.locator('svg').getAttribute('aria-label');
  await expect(requests.locator('svg')).not.toHaveAttribute('aria-label', before!, { timeout: 30_000 });
  expect(windowReads).toEqual([]);
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

test('a viewer allowed to read the metrics sees the charts and nothing that changes the cluster', async ({ page }) => {
  test.setTimeout(120_000);
  const ns = 'openshift-image-registry';
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Managed', defaultRoute: true, storage: { emptyDir: {} } } })]);
  kubectl(['create', 'role', 'e2e-metrics-reader', '-n', ns, '--verb=get', '--resource=pods/proxy']);
  kubectl(['create', 'rolebinding', 'e2e-metrics-reader', '-n', ns, '--role=e2e-metrics-reader', '--user=viewer']);
  try {
    await signInAsDemoUser(page, 'viewer');
    // The console caches access answers for 10 s: an earlier refusal may still stand.
    await expect(async () => {
      await page.goto('/registry-metrics');
      await expect(page.locator('.denied')).toHaveCount(0);
    }).toPass({ timeout: 30_000 });
    await waitForHydration(page);
    await expect(page.locator('.chart[data-chart="Requests"] svg path').first()).toBeVisible({ timeout: 90_000 });
    const main = page.locator('main');
    await expect(main.locator('form, input, select, textarea')).toHaveCount(0);
    // The only buttons choose the time range: they change the view, not the cluster.
    const buttons = await main.getByRole('button').allTextContents();
    expect(buttons.sort()).toEqual(['1 hour', '24 hours', '5 min', '6 hours']);
  } finally {
    kubectl(['delete', 'rolebinding', 'e2e-metrics-reader', '-n', ns]);
    kubectl(['delete', 'role', 'e2e-metrics-reader', '-n', ns]);
  }
});
