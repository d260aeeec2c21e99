import { execFileSync } from 'node:child_process';
import { demoKubeconfig } from './paths';

const CONFIG = 'configs.imageregistry.operator.openshift.io';

/** Runs kubectl against a demo cluster, as a person at a terminal would. */
export function kubectl(args: string[], kubeconfig = demoKubeconfig, context?: string): string {
  const base = ['--kubeconfig', kubeconfig];
  if (context) base.push('--context', context);
  return execFileSync('kubectl', [...base, ...args], { encoding: 'utf8' });
}

/** `spec.managementState` of the registry config, read with kubectl. */
export function managementState(kubeconfig = demoKubeconfig): string {
  return kubectl(['get', CONFIG, 'cluster', '-o', 'jsonpath={.spec.managementState}'], kubeconfig);
}

/** The config's resourceVersion, as a page would have shown it. */
export function resourceVersion(kubeconfig = demoKubeconfig): string {
  return kubectl(['get', CONFIG, 'cluster', '-o', 'jsonpath={.metadata.resourceVersion}'], kubeconfig);
}

/** Sets the management state with `kubectl patch --type merge`. */
export function patchManagementState(state: string, kubeconfig = demoKubeconfig): void {
  kubectl(['patch', CONFIG, 'cluster', '--type', 'merge', '-p', JSON.stringify({ spec: { managementState: state } })], kubeconfig);
}

/** A demo user's token, from the kubeconfig the demo cluster wrote. */
export function token(user: 'admin' | 'viewer', kubeconfig = demoKubeconfig): string {
  return kubectl(['config', 'view', '--raw', '-o', `jsonpath={.users[?(@.name=="${user}")].user.token}`], kubeconfig);
}
