import { defineConfig } from '@playwright/test';
import { consoleBin, demoDataDir, demoPort } from './tests/support/paths';

// One console on the embedded demo cluster for the whole run. Tests share its state, so
// they run one at a time and each sets the state it starts from.
export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${demoPort}`,
    trace: 'off',
    // The tests read English unless they ask for another language (language.spec.ts).
    locale: 'en-US',
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    // Every test signs in from 127.0.0.1, far more often than the default limit of 10 a
    // minute per client allows.
    command: `rm -rf '${demoDataDir}' && '${consoleBin}' serve --demo --data-dir '${demoDataDir}' --listen 127.0.0.1:${demoPort} --sign-in-attempts-per-minute 1000`,
    url: `http://127.0.0.1:${demoPort}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
