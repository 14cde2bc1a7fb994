import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { countUsers, insertUser } from '~/server/accounts/users.ts';
import { hashPassword } from '~/server/auth/password.ts';
import type { Database } from '~/server/db/schema.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.ts';
import { seedDialogue } from './dialogue.ts';
import { seedExchange } from './exchange.ts';
import { seedFiles } from './files.ts';
import { seedEditorial } from './editorial.ts';
import { seedGroups } from './groups.ts';
import { seedPublicMeetings } from './public-meetings.ts';
import { seedDemoCases } from './cases.ts';
import { seedPositions } from './positions.ts';
import { seedIndicatorValues } from './indicators.ts';
import { seedTownProfile } from './town-profiles.ts';
import { SEED_TOWNS } from './towns.ts';
import { resyncDatabaseSources } from '~/server/search/sources/index.ts';
import { recordChange } from '~/server/cache/changes.ts';

/**
 * Fills an empty database with the founding member towns (with demo indicator values)
 * and the demo accounts.
 * Does nothing when the database already has accounts, so restarts never re-seed.
 * Returns whether it seeded.
 */
export async function seedDemoData(db: Kysely<Database>, now = clock.now()): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(DEMO_PASSWORD)));
  const seeded = await db.transaction().execute(async (trx) => {
    // Asked again under the write lock: two instances starting at once on one empty
    // PostgreSQL database both get past the first check, and only the first may seed.
    if ((await countUsers(trx)) > 0) return false;
    for (const [index, town] of SEED_TOWNS.entries()) {
      const profile = seedTownProfile(town, index);
      await trx
        .insertInto('towns')
        .values({
          slug: town.slug,
          name_kk: town.name.kk,
          name_ru: town.name.ru,
          name_en: town.name.en,
          region: town.region,
          population: town.population,
          main_industry: town.mainIndustry,
          founding_enterprise_kk: town.foundingEnterprise.kk,
          founding_enterprise_ru: town.foundingEnterprise.ru,
          founding_enterprise_en: town.foundingEnterprise.en,
          economic_potential: town.potential,
          description_kk: profile.description.kk,
          description_ru: profile.description.ru,
          description_en: profile.description.en,
          contact_email: profile.contactEmail,
          contact_phone: profile.contactPhone,
          contact_website: profile.contactWebsite,
          created_at: now,
          updated_at: now,
        })
        .onConflict((conflict) => conflict.column('slug').doNothing())
        .execute();
    }
    const towns = await trx.selectFrom('towns').select(['id', 'slug']).execute();
    const townIdBySlug = new Map(towns.map((town) => [town.slug, town.id]));
    const values = seedIndicatorValues(SEED_TOWNS).flatMap((value) => {
      const townId = townIdBySlug.get(value.town);
      if (townId === undefined) return [];
      return [{
        town_id: townId,
        indicator: value.indicator,
        period: value.period,
        value: value.value,
        source_note: value.sourceNote,
        illustrative: value.illustrative ? (1 as const) : (0 as const),
        published_at: value.published ? now : null,
        created_at: now,
        updated_at: now,
      }];
    });
    // A few hundred rows per statement keeps within SQLite's limit on bound parameters.
    for (let start = 0; start < values.length; start += 300) {
      await trx.insertInto('indicator_values').values(values.slice(start, start + 300)).onConflict((conflict) => conflict.doNothing()).execute();
    }
    for (const [index, account] of DEMO_ACCOUNTS.entries()) {
      await insertUser(
        trx,
        {
          email: account.email,
          passwordHash: hashes[index]!,
          displayName: account.displayName,
          role: account.role,
          townId: account.townSlug ? (townIdBySlug.get(account.townSlug) ?? null) : null,
          language: account.language,
        },
        now,
      );
    }
    await seedGroups(trx, now);
    await seedPublicMeetings(trx);
    await seedDemoCases(trx, now);
    await seedPositions(trx, now);
    // Written straight into their tables: every process's kept reads of them start again.
    for (const area of ['towns', 'indicators', 'cases', 'groups', 'memberships', 'threads'] as const) await recordChange(trx, area);
    return true;
  });
  if (!seeded) return false;
  await seedExchange(db, now);
  await seedFiles(db, now);
  await seedDialogue(db, now);
  // The demo rows above are written straight into their tables: search learns of them all at once.
  await resyncDatabaseSources(db);
  await seedEditorial(db, now);
  return true;
}

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.ts';
