/**
 * Deal cards: what the board and the dashboard keep of each deal, folded from deal events. Shared so both read
 * models agree on what a deal is worth and where it sits.
 * @module
 */
import type { StoredEvent } from '../../es/stored-event.js';
import { applyChanges } from '../domain/changes.js';
import type { DealEvent, DealFields, DealStatus } from '../domain/deal.js';
import type { Money } from '../domain/validation.js';
import { type Dict, domainEvent, own, put } from './util.js';

/** One deal as the board shows it. */
export interface DealCard {
  id: string;
  title: string;
  amount: Money | null;
  pipelineId: string;
  stageId: string;
  status: DealStatus;
  /** Won or lost on (`YYYY-MM-DD`), `null` while open. */
  closedOn: string | null;
  lostReason: string | null;
  contactIds: string[];
  companyId: string | null;
  expectedCloseDate: string | null;
  owner: string | null;
  trashed: boolean;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  updatedAt: number;
}

function fieldsOf(card: DealCard): DealFields {
  const { title, amount, contactIds, companyId, expectedCloseDate, owner } = card;
  return { title, amount, contactIds, companyId, expectedCloseDate, owner };
}

/** Folds a deal event into the cards; returns the card it touched (or `undefined`). */
export function applyDeal(cards: Dict<DealCard>, e: StoredEvent): DealCard | undefined {
  const ev = domainEvent<DealEvent>(e);
  const ts = e.event.ts;
  if (ev.type === 'DealCreated') {
    const { customFields: _c, pipelineId, stageId, ...fields } = ev.data;
    const card: DealCard = {
      id: e.streamId,
      ...fields,
      pipelineId,
      stageId,
      status: 'open',
      closedOn: null,
      lostReason: null,
      trashed: false,
      createdAt: ts,
      updatedAt: ts,
    };
    put(cards, card.id, card);
    return card;
  }
  const card = own(cards, e.streamId);
  if (!card) return undefined;
  switch (ev.type) {
    case 'DealUpdated':
      Object.assign(card, applyChanges(fieldsOf(card), ev.data.changes));
      break;
    case 'DealStageChanged':
      card.pipelineId = ev.data.changes.pipelineId?.to ?? card.pipelineId;
      card.stageId = ev.data.changes.stageId?.to ?? card.stageId;
      break;
    case 'DealWon':
      Object.assign(card, { status: 'won', closedOn: ev.data.date, lostReason: null });
      break;
    case 'DealLost':
      Object.assign(card, { status: 'lost', closedOn: ev.data.date, lostReason: ev.data.reason });
      break;
    case 'DealReopened':
      Object.assign(card, { status: 'open', closedOn: null, lostReason: null });
      break;
    case 'DealTrashed':
    case 'DealRestored':
      card.trashed = ev.type === 'DealTrashed';
      break;
    default:
      return undefined;
  }
  card.updatedAt = ts;
  return card;
}
