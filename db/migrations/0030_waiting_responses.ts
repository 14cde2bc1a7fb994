import { sql, type Kysely } from 'kysely';

// Frozen once landed. The member home's "awaiting acceptance" read (issue 14, the pages
// bench at national scale): a town's open requests with responses nobody accepted,
// withdrew or hid. It read each of the town's requests from the table (a few hundred
// rows scattered over it, for their status) and each of their responses (for three
// columns), 880 pages on PostgreSQL for the bench's busiest town. Both from indexes
// alone now, on both engines:
// - help_requests_town_open (town_id, status, hidden_at, id), partial to open requests
//   not hidden: the town's open, visible requests, from the index alone. Partial, so that
//   only a query saying `status = 'open' AND hidden_at IS NULL` in its own text can use
//   it: as a whole index, SQLite chose it for the exchange's "open requests on my topics"
//   list (its status a bound parameter), joining every town to its open requests and
//   sorting them all (0.3–0.8 s a member home) instead of walking help_requests_status in
//   order;
// - help_responses_waiting (request_id, created_at), partial to responses nobody
//   accepted, withdrew or hid: how many wait per request and the newest.
// PostgreSQL, EXPLAIN ANALYZE on the national copy: 1.9 ms and 883 buffers → 0.7 ms and
// 382, index-only scans.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('help_requests_town_open')
    .on('help_requests')
    .columns(['town_id', 'status', 'hidden_at', 'id'])
    .where(sql.ref('status'), '=', sql.lit('open'))
    .where(sql.ref('hidden_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('help_responses_waiting')
    .on('help_responses')
    .columns(['request_id', 'created_at'])
    .where(sql.ref('accepted_at'), 'is', null)
    .where(sql.ref('withdrawn_at'), 'is', null)
    .where(sql.ref('hidden_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('help_responses_waiting').execute();
  await db.schema.dropIndex('help_requests_town_open').execute();
}
