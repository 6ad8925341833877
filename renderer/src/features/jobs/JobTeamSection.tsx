import { countText } from '../../../../core/format.ts';
import { useMemo, useState } from 'react';
import type { BookingDetails } from '../../../../core/api/contract.ts';
import type { Provider } from '../../../../core/model.ts';
import { localDateOf, toMs } from '../../../../core/time.ts';
import { Button } from '../../components/Button.tsx';
import { OrderRouteButtons } from '../assistant/OrderRouteButtons.tsx';

/** The job panel's team: the assignees, adding and removing one (staged through the board), route and suggest. */
export function JobTeamSection({
  booking,
  providers,
  providersById,
  zone,
  closed,
  readOnly,
  onStageTeam,
  onOrderRoute,
  onSuggest,
}: {
  booking: BookingDetails['booking'];
  providers: readonly Provider[];
  providersById: ReadonlyMap<string, Provider>;
  zone: string;
  closed: boolean;
  readOnly: boolean;
  onStageTeam: (next: string[]) => void;
  onOrderRoute?: (providerId: string, day: string) => void;
  onSuggest?: (id: string) => void;
}) {
  const [addMember, setAddMember] = useState('');
  const slot = booking.slot;
  const assignees = useMemo(() => slot?.assignees ?? [], [slot]);
  const candidates = useMemo(() => providers.filter((p) => p.active && !assignees.includes(p.id)), [providers, assignees]);
  const id = booking.id;
  return (
    <section className="cl-panel__section">
      <h3>Team</h3>
      <ul className="cl-assignees" data-assignees={assignees.length}>
        {assignees.map((pid) => {
          const p = providersById.get(pid);
          return (
            <li key={pid} data-assignee-id={pid}>
              <span className="cl-provider__swatch" style={{ backgroundColor: p?.color ?? '#888' }} />
              {p?.name ?? 'Unknown provider'}
              <Button
                variant="link"
                disabled={closed}
                aria-label={`Remove ${p?.name ?? 'provider'}`}
                data-action="remove-assignee"
                onClick={() => onStageTeam(assignees.filter((a) => a !== pid))}
              >
                Remove
              </Button>
            </li>
          );
        })}
        {assignees.length === 0 ? <li className="cl-muted">Nobody assigned</li> : null}
      </ul>
      <div className="cl-row">
        <select
          className="cl-input"
          aria-label="Add team member"
          value={addMember}
          disabled={!slot || closed}
          onChange={(e) => setAddMember(e.target.value)}
        >
          <option value="">{slot ? 'Add member…' : 'Give it a start first (When, or drag it onto the board)'}</option>
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <Button
          data-action="add-assignee"
          disabled={!addMember || !slot || closed}
          onClick={() => {
            const pid = addMember;
            setAddMember('');
            onStageTeam([...assignees, pid]);
          }}
        >
          Add
        </Button>
      </div>
      {onOrderRoute && slot && !readOnly ? (
        <OrderRouteButtons people={assignees.map((pid) => ({ id: pid, name: providersById.get(pid)?.name ?? 'Unknown provider' }))} day={localDateOf(toMs(slot.start), zone)} onOrder={onOrderRoute} />
      ) : null}
      {onSuggest ? (
        <Button data-action="suggest" disabled={closed || readOnly} title="Every technician ranked for this job, with reasons (S)" onClick={() => onSuggest(id)}>
          {booking.teamSize > 1 ? 'Suggest a crew' : 'Suggest a technician'}
        </Button>
      ) : null}
      <p className="cl-muted cl-small">
        Needs {countText(booking.teamSize, 'person', 'people')} · {booking.laborHours} labor h. Team changes are staged until Save.
      </p>
    </section>
  );
}
