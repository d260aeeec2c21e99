import { expect, Page, test } from './support/test';
import { waitForHydration } from './support/console';
import { find } from './support/forms';

// A reader whose browser prefers Chinese.
test.use({ locale: 'zh-CN' });

/**
 * The visible text of the page's translated parts that is English words: everything but
 * code (commands, resource names), the language switcher's own "English", user names and
 * the cluster's own words. Empty when the page reads as Chinese.
 */
async function englishLeftIn(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    // Words the Chinese text keeps as the cluster and the guide spell them (glossary.md).
    const allowed = new RegExp(
      '^(admin|viewer|English|Bearer|RBAC|OpenShift|Web|Operator|PVC|Secret|secret|pod|' +
        'deployment|service|Managed|Unmanaged|Removed|emptyDir|PersistentVolumeClaim|' +
        'ReadWriteMany|ReadWriteOnce|Recreate|StorageNotConfigured|Gi|Mi|DNS|TLS|UTC|vSphere|' +
        'rollout|blob|HTTP|HTTPS|Go|CPU|reencrypt|NoExecute|AWS|KMS|ID|MiB|CA|ConfigMap|' +
        'CloudFront|URL|Amazon|Job|CronJob|Cron|PEM|IP|SHA|Ingress)$',
    );
    const words: string[] = [];
    for (const root of Array.from(document.querySelectorAll(selector))) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        // `translate="no"` marks the cluster's own words: names, states, reasons, messages.
        if (!parent || parent.closest('code, pre, .user-name, [lang="en"], [translate="no"], script, style')) continue;
        if (parent.offsetParent === null && parent.tagName !== 'TITLE') continue;
        // Names as the cluster spells them (image-registry-storage, REGISTRY_STORAGE_S3_REGION,
        // configs.imageregistry) are not words of the page's language.
        const text = (node.textContent ?? '').replace(/[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)+/g, ' ');
        for (const word of text.match(/[A-Za-z]{2,}/g) ?? []) {
          if (!allowed.test(word)) words.push(word);
        }
      }
    }
    return words;
  }, selector);
}

test('a Chinese browser gets the console in Chinese, and the switcher changes it without signing out', async ({ page }) => {
  await page.goto('/sign-in');
  await waitForHydration(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('镜像仓库控制台');
  await expect(page.getByLabel('Bearer 令牌')).toBeVisible();
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  await page.getByRole('button', { name: '以 admin 身份登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.user-name')).toHaveText('admin');
  const bar = page.locator('.top-bar');
  await expect(bar.getByRole('navigation')).toContainText('概览');
  await expect(bar.getByRole('button', { name: '退出登录' })).toBeVisible();
  expect(await englishLeftIn(page, '.top-bar')).toEqual([]);
  await expect(page).toHaveTitle('镜像仓库控制台');

  // To English on another page: the same page, still signed in, and it stays English.
  await page.goto('/pruner');
  await waitForHydration(page);
  await bar.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/pruner$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(bar.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.locator('.user-name')).toHaveText('admin');
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // And back, after the page has hydrated (the form posts the path the router is on).
  await waitForHydration(page);
  await bar.getByRole('button', { name: '简体中文' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(bar.getByRole('button', { name: '退出登录' })).toBeVisible();
});

test('a page reached in the browser loads its words with its code', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: '以 admin 身份登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);
  // The overview's document carries only the common words; the configuration page, opened
  // by the router, fetches its own (findings) and renders in Chinese.
  const catalogue = page.waitForResponse((response) => response.url().endsWith('/api/catalogue'));
  await page.locator('.top-bar nav').getByRole('link', { name: '配置' }).click();
  await expect(page).toHaveURL(/\/config$/);
  expect((await catalogue).status()).toBe(200);
  await expect(page.locator('.top-bar nav')).toContainText('镜像修剪器');
});

test('the overview reads as Chinese: the guide, the doctor, the summary and the tables', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: '以 admin 身份登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('镜像仓库');
  await expect(page.locator('.doctor h2')).toHaveText('配置诊断');
  await expect(page.locator('[data-first-run]')).toContainText('选择存储');
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  // The management state dialog is a chunk of its own, with its own words.
  await page.getByRole('button', { name: '更改管理状态…' }).click();
  await page.locator('[data-choice="Managed"]').click();
  await expect(page.locator('.management .confirm')).toContainText('改为 Managed');
  expect(await englishLeftIn(page, '.management')).toEqual([]);
});

test('the configuration, pruner, routes, trusted CA, access and connect pages read as Chinese, findings and review included', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: '以 admin 身份登录' }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto('/config');
  await waitForHydration(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  // A finding next to its field, and the review, in Chinese.
  const form = find.form(page, 'config');
  await form.getByLabel('Amazon S3', { exact: true }).check();
  await expect(find.finding(form, 'spec.storage.s3.bucket')).toBeVisible();
  expect(await englishLeftIn(page, 'form.config-form')).toEqual([]);
  await form.getByLabel('PersistentVolumeClaim').check();
  await find.field(form, 'managementState').selectOption('Managed');
  await page.getByRole('button', { name: '检查更改' }).click();
  await expect(find.review(page)).toBeVisible();
  expect(await englishLeftIn(page, '.review')).toEqual([]);

  await page.goto('/pruner');
  await waitForHydration(page);
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  await page.goto('/trust');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: '受信任的 CA', level: 1 })).toBeVisible();
  await page.locator('input[name="registry"]').fill('仓库地址');
  await expect(page.locator('.ca-form .finding.error').first()).toBeVisible();
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  await page.goto('/routes');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: '路由', level: 1 })).toBeVisible();
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  await page.goto('/access');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: '访问权限', level: 1 })).toBeVisible();
  await page.locator('input[name="subject"]').fill('开发 团队');
  await expect(page.locator('.access-form .finding.error').first()).toBeVisible();
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  await page.goto('/connect');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: '连接到镜像仓库' })).toBeVisible();
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  await page.goto('/registry-metrics');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: '镜像仓库指标' })).toBeVisible();
  await expect(page.getByRole('button', { name: '1 小时' })).toHaveAttribute('aria-pressed', 'true');
  expect(await englishLeftIn(page, 'main')).toEqual([]);

  await page.goto('/registry-logs');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: '镜像仓库日志和事件' })).toBeVisible();
  expect(await englishLeftIn(page, 'main')).toEqual([]);
});
