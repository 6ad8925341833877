/**
 * The sync token's small named channel between the backend process and the process that holds the
 * keychain (Electron main: safeStorage stays there). The backend asks `{vault: 'load'|'save'|'clear', id,
 * token?}`; the keeper answers `{vaultId, ok, value?, message?}`. Nothing else crosses this port.
 */
import type { TokenVault } from './sync/token-vault';
import type { PortLike } from './backend-entry-port';

type VaultOp = 'load' | 'save' | 'clear';
type VaultRequest = { vault: VaultOp; id: number; token?: string };
type VaultAnswer = { vaultId: number; ok: boolean; value?: string | null; message?: string };

/** The backend's side: a TokenVault whose every call is answered by the keeper at the other end of `port`. */
export class PortTokenVault implements TokenVault {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: string | null) => void; reject: (error: Error) => void }>();

  constructor(private readonly port: PortLike) {
    port.on('message', (message: unknown) => {
      const answer = message as Partial<VaultAnswer> | null;
      if (typeof answer?.vaultId !== 'number') return;
      const entry = this.waiting.get(answer.vaultId);
      if (!entry) return;
      this.waiting.delete(answer.vaultId);
      if (answer.ok) entry.resolve(answer.value ?? null);
      else entry.reject(new Error(answer.message ?? 'The token vault failed'));
    });
    port.on('close', () => {
      for (const entry of this.waiting.values()) entry.reject(new Error('The token vault is gone'));
      this.waiting.clear();
    });
    port.start?.();
  }

  private ask(op: VaultOp, token?: string): Promise<string | null> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const request: VaultRequest = token === undefined ? { vault: op, id } : { vault: op, id, token };
      this.port.postMessage(request);
    });
  }

  load(): Promise<string | null> {
    return this.ask('load');
  }

  async save(token: string): Promise<void> {
    await this.ask('save', token);
  }

  async clear(): Promise<void> {
    await this.ask('clear');
  }
}

/** The keeper's side (Electron main, or a test): answers the backend's vault requests from `vault`. */
export function serveTokenVault(port: PortLike, vault: TokenVault): void {
  port.on('message', (message: unknown) => {
    const request = message as Partial<VaultRequest> | null;
    if (typeof request?.id !== 'number' || (request.vault !== 'load' && request.vault !== 'save' && request.vault !== 'clear')) return;
    const id = request.id;
    const run =
      request.vault === 'load'
        ? vault.load()
        : request.vault === 'save'
          ? typeof request.token === 'string'
            ? vault.save(request.token).then(() => null)
            : Promise.reject(new Error('save needs a token'))
          : vault.clear().then(() => null);
    run.then(
      (value) => port.postMessage({ vaultId: id, ok: true, value } satisfies VaultAnswer),
      (error: unknown) => port.postMessage({ vaultId: id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies VaultAnswer),
    );
  });
  port.start?.();
}
