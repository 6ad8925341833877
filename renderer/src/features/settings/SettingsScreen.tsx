import type { BackendClient } from '../../../../core/api/contract';
import { useOrgSettings } from '../forms/backend';
import '../providers/providers.css';
import { BackupsSection } from '../backup/BackupsSection.tsx';
import { UpdateSettingsSection } from '../updates/UpdateSettingsSection.tsx';
import './settings.css';
import { SettingsForm } from './SettingsForm.tsx';

export interface SettingsScreenProps {
  client: BackendClient;
}

/** Organization settings: saved with `updateSettings`, sending only the settings that changed. */
export function SettingsScreen({ client }: SettingsScreenProps) {
  const settings = useOrgSettings(client);
  return (
    <section className="adm-screen set-screen" aria-labelledby="set-screen-title">
      <header className="adm-header">
        <h1 id="set-screen-title">Settings</h1>
      </header>
      {settings.error && !settings.data ? (
        <p className="adm-load-error" role="alert">
          Could not load settings: {settings.error.message}
        </p>
      ) : null}
      {settings.data ? <SettingsForm client={client} settings={settings.data} onSaved={settings.reload} /> : settings.loading ? <p className="adm-muted">Loading…</p> : null}
      {/* This desktop's backups (features/backup); `#/settings?section=backups` opens it. */}
      <BackupsSection client={client} defaultOpen={/[?&]section=backups\b/.test(window.location.hash)} />
      {/* Desktop only: renders nothing where there is no updater (the web host). */}
      <UpdateSettingsSection client={client} />
    </section>
  );
}
