/**
 * time-travel: the state at any past point, computed from the log. Event sourcing's debugging superpower:
 * "what did the account look like after event 10?" is a fold that stops early.
 *
 *   npx tsx core/log/examples/time-travel.ts <emptyDir>
 *
 * 20 events, one a minute from 2026-11-18 09:00 UTC: deposits of 20, and every third event a withdrawal of 15.
 * The first 12 are rotated into the archive, so the past spans both files. Three ways to look back, none of which touches the view's snapshot:
 * by hand with `readFull()`, with `stateAt(reader, reducer, initial, until)`, and with `log.viewAt(name, until)`.
 *
 * Expected output:
 *   now: balance 190 after 20 transactions, last: deposit 20
 *   by hand, first 10 events: balance 95, last: deposit 20
 *   stateAt({ events: 10 }): balance 95 (10 events folded)
 *   viewAt('account', { events: 10 }): balance 95 (10 events folded)
 *   viewAt('account', { ts: 09:04 UTC }): balance 65 (5 events folded)
 *   event #10: deposit 20 at 2026-11-18T09:09:00.000Z
 *   snapshot untouched: offset 450 of 450
 */
import { existsSync, readdirSync } from 'node:fs';
import { createEvent, EventLog, stateAt, type Event } from '../index.js';

interface Account {
  balance: number;
  transactions: number;
  last: string;
}
const initial = (): Account => ({ balance: 0, transactions: 0, last: '' });
function account(s: Account, e: Event): Account {
  const { amount } = e.data as { amount: number };
  if (e.type === 'deposit')
    return { balance: s.balance + amount, transactions: s.transactions + 1, last: `deposit ${amount}` };
  if (e.type === 'withdraw')
    return { balance: s.balance - amount, transactions: s.transactions + 1, last: `withdraw ${amount}` };
  return s;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: time-travel.ts <emptyDir>');
if (existsSync(dir) && readdirSync(dir).length > 0)
  throw new Error(`${dir} is not empty: pass a new directory`);

const START = Date.UTC(2026, 10, 18, 9, 0) / 1000; // Unix seconds: event i happens at START + 60 * i
const log = await EventLog.builder(dir).view('account', account, initial).open();
for (let i = 0; i < 20; i++) {
  // Event n = i + 1: every third one is a withdrawal of 15, the others are deposits of 20.
  const n = i + 1;
  const event = createEvent(
    n % 3 === 0 ? 'withdraw' : 'deposit',
    { amount: n % 3 === 0 ? 15 : 20 },
    { ts: START + 60 * i },
  );
  await log.append(event);
  if (i === 11) await log.rotate(); // events 1-12 now live in archive.jsonl.zst
}
await log.refreshAll();
const now = log.view<Account>('account');
console.log(`now: balance ${now.balance} after ${now.transactions} transactions, last: ${now.last}`);

// 1. By hand: read the full history (archive, then active log) and stop after 10 events.
let past = initial();
let seen = 0;
let tenth: Event | undefined;
for await (const { event } of log.reader().readFull()) {
  past = account(past, event);
  if (++seen === 10) {
    tenth = event;
    break; // breaking out of the loop closes the files
  }
}
console.log(`by hand, first 10 events: balance ${past.balance}, last: ${past.last}`);

// 2. The same with stateAt: any reducer, any reader, stops after `events` events or after the last event <= `ts`.
const at10 = await stateAt(log.reader(), account, initial, { events: 10 });
console.log(`stateAt({ events: 10 }): balance ${at10.state.balance} (${at10.events} events folded)`);

// 3. For a registered view, viewAt reuses its reducer and initial state.
const v10 = await log.viewAt<Account>('account', { events: 10 });
console.log(`viewAt('account', { events: 10 }): balance ${v10.state.balance} (${v10.events} events folded)`);
const at0904 = await log.viewAt<Account>('account', { ts: START + 4 * 60 });
console.log(
  `viewAt('account', { ts: 09:04 UTC }): balance ${at0904.state.balance} (${at0904.events} events folded)`,
);

if (tenth)
  console.log(
    `event #10: ${tenth.type} ${(tenth.data as { amount: number }).amount} at ${new Date(tenth.ts * 1000).toISOString()}`,
  );

// Time travel is read-only: the view and its snapshot still describe the present.
const view = log.getView('account');
console.log(`snapshot untouched: offset ${view.offset} of ${log.writer.activeLogSize()}`);
await log.close();
