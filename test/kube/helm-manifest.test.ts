import { describe, expect, it } from 'vitest';
import { findResource, manifestDocuments, parseManifest, redactManifestSecrets } from '../../src/kube/helm-manifest.js';

const manifest = `---
# Source: demo/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: demo-creds
data:
  token: c2hvcnQ=
stringData:
  password: plain-text-pw
---
# Source: demo/templates/svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: demo
  namespace: apps
spec:
  clusterIP: 10.0.0.12
---
# an empty document from a disabled template
---
- not
- an object
`;

describe('helm manifest parsing', () => {
  it('lists the objects with kind, name, namespace and template source', () => {
    const parsed = parseManifest(manifest);
    expect(parsed.map((r) => `${r.kind}/${r.name}`)).toEqual(['Secret/demo-creds', 'Service/demo']);
    expect(parsed[1]).toMatchObject({ apiVersion: 'v1', namespace: 'apps', source: 'demo/templates/svc.yaml' });
  });

  it('finds one resource by kind and name', () => {
    expect((findResource(manifest, 'Service', 'demo')?.object.spec as { clusterIP?: string }).clusterIP).toBe('10.0.0.12');
    expect(findResource(manifest, 'Service', 'other')).toBeUndefined();
    expect(findResource(manifest, 'Deployment', 'demo')).toBeUndefined();
  });

  it('redacts Secret data and stringData, short values included, and keeps other documents', () => {
    const out = redactManifestSecrets(manifest);
    expect(out).not.toContain('c2hvcnQ=');
    expect(out).not.toContain('plain-text-pw');
    const secret = findResource(out, 'Secret', 'demo-creds');
    expect(secret?.object.data).toEqual({ token: '[REDACTED]' });
    expect(secret?.object.stringData).toEqual({ password: '[REDACTED]' });
    expect(findResource(out, 'Service', 'demo')?.namespace).toBe('apps');
  });

  it('leaves a manifest without Secrets untouched', () => {
    const noSecret = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n';
    expect(redactManifestSecrets(noSecret)).toBe(noSecret);
  });

  it('splits documents where Helm does, and rewrites only the Secret ones (the others keep their text byte for byte)', () => {
    const docs = manifestDocuments(manifest);
    expect(docs.join('')).toBe(manifest);
    expect(docs.map((d) => d.split('\n')[1])).toEqual(['# Source: demo/templates/secret.yaml', '# Source: demo/templates/svc.yaml', '# an empty document from a disabled template', '- not']);
    const svc = docs[1] ?? '';
    const odd = `${svc.replace('clusterIP: 10.0.0.12', 'clusterIP:    "10.0.0.12"   # spaced as written')}`;
    const out = redactManifestSecrets(manifest.replace(svc, odd));
    expect(out).toContain(odd);
    expect(out).not.toContain('plain-text-pw');
    expect(manifestDocuments('a: 1\n--- # comment\nb: 2\n----not-a-marker: 3\n')).toEqual(['a: 1\n', '--- # comment\nb: 2\n----not-a-marker: 3\n']);
  });

  it('skips a document whose aliases expand past the cap instead of throwing', () => {
    const lol = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: lol }', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) lol.push(`  ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(parseManifest(`${lol.join('\n')}\n---\n${manifest}`).map((r) => r.name)).toEqual(['demo-creds', 'demo']);
  });
});

