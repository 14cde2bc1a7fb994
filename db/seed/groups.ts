/*
 * (Over 300 lines because it is demo content — the threads' texts in three languages —
 * not logic.)
 *
 * Demo working groups for the monotowns: five groups (one by approval, one private),
 * their members and leads, threads with replies in Kazakh, Russian and English, a
 * meeting and pinned resources. The problems discussed are the real ones of the
 * source presentation (Junussova & Beimisheva, citing OECD 2017): worn utility
 * networks after privatisation, dependence on one enterprise, young people leaving,
 * air pollution, and towns that must plan without budget or experts. Figures quoted
 * in posts come from that presentation; people and posts are invented.
 */
import type { Kysely } from 'kysely';
import { insertUser } from '~/server/accounts/users.ts';
import { hashPassword } from '~/server/auth/password.ts';
import type { Language } from '~/i18n/index.ts';
import type { Database, GroupRhythm, GroupType, GroupVisibility } from '~/server/db/schema.ts';
import { zonedToUtcSeconds } from '~/server/groups/meetings.ts';
import { DEMO_PASSWORD } from './accounts.ts';

type Localized = Record<Language, string>;

/** Demo members from other towns, so groups have several member towns. Password: the demo password. */
export const GROUP_DEMO_ACCOUNTS = [
  { email: 'aksu@example.org', displayName: 'Askar Zhumabayev', townSlug: 'aksu', language: 'ru' },
  { email: 'rudny@example.org', displayName: 'Dana Kuanysheva', townSlug: 'rudny', language: 'kk' },
  { email: 'ekibastuz@example.org', displayName: 'Marat Iskakov', townSlug: 'ekibastuz', language: 'ru' },
  { email: 'zhanaozen@example.org', displayName: 'Aizhan Tasbolatova', townSlug: 'zhanaozen', language: 'kk' },
] as const;

interface SeedPost {
  by: string;
  /** Days before the seed time. */
  daysAgo: number;
  body: string;
}

interface SeedThread extends SeedPost {
  title: string;
  pinned?: boolean;
  replies: SeedPost[];
}

interface SeedGroup {
  slug: string;
  name: Localized;
  purpose: Localized;
  topics: string[];
  type: GroupType;
  visibility: GroupVisibility;
  rhythm: GroupRhythm;
  descriptionPublic: boolean;
  leads: string[];
  members: string[];
  resources: Array<{ kind: 'item'; target: string } | { kind: 'link'; target: string; title: string }>;
  threads: SeedThread[];
  meeting?: { inDays: number; time: string; title: string; place: string | null; link: string | null; agenda: string };
  requests?: Array<{ by: string; note: string }>;
}

const GROUPS: SeedGroup[] = [
  {
    slug: 'utilities-renewal',
    name: { kk: 'Коммуналдық желілерді жаңарту', ru: 'Обновление коммунальных сетей', en: 'Utilities renewal' },
    purpose: {
      kk: 'Жекешелендіруден кейін тозған жылу, су және тұрғын үй желілерін кезең-кезеңімен жаңарту: апаттар туралы деректер, басымдықтар, қаржыландыру және мердігерлермен жұмыс.',
      ru: 'Поэтапное обновление изношенных после приватизации сетей тепла, воды и жилья: данные об авариях, приоритеты, финансирование и работа с подрядчиками.',
      en: 'Renewing heating, water and housing networks worn out since privatisation, in phases: failure data, priorities, funding and working with contractors.',
    },
    topics: ['utilities-housing', 'municipal-finance', 'planning-governance'],
    type: 'committee',
    visibility: 'open',
    rhythm: 'monthly',
    descriptionPublic: true,
    leads: ['temirtau-admin@example.org'],
    members: ['ridder@example.org', 'temirtau@example.org', 'ekibastuz@example.org', 'rudny@example.org'],
    resources: [
      { kind: 'item', target: 'cases/ridder-heat-network' },
      { kind: 'item', target: 'resources/planning-without-experts' },
    ],
    meeting: {
      inDays: 9,
      time: '15:00',
      title: 'Итоги отопительного сезона и план летних ремонтов',
      place: 'Акимат Темиртау, кабинет 214',
      link: 'https://meet.example.org/utilities-renewal',
      agenda: '1. Аварии прошлой зимы по городам: что показывают журналы порывов (по 5 минут на город)\n2. Риддер: как выстроили очередь замены участков на пять сезонов\n3. Общий список подрядчиков и цен\n4. Следующие шаги: кто готовит общее письмо в областные акиматы',
    },
    threads: [
      {
        by: 'temirtau-admin@example.org',
        daysAgo: 20,
        pinned: true,
        title: 'Как вы выбираете, какие участки теплосети менять первыми?',
        body: 'Коллеги, в Темиртау износ магистральных теплосетей по нашим оценкам больше 70%, а денег хватает на 3–4 км в год. Сейчас решаем «по жалобам», и это плохо работает.\n\nКак у вас устроен выбор участков? Ведёте ли вы журнал порывов, и кто его заполняет — город или теплоснабжающая компания?',
        replies: [
          {
            by: 'ridder@example.org',
            daysAgo: 19,
            body: 'В Риддере мы три года подряд сводили журнал порывов по каждому участку (дата, длина, время без тепла). Потом ранжировали участки по числу порывов на километр и по тому, сколько жителей сидит без тепла.\n\n**Главное:** журнал ведёт диспетчер теплосети, а город раз в месяц его забирает. Подробно — в кейсе, я закрепила его в группе.',
          },
          {
            by: 'ekibastuz@example.org',
            daysAgo: 17,
            body: 'Поддерживаю. Мы добавили ещё один столбец — есть ли на участке школа или больница. Такие участки идут вне очереди, даже если порывов меньше.',
          },
          {
            by: 'temirtau@example.org',
            daysAgo: 3,
            body: 'Рахмет! Біз де журналды енгізе бастадық. Бірінші айдың қорытындысын келесі кездесуде көрсетемін.',
          },
        ],
      },
      {
        by: 'rudny@example.org',
        daysAgo: 6,
        title: 'Тұрғын үй кооперативтері және шатыр жөндеу',
        body: 'Рудныйда көп пәтерлі үйлердің шатырлары тозған, ал пәтер иелері бірлестігі (ОСИ) қаражат жинай алмай отыр. Кімде қала бюджетінен бірлесіп қаржыландыру тәжірибесі бар? Қандай үлесте келісесіздер — 50/50 ме, әлде 70/30 па?',
        replies: [
          {
            by: 'temirtau-admin@example.org',
            daysAgo: 5,
            body: 'В Темиртау пробовали 70/30 (город/жильцы) на пилотных 12 домах. Условие — решение собрания жильцов и открытый счёт ОСИ. Могу прислать шаблон договора.',
          },
        ],
      },
    ],
  },
  {
    slug: 'economic-diversification',
    name: { kk: 'Экономиканы әртараптандыру және ШОБ', ru: 'Диверсификация экономики и МСБ', en: 'Economic diversification and SMEs' },
    purpose: {
      kk: 'Бір кәсіпорынға тәуелділікті азайту: қаланың активтерін түгендеу, шағын және орта бизнесті қолдау, қала құраушы кәсіпорынмен және жеке сектормен диалог.',
      ru: 'Снижение зависимости от одного предприятия: инвентаризация активов города, поддержка малого и среднего бизнеса, диалог с градообразующим предприятием и частным сектором.',
      en: 'Depending less on one enterprise: taking stock of a town’s assets, supporting small and medium business, and a dialogue with the town-forming enterprise and the private sector.',
    },
    topics: ['economic-diversification', 'sme-support', 'public-participation'],
    type: 'forum',
    visibility: 'approval',
    rhythm: 'monthly',
    descriptionPublic: true,
    leads: ['aksu@example.org'],
    members: ['ridder@example.org', 'ekibastuz@example.org'],
    resources: [
      { kind: 'item', target: 'resources/diversification-strategy-guide' },
      { kind: 'item', target: 'cases/aksu-sme-incubator' },
      { kind: 'item', target: 'resources/public-private-dialogue-guide' },
    ],
    requests: [{ by: 'zhanaozen@example.org', note: 'Жаңаөзенде мұнайдан тыс салаларды дамыту жоспарын жасап жатырмыз. Басқа қалалардың тәжірибесі өте керек.' }],
    threads: [
      {
        by: 'aksu@example.org',
        daysAgo: 15,
        title: 'Инкубатор в пустующем цехе: что бы мы сделали иначе',
        body: 'Коротко о нашем опыте в Аксу: 46 фирм прошли через инкубатор в бывшем ремонтном цехе ферросплавного завода. Что бы мы сделали иначе:\n\n- договор аренды с заводом сразу на 10 лет, а не на 3;\n- наставники из числа пенсионеров завода — лучшая находка;\n- общий цех с оборудованием нужен больше, чем офисы.\n\nЕсть ли у кого-то похожие площадки, которые завод готов передать?',
        replies: [
          {
            by: 'ridder@example.org',
            daysAgo: 14,
            body: 'In Ridder the plant has an empty warehouse near the railway station. The question for us is who pays for heating in the first winters. How did Aksu solve that?',
          },
          {
            by: 'aksu@example.org',
            daysAgo: 13,
            body: 'The plant kept paying for heat for the first two years as its contribution; after that the incubator charged tenants a share. Put it into the agreement from day one.',
          },
        ],
      },
      {
        by: 'ekibastuz@example.org',
        daysAgo: 4,
        title: 'Сколько малых предприятий «реально» работает?',
        body: 'Программа ставит цель удвоить число активно действующих малых предприятий. В презентации по моногородам видно, что в Риддере их было 183 в 2013 году и 185 в 2014-м — за год почти ничего не изменилось.\n\nКак вы отличаете работающие фирмы от зарегистрированных «на бумаге»? Используете ли налоговые данные?',
        replies: [],
      },
    ],
  },
  {
    slug: 'youth-skills',
    name: { kk: 'Жастар және кадрларды сақтау', ru: 'Молодёжь и удержание кадров', en: 'Youth and skills retention' },
    purpose: {
      kk: 'Жастар мен білікті мамандардың кетуін азайту: колледждермен және кәсіпорындармен бірге тағылымдама, тұрғын үй, қалалық орта.',
      ru: 'Как удержать молодёжь и квалифицированных специалистов: стажировки вместе с колледжами и предприятиями, жильё, городская среда.',
      en: 'Keeping young and qualified people in town: apprenticeships with colleges and employers, housing, and the town as a place to live.',
    },
    topics: ['youth-skills', 'migration-demography'],
    type: 'community',
    visibility: 'open',
    rhythm: 'fortnightly',
    descriptionPublic: true,
    leads: ['rudny@example.org'],
    members: ['ridder@example.org', 'zhanaozen@example.org'],
    resources: [
      { kind: 'item', target: 'resources/youth-retention-policy-brief' },
      { kind: 'item', target: 'cases/rudny-youth-apprenticeships' },
    ],
    threads: [
      {
        by: 'rudny@example.org',
        daysAgo: 10,
        title: 'Колледж түлектерінің қанша бөлігі қалада қалады?',
        body: 'Рудныйда политехникалық колледж бен комбинатпен бірге ақылы тағылымдама бағдарламасын бастадық. Бірінші түлектердің 60%-ы қалада жұмысқа орналасты.\n\nСіздердің қалаларыңызда түлектер туралы дерек жинала ма? Кім жинайды — колледж бе, әкімдік пе?',
        replies: [
          {
            by: 'zhanaozen@example.org',
            daysAgo: 9,
            body: 'Жаңаөзенде жалақы жоғары (2018 жылы орташа 435 мың теңге), бірақ жастар бәрібір Ақтауға кетеді — себебі тұрғын үй мен бос уақыт. Тек жұмыс жеткіліксіз.',
          },
          {
            by: 'ridder@example.org',
            daysAgo: 8,
            body: 'Same in Ridder: the college tracks graduates for one year only. We are asking the employment centre to share anonymised data so we can see three years.',
          },
        ],
      },
    ],
  },
  {
    slug: 'environment-health',
    name: { kk: 'Экология және денсаулық', ru: 'Экология и здоровье', en: 'Environment and health' },
    purpose: {
      kk: 'Ауа сапасын өлшеу және деректерді ашық жариялау, кәсіпорындармен және тұрғындармен бірге ластануды азайту.',
      ru: 'Измерение качества воздуха и открытая публикация данных, снижение загрязнения вместе с предприятиями и жителями.',
      en: 'Measuring air quality and publishing the data openly; reducing pollution together with enterprises and residents.',
    },
    topics: ['environment-health', 'indicators-data', 'public-participation'],
    type: 'community',
    visibility: 'open',
    rhythm: 'quarterly',
    descriptionPublic: true,
    leads: ['temirtau@example.org'],
    members: ['ekibastuz@example.org', 'aksu@example.org'],
    resources: [
      { kind: 'item', target: 'resources/air-quality-monitoring-guide' },
      { kind: 'item', target: 'cases/temirtau-air-quality-data' },
      { kind: 'link', target: 'https://www.kazhydromet.kz/', title: 'Kazhydromet' },
    ],
    threads: [
      {
        by: 'temirtau@example.org',
        daysAgo: 12,
        title: 'Low-cost sensors: how do you check them against the official station?',
        body: 'In Temirtau we run 24 low-cost PM2.5 sensors. Twice a year we place two of them next to the Kazhydromet station for a month and compare.\n\nHas anyone found a simple correction for humidity? In winter our sensors read too high on foggy days.',
        replies: [
          {
            by: 'ekibastuz@example.org',
            daysAgo: 11,
            body: 'Мы в Экибастузе просто отбрасываем показания при влажности выше 85% и помечаем их на карте серым. Честнее, чем «исправлять».',
          },
        ],
      },
    ],
  },
  {
    slug: 'municipal-finance',
    name: { kk: 'Муниципалдық қаржы және қаржыландыруға қол жеткізу', ru: 'Муниципальные финансы и доступ к финансированию', en: 'Municipal finance and funding access' },
    purpose: {
      kk: 'Бюджет пен сараптаманың жетіспеушілігі жағдайында жоспарлау: республикалық бағдарламаларға өтінімдер, грант беретін ұйымдар, бюджетті ашық талқылау.',
      ru: 'Как планировать без бюджета и экспертов: заявки в республиканские программы, грантодатели, открытое обсуждение бюджета.',
      en: 'Planning without budget or experts: applying to national programmes, grant makers, and discussing the town budget in the open.',
    },
    topics: ['municipal-finance', 'planning-governance'],
    type: 'committee',
    visibility: 'private',
    rhythm: 'quarterly',
    descriptionPublic: false,
    leads: ['ekibastuz@example.org'],
    members: ['ridder@example.org', 'temirtau-admin@example.org'],
    resources: [
      { kind: 'item', target: 'resources/planning-without-experts' },
      { kind: 'link', target: 'https://stat.gov.kz/', title: 'Bureau of National Statistics' },
    ],
    threads: [
      {
        by: 'ekibastuz@example.org',
        daysAgo: 7,
        title: 'Черновик общей позиции по распределению трансфертов',
        body: 'Коллеги, это закрытая группа: здесь обсуждаем черновик письма в министерство до его публикации.\n\nОсновная мысль: решения о развитии моногородов принимаются централизованно, а города оценивают по трём показателям (объём производства, число малых предприятий, безработица). Предлагаем добавить экологию, деловую среду и удовлетворённость жителей — и дать городам право самим выбирать 20% проектов.\n\nЗамечания до конца месяца, пожалуйста.',
        replies: [
          {
            by: 'ridder@example.org',
            daysAgo: 6,
            body: 'Согласна. Предлагаю приложить таблицу по Риддеру, Курчатову, Зыряновску и Серебрянску: план «рост производства на 20%» при безработице 4,4–5,8% ничего не говорит о качестве жизни.',
          },
        ],
      },
    ],
  },
];

/** Seeds the demo groups; called from seedDemoData inside its transaction. */
export async function seedGroups(db: Kysely<Database>, now: number): Promise<void> {
  const towns = await db.selectFrom('towns').select(['id', 'slug']).execute();
  const townIdBySlug = new Map(towns.map((town) => [town.slug, town.id]));
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const account of GROUP_DEMO_ACCOUNTS) {
    await insertUser(db, { email: account.email, passwordHash: hash, displayName: account.displayName, role: 'member', townId: townIdBySlug.get(account.townSlug) ?? null, language: account.language }, now);
  }
  const users = await db.selectFrom('users').select(['id', 'email']).execute();
  const userId = (email: string) => {
    const found = users.find((user) => user.email === email);
    if (!found) throw new Error(`seed: no demo account ${email}`);
    return found.id;
  };
  const day = 86_400;
  const editor = userId('editor@example.org');

  for (const group of GROUPS) {
    const { id: groupId } = await db
      .insertInto('groups')
      .values({
        slug: group.slug,
        name_kk: group.name.kk,
        name_ru: group.name.ru,
        name_en: group.name.en,
        purpose_kk: group.purpose.kk,
        purpose_ru: group.purpose.ru,
        purpose_en: group.purpose.en,
        topics: JSON.stringify(group.topics),
        type: group.type,
        visibility: group.visibility,
        rhythm: group.rhythm,
        description_public: group.descriptionPublic ? 1 : 0,
        archived_at: null,
        created_by: editor,
        created_at: now - 60 * day,
        updated_at: now - 60 * day,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [role, emails] of [['lead', group.leads], ['member', group.members]] as const) {
      for (const email of emails) {
        await db.insertInto('group_members').values({ group_id: groupId, user_id: userId(email), role, joined_at: now - 45 * day }).execute();
      }
    }
    for (const resource of group.resources) {
      await db
        .insertInto('group_resources')
        .values({ group_id: groupId, kind: resource.kind, target: resource.target, title: resource.kind === 'link' ? resource.title : null, created_by: userId(group.leads[0]!), created_at: now - 40 * day })
        .execute();
    }
    for (const request of group.requests ?? []) {
      await db.insertInto('group_join_requests').values({ group_id: groupId, user_id: userId(request.by), note: request.note, status: 'pending', decided_by: null, decided_at: null, created_at: now - 2 * day }).execute();
    }
    for (const thread of group.threads) {
      const lastActivity = now - Math.min(thread.daysAgo, ...thread.replies.map((reply) => reply.daysAgo)) * day;
      const { id: threadId } = await db
        .insertInto('group_threads')
        .values({
          group_id: groupId,
          author_id: userId(thread.by),
          title: thread.title,
          body: thread.body,
          pinned: thread.pinned ? 1 : 0,
          locked: 0,
          hidden_at: null,
          hidden_by: null,
          hidden_reason: null,
          created_at: now - thread.daysAgo * day,
          last_activity_at: lastActivity,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const followers = new Set([thread.by, ...thread.replies.map((reply) => reply.by)]);
      for (const reply of thread.replies) {
        await db.insertInto('group_replies').values({ thread_id: threadId, author_id: userId(reply.by), body: reply.body, hidden_at: null, hidden_by: null, hidden_reason: null, created_at: now - reply.daysAgo * day }).execute();
      }
      for (const email of followers) {
        await db.insertInto('group_thread_follows').values({ thread_id: threadId, user_id: userId(email), following: 1 }).execute();
        // Those who wrote have read up to their own last post.
        await db.insertInto('group_thread_reads').values({ thread_id: threadId, user_id: userId(email), read_at: now - Math.min(...[thread, ...thread.replies].filter((post) => post.by === email).map((post) => post.daysAgo)) * day }).execute();
      }
    }
    if (group.meeting) {
      const date = new Date((now + group.meeting.inDays * day) * 1000).toLocaleDateString('en-CA', { timeZone: 'Asia/Almaty' });
      const startsAt = zonedToUtcSeconds(date, group.meeting.time) ?? now + group.meeting.inDays * day;
      const { id: meetingId } = await db
        .insertInto('group_meetings')
        .values({ group_id: groupId, title: group.meeting.title, starts_at: startsAt, duration_minutes: 90, place: group.meeting.place, link: group.meeting.link, agenda: group.meeting.agenda, created_by: userId(group.leads[0]!), created_at: now - day })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db.insertInto('group_meeting_answers').values({ meeting_id: meetingId, user_id: userId('ridder@example.org'), answer: 'yes', answered_at: now - day }).execute();
      await db.insertInto('group_meeting_answers').values({ meeting_id: meetingId, user_id: userId('ekibastuz@example.org'), answer: 'maybe', answered_at: now - day }).execute();
    }
  }
}
