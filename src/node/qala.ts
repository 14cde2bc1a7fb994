import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from '../../db/seed/index.ts';
import { ConfigError, DEFAULT_DATABASE_FILE, loadConfig, recordListeningPort, type Config } from '~/server/config.ts';
import { checkConnection, createDatabase, openSqlite } from '~/server/db/connection.ts';
import { CopyMismatchError } from '~/server/db/copy.ts';
import { databaseLocation, databaseUrlProblem, describeLocation } from '~/server/db/location.ts';
import { shareDatabase } from '~/server/db/index.ts';
import { migrateToLatest } from '~/server/db/migrate.ts';
import { exportPortalItems, ExportConflictError } from '~/server/editorial/export.ts';
import { checkSlugClashes, clashMessage, portalSlugClashes, releaseDocumentIndex } from '~/server/editorial/slug-clashes.ts';
import { errorFields, log, setLogField, setLogLevel } from '~/server/log.ts';
import { JOBS, SEARCH_INDEX_JOB } from '~/server/jobs/catalogue.ts';
import { jobContext } from '~/server/jobs/context.ts';
import { startScheduler } from '~/server/jobs/scheduler.ts';
import { onMailQueued } from '~/server/mail/index.ts';
import { createAdmin, readPassword } from './create-admin.ts';
import { mailTestCommand, runJobsCommand, searchCommand } from './operations.ts';
import { runCopyDatabase } from './copy-database.ts';
import { stopGracefully } from './graceful-shutdown.ts';
import { UsageError } from './usage-error.ts';
import { createQalaServer, type AstroHandler } from './server.ts';
import { onJobRun } from '~/server/jobs/observe.ts';
import { mailCountsByState } from '~/server/mail/queue.ts';
import { collectProcessMetrics, recordJobRun, setMailQueueSource } from '~/server/metrics/index.ts';
import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { superviseWorkers, workerChannel } from './workers.ts';
import { syncSearchAtStart } from '~/server/search/sources/index.ts';
import { readContentDocuments } from '~/server/search/sources/release.ts';

/** The folder of the built bundle (`dist/`), where this file runs from. */
const distDir = dirname(fileURLToPath(import.meta.url));
/** The content files' search documents, written by the build (src/pages/search-content.json.ts). */
const CONTENT_DOCUMENTS = join(distDir, 'search-content.json');

const USAGE = `Usage: node dist/qala.mjs <command>

Commands:
  serve          migrate the database, fill an empty demo database, and serve Qala (default)
  migrate        apply pending database migrations and exit
  create-admin   create an administrator: --email <address> --name <name>
                 (the password is read from standard input or asked for)
  backup         copy the database, consistently, while Qala runs: --to <file>
                 (SQLite only; on PostgreSQL use pg_dump, see the README)
  copy-database  copy every row into a new, empty database, e.g. from SQLite to PostgreSQL:
                 --from <location> --to <location>, each written as DATABASE_URL is
                 (file:db/qala.db, postgres://qala@localhost:5432/qala); stop writes first
  jobs --once    run every scheduled job now (sending mail, sweeping expired records)
  search reindex rewrite every search document (content files, towns, groups, exchange, …)
  mail-test      send a test mail and say what happened: --to <address> [--lang kk|ru|en]
  content export write the published portal items as content files: --to <folder>, e.g. content/
  content check  fail when a portal item has a content file's slug (the build runs it; a
                 missing or silent database is noted, not checked)`;

async function openMigratedDatabase(config: Config) {
  const db = createDatabase(config.database);
  try {
    await checkConnection(db, config.database);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const applied = await migrateToLatest(db);
  if (applied.length > 0) log.info('migrations applied', { migrations: applied });
  // Search documents follow: the release's content when it changed. The database's own
  // things, when the indexing code changed (or never ran on this database), are rewritten
  // in the background by the search-index job: the server does not wait for them.
  const written = await syncSearchAtStart(db, readContentDocuments(CONTENT_DOCUMENTS));
  if (written.release > 0) log.info('search documents written', written);
  return db;
}

async function serve(config: Config): Promise<void> {
  // Standard output carries the JSON log alone (log.ts writes to it directly): anything
  // else printed through the console, Astro's own warnings included, goes to standard error.
  for (const method of ['log', 'info', 'debug', 'warn'] as const) console[method] = console.error;
  if (cluster.isWorker) return serveAsWorker(config);
  const db = await openMigratedDatabase(config);
  // Astro's pages then use this handle too: one pool per process, closed on shutdown.
  shareDatabase(db);
  await reportSlugClashes(db);
  if (config.demoData && (await seedDemoData(db))) {
    log.info('demo data created', { database: describeLocation(config.database) });
    // Standard output is the JSON log only; words for the person at the terminal go to
    // standard error.
    console.error(`\nDemo accounts (password: ${DEMO_PASSWORD}):`);
    for (const account of DEMO_ACCOUNTS) console.error(`  ${account.email.padEnd(28)} ${account.role}`);
    console.error('');
  }
  // Scheduled jobs (mail, sweeps) run here, once per machine even with several workers:
  // the primary runs them and the workers only serve (README: Workers).
  const wakeMailJob = () => scheduler.runSoon('send-mail');
  // Settled once the server listens: search's pass over the database waits for it, so start-up never does.
  let nowServing = () => {};
  const serving = new Promise<void>((resolve) => (nowServing = resolve));
  const jobs = jobContext(db, config, { onMailQueued: wakeMailJob, serving });
  const scheduler = startScheduler(jobs, JOBS);
  // A full pass of search over the database, if one is needed or under way, starts as soon
  // as the server listens, not at the job's next turn (if another instance holds the job, it goes on there).
  scheduler.runSoon(SEARCH_INDEX_JOB);
  // Metrics: the mail queue is counted from the database at each scrape; job runs as they end.
  setMailQueueSource(() => mailCountsByState(db));
  onJobRun((run) => recordJobRun(run.name, run.outcome, run.durationMs / 1000));
  onMailQueued(wakeMailJob);
  // A stop signal ends job runs at once (the drain of requests comes after).
  let jobsStopped: Promise<void> | undefined;
  const stopJobs = () => (jobsStopped ??= scheduler.stop());
  process.once('SIGTERM', stopJobs);
  process.once('SIGINT', stopJobs);
  const release = async () => {
    await stopJobs();
    jobs.transport?.close();
    await db.destroy();
  };

  if (config.workers > 1) {
    if (config.metricsToken) collectProcessMetrics();
    superviseWorkers({
      count: config.workers,
      onListening: (port) => {
        announceListening(config, port, { workers: config.workers });
        nowServing();
      },
      onMailQueued: wakeMailJob,
      release,
    });
    return;
  }

  const server = await startHttpServer(config, db);
  nowServing();
  stopOnSignal(server, release);
}

/** One of QALA_WORKERS processes: serves HTTP on the primary's migrated database, nothing else. */
async function serveAsWorker(config: Config): Promise<void> {
  setLogField('worker', cluster.worker?.id);
  const db = createDatabase(config.database);
  await checkConnection(db, config.database);
  shareDatabase(db);
  // Mail queued here is sent by the primary's mail job, woken at once.
  onMailQueued(() => workerChannel.mailQueued());
  workerChannel.answerMetrics();
  const server = await startHttpServer(config, db, () => workerChannel.allMetrics());
  const stop = stopOnSignal(server, () => db.destroy());
  // The primary is gone (killed): stop serving rather than run on alone.
  process.once('disconnect', stop);
}

async function startHttpServer(config: Config, db: Kysely<Database>, gatherMetrics?: () => Promise<string>): Promise<Server> {
  const { handler } = (await import(join(distDir, 'server', 'entry.mjs'))) as { handler: AstroHandler };
  const server = createQalaServer({
    config,
    db,
    clientDir: join(distDir, 'client'),
    astroHandler: handler,
    ...(gatherMetrics ? { gatherMetrics } : {}),
  });
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    recordListeningPort(port);
    if (cluster.isPrimary) announceListening(config, port);
  });
  return server;
}

function announceListening(config: Config, port: number, fields: Record<string, unknown> = {}): void {
  recordListeningPort(port);
  log.info('listening', { port, url: `http://${config.host}:${port}/`, ...fields });
  if (!process.env.CI) console.error(`Qala is running at http://${config.host}:${port}/`);
}

/** Stops gracefully on SIGTERM or SIGINT (src/node/graceful-shutdown.ts); returns the stop. */
function stopOnSignal(server: Server, release: () => Promise<void>): () => void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stopGracefully(server, release).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('stopping failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return stop;
}

/** SQLite's online backup: a consistent copy even while the server writes. */
async function backup(config: Config, target: string | undefined): Promise<void> {
  if (!target) throw new UsageError('give --to <file> for the backup');
  if (config.database.engine !== 'sqlite') {
    throw new UsageError('backup copies a SQLite file; on PostgreSQL use pg_dump, e.g. pg_dump --format=custom --file=qala.dump "$DATABASE_URL"');
  }
  if (existsSync(target)) throw new UsageError(`${target} already exists; choose a new file`);
  // Opening a missing file would create an empty database and back that up.
  if (!existsSync(config.database.path)) throw new UsageError(`there is no database at ${config.database.path}; check DATABASE_URL`);
  // A command serves no one meanwhile: SQLite's own wait for the server's writes may block.
  const sqlite = openSqlite(config.database.path, { busyTimeoutMs: 5000 });
  try {
    await sqlite.backup(target);
  } finally {
    sqlite.close();
  }
  console.log(`Backed up ${config.database.path} to ${target}.`);
}

/** The command line's words and flags; an unknown or incomplete flag is a usage error, not a crash. */
function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean' }, once: { type: 'boolean' }, lang: { type: 'string' } },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
    throw error;
  }
}

/**
 * A content file that arrived after a portal item took its slug: the file's page is
 * served and the clash is logged at start (the build of that release failed on it, if it
 * could reach this database).
 */
async function reportSlugClashes(db: Kysely<Database>): Promise<void> {
  const documents = readContentDocuments(CONTENT_DOCUMENTS);
  if (!documents) return;
  for (const clash of await portalSlugClashes(db, releaseDocumentIndex(documents))) {
    log.error('a portal item and a content file have the same slug: the file is shown', { detail: clashMessage(clash), file: clash.files[0], portalItem: clash.itemId });
  }
}

/** `content check`, run by the build: every portal item's slug against content/ (DATABASE_URL, else db/qala.db). */
async function contentCheckCommand(): Promise<void> {
  const value = process.env.DATABASE_URL || `file:${DEFAULT_DATABASE_FILE}`;
  const problem = databaseUrlProblem(value);
  if (problem) throw new UsageError(`DATABASE_URL ${problem}`);
  const result = await checkSlugClashes(databaseLocation(value, process.cwd()), 'content');
  if (!result.checked) {
    console.log(`content check: ${result.note}.`);
    return;
  }
  if (result.clashes.length === 0) {
    console.log(`content check: no portal item in ${result.where} has a content file's slug.`);
    return;
  }
  for (const clash of result.clashes) console.error(`Slug clash: ${clashMessage(clash)}.`);
  process.exitCode = 1;
}

/** `content export --to <folder>`: the published portal items as markdown files. */
async function contentCommand(db: Awaited<ReturnType<typeof openMigratedDatabase>>, action: string | undefined, target: string | undefined): Promise<void> {
  if (action !== 'export') throw new UsageError(`say what to do with content: content export --to <folder>\n\n${USAGE}`);
  if (!target) throw new UsageError('give --to <folder> for the export, e.g. --to content/');
  try {
    const { written, files } = await exportPortalItems(db, target);
    console.log(`Exported ${written.length} file(s) to ${target}${files.length > 0 ? `, and ${files.length} file(s) to download beside them (<collection>/files/<slug>/)` : ''}.`);
  } catch (error) {
    if (error instanceof ExportConflictError) {
      console.error(`Export refused: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseOptions(argv);
  const command = positionals[0] ?? 'serve';
  if (values.help || !['serve', 'migrate', 'create-admin', 'backup', 'copy-database', 'jobs', 'mail-test', 'search', 'content'].includes(command)) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  // The two databases come from flags, not DATABASE_URL: the environment of the
  // running deployment (NODE_ENV=production and its settings) is not needed here.
  if (command === 'copy-database') return runCopyDatabase(values.from, values.to);
  // The build's check reads DATABASE_URL alone: a build machine has none of the server's settings.
  if (command === 'content' && positionals[1] === 'check') return contentCheckCommand();
  const config = loadConfig();
  setLogLevel(config.logLevel);

  if (command === 'serve') return serve(config);
  if (command === 'backup') return backup(config, values.to);

  const db = await openMigratedDatabase(config);
  try {
    if (command === 'create-admin') {
      if (!values.email || !values.name) throw new UsageError('give --email and --name');
      const password = await readPassword('Password for the new administrator: ');
      await createAdmin(db, { email: values.email, name: values.name, password });
      console.log(`Administrator ${values.email} created.`);
    } else if (command === 'jobs') {
      await runJobsCommand(db, config, values.once);
    } else if (command === 'content') {
      await contentCommand(db, positionals[1], values.to);
    } else if (command === 'mail-test') {
      await mailTestCommand(db, config, values.to, values.lang);
    } else if (command === 'search') {
      await searchCommand(db, positionals[1], readContentDocuments(CONTENT_DOCUMENTS));
    } else {
      console.log('Database is up to date.');
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof CopyMismatchError) {
    console.error(`Copy refused: ${error.message}`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
