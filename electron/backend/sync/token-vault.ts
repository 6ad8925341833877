import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the sync server's bearer token is kept between runs. The desktop keeps it with Electron's
 * safeStorage (electron/main/safe-storage-vault.ts); the web host and tests keep it in a file readable by
 * the owner only. Never in the workspace file: a backup or a copied workspace must not carry a credential.
 */
export interface TokenVault {
  load(): Promise<string | null>;
  save(token: string): Promise<void>;
  clear(): Promise<void>;
}

export const TOKEN_FILE = 'sync-token';

/** The token in `<dir>/sync-token`, mode 0600 (written to a temporary file first, then renamed). */
export class FileTokenVault implements TokenVault {
  readonly path: string;

  constructor(dir: string, file = TOKEN_FILE) {
    this.path = join(dir, file);
  }

  async load(): Promise<string | null> {
    try {
      const token = readFileSync(this.path, 'utf8').trim();
      return token === '' ? null : token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async save(token: string): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, token, { mode: 0o600 });
    // mode applies only when the file is created; a left-over temporary file keeps its old mode.
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  async clear(): Promise<void> {
    rmSync(this.path, { force: true });
  }
}

/** Keeps the token for this run only (tests; a desktop whose OS offers no secure storage). */
export class MemoryTokenVault implements TokenVault {
  private token: string | null = null;

  async load(): Promise<string | null> {
    return this.token;
  }

  async save(token: string): Promise<void> {
    this.token = token;
  }

  async clear(): Promise<void> {
    this.token = null;
  }
}
