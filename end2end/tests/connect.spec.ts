import { expect, test } from './support/test';
import { kubectl, token } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';

test.afterEach(() => {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Removed', defaultRoute: false, storage: { emptyDir: null, managementState: null } } })]);
});

test('the connect page: not exposed, then the default route\'s commands, live, copied as shown', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInAsDemoUser(page, 'admin');
  await page.getByRole('link', { name: 'Connect' }).click();
  await expect(page).toHaveURL(/\/connect$/);
  await waitForHydration(page);
  // The seeded registry is Removed: no route, no service answering.
  await expect(page.locator('.not-exposed')).toContainText('no route');
  await expect(page.getByRole('link', { name: 'Turn on the default route' })).toHaveAttribute('href', '/config#spec.defaultRoute');
  await expect(page.locator('.not-running')).toContainText('image-registry.openshift-image-registry.svc:5000');

  // The guide's 6.1, with kubectl: the page follows without a reload.
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p',
    JSON.stringify({ spec: { managementState: 'Managed', defaultRoute: true, storage: { emptyDir: {} } } })]);
  const route = page.locator('.outside .route[data-route="default-route"]');
  await expect(route).toBeVisible({ timeout: 15_000 });
  const host = (await route.locator('h3').textContent())!;
  expect(host).toMatch(/^default-route-openshift-image-registry\./);
  // The ingress's own certificate: the guide's flag, and how to trust it instead.
  const login = route.locator('pre.podman-login');
  await expect(login).toHaveText(`podman login -u $(oc whoami) -p $(oc whoami -t) --tls-verify=false ${host}`);
  await expect(route.locator('.trust pre').last()).toHaveText(`sudo cp ingress-ca.crt /etc/containers/certs.d/${host}/ca.crt`, { useInnerText: false });

  await page.locator('input[name="project"]').fill('team-a');
  await page.locator('input[name="image"]').fill('myapp:1.0');
  await expect(route.locator('pre.podman-push')).toHaveText(`podman push --tls-verify=false ${host}/team-a/myapp:1.0`);
  // Inside the cluster: the service, without the flag.
  await expect(page.locator('.inside pre.podman-tag')).toHaveText(
    'podman tag myapp:1.0 image-registry.openshift-image-registry.svc:5000/team-a/myapp:1.0', { timeout: 15_000 });

  // Copy puts exactly the shown command on the clipboard.
  await route.locator('li:has(pre.podman-push) button.copy').click();
  await expect(route.locator('li:has(pre.podman-push) button.copy')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`podman push --tls-verify=false ${host}/team-a/myapp:1.0`);

  // What is not a project stays a placeholder, said beside the input.
  await page.locator('input[name="project"]').fill('Team A');
  await expect(page.locator('.connect-inputs .finding')).toContainText('not a project name');
  await expect(route.locator('pre.podman-push')).toContainText('/<project>/myapp:1.0');
  // The token is never in the page.
  expect(await page.content()).not.toContain(token('admin'));
});
