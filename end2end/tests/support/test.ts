import { expect, test as base } from '@playwright/test';

export { expect };
export type { Locator, Page } from '@playwright/test';

/**
 * Playwright's `test`, plus a record of what each page said that a failure leaves
 * unexplained otherwise: the browser's console errors and warnings, uncaught exceptions
 * (a panic in the WASM), failed requests and answers of 400 and up. It is attached to a test
 * that fails (the list reporter prints it), so a page that never hydrated in CI says why.
 */
export const test = base.extend<{ pageLog: string[] }>({
  pageLog: [
    async ({ context }, use, testInfo) => {
      const log: string[] = [];
      const started = Date.now();
      const note = (line: string) => log.push(`+${Date.now() - started} ms ${line}`);
      const watch = (page: import('@playwright/test').Page) => {
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') {
            note(`console ${message.type()}: ${message.text()}`);
          }
        });
        page.on('pageerror', (error) => note(`uncaught: ${error.stack ?? error.message}`));
        page.on('requestfailed', (request) =>
          note(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
        page.on('response', (response) => {
          if (response.status() >= 400) note(`answer ${response.status()}: ${response.request().method()} ${response.url()}`);
        });
        page.on('crash', () => note('the page crashed'));
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use(log);
      if (testInfo.status !== testInfo.expectedStatus && log.length > 0) {
        await testInfo.attach('browser-log', { body: log.join('\n'), contentType: 'text/plain' });
      }
    },
    { auto: true },
  ],
});
