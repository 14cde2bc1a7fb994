import type { Kysely } from 'kysely';
import { insertUser } from '~/server/accounts/users.ts';
import type { Database } from '~/server/db/schema.ts';
import { acceptResponse, addResponse } from '~/server/exchange/responses.ts';
import { changeRequestStatus, createRequest } from '~/server/exchange/requests.ts';
import { setWatchedTopics } from '~/server/exchange/watches.ts';

/** Extra demo members of other towns, so the exchange has people to match (same demo password). */
export const EXCHANGE_DEMO_MEMBERS = [
  { email: 'satpayev@example.org', displayName: 'Askar Zhaksylykov', townSlug: 'satpayev', language: 'kk' as const },
  { email: 'zhanaozen@example.org', displayName: 'Aigul Nurmagambetova', townSlug: 'zhanaozen', language: 'kk' as const },
];

const DAY = 24 * 60 * 60;

/**
 * Demo content for the expertise exchange. Runs after the accounts exist, outside
 * the seed's transaction, because the exchange's writers open their own.
 *
 * It holds profiles with expertise, topic watches,
 * and requests in every state, grounded in the monotowns' real problems.
 */
export async function seedExchange(db: Kysely<Database>, now: number): Promise<void> {
  const users = await db.selectFrom('users').select(['id', 'email', 'password_hash']).execute();
  const towns = await db.selectFrom('towns').select(['id', 'slug']).execute();
  const town = (slug: string) => towns.find((row) => row.slug === slug)!.id;
  const passwordHash = users.find((row) => row.email === 'ridder@example.org')!.password_hash;
  // Other capabilities' demo data may have created the same people already.
  for (const member of EXCHANGE_DEMO_MEMBERS.filter((candidate) => !users.some((row) => row.email === candidate.email))) {
    await insertUser(db, { email: member.email, passwordHash, displayName: member.displayName, role: 'member', townId: town(member.townSlug), language: member.language }, now);
  }
  const id = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
  const gulnara = await id('temirtau-admin@example.org');
  const yerlan = await id('temirtau@example.org');
  const irina = await id('ridder@example.org');
  const askar = await id('satpayev@example.org');
  const aigul = await id('zhanaozen@example.org');

  const profiles: Array<[string, { position: string; languages: string[]; topics: string[]; contactable: boolean; keywords: string }]> = [
    [irina, { position: 'Head of housing and utilities department', languages: ['ru', 'kk'], topics: ['utilities-housing', 'municipal-finance'], contactable: true, keywords: 'district heating, tariffs, public-private partnership' }],
    [yerlan, { position: 'Environmental specialist', languages: ['kk', 'ru'], topics: ['environment-health', 'indicators-data'], contactable: true, keywords: 'air quality monitoring, open data' }],
    [gulnara, { position: 'Deputy akim', languages: ['ru', 'kk', 'en'], topics: ['planning-governance', 'public-participation'], contactable: true, keywords: 'strategic planning, resident surveys' }],
    [askar, { position: 'Head of entrepreneurship department', languages: ['kk', 'ru', 'en'], topics: ['economic-diversification', 'sme-support', 'municipal-finance'], contactable: true, keywords: 'SME incubators, tourism, Damu programmes' }],
    [aigul, { position: 'Youth policy officer', languages: ['kk', 'ru'], topics: ['youth-skills', 'public-participation'], contactable: false, keywords: 'youth centres, college partnerships' }],
  ];
  for (const [userId, profile] of profiles) {
    await db
      .updateTable('users')
      .set({
        position: profile.position,
        languages_spoken: JSON.stringify(profile.languages),
        expertise_topics: JSON.stringify(profile.topics),
        expertise_keywords: profile.keywords,
        contactable: profile.contactable ? 1 : 0,
      })
      .where('id', '=', userId)
      .execute();
  }
  await setWatchedTopics(db, irina, ['utilities-housing', 'municipal-finance']);
  await setWatchedTopics(db, askar, ['economic-diversification', 'sme-support']);

  const heating = await createRequest(db, {
    townId: town('temirtau'),
    authorId: gulnara,
    publish: true,
    input: {
      title: 'Как поэтапно обновить изношенные тепловые сети и найти финансирование',
      body: [
        'Около 70 % магистральных тепловых сетей Темиртау построены в 1960–1970-х годах. Каждую зиму мы латаем аварийные участки, а потери тепла по оценкам превышают 25 %.',
        '',
        'Нам нужен опыт города, который уже прошёл этот путь:',
        '',
        '- как выбрать участки для замены в первую очередь;',
        '- как сочетать бюджетную программу «Нұрлы жер», средства теплоснабжающей организации и тариф;',
        '- как объяснить жителям повышение тарифа.',
        '',
        'Готовы приехать с учебным визитом весной.',
      ].join('\n'),
      helpForms: ['advice', 'study_visit'],
      topics: ['utilities-housing', 'municipal-finance'],
      languages: ['ru', 'kk'],
      urgency: 'high',
      deadline: null,
    },
  }, now - 20 * DAY);
  const heatingAnswer = await addResponse(db, {
    requestId: heating,
    authorId: irina,
    townId: town('ridder'),
    body: [
      'В Риддере в 2019–2023 годах мы заменили 38 км тепловых сетей. Что сработало:',
      '',
      '1. **Тепловизионная съёмка** зимой до начала планирования — она показала, где потери действительно большие.',
      '2. Инвестиционная программа в тарифе, утверждённая на пять лет: жители видели, за что платят.',
      '3. Открытые встречи в каждом микрорайоне перед летними работами.',
      '',
      'Приглашаем на учебный визит — покажем участки и документы.',
    ].join('\n'),
    links: ['https://www.gov.kz/memleket/entities/vko-ridder'],
  }, now - 18 * DAY);
  await acceptResponse(db, { requestId: heating, responseId: heatingAnswer, actorId: gulnara }, now - 16 * DAY);

  const youth = await createRequest(db, {
    townId: town('zhanaozen'),
    authorId: aigul,
    publish: true,
    input: {
      title: 'Колледжден кейін жастарды қалада қалай ұстап қалуға болады?',
      body: [
        'Жаңаөзендегі колледж түлектерінің жартысына жуығы оқуды бітірген соң Ақтауға немесе Атырауға көшіп кетеді.',
        '',
        'Бізге кәсіпорындармен бірге **дуальды оқыту** мен алғашқы жұмыс орнын ұйымдастырған қалалардың тәжірибесі керек. Қоңырау немесе онлайн семинар ыңғайлы.',
      ].join('\n'),
      helpForms: ['call', 'workshop'],
      topics: ['youth-skills', 'migration-demography'],
      languages: ['kk', 'ru'],
      urgency: 'normal',
      deadline: null,
    },
  }, now - 9 * DAY);
  await addResponse(db, {
    requestId: youth,
    authorId: yerlan,
    townId: town('temirtau'),
    body: 'Теміртауда металлургия комбинатымен бірге жыл сайын 120 студентке өндірістік практика ұйымдастырамыз. Келісімшарт үлгісін бөлісе аламын.',
    links: [],
  }, now - 7 * DAY);

  const diversification = await createRequest(db, {
    townId: town('satpayev'),
    authorId: askar,
    publish: true,
    input: {
      title: 'Finding a second economic base beyond copper mining',
      body: [
        'Satpayev depends on one copper producer for most jobs and taxes. We want to test **two or three small diversification projects** within two years.',
        '',
        'What we ask: which projects worked in other monotowns, how the akimat supported the first entrepreneurs, and what we should avoid.',
      ].join('\n'),
      helpForms: ['advice', 'call'],
      topics: ['economic-diversification', 'sme-support'],
      languages: ['ru', 'en'],
      urgency: 'normal',
      deadline: null,
    },
  }, now - 40 * DAY);
  const diversificationAnswer = await addResponse(db, {
    requestId: diversification,
    authorId: irina,
    townId: town('ridder'),
    body: 'Ridder started with mountain tourism around the Ivanovsky ridge: small guest houses and a ski slope, supported by Damu loan guarantees. The first three entrepreneurs got mentoring from the akimat for a year. Happy to talk by phone.',
    links: [],
  }, now - 38 * DAY);
  await acceptResponse(db, { requestId: diversification, responseId: diversificationAnswer, actorId: askar }, now - 35 * DAY);
  await changeRequestStatus(db, diversification, {
    actorId: askar,
    status: 'resolved',
    outcome: 'After a call with Ridder we chose two pilots: guest houses near Lake Kengir and a repair-services cluster for the mine. Three entrepreneurs applied for Damu guarantees.',
  }, now - 10 * DAY);

  await createRequest(db, {
    townId: town('temirtau'),
    authorId: gulnara,
    publish: false,
    input: {
      title: 'Draft: an air-quality dashboard residents can trust',
      body: 'We want to publish hourly readings from the two monitoring posts on the town website, with plain explanations. Drafting the request before we publish it.',
      helpForms: ['advice'],
      topics: ['environment-health', 'indicators-data'],
      languages: ['ru'],
      urgency: 'low',
      deadline: null,
    },
  }, now - 2 * DAY);
}
