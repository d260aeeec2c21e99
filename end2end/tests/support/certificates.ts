import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A self-signed CA certificate and its key, made with openssl at test time. */
export function makeCa(commonName: string): { cert: string; key: string } {
  return selfSigned(`/CN=${commonName}`, 365, ['-addext', 'basicConstraints=critical,CA:TRUE']);
}

/** A self-signed server certificate for `host` and its key, made with openssl at test time. */
export function makeServerPair(host: string): { cert: string; key: string } {
  return selfSigned(`/CN=${host}`, 90, ['-addext', `subjectAltName=DNS:${host}`]);
}

function selfSigned(subject: string, days: number, extensions: string[]): { cert: string; key: string } {
  // openssl writes the pair to files; they are read and removed at once, so no key is
  // left behind in the temporary directory.
  const dir = mkdtempSync(join(tmpdir(), 'registry-console-cert-'));
  try {
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', String(days), '-subj', subject, ...extensions,
    ], { stdio: 'ignore' });
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
