import type { Kysely } from 'kysely';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database, DialogueKind, DialogueStatus } from '~/server/db/schema.ts';
import { syncTopicSearch } from '~/server/dialogue/search.ts';

/** The demo partners' accounts (password: the demo password; README.md lists them). */
export const PARTNER_DEMO_ACCOUNTS = [
  { email: 'partner-steel@example.org', displayName: 'Marat Ospanov', language: 'ru' as const, partner: 'steel' },
  { email: 'partner-agency@example.org', displayName: 'Dana Kemelbekova', language: 'en' as const, partner: 'agency' },
];

const DAY = 24 * 60 * 60;
const AGREED_OUTCOME = 'Ассоциация включила три предложения городов в письмо министерству: снизить требования к опыту для местных поставщиков, разрешить малые лоты и публиковать план закупок градообразующих предприятий.';

/**
 * Demo data of the dialogue space: two approved partners (the town-forming steel works of
 * Temirtau and a regional development agency), an account each, and three topics in
 * different states: one under discussion (public), an offer for members only, and one
 * agreed with its outcome. Runs after the accounts exist, outside the seed's transaction.
 */
export async function seedDialogue(db: Kysely<Database>, now: number): Promise<void> {
  const users = await db.selectFrom('users').select(['id', 'email', 'password_hash']).execute();
  const user = (email: string) => users.find((row) => row.email === email)?.id;
  const editor = user('editor@example.org');
  const townAdmin = user('temirtau-admin@example.org');
  const ridder = user('ridder@example.org');
  const passwordHash = users.find((row) => row.email === 'ridder@example.org')?.password_hash;
  if (!editor || !townAdmin || !ridder || !passwordHash) return;
  const towns = await db.selectFrom('towns').select(['id', 'slug']).execute();
  const town = (slug: string) => towns.find((row) => row.slug === slug)?.id;
  const temirtau = town('temirtau');
  const ridderTown = town('ridder');
  if (temirtau === undefined || ridderTown === undefined) return;

  const partner = async (values: { name: string; kind: 'company' | 'development_agency'; registration: string; sector: string; regions: string[]; contact: string; email: string; language: 'ru' | 'en'; motivation: string }) =>
    (
      await db
        .insertInto('partners')
        .values({
          name: values.name,
          kind: values.kind,
          registration_number: values.registration,
          sector: values.sector,
          regions: JSON.stringify(values.regions),
          contact_name: values.contact,
          email: values.email,
          phone: '+7 721 000 00 00',
          motivation: values.motivation,
          language: values.language,
          status: 'approved',
          decision_reason: null,
          decided_by: editor,
          decided_at: now - 20 * DAY,
          created_at: now - 25 * DAY,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const steel = await partner({
    name: 'Temirtau Steel Works',
    kind: 'company',
    registration: '950340000123',
    sector: 'Metallurgy',
    regions: ['karaganda'],
    contact: 'Marat Ospanov',
    email: 'partner-steel@example.org',
    language: 'ru',
    motivation: 'The plant is the town-forming enterprise of Temirtau and wants to plan the town’s heat supply and suppliers together with the akimat.',
  });
  const agency = await partner({
    name: 'Saryarka Regional Development Agency',
    kind: 'development_agency',
    registration: '180940000456',
    sector: 'Regional development',
    regions: ['karaganda', 'east-kazakhstan', 'ulytau'],
    contact: 'Dana Kemelbekova',
    email: 'partner-agency@example.org',
    language: 'en',
    motivation: 'We fund small firms and training in single-industry towns and want to hear from the towns which programmes they need.',
  });
  const partnerIds = { steel, agency };
  const accounts: Record<string, string> = {};
  for (const account of PARTNER_DEMO_ACCOUNTS) {
    accounts[account.partner] =
      user(account.email) ??
      (await insertUser(db, { email: account.email, passwordHash, displayName: account.displayName, role: 'partner', townId: null, partnerId: partnerIds[account.partner as keyof typeof partnerIds], language: account.language }, now - 19 * DAY));
  }

  const topic = async (values: {
    title: string; body: string; kind: DialogueKind; language: 'kk' | 'ru' | 'en'; topics: string[]; regions: string[]; author: string;
    townId: number | null; partnerId: number | null; status: DialogueStatus; outcome: string | null; public: boolean; openedDaysAgo: number;
    towns: number[]; partners: number[];
    posts: Array<{ author: string; body: string; daysAgo: number }>;
    events: Array<{ actor: string; kind: string; params?: Record<string, string>; daysAgo: number }>;
  }) => {
    const opened = now - values.openedDaysAgo * DAY;
    const lastActivity = Math.max(opened, ...values.posts.map((post) => now - post.daysAgo * DAY), ...values.events.map((event) => now - event.daysAgo * DAY));
    const id = (
      await db
        .insertInto('dialogue_topics')
        .values({
          title: values.title, body: values.body, kind: values.kind, language: values.language, topics: JSON.stringify(values.topics), regions: JSON.stringify(values.regions),
          author_id: values.author, town_id: values.townId, partner_id: values.partnerId, status: values.status, outcome: values.outcome, public: values.public ? 1 : 0,
          approved_at: opened, created_at: opened, updated_at: lastActivity,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    for (const townId of values.towns) await db.insertInto('dialogue_topic_towns').values({ topic_id: id, town_id: townId }).execute();
    for (const partnerId of values.partners) await db.insertInto('dialogue_topic_partners').values({ topic_id: id, partner_id: partnerId }).execute();
    await db.insertInto('dialogue_events').values({ topic_id: id, actor_id: values.author, kind: 'opened', params: '{}', created_at: opened }).execute();
    for (const event of values.events) await db.insertInto('dialogue_events').values({ topic_id: id, actor_id: event.actor, kind: event.kind, params: JSON.stringify(event.params ?? {}), created_at: now - event.daysAgo * DAY }).execute();
    for (const post of values.posts) {
      await db.insertInto('dialogue_posts').values({ topic_id: id, author_id: post.author, body: post.body, created_at: now - post.daysAgo * DAY, hidden_at: null, hidden_by: null, hidden_rule: null, hidden_reason: null }).execute();
    }
    for (const follower of new Set([values.author, ...values.posts.map((post) => post.author)])) await db.insertInto('dialogue_follows').values({ topic_id: id, user_id: follower }).execute();
    await syncTopicSearch(db, await db.selectFrom('dialogue_topics').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  };

  await topic({
    title: 'Совместное обновление тепловых сетей Темиртау',
    body: 'Износ магистральных тепловых сетей Темиртау превышает 70 %. Акимат предлагает комбинату совместно профинансировать замену двух магистралей в 2027–2028 годах: комбинат поставляет тепло, город отвечает за сети.\n\n**Что предлагаем обсудить:**\n\n- долю комбината и городского бюджета;\n- график работ вне отопительного сезона;\n- как отчитываться перед жителями.',
    kind: 'proposal', language: 'ru', topics: ['utilities-housing'], regions: ['karaganda'], author: townAdmin, townId: temirtau, partnerId: null,
    status: 'under_discussion', outcome: null, public: true, openedDaysAgo: 12, towns: [], partners: [steel],
    posts: [
      { author: accounts.steel!, body: 'Комбинат готов обсуждать софинансирование первой магистрали. Предлагаем рабочую встречу с отделом ЖКХ в следующем месяце.', daysAgo: 9 },
      { author: editor, body: 'Ассоциация может пригласить Риддер: там похожий проект уже прошёл экспертизу. Это поможет с графиком работ.', daysAgo: 7 },
    ],
    events: [{ actor: townAdmin, kind: 'status_changed', params: { status: 'under_discussion' }, daysAgo: 8 }],
  });
  await topic({
    title: 'Grants for local suppliers in single-industry towns',
    body: 'The agency will fund up to 20 small firms that want to become suppliers to the town-forming enterprises of Karaganda and East Kazakhstan regions. We would like the towns to tell us which services they lack most, so that the call for proposals fits them.',
    kind: 'offer', language: 'en', topics: ['sme-support', 'economic-diversification'], regions: ['karaganda', 'east-kazakhstan'], author: accounts.agency!, townId: null, partnerId: agency,
    status: 'open', outcome: null, public: false, openedDaysAgo: 6, towns: [temirtau, ridderTown], partners: [],
    posts: [{ author: ridder, body: 'Ridder lacks repair services for mining equipment: firms from Ust-Kamenogorsk do this work now. We would be glad to take part.', daysAgo: 3 }],
    events: [{ actor: editor, kind: 'approved', daysAgo: 6 }],
  });
  await topic({
    title: 'Какие правила мешают закупать у местного малого бизнеса?',
    body: 'Ассоциация готовит предложения в Министерство национальной экономики. Расскажите, какие требования закупок не дают городу и градообразующему предприятию покупать у местных фирм.',
    kind: 'question', language: 'ru', topics: ['sme-support'], regions: [], author: editor, townId: null, partnerId: null,
    status: 'agreed', outcome: AGREED_OUTCOME, public: true, openedDaysAgo: 30, towns: [temirtau, ridderTown], partners: [steel],
    posts: [
      { author: townAdmin, body: 'Требование о трёх годах опыта отсекает почти все новые фирмы города.', daysAgo: 27 },
      { author: accounts.steel!, body: 'Комбинат готов публиковать план закупок на год вперёд.', daysAgo: 25 },
    ],
    events: [{ actor: editor, kind: 'status_changed', params: { status: 'agreed', outcome: AGREED_OUTCOME }, daysAgo: 20 }],
  });
}
