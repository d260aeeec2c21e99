import * as os from 'node:os';
import * as path from 'node:path';
import { defineConfig } from '@playwright/test';
import baseConfig from './playwright.config';
import { consoleBin } from './tests/support/paths';

// The first-load budget: the console serving the release site (BUDGET_SITE_DIR, built by
// `tools/build-site.sh --release --site-only`), measured in Chromium. Size is
// deterministic, so it is checked here; speed is left to the benchmarks.
const port = Number(process.env.BUDGET_PORT ?? 18_490);
const dataDir = path.join(os.tmpdir(), `registry-console-budget-${port}`);
const siteDir = process.env.BUDGET_SITE_DIR;
if (!siteDir) throw new Error('set BUDGET_SITE_DIR to the release site (tools/build-site.sh --release --site-only)');

export default defineConfig({
  ...baseConfig,
  testDir: './budget',
  use: { ...baseConfig.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    command: `rm -rf '${dataDir}' && '${consoleBin}' serve --demo --data-dir '${dataDir}' --listen 127.0.0.1:${port} --site-dir '${siteDir}'`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
