/**
 * The demo data generator: a seeded, deterministic stream of contract commands for realistic CRM data (companies
 * with domains, contacts from several cultures with diacritics-rich names, deals moving through the default
 * pipeline and some won or lost, tasks overdue / due today / upcoming / done, notes, activities, tags), with
 * consistent links. The same seed, size and `today` give the same commands, ids and command ids, so loading twice
 * creates nothing new.
 * @module
 */
import { DEFAULT_PIPELINE_ID, DEFAULT_STAGES } from '../domain/index.js';
import { words } from '../read/normalize.js';
import {
  ACTIVITY_SUMMARIES,
  COMPANY_WORDS,
  CULTURES,
  DEAL_TITLES,
  INDUSTRIES,
  LOST_REASONS,
  NOTE_BODIES,
  SIZES,
  TAGS,
  TASK_TITLES,
  TITLES,
  type Culture,
} from './vocabulary.js';

/** One contract command of the demo data, with its deterministic command id. */
export interface DemoCommand {
  command: string;
  input: Record<string, unknown>;
  commandId: string;
}

/** How much of each record kind, per contact. */
export interface DemoShape {
  contacts: number;
  /** One company for every this many contacts (its contacts are linked to it, a few are not). */
  contactsPerCompany: number;
  /** Field edits of each contact after its creation (one event each). */
  updatesPerContact: number;
  dealsPerContact: number;
  tasksPerContact: number;
  notesPerContact: number;
  activitiesPerContact: number;
}

/** The sizes `LoadDemoData` knows: about 100 records for a first run. */
export const DEMO_SIZES = {
  small: {
    contacts: 30,
    contactsPerCompany: 4,
    updatesPerContact: 0.7,
    dealsPerContact: 0.5,
    tasksPerContact: 0.7,
    notesPerContact: 0.5,
    activitiesPerContact: 0.4,
  },
} as const satisfies Record<string, DemoShape>;

/**
 * The benchmark shape: `contacts` contacts and about 10 events per contact (100,000 contacts -> about 1M events).
 * Most events are edits of the contacts themselves: a stream costs about 20 KB of disk (folder, log, snapshots), so
 * a record per event would need 10 GB where this needs about 5.
 */
export function benchShape(contacts: number): DemoShape {
  return {
    contacts,
    contactsPerCompany: 10,
    updatesPerContact: 8,
    dealsPerContact: 0.2,
    tasksPerContact: 0.3,
    notesPerContact: 0.3,
    activitiesPerContact: 0.3,
  };
}

/** Options of {@link demoBatches}. */
export interface DemoOptions {
  seed: number;
  shape: DemoShape;
  /** The day dates are relative to (`YYYY-MM-DD`): tasks overdue before it, due on it, deals closed before it. */
  today: string;
  /** Contacts generated together (their records' commands are batched together). Default 1000. */
  blockSize?: number;
}

/** mulberry32: a tiny, fast, seedable PRNG (32-bit state), good enough for test data. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random choices over one PRNG. */
class Dice {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A count averaging `mean` (0 to 2*mean, uniformly). */
  count(mean: number): number {
    return Math.floor(this.next() * (2 * mean + 1));
  }
  some<T>(list: readonly T[], max: number): T[] {
    const out = new Set<T>();
    for (let n = this.int(0, max); n > 0; n--) out.add(this.pick(list));
    return [...out];
  }
}

/** `YYYY-MM-DD` plus `days` (UTC). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A value of `list` other than `current`. */
function other<T>(dice: Dice, list: readonly T[], current: T): T {
  const rest = list.filter((v) => v !== current);
  return dice.pick(rest.length > 0 ? rest : list);
}

function fill(template: string, name: string): string {
  return template.replace('{name}', name);
}

/** A record and the commands that build it, in order; `level` orders records that link to each other. */
interface Plan {
  level: number;
  steps: { command: string; input: Record<string, unknown> }[];
  id: string;
}

interface Company {
  id: string;
  name: string;
  domain: string;
  culture: Culture;
}

/** Everything the generator remembers across blocks (companies, used e-mail addresses and domains). */
interface GeneratorState {
  dice: Dice;
  companies: Company[];
  emails: Set<string>;
  domains: Set<string>;
}

function unique(used: Set<string>, base: (n: number) => string): string {
  for (let n = 1; ; n++) {
    const v = base(n);
    if (!used.has(v)) {
      used.add(v);
      return v;
    }
  }
}

const slug = (text: string, sep = ''): string => words(text).join(sep);

function companyPlan(g: GeneratorState, options: DemoOptions, index: number): Plan {
  const { dice } = g;
  const culture = dice.pick(CULTURES);
  const base = `${dice.pick(COMPANY_WORDS[0])} ${dice.pick(COMPANY_WORDS[1])}`;
  const domain = unique(g.domains, (n) => `${slug(base, '-')}${n === 1 ? '' : `-${n}`}.${culture.tld}`);
  const name = domain.startsWith(`${slug(base, '-')}.`) ? base : `${base} ${culture.cities[0]!.city}`;
  const id = `demo${options.seed}-company-${index}`;
  g.companies[index] = { id, name, domain, culture };
  const place = dice.pick(culture.cities);
  const steps: Plan['steps'] = [
    {
      command: 'CreateCompany',
      input: {
        id,
        name,
        domain,
        industry: dice.pick(INDUSTRIES),
        size: dice.pick(SIZES),
        address: { street: `${dice.int(1, 120)} Main Street`, ...place, country: culture.country },
        tags: dice.some(TAGS, 1),
      },
    },
  ];
  if (dice.chance(0.3))
    steps.push({ command: 'UpdateCompany', input: { id, fields: { tags: ['partner'] } } });
  return { level: 0, steps, id };
}

function phoneOf(dice: Dice, culture: Culture): string {
  const groups = culture.phone.groups.map((n, i) =>
    Array.from({ length: n }, (_, j) => (i === 0 && j === 0 ? dice.int(1, 9) : dice.int(0, 9))).join(''),
  );
  return `${culture.phone.code} ${groups.join(' ')}`;
}

const OWNERS = ['Marta Ibáñez', 'Kenji Satō', null] as const;

/** The plans of contact `index` and of its deals, tasks, notes and activities. */
function contactPlans(g: GeneratorState, options: DemoOptions, index: number): Plan[] {
  const { dice } = g;
  const { shape, seed, today } = options;
  const company = g.companies[Math.floor(index / shape.contactsPerCompany)];
  const linked = company !== undefined && dice.chance(0.85);
  const culture = linked && dice.chance(0.7) ? company.culture : dice.pick(CULTURES);
  const firstName = dice.pick(culture.firstNames);
  const lastName = dice.pick(culture.lastNames);
  const mailDomain = linked
    ? company.domain
    : dice.pick(['posteo.net', 'mailbox.org', 'proton.me', 'gmx.de']);
  const email = unique(
    g.emails,
    (n) => `${slug(firstName)}.${slug(lastName, '-')}${n === 1 ? '' : n}@${mailDomain}`,
  );
  const id = `demo${seed}-contact-${index}`;
  const plans: Plan[] = [];
  let title: string = dice.pick(TITLES);
  let tags: string[] = dice.some(TAGS, 2);
  let owner: string | null = dice.pick(OWNERS);
  const steps: Plan['steps'] = [
    {
      command: 'CreateContact',
      input: {
        id,
        firstName,
        lastName,
        emails: [email],
        phones: dice.chance(0.7) ? [phoneOf(dice, culture)] : [],
        title,
        ...(linked ? { companyId: company.id } : {}),
        tags,
        ...(owner !== null ? { owner } : {}),
      },
    },
  ];
  // Each update changes one field to a new value, so each writes one event (history to show, time travel to do).
  for (let k = dice.count(shape.updatesPerContact); k > 0; k--) {
    let fields: Record<string, unknown>;
    const field = dice.int(0, 3);
    if (field === 0) {
      title = other(dice, TITLES, title);
      fields = { title };
    } else if (field === 1) {
      fields = { phones: [phoneOf(dice, culture)] };
    } else if (field === 2 || tags.length >= TAGS.length) {
      owner = other(dice, OWNERS, owner);
      fields = { owner };
    } else {
      tags = [...tags, dice.pick(TAGS.filter((t) => !tags.includes(t)))];
      fields = { tags };
    }
    steps.push({ command: 'UpdateContact', input: { id, fields } });
  }
  plans.push({ level: 1, steps, id });
  const link = { kind: 'contact', id };

  for (let k = dice.count(shape.notesPerContact); k > 0; k--) {
    const noteId = `demo${seed}-note-${index}-${k}`;
    plans.push({
      level: 2,
      id: noteId,
      steps: [
        { command: 'CreateNote', input: { id: noteId, body: fill(dice.pick(NOTE_BODIES), firstName), link } },
      ],
    });
  }
  for (let k = dice.count(shape.activitiesPerContact); k > 0; k--) {
    const activityId = `demo${seed}-activity-${index}-${k}`;
    const kind = dice.pick(['call', 'email', 'meeting'] as const);
    const at = `${addDays(today, -dice.int(0, 90))}T${String(dice.int(8, 17)).padStart(2, '0')}:${dice.pick(['00', '15', '30', '45'])}:00Z`;
    plans.push({
      level: 2,
      id: activityId,
      steps: [
        {
          command: 'LogActivity',
          input: {
            id: activityId,
            kind,
            occurredAt: at,
            summary: fill(dice.pick(ACTIVITY_SUMMARIES[kind]), firstName),
            link,
          },
        },
      ],
    });
  }
  for (let k = dice.count(shape.tasksPerContact); k > 0; k--) {
    const taskId = `demo${seed}-task-${index}-${k}`;
    const when = dice.next();
    // About a third overdue, some due today, the rest upcoming.
    const date =
      when < 0.35 ? addDays(today, -dice.int(1, 14)) : when < 0.5 ? today : addDays(today, dice.int(1, 30));
    const time = dice.chance(0.3) ? `${String(dice.int(8, 18)).padStart(2, '0')}:00` : null;
    const taskSteps: Plan['steps'] = [
      {
        command: 'CreateTask',
        input: {
          id: taskId,
          title: fill(dice.pick(TASK_TITLES), firstName),
          priority: dice.pick(['low', 'medium', 'high'] as const),
          link,
          due: { date, time },
        },
      },
    ];
    if (dice.chance(0.35))
      taskSteps.push({
        command: 'CompleteTask',
        input: { id: taskId, at: `${addDays(today, -dice.int(0, 20))}T16:00:00Z` },
      });
    plans.push({ level: 2, id: taskId, steps: taskSteps });
  }
  for (let k = dice.count(shape.dealsPerContact); k > 0; k--) {
    const dealId = `demo${seed}-deal-${index}-${k}`;
    const currency = linked ? company.culture.currency : culture.currency;
    // Currencies without minor units (JPY, ISK...) still take whole minor units; amounts are plausible either way.
    const amount = { minor: dice.int(5, 800) * 10_000, currency };
    const dealSteps: Plan['steps'] = [
      {
        command: 'CreateDeal',
        input: {
          id: dealId,
          title: `${dice.pick(DEAL_TITLES)}${linked ? ` — ${company.name}` : ''}`,
          amount,
          pipelineId: DEFAULT_PIPELINE_ID,
          stageId: DEFAULT_STAGES[0]!.stageId,
          contactIds: [id],
          ...(linked ? { companyId: company.id } : {}),
          expectedCloseDate: addDays(today, dice.int(-30, 120)),
        },
      },
    ];
    for (let s = 1, to = dice.int(0, DEFAULT_STAGES.length - 1); s <= to; s++)
      dealSteps.push({
        command: 'MoveDealStage',
        input: { id: dealId, stageId: DEFAULT_STAGES[s]!.stageId },
      });
    const outcome = dice.next();
    const closed = addDays(today, -dice.int(0, 150));
    if (outcome < 0.18) dealSteps.push({ command: 'MarkDealWon', input: { id: dealId, date: closed } });
    else if (outcome < 0.3)
      dealSteps.push({
        command: 'MarkDealLost',
        input: { id: dealId, reason: dice.pick(LOST_REASONS), date: closed },
      });
    plans.push({ level: 2, id: dealId, steps: dealSteps });
  }
  return plans;
}

/**
 * The demo data as batches of commands, block by block: the commands of one batch touch distinct records and need
 * only records of earlier batches, so a loader may run a batch's commands concurrently. Lazy: 100,000 contacts
 * never sit in memory at once.
 */
export function* demoBatches(options: DemoOptions): Generator<DemoCommand[]> {
  const g: GeneratorState = {
    dice: new Dice(mulberry32(options.seed)),
    companies: [],
    emails: new Set(),
    domains: new Set(),
  };
  const { shape } = options;
  const block = options.blockSize ?? 1000;
  for (let from = 0; from < shape.contacts; from += block) {
    const to = Math.min(shape.contacts, from + block);
    const plans: Plan[] = [];
    for (let i = from; i < to; i++) {
      if (i % shape.contactsPerCompany === 0)
        plans.push(companyPlan(g, options, i / shape.contactsPerCompany));
    }
    for (let i = from; i < to; i++) plans.push(...contactPlans(g, options, i));
    const batches: DemoCommand[][] = [];
    for (const p of plans) {
      p.steps.forEach((step, k) => {
        const b = p.level + k;
        (batches[b] ??= []).push({ ...step, commandId: `demo:${options.seed}:${p.id}:${k}` });
      });
    }
    for (const b of batches) if (b && b.length > 0) yield b;
  }
}

/** Every command of the demo data, in a valid order (the batches, one after the other). */
export function* demoCommands(options: DemoOptions): Generator<DemoCommand> {
  for (const batch of demoBatches(options)) yield* batch;
}
