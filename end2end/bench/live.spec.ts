import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { signInAsDemoUser, waitForHydration, shownManagementState } from '../tests/support/console';

const CONFIG = 'configs.imageregistry.operator.openshift.io';
const ROUNDS = 20;

function patchState(state: string): void {
  execFileSync('kubectl', ['--kubeconfig', process.env.BENCH_KUBECONFIG!, 'patch', CONFIG, 'cluster',
    '--type', 'merge', '-p', JSON.stringify({ spec: { managementState: state } })]);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const worst = (values: number[]) => Math.max(...values);

test('kubectl patch -> DOM, and the heap of an open overview', async ({ page }) => {
  // The WASM's linear memory is not part of the JS heap: keep each module's memory as it
  // is instantiated, to count it too.
  await page.addInitScript(() => {
    const memories: WebAssembly.Memory[] = ((window as any).wasmMemories = []);
    const keep = (result: any) => {
      const instance = result.instance ?? result;
      for (const value of Object.values(instance.exports ?? {})) {
        if (value instanceof WebAssembly.Memory && !memories.includes(value)) memories.push(value);
      }
      return result;
    };
    const streaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = (...args) => streaming(...args).then(keep);
    const plain = WebAssembly.instantiate;
    (WebAssembly as any).instantiate = (...args: any[]) => (plain as any)(...args).then(keep);
  });
  await signInAsDemoUser(page, 'admin');
  await page.goto('/');
  await waitForHydration(page);
  // The page records (on the machine's clock, the same as this process's) when the shown
  // management state changes.
  await page.evaluate(() => {
    const node = document.querySelector('.summary .management-state')!;
    (window as any).changes = [];
    new MutationObserver(() => (window as any).changes.push({ at: Date.now(), text: node.textContent }))
      .observe(node, { subtree: true, childList: true, characterData: true });
  });
  const fromStart: number[] = [];
  const fromAnswer: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const state = round % 2 === 0 ? 'Unmanaged' : 'Removed';
    const started = Date.now();
    patchState(state);
    const answered = Date.now();
    await expect(shownManagementState(page)).toContainText(state);
    const shown = await page.evaluate((state) =>
      (window as any).changes.filter((c: { text: string }) => c.text.includes(state)).pop().at, state);
    fromStart.push(shown - started);
    fromAnswer.push(shown - answered);
    await page.evaluate(() => ((window as any).changes = []));
  }
  console.log(`live: kubectl patch -> DOM over ${ROUNDS} rounds: median ${median(fromStart)} ms from kubectl's start `
    + `(worst ${worst(fromStart)}), median ${median(fromAnswer)} ms from its answer (worst ${worst(fromAnswer)})`);

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() =>
    ((window as any).wasmMemories as WebAssembly.Memory[]).reduce((sum, m) => sum + m.buffer.byteLength, 0));
  const pods = await page.locator('.pods tr[data-pod]').count();
  console.log(`heap: JS heap ${(usedSize / 2 ** 20).toFixed(1)} MB used of ${(totalSize / 2 ** 20).toFixed(1)} MB `
    + `after GC, `
    + `WASM memory ${(wasm / 2 ** 20).toFixed(1)} MB, ${pods} pod rows shown`);
});
