import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOwnProfile } from '~/server/accounts/profiles.ts';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { addResponse } from '~/server/exchange/responses.ts';
import { createRequest } from '~/server/exchange/requests.ts';
import { createGroup } from '~/server/groups/groups.ts';
import { joinGroup } from '~/server/groups/members.ts';
import { listDirectory, memberLinks, MEMBERS_PER_PAGE } from '~/server/members/directory.ts';
import { loadMemberProfile } from '~/server/members/page.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
const NOW = 1_800_000_000;

const ids: Record<string, string> = {};
const towns: Record<string, number> = {};

async function town(slug: string, region: string): Promise<number> {
  const row = await db
    .insertInto('towns')
    .values({ slug, name_kk: `${slug} kk`, name_ru: `${slug} ru`, name_en: `${slug} en`, region, population: null, main_industry: null, founding_enterprise_kk: null, founding_enterprise_ru: null, founding_enterprise_en: null, economic_potential: null, description_kk: null, description_ru: null, description_en: null, contact_email: null, contact_phone: null, contact_website: null, created_at: NOW, updated_at: NOW })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function person(key: string, role: Role, townId: number | null, profile: { name: string; languages: ('kk' | 'ru' | 'en' | 'other')[]; topics: string[]; contactable: boolean; position?: string }): Promise<void> {
  ids[key] = await insertUser(db, { email: `${key}@example.org`, passwordHash: 'x', displayName: profile.name, role, townId, language: 'en' }, NOW);
  await updateOwnProfile(db, ids[key]!, { displayName: profile.name, position: profile.position ?? null, languagesSpoken: profile.languages, expertiseTopics: profile.topics, contactable: profile.contactable }, NOW);
}

function viewer(key: string, role: Role): CurrentUser {
  return { id: ids[key]!, email: `${key}@example.org`, displayName: key, role, language: 'en', disabled: false, town: null };
}

beforeAll(async () => {
  ({ db, cleanup } = await createTestDatabase());
  towns.temirtau = await town('temirtau', 'karaganda');
  towns.ridder = await town('ridder', 'east-kazakhstan');
  await person('yerlan', 'member', towns.temirtau, { name: 'Yerlan Bekov', languages: ['kk', 'ru'], topics: ['utilities-housing'], contactable: true, position: 'Deputy akim' });
  await person('irina', 'member', towns.ridder, { name: 'Irina Sokolova', languages: ['ru', 'en'], topics: ['environment-health'], contactable: false });
  await person('gulnara', 'town_admin', towns.temirtau, { name: 'Gulnara 100% Akhmetova', languages: ['ru'], topics: ['utilities-housing', 'municipal-finance'], contactable: false });
  await person('editor', 'editor', null, { name: 'Daniyar Seitkali', languages: ['kk', 'ru', 'en'], topics: [], contactable: false });
  await person('closed', 'member', towns.ridder, { name: 'Closed Account', languages: ['ru'], topics: ['environment-health'], contactable: true });
  await db.updateTable('users').set({ disabled_at: NOW }).where('id', '=', ids.closed!).execute();
});
afterAll(() => cleanup());

const names = (entries: { displayName: string }[]) => entries.map((entry) => entry.displayName);

describe('the people directory', () => {
  it('lists every active account by name, with contact details only for those who opted in', async () => {
    const { entries, total } = await listDirectory(db, viewer('irina', 'member'), { page: 1 });
    expect(total).toBe(4);
    expect(names(entries)).toEqual(['Daniyar Seitkali', 'Gulnara 100% Akhmetova', 'Irina Sokolova', 'Yerlan Bekov']);
    const yerlan = entries.find((entry) => entry.id === ids.yerlan)!;
    expect(yerlan).toMatchObject({ position: 'Deputy akim', town: { slug: 'temirtau', region: 'karaganda' }, languages: ['kk', 'ru'], topics: ['utilities-housing'], contactable: true, email: 'yerlan@example.org' });
    expect(entries.find((entry) => entry.id === ids.gulnara)!.email).toBeNull();
    // Their own address, a member always sees.
    expect(entries.find((entry) => entry.id === ids.irina)!.email).toBe('irina@example.org');
    expect(entries.find((entry) => entry.id === ids.editor)!.town).toBeNull();
  });

  it('shows editors everyone, closed accounts and all addresses included', async () => {
    const { entries, total } = await listDirectory(db, viewer('editor', 'editor'), { page: 1 });
    expect(total).toBe(5);
    expect(entries.find((entry) => entry.id === ids.closed)).toMatchObject({ disabled: true, email: 'closed@example.org' });
    expect(entries.find((entry) => entry.id === ids.gulnara)!.email).toBe('gulnara@example.org');
  });

  it('filters by topic, town, region, language and part of the name', async () => {
    const as = viewer('irina', 'member');
    expect(names((await listDirectory(db, as, { topic: 'utilities-housing', page: 1 })).entries)).toEqual(['Gulnara 100% Akhmetova', 'Yerlan Bekov']);
    expect(names((await listDirectory(db, as, { topic: 'environment-health', page: 1 })).entries)).toEqual(['Irina Sokolova']);
    expect(names((await listDirectory(db, as, { townId: towns.ridder, page: 1 })).entries)).toEqual(['Irina Sokolova']);
    expect(names((await listDirectory(db, as, { region: 'karaganda', page: 1 })).entries)).toEqual(['Gulnara 100% Akhmetova', 'Yerlan Bekov']);
    expect(names((await listDirectory(db, as, { language: 'en', page: 1 })).entries)).toEqual(['Daniyar Seitkali', 'Irina Sokolova']);
    expect(names((await listDirectory(db, as, { language: 'other', page: 1 })).entries)).toEqual([]);
    expect(names((await listDirectory(db, as, { name: 'sokol', page: 1 })).entries)).toEqual(['Irina Sokolova']);
    expect(names((await listDirectory(db, as, { name: 'BEKOV', page: 1 })).entries)).toEqual(['Yerlan Bekov']);
    // Pattern characters are literal.
    expect(names((await listDirectory(db, as, { name: '100%', page: 1 })).entries)).toEqual(['Gulnara 100% Akhmetova']);
    expect(names((await listDirectory(db, as, { name: '%', page: 1 })).entries)).toEqual(['Gulnara 100% Akhmetova']);
    expect(names((await listDirectory(db, as, { name: '_', page: 1 })).entries)).toEqual([]);
    expect(names((await listDirectory(db, as, { topic: 'utilities-housing', region: 'karaganda', language: 'kk', page: 1 })).entries)).toEqual(['Yerlan Bekov']);
    // A topic's total is counted from the topic index, with every other filter and without closed accounts.
    const totals = async (filters: Omit<Parameters<typeof listDirectory>[2], 'page'>, who = as) => (await listDirectory(db, who, { ...filters, page: 1 })).total;
    expect(await totals({ topic: 'utilities-housing' })).toBe(2);
    expect(await totals({ topic: 'utilities-housing', region: 'karaganda', language: 'kk' })).toBe(1);
    expect(await totals({ topic: 'utilities-housing', name: 'gulnara' })).toBe(1);
    expect(await totals({ topic: 'youth-skills' })).toBe(0);
  });

  it('pages through many people', async () => {
    const crowd = await town('crowd', 'pavlodar');
    for (let index = 0; index < MEMBERS_PER_PAGE + 3; index++) {
      await insertUser(db, { email: `crowd-${index}@example.org`, passwordHash: 'x', displayName: `Crowd ${String(index).padStart(2, '0')}`, role: 'member', townId: crowd, language: 'ru' }, NOW);
    }
    const first = await listDirectory(db, viewer('irina', 'member'), { townId: crowd, page: 1 });
    const second = await listDirectory(db, viewer('irina', 'member'), { townId: crowd, page: 2 });
    expect([first.total, first.pages, first.entries.length, second.entries.length]).toEqual([MEMBERS_PER_PAGE + 3, 2, MEMBERS_PER_PAGE, 3]);
    expect(second.entries[2]!.displayName).toBe(`Crowd ${MEMBERS_PER_PAGE + 2}`);
  });
});

describe('a member profile', () => {
  it('links to requests answered, public groups only and published cases', async () => {
    const asking = await createRequest(db, { townId: towns.ridder!, authorId: ids.irina!, input: { title: 'Dust monitoring', body: 'Help.', helpForms: ['advice'], topics: ['environment-health'], languages: ['ru'], urgency: 'normal', deadline: null }, publish: true }, NOW);
    const hidden = await createRequest(db, { townId: towns.ridder!, authorId: ids.irina!, input: { title: 'Hidden one', body: 'Help.', helpForms: ['advice'], topics: ['environment-health'], languages: ['ru'], urgency: 'normal', deadline: null }, publish: true }, NOW);
    await db.updateTable('help_requests').set({ hidden_at: NOW }).where('id', '=', hidden).execute();
    await addResponse(db, { requestId: asking, authorId: ids.yerlan!, townId: towns.temirtau!, body: 'We can help.', links: [] }, NOW);
    await addResponse(db, { requestId: hidden, authorId: ids.yerlan!, townId: towns.temirtau!, body: 'We can help.', links: [] }, NOW);
    const group = (slug: string, visibility: 'open' | 'private') =>
      createGroup(db, { slug, name: { kk: slug, ru: slug, en: `${slug} en` }, purpose: { kk: 'М', ru: 'Ц', en: 'P' }, topics: [], type: 'forum', visibility, rhythm: 'monthly', descriptionPublic: true }, ids.editor!, NOW);
    const open = await group('heating', 'open');
    const secret = await group('secret', 'private');
    if (!open.ok || !secret.ok) throw new Error('slug taken');
    await joinGroup(db, open.id, ids.yerlan!, NOW);
    await joinGroup(db, secret.id, ids.yerlan!, NOW);
    const content = JSON.stringify({ languages: ['en'], title: 'Heating network renewal' });
    const caseRow = { town_id: towns.temirtau!, created_by: ids.yerlan!, updated_by: ids.yerlan!, source_request_id: null, version: 1, content, published_at: NOW, published_version: 1, unpublish_reason: null, created_at: NOW, updated_at: NOW };
    await db.insertInto('member_cases').values({ ...caseRow, status: 'approved', published_content: content, slug: 'temirtau-heating', unpublished_at: null }).execute();
    await db.insertInto('member_cases').values({ ...caseRow, status: 'approved', published_content: content, slug: 'temirtau-withdrawn', unpublished_at: NOW }).execute();
    await db.insertInto('member_cases').values({ ...caseRow, status: 'draft', published_content: null, slug: null, unpublished_at: null }).execute();

    const links = await memberLinks(db, ids.yerlan!);
    expect(links.answered).toEqual([{ id: asking, title: 'Dust monitoring', town: { kk: 'ridder kk', ru: 'ridder ru', en: 'ridder en' } }]);
    expect(links.groups).toEqual([{ slug: 'heating', name: { kk: 'heating', ru: 'heating', en: 'heating en' } }]);
    expect(links.cases).toEqual([{ slug: 'temirtau-heating', title: 'Heating network renewal' }]);
  });

  it('is found for members, with the address only when opted in; a closed account only for editors', async () => {
    const member = viewer('irina', 'member');
    expect((await loadMemberProfile(db, member, ids.yerlan!))?.email).toBe('yerlan@example.org');
    expect((await loadMemberProfile(db, member, ids.gulnara!))?.email).toBeNull();
    expect(await loadMemberProfile(db, member, ids.closed!)).toBeUndefined();
    expect(await loadMemberProfile(db, member, 'not-an-id')).toBeUndefined();
    const editor = viewer('editor', 'editor');
    expect((await loadMemberProfile(db, editor, ids.gulnara!))?.email).toBe('gulnara@example.org');
    expect((await loadMemberProfile(db, editor, ids.closed!))?.profile.disabled).toBe(true);
  });
});
