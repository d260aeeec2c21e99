import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test } from './support/test';
import { kubectl, token } from './support/cluster';
import { shownManagementState, signInWithToken, waitForHydration } from './support/console';
import { applyReviewed, askForReview, expectOutcome, find } from './support/forms';
import { consoleBin } from './support/paths';

// The console against a cluster it reaches through a kubeconfig, as with a real cluster:
// the demo cluster runs as its own process here, so the test can stop and restart it.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function start(args: string[]): ChildProcess {
  const child = spawn(consoleBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Sends `signal` (SIGTERM) and resolves with the exit code once the process has ended. */
async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  return exited;
}

/** A demo cluster as its own process, and a console reaching it through its kubeconfig. */
interface Pair {
  /** The console's address. */
  base: string;
  kubeconfig: string;
  /** Stops the cluster with `signal` (SIGTERM); resolves with its exit code. */
  stopCluster(signal?: NodeJS.Signals): Promise<number | null>;
  /** Starts the cluster again on the same data directory. */
  startCluster(): void;
  /** Stops the console (SIGTERM); resolves with its exit code. */
  stopConsole(): Promise<number | null>;
}

/** Runs `body` with a fresh pair, and stops both and removes their files after it. */
async function withPair(name: string, body: (pair: Pair) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `registry-console-${name}-`));
  const apiPort = await freePort();
  const consolePort = await freePort();
  const kubeconfig = path.join(dir, 'cluster', 'kubeconfig');
  const clusterArgs = ['demo-cluster', '--data-dir', path.join(dir, 'cluster'), '--listen', `127.0.0.1:${apiPort}`];
  let cluster = start(clusterArgs);
  let consoleServer: ChildProcess | undefined;
  try {
    await waitFor(async () => fs.existsSync(kubeconfig), 'the demo cluster');
    const server = start([
      'serve', '--kubeconfig', kubeconfig, '--data-dir', path.join(dir, 'console'),
      '--listen', `127.0.0.1:${consolePort}`,
    ]);
    consoleServer = server;
    const base = `http://127.0.0.1:${consolePort}`;
    await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 'the console');
    await body({
      base,
      kubeconfig,
      stopCluster: (signal) => stop(cluster, signal),
      startCluster: () => {
        cluster = start(clusterArgs);
      },
      stopConsole: () => stop(server),
    });
  } finally {
    if (consoleServer) await stop(consoleServer);
    await stop(cluster);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('an unreachable cluster marks the page stale, and it recovers by itself', async ({ page }) => {
  await withPair('stale', async ({ base, kubeconfig, stopCluster, startCluster, stopConsole }) => {
    await page.goto(`${base}/sign-in`);
    await expect(page.getByRole('button', { name: /Sign in as/ })).toHaveCount(0);
    await signInWithToken(page, token('admin', kubeconfig), base);
    await expect(shownManagementState(page)).toHaveText('Removed');
    await waitForHydration(page);
    await page.waitForTimeout(500);

    await stopCluster();
    const stale = page.locator('[data-stale]');
    await expect(stale).toContainText(/Stale since \d\d:\d\d:\d\d UTC/, { timeout: 10_000 });
    await expect(stale).toContainText('The cluster is not answering');
    await expect(shownManagementState(page)).toHaveText('Removed');

    startCluster();
    await expect(stale).toHaveCount(0, { timeout: 20_000 });
    await expect(shownManagementState(page)).toHaveText('Removed');

    // Graceful shutdown ends the page's open live stream instead of waiting for it.
    const stopping = Date.now();
    expect(await stopConsole()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);
  });
});

test('the cluster killed during an apply: the page says so, keeps the form, and the retry applies', async ({ page }) => {
  await withPair('killed', async ({ base, kubeconfig, stopCluster, startCluster }) => {
    await signInWithToken(page, token('admin', kubeconfig), base);
    await expect(shownManagementState(page)).toHaveText('Removed');
    await page.goto(`${base}/config`);
    await waitForHydration(page);

    const form = find.form(page, 'config');
    await find.field(form, 'managementState').selectOption('Managed');
    await form.getByLabel('Amazon S3').check();
    await find.field(form, 's3.bucket').fill('registry-images');
    await find.field(form, 's3.region').fill('us-east-1');
    await find.field(form, 'REGISTRY_STORAGE_S3_ACCESSKEY').fill('AKIAKILLED');
    await find.field(form, 'REGISTRY_STORAGE_S3_SECRETKEY').fill('killed-secret-value');
    await askForReview(page);
    await expect(find.command(page, 'oc-patch')).toBeVisible();

    // The API server dies between the review and the apply.
    await stopCluster('SIGKILL');
    await applyReviewed(page);
    const said = page.getByText(/stopped answering/);
    await expect(said).toBeVisible({ timeout: 20_000 });
    await expect(said).toContainText('may or may not have been made');
    // Nothing typed is lost.
    await expect(find.field(form, 's3.bucket')).toHaveValue('registry-images');
    await expect(find.field(form, 'REGISTRY_STORAGE_S3_ACCESSKEY')).toHaveValue('AKIAKILLED');
    await expect(find.field(form, 'REGISTRY_STORAGE_S3_SECRETKEY')).toHaveValue('killed-secret-value');
    await expect(find.field(form, 'managementState')).toHaveValue('Managed');

    // Back (its state kept on disk), the same form reviews and applies.
    startCluster();
    await waitFor(async () => kubectl(['get', 'namespace', 'default', '-o', 'name'], kubeconfig).includes('default'), 'the demo cluster again');
    await askForReview(page);
    await applyReviewed(page);
    await expectOutcome(page, 'Applied');
    const config = JSON.parse(kubectl(['get', 'configs.imageregistry.operator.openshift.io', 'cluster', '-o', 'json'], kubeconfig));
    expect(config.spec.storage.s3.bucket).toBe('registry-images');
    expect(config.spec.managementState).toBe('Managed');
  });
});
