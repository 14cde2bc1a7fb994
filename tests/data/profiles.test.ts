import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canEditOwnProfile, canViewProfile } from '~/server/accounts/profile-rules.ts';
import { getProfile, parseStringArray, updateOwnProfile, type OwnProfileInput } from '~/server/accounts/profiles.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let temirtau: number;
let ridder: number;
let yerlan: string;

const town = (slug: string, en: string, ru: string, kk: string) =>
  db
    .insertInto('towns')
    .values({ slug, name_kk: kk, name_ru: ru, name_en: en, region: 'karaganda', population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, created_at: 1, updated_at: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  temirtau = (await town('temirtau', 'Temirtau', 'Темиртау', 'Теміртау')).id;
  ridder = (await town('ridder', 'Ridder', 'Риддер', 'Риддер')).id;
  yerlan = await insertUser(db, { email: 'yerlan@example.org', passwordHash: 'not-used', displayName: 'Yerlan Bekov', role: 'member', townId: temirtau, language: 'kk' }, 1_000);
});
afterEach(() => cleanup());

const row = (id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const input: OwnProfileInput = {
  displayName: '  Yerlan Bekov-Ulы  ',
  position: 'Deputy akim',
  languagesSpoken: ['ru', 'kk'],
  expertiseTopics: ['utilities-housing', 'municipal-finance', 'utilities-housing'],
  expertiseKeywords: 'district heating, tariffs',
  bio: 'First line\r\nSecond line',
  contactable: true,
};

describe('a new account’s profile', () => {
  it('has empty lists, is not contactable, and carries its town in three languages', async () => {
    const profile = await getProfile(db, yerlan);
    expect(profile).toEqual({
      id: yerlan,
      displayName: 'Yerlan Bekov',
      email: 'yerlan@example.org',
      role: 'member',
      position: null,
      town: { slug: 'temirtau', name: { kk: 'Теміртау', ru: 'Темиртау', en: 'Temirtau' } },
      languagesSpoken: [],
      expertiseTopics: [],
      expertiseKeywords: null,
      bio: null,
      contactable: false,
      disabled: false,
    });
  });

  it('is undefined for an unknown id, and flagged when the account is disabled', async () => {
    expect(await getProfile(db, 'no-such-user')).toBeUndefined();
    await db.updateTable('users').set({ disabled_at: 5 }).where('id', '=', yerlan).execute();
    expect((await getProfile(db, yerlan))?.disabled).toBe(true);
  });

  it('has no town for association staff', async () => {
    const staff = await insertUser(db, { email: 'staff@example.org', passwordHash: 'x', displayName: 'Staff', role: 'editor', townId: null, language: 'en' });
    expect((await getProfile(db, staff))?.town).toBeNull();
  });
});

describe('updating one’s own profile', () => {
  it('saves the profile fields, tidied', async () => {
    await updateOwnProfile(db, yerlan, input, 2_000);
    const profile = await getProfile(db, yerlan);
    expect(profile).toMatchObject({
      displayName: 'Yerlan Bekov-Ulы',
      position: 'Deputy akim',
      languagesSpoken: ['kk', 'ru'],
      expertiseTopics: ['utilities-housing', 'municipal-finance'],
      expertiseKeywords: 'district heating, tariffs',
      bio: 'First line\nSecond line',
      contactable: true,
    });
    expect((await row(yerlan)).updated_at).toBe(2_000);
  });

  it('stores empty text as null and can be undone', async () => {
    await updateOwnProfile(db, yerlan, input);
    await updateOwnProfile(db, yerlan, { displayName: 'Yerlan', position: '  ', languagesSpoken: [], expertiseTopics: [], expertiseKeywords: '', bio: undefined, contactable: false });
    const saved = await row(yerlan);
    expect(saved).toMatchObject({ position: null, expertise_keywords: null, bio: null, languages_spoken: '[]', expertise_topics: '[]', contactable: 0 });
  });

  it('writes only the profile columns: role, town, email, password, language and status cannot change', async () => {
    const before = await row(yerlan);
    // What a forged call might try: extra properties are not part of the input and are not written.
    const forged = { ...input, role: 'admin', town_id: ridder, townId: ridder, email: 'evil@example.org', password_hash: 'x', disabled_at: null, language: 'en' } as OwnProfileInput;
    await updateOwnProfile(db, yerlan, forged, 3_000);
    const after = await row(yerlan);
    const untouched = ['id', 'email', 'password_hash', 'role', 'town_id', 'language', 'disabled_at', 'created_at'] as const;
    for (const column of untouched) expect(after[column], column).toEqual(before[column]);
    expect(after.role).toBe('member');
    expect(after.town_id).toBe(temirtau);
    const changed = Object.keys(after).filter((column) => after[column as keyof typeof after] !== before[column as keyof typeof before]).sort();
    expect(changed).toEqual(['bio', 'contactable', 'display_name', 'expertise_keywords', 'expertise_topics', 'languages_spoken', 'position', 'updated_at']);
  });

  it('changes no other account', async () => {
    const irina = await insertUser(db, { email: 'irina@example.org', passwordHash: 'x', displayName: 'Irina Sokolova', role: 'member', townId: ridder, language: 'ru' });
    const before = await row(irina);
    await updateOwnProfile(db, yerlan, input);
    expect(await row(irina)).toEqual(before);
  });
});

describe('JSON columns', () => {
  it.each([
    [null, []],
    ['', []],
    ['not json', []],
    ['{"kk":true}', []],
    ['"kk"', []],
    ['null', []],
    ['["kk", 5, null, "en"]', ['kk', 'en']],
  ])('parse %j defensively as %j', (text, expected) => {
    expect(parseStringArray(text)).toEqual(expected);
  });

  it('are read defensively by getProfile: bad JSON and unknown languages give nothing', async () => {
    await db.updateTable('users').set({ languages_spoken: '{broken', expertise_topics: '{"a":1}' }).where('id', '=', yerlan).execute();
    expect(await getProfile(db, yerlan)).toMatchObject({ languagesSpoken: [], expertiseTopics: [] });
    await db.updateTable('users').set({ languages_spoken: '["en","xx","kk","en",3]', expertise_topics: '["sme-support",7,"sme-support"]' }).where('id', '=', yerlan).execute();
    expect(await getProfile(db, yerlan)).toMatchObject({ languagesSpoken: ['en', 'kk'], expertiseTopics: ['sme-support'] });
  });
});

describe('who may view and edit profiles', () => {
  const viewer = (role: Role, disabled = false): CurrentUser => ({
    id: `${role}-${disabled}`,
    email: `${role}@example.org`,
    displayName: role,
    role,
    language: 'en',
    disabled,
    town: null,
  });
  const active = { disabled: false };
  const disabled = { disabled: true };

  it.each([
    ['the public', null, active, false],
    ['the public', null, disabled, false],
    ['a member', viewer('member'), active, true],
    ['a member', viewer('member'), disabled, false],
    ['a town admin', viewer('town_admin'), active, true],
    ['a town admin', viewer('town_admin'), disabled, false],
    ['an editor', viewer('editor'), active, true],
    ['an editor', viewer('editor'), disabled, false],
    ['an admin', viewer('admin'), active, true],
    ['an admin', viewer('admin'), disabled, false],
    ['a disabled member', viewer('member', true), active, false],
    ['a disabled admin', viewer('admin', true), active, false],
  ])('%s viewing %j → %s', (_who, user, target, expected) => {
    expect(canViewProfile(user, target)).toBe(expected);
  });

  it.each([
    ['the public', null, false],
    ['a member', viewer('member'), true],
    ['a town admin', viewer('town_admin'), true],
    ['an editor', viewer('editor'), true],
    ['an admin', viewer('admin'), true],
    ['a disabled member', viewer('member', true), false],
  ])('%s editing their own profile → %s', (_who, user, expected) => {
    expect(canEditOwnProfile(user)).toBe(expected);
  });
});
