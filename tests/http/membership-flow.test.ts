import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cookieFrom, postForm, signIn } from '../helpers/http.ts';
import { lastMailTo, linkIn, mailTo, tokenOf, userIdOf } from '../helpers/outbox.ts';
import { readRows } from '../helpers/server-database.ts';
import { DEMO_PASSWORD, useServer } from '../helpers/server.ts';
import { isSignedIn, request, setsSession, SIGN_IN } from './support.ts';

/**
 * A town's whole way into the association through the real server: it applies, an
 * editor approves, the contact accepts the invitation and becomes the town's
 * administrator, invites a colleague, and later removes them. And a rejection.
 */
const server = useServer();

const APPLY_RU = '/ru/membership/apply/?_action=membership.apply';
const TOWN = 'Жанатас';
const CONTACT = 'Марат Оспанов';
const CONTACT_EMAIL = 'akimat@zhanatas.example.kz';
const COLLEAGUE = 'Айгерим Сейтова';
const COLLEAGUE_EMAIL = 'a.seitova@zhanatas.example.kz';
const ADMIN_PASSWORD = 'phosphate hills at first light';
const COLLEAGUE_PASSWORD = 'karatau ridge in the spring';

const APPLICATION = {
  townName: TOWN,
  region: 'zhambyl',
  population: '21000',
  mainIndustry: 'Добыча фосфоритов',
  contactName: CONTACT,
  email: CONTACT_EMAIL,
  phone: '+7 (72634) 6-12-34',
  motivation: 'Хотим перенимать опыт других моногородов и делиться своим.',
};

/** The text of the first element with this class in a page. */
function textOfClass(html: string, className: string): string | undefined {
  return html.match(new RegExp(`class="${className}"[^>]*>([^<]*)<`))?.[1]?.trim();
}

/** The id of the queue entry (link to the application page) for a town name. */
function applicationIdIn(html: string, lang: string, townName: string): number {
  const match = html.match(new RegExp(`href="/${lang}/editor/applications/(\\d+)/"[^>]*>${townName}</a>`));
  expect(match, `no queue entry for ${townName}`).not.toBeNull();
  return Number(match![1]);
}

/** Whether an email and password sign in through the real form. */
async function canSignIn(email: string, password: string): Promise<boolean> {
  const response = await postForm(server.url, SIGN_IN, { email, password });
  return response.status === 303 && setsSession(response);
}

describe('a town joins the association', () => {
  it('applies in Russian, is approved, its contact becomes town admin, invites a colleague and later removes them', async () => {
    // 1. The town applies, in Russian.
    const applied = await postForm(server.url, APPLY_RU, APPLICATION);
    expect(applied.status).toBe(200);
    const appliedBody = await applied.text();
    expect(appliedBody).toContain('Спасибо. Ваша заявка получена');
    expect(appliedBody).not.toContain('name="townName"');

    // 2. The confirmation email, in Russian.
    const confirmation = await lastMailTo(server.databaseUrl, CONTACT_EMAIL);
    expect(confirmation).toMatchObject({ subject: 'Мы получили вашу заявку', language: 'ru' });
    expect(confirmation.text_body).toContain(`Здравствуйте, ${CONTACT}!`);
    expect(confirmation.text_body).toContain(`заявку города ${TOWN}`);

    // 3. An editor finds it in the queue and opens it.
    const editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    const queue = await request(server.url, '/ru/editor/applications/', { cookie: editor });
    expect(queue.status).toBe(200);
    const queueBody = await queue.text();
    const id = applicationIdIn(queueBody, 'ru', TOWN);
    expect(queueBody).toContain(CONTACT);

    const page = await request(server.url, `/ru/editor/applications/${id}/`, { cookie: editor });
    expect(page.status).toBe(200);
    const pageBody = await page.text();
    for (const text of [`Заявка города ${TOWN}`, CONTACT_EMAIL, APPLICATION.motivation, 'Жамбылская область', 'Создать новый город по заявке']) expect(pageBody).toContain(text);
    expect(pageBody).toContain(`action="/ru/editor/applications/${id}/?_action=membership.approve"`);

    // 4. … and approves it with a new town.
    const approved = await postForm(server.url, `/ru/editor/applications/${id}/?_action=membership.approve`, { application: String(id), town: 'new' }, { cookie: editor });
    expect(approved.status).toBe(200);
    const approvedBody = await approved.text();
    expect(approvedBody).toContain('Заявка одобрена, контактному лицу отправлено приглашение.');
    expect(approvedBody).not.toContain('?_action=membership.approve');
    const [town] = await readRows(server.databaseUrl, sql<{ id: number; name_ru: string; region: string; population: number }>`SELECT towns.id, name_ru, towns.region, towns.population FROM towns JOIN membership_applications a ON a.town_id = towns.id WHERE a.id = ${id} AND a.status = 'approved'`);
    expect(town).toMatchObject({ name_ru: TOWN, region: 'zhambyl', population: 21000 });

    // 5. The invitation email, in Russian, with a link.
    const invitation = await lastMailTo(server.databaseUrl, CONTACT_EMAIL);
    expect(invitation).toMatchObject({ subject: 'Приглашение в Ассоциацию городов Казахстана', language: 'ru' });
    expect(invitation.text_body).toContain(`от города ${TOWN}`);
    const link = linkIn(invitation, server.url);
    expect(link).toMatch(/^\/ru\/invitation\/\?token=[A-Za-z0-9_-]{43}$/);

    // 6. The link opens the form, with the email and the invited name.
    const form = await request(server.url, link);
    expect(form.status).toBe(200);
    const formBody = await form.text();
    expect(formBody).toContain(`name="token" value="${tokenOf(link)}"`);
    expect(formBody).toContain(CONTACT_EMAIL);
    expect(formBody).toMatch(new RegExp(`name="displayName"[^>]*value="${CONTACT}"|value="${CONTACT}"[^>]*name="displayName"`));

    // 7. Accepting creates the account and signs in.
    const accepted = await postForm(server.url, '/ru/invitation/?_action=membership.acceptInvitation', {
      token: tokenOf(link),
      displayName: CONTACT,
      password: ADMIN_PASSWORD,
      confirm: ADMIN_PASSWORD,
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/ru/account/');
    const townAdmin = cookieFrom(accepted, 'qala_session')!;
    expect(townAdmin).toBeDefined();

    // 8. The user menu names the new administrator and the new town.
    const account = await request(server.url, '/ru/account/', { cookie: townAdmin });
    expect(account.status).toBe(200);
    const accountBody = await account.text();
    expect(textOfClass(accountBody, 'user-menu__name')).toBe(CONTACT);
    expect(textOfClass(accountBody, 'user-menu__town')).toBe(TOWN);
    expect(accountBody).toContain('Администратор города');

    // 9. The new town admin invites a colleague.
    const colleagues = await request(server.url, '/ru/account/colleagues/', { cookie: townAdmin });
    expect(colleagues.status).toBe(200);
    expect(await colleagues.text()).toContain(`Коллеги из города ${TOWN}`);
    const invited = await postForm(server.url, '/ru/account/colleagues/?_action=membership.inviteColleague', { name: COLLEAGUE, email: COLLEAGUE_EMAIL }, { cookie: townAdmin });
    expect(invited.status).toBe(200);
    expect(await invited.text()).toContain(`Приглашение отправлено на ${COLLEAGUE_EMAIL}.`);

    // 10. The colleague's invitation email, and accepting it.
    const colleagueMail = await lastMailTo(server.databaseUrl, COLLEAGUE_EMAIL);
    expect(colleagueMail).toMatchObject({ subject: 'Приглашение в Ассоциацию городов Казахстана', language: 'ru' });
    expect(colleagueMail.text_body).toContain(`Здравствуйте, ${COLLEAGUE}!`);
    const colleagueLink = linkIn(colleagueMail, server.url);
    expect(colleagueLink).toMatch(/^\/ru\/invitation\/\?token=/);
    expect((await request(server.url, colleagueLink)).status).toBe(200);
    const colleagueAccepted = await postForm(server.url, '/ru/invitation/?_action=membership.acceptInvitation', {
      token: tokenOf(colleagueLink),
      displayName: COLLEAGUE,
      password: COLLEAGUE_PASSWORD,
      confirm: COLLEAGUE_PASSWORD,
    });
    expect(colleagueAccepted.status).toBe(303);
    expect(colleagueAccepted.headers.get('location')).toBe('/ru/account/');
    const colleague = cookieFrom(colleagueAccepted, 'qala_session')!;
    expect(colleague).toBeDefined();

    // 11. The colleague is signed in as a member of the same town.
    const colleagueAccount = await request(server.url, '/ru/account/', { cookie: colleague });
    expect(colleagueAccount.status).toBe(200);
    const colleagueBody = await colleagueAccount.text();
    expect(textOfClass(colleagueBody, 'user-menu__name')).toBe(COLLEAGUE);
    expect(textOfClass(colleagueBody, 'user-menu__town')).toBe(TOWN);
    expect(colleagueBody).toContain('Участник');
    const colleagueId = await userIdOf(server.databaseUrl, COLLEAGUE_EMAIL);
    expect(await readRows(server.databaseUrl, sql`SELECT role, town_id FROM users WHERE id = ${colleagueId}`)).toEqual([{ role: 'member', town_id: town!.id }]);
    expect(await canSignIn(COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD)).toBe(true);

    // 12. The town admin sees the colleague, with a remove button (none for themselves), and removes them.
    const list = await (await request(server.url, '/ru/account/colleagues/', { cookie: townAdmin })).text();
    expect(list).toContain(COLLEAGUE);
    expect(list).toContain(`name="user" value="${colleagueId}"`);
    expect(list).not.toContain(`name="user" value="${await userIdOf(server.databaseUrl, CONTACT_EMAIL)}"`);
    const removed = await postForm(server.url, '/ru/account/colleagues/?_action=membership.removeColleague', { user: colleagueId }, { cookie: townAdmin });
    expect(removed.status).toBe(200);
    const removedBody = await removed.text();
    expect(removedBody).toContain('Учётная запись удалена из города, сеансы завершены.');
    expect(removedBody).not.toContain(COLLEAGUE_EMAIL);

    // 13. The colleague's session is over, and they cannot sign in again.
    expect(await isSignedIn(server.url, colleague)).toBe(false);
    expect(await canSignIn(COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD)).toBe(false);
    // The town admin is unaffected.
    expect(await isSignedIn(server.url, townAdmin)).toBe(true);
    expect(await canSignIn(CONTACT_EMAIL, ADMIN_PASSWORD)).toBe(true);

    // The queue no longer lists the application as waiting; it is under "approved".
    expect(await (await request(server.url, '/ru/editor/applications/', { cookie: editor })).text()).not.toContain(`>${TOWN}</a>`);
    expect(await (await request(server.url, '/ru/editor/applications/?status=approved', { cookie: editor })).text()).toContain(`>${TOWN}</a>`);
  });
});

describe('a rejected application', () => {
  it('tells the applicant the reason by email, and the application shows as rejected with no decision forms', async () => {
    const email = 'mayor@shakhtinsk.example.kz';
    const applied = await postForm(server.url, '/en/membership/apply/?_action=membership.apply', {
      ...APPLICATION,
      townName: 'Shakhtinsk',
      region: 'karaganda',
      contactName: 'Olga Petrova',
      email,
      motivation: 'We would like to join the association of towns.',
    });
    expect(applied.status).toBe(200);
    expect(await applied.text()).toContain('Thank you. Your application has been received');
    expect(await mailTo(server.databaseUrl, email)).toHaveLength(1);

    const editor = await signIn(server.url, 'editor@example.org', DEMO_PASSWORD);
    const id = applicationIdIn(await (await request(server.url, '/en/editor/applications/', { cookie: editor })).text(), 'en', 'Shakhtinsk');
    const reason = 'Shakhtinsk is already represented through the Karaganda towns group.';
    const rejected = await postForm(server.url, `/en/editor/applications/${id}/?_action=membership.reject`, { application: String(id), reason }, { cookie: editor });
    expect(rejected.status).toBe(200);
    const body = await rejected.text();
    expect(body).toContain('The application has been rejected and the applicant has been told why.');
    expect(body).toContain(`Rejected: ${reason}`);
    expect(body).not.toContain('?_action=membership.approve');
    expect(body).not.toContain('?_action=membership.reject');

    const mail = await mailTo(server.databaseUrl, email);
    expect(mail).toHaveLength(2);
    expect(mail[1]).toMatchObject({ subject: 'Your application to the association', language: 'en' });
    expect(mail[1]!.text_body).toContain(reason);
    expect(mail[1]!.text_body).toContain('Hello Olga Petrova,');
    expect(mail[1]!.text_body).not.toMatch(/https?:\/\//);
    expect(await readRows(server.databaseUrl, sql`SELECT status, decision_reason, town_id FROM membership_applications WHERE id = ${id}`)).toEqual([
      { status: 'rejected', decision_reason: reason, town_id: null },
    ]);
    expect(await readRows(server.databaseUrl, sql`SELECT * FROM tokens WHERE email = ${email} AND purpose = 'invitation'`)).toEqual([]);
  });
});
