/**
 * Where a recipient can be reached (pure): the channels they chose in the roster, each with the address it
 * needs. A chosen channel without an address is reported, so the job's notification log can say why
 * nobody was told.
 */
import type { Customer, Provider } from '../../../core/model';
import type { Channel } from './types';

export interface Reach {
  channel: Channel;
  /** Email address, phone number, or chat handle (the name when there is no handle: team chat is one room). */
  address: string;
}

export interface Reachability {
  name: string;
  reach: Reach[];
  /** Why a chosen channel cannot be used, or why there is nothing to use. */
  problems: Array<{ channel: Channel | 'none'; reason: string }>;
}

export function reachProvider(p: Provider): Reachability {
  const reach: Reach[] = [];
  const problems: Reachability['problems'] = [];
  if (p.channels.email) {
    if (p.email) reach.push({ channel: 'email', address: p.email });
    else problems.push({ channel: 'email', reason: `${p.name} has email chosen but no email address` });
  }
  if (p.channels.sms) {
    if (p.phone) reach.push({ channel: 'sms', address: p.phone });
    else problems.push({ channel: 'sms', reason: `${p.name} has SMS chosen but no phone number` });
  }
  if (p.channels.chat) reach.push({ channel: 'chat', address: p.chatHandle || p.name });
  if (!p.channels.email && !p.channels.sms && !p.channels.chat) {
    problems.push({ channel: 'none', reason: `${p.name} has no notification channel chosen` });
  }
  return { name: p.name, reach, problems };
}

export function reachCustomer(c: Customer): Reachability {
  const reach: Reach[] = [];
  const problems: Reachability['problems'] = [];
  if (c.channels.email) {
    if (c.email) reach.push({ channel: 'email', address: c.email });
    else problems.push({ channel: 'email', reason: `${c.name} has email chosen but no email address` });
  }
  if (c.channels.sms) {
    if (c.phone) reach.push({ channel: 'sms', address: c.phone });
    else problems.push({ channel: 'sms', reason: `${c.name} has SMS chosen but no phone number` });
  }
  if (!c.channels.email && !c.channels.sms) problems.push({ channel: 'none', reason: `${c.name} has no notification channel chosen` });
  return { name: c.name, reach, problems };
}
