import { useState } from 'react';
import type { Result } from '../../../../core/result.ts';
import { useClient } from '../../components/ClientContext.tsx';
import { Button } from '../../components/Button.tsx';
import { Icon } from '../../components/Icon.tsx';
import { runCommand } from '../forms/backend.ts';
import { Field } from '../forms/Field.tsx';

/** The job panel's actions: Send to Tech, Unassign, and Cancel job with its reason. */
export function JobActionsSection({
  id,
  canSend,
  canUnassign,
  closed,
  actionError,
  run,
  onUnassign,
}: {
  id: string;
  canSend: boolean;
  canUnassign: boolean;
  closed: boolean;
  actionError: string | null;
  /** The panel's command runner: a toast, the error shown here, the job read again; true when it worked. */
  run: (command: () => Promise<Result<unknown>>, done: string) => Promise<boolean>;
  onUnassign: () => void;
}) {
  const client = useClient();
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  return (
    <section className="cl-panel__section cl-panel__actions">
      <Button
        variant="primary"
        data-action="send-to-tech"
        disabled={!canSend}
        title={canSend ? 'Notify the technician and mark Dispatched' : 'Only a Scheduled job (with a date and a technician) can be sent'}
        onClick={() => void run(() => runCommand(client, 'sendToTech', { id }), 'Sent to tech')}
      >
        <Icon name="send" /> Send to Tech
      </Button>
      <Button
        data-action="unassign"
        disabled={!canUnassign}
        onClick={onUnassign}
      >
        Unassign
      </Button>
      <Button variant="danger" data-action="cancel-job" disabled={closed} onClick={() => setCancelling(true)}>
        Cancel job
      </Button>
      {actionError ? (
        <p className="cl-error" role="alert" data-action-error="">
          {actionError}
        </p>
      ) : null}
      {cancelling ? (
        <form
          className="cl-cancel-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => runCommand(client, 'cancelBooking', { id, reason: cancelReason }), 'Job cancelled').then(async (ok) => {
              if (!ok) return;
              setCancelling(false);
              setCancelReason('');
            });
          }}
        >
          <Field label="Why is the job cancelled?" path="cancelReason">
            {(c) => <input {...c} className="cl-input" autoFocus value={cancelReason} onChange={(e) => setCancelReason(e.target.value)} />}
          </Field>
          <div className="cl-row">
            <Button variant="danger" type="submit" data-action="confirm-cancel">
              Cancel job
            </Button>
            <Button onClick={() => setCancelling(false)}>
              Keep job
            </Button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
