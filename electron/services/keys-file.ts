// Desktop key store: each provider's key encrypted by the OS keychain (Electron's safeStorage,
// passed in as a cipher so this file stays free of electron) and written 0o600, atomically.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../engine/atomic';
import { envVarFor, type KeyStore } from './keys';

export interface Cipher {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export function encryptedKeyStore(dir: string, cipher: Cipher): KeyStore {
  const fileFor = (provider: string) => path.join(dir, `${provider.replace(/[^a-z0-9_-]/gi, '_')}.key`);
  return {
    canStore: true,
    persistent: true,
    async set(provider, key) {
      if (!envVarFor(provider)) return false;
      if (!key) {
        await fs.rm(fileFor(provider), { force: true });
        return true;
      }
      // Refuse rather than write a key in the clear when the OS offers no keychain.
      if (!cipher.isEncryptionAvailable()) return false;
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(fileFor(provider), cipher.encryptString(key), 0o600);
      return true;
    },
    async env() {
      const out: Record<string, string> = {};
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      for (const name of names.filter((n) => n.endsWith('.key'))) {
        const provider = name.slice(0, -4);
        const variable = envVarFor(provider);
        if (!variable) continue;
        try {
          out[variable] = cipher.decryptString(await fs.readFile(path.join(dir, name)));
        } catch {
          // Unreadable (another OS user, keychain reset): behave as if no key were set.
        }
      }
      return out;
    },
  };
}
