import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeReleasePayload, toHelmRelease } from '../../src/kube/helm-release-codec.js';
import { ReleaseDecodeError } from '../../src/kube/errors.js';
import { isSecretKey, redactValues } from '../../src/kube/redact-values.js';
import { encodeHelmPayload, helmReleaseJson, helmReleaseObject } from '../support/scenario.js';

const release = helmReleaseJson({ name: 'api', namespace: 'prod', revision: 4, config: { image: { tag: '1.2' } } });

describe('helm release payload decoding', () => {
  it('decodes the Secret form (base64 twice) and the ConfigMap form (base64 once)', () => {
    const secret = helmReleaseObject({ name: 'api', namespace: 'prod', revision: 4 });
    const data = secret.data as { release: string };
    expect(data.release.startsWith('SDRzSUFBQUFB')).toBe(true);
    expect(decodeReleasePayload(data.release, 'secret', 'x')).toMatchObject({ name: 'api', version: 4 });
    const payload = encodeHelmPayload(release);
    expect(payload.startsWith('H4sI')).toBe(true);
    expect(decodeReleasePayload(payload, 'configmap', 'x')).toMatchObject({ config: { image: { tag: '1.2' } } });
  });

  it('accepts uncompressed JSON (old Helm 3 records)', () => {
    expect(decodeReleasePayload(encodeHelmPayload(release, false), 'configmap', 'x')).toMatchObject({ version: 4 });
  });

  it('caps the decompressed size (a gzip bomb stops at the cap)', () => {
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20)).toString('base64');
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => decodeReleasePayload(bomb, 'configmap', 'bomb', { maxDecodedBytes: 1_000_000 })).toThrow(/more than 1000000 bytes/);
  });

  it('refuses an oversized stored payload before decoding', () => {
    expect(() => decodeReleasePayload('A'.repeat(10_000), 'configmap', 'big', { maxDecodedBytes: 1_000 })).toThrow(ReleaseDecodeError);
  });

  it('reports corrupt gzip and non-JSON payloads as ReleaseDecodeError naming the object', () => {
    const corrupt = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08]), Buffer.from('garbage-garbage')]).toString('base64');
    expect(() => decodeReleasePayload(corrupt, 'configmap', 'sh.helm.release.v1.api.v4')).toThrow(/sh\.helm\.release\.v1\.api\.v4.*corrupt/);
    expect(() => decodeReleasePayload(Buffer.from('not json').toString('base64'), 'configmap', 'o')).toThrow(/not Helm release JSON/);
  });

  it('tolerates missing and unknown fields (Helm 3 and 4 shapes)', () => {
    const minimal = toHelmRelease({ name: 'api', version: 2, apply_method: 'ssa', info: { status: 'deployed', deleted: '' } }, { driver: 'secret', objectName: 'o', namespace: 'prod' });
    expect(minimal).toMatchObject({ name: 'api', namespace: 'prod', version: 2, info: { status: 'deployed' }, config: {}, manifest: '', hooks: [] });
    expect(minimal.info).not.toHaveProperty('deleted');
    expect(() => toHelmRelease({ version: 'x' }, { driver: 'secret', objectName: 'o', namespace: 'n' })).toThrow(ReleaseDecodeError);
  });

  it('names the field of a release JSON with the wrong shape', () => {
    const at = { driver: 'secret' as const, objectName: 'sh.helm.release.v1.api.v2', namespace: 'n' };
    const bad: Array<[unknown, RegExp]> = [
      [{ name: 'api', version: 1.5 }, /version: expected an integer/],
      [{ version: 2 }, /name: expected string/],
      [{ name: 'api', version: 2, info: { status: 3 } }, /info\.status: expected string/],
      [{ name: 'api', version: 2, chart: { values: [1] } }, /chart\.values: expected object/],
      [{ name: 'api', version: 2, hooks: [{ events: ['pre-install', 7] }] }, /hooks\[0\]\.events\[1\]: expected string/],
      [['not', 'an', 'object'], /expected an object/],
    ];
    for (const [json, message] of bad) expect(() => toHelmRelease(json, at)).toThrow(message);
    expect(toHelmRelease({ name: 'api', version: 2, info: null, chart: { metadata: null, values: null }, hooks: null }, at)).toMatchObject({ name: 'api', chart: { name: '', values: {} }, hooks: [] });
  });
});

describe('values redaction', () => {
  it('redacts by key, keeps booleans and ordinary values, and redacts token-like strings', () => {
    const out = redactValues({
      postgresql: { auth: { postgresPassword: 'pw1', username: 'app', enabled: true }, image: { tag: '11' } },
      existingSecret: 'db-creds',
      tls: { key: 'PRIVATE', crt: 'CERT-IS-PUBLIC' },
      list: [{ apiKey: 'k1' }, 'plain'],
      motd: 'ping xoxb-1111111111-abcdefghijk',
    });
    expect(out).toEqual({
      postgresql: { auth: { postgresPassword: '[REDACTED]', username: '[REDACTED]', enabled: true }, image: { tag: '11' } },
      existingSecret: '[REDACTED]',
      tls: { key: '[REDACTED]', crt: 'CERT-IS-PUBLIC' },
      list: [{ apiKey: '[REDACTED]' }, 'plain'],
      motd: expect.not.stringContaining('xoxb-1111111111'),
    });
  });

  it('classifies keys', () => {
    for (const k of ['password', 'adminPassword', 'secret', 'clientSecret', 'token', 'apiKey', 'api_key', 'credentials', 'key', 'connectionString']) expect(isSecretKey(k), k).toBe(true);
    for (const k of ['image', 'tag', 'repository', 'replicas', 'loadBalancerClass', 'keys', 'monitoring']) expect(isSecretKey(k), k).toBe(false);
  });
});
