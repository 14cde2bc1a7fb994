import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../db/seed/index.ts';
import { SEED_TOWNS } from '../../db/seed/towns.ts';
import { verifyPassword } from '~/server/auth/password.ts';
import type { Database } from '~/server/db/schema.ts';
import { createTestDatabase } from '../helpers/database.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ db, cleanup } = await createTestDatabase()));
afterEach(() => cleanup());

describe('demo data', () => {
  it('holds the 27 monotowns, with the source’s potential categories', async () => {
    expect(await seedDemoData(db)).toBe(true);
    const towns = await db.selectFrom('towns').selectAll().execute();
    expect(towns).toHaveLength(27);
    const byPotential = (potential: string) => towns.filter((town) => town.economic_potential === potential).map((town) => town.slug).sort();
    expect(byPotential('high')).toEqual(['aksu', 'ekibastuz', 'ridder', 'rudny', 'temirtau']);
    expect(byPotential('low')).toEqual(['arkalyk', 'zhanatas']);
    for (const town of towns) expect([town.name_kk, town.name_ru, town.name_en].every(Boolean)).toBe(true);
  });

  it('creates the demo accounts with the documented roles, towns and password', async () => {
    await seedDemoData(db);
    const users = await db
      .selectFrom('users')
      .leftJoin('towns', 'towns.id', 'users.town_id')
      .select(['users.email', 'users.role', 'users.password_hash', 'towns.slug as town'])
      // Capabilities may add demo members of other towns (e.g. db/seed/groups.ts); these five are README's.
      .where('users.email', 'in', DEMO_ACCOUNTS.map((account) => account.email))
      .orderBy('users.email')
      .execute();
    expect(users.map(({ email, role, town }) => ({ email, role, town }))).toEqual([
      { email: 'admin@example.org', role: 'admin', town: null },
      { email: 'editor@example.org', role: 'editor', town: null },
      { email: 'ridder@example.org', role: 'member', town: 'ridder' },
      { email: 'temirtau-admin@example.org', role: 'town_admin', town: 'temirtau' },
      { email: 'temirtau@example.org', role: 'member', town: 'temirtau' },
    ]);
    for (const user of users) expect(await verifyPassword(user.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(DEMO_ACCOUNTS).toHaveLength(5);
  });

  it('fills the expertise exchange with requests in several states, and profiles to match', async () => {
    await seedDemoData(db);
    const requests = await db.selectFrom('help_requests').select(['status']).orderBy('id').execute();
    expect(requests.map((request) => request.status)).toEqual(['in_progress', 'open', 'resolved', 'draft']);
    expect(await db.selectFrom('help_responses').select('id').where('accepted_at', 'is not', null).execute()).toHaveLength(2);
    expect((await db.selectFrom('help_match_index').select('user_id').where('declared', '=', 1).distinct().execute()).length).toBeGreaterThanOrEqual(5);
  });

  it('is never applied twice: a used database keeps its data', async () => {
    await seedDemoData(db);
    await db.updateTable('users').set({ display_name: 'Renamed' }).where('email', '=', 'temirtau@example.org').execute();
    expect(await seedDemoData(db)).toBe(false);
    const user = await db.selectFrom('users').select('display_name').where('email', '=', 'temirtau@example.org').executeTakeFirstOrThrow();
    expect(user.display_name).toBe('Renamed');
    expect(await db.selectFrom('towns').select('id').execute()).toHaveLength(SEED_TOWNS.length);
  });
});
