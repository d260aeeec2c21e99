import { defineConfig } from '@playwright/test';
import baseConfig from './playwright.config';

// Measurements, not tests: bench/console.sh starts the release console and points these at
// it (BENCH_BASE, BENCH_KUBECONFIG). They print figures and assert nothing about time.
const base = process.env.BENCH_BASE;
if (!base) throw new Error('run through bench/console.sh (BENCH_BASE names the console)');

export default defineConfig({
  ...baseConfig,
  testDir: './bench',
  timeout: 180_000,
  use: { ...baseConfig.use, baseURL: base },
  webServer: undefined,
});
