/**
 * Fans the backend's change notifications out to every open window (Electron) or WebSocket (browser mode).
 * One backend subscription for all; each target detaches when its window or socket closes.
 * @module
 */
import type { ChangeNotification, CrmBackend } from '../../core/crm/backend.js';
import { silentLogger, type Logger } from '../../core/log/index.js';

/** Something notifications can be pushed to. */
export interface PushTarget {
  /** Delivers one notification; a throw detaches the target. */
  send(notification: ChangeNotification): void;
}

/** The fan-out; see the module comment. */
export class PushHub {
  private readonly targets = new Set<PushTarget>();
  private readonly unsubscribe: () => void;

  constructor(
    backend: CrmBackend,
    private readonly logger: Logger = silentLogger,
  ) {
    this.unsubscribe = backend.subscribe((n) => this.broadcast(n));
  }

  /** Number of attached targets. */
  get size(): number {
    return this.targets.size;
  }

  /** Starts pushing to `target`; returns its detach function (safe to call twice). */
  attach(target: PushTarget): () => void {
    this.targets.add(target);
    return () => {
      this.targets.delete(target);
    };
  }

  /** Sends `notification` to every target, detaching those that fail. */
  broadcast(notification: ChangeNotification): void {
    for (const target of [...this.targets]) {
      try {
        target.send(notification);
      } catch (err) {
        this.targets.delete(target);
        this.logger.warn('a push target failed and was detached', { error: String(err) });
      }
    }
  }

  /** Detaches everything and stops listening to the backend. */
  close(): void {
    this.unsubscribe();
    this.targets.clear();
  }
}
