import type { Role } from '~/server/db/schema.ts';

/** The password of every demo account. Demo accounts exist only in the embedded demo database. */
export const DEMO_PASSWORD = 'demo-qala-2026';

/** A demo account and the town (by slug) it belongs to. */
export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  townSlug: string | null;
  language: 'kk' | 'ru' | 'en';
}

/** The demo accounts README.md lists. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'admin@example.org', displayName: 'Aliya Nurlanova', role: 'admin', townSlug: null, language: 'en' },
  { email: 'editor@example.org', displayName: 'Daniyar Seitkali', role: 'editor', townSlug: null, language: 'ru' },
  { email: 'temirtau-admin@example.org', displayName: 'Gulnara Akhmetova', role: 'town_admin', townSlug: 'temirtau', language: 'ru' },
  { email: 'temirtau@example.org', displayName: 'Yerlan Bekov', role: 'member', townSlug: 'temirtau', language: 'kk' },
  { email: 'ridder@example.org', displayName: 'Irina Sokolova', role: 'member', townSlug: 'ridder', language: 'ru' },
];
