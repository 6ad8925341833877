import type { Priority, Status } from '../../../../core/model';
import { STATUS_LABELS } from '../../../../core/status';

export { STATUS_LABELS };

/** In lifecycle order (the order of STATUS_LABELS). */
export const STATUS_OPTIONS = Object.keys(STATUS_LABELS) as Status[];

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  emergency: 'Emergency',
};
export const PRIORITY_OPTIONS = Object.keys(PRIORITY_LABELS) as Priority[];
