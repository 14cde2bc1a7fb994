import { Migrator, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.ts';
import type { Language } from '~/i18n/index.ts';
import { setClock } from '~/lib/clock.ts';
import { insertUser } from '~/server/accounts/users.ts';
import { createDatabase } from '~/server/db/connection.ts';
import { knownMigrations, migrateToLatest } from '~/server/db/migrate.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Mail, Mailer } from '~/server/mail/mailer.ts';
import { sendDueDigests } from '~/server/notifications/digests.ts';
import type { NotificationKind } from '~/server/notifications/kinds.ts';
import { notify } from '~/server/notifications/notifications.ts';
import { deliveryOf, saveDeliveryChoices, type Delivery } from '~/server/notifications/preferences.ts';
import { createEmptyTestDatabase, createTestDatabase } from '../helpers/database.ts';

const BASE_URL = 'https://qala.test';

/** Seconds at a wall-clock time in Almaty (UTC+5) in the week of Monday 7 December 2026. */
const almaty = (day: number, hour: number, minute = 0) => Date.UTC(2026, 11, day, hour - 5, minute) / 1000;
const MONDAY = 7;
const TUESDAY = 8;
const WEDNESDAY = 9;
const THURSDAY = 10;
const SUNDAY = 13;
const NEXT_MONDAY = 14;

/** A mailer that keeps what it is given (the outbox is another module's business). */
function recordingMailer(): Mailer & { sent: Mail[] } {
  const sent: Mail[] = [];
  return { sent, send: async (mail) => void sent.push(mail) };
}

/** A mailer whose server is down. */
const failingMailer: Mailer = {
  send: async () => {
    throw new Error('SMTP server refused the connection');
  },
};

let db: Kysely<Database>;
let path: string;
let cleanup: () => Promise<void>;
let mailer: ReturnType<typeof recordingMailer>;

beforeEach(async () => {
  ({ db, path, cleanup } = await createTestDatabase());
  mailer = recordingMailer();
});
afterEach(async () => {
  setClock(null);
  await cleanup();
});

let accounts = 0;
async function member(language: Language, choices: Partial<Record<NotificationKind, Delivery>> = {}): Promise<{ id: string; email: string }> {
  accounts += 1;
  const email = `member${accounts}@example.org`;
  const id = await insertUser(db, { email, passwordHash: 'x', role: 'member', townId: null, displayName: `Member ${accounts}`, language });
  await saveDeliveryChoices(db, id, choices);
  return { id, email };
}

/** Tells a member of a new request at a moment in Almaty. */
async function newRequest(userId: string, at: number, title = 'Water network renewal', requestId = 5): Promise<void> {
  setClock(at);
  await notify(db, mailer, { userId, kind: 'exchange.new_request', params: { title, town: 'Temirtau' }, link: `exchange/${requestId}/` }, BASE_URL);
}

async function notifyAt(userId: string, at: number, kind: NotificationKind, params: Record<string, string>, link: string): Promise<void> {
  setClock(at);
  await notify(db, mailer, { userId, kind, params, link }, BASE_URL);
}

/** Runs the digests as the job would, at a moment in Almaty, with its own mailer. */
async function runAt(at: number, via: Mailer = mailer, handle: Kysely<Database> = db) {
  setClock(at);
  return sendDueDigests(handle, via, { baseUrl: BASE_URL });
}

describe('daily digests', () => {
  it('go out once at 08:00 Almaty time with what happened before, in the member’s language, with links in it', async () => {
    const aigerim = await member('kk', { 'exchange.new_request': 'daily' });
    await newRequest(aigerim.id, almaty(MONDAY, 10));
    expect(mailer.sent, 'a daily kind is not mailed at once').toEqual([]);

    expect(await runAt(almaty(MONDAY, 12))).toEqual([]);
    expect(await runAt(almaty(TUESDAY, 7, 59))).toEqual([]);
    const sent = await runAt(almaty(TUESDAY, 8));
    expect(sent).toEqual([{ userId: aigerim.id, to: aigerim.email, language: 'kk', cadence: 'daily', items: 1 }]);
    const [mail] = mailer.sent;
    expect(mail).toMatchObject({ to: aigerim.email, language: 'kk', subject: 'Қазақстан қалалары қауымдастығының күнделікті шолуы (1)' });
    expect(mail!.text).toContain('Сәлеметсіз бе, Member');
    expect(mail!.text).toContain('Бақылайтын тақырыптарым бойынша жаңа сұраулар (1)');
    expect(mail!.text).toContain('Water network renewal');
    expect(mail!.text).toContain(`${BASE_URL}/kk/exchange/5/`);
    expect(mail!.text).toContain(`${BASE_URL}/kk/account/notifications/`);
    expect(mail!.text).not.toMatch(/\{\w+\}/);

    // Later runs the same day send nothing; what happens after 08:00 waits for tomorrow.
    expect(await runAt(almaty(TUESDAY, 8, 5))).toEqual([]);
    await newRequest(aigerim.id, almaty(TUESDAY, 9), 'Heating tariffs', 6);
    expect(await runAt(almaty(TUESDAY, 23))).toEqual([]);
    expect(await runAt(almaty(WEDNESDAY, 8, 1))).toMatchObject([{ userId: aigerim.id, items: 1 }]);
    expect(mailer.sent).toHaveLength(2);
    expect(mailer.sent[1]!.text).toContain('Heating tariffs');
    expect(mailer.sent[1]!.text).not.toContain('Water network renewal');
  });

  it('send nothing when nothing new happened', async () => {
    await member('ru', { 'exchange.new_request': 'daily', 'groups.reply_posted': 'weekly' });
    expect(await runAt(almaty(TUESDAY, 8))).toEqual([]);
    expect(await runAt(almaty(NEXT_MONDAY, 8))).toEqual([]);
    expect(mailer.sent).toEqual([]);
  });

  it('missed while the server was down come at the next run, once, with everything since the last', async () => {
    const boris = await member('ru', { 'exchange.new_request': 'daily' });
    await newRequest(boris.id, almaty(MONDAY, 10), 'First', 1);
    await newRequest(boris.id, almaty(TUESDAY, 10), 'Second', 2);
    // No run on Tuesday or Wednesday morning: the server was down until Thursday afternoon.
    expect(await runAt(almaty(THURSDAY, 15))).toMatchObject([{ userId: boris.id, items: 2, language: 'ru' }]);
    expect(await runAt(almaty(THURSDAY, 15, 5))).toEqual([]);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]!.subject).toBe('Ежедневная сводка Ассоциации городов Казахстана (2)');
    expect(mailer.sent[0]!.text).toMatch(/First[\s\S]*Second/);
  });
});

describe('weekly digests', () => {
  it('go out on Monday at 08:00 Almaty time, not on other days', async () => {
    const boris = await member('ru', { 'groups.meeting_announced': 'weekly' });
    await notifyAt(boris.id, almaty(TUESDAY, 10), 'groups.meeting_announced', { group: 'Water utilities', title: 'Spring tariffs', when: '15 December, 10:00' }, 'groups/water/');
    expect(await runAt(almaty(WEDNESDAY, 8, 30))).toEqual([]);
    expect(await runAt(almaty(SUNDAY, 23, 59))).toEqual([]);
    expect(await runAt(almaty(NEXT_MONDAY, 8))).toMatchObject([{ userId: boris.id, cadence: 'weekly', items: 1 }]);
    expect(await runAt(almaty(NEXT_MONDAY, 9))).toEqual([]);
    const [mail] = mailer.sent;
    expect(mail!.subject).toBe('Еженедельная сводка Ассоциации городов Казахстана (1)');
    expect(mail!.text).toContain('Spring tariffs');
    expect(mail!.text).toContain(`${BASE_URL}/ru/groups/water/`);
  });

  it('and daily digests of the same member go separately, each on its own schedule', async () => {
    const aigerim = await member('en', { 'exchange.new_request': 'daily', 'exchange.response_received': 'weekly' });
    await newRequest(aigerim.id, almaty(TUESDAY, 10));
    await notifyAt(aigerim.id, almaty(TUESDAY, 11), 'exchange.response_received', { title: 'Water network renewal', town: 'Rudny' }, 'exchange/5/');
    expect(await runAt(almaty(WEDNESDAY, 8))).toMatchObject([{ cadence: 'daily', items: 1 }]);
    expect(await runAt(almaty(NEXT_MONDAY, 8))).toMatchObject([{ cadence: 'weekly', items: 1 }]);
    expect(mailer.sent.map((mail) => mail.subject)).toEqual([
      'Your daily digest from the Association of Towns of Kazakhstan (1)',
      'Your weekly digest from the Association of Towns of Kazakhstan (1)',
    ]);
  });
});

describe('choices per kind', () => {
  it('are respected: immediately mails at once, never not at all, digests group their kinds in order', async () => {
    const aigerim = await member('en', {
      'exchange.new_request': 'daily',
      'exchange.response_received': 'immediate',
      'exchange.invited': 'never',
      'groups.thread_created': 'daily',
    });
    await notifyAt(aigerim.id, almaty(MONDAY, 9), 'groups.thread_created', { author: 'Aida', title: 'Meters', group: 'Water utilities' }, 'groups/water/threads/1/');
    await newRequest(aigerim.id, almaty(MONDAY, 10));
    await notifyAt(aigerim.id, almaty(MONDAY, 11), 'exchange.response_received', { title: 'Water network renewal', town: 'Rudny' }, 'exchange/5/');
    await notifyAt(aigerim.id, almaty(MONDAY, 12), 'exchange.invited', { title: 'Snow removal', town: 'Zhezkazgan' }, 'exchange/7/');
    expect(mailer.sent.map((mail) => mail.subject)).toEqual(['A new response to your request']);

    expect(await runAt(almaty(TUESDAY, 8))).toMatchObject([{ items: 2 }]);
    const digest = mailer.sent[1]!.text;
    expect(digest).toMatch(/New requests on topics I watch \(1\)[\s\S]*A new thread in one of my groups \(1\)/);
    expect(digest).toContain('Aida started “Meters” in Water utilities');
    expect(digest).not.toContain('Snow removal');
    expect(digest).not.toContain('Rudny');
  });

  it('never let security notices wait or be silenced', async () => {
    const aigerim = await member('kk', { 'exchange.new_request': 'daily' });
    await db.insertInto('notification_preferences').values({ user_id: aigerim.id, kind: 'security.password_changed', delivery: 'weekly' }).execute();
    await saveDeliveryChoices(db, aigerim.id, { 'security.password_changed': 'never' } as Partial<Record<NotificationKind, Delivery>>);
    expect(await deliveryOf(db, aigerim.id, 'security.password_changed')).toBe('immediate');
    await notifyAt(aigerim.id, almaty(MONDAY, 10), 'security.password_changed', { name: 'Aigerim' }, 'account/');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: aigerim.email, subject: 'Құпиясөзіңіз өзгертілді' });
    expect(await runAt(almaty(NEXT_MONDAY, 8))).toEqual([]);
  });

  it('changed later move what is waiting: to the other digest, or away for never', async () => {
    const boris = await member('ru', { 'exchange.new_request': 'daily', 'groups.reply_posted': 'daily' });
    await newRequest(boris.id, almaty(MONDAY, 10));
    await notifyAt(boris.id, almaty(MONDAY, 11), 'groups.reply_posted', { author: 'Aida', title: 'Meters', group: 'Water utilities' }, 'groups/water/threads/1/');
    await saveDeliveryChoices(db, boris.id, { 'exchange.new_request': 'weekly', 'groups.reply_posted': 'never' });
    expect(await runAt(almaty(TUESDAY, 8))).toEqual([]);
    expect(await runAt(almaty(NEXT_MONDAY, 8))).toMatchObject([{ cadence: 'weekly', items: 1 }]);
    expect(mailer.sent[0]!.text).toContain('Water network renewal');
    expect(mailer.sent[0]!.text).not.toContain('Meters');
  });
});

describe('the digest run', () => {
  it('is written in the member’s language of today, with links moved to it', async () => {
    const boris = await member('ru', { 'exchange.new_request': 'daily' });
    await newRequest(boris.id, almaty(MONDAY, 10));
    await db.updateTable('users').set({ language: 'en' }).where('id', '=', boris.id).execute();
    await runAt(almaty(TUESDAY, 8));
    expect(mailer.sent[0]).toMatchObject({ language: 'en', subject: 'Your daily digest from the Association of Towns of Kazakhstan (1)' });
    expect(mailer.sent[0]!.text).toContain(`${BASE_URL}/en/exchange/5/`);
    expect(mailer.sent[0]!.text).not.toContain('/ru/');
  });

  it('sends each digest once when two instances run it at the same moment', async () => {
    const members = await Promise.all([member('kk'), member('ru'), member('en')]);
    for (const { id } of members) {
      await saveDeliveryChoices(db, id, { 'exchange.new_request': 'daily' });
      await newRequest(id, almaty(MONDAY, 10), 'One', 1);
      await newRequest(id, almaty(MONDAY, 11), 'Two', 2);
    }
    const other = createDatabase(path);
    try {
      const first = recordingMailer();
      const second = recordingMailer();
      const [a, b] = await Promise.all([runAt(almaty(TUESDAY, 8), first, db), runAt(almaty(TUESDAY, 8), second, other)]);
      const sent = [...a, ...b];
      expect(sent.map((digest) => digest.userId).sort()).toEqual(members.map(({ id }) => id).sort());
      expect([...first.sent, ...second.sent]).toHaveLength(3);
      // Each digest lists both of its member's items: no run took half of them.
      expect(sent.every((digest) => digest.items === 2)).toBe(true);
    } finally {
      await other.destroy();
    }
  });

  it('puts the notifications back when the mail cannot be handed over, and sends them at the next run', async () => {
    const aigerim = await member('kk', { 'exchange.new_request': 'daily' });
    await newRequest(aigerim.id, almaty(MONDAY, 10));
    expect(await runAt(almaty(TUESDAY, 8), failingMailer)).toEqual([]);
    expect(await runAt(almaty(TUESDAY, 8, 5))).toMatchObject([{ userId: aigerim.id, items: 1 }]);
    expect(mailer.sent).toHaveLength(1);
  });

  it('skips disabled accounts', async () => {
    const boris = await member('ru', { 'exchange.new_request': 'daily' });
    await newRequest(boris.id, almaty(MONDAY, 10));
    await db.updateTable('users').set({ disabled_at: almaty(MONDAY, 12) }).where('id', '=', boris.id).execute();
    expect(await runAt(almaty(TUESDAY, 8))).toEqual([]);
  });
});

describe('the migration to deliveries', () => {
  it('keeps an email turned on as immediately and an email turned off as never', async () => {
    const empty = await createEmptyTestDatabase();
    try {
      const names = knownMigrations();
      const before = names[names.indexOf('0009_notification_digests') - 1]!;
      const migrator = new Migrator({ db: empty.db, provider: { getMigrations: async () => migrations } });
      const { error } = await migrator.migrateTo(before);
      expect(error).toBeUndefined();
      const old = empty.db as unknown as Kysely<any>;
      // Written as the schema of 0008 has it (today's insertUser writes later columns and search).
      const id = 'old-member-account';
      await old
        .insertInto('users')
        .values({ id, email: 'old@example.org', password_hash: 'x', display_name: 'Old', role: 'member', town_id: null, language: 'ru', disabled_at: null, created_at: 1, updated_at: 1 })
        .execute();
      await old
        .insertInto('notification_preferences')
        .values([
          { user_id: id, kind: 'exchange.new_request', email: 0 },
          { user_id: id, kind: 'groups.reply_posted', email: 1 },
        ])
        .execute();
      await migrateToLatest(empty.db);
      expect(await deliveryOf(empty.db, id, 'exchange.new_request')).toBe('never');
      expect(await deliveryOf(empty.db, id, 'groups.reply_posted')).toBe('immediate');
      expect(await deliveryOf(empty.db, id, 'groups.mentioned')).toBe('immediate');
    } finally {
      await empty.cleanup();
    }
  });
});
