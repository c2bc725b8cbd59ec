/**
 * One deal on the board: title (a link to the deal), amount, company, expected close date; draggable, with a
 * "Move to…" menu for the keyboard. Read-only (no drag, no menu) when the board shows the past.
 * @module
 */
import type { DealCard } from '../../../../core/crm/read/deals.js';
import { formatDate, formatMoney } from '../../format.js';
import { hrefOf } from '../../hooks/useRoute.js';
import { MoveMenu } from './MoveMenu.js';

/** The drag data type of a deal card (its id). */
export const DEAL_DRAG_TYPE = 'application/x-eventfold-deal';

/** Props of {@link DealCardView}. */
export interface DealCardViewProps {
  card: DealCard;
  companyName: string | undefined;
  /** `null` on a read-only board. */
  targets: { id: string; name: string }[] | null;
  onMove(targetId: string, targetName: string): void;
}

/** A card of the board. */
export function DealCardView({ card, companyName, targets, onMove }: DealCardViewProps) {
  const draggable = targets !== null;
  return (
    <li
      className="deal-card"
      aria-label={card.title}
      draggable={draggable}
      onDragStart={(e) => {
        e.dataTransfer.setData(DEAL_DRAG_TYPE, card.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <a className="deal-title" href={hrefOf('deals', card.id)} draggable={false}>
        {card.title}
      </a>
      {card.amount && <span className="deal-amount">{formatMoney(card.amount)}</span>}
      {companyName && <span className="deal-company">{companyName}</span>}
      {card.status === 'open' && card.expectedCloseDate && (
        <span className="deal-close">Closes {formatDate(card.expectedCloseDate)}</span>
      )}
      {card.status !== 'open' && card.closedOn && (
        <span className="deal-close">
          {card.status === 'won' ? 'Won' : 'Lost'} {formatDate(card.closedOn)}
          {card.lostReason ? ` · ${card.lostReason}` : ''}
        </span>
      )}
      {targets && (
        <MoveMenu
          label={card.title}
          targets={targets}
          onPick={(id) => onMove(id, targets.find((t) => t.id === id)?.name ?? id)}
        />
      )}
    </li>
  );
}
