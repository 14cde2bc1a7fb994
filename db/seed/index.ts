import type { Kysely } from 'kysely';
import { countUsers, insertUser } from '../../src/server/accounts/users.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import type { Database } from '../../src/server/db/schema.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.ts';
import { seedExchange } from './exchange.ts';
import { seedGroups } from './groups.ts';
import { seedDemoCases } from './cases.ts';
import { SEED_TOWNS } from './towns.ts';

/**
 * Fills an empty database with the founding member towns and the demo accounts.
 * Does nothing when the database already has accounts, so restarts never re-seed.
 * Returns whether it seeded.
 */
export async function seedDemoData(db: Kysely<Database>, now = Math.floor(Date.now() / 1000)): Promise<boolean> {
  if ((await countUsers(db)) > 0) return false;
  const hashes = await Promise.all(DEMO_ACCOUNTS.map(() => hashPassword(DEMO_PASSWORD)));
  await db.transaction().execute(async (trx) => {
    for (const town of SEED_TOWNS) {
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
          created_at: now,
          updated_at: now,
        })
        .onConflict((conflict) => conflict.column('slug').doNothing())
        .execute();
    }
    const towns = await trx.selectFrom('towns').select(['id', 'slug']).execute();
    const townIdBySlug = new Map(towns.map((town) => [town.slug, town.id]));
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
    await seedDemoCases(trx, now);
  });
  await seedExchange(db, now);
  return true;
}

export { DEMO_ACCOUNTS, DEMO_PASSWORD } from './accounts.ts';
