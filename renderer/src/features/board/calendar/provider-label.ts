/** A row's label (the technician's name, colour, load, skills and late marker), built as DOM nodes. */
import type { ResourceApi } from 'fullcalendar-scheduler';
import { appendLateMarker } from '../late-marker.ts';
import { capacityNodes } from '../load-label.ts';
import type { RowCapacity } from './calendar-sync.ts';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function renderProviderLabel(resource: ResourceApi): HTMLElement {
  const props = resource.extendedProps as { color?: string; skills?: string[]; active?: boolean; capacity?: RowCapacity | null };
  const root = el('div', 'cl-provider');
  root.dataset.providerId = resource.id;
  const name = el('div', 'cl-provider__name');
  const swatch = el('span', 'cl-provider__swatch');
  swatch.style.backgroundColor = props.color ?? '#888';
  const title = el('span', 'cl-provider__title', resource.title);
  title.title = resource.title; // the name may be cut short beside the capacity meter
  name.append(swatch, title);
  if (props.active === false) name.append(el('span', 'cl-provider__inactive', 'inactive'));
  appendLateMarker(name, resource.extendedProps.late);
  root.append(name);
  // Capacity (issue 19): a meter on the name line, the day's words under it.
  const load = el('div', 'cl-provider__load');
  if (props.capacity) {
    const { meter, words } = capacityNodes(props.capacity.figure, props.capacity.title);
    name.append(meter);
    load.append(words);
    load.dataset.loadDay = props.capacity.figure.date;
  }
  root.append(load);
  if (props.skills?.length) {
    const skills = el('div', 'cl-provider__skills', props.skills.join(' · '));
    skills.title = props.skills.join(', ');
    root.append(skills);
  }
  return root;
}