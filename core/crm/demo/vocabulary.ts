/**
 * The words demo data is made of: names from several cultures (rich in diacritics, so search folding is exercised),
 * company names, job titles, industries, deal, task, note and activity texts, tags.
 * @module
 */

/** One culture's names, with where its people and companies are. */
export interface Culture {
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** International dialling code and the digit groups of a mobile number. */
  phone: { code: string; groups: readonly number[] };
  cities: readonly { city: string; postalCode: string }[];
  country: string;
  currency: string;
  tld: string;
}

/** The cultures demo contacts come from. */
export const CULTURES: readonly Culture[] = [
  {
    firstNames: [
      'Zoë',
      'Hélène',
      'François',
      'Anaïs',
      'Gaëlle',
      'Jérôme',
      'Cécile',
      'Loïc',
      'Amélie',
      'Noël',
    ],
    lastNames: ['Lefèvre', 'Bézier', 'Dubois-Rocher', 'Gauthier', 'Mercier', 'Châtelain', 'Périer', 'Boël'],
    phone: { code: '+33', groups: [1, 2, 2, 2, 2] },
    cities: [
      { city: 'Lyon', postalCode: '69002' },
      { city: 'Besançon', postalCode: '25000' },
      { city: 'Nîmes', postalCode: '30000' },
    ],
    country: 'France',
    currency: 'EUR',
    tld: 'fr',
  },
  {
    firstNames: ['Jürgen', 'Björn', 'Käthe', 'Jörg', 'Lüdia', 'Sören', 'Annegret', 'Maximilian', 'Ute'],
    lastNames: ['Müller', 'Groß', 'Lürssen', 'Schäfer', 'Weiß', 'Köhler', 'Böhm', 'Krüger'],
    phone: { code: '+49', groups: [3, 7] },
    cities: [
      { city: 'München', postalCode: '80331' },
      { city: 'Köln', postalCode: '50667' },
      { city: 'Lübeck', postalCode: '23552' },
    ],
    country: 'Germany',
    currency: 'EUR',
    tld: 'de',
  },
  {
    firstNames: ['Łukasz', 'Małgorzata', 'Paweł', 'Zofia', 'Wojciech', 'Agnieszka', 'Bożena', 'Jędrzej'],
    lastNames: ['Wójcik', 'Żak', 'Świątek', 'Łukasiewicz', 'Kowalczyk', 'Dąbrowska', 'Zieliński'],
    phone: { code: '+48', groups: [3, 3, 3] },
    cities: [
      { city: 'Kraków', postalCode: '31-001' },
      { city: 'Łódź', postalCode: '90-001' },
      { city: 'Gdańsk', postalCode: '80-001' },
    ],
    country: 'Poland',
    currency: 'PLN',
    tld: 'pl',
  },
  {
    firstNames: ['José', 'María', 'Iñigo', 'João', 'Conceição', 'Álvaro', 'Lucía', 'Sebastián', 'Inês'],
    lastNames: ['Muñoz', 'Ibáñez', 'Gonçalves', 'Peña', 'Fernández', 'Araújo', 'Calderón', 'Simões'],
    phone: { code: '+34', groups: [3, 3, 3] },
    cities: [
      { city: 'Sevilla', postalCode: '41001' },
      { city: 'A Coruña', postalCode: '15001' },
      { city: 'Málaga', postalCode: '29001' },
    ],
    country: 'Spain',
    currency: 'EUR',
    tld: 'es',
  },
  {
    firstNames: ['Åsa', 'Søren', 'Märta', 'Øystein', 'Ingrid', 'Björk', 'Jens', 'Linnéa'],
    lastNames: ['Ødegård', 'Ångström', 'Lindqvist', 'Sæther', 'Bjørnsen', 'Håkansson', 'Nyström'],
    phone: { code: '+46', groups: [2, 3, 2, 2] },
    cities: [
      { city: 'Göteborg', postalCode: '411 01' },
      { city: 'Malmö', postalCode: '211 01' },
      { city: 'Västerås', postalCode: '721 01' },
    ],
    country: 'Sweden',
    currency: 'SEK',
    tld: 'se',
  },
  {
    firstNames: ['Tomáš', 'Šárka', 'Jiří', 'Zdeňka', 'Radek', 'Kateřina', 'Ondřej'],
    lastNames: ['Dvořák', 'Novotná', 'Černý', 'Procházka', 'Růžičková', 'Kříž'],
    phone: { code: '+420', groups: [3, 3, 3] },
    cities: [
      { city: 'Brno', postalCode: '602 00' },
      { city: 'Plzeň', postalCode: '301 00' },
    ],
    country: 'Czechia',
    currency: 'CZK',
    tld: 'cz',
  },
  {
    firstNames: ['Çağla', 'Gökhan', 'Şebnem', 'Ömer', 'Ayşe', 'Barış', 'İlkay'],
    lastNames: ['Öztürk', 'Yılmaz', 'Çelik', 'Şahin', 'Aydın', 'Güneş'],
    phone: { code: '+90', groups: [3, 3, 2, 2] },
    cities: [
      { city: 'İstanbul', postalCode: '34000' },
      { city: 'İzmir', postalCode: '35000' },
    ],
    country: 'Türkiye',
    currency: 'TRY',
    tld: 'com.tr',
  },
  {
    firstNames: ['Thảo', 'Minh', 'Phương', 'Đức', 'Hương', 'Quốc'],
    lastNames: ['Nguyễn', 'Trần', 'Phạm', 'Lê', 'Võ', 'Đặng'],
    phone: { code: '+84', groups: [2, 3, 4] },
    cities: [
      { city: 'Hà Nội', postalCode: '100000' },
      { city: 'Đà Nẵng', postalCode: '550000' },
    ],
    country: 'Vietnam',
    currency: 'VND',
    tld: 'vn',
  },
  {
    firstNames: ['Þór', 'Guðrún', 'Sigríður', 'Ásgeir', 'Hrafnhildur', 'Ólafur'],
    lastNames: ['Sigurðsdóttir', 'Jónsson', 'Þórsdóttir', 'Guðmundsson', 'Ólafsdóttir'],
    phone: { code: '+354', groups: [3, 4] },
    cities: [
      { city: 'Reykjavík', postalCode: '101' },
      { city: 'Akureyri', postalCode: '600' },
    ],
    country: 'Iceland',
    currency: 'ISK',
    tld: 'is',
  },
  {
    firstNames: ['Seán', 'Siobhán', 'Niamh', 'Pádraig', 'Aoife', 'Eoghan'],
    lastNames: ["O'Brien", 'Ó Briain', 'Mac Gearailt', 'Ní Bhriain', 'Fitzgerald', 'Ó Súilleabháin'],
    phone: { code: '+353', groups: [2, 3, 4] },
    cities: [
      { city: 'Dublin', postalCode: 'D02' },
      { city: 'Galway', postalCode: 'H91' },
    ],
    country: 'Ireland',
    currency: 'EUR',
    tld: 'ie',
  },
  {
    firstNames: ['Yūki', 'Ōta', 'Haruka', 'Kōji', 'Sakura', 'Ren'],
    lastNames: ['Satō', 'Ōno', 'Itō', 'Kōno', 'Yamamoto', 'Saitō'],
    phone: { code: '+81', groups: [2, 4, 4] },
    cities: [
      { city: 'Kyōto', postalCode: '600-8216' },
      { city: 'Ōsaka', postalCode: '530-0001' },
    ],
    country: 'Japan',
    currency: 'JPY',
    tld: 'jp',
  },
  {
    firstNames: ['Ana', 'Noah', 'Priya', 'Marcus', 'Chloé', 'Dmitri', 'Renée'],
    lastNames: ['Okafor', 'Hernández', 'Chen', 'Kowalski', 'Fontaine', 'Brontë'],
    phone: { code: '+1', groups: [3, 3, 4] },
    cities: [
      { city: 'Montréal', postalCode: 'H2X 1Y4' },
      { city: 'San José', postalCode: '95113' },
    ],
    country: 'United States',
    currency: 'USD',
    tld: 'com',
  },
];

/** First and second halves of company names (`Nordlicht` + `Energie`). */
export const COMPANY_WORDS: readonly [readonly string[], readonly string[]] = [
  [
    'Nordlicht',
    'Brightwave',
    'Süderholz',
    'Alba',
    'Łąka',
    'Kestrel',
    'Fjällräv',
    'Orchid',
    'Mistral',
    'Granit',
  ],
  ['Energie', 'Studio', 'Logistics', 'Labs', 'Bau', 'Analytics', 'Foods', 'Design', 'Partners', 'Systems'],
];

/** Industries of demo companies. */
export const INDUSTRIES = [
  'Software',
  'Renewable energy',
  'Logistics',
  'Architecture',
  'Food & beverage',
  'Healthcare',
  'Consulting',
  'Publishing',
] as const;

/** Company sizes (the company aggregate's enum). */
export const SIZES = ['2-10', '11-50', '51-200', '201-500', '1001+'] as const;

/** Job titles. */
export const TITLES = [
  'Founder',
  'Head of Sales',
  'CTO',
  'Product Manager',
  'Office Manager',
  'Freelance Designer',
  'Procurement Lead',
  'Marketing Director',
  'Operations Manager',
] as const;

/** Tags of contacts and companies. */
export const TAGS = [
  'vip',
  'newsletter',
  'partner',
  'investor',
  'conference-2026',
  'référence',
  'warm lead',
] as const;

/** Deal titles (the company's name is appended). */
export const DEAL_TITLES = [
  'Website redesign',
  'Annual licence',
  'Consulting retainer',
  'Pilot project',
  'Support contract',
  'Data migration',
  'Brand workshop',
] as const;

/** Why deals were lost. */
export const LOST_REASONS = ['Budget cut', 'Chose a competitor', 'No decision', 'Timing'] as const;

/** Task titles; `{name}` is the contact's first name. */
export const TASK_TITLES = [
  'Call back {name}',
  'Send the proposal to {name}',
  'Prepare meeting notes for {name}',
  'Follow up on the invoice with {name}',
  'Book a demo with {name}',
] as const;

/** Note bodies; `{name}` is the contact's first name. */
export const NOTE_BODIES = [
  '{name} prefers e-mail over calls; best reached before 10:00.',
  'Met {name} at the trade fair. Interested in the premium plan — follow up in spring.',
  '{name} mentioned a budget review next quarter.',
  'Café with {name}: wants references from similar companies.',
  '{name} is moving to a new office; update the address later.',
] as const;

/** Activity summaries by kind; `{name}` is the contact's first name. */
export const ACTIVITY_SUMMARIES = {
  call: ['Intro call with {name}', 'Pricing questions from {name}', 'Quick check-in with {name}'],
  email: [
    'Sent the brochure to {name}',
    '{name} replied about the contract',
    'Newsletter follow-up to {name}',
  ],
  meeting: [
    'Kick-off meeting with {name}',
    'On-site visit at {name}’s office',
    'Quarterly review with {name}',
  ],
} as const;
