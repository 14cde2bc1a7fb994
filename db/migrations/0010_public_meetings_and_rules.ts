import type { Kysely } from 'kysely';

// Frozen once landed. A group lead may mark a meeting public (it then appears in the public
// events calendar while the group is public), and a moderator hiding a post names the
// community rule it breaks (an id from src/lib/community-rules.ts; null for older posts).

const RULE_TABLES = ['group_threads', 'group_replies', 'help_requests', 'help_responses'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('group_meetings').addColumn('is_public', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('group_meetings_public').on('group_meetings').columns(['is_public', 'starts_at']).execute();
  for (const table of RULE_TABLES) await db.schema.alterTable(table).addColumn('hidden_rule', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of RULE_TABLES) await db.schema.alterTable(table).dropColumn('hidden_rule').execute();
  await db.schema.dropIndex('group_meetings_public').execute();
  await db.schema.alterTable('group_meetings').dropColumn('is_public').execute();
}
