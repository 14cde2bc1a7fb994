import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { postForm, signIn } from '../helpers/http.ts';
import { linkIn, mailTo, tokenOf, userIdOf } from '../helpers/outbox.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { expectCleanClientError, isSignedIn, request, setsSession, SIGN_IN } from './support.ts';

/**
 * Bad input and abuse of the membership forms: each gets a clear 4xx message and
 * changes nothing. The server believes one proxy hop (TRUST_PROXY=1) so that each
 * application below can come from its own made-up address: the per-address limit
 * (5 a day) is tested in tests/data/membership.test.ts, not here.
 */
const server = useServer({ env: { TRUST_PROXY: '1' } });

const EVIL = 'https://evil.example';
const APPLY = '/en/membership/apply/?_action=membership.apply';
const INVITE = '/en/account/colleagues/?_action=membership.inviteColleague';
const REMOVE = '/en/account/colleagues/?_action=membership.removeColleague';
const ACCEPT = '/en/invitation/?_action=membership.acceptInvitation';
const approvePath = (id: number | string) => `/en/editor/applications/${id}/?_action=membership.approve`;
const rejectPath = (id: number | string) => `/en/editor/applications/${id}/?_action=membership.reject`;
const NEW_PASSWORD = 'a long walk along the ishim';

const FORBIDDEN = 'Your account cannot open this page.';
const ONE_LINE = 'Write this on one line.';
const TOO_LONG = 'This is too long.';

let sequence = 0;
/** A fresh made-up client address (documentation ranges), one per application. */
const nextAddress = () => {
  sequence += 1;
  return `198.51.${100 + Math.floor(sequence / 250)}.${sequence % 250}`;
};

const VALID = {
  townName: 'Karazhal',
  region: 'ulytau',
  population: '17000',
  mainIndustry: 'Iron and manganese ore',
  contactName: 'Bolat Zhaksylykov',
  email: 'akimat@karazhal.example.kz',
  phone: '+7 71032 2-11-11',
  motivation: 'Karazhal wants to share what it learnt about keeping young people in town.',
};

function apply(fields: Record<string, string>, options: { origin?: string } = {}): Promise<Response> {
  return postForm(server.url, APPLY, fields, { ...options, headers: { 'X-Forwarded-For': nextAddress() } });
}

const countApplications = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM membership_applications`))[0]!.n;
const countMail = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM email_outbox`))[0]!.n;
const countTokens = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM tokens`))[0]!.n;
const countUsers = async () => (await readRows(server.databaseUrl, sql<{ n: number }>`SELECT count(*) AS n FROM users`))[0]!.n;
const applicationStatus = async (id: number) => (await readRows(server.databaseUrl, sql<{ status: string }>`SELECT status FROM membership_applications WHERE id = ${id}`))[0]?.status;
/** Everything the refused requests below must leave unchanged. */
const counts = async () => ({ applications: await countApplications(), mail: await countMail(), tokens: await countTokens(), users: await countUsers() });

/** Sends a valid application for a fresh email and returns its id. */
async function pendingApplication(email: string, townName = VALID.townName): Promise<number> {
  const response = await apply({ ...VALID, email, townName });
  expect(response.status).toBe(200);
  const [row] = await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM membership_applications WHERE email = ${email} AND status = 'pending'`);
  expect(row).toBeDefined();
  return row!.id;
}

/** Whether an email and password sign in through the real form. */
async function canSignIn(email: string, password: string): Promise<boolean> {
  const response = await postForm(server.url, SIGN_IN, { email, password });
  return response.status === 303 && setsSession(response);
}

let member: string;
let townAdmin: string;
let editor: string;
let admin: string;

beforeAll(async () => {
  const signInAs = (email: string) => signIn(server.url, email, DEMO_PASSWORD);
  [member, townAdmin, editor, admin] = await Promise.all([
    signInAs('temirtau@example.org'),
    signInAs('temirtau-admin@example.org'),
    signInAs('editor@example.org'),
    signInAs('admin@example.org'),
  ]);
});

/** Has the Temirtau town admin invite `email` and accepts the invitation; returns the new member's id and the link. */
async function temirtauColleague(email: string, name: string): Promise<{ id: string; link: string }> {
  const invited = await postForm(server.url, INVITE, { name, email }, { cookie: townAdmin });
  expect(invited.status).toBe(200);
  const link = linkIn((await mailTo(server.databaseUrl, email)).at(-1)!, server.url);
  const accepted = await postForm(server.url, ACCEPT, { token: tokenOf(link), displayName: name, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
  expect(accepted.status).toBe(303);
  return { id: await userIdOf(server.databaseUrl, email), link };
}

describe('applying with bad input', () => {
  it('a second application from an address that is already waiting: 409 "already waiting for review", nothing stored or sent', async () => {
    await pendingApplication('duplicate@karazhal.example.kz');
    const before = await counts();
    const again = await apply({ ...VALID, townName: 'Karazhal (again)', email: 'Duplicate@Karazhal.example.kz' });
    expect(again.status).toBe(409);
    const body = await again.text();
    expectCleanClientError(again.status, body);
    expect(body).toContain('An application from this email address is already waiting for review.');
    expect(body).toContain('value="Karazhal (again)"');
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['townName', 'Karazhal\r\nBcc: everyone@example.org'],
    ['townName', 'Karazhal\nSecond line'],
    ['contactName', 'Bolat\r\nZhaksylykov'],
    ['contactName', 'Bolat\rZhaksylykov'],
  ])('a line break in %s: 400 "Write this on one line."', async (field, value) => {
    const before = await counts();
    const response = await apply({ ...VALID, email: 'linebreak@karazhal.example.kz', [field]: value });
    expect(response.status).toBe(400);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain(ONE_LINE);
    expect(body).toContain('value="linebreak@karazhal.example.kz"');
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['townName', 'K'.repeat(121), TOO_LONG],
    ['mainIndustry', 'i'.repeat(201), TOO_LONG],
    ['contactName', 'B'.repeat(121), TOO_LONG],
    ['phone', `+7 ${'1'.repeat(40)}`, TOO_LONG],
    ['motivation', 'm'.repeat(3001), TOO_LONG],
    ['email', `${'a'.repeat(250)}@example.kz`, TOO_LONG],
    ['population', '1234567890', 'Enter the population as a whole number, for example 48000.'],
  ])('an over-long %s: 400 with a message', async (field, value, message) => {
    const before = await counts();
    const response = await apply({ ...VALID, email: 'long@karazhal.example.kz', [field]: value });
    expect(response.status).toBe(400);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain(message);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ['region', 'atlantis', 'Choose a region from the list.'],
    ['region', '', 'Fill in this field.'],
    ['population', 'many', 'Enter the population as a whole number, for example 48000.'],
    ['population', '-5', 'Enter the population as a whole number, for example 48000.'],
    ['phone', 'call the akimat', 'Enter a phone number using digits, spaces, brackets, + and -.'],
    ['email', 'akimat at karazhal', 'Enter an email address like name@example.org.'],
    ['motivation', 'Please.', 'This is too short.'],
    ['townName', '   ', 'Fill in this field.'],
  ])('%s "%s": 400 "%s"', async (field, value, message) => {
    const before = await counts();
    const response = await apply({ ...VALID, email: 'bad@karazhal.example.kz', [field]: value });
    expect(response.status).toBe(400);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain(message);
    expect(body).toContain('Check the fields marked below.');
    expect(await counts()).toEqual(before);
  });

  it('keeps every typed value in the form after an error, and shows the error next to the field', async () => {
    const typed = { ...VALID, townName: 'Karazhal-2', population: 'many', email: 'kept@karazhal.example.kz' };
    const response = await apply(typed);
    expect(response.status).toBe(400);
    const body = await response.text();
    for (const field of ['townName', 'population', 'mainIndustry', 'contactName', 'email', 'phone'] as const) {
      expect(body, field).toMatch(new RegExp(`name="${field}"[^>]*value="${typed[field].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    }
    expect(body).toContain(`>${typed.motivation}</textarea>`);
    expect(body).toMatch(/<option[^>]*value="ulytau"[^>]*selected|<option[^>]*selected[^>]*value="ulytau"/);
    expect(body).toMatch(/id="field-population-error"[^>]*>Enter the population as a whole number/);
    expect(body).toMatch(/name="population"[^>]*aria-invalid="true"/);
  });

  it('markup typed into an application is shown to the editor as text, never as HTML', async () => {
    // Breaks out of an attribute value ("> …) or opens an element in text.
    const markup = '"><img src=x onerror=alert(1)>Town';
    await pendingApplication('markup@karazhal.example.kz', markup);
    const id = (await readRows(server.databaseUrl, sql<{ id: number }>`SELECT id FROM membership_applications WHERE email = ${'markup@karazhal.example.kz'}`))[0]!.id;
    for (const path of ['/en/editor/applications/', `/en/editor/applications/${id}/`]) {
      const body = await (await request(server.url, path, { cookie: editor })).text();
      const main = body.slice(body.indexOf('<main'), body.indexOf('</main>'));
      expect(main, path).toContain('&gt;&lt;img src=x onerror=alert(1)&gt;Town');
      expect(main, path).not.toContain('<img src=x');
      expect(body, path).not.toContain('"><img');
    }
  });

  it('a post from another site: 403 and nothing stored or sent', async () => {
    const before = await counts();
    const response = await apply({ ...VALID, email: 'crosssite@karazhal.example.kz' }, { origin: EVIL });
    expect(response.status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('invitation links', () => {
  it('a link used once: the page says it has already been used (400), and posting it again creates nothing', async () => {
    const { link } = await temirtauColleague('once@temirtau.example.kz', 'Once Only');
    const before = await counts();
    const opened = await request(server.url, link);
    expect(opened.status).toBe(400);
    const body = await opened.text();
    expect(body).toContain('This invitation has already been used. Sign in with the account it created.');
    expect(body).not.toContain('name="token"');
    expect(body).toContain('href="/en/sign-in/"');

    const reposted = await postForm(server.url, ACCEPT, { token: tokenOf(link), displayName: 'Twice', password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(reposted.status).toBe(400);
    expect(reposted.headers.get('location')).toBeNull();
    expect(setsSession(reposted)).toBe(false);
    expect(await reposted.text()).toContain('This invitation has already been used.');
    expect(await counts()).toEqual(before);
    expect(await readRows(server.databaseUrl, sql`SELECT display_name FROM users WHERE email = ${'once@temirtau.example.kz'}`)).toEqual([{ display_name: 'Once Only' }]);
  });

  it('a made-up token, or none: 400 "not valid", and posting it creates nothing', async () => {
    const before = await counts();
    for (const path of [`/en/invitation/?token=${'A'.repeat(43)}`, '/en/invitation/', '/en/invitation/?token=%3Cscript%3E']) {
      const opened = await request(server.url, path);
      expect(opened.status, path).toBe(400);
      const body = await opened.text();
      expectCleanClientError(opened.status, body);
      expect(body).toContain('This invitation link is not valid.');
      expect(body).not.toContain('name="password"');
    }
    const posted = await postForm(server.url, ACCEPT, { token: 'B'.repeat(43), displayName: 'Nobody', password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(posted.status).toBe(400);
    expect(setsSession(posted)).toBe(false);
    expect(await posted.text()).toContain('This invitation link is not valid.');
    expect(await counts()).toEqual(before);
  });

  it('a weak or mismatched password: 400 with the reason, and the link still works', async () => {
    const invited = await postForm(server.url, INVITE, { name: 'Weak Password', email: 'weak@temirtau.example.kz' }, { cookie: townAdmin });
    expect(invited.status).toBe(200);
    const link = linkIn((await mailTo(server.databaseUrl, 'weak@temirtau.example.kz')).at(-1)!, server.url);
    const token = tokenOf(link);
    const before = await counts();
    const common = await postForm(server.url, ACCEPT, { token, displayName: 'Weak', password: 'password1', confirm: 'password1' });
    expect(common.status).toBe(400);
    const commonBody = await common.text();
    expect(commonBody).toContain('This password is too common.');
    expect(commonBody).toContain(`name="token" value="${token}"`);
    expect(commonBody).not.toContain('value="password1"');
    const mismatch = await postForm(server.url, ACCEPT, { token, displayName: 'Weak', password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('The two passwords are not the same.');
    expect(await counts()).toEqual(before);
    expect((await request(server.url, link)).status).toBe(200);
  });
});

describe('inviting and removing colleagues', () => {
  it('inviting an address that already has an account (ridder@example.org): 409 "already has an account", nothing sent', async () => {
    const before = await counts();
    const response = await postForm(server.url, INVITE, { name: 'Irina', email: 'Ridder@Example.org' }, { cookie: townAdmin });
    expect(response.status).toBe(409);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain('This email address already has an account.');
    expect(body).toContain('value="Ridder@Example.org"');
    expect(await counts()).toEqual(before);
    expect(await mailTo(server.databaseUrl, 'ridder@example.org')).toEqual([]);
  });

  it('inviting with a bad email or a name with a line break: 400, nothing sent', async () => {
    const before = await counts();
    const badEmail = await postForm(server.url, INVITE, { name: 'Someone', email: 'someone at temirtau' }, { cookie: townAdmin });
    expect(badEmail.status).toBe(400);
    expect(await badEmail.text()).toContain('Enter an email address like name@example.org.');
    const twoLines = await postForm(server.url, INVITE, { name: 'Some\r\nBcc: x@example.org', email: 'someone@temirtau.example.kz' }, { cookie: townAdmin });
    expect(twoLines.status).toBe(400);
    expect(await twoLines.text()).toContain(ONE_LINE);
    expect(await counts()).toEqual(before);
  });

  it('a member posting an invitation: 403, nothing sent', async () => {
    const before = await counts();
    const response = await postForm(server.url, INVITE, { name: 'Friend', email: 'friend@temirtau.example.kz' }, { cookie: member });
    expect(response.status).toBe(403);
    expectCleanClientError(response.status, await response.text());
    expect(await counts()).toEqual(before);
  });

  it('the colleagues page: refused to a member, 303 to sign-in for a visitor, 200 for the town admin', async () => {
    const asMember = await request(server.url, '/en/account/colleagues/', { cookie: member });
    const memberBody = await asMember.text();
    expect(memberBody).toContain(FORBIDDEN);
    expect(memberBody).not.toContain('temirtau-admin@example.org');
    expect(memberBody).not.toContain('?_action=membership.inviteColleague');

    const anonymous = await request(server.url, '/en/account/colleagues/');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/en/sign-in/?next=%2Fen%2Faccount%2Fcolleagues%2F');

    const asTownAdmin = await request(server.url, '/en/account/colleagues/', { cookie: townAdmin });
    expect(asTownAdmin.status).toBe(200);
    const body = await asTownAdmin.text();
    expect(body).toContain('temirtau@example.org');
    expect(body).not.toContain('ridder@example.org');
  });

  it('the colleagues page answers a member (and an editor) with status 403', async () => {
    for (const cookie of [member, editor]) {
      const response = await request(server.url, '/en/account/colleagues/', { cookie });
      expect(response.status).toBe(403);
    }
  });

  it('the Temirtau town admin removing a Ridder member: 403, and she still signs in', async () => {
    const ridder = await userIdOf(server.databaseUrl, 'ridder@example.org');
    const response = await postForm(server.url, REMOVE, { user: ridder }, { cookie: townAdmin });
    expect(response.status).toBe(403);
    const body = await response.text();
    expectCleanClientError(response.status, body);
    expect(body).toContain('You cannot remove this account.');
    expect(await readRows(server.databaseUrl, sql`SELECT disabled_at, CASE WHEN town_id IS NOT NULL THEN 1 ELSE 0 END AS has_town FROM users WHERE id = ${ridder}`)).toEqual([{ disabled_at: null, has_town: 1 }]);
    expect(await canSignIn('ridder@example.org', DEMO_PASSWORD)).toBe(true);
  });

  it('the town admin removing themselves or a made-up id: 403; a malformed id: 400; nothing changes', async () => {
    const before = await readRows(server.databaseUrl, sql`SELECT id, disabled_at, town_id FROM users ORDER BY id`);
    const self = await userIdOf(server.databaseUrl, 'temirtau-admin@example.org');
    for (const user of [self, 'AAAAAAAAAAAAAAAAAAAA']) {
      const response = await postForm(server.url, REMOVE, { user }, { cookie: townAdmin });
      expect(response.status, user).toBe(403);
      expect(await response.text()).toContain('You cannot remove this account.');
    }
    const malformed = await postForm(server.url, REMOVE, { user: "1' OR '1'='1" }, { cookie: townAdmin });
    expect(malformed.status).toBe(400);
    expectCleanClientError(malformed.status, await malformed.text());
    expect(await readRows(server.databaseUrl, sql`SELECT id, disabled_at, town_id FROM users ORDER BY id`)).toEqual(before);
    expect(await isSignedIn(server.url, townAdmin)).toBe(true);
  });
});

describe('the editors’ application queue', () => {
  it('is 403 for a member, 303 to sign-in for a visitor, 200 for an editor', async () => {
    const asMember = await request(server.url, '/en/editor/applications/', { cookie: member });
    expect(asMember.status).toBe(403);
    expect(await asMember.text()).toContain(FORBIDDEN);
    const anonymous = await request(server.url, '/en/editor/applications/');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/en/sign-in/?next=%2Fen%2Feditor%2Fapplications%2F');
    const asEditor = await request(server.url, '/en/editor/applications/', { cookie: editor });
    expect(asEditor.status).toBe(200);
    expect(await asEditor.text()).toContain('Applications from towns, oldest first.');
  });

  it('an application page that does not exist: 404 with a message, for opening, approving and rejecting', async () => {
    const opened = await request(server.url, '/en/editor/applications/999999/', { cookie: editor });
    expect(opened.status).toBe(404);
    expect(await opened.text()).toContain('This application does not exist.');
    const notANumber = await request(server.url, '/en/editor/applications/abc/', { cookie: editor });
    expect(notANumber.status).toBe(404);

    const before = await counts();
    const approved = await postForm(server.url, approvePath(999999), { application: '999999', town: 'new' }, { cookie: editor });
    expect(approved.status).toBe(404);
    const approvedBody = await approved.text();
    expectCleanClientError(approved.status, approvedBody);
    expect(approvedBody).toContain('This application does not exist.');
    const rejected = await postForm(server.url, rejectPath(999999), { application: '999999', reason: 'No such application at all.' }, { cookie: editor });
    expect(rejected.status).toBe(404);
    expect(await rejected.text()).toContain('This application does not exist.');
    expect(await counts()).toEqual(before);
  });

  it('approving with a town that does not exist or a malformed town, or rejecting with a short reason: 4xx, still pending', async () => {
    const id = await pendingApplication('undecided@karazhal.example.kz');
    const before = await counts();
    const unknownTown = await postForm(server.url, approvePath(id), { application: String(id), town: '999999' }, { cookie: editor });
    expect(unknownTown.status).toBe(409);
    expect(await unknownTown.text()).toContain('The chosen town does not exist. Nothing was changed.');
    const badTown = await postForm(server.url, approvePath(id), { application: String(id), town: 'temirtau' }, { cookie: editor });
    expect(badTown.status).toBe(400);
    expectCleanClientError(badTown.status, await badTown.text());
    const shortReason = await postForm(server.url, rejectPath(id), { application: String(id), reason: 'No.' }, { cookie: editor });
    expect(shortReason.status).toBe(400);
    const shortBody = await shortReason.text();
    expect(shortBody).toContain('This is too short.');
    expect(shortBody).toContain('>No.</textarea>');
    expect(await applicationStatus(id)).toBe('pending');
    expect(await counts()).toEqual(before);
  });

  it('deciding twice: 409 "already been decided", nothing sent twice', async () => {
    const id = await pendingApplication('twice@karazhal.example.kz');
    expect((await postForm(server.url, approvePath(id), { application: String(id), town: 'new' }, { cookie: editor })).status).toBe(200);
    const before = await counts();
    const again = await postForm(server.url, approvePath(id), { application: String(id), town: 'new' }, { cookie: admin });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('This application has already been decided; nothing was changed.');
    const reject = await postForm(server.url, rejectPath(id), { application: String(id), reason: 'Changed our mind after all.' }, { cookie: editor });
    expect(reject.status).toBe(409);
    expect(await applicationStatus(id)).toBe('approved');
    expect(await counts()).toEqual(before);
  });

  it('approving when the contact already has an account: 409, stays pending, nothing sent', async () => {
    const id = await pendingApplication('ridder@example.org');
    const before = await counts();
    const response = await postForm(server.url, approvePath(id), { application: String(id), town: 'new' }, { cookie: editor });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('already has an account, so no invitation can be sent. Nothing was changed.');
    expect(await applicationStatus(id)).toBe('pending');
    expect(await counts()).toEqual(before);
  });
});

describe('who may do what, through HTTP', () => {
  type Actor = 'anonymous' | 'member' | 'town_admin' | 'editor' | 'admin';
  type Act = 'open application queue' | 'approve' | 'invite colleague' | 'remove colleague';
  type Outcome = 'allowed' | 'forbidden';
  const ACTORS: Actor[] = ['anonymous', 'member', 'town_admin', 'editor', 'admin'];
  const cookieOf = (actor: Actor) => ({ anonymous: undefined, member, town_admin: townAdmin, editor, admin })[actor];

  const EXPECTED: Record<Actor, Record<Act, Outcome>> = {
    anonymous: { 'open application queue': 'forbidden', approve: 'forbidden', 'invite colleague': 'forbidden', 'remove colleague': 'forbidden' },
    member: { 'open application queue': 'forbidden', approve: 'forbidden', 'invite colleague': 'forbidden', 'remove colleague': 'forbidden' },
    town_admin: { 'open application queue': 'forbidden', approve: 'forbidden', 'invite colleague': 'allowed', 'remove colleague': 'allowed' },
    editor: { 'open application queue': 'allowed', approve: 'allowed', 'invite colleague': 'forbidden', 'remove colleague': 'forbidden' },
    admin: { 'open application queue': 'allowed', approve: 'allowed', 'invite colleague': 'forbidden', 'remove colleague': 'forbidden' },
  };

  /** A refusal is 403 for an account, or 303 to the sign-in page for a visitor. */
  function expectRefusal(actor: Actor, response: Response, label: string): void {
    if (actor === 'anonymous') {
      expect(response.status, label).toBe(303);
      expect(response.headers.get('location'), label).toMatch(/^\/en\/sign-in\/\?next=/);
    } else {
      expect(response.status, label).toBe(403);
    }
  }

  /** Each act returns whether it took effect; the response must agree with that. */
  const ACTS: Record<Act, (actor: Actor) => Promise<Outcome>> = {
    async 'open application queue'(actor) {
      const town = `Queue town ${actor}`;
      await pendingApplication(`queue-${actor}@table.example.kz`, town);
      const response = await request(server.url, '/en/editor/applications/', { cookie: cookieOf(actor) });
      const body = await response.text();
      if (response.status === 200 && body.includes(`>${town}</a>`)) return 'allowed';
      expectRefusal(actor, response, `${actor} opens the queue`);
      expect(body).not.toContain(town);
      return 'forbidden';
    },
    async approve(actor) {
      const id = await pendingApplication(`approve-${actor}@table.example.kz`);
      const before = await counts();
      const response = await postForm(server.url, approvePath(id), { application: String(id), town: 'new' }, { cookie: cookieOf(actor) });
      if ((await applicationStatus(id)) === 'approved') {
        expect(response.status).toBe(200);
        expect((await mailTo(server.databaseUrl, `approve-${actor}@table.example.kz`)).at(-1)!.subject).toBe('Your invitation to the Association of Towns of Kazakhstan');
        return 'allowed';
      }
      expectRefusal(actor, response, `${actor} approves`);
      expect(await applicationStatus(id)).toBe('pending');
      expect(await counts()).toEqual(before);
      return 'forbidden';
    },
    async 'invite colleague'(actor) {
      const email = `invited-by-${actor}@table.example.kz`;
      const before = await counts();
      const response = await postForm(server.url, INVITE, { name: 'Invited', email }, { cookie: cookieOf(actor) });
      const tokens = await readRows(server.databaseUrl, sql`SELECT data FROM tokens WHERE email = ${email} AND purpose = 'invitation'`);
      if (tokens.length > 0) {
        expect(response.status).toBe(200);
        expect(await mailTo(server.databaseUrl, email)).toHaveLength(1);
        return 'allowed';
      }
      expectRefusal(actor, response, `${actor} invites`);
      expect(await counts()).toEqual(before);
      return 'forbidden';
    },
    async 'remove colleague'(actor) {
      const { id } = await temirtauColleague(`removable-${actor}@table.example.kz`, `Removable ${actor}`);
      const response = await postForm(server.url, REMOVE, { user: id }, { cookie: cookieOf(actor) });
      const [row] = await readRows(server.databaseUrl, sql<{ disabled_at: number | null }>`SELECT disabled_at FROM users WHERE id = ${id}`);
      if (row!.disabled_at !== null) {
        expect(response.status).toBe(200);
        expect(await canSignIn(`removable-${actor}@table.example.kz`, NEW_PASSWORD)).toBe(false);
        return 'allowed';
      }
      expectRefusal(actor, response, `${actor} removes`);
      expect(await canSignIn(`removable-${actor}@table.example.kz`, NEW_PASSWORD)).toBe(true);
      return 'forbidden';
    },
  };

  it('anonymous, member, town_admin, editor and admin × queue, approve, invite, remove', async () => {
    const actual = {} as Record<Actor, Record<Act, Outcome>>;
    for (const actor of ACTORS) {
      actual[actor] = {} as Record<Act, Outcome>;
      for (const [act, run] of Object.entries(ACTS) as [Act, (actor: Actor) => Promise<Outcome>][]) {
        actual[actor][act] = await run(actor);
      }
    }
    expect(actual).toEqual(EXPECTED);
  }, 90_000);
});

describe('a removed colleague', () => {
  it('cannot be removed a second time (403)', async () => {
    const { id } = await temirtauColleague('gone@temirtau.example.kz', 'Gone Soon');
    expect((await postForm(server.url, REMOVE, { user: id }, { cookie: townAdmin })).status).toBe(200);
    const again = await postForm(server.url, REMOVE, { user: id }, { cookie: townAdmin });
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('You cannot remove this account.');
  });
});
