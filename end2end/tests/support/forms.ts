import { expect, Locator, Page } from '@playwright/test';
import { signInAsDemoUser, waitForHydration } from './console';

/** The edit pages and their forms, by the name the form's class carries. */
export type FormName = 'config' | 'pruner';

/** Find: the parts every edit page has, by what they are rather than how they are styled. */
export const find = {
  form: (page: Page, name: FormName): Locator => page.locator(`form.${name}-form`),
  /** An input, select or upload by its `name`. */
  field: (form: Locator, name: string): Locator => form.locator(`[name="${name}"]`),
  /** The live finding about a field path (`spec.storage.s3.bucket`, `credentials`). */
  finding: (form: Locator, path: string): Locator => form.locator(`.live-findings [data-field="${path}"]`),
  /** The findings shown next to the input named `name`. */
  findingNear: (form: Locator, name: string): Locator => form.locator(`label:has([name="${name}"]) .findings.near`),
  liveErrors: (form: Locator): Locator => form.locator('.live-findings .finding.error'),
  reviewButton: (page: Page): Locator => page.getByRole('button', { name: 'Review the change' }),
  review: (page: Page): Locator => page.locator('.review'),
  /** One of the review's equivalent commands: `oc-patch`, `oc-secret`, `oc-claim`. */
  command: (page: Page, kind: 'oc-patch' | 'oc-secret' | 'oc-claim'): Locator => page.locator(`.review pre.${kind}`),
  outcome: (page: Page): Locator => page.locator('.outcome'),
};

/** Act: signs in as a demo user and opens an edit page, hydrated. */
export async function openAs(page: Page, user: 'admin' | 'viewer', path: string): Promise<void> {
  await signInAsDemoUser(page, user);
  await page.goto(path);
  await waitForHydration(page);
}

/** Act: asks for the review of what the form holds. */
export async function askForReview(page: Page): Promise<Locator> {
  await find.reviewButton(page).click();
  return find.review(page);
}

/** Act: applies the change the review shows. */
export async function applyReviewed(page: Page): Promise<void> {
  await find.review(page).getByRole('button', { name: 'Apply' }).click();
}

/**
 * Check: the outcome of the last apply says `text`, and it is where the user is: in view
 * and focused (a keyboard user goes on from there).
 */
export async function expectOutcome(page: Page, text: string | RegExp): Promise<void> {
  await expect(find.outcome(page)).toContainText(text);
  await expect(find.outcome(page)).toBeFocused();
  await expect(find.outcome(page)).toBeInViewport();
}

/** Check: no live finding blocks the change. */
export async function expectNoLiveErrors(form: Locator): Promise<void> {
  await expect(find.liveErrors(form)).toHaveCount(0);
}
