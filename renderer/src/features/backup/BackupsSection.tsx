import { countText } from '../../../../core/format.ts';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { BACKUP_KEEP, type BackupEntry, type BackupKind, type BackupSettings, type BackupSummary } from '../../../../core/backup/backups';
import type { AppError } from '../../../../core/result';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { request, useOrgSettings } from '../forms/backend';
import { Field } from '../forms/Field';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors';
import { FormMessage } from '../forms/FormMessage';
import { parseNumber } from '../forms/values';
import { whenText } from '../forms/org-when.ts';
import './backups.css';
import { Button } from '../../components/Button.tsx';

const KIND_LABELS: Record<BackupKind, string> = {
  manual: 'Manual',
  automatic: 'Automatic (daily)',
  'pre-restore': 'Before a restore',
  'before-sync': 'Before a sync replace',
};

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);


/** A restore the user is asked to confirm: what it is, and what it holds (already checked). */
interface PendingRestore {
  source: { name: string } | { path: string };
  label: string;
  summary: BackupSummary;
}

type Notice = { text: string; error: false } | { text: string; error: true; reason: string };

/**
 * Settings → Backups (the web host's File → Back up / Restore, and the desktop's too): the workspace's
 * backups with Restore on each, Back up now, restore from a file by its path, and how many automatic daily
 * backups are kept. A restore is checked first: a refusal says why and changes nothing; otherwise the
 * confirmation names what replaces what. (Uploading a file through the browser is not offered: the web host
 * runs on this machine, so a path reaches any file a browser could upload.)
 */
export function BackupsSection({ client, defaultOpen = false }: { client: BackendClient; defaultOpen?: boolean }) {
  const toast = useToast();
  const org = useOrgSettings(client);
  const [backups, setBackups] = useState<{ dir: string; backups: BackupEntry[] } | null>(null);
  const [settings, setSettings] = useState<BackupSettings | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [pending, setPending] = useState<PendingRestore | null>(null);
  const [path, setPath] = useState('');
  const [keep, setKeep] = useState('');
  const pathErrors = useFieldErrors();
  const keepErrors = useFieldErrors();

  const load = useCallback(async () => {
    const [list, got] = await Promise.all([request(client, 'backup:list', {}), request(client, 'backup:getSettings', {})]);
    if (!list.ok) return setLoadError(list.error);
    if (!got.ok) return setLoadError(got.error);
    setLoadError(null);
    setBackups(list.value);
    setSettings(got.value);
    setKeep((k) => (k === '' ? String(got.value.keep) : k));
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);

  const backUpNow = async () => {
    setBusy(true);
    setNotice(null);
    const r = await request(client, 'backup:create', {});
    setBusy(false);
    if (!r.ok) return setNotice({ text: r.error.message, error: true, reason: r.error.code });
    setNotice({ text: `Backed up to ${r.value.name}.`, error: false });
    void load();
  };

  /** Checks the file first: a refusal is shown with its reason, nothing is asked and nothing changes. */
  const askRestore = async (source: PendingRestore['source'], label: string) => {
    setBusy(true);
    setNotice(null);
    pathErrors.clear();
    const r = await request(client, 'backup:check', source);
    setBusy(false);
    if (!r.ok) {
      if ('path' in source && r.error.fieldErrors?.path) return pathErrors.showError(r.error);
      return setNotice({ text: `${label} cannot be restored: ${r.error.message}`, error: true, reason: String(r.error.details?.reason ?? r.error.code) });
    }
    setPending({ source, label, summary: r.value });
  };

  const restore = async (p: PendingRestore) => {
    setPending(null);
    setBusy(true);
    const r = await request(client, 'backup:restore', p.source);
    setBusy(false);
    if (!r.ok) return setNotice({ text: `${p.label} cannot be restored: ${r.error.message}`, error: true, reason: String(r.error.details?.reason ?? r.error.code) });
    const { summary, preRestoreBackup, sync, discardedDrafts } = r.value;
    const parts = [
      `Restored “${summary.organization}” from ${p.label}. The workspace as it was is kept as ${preRestoreBackup.name}.`,
      discardedDrafts > 0 ? `${countText(discardedDrafts, 'staged board change was', 'staged board changes were')} discarded with it.` : '',
      sync === 'unlinked' ? 'This workspace is no longer linked to a sync server: sign in again (Sync) to upload it or replace it.' : '',
    ];
    setNotice({ text: parts.filter(Boolean).join(' '), error: false });
    toast('Workspace restored', 'success');
    setPath('');
    void load();
  };

  const submitPath = (e: FormEvent) => {
    e.preventDefault();
    const typed = path.trim();
    if (pathErrors.showLocal(typed ? {} : { path: 'Required' })) return;
    void askRestore({ path: typed }, typed);
  };

  const submitKeep = async (e: FormEvent) => {
    e.preventDefault();
    const value = parseNumber(keep);
    if (value === null) return void keepErrors.showLocal({ keep: 'Required' });
    if (value === 'invalid') return void keepErrors.showLocal({ keep: 'Must be a whole number' });
    const r = await request(client, 'backup:setSettings', { keep: value });
    if (!r.ok) return keepErrors.showError(r.error);
    keepErrors.clear();
    setSettings(r.value);
    setNotice({ text: `Keeping the newest ${countText(r.value.keep, 'automatic backup')}.`, error: false });
    void load();
  };

  const current = org.data?.name || 'this workspace';
  return (
    <details className="bk-section" data-section="backups" open={defaultOpen}>
      <summary>
        <h2>Backups</h2>
      </summary>
      <div className="bk-body">
        <p className="adm-muted">
          Copies of this workspace{backups ? (
            <>
              {' '}
              in <code>{backups.dir}</code>
            </>
          ) : null}
          . A restore replaces everything in the workspace with the backup; the workspace as it was is backed up first.
        </p>
        {loadError ? (
          <p className="adm-load-error" role="alert">
            Could not load the backups: {loadError.message}
          </p>
        ) : null}
        {notice ? (
          <p
            className={notice.error ? 'adm-load-error' : 'adm-notice'}
            role={notice.error ? 'alert' : 'status'}
            data-backup-notice={notice.error ? 'error' : 'ok'}
            data-reason={notice.error ? notice.reason : undefined}
          >
            {notice.text}
          </p>
        ) : null}
        <div className="adm-toolbar">
          <Button variant="primary" data-action="backup-now" disabled={busy} onClick={() => void backUpNow()}>
            {busy ? 'Working…' : 'Back up now'}
          </Button>
        </div>
        <table className="adm-table bk-table">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Kind</th>
              <th scope="col" className="adm-num">
                Size
              </th>
              <th scope="col">File</th>
              <th scope="col">
                <span className="adm-sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(backups?.backups ?? []).map((b) => (
              <tr key={b.name} data-backup-name={b.name} data-backup-kind={b.kind}>
                <td>{whenText(b.at, org.data)}</td>
                <td>{KIND_LABELS[b.kind]}</td>
                <td className="adm-num">{sizeText(b.size)}</td>
                <td>
                  <code className="bk-file">{b.name}</code>
                </td>
                <td>
                  <Button small data-action="restore-backup" disabled={busy} onClick={() => void askRestore({ name: b.name }, b.name)}>
                    Restore…
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {backups && backups.backups.length === 0 ? <p className="adm-empty">No backups yet.</p> : null}

        <div className="bk-forms">
          <FieldErrorsContext value={pathErrors}>
            <form className="adm-form bk-form" noValidate aria-label="Restore from a file" onSubmit={submitPath}>
              <FormMessage />
              <Field label="Restore from a file" path="path" hint="The full path of a Crewline backup on this computer, e.g. one copied from another machine.">
                {(c) => (
                  <input
                    {...c}
                    type="text"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="/home/you/crewline-backup.sqlite"
                    value={path}
                    onChange={(e) => {
                      setPath(e.target.value);
                      pathErrors.clear('path');
                    }}
                  />
                )}
              </Field>
              <Button type="submit" data-action="restore-path" disabled={busy}>
                Restore from file…
              </Button>
            </form>
          </FieldErrorsContext>

          <FieldErrorsContext value={keepErrors}>
            <form className="adm-form bk-form" noValidate aria-label="Automatic backups" onSubmit={(e) => void submitKeep(e)}>
              <FormMessage />
              <Field
                label="Automatic backups kept"
                path="keep"
                hint={
                  <>
                    One automatic backup a day ({BACKUP_KEEP.min}–{BACKUP_KEEP.max} kept; older ones are deleted, never manual ones or those taken before a
                    restore).{settings?.lastAutomaticAt ? ` Last: ${whenText(settings.lastAutomaticAt, org.data)}.` : ''} A setting of this computer, not of the
                    organization.
                  </>
                }
              >
                {(c) => (
                  <input
                    {...c}
                    type="number"
                    min={BACKUP_KEEP.min}
                    max={BACKUP_KEEP.max}
                    step={1}
                    className="bk-keep"
                    value={keep}
                    onChange={(e) => {
                      setKeep(e.target.value);
                      keepErrors.clear('keep');
                    }}
                  />
                )}
              </Field>
              <Button type="submit" data-action="save-backup-settings">
                Save
              </Button>
            </form>
          </FieldErrorsContext>
        </div>
      </div>

      {pending ? (
        <ConfirmDialog name="restore-backup" title="Restore workspace?" confirmLabel="Restore" danger onCancel={() => setPending(null)} onConfirm={() => void restore(pending)}>
          <p>
            Replace “{current}” with the backup of <strong>“{pending.summary.organization}”</strong> in <code>{pending.label}</code>?
          </p>
          <p>
            It holds {pending.summary.providers} providers and {pending.summary.bookings} jobs. Everything in the workspace now, staged board changes
            included, is replaced; it is backed up first.
          </p>
          {pending.summary.linkedTo ? <p className="adm-muted">The backup was made while linked to the sync server at {pending.summary.linkedTo.serverUrl}.</p> : null}
        </ConfirmDialog>
      ) : null}
    </details>
  );
}
