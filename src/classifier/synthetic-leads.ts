// Small made-up labelled leads (dealer enquiries and form spam) for tests and benchmarks that must not depend on the dev corpus.
import type { Lead } from '../engine/types.ts';
import { createRandom } from './random.ts';
import type { LabelledLead } from './training.ts';

const firstNames = [
  'Ann',
  'Bob',
  'Carla',
  'Dev',
  'Emma',
  'Farid',
  'Grace',
  'Hugo',
  'Ines',
  'Jon',
  'Kira',
  'Luis',
];
const lastNames = ['Smith', 'Garcia', 'Nguyen', 'Okafor', 'Rossi', 'Meyer', 'Khan', 'Silva', 'Brown', 'Ito'];
const vehicles = [
  '2019 Honda Civic',
  '2021 Ford F-150',
  'Toyota RAV4',
  'used Subaru Outback',
  'Kia Sorento',
  'Mazda CX-5',
];
const hamLines = [
  'Is the {car} still available? I would like to book a test drive on Saturday morning.',
  'Hello, what is your best price on the {car}? I have a trade-in with about 60,000 miles.',
  'Can you tell me if the {car} has had any accidents? Please call me after 5pm.',
  'I am interested in financing the {car}. My credit is good. What monthly payment could I expect?',
  'Do you have the {car} in blue or grey? We need it before the end of the month.',
  'My wife and I saw the {car} on your lot yesterday. Is the price negotiable?',
];
const spamLines = [
  'Boost your website traffic today! Our SEO experts guarantee first page Google ranking. Visit {link} now',
  'I noticed your website could rank better. We build backlinks cheap, reply for a FREE audit {link}',
  'Earn $5000 per week from home with crypto trading, no experience needed, sign up at {link}',
  'Dear sir, we offer cheap web design and marketing services for your business, see {link} for offers',
  'Get more leads with our AI chatbot, limited time discount 70% OFF, click {link}',
  'Congratulations, you have been selected for a bitcoin investment bonus, claim at {link} today!!!',
];
const spamDomains = [
  'cheap-seo.example',
  'rank-boost.test',
  'crypto-gains.example',
  'web-offers.test',
  'ai-leads.example',
];

/** `count` leads, a `spamShare` of them spam, reproducible from the seed. */
export function makeSyntheticLeads(count: number, spamShare = 0.3, seed = 1): LabelledLead[] {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const leads: LabelledLead[] = [];
  for (let i = 0; i < count; i++) {
    const spam = random() < spamShare;
    const first = pick(firstNames);
    const last = pick(lastNames);
    const text = spam
      ? pick(spamLines).replace('{link}', `https://${pick(spamDomains)}/offer?id=${i}`)
      : pick(hamLines).replace('{car}', pick(vehicles));
    const lead: Lead = {
      channel: 'file',
      id: `synthetic-${i}`,
      name: spam
        ? pick(['SEO Team', 'Marketing Expert', `${first}${Math.floor(random() * 999)}`])
        : `${first} ${last}`,
      email: spam
        ? `offers${i}@${pick(spamDomains)}`
        : `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      subject: spam
        ? pick(['Grow your business', 'Partnership', 'Quick question'])
        : `Question about the ${pick(vehicles)}`,
      message: text,
    };
    leads.push({ lead, label: spam ? 'spam' : 'ham' });
  }
  return leads;
}
