import type { Kysely } from 'kysely';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkToken, issueToken, TOKEN_LIFETIME_SECONDS } from '~/server/accounts/tokens.ts';
import { insertUser } from '~/server/accounts/users.ts';
import { createLucia, type Auth, type CurrentUser } from '~/server/auth/lucia.ts';
import { hashPassword } from '~/server/auth/password.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { createMailer, type Mailer } from '~/server/mail/mailer.ts';
import {
  APPLICATIONS_PER_ADDRESS,
  approveApplication,
  listApplications,
  rejectApplication,
  submitApplication,
  type ApplicationInput,
} from '~/server/membership/applications.ts';
import { acceptInvitation, sendInvitation } from '~/server/membership/invitations.ts';
import { canInviteColleagues, canRemoveColleague, canReviewApplications } from '~/server/membership/rules.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { membershipApplication } from '../helpers/fixtures.ts';

let db: Kysely<Database>;
let cleanup: () => Promise<void>;
let mailer: Mailer;
let auth: Auth;
let temirtau: number;
let ridder: number;
let editorId: string;
let editorHash: string;

const BASE_URL = 'https://qala.example.org';
const ADDRESS = '203.0.113.9';
const PASSWORD = 'steppe wind over the old mine';

beforeAll(async () => {
  editorHash = await hashPassword('an editor password nobody uses');
});

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
  mailer = createMailer(db, { smtpUrl: undefined, from: 'Qala <no-reply@localhost>' });
  auth = createLucia(db, { production: false });
  const town = (slug: string, en: string, ru: string, kk: string, region: string) =>
    db
      .insertInto('towns')
      .values({
        slug,
        name_kk: kk,
        name_ru: ru,
        name_en: en,
        region,
        population: 10_000,
        main_industry: 'steel',
        founding_enterprise_kk: null,
        founding_enterprise_ru: null,
        founding_enterprise_en: null,
        economic_potential: null,
        created_at: 1,
        updated_at: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  temirtau = (await town('temirtau', 'Temirtau', 'Темиртау', 'Теміртау', 'karaganda')).id;
  ridder = (await town('ridder', 'Ridder', 'Риддер', 'Риддер', 'east-kazakhstan')).id;
  editorId = await insertUser(db, { email: 'editor@example.org', passwordHash: editorHash, displayName: 'Editor', role: 'editor', townId: null, language: 'en' });
});
afterEach(() => cleanup());

const application = membershipApplication;

const submit = (overrides: Partial<ApplicationInput> = {}, address = ADDRESS) => submitApplication(db, mailer, application(overrides), address);
const applications = () => db.selectFrom('membership_applications').selectAll().orderBy('id').execute();
const outbox = () => db.selectFrom('email_outbox').selectAll().orderBy('id').execute();
const towns = () => db.selectFrom('towns').selectAll().orderBy('id').execute();
const tokens = () => db.selectFrom('tokens').selectAll().execute();
const audit = () => db.selectFrom('audit_log').selectAll().orderBy('id').execute();
const idOf = async (email: string) => (await db.selectFrom('membership_applications').select('id').where('email', '=', email).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
const approve = (applicationId: number, existingTownId: number | null = null) =>
  approveApplication(db, mailer, { applicationId, editorId, existingTownId, baseUrl: BASE_URL, clientAddress: ADDRESS });
const reject = (applicationId: number, reason = 'The town is already represented by its district.') =>
  rejectApplication(db, mailer, { applicationId, editorId, reason, clientAddress: ADDRESS });

/** Everything a refused decision must leave alone. */
const snapshot = async () => ({ applications: await applications(), towns: await towns(), outbox: await outbox(), tokens: await tokens(), audit: await audit(), users: await db.selectFrom('users').selectAll().execute() });

/** The token in the newest invitation email (and checks the link's shape). */
async function invitationToken(email: string, language: Language): Promise<string> {
  const mail = (await outbox()).filter((row) => row.to_address === email).at(-1);
  expect(mail).toBeDefined();
  const link = mail!.text_body.match(/https?:\/\/\S+/)?.[0];
  expect(link).toMatch(new RegExp(`^${BASE_URL}/${language}/invitation/\\?token=[A-Za-z0-9_-]{43}$`));
  return new URL(link!).searchParams.get('token')!;
}

describe('submitting an application', () => {
  it('stores it as pending (email normalised) and confirms receipt in the application’s language', async () => {
    expect(await submit({ email: '  Akimat@Zhanatas.Example.KZ ', language: 'ru', contactName: 'Марат Оспанов', townName: 'Жанатас' })).toBe('submitted');
    const [row, ...others] = await applications();
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      town_name: 'Жанатас',
      region: 'zhambyl',
      population: 21_000,
      main_industry: 'Phosphate mining',
      contact_name: 'Марат Оспанов',
      email: 'akimat@zhanatas.example.kz',
      phone: '+7 726 000 00 00',
      language: 'ru',
      status: 'pending',
      decision_reason: null,
      town_id: null,
      decided_by: null,
      decided_at: null,
    });
    expect(row!.created_at).toBeGreaterThan(Date.now() / 1000 - 60);

    const mail = await outbox();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: 'akimat@zhanatas.example.kz', language: 'ru', subject: 'Мы получили вашу заявку' });
    expect(mail[0]!.text_body).toContain('Здравствуйте, Марат Оспанов!');
    expect(mail[0]!.text_body).toContain('заявку города Жанатас');
  });

  it('writes the confirmation in Kazakh or English too, following the application', async () => {
    await submit({ email: 'kk@example.kz', language: 'kk' });
    await submit({ email: 'en@example.kz', language: 'en' });
    const [kk, en] = await outbox();
    expect(kk).toMatchObject({ to_address: 'kk@example.kz', language: 'kk' });
    expect(kk!.subject).not.toBe('We have received your application');
    expect(en).toMatchObject({ to_address: 'en@example.kz', language: 'en', subject: 'We have received your application' });
    expect(en!.text_body).toContain('the application of Zhanatas');
  });

  it('refuses a second pending application from the same email (any case) as a duplicate, storing and sending nothing', async () => {
    expect(await submit()).toBe('submitted');
    expect(await submit({ email: 'AKIMAT@zhanatas.example.kz', townName: 'Zhanatas again' })).toBe('duplicate');
    expect(await applications()).toHaveLength(1);
    expect(await outbox()).toHaveLength(1);
  });

  it('accepts a new application from the same email once the earlier one has been decided', async () => {
    await submit();
    expect((await reject(await idOf('akimat@zhanatas.example.kz'))).ok).toBe(true);
    expect(await submit()).toBe('submitted');
    expect((await applications()).map((row) => row.status)).toEqual(['rejected', 'pending']);
  });

  it(`is throttled after ${APPLICATIONS_PER_ADDRESS.limit} applications a day from one address; other addresses are not`, async () => {
    for (let i = 1; i <= APPLICATIONS_PER_ADDRESS.limit; i++) expect(await submit({ email: `town${i}@example.kz` }), `application ${i}`).toBe('submitted');
    expect(await submit({ email: 'one-more@example.kz' })).toBe('throttled');
    expect(await applications()).toHaveLength(APPLICATIONS_PER_ADDRESS.limit);
    expect(await outbox()).toHaveLength(APPLICATIONS_PER_ADDRESS.limit);
    expect(await submit({ email: 'one-more@example.kz' }, '198.51.100.4')).toBe('submitted');
  });
});

describe('approving an application', () => {
  it('with a new town: creates the town from the application and invites the contact as its town_admin', async () => {
    await submit({ language: 'kk', townName: 'Zhanatas', population: 21_000 });
    const id = await idOf('akimat@zhanatas.example.kz');
    expect(await approve(id)).toEqual({ ok: true });

    const created = (await towns()).find((town) => town.id !== temirtau && town.id !== ridder);
    expect(created).toMatchObject({ slug: 'zhanatas', name_kk: 'Zhanatas', name_ru: 'Zhanatas', name_en: 'Zhanatas', region: 'zhambyl', population: 21_000, main_industry: 'Phosphate mining' });
    expect(await towns()).toHaveLength(3);

    const [row] = await applications();
    expect(row).toMatchObject({ status: 'approved', town_id: created!.id, decided_by: editorId, decision_reason: null });
    expect(row!.decided_at).toBeGreaterThan(Date.now() / 1000 - 60);

    const mail = (await outbox()).at(-1)!;
    expect(mail).toMatchObject({ to_address: 'akimat@zhanatas.example.kz', language: 'kk' });
    expect(mail.text_body).toContain('Marat Ospanov');
    const token = await invitationToken('akimat@zhanatas.example.kz', 'kk');
    const checked = await checkToken(db, 'invitation', token);
    expect(checked).toEqual({
      ok: true,
      token: { email: 'akimat@zhanatas.example.kz', userId: null, data: { role: 'town_admin', townId: created!.id, name: 'Marat Ospanov', language: 'kk' } },
    });
    const [stored] = await tokens();
    expect(stored!.expires_at - stored!.created_at).toBe(TOKEN_LIFETIME_SECONDS.invitation);
  });

  it('gives each new town a unique slug made from its name', async () => {
    await submit({ townName: 'Temirtau', email: 'a@example.kz' });
    await submit({ townName: 'TEMIRTAU', email: 'b@example.kz' });
    await submit({ townName: '  Ust-Kamenogorsk  (East) ', email: 'c@example.kz' });
    for (const email of ['a@example.kz', 'b@example.kz', 'c@example.kz']) expect(await approve(await idOf(email))).toEqual({ ok: true });
    expect((await towns()).map((town) => town.slug)).toEqual(['temirtau', 'ridder', 'temirtau-2', 'temirtau-3', 'ust-kamenogorsk-east']);
  });

  it('with a name in Cyrillic still gives each town a unique, URL-safe slug', async () => {
    await submit({ townName: 'Жанатас', email: 'a@example.kz', language: 'ru' });
    await submit({ townName: 'Кентау', email: 'b@example.kz', language: 'ru' });
    for (const email of ['a@example.kz', 'b@example.kz']) expect(await approve(await idOf(email))).toEqual({ ok: true });
    const created = (await towns()).slice(2);
    expect(created.map((town) => town.name_ru)).toEqual(['Жанатас', 'Кентау']);
    const slugs = created.map((town) => town.slug);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(new Set([...slugs, 'temirtau', 'ridder']).size).toBe(4);
  });

  it('with an existing town: links it, creates no town, and the invitation names that town in the contact’s language', async () => {
    await submit({ townName: 'Ridder city', email: 'akimat@ridder.example.kz', language: 'ru' });
    expect(await approve(await idOf('akimat@ridder.example.kz'), ridder)).toEqual({ ok: true });
    expect(await towns()).toHaveLength(2);
    expect((await applications())[0]).toMatchObject({ status: 'approved', town_id: ridder });
    const mail = (await outbox()).at(-1)!;
    expect(mail).toMatchObject({ to_address: 'akimat@ridder.example.kz', language: 'ru', subject: 'Приглашение в Ассоциацию городов Казахстана' });
    expect(mail.text_body).toContain('от города Риддер');
    const checked = await checkToken(db, 'invitation', await invitationToken('akimat@ridder.example.kz', 'ru'));
    expect(checked.ok && checked.token.data).toMatchObject({ role: 'town_admin', townId: ridder });
  });

  it('with a town that does not exist: unknownTown, and nothing changes', async () => {
    await submit();
    const id = await idOf('akimat@zhanatas.example.kz');
    const before = await snapshot();
    expect(await approve(id, 999_999)).toEqual({ ok: false, problem: 'unknownTown' });
    expect(await snapshot()).toEqual(before);
  });

  it('twice: the second time is alreadyDecided and changes nothing', async () => {
    await submit();
    const id = await idOf('akimat@zhanatas.example.kz');
    expect(await approve(id)).toEqual({ ok: true });
    const before = await snapshot();
    expect(await approve(id)).toEqual({ ok: false, problem: 'alreadyDecided' });
    expect(await approve(id, temirtau)).toEqual({ ok: false, problem: 'alreadyDecided' });
    expect(await snapshot()).toEqual(before);
  });

  it('when the contact’s email already has an account: emailHasAccount, and the application stays pending', async () => {
    await submit({ email: 'Temirtau@Example.org' });
    await insertUser(db, { email: 'temirtau@example.org', passwordHash: editorHash, displayName: 'Yerlan', role: 'member', townId: temirtau, language: 'kk' });
    const id = await idOf('temirtau@example.org');
    const before = await snapshot();
    expect(await approve(id)).toEqual({ ok: false, problem: 'emailHasAccount' });
    expect(await snapshot()).toEqual(before);
    expect((await applications())[0]!.status).toBe('pending');
  });

  it('that does not exist: notFound', async () => {
    expect(await approve(424_242)).toEqual({ ok: false, problem: 'notFound' });
    expect(await reject(424_242)).toEqual({ ok: false, problem: 'notFound' });
    expect(await towns()).toHaveLength(2);
    expect(await outbox()).toEqual([]);
  });
});

describe('rejecting an application', () => {
  it('stores the reason and emails it to the applicant in their language', async () => {
    await submit({ language: 'ru', contactName: 'Марат', townName: 'Жанатас' });
    const id = await idOf('akimat@zhanatas.example.kz');
    const reason = 'Город уже входит в ассоциацию через район.';
    expect(await reject(id, reason)).toEqual({ ok: true });
    expect((await applications())[0]).toMatchObject({ status: 'rejected', decision_reason: reason, decided_by: editorId, town_id: null });
    const mail = (await outbox()).at(-1)!;
    expect(mail).toMatchObject({ to_address: 'akimat@zhanatas.example.kz', language: 'ru', subject: 'Ваша заявка в ассоциацию' });
    expect(mail.text_body).toContain(reason);
    expect(mail.text_body).toContain('Жанатас');
    expect(await tokens()).toEqual([]);
  });

  it('an approved application cannot be rejected, nor a rejected one approved or rejected again: alreadyDecided, nothing changes', async () => {
    await submit({ email: 'approved@example.kz' });
    await submit({ email: 'rejected@example.kz' });
    const approvedId = await idOf('approved@example.kz');
    const rejectedId = await idOf('rejected@example.kz');
    expect(await approve(approvedId)).toEqual({ ok: true });
    expect(await reject(rejectedId)).toEqual({ ok: true });
    const before = await snapshot();
    expect(await reject(approvedId)).toEqual({ ok: false, problem: 'alreadyDecided' });
    expect(await reject(rejectedId, 'A different reason this time.')).toEqual({ ok: false, problem: 'alreadyDecided' });
    expect(await approve(rejectedId)).toEqual({ ok: false, problem: 'alreadyDecided' });
    expect(await snapshot()).toEqual(before);
  });
});

describe('accepting an invitation', () => {
  /** An approved application for a new town; returns the invitation token and the town. */
  async function invited(language: Language = 'en'): Promise<{ token: string; townId: number }> {
    await submit({ language });
    expect(await approve(await idOf('akimat@zhanatas.example.kz'))).toEqual({ ok: true });
    const townId = (await applications())[0]!.town_id!;
    return { token: await invitationToken('akimat@zhanatas.example.kz', language), townId };
  }
  const accept = (token: string, password = PASSWORD, displayName = '  Marat Ospanov ') => acceptInvitation(db, auth, { token, displayName, password, clientAddress: ADDRESS });
  const accountsFor = (email: string) => db.selectFrom('users').selectAll().where('email', '=', email).execute();

  it('creates the account with the invited role, town and language, and returns a working session cookie', async () => {
    const { token, townId } = await invited('ru');
    const result = await accept(token);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.language).toBe('ru');
    const [user, ...others] = await accountsFor('akimat@zhanatas.example.kz');
    expect(others).toEqual([]);
    expect(user).toMatchObject({ display_name: 'Marat Ospanov', role: 'town_admin', town_id: townId, language: 'ru', disabled_at: null });
    expect(user!.password_hash).not.toContain(PASSWORD);
    const session = await auth.validateSession(result.cookie.value);
    expect(session.user).toMatchObject({ id: user!.id, role: 'town_admin', town: { id: townId, slug: 'zhanatas' } });
    expect(result.cookie.attributes.httpOnly).toBe(true);
  });

  it('a colleague’s invitation gives the member role in the inviter’s town', async () => {
    expect(
      await sendInvitation(db, mailer, { email: 'Colleague@Example.kz', name: 'Aida', role: 'member', townId: temirtau, language: 'en', invitedBy: editorId, baseUrl: BASE_URL, clientAddress: ADDRESS }),
    ).toBe('sent');
    const result = await accept(await invitationToken('colleague@example.kz', 'en'), PASSWORD, 'Aida');
    expect(result.ok).toBe(true);
    expect((await accountsFor('colleague@example.kz'))[0]).toMatchObject({ role: 'member', town_id: temirtau, display_name: 'Aida' });
  });

  it('is refused for an address that already has an account, sending nothing', async () => {
    const before = await snapshot();
    expect(
      await sendInvitation(db, mailer, { email: ' EDITOR@example.org', name: 'Editor', role: 'member', townId: temirtau, language: 'en', invitedBy: editorId, baseUrl: BASE_URL, clientAddress: ADDRESS }),
    ).toBe('emailHasAccount');
    expect(await snapshot()).toEqual(before);
  });

  it('works once: the same token a second time is "used" and creates nothing', async () => {
    const { token } = await invited();
    expect((await accept(token)).ok).toBe(true);
    expect(await accept(token, 'another long passphrase here', 'Someone Else')).toEqual({ ok: false, problem: 'used' });
    expect(await accountsFor('akimat@zhanatas.example.kz')).toHaveLength(1);
    expect((await accountsFor('akimat@zhanatas.example.kz'))[0]!.display_name).toBe('Marat Ospanov');
  });

  it('an expired token is refused as "expired" and creates nothing', async () => {
    const longAgo = Math.floor(Date.now() / 1000) - TOKEN_LIFETIME_SECONDS.invitation - 24 * 60 * 60;
    const token = await issueToken(db, 'invitation', { email: 'late@example.kz', userId: null, data: { role: 'member', townId: temirtau, name: 'Late', language: 'en' } }, longAgo);
    expect(await accept(token)).toEqual({ ok: false, problem: 'expired' });
    expect(await accountsFor('late@example.kz')).toEqual([]);
  });

  it('a made-up token is "unknown"', async () => {
    expect(await accept('A'.repeat(43))).toEqual({ ok: false, problem: 'unknown' });
    expect(await accept('not a token!')).toEqual({ ok: false, problem: 'unknown' });
  });

  it('a weak password is refused and the token stays usable', async () => {
    const { token } = await invited();
    expect(await accept(token, 'short')).toEqual({ ok: false, problem: 'password.tooShort' });
    expect(await accept(token, 'password1')).toEqual({ ok: false, problem: 'password.common' });
    expect(await accept(token, 'x'.repeat(129))).toEqual({ ok: false, problem: 'password.tooLong' });
    expect(await accountsFor('akimat@zhanatas.example.kz')).toEqual([]);
    expect((await checkToken(db, 'invitation', token)).ok).toBe(true);
    expect((await accept(token)).ok).toBe(true);
  });

  it('when the address got an account meanwhile: emailHasAccount, and no second account', async () => {
    const { token } = await invited();
    await insertUser(db, { email: 'akimat@zhanatas.example.kz', passwordHash: editorHash, displayName: 'Early bird', role: 'member', townId: ridder, language: 'en' });
    expect(await accept(token)).toEqual({ ok: false, problem: 'emailHasAccount' });
    expect(await accountsFor('akimat@zhanatas.example.kz')).toHaveLength(1);
  });
});

describe('the audit log of membership decisions', () => {
  it('records approved, rejected, invitation.sent and invitation.accepted, with actors and targets, and never a token or password', async () => {
    await submit({ email: 'yes@example.kz' });
    await submit({ email: 'no@example.kz' });
    const yes = await idOf('yes@example.kz');
    const no = await idOf('no@example.kz');
    await approve(yes);
    await reject(no);
    const token = await invitationToken('yes@example.kz', 'en');
    const accepted = await acceptInvitation(db, auth, { token, displayName: 'Yes Person', password: PASSWORD, clientAddress: '198.51.100.20' });
    expect(accepted.ok).toBe(true);
    const newUser = (await db.selectFrom('users').select('id').where('email', '=', 'yes@example.kz').executeTakeFirstOrThrow()).id;
    const townId = (await applications()).find((row) => row.id === yes)!.town_id!;

    const rows = await audit();
    expect(rows.map((row) => row.action)).toEqual(['application.approved', 'invitation.sent', 'application.rejected', 'invitation.accepted']);
    expect(rows[0]).toMatchObject({ actor_id: editorId, target_type: 'application', target_id: String(yes), client_address: ADDRESS });
    expect(JSON.parse(rows[0]!.details!)).toEqual({ townId });
    expect(rows[1]).toMatchObject({ actor_id: editorId, target_type: 'email', target_id: 'yes@example.kz', client_address: ADDRESS });
    expect(JSON.parse(rows[1]!.details!)).toEqual({ role: 'town_admin', townId });
    expect(rows[2]).toMatchObject({ actor_id: editorId, target_type: 'application', target_id: String(no) });
    expect(rows[3]).toMatchObject({ actor_id: newUser, target_type: 'user', target_id: newUser, client_address: '198.51.100.20' });

    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain((await tokens())[0]!.id_hash);
    expect(everything).not.toContain(PASSWORD);
  });

  it('records nothing for a refused decision', async () => {
    await submit();
    const id = await idOf('akimat@zhanatas.example.kz');
    await approve(id, 999_999);
    await approve(777);
    await reject(777);
    expect(await audit()).toEqual([]);
  });
});

describe('who may review, invite and remove (rules)', () => {
  const user = (role: Role, townId: number | null, id = `${role}-${townId ?? 'none'}-id`): CurrentUser => ({
    id,
    email: `${id}@example.org`,
    displayName: id,
    role,
    language: 'en',
    disabled: false,
    town: townId === null ? null : { id: townId, slug: `town-${townId}`, name: { kk: 'T', ru: 'T', en: 'T' } },
  });
  const A = 1;
  const B = 2;
  const actors: Record<string, CurrentUser | null> = {
    public: null,
    member: user('member', A),
    town_admin: user('town_admin', A, 'admin-of-a'),
    editor: user('editor', null),
    admin: user('admin', null),
  };
  const targets = {
    'member of own town': { id: 'member-a', townId: A, role: 'member' },
    'member of another town': { id: 'member-b', townId: B, role: 'member' },
    themselves: { id: 'admin-of-a', townId: A, role: 'town_admin' },
    'another town admin of the same town': { id: 'admin-two-of-a', townId: A, role: 'town_admin' },
    'the admin of another town': { id: 'admin-of-b', townId: B, role: 'town_admin' },
    'an editor': { id: 'editor-x', townId: null, role: 'editor' },
    'a member without a town': { id: 'member-none', townId: null, role: 'member' },
  };
  const expected: Record<string, { review: boolean; invite: boolean; remove: (keyof typeof targets)[] }> = {
    public: { review: false, invite: false, remove: [] },
    member: { review: false, invite: false, remove: [] },
    town_admin: { review: false, invite: true, remove: ['member of own town'] },
    editor: { review: true, invite: false, remove: [] },
    admin: { review: true, invite: false, remove: [] },
  };

  for (const [name, actor] of Object.entries(actors)) {
    it(`${name}: review ${expected[name]!.review}, invite ${expected[name]!.invite}, remove only ${expected[name]!.remove.join(', ') || 'nobody'}`, () => {
      expect(canReviewApplications(actor)).toBe(expected[name]!.review);
      expect(canInviteColleagues(actor)).toBe(expected[name]!.invite);
      for (const [label, target] of Object.entries(targets)) {
        expect(canRemoveColleague(actor, target), `${name} removes ${label}`).toBe(expected[name]!.remove.includes(label as keyof typeof targets));
      }
    });
  }

  it('a town admin whose account has no town can neither invite nor remove', () => {
    const adrift = user('town_admin', null, 'adrift');
    expect(canInviteColleagues(adrift)).toBe(false);
    expect(canRemoveColleague(adrift, { id: 'member-none', townId: null, role: 'member' })).toBe(false);
  });
});

describe('new towns from Cyrillic names', () => {
  it('get a transliterated slug', async () => {
    const { db: fresh, cleanup: done } = await createTestDatabase();
    try {
      const mail = createMailer(fresh, { smtpUrl: undefined, from: 'Qala <no-reply@example.org>' });
      const base = { region: 'zhambyl', population: null, mainIndustry: 'Фосфориты', contactName: 'Айдана', phone: '+7 700 000 00 00', motivation: 'Хотим учиться у других городов.', language: 'ru' as const };
      await submitApplication(fresh, mail, { ...base, townName: 'Жаңатас', email: 'a@example.org' }, '198.51.100.1');
      const editor = await insertUser(fresh, { email: 'ed@example.org', passwordHash: 'x', displayName: 'Ed', role: 'editor', townId: null, language: 'en' });
      const [application] = await listApplications(fresh, 'pending');
      expect(await approveApplication(fresh, mail, { applicationId: application!.id, editorId: editor, existingTownId: null, baseUrl: 'https://qala.example.org', clientAddress: '198.51.100.1' })).toEqual({ ok: true });
      expect((await fresh.selectFrom('towns').select('slug').execute()).map((town) => town.slug)).toContain('zhanatas');
    } finally {
      await done();
    }
  });
});
