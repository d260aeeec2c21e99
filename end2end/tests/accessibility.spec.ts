import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from './support/test';
import { kubectl } from './support/cluster';
import { makeCa } from './support/certificates';
import { signInAsDemoUser, waitForHydration } from './support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';

// Every page, as an admin and as a viewer, in both languages: axe-core (WCAG 2.1 A and AA)
// finds no serious or critical violation, and a 360 px screen (the narrowest phones in use)
// needs no sideways scrolling.

const PAGES = ['/', '/config', '/pruner', '/routes', '/trust', '/access', '/connect', '/registry-metrics', '/registry-logs'];

/** The serious and critical violations on the page as it is now, one line each. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(' ')}: ${v.help}`));
}

/** How many pixels wider than the window the page is (0 when nothing scrolls sideways). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** The elements that stick out to the right of the window, for the failure message. */
async function widest(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}: ${Math.round(el.getBoundingClientRect().right)} px`),
  );
}

async function check(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
  expect(await violations(page), `axe-core on ${path}`).toEqual([]);
  expect(await overflow(page), `${path} at ${page.viewportSize()?.width} px: ${(await widest(page)).join('; ')}`).toBeLessThanOrEqual(0);
}

for (const locale of ['en-US', 'zh-CN']) {
  test.describe(`in ${locale}`, () => {
    test.use({ locale, viewport: { width: 360, height: 780 } });

    test('the sign-in page and a page that does not exist', async ({ page }) => {
      await check(page, '/sign-in');
      await signInAsDemoUser(page, 'viewer');
      await check(page, '/no-such-page');
    });

    for (const user of ['admin', 'viewer'] as const) {
      test(`every page, as ${user}`, async ({ page }) => {
        await signInAsDemoUser(page, user);
        for (const path of PAGES) await check(page, path);
      });
    }

    test('the prune plan, and edits merged with a change made meanwhile', async ({ page }) => {
      await signInAsDemoUser(page, 'admin');
      await page.goto('/pruner');
      await waitForHydration(page);
      await page.locator('button.prune-now').click();
      await expect(page.locator('.prune-plan')).toBeVisible();
      expect(await violations(page)).toEqual([]);
      expect(await overflow(page), (await widest(page)).join('; ')).toBeLessThanOrEqual(0);

      await page.goto('/config');
      await waitForHydration(page);
      // A new route's fields, each with a visible label, one under the other.
      await page.locator('button.add-route').click();
      await expect(page.locator('.route-row label.route-cell')).toHaveCount(3);
      await expect(page.locator('input[name="routes[0].hostname"]')).toBeVisible();
      await page.locator('form.config-form [name="replicas"]').fill('2');
      await page.locator('form.config-form [name="logLevel"]').selectOption('Debug');
      try {
        kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p', '{"spec":{"logLevel":"Trace"}}']);
        await page.locator('.changed-meanwhile button').click();
        await expect(page.locator('.merge .clash')).toBeVisible();
        expect(await violations(page)).toEqual([]);
        expect(await overflow(page), (await widest(page)).join('; ')).toBeLessThanOrEqual(0);
      } finally {
        kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p', '{"spec":{"logLevel":"Normal"}}']);
      }
    });

    test('a trusted CA with its certificate, and its removal under review', async ({ page }) => {
      const ca = makeCa('Accessibility Check CA');
      kubectl(['create', 'configmap', 'registry-config', '-n', 'openshift-config',
        `--from-literal=registry.example.com..5000=${ca.cert}`]);
      kubectl(['patch', 'image.config.openshift.io/cluster', '--type', 'merge', '-p',
        '{"spec":{"additionalTrustedCA":{"name":"registry-config"}}}']);
      try {
        await signInAsDemoUser(page, 'admin');
        await check(page, '/trust');
        await page.locator('.ca-entry button.remove-ca').click();
        await page.locator('button.review-ca').click();
        await expect(page.locator('.review')).toBeVisible();
        expect(await violations(page)).toEqual([]);
        expect(await overflow(page), (await widest(page)).join('; ')).toBeLessThanOrEqual(0);
      } finally {
        kubectl(['delete', 'configmap', 'registry-config', '-n', 'openshift-config', '--ignore-not-found']);
        kubectl(['patch', 'image.config.openshift.io/cluster', '--type', 'merge', '-p', '{"spec":{"additionalTrustedCA":null}}']);
      }
    });

    test('the management state chooser, open', async ({ page }) => {
      await signInAsDemoUser(page, 'admin');
      await page.goto('/');
      await waitForHydration(page);
      await page.locator('.open-management').click();
      await expect(page.locator('.choice').first()).toBeVisible();
      expect(await violations(page)).toEqual([]);
      expect(await overflow(page), (await widest(page)).join('; ')).toBeLessThanOrEqual(0);
    });
  });
}

test('the keyboard: the first Tab is the skip link, and Escape closes the chooser', async ({ page }) => {
  await signInAsDemoUser(page, 'admin');
  await page.goto('/');
  await waitForHydration(page);
  await page.keyboard.press('Tab');
  const skip = page.locator('a.skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);

  const toggle = page.locator('.open-management');
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('.choice').first()).toBeVisible();
  await page.locator('.choice').first().focus();
  await page.keyboard.press('Escape');
  await expect(page.locator('.choice')).toHaveCount(0);
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toBeFocused();
});
