import { useState, type FormEvent } from 'react';
import type { BackendClient } from '../../../../core/api/contract';
import { updateStatusText } from '../../../../core/updates/update-state';
import { Button } from '../../components/Button.tsx';
import { request } from '../forms/backend';
import { Field } from '../forms/Field';
import { FieldErrorsContext, useFieldErrors } from '../forms/field-errors';
import { FormMessage } from '../forms/FormMessage';
import { feedUrlError } from './update-view';
import { useUpdates } from './use-updates';
import './updates.css';

/**
 * Settings → Updates (desktop only; hidden on the web host): where this machine looks for new versions,
 * and Check for updates. A per-machine preference stored by main in <user data>/update-settings.json
 * (electron/main/update-settings.ts), not an organization setting.
 */
export function UpdateSettingsSection({ client }: { client: BackendClient }) {
  const { status, setStatus } = useUpdates(client);
  const errors = useFieldErrors();
  const [typed, setTyped] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!status?.supported) return null;
  const value = typed ?? status.feedUrl ?? '';

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const local = feedUrlError(value);
    if (errors.showLocal(local ? { feedUrl: local } : {})) return;
    setBusy(true);
    const r = await request(client, 'updates:setFeedUrl', { feedUrl: value });
    setBusy(false);
    if (!r.ok) return errors.showError(r.error);
    errors.clear();
    setStatus(r.value);
    setTyped(null);
    setNotice(value.trim() === '' ? 'Saved: updates come from the address this version was built with.' : 'Saved: the next check uses this address.');
  };
  const check = async () => {
    setBusy(true);
    const r = await request(client, 'updates:check', {});
    setBusy(false);
    if (!r.ok) return errors.showError(r.error);
    setStatus(r.value);
    setNotice(null);
  };
  const stateText = updateStatusText(status.state);

  return (
    <FieldErrorsContext value={errors}>
      <form className="adm-form set-group upd-settings" noValidate aria-label="Updates" onSubmit={(e) => void save(e)} data-section="updates">
        <h2 className="upd-title">Updates</h2>
        <FormMessage />
        {notice ? (
          <p className="adm-notice" role="status">
            {notice}
          </p>
        ) : null}
        <Field
          label="Update address"
          path="feedUrl"
          hint={
            status.environmentFeedUrl
              ? `This machine's administrator set ${status.environmentFeedUrl} (CREWLINE_UPDATE_FEED_URL); it is used instead of this one.`
              : 'The folder your organization publishes releases in, e.g. https://sync.example.com/updates/. Leave empty for the address this version was built with.'
          }
        >
          {(c) => (
            <input
              {...c}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              maxLength={2000}
              value={value}
              onChange={(e) => {
                setTyped(e.target.value);
                setNotice(null);
                errors.clear('feedUrl');
              }}
            />
          )}
        </Field>
        <div className="adm-actions">
          <Button variant="primary" type="submit" disabled={busy}>
            Save address
          </Button>
          <Button disabled={busy} onClick={() => void check()}>
            Check for updates
          </Button>
          {stateText ? (
            <span className="adm-muted" role="status" data-update-state={status.state.phase}>
              {stateText}
            </span>
          ) : null}
        </div>
      </form>
    </FieldErrorsContext>
  );
}
