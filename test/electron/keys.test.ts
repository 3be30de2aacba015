// The key stores: on the desktop keys leave only encrypted, in files only the user can read, and
// never in the clear when the OS has no keychain; web mode keeps them in the server's memory.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keySources, memoryKeyStore } from '../../electron/services/keys';
import { encryptedKeyStore, type Cipher } from '../../electron/services/keys-file';

// A reversible stand-in for safeStorage: enough to see what reaches the disk.
const xor = (b: Buffer) => Buffer.from(b.map((c) => c ^ 0x5a));
const cipher = (available = true): Cipher => ({
  isEncryptionAvailable: () => available,
  encryptString: (s) => xor(Buffer.from(s, 'utf8')),
  decryptString: (b) => xor(b).toString('utf8'),
});

describe('encrypted key store', () => {
  it('writes keys encrypted, mode 0600, and hands them to runs as env vars', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sg-keys-')), 'keys');
    const store = encryptedKeyStore(dir, cipher());
    expect(await store.set('ark', 'sk-test-1234567890')).toBe(true);
    const [file] = readdirSync(dir);
    const stored = readFileSync(path.join(dir, file!));
    expect(stored.toString('utf8')).not.toContain('sk-test');
    if (process.platform !== 'win32') expect(statSync(path.join(dir, file!)).mode & 0o777).toBe(0o600);
    expect(await store.env()).toEqual({ ARK_API_KEY: 'sk-test-1234567890' });
    expect(await store.set('ark', '')).toBe(true);
    expect(await store.env()).toEqual({});
  });

  it('refuses to store a key without a keychain, or for a provider that takes none', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'sg-keys-')), 'keys');
    expect(await encryptedKeyStore(dir, cipher(false)).set('ark', 'sk-test-1234567890')).toBe(false);
    expect(await encryptedKeyStore(dir, cipher()).set('animatic', 'whatever')).toBe(false);
    expect(await encryptedKeyStore(dir, cipher()).env()).toEqual({});
  });
});

describe('web mode key store', () => {
  it('keeps keys in memory only, says where each comes from, and never hands them back but to runs', async () => {
    const store = memoryKeyStore();
    expect(store.persistent).toBe(false);
    expect(await store.set('seed2', 'sk-web-1234')).toBe(true);
    expect(await store.set('animatic', 'whatever')).toBe(false);
    expect(await store.env()).toEqual({ SEED2_API_KEY: 'sk-web-1234' });
    const sources = await keySources(store, { INFERENCE_API_KEY: 'from-env' });
    expect(sources).toMatchObject({ seed2: 'stored', inference: 'environment', ark: null });
    expect(JSON.stringify(sources)).not.toContain('sk-web');
    expect(await store.set('seed2', '')).toBe(true);
    expect(await store.env()).toEqual({});
  });
});
