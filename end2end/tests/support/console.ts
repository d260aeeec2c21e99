import { expect, Page } from '@playwright/test';

/** Waits until the WASM has hydrated the page (the app marks `<html data-hydrated>`). */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator('html[data-hydrated]')).toHaveCount(1, { timeout: 30_000 });
}

/** Signs in with the demo sign-in page's one-click button. */
export async function signInAsDemoUser(page: Page, user: 'admin' | 'viewer'): Promise<void> {
  await page.goto('/sign-in');
  // By the button's user, not its words: the same in every language.
  await page.locator(`button[data-demo-user="${user}"]`).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.user-name')).toHaveText(user);
}

/** Signs in by pasting a token into the token field (of the console at `base`, if given). */
export async function signInWithToken(page: Page, token: string, base = ''): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await waitForHydration(page);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** The management state as the overview shows it. */
export function shownManagementState(page: Page) {
  return page.locator('.summary .management-state');
}
