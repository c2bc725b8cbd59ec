/**
 * Carries out a board move (from drag and drop or the "Move to…" menu): sends the planned commands in order,
 * asks for a lost reason first when one is needed, and says what happened in a status message.
 * @module
 */
import { useState } from 'react';
import type { BackendError } from '../../../../src-preload/api.js';
import { useCommand } from '../../hooks/useCommand.js';
import { type MovableDeal, planMove } from './board-moves.js';

/** A deal as a move needs it, with its title for the messages. */
export type MovedDeal = MovableDeal & { title: string };

/** What {@link useDealMoves} returns. */
export interface DealMoves {
  /** Moves `card` to column `target` (named `targetName` in the message). */
  move(card: MovedDeal, target: string, targetName: string): Promise<void>;
  /** The card waiting for a lost reason, if any. */
  asking: MovedDeal | null;
  /** Completes the pending "lost" move with `reason`, or drops it. */
  answer(reason: string | null): Promise<void>;
  /** The last outcome, for an `aria-live` status. */
  message: string;
  error: BackendError | null;
}

/** Board moves with their status. */
export function useDealMoves(): DealMoves {
  const command = useCommand();
  const [asking, setAsking] = useState<{ card: MovedDeal; name: string } | null>(null);
  const [message, setMessage] = useState('');

  async function carry(card: MovedDeal, target: string, name: string, reason?: string): Promise<void> {
    const plan = planMove(card, target, reason);
    if (plan.kind === 'none') return;
    if (plan.kind === 'ask-reason') {
      setAsking({ card, name });
      return;
    }
    for (const c of plan.commands) {
      const r = await command.run(c.command, c.input);
      if (!r.ok) {
        setMessage('');
        return;
      }
    }
    setMessage(`Moved “${card.title}” to ${name.replace(/…$/, '')}.`);
  }

  return {
    move: (card, target, name) => carry(card, target, name),
    asking: asking?.card ?? null,
    async answer(reason) {
      const pending = asking;
      setAsking(null);
      if (pending && reason !== null) await carry(pending.card, 'lost', pending.name, reason);
    },
    message,
    error: command.error,
  };
}
