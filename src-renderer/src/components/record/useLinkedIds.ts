/**
 * The ids of the notes or activities linked to a record, newest first, found in the record's timeline (which
 * lists every event of the records linked to it). There is no per-record note or activity list query yet; this
 * reads the newest 500 timeline entries.
 * @module
 */
import { useQuery } from '../../hooks/useQuery.js';
import { linkedRecords, type RecordLink } from './record-inputs.js';
import type { TimelineItemView } from './TimelinePanel.js';

/** Records of `childKind` (`'note'`, `'activity'`) in `record`'s timeline, newest first, each once, with their creation time. */
export function useLinkedIds(
  record: RecordLink,
  childKind: 'note' | 'activity',
): { id: string; at: string }[] | undefined {
  const timeline = useQuery<{ items: TimelineItemView[] }>('timeline', { ...record, limit: 500 });
  if (!timeline.data) return undefined;
  return linkedRecords(timeline.data.items, childKind);
}
