import { expect, test } from '@playwright/test';
import { signInAsDemoUser, waitForHydration } from '../tests/support/console';

/**
 * The overview's first load (HTML, JS, WASM, CSS, as received: brotli) may not exceed
 * this. A change that grows it past the budget fails here with the list of files, largest
 * first; `twiggy top` on the split main module (tools/site-wasm's output before wasm-opt
 * keeps the names) says what in the WASM grew.
 */
const BUDGET = 250 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

test('the overview\'s first load stays within its budget, and other pages load their own chunks', async ({ browser }) => {
  // Sign in once, then load the overview in a fresh context with that session only: an
  // empty cache, as a person's first visit.
  const signIn = await browser.newContext();
  const first = await signIn.newPage();
  await signInAsDemoUser(first, 'admin');
  const cookies = await signIn.cookies();
  await signIn.close();

  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const loaded: { url: string; bytes: number; encoding: string }[] = [];
  page.on('requestfinished', async (request) => {
    const response = await request.response();
    if (!response) return;
    const sizes = await request.sizes();
    loaded.push({
      url: new URL(request.url()).pathname,
      bytes: sizes.responseBodySize,
      encoding: (await response.allHeaders())['content-encoding'] ?? 'none',
    });
  });
  await page.goto('/');
  await waitForHydration(page);
  // Anything the page fetches by itself once hydrated (the live stream stays open and is
  // not part of the load).
  await page.waitForLoadState('networkidle').catch(() => {});

  const files = loaded.filter((file) => file.url !== '/api/live');
  files.sort((a, b) => b.bytes - a.bytes);
  const total = files.reduce((sum, file) => sum + file.bytes, 0);
  const report = [
    `first load of the overview: ${kb(total)} in ${files.length} responses (budget ${kb(BUDGET)})`,
    ...files.map((file) => `  ${kb(file.bytes).padStart(9)}  ${file.encoding.padEnd(4)}  ${file.url}`),
    total > BUDGET ? `  over budget by ${kb(total - BUDGET)}` : `  ${kb(BUDGET - total)} left`,
  ].join('\n');
  console.log(report);
  for (const file of files.filter((f) => f.url.startsWith('/pkg/') && f.url.endsWith('.wasm'))) {
    expect(file.encoding, `${file.url} is sent precompressed`).toBe('br');
  }
  // The forms' code is not part of it.
  expect(files.filter((file) => /split_(config|pruner)_view_/.test(file.url))).toEqual([]);
  expect(total, report).toBeLessThanOrEqual(BUDGET);

  // Each other page loads its own chunk when it is opened.
  for (const [link, chunk] of [['/config', 'split_config_view_'], ['/pruner', 'split_pruner_view_']]) {
    const chunkLoaded = page.waitForResponse((response) => response.url().includes(chunk));
    await page.goto(link);
    await chunkLoaded;
    await waitForHydration(page);
  }
  await context.close();
});
