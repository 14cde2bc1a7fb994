import { db } from '~/server/db/index.ts';
import { createMailer, type Mailer } from './mailer.ts';

let shared: Mailer | undefined;

const MAIL_QUEUED = Symbol.for('qala.mailQueued');
const listener = globalThis as { [MAIL_QUEUED]?: () => void };

/**
 * Says what to do when this process queues mail: the scheduler asks its mail job to run
 * at once (src/node/qala.ts). A global, because the server entry and the Astro bundle
 * each have their own copy of this module, and mail is queued from the bundle.
 */
export function onMailQueued(wake: (() => void) | undefined): void {
  listener[MAIL_QUEUED] = wake;
}

/** Asks this process's mail job to run now (after a retry, say); nothing without a scheduler. */
export function wakeMailSender(): void {
  listener[MAIL_QUEUED]?.();
}

/** The process's mailer: every message goes to the outbox, and the mail job is woken. */
export function mailer(): Mailer {
  shared ??= createMailer(db(), { onQueued: wakeMailSender });
  return shared;
}
