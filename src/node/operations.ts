import type { Kysely } from 'kysely';
import { z } from 'astro/zod';
import { createTranslator, isLanguage, type Language } from '~/i18n/index.ts';
import type { Config } from '~/server/config.ts';
import type { Database } from '~/server/db/schema.ts';
import { JOBS } from '~/server/jobs/catalogue.ts';
import { jobContext } from '~/server/jobs/context.ts';
import { runJobsOnce } from '~/server/jobs/scheduler.ts';
import { queueMail, RETRY_DELAYS_SECONDS } from '~/server/mail/queue.ts';
import { sendOneNow } from '~/server/mail/sender.ts';
import { UsageError } from './usage-error.ts';
import type { SearchDocument } from '~/server/search/documents.ts';
import { indexingProgress } from '~/server/search/resync.ts';
import { reindexEverything } from '~/server/search/sources/index.ts';

/** `qala jobs --once`: runs every scheduled job now and says how each ended; exit code 1 if one failed. */
export async function runJobsCommand(db: Kysely<Database>, config: Config, once: boolean | undefined): Promise<void> {
  if (!once) throw new UsageError('give --once: `jobs --once` runs every scheduled job now (the server runs them on its own schedule)');
  const context = jobContext(db, config);
  try {
    for (const run of await runJobsOnce(context, JOBS)) {
      if (run.outcome === 'skipped') {
        console.log(`${run.name}: skipped, another instance is running it now`);
        continue;
      }
      const counts = Object.entries(run.report).map(([key, count]) => `${key} ${count}`);
      const what = run.outcome === 'failed' ? `: ${run.error}` : counts.length > 0 ? ` (${counts.join(', ')})` : '';
      console.log(`${run.name}: ${run.outcome} in ${Math.round(run.durationMs)} ms${what}`);
      if (run.outcome === 'failed') process.exitCode = 1;
    }
  } finally {
    context.transport?.close();
  }
}

/**
 * `qala mail-test --to <address> [--lang kk|ru|en]`: queues a test mail like any other
 * and tries it at once, then says what happened. Exit code 0 only when the SMTP server
 * accepted it.
 */
export async function mailTestCommand(db: Kysely<Database>, config: Config, to: string | undefined, lang: string | undefined): Promise<void> {
  if (!to || !z.string().email().safeParse(to).success) throw new UsageError('give --to <address>, e.g. --to someone@example.org');
  if (lang !== undefined && !isLanguage(lang)) throw new UsageError('--lang is kk, ru or en');
  const language: Language = lang ?? 'en';
  const context = jobContext(db, config);
  const t = createTranslator(language);
  const mailId = await queueMail(db, {
    to,
    language,
    subject: t('operations.testMail.subject'),
    text: t('operations.testMail.body', { link: `${context.baseUrl}/${language}/` }),
  });
  const outbox = `${context.baseUrl}/en/admin/outbox/`;
  if (!context.transport) {
    console.log(`No SMTP_URL is set, so nothing was sent: the test mail (no. ${mailId}) waits in the outbox, as all mail does, at ${outbox}`);
    process.exitCode = 1;
    return;
  }
  try {
    const result = await sendOneNow(db, context.transport, mailId, { from: config.mailFrom, origin: context.baseUrl, owner: context.owner });
    if (!result) {
      console.log(`The running server took the test mail (no. ${mailId}) first; see ${outbox}`);
    } else if (result.state === 'sent') {
      console.log(`Sent: the SMTP server accepted the test mail to ${to} (no. ${mailId}), from ${config.mailFrom}.`);
    } else {
      console.log(`Not sent: ${result.error}\nThe mail stays queued; the server tries it again in ${RETRY_DELAYS_SECONDS[0] / 60} minute(s) (no. ${mailId}, ${outbox}).`);
      process.exitCode = 1;
    }
  } finally {
    context.transport.close();
  }
}

/** Steps of the pass between two progress lines of `search reindex`. */
const STEPS_PER_PROGRESS_LINE = 20;

/**
 * `qala search reindex`: rewrites every search document from what the database and the
 * build's content files hold now, page by page in short transactions (a running server
 * keeps serving), printing how far it is, and says how many each source wrote.
 */
export async function searchCommand(db: Kysely<Database>, action: string | undefined, content: readonly SearchDocument[] | null): Promise<void> {
  if (action !== 'reindex') throw new UsageError('give the action: `search reindex` rewrites every search document');
  let steps = 0;
  let lastSource = '';
  const written = await reindexEverything(db, content, async (step) => {
    steps += 1;
    if (step.source === lastSource && steps % STEPS_PER_PROGRESS_LINE !== 0) return;
    lastSource = step.source;
    console.log(`Indexing ${step.source}: ${(await indexingProgress(db)) ?? 100}% of the database's things done`);
  });
  const counts = Object.entries(written).map(([source, count]) => `${source} ${count}`);
  console.log(`Search documents rewritten: ${counts.join(', ')}.`);
  if (content === null) console.log('No content documents were found next to the program (dist/search-content.json): build first; the content files were left as they were.');
}
