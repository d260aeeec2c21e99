import { expect, test } from './support/test';
import { kubectl } from './support/cluster';
import { signInAsDemoUser, waitForHydration } from './support/console';

test.afterEach(() => {
  kubectl(['delete', 'rolebinding', 'registry-viewer', '-n', 'default', '--ignore-not-found']);
});

/** `kubectl auth can-i` as the viewer: may they pull (get imagestreams/layers) in default? */
function viewerMayPull(): string {
  try {
    return kubectl(['auth', 'can-i', 'get', 'imagestreams', '--subresource=layers', '-n', 'default'], undefined, 'viewer').trim();
  } catch {
    return 'no';
  }
}

test('granting registry-viewer: the review shows the oc command, the cluster then says the grantee may pull, and revoking names what is lost', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.getByRole('link', { name: 'Access' }).click();
  await expect(page).toHaveURL(/\/access$/);
  await waitForHydration(page);
  await expect(page.locator('.grants h2')).toHaveText('In project default');
  expect(viewerMayPull()).toBe('no');

  const form = page.locator('.access-form');
  await form.locator('select[name="role"]').selectOption('registry-viewer');
  await form.locator('select[name="kind"]').selectOption('User');
  await form.locator('input[name="subject"]').fill('viewer');
  await page.locator('button.review-access').click();
  await expect(page.locator('.review pre.command')).toHaveText('oc policy add-role-to-user registry-viewer viewer -n default');
  await page.locator('.review button.apply-access').click();
  await expect(page.locator('.outcome')).toContainText('Applied');
  await expect(page.locator('.allowed')).toContainText('viewer may pull: yes, push: no');
  await expect(page.locator('.grant[data-role="registry-viewer"][data-subject="viewer"]')).toBeVisible();
  expect(viewerMayPull()).toBe('yes');

  await page.locator('.grant[data-subject="viewer"] button.revoke').click();
  await expect(page.locator('.revoke-danger')).toContainText('loses');
  await page.locator('button.review-access').click();
  await expect(page.locator('.review pre.command')).toHaveText('oc policy remove-role-from-user registry-viewer viewer -n default');
  await page.getByRole('button', { name: 'Revoke registry-viewer from viewer' }).click();
  await expect(page.locator('.allowed')).toContainText('viewer may pull: no');
  await expect(page.locator('.grant[data-subject="viewer"]')).toHaveCount(0);
  expect(viewerMayPull()).toBe('no');
});
