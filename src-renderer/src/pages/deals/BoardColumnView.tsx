/**
 * One column of the board: the stage (or won / lost), its count and value sums per currency, its cards, and
 * a drop target for dragged cards.
 * @module
 */
import { useState } from 'react';
import type { DealCard } from '../../../../core/crm/read/deals.js';
import type { BoardColumn } from '../../../../core/crm/read/pipeline-board.js';
import { formatMoney, formatSums } from '../../format.js';
import { DEAL_DRAG_TYPE, DealCardView } from './DealCardView.js';

/** Props of {@link BoardColumnView}. */
export interface BoardColumnViewProps {
  column: BoardColumn;
  companyName(id: string | null): string | undefined;
  /** The "Move to…" targets of a card; `null` on a read-only board. */
  targetsOf: ((card: DealCard) => { id: string; name: string }[]) | null;
  /** A card moved (dropped here, or picked in its menu). */
  onMove(card: DealCard, targetId: string, targetName: string): void;
  /** A card id dropped on this column. */
  onDrop(dealId: string): void;
}

/** A board column. */
export function BoardColumnView({ column, companyName, targetsOf, onMove, onDrop }: BoardColumnViewProps) {
  const [over, setOver] = useState(false);
  const headingId = `column-${column.stageId}`;
  const accepts = (types: readonly string[]) => targetsOf !== null && types.includes(DEAL_DRAG_TYPE);
  return (
    <section
      className={`board-column${over ? ' drop-over' : ''} column-${column.stageId === 'won' || column.stageId === 'lost' ? column.stageId : 'stage'}`}
      aria-labelledby={headingId}
      onDragOver={(e) => {
        if (!accepts(e.dataTransfer.types)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        setOver(false);
        const id = e.dataTransfer.getData(DEAL_DRAG_TYPE);
        if (id && targetsOf) {
          e.preventDefault();
          onDrop(id);
        }
      }}
    >
      <header className="column-header">
        <h2 id={headingId}>{column.name}</h2>
        <p className="column-figures" data-testid="column-figures">
          <span className="column-count">
            {column.count} {column.count === 1 ? 'deal' : 'deals'}
          </span>
          <span className="column-sums">{formatSums(column.sums, formatMoney)}</span>
        </p>
      </header>
      <ul className="column-cards" aria-label={`Deals in ${column.name}`}>
        {column.deals.map((card) => (
          <DealCardView
            key={card.id}
            card={card}
            companyName={companyName(card.companyId)}
            targets={targetsOf ? targetsOf(card) : null}
            onMove={(id, name) => onMove(card, id, name)}
          />
        ))}
      </ul>
    </section>
  );
}
