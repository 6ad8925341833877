// The desktop's TokenVault: the sync token encrypted with the OS keychain through Electron's safeStorage
// (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux), in a file in userData.
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { TokenVault } from '../backend/sync/token-vault';

const FILE = 'sync-token.enc';

export class SafeStorageTokenVault implements TokenVault {
  private readonly path: string;
  /** Where no OS encryption is available the token lives for this run only: sign in again next time. */
  private memory: string | null = null;

  constructor(userDataDir: string) {
    this.path = join(userDataDir, FILE);
  }

  async load(): Promise<string | null> {
    if (this.memory !== null) return this.memory;
    if (!safeStorage.isEncryptionAvailable()) return null;
    let sealed: Buffer;
    try {
      sealed = readFileSync(this.path);
    } catch {
      return null;
    }
    try {
      return safeStorage.decryptString(sealed);
    } catch {
      // Sealed by another OS user or keychain: useless here, the user signs in again.
      return null;
    }
  }

  async save(token: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) {
      this.memory = token;
      return;
    }
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, safeStorage.encryptString(token), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  async clear(): Promise<void> {
    this.memory = null;
    rmSync(this.path, { force: true });
  }
}
