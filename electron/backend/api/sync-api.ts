import type { RedeemCodeResult } from '../../../core/api/contract';
import { fail, ok, toMs, type EventName, type EventPayloads, type Handlers, type RequestName, type Result } from '../../../core/index';
import type { LocalStore } from '../store/local-store';
import { logout, redeemOneTimeCode } from '../sync/server-api';
import type { SyncClient } from '../sync/sync-client';

type SyncRequestName = Extract<RequestName, `sync:${string}`>;
type Emit = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/**
 * The `sync:*` requests of the contract, over the desktop's SyncClient, and its events forwarded as
 * `sync:*` events. Offline-change markers live in the workspace, so they answer even where nothing syncs;
 * a host without a SyncClient refuses the rest.
 */
export function syncHandlers(store: LocalStore, sync: SyncClient | null, emit: Emit): Pick<Handlers, SyncRequestName> {
  if (sync) {
    sync.on('status', (status) => emit('sync:statusChanged', status));
    sync.on('presence', (peers) => emit('sync:presenceChanged', { peers }));
    sync.on('offlineChanges', (bookingIds) => emit('sync:offlineChangesChanged', { bookingIds }));
  }
  const unavailable = () => fail('unavailable', 'This console does not sync with a server');
  return {
    'sync:getStatus': () => (sync ? ok(sync.status()) : unavailable()),
    'sync:signIn': (input) => (sync ? sync.signIn(input) : unavailable()),
    'sync:redeemCode': (input) => (sync ? redeemCode(sync, input) : unavailable()),
    'sync:link': async (input) => {
      if (!sync) return unavailable();
      const staged = store.drafts.count();
      const linked = await sync.link(input);
      // A replace discards staged board edits with the old workspace: the board must hear of it.
      if (linked.ok && store.drafts.count() !== staged) emit('draft:changed', { stagedCount: store.drafts.count() });
      return linked;
    },
    'sync:signOut': () => (sync ? sync.signOut() : unavailable()),
    'sync:getPresence': () => ok(sync?.presence() ?? []),
    'sync:setPresence': ({ openJobId }) => {
      sync?.setPresence(openJobId);
      return ok({ openJobId });
    },
    'sync:listOfflineChanges': ({ bookingId, from, to }) => {
      if ((from === undefined) !== (to === undefined)) {
        const field = from === undefined ? 'from' : 'to';
        return fail('validation', 'Give both ends of the range, or neither', { fieldErrors: { [field]: 'Required with the other end' } });
      }
      const range = from !== undefined && to !== undefined ? { fromMs: toMs(from), toMs: toMs(to) } : {};
      return ok(store.offlineChanges.list({ bookingId, ...range }));
    },
    'sync:dismissOfflineChange': ({ bookingId }) => {
      const dismissed = store.offlineChanges.dismiss(bookingId);
      if (dismissed > 0) emit('sync:offlineChangesChanged', { bookingIds: [bookingId] });
      return ok({ dismissed });
    },
  };
}

/**
 * `sync:redeemCode`, beside the SyncClient's sign-in: the code is redeemed on the server and its
 * `{token, user}` answer taken exactly like a password sign-in's (`SyncClient.signInWith`), so the link step
 * (upload or replace) follows as after one. The code is tried as an invite first: the server refuses a
 * setup code there before using anything up (`code_is_setup`); it is then redeemed as a setup code with the
 * email and name, or, without them, those two fields are asked for (`details.codeKind: 'setup'`).
 */
async function redeemCode(sync: SyncClient, input: Parameters<Handlers['sync:redeemCode']>[0]): Promise<Result<RedeemCodeResult>> {
  const { code, password, email, name } = input;
  let codeKind: RedeemCodeResult['codeKind'] = 'invite';
  const signedIn = await sync.signInWith(input.serverUrl, async (httpUrl) => {
    let answer = await redeemOneTimeCode(httpUrl, { kind: 'invite', code, password });
    if (!answer.ok && answer.error.details?.serverCode === 'code_is_setup') {
      codeKind = 'setup';
      if (email === undefined || name === undefined) {
        const needed = 'Needed for a setup code';
        return fail('validation', 'This is a setup code: it makes you the first admin of the organization on this server. Add your email and name.', {
          fieldErrors: { ...(email === undefined ? { email: needed } : {}), ...(name === undefined ? { name: needed } : {}) },
          details: { codeKind: 'setup' },
        });
      }
      answer = await redeemOneTimeCode(httpUrl, { kind: 'setup', code, password, email, name });
    }
    if (answer.ok && answer.value.user.role === 'technician') {
      // The password is set, but the console is not a technician's: leave no session behind.
      await logout(httpUrl, answer.value.token);
      const who = answer.value.user.email ? ` with ${answer.value.user.email}` : '';
      return fail('forbidden', `Your password is set. Technicians sign in on their phone at ${httpUrl}/tech/${who} and this password; the console needs an admin, dispatcher or viewer account`);
    }
    return answer;
  });
  return signedIn.ok ? ok({ ...signedIn.value, codeKind }) : signedIn;
}
