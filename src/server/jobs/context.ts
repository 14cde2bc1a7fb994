import type { Kysely } from 'kysely';
import * as clock from '~/lib/clock.ts';
import { publicOrigin, type Config } from '~/server/config.ts';
import type { Database } from '~/server/db/schema.ts';
import { createMailer } from '~/server/mail/mailer.ts';
import { smtpTransport } from '~/server/mail/transport.ts';
import { leaseOwner } from './scheduler.ts';
import type { JobContext } from './types.ts';

/** What the jobs of this process work with, from its configuration. Close `transport` when done. */
export function jobContext(db: Kysely<Database>, config: Config, options: { onMailQueued?: () => void; serving?: Promise<void> } = {}): JobContext {
  return {
    db,
    config,
    // Read when used: the port PORT=0 picked is known only once the server listens.
    get baseUrl() {
      return publicOrigin(config);
    },
    mailer: createMailer(db, { onQueued: options.onMailQueued }),
    transport: config.smtpUrl ? smtpTransport(config.smtpUrl) : null,
    owner: leaseOwner(),
    now: clock.now,
    serving: options.serving,
  };
}
