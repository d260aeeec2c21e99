import * as os from 'node:os';
import * as path from 'node:path';

/** The binary under test; scripts/test.sh sets it, the default is tools/build-site.sh's debug layout. */
export const consoleBin =
  process.env.REGISTRY_CONSOLE_BIN ?? path.resolve(__dirname, '../../../target/debug/registry-console');

/** Port of the console that Playwright starts (on the embedded demo cluster). */
export const demoPort = Number(process.env.E2E_PORT ?? 18_480);

/** Its data directory: the demo cluster's kubeconfig is `kubeconfig` in here. */
export const demoDataDir = path.join(os.tmpdir(), `registry-console-e2e-${demoPort}`);

export const demoKubeconfig = path.join(demoDataDir, 'kubeconfig');
