import { describe, expect, it } from 'vitest';
import { redact, redactText } from '../../src/triage/redact.js';

// Fake secrets built at runtime so no scanner mistakes this file for a leak.
const slack = ['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const appToken = ['xapp', '1', 'A0123456789', '1234567890123', 'abcdef0123456789'].join('-');
const ghp = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
const pat = `github_pat_${'11ABCDEFG0'.repeat(3)}_${'x'.repeat(20)}`;
const glpat = `glpat-${'Ab1_Cd2-Ef3'.repeat(2)}`;
const akia = `AKIA${'ABCDEFGHIJ234567'}`;
const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.${'s1gnature'.repeat(3)}`;

describe('redact', () => {
  const cases: Array<[string, string, string]> = [
    ['Slack bot token', `token is ${slack} ok`, 'slack-token'],
    ['Slack app token', `SLACK_APP_TOKEN=${appToken}`, 'slack-token'],
    ['GitHub token in a URL', `git clone https://x-access:${ghp}@github.com/o/r`, 'github-token'],
    ['GitHub classic token alone', `using ${ghp}`, 'github-token'],
    ['GitHub fine-grained token', `GH=${pat}`, 'github-token'],
    ['GitLab token', `PRIVATE-TOKEN ${glpat}`, 'gitlab-token'],
    ['AWS access key', `aws_access_key_id = ${akia}`, 'aws-access-key'],
    ['AWS secret key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws-secret'],
    ['JWT', `kube token ${jwt}`, 'jwt'],
    ['Bearer token', 'curl -H "Authorization: Bearer abcdefghijklmnop1234"', 'authorization'],
    ['bare bearer', 'using bearer abcdefghijklmnop1234', 'bearer'],
    ['--set password', 'helm upgrade db ./db --set auth.password=S3cr3t!x', 'secret'],
    ['YAML password', 'postgresPassword: hunter2hunter2', 'secret'],
    ['JSON secret', '{"clientSecret":"abc123def456"}', 'secret'],
    ['apiKey', 'apiKey=0123456789abcdef', 'secret'],
    ['URL credentials', 'pulling from https://admin:pa55word@registry.example.com/v2/', 'url-credentials'],
  ];
  for (const [name, input, kind] of cases) {
    it(`replaces a ${name}`, () => {
      const r = redact(input);
      expect(r.count).toBeGreaterThan(0);
      expect(r.kinds[kind]).toBeGreaterThan(0);
      expect(r.text).toContain(`[REDACTED:${kind}]`);
    });
  }

  it('removes the secret values themselves', () => {
    const input = [slack, ghp, akia, jwt, 'auth.password=S3cr3t!x', 'https://admin:pa55word@h/'].join('\n');
    const { text } = redactText(input);
    for (const secret of [slack, ghp, akia, jwt, 'S3cr3t!x', 'pa55word']) expect(text).not.toContain(secret);
  });

  it('redacts PEM blocks, even without an END line', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAabcdefghijklmnop\nqrstuvwxyz0123456789abcdefgh\n-----END RSA PRIVATE KEY-----';
    expect(redact(`key:\n${pem}\nafter`).text).toBe('key:\n[REDACTED:pem]\nafter');
    const cut = redact('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\nAASCBKcwggSjAgEAAoIBAQC7\nError: boom');
    expect(cut.text).toBe('[REDACTED:pem]\nError: boom');
  });

  it('redacts base64 values under data: and every value under stringData:', () => {
    const yaml = 'kind: Secret\ndata:\n  password: aHVudGVyMmh1bnRlcjJodW50ZXIy\n  short: eWVz\nstringData:\n  token: plain\nmetadata:\n  name: web';
    const { text } = redact(yaml);
    expect(text).toContain('password: [REDACTED:secret');
    expect(text).not.toContain('aHVudGVyMmh1bnRlcjJodW50ZXIy');
    expect(text).toContain('short: eWVz');
    expect(text).not.toContain('token: plain');
    expect(text).toContain('name: web');
  });

  it('leaves ordinary Helm and Kubernetes output alone', () => {
    const text = [
      'Error: UPGRADE FAILED: Service "web" is invalid: spec.clusterIP: Invalid value: "": field is immutable',
      'secretName: web-tls',
      'tokenRef: api',
      'kind: Secret',
      'secrets "sh.helm.release.v1.web.v3" is forbidden: User "ci" cannot get resource "secrets"',
      'image: registry.example.com/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    ].join('\n');
    const r = redact(text);
    expect(r.count).toBe(0);
    expect(r.text).toBe(text);
  });

  it('stays linear on adversarial input (completes, correct)', () => {
    const input = 'password=token:secret '.repeat(20_000);
    const r = redact(input);
    expect(r.text).not.toMatch(/password=token/);
    expect(redact('-----BEGIN '.repeat(50_000)).text.length).toBeGreaterThan(0);
  });
});
