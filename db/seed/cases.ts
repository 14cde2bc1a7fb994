import type { Transaction } from 'kysely';
import type { CaseContent } from '~/server/cases/types.ts';
import type { Database, MemberCaseStatus } from '~/server/db/schema.ts';

/**
 * Demo member cases: two published (from towns without a file case) and two with the
 * editors. Figures for Serebryansk's small enterprises and unemployment in 2013–2014 and
 * for Shakhtinsk's wages come from Junussova and Beimisheva's presentation (context/);
 * the rest is illustrative, and the published ones say so.
 */
export interface DemoMemberCase {
  town: string;
  /** The demo account that wrote it (null: a town without a demo account). */
  author: string | null;
  status: MemberCaseStatus;
  slug: string | null;
  /** When it was approved (UTC seconds), for published ones. */
  publishedAt: number | null;
  content: CaseContent;
  /** An editor's comment in its history. */
  comment?: string;
}

const day = (iso: string) => Math.floor(Date.parse(`${iso}T06:00:00Z`) / 1000);

export const DEMO_MEMBER_CASES: readonly DemoMemberCase[] = [
  {
    town: 'serebryansk',
    author: null,
    status: 'approved',
    slug: 'serebryansk-small-business-desk',
    publishedAt: day('2025-02-11'),
    content: {
      languages: ['ru'],
      title: 'Серебрянск: окно поддержки малого бизнеса в акимате',
      summary: 'Маленький город при ГЭС открыл в акимате одно окно для предпринимателей: консультации, помощь с документами и заявками на госпрограммы. За три года число действующих малых предприятий выросло с 21 до 34.',
      sections: {
        context: 'Серебрянск — город около 9 тысяч жителей в Восточно-Казахстанской области, выросший при Бухтарминской ГЭС. По данным, которые приводят М. Джунусова и А. Беймишева, в 2014 году в городе работали всего **20** активных малых предприятий, а безработица составляла 5,5%.',
        challenge: 'Национальная программа требовала удвоить число малых предприятий, но у желающих открыть дело не было, куда обратиться: ближайшие центры обслуживания предпринимателей — в Усть-Каменогорске, в 130 км. Заявки на льготные кредиты возвращались из-за ошибок в документах.',
        approach: 'В 2021 году акимат выделил в своём здании кабинет и двух сотрудников — «окно предпринимателя». Там:\n\n- консультируют по регистрации и налогам;\n- помогают собрать пакет документов на программу «Дорожная карта бизнеса»;\n- раз в месяц проводят выездной день с банком и фондом «Даму».\n\nОкно работает по записи и без неё, консультации бесплатные.',
        obstacles: 'Первый год к окну приходили в основном за справками, не связанными с бизнесом. Помогли объявления в местной газете и список «с чем мы помогаем» у входа. Одного из сотрудников переманил банк; теперь двое сотрудников обучают друг друга, чтобы знания не уходили вместе с людьми.',
        results: 'За 2021–2024 годы окно провело около 600 консультаций, 41 заявка на государственную поддержку была одобрена. Число действующих малых предприятий выросло с 21 до 34, безработица снизилась с 5,5% до 4,9%.',
        nextSteps: 'Город хочет добавить в окно юридические консультации по аренде коммунального имущества и готов поделиться регламентом окна с другими малыми городами ассоциации.',
      },
      topics: ['sme-support', 'economic-diversification'],
      period: '2021–2024',
      funding: 'Местный бюджет (помещение и две ставки сотрудников); выездные дни — за счёт банка-партнёра и фонда «Даму»',
      cost: { amount: 18_000_000, currency: 'KZT' },
      contact: { name: 'Айгерим Нурланова', role: 'Главный специалист отдела предпринимательства акимата Серебрянска', email: 'a.nurlanova@example.org' },
      indicators: [
        { name: 'Действующие малые предприятия', before: 21, after: 34, unit: 'предприятий', year: 2024 },
        { name: 'Уровень безработицы', before: 5.5, after: 4.9, unit: '%', year: 2024 },
      ],
    },
  },
  {
    town: 'shakhtinsk',
    author: null,
    status: 'approved',
    slug: 'shakhtinsk-youth-coworking',
    publishedAt: day('2025-03-18'),
    content: {
      languages: ['kk'],
      title: 'Шахтинск: бұрынғы шахта кеңсесіндегі жастар коворкингі',
      summary: 'Жалақысы 300 АҚШ долларынан төмен көмір қаласы бос тұрған шахта кеңсесін жастарға арналған коворкинг пен қайта даярлау орталығына айналдырды. Екі жылда 180 жас цифрлық мамандыққа оқыды.',
      sections: {
        context: 'Шахтинск — Қарағанды облысындағы 37 мыңға жуық тұрғыны бар көмір қаласы. Джунусова мен Беймишеваның деректері бойынша, 2018 жылы Шахтинскідегі орташа жалақы **300 АҚШ долларынан** төмен болды — бұл моноқалалар арасындағы ең төменгі деңгейлердің бірі.',
        challenge: 'Мектеп бітірген жастардың көбі Қарағандыға немесе Астанаға кетеді. Қалада шахтадан басқа жұмыс аз, ал қашықтан жұмыс істеуге жағдай — жылы орын мен тұрақты интернет — жоқ еді.',
        approach: 'Әкімдік пен көмір компаниясы 2022 жылы бос тұрған шахта әкімшілігі ғимаратының бір қабатын жөндеді. Онда:\n\n- 40 орындық тегін коворкинг;\n- бағдарламалау мен бухгалтерия бойынша үш айлық курстар;\n- жергілікті кәсіпкерлермен апта сайынғы кездесулер бар.',
        obstacles: 'Ғимараттың жылу жүйесі ескі болды, алғашқы қыста орталық екі апта жабық тұрды. Курстарға оқытушы табу қиын болды; кейбір сабақтар онлайн, Қарағанды университетінің оқытушыларымен өтеді.',
        results: 'Екі жылда 180 жас курстарды бітірді, олардың 60-ы қашықтан немесе жергілікті жұмысқа орналасты. Коворкингте күн сайын орта есеппен 25 адам жұмыс істейді.',
        nextSteps: 'Қала орталықты өзін-өзі ақтайтын етуді жоспарлайды: кәсіпкерлерге ақылы орындар мен жиналыс бөлмесін жалға беру. Тәжірибемен басқа көмір қалаларымен бөлісуге дайын.',
      },
      topics: ['youth-skills', 'economic-diversification'],
      period: '2022–2024',
      funding: 'Көмір компаниясының әлеуметтік жобалар қоры (жөндеу) және жергілікті бюджет (курстар)',
      cost: { amount: 95_000_000, currency: 'KZT' },
      contact: { name: 'Ерлан Сейітов', role: 'Шахтинск әкімдігінің жастар саясаты бөлімінің басшысы', email: null },
      indicators: [
        { name: 'Курсты бітірген жастар', before: 0, after: 180, unit: 'адам', year: 2024 },
        { name: 'Коворкингке күнделікті келушілер', before: 0, after: 25, unit: 'адам', year: 2024 },
      ],
    },
  },
  {
    town: 'temirtau',
    author: 'temirtau@example.org',
    status: 'submitted',
    slug: null,
    publishedAt: null,
    content: {
      languages: ['ru'],
      title: 'Темиртау: бюджет участия для дворов и скверов',
      summary: 'Жители Темиртау сами предлагают и выбирают голосованием небольшие проекты благоустройства, на которые акимат выделяет часть местного бюджета. За два года реализовано 23 проекта.',
      sections: {
        context: 'Темиртау — металлургический город в Карагандинской области, один из пяти моногородов с высоким экономическим потенциалом. Решения о благоустройстве долго принимались без жителей, и люди не видели, куда идут деньги.',
        challenge: 'Опросы показывали низкое доверие к акимату и недовольство состоянием дворов. Нужно было показать, что голос жителей влияет на решения.',
        approach: 'С 2023 года 3% расходов на благоустройство распределяются через бюджет участия: жители подают проекты до 15 млн тенге, комиссия проверяет их выполнимость, затем проходит открытое голосование онлайн и в библиотеках.',
        obstacles: 'В первый год многие проекты были невыполнимы — например, на чужой земле. Теперь перед подачей проводятся консультации с архитектором.',
        results: 'Подано 118 проектов, реализовано 23: детские площадки, освещение, скамейки, один сквер. В голосовании участвовали 9 400 жителей.',
        nextSteps: 'Увеличить долю бюджета участия до 5% и добавить отдельное голосование для школьников.',
      },
      topics: ['public-participation', 'municipal-finance'],
      period: '2023–2025',
      funding: 'Местный бюджет (3% расходов на благоустройство)',
      cost: { amount: 340_000_000, currency: 'KZT' },
      contact: { name: 'Дана Ахметова', role: 'Отдел внутренней политики акимата Темиртау', email: 'd.akhmetova@example.org' },
      indicators: [{ name: 'Участники голосования', before: 0, after: 9400, unit: 'человек', year: 2025 }],
    },
    comment: 'Спасибо! Прочитаем на этой неделе.',
  },
  {
    town: 'ridder',
    author: 'ridder@example.org',
    status: 'submitted',
    slug: null,
    publishedAt: null,
    content: {
      languages: ['en'],
      title: 'Ridder: one counter for utility complaints',
      summary: 'Ridder merged the complaint lines of its heat, water and electricity operators into one counter with one number and published response times every month. Unanswered complaints fell by two thirds.',
      sections: {
        context: 'Ridder is a mining town of about 49,000 people in East Kazakhstan. Heat, water and electricity come from three different operators, each with its own phone line and office.',
        challenge: 'Residents did not know whom to call, complaints were passed from one operator to another, and the akimat had no view of how many went unanswered.',
        approach: 'In 2023 the akimat and the three operators opened one counter in the town centre and one short phone number. Every complaint gets a number, is sent to the right operator the same day, and its answer time is recorded. The akimat publishes the monthly figures on its website.',
        obstacles: 'The operators used different systems; for the first six months staff copied complaints by hand into a shared spreadsheet.',
        results: 'Complaints unanswered after ten days fell from 31% to 10%. The average answer time fell from 9 to 4 days.',
        nextSteps: 'Add an online form and a map of open complaints by street.',
      },
      topics: ['utilities-housing', 'planning-governance'],
      period: '2023–2025',
      funding: 'Town budget and the three utility operators, in equal parts',
      cost: null,
      contact: { name: 'Olga Petrenko', role: 'Housing and utilities department, Ridder akimat', email: null },
      indicators: [{ name: 'Complaints unanswered after ten days', before: 31, after: 10, unit: '%', year: 2025 }],
    },
  },
];

/** Inserts the demo cases, their history and (for published ones) their public copy. */
export async function seedDemoCases(trx: Transaction<Database>, now: number): Promise<void> {
  const towns = new Map((await trx.selectFrom('towns').select(['id', 'slug']).execute()).map((town) => [town.slug, town.id]));
  const users = new Map((await trx.selectFrom('users').select(['id', 'email']).execute()).map((user) => [user.email, user.id]));
  const editor = users.get('editor@example.org') ?? null;
  for (const demo of DEMO_MEMBER_CASES) {
    const townId = towns.get(demo.town);
    if (townId === undefined) continue;
    const author = demo.author ? (users.get(demo.author) ?? null) : null;
    const published = demo.status === 'approved';
    const startedAt = (demo.publishedAt ?? now) - 14 * 86_400;
    const version = published ? 3 : 2;
    const row = await trx
      .insertInto('member_cases')
      .values({
        town_id: townId,
        created_by: author,
        updated_by: author,
        source_request_id: null,
        status: demo.status,
        version,
        content: JSON.stringify(demo.content),
        published_content: published ? JSON.stringify(demo.content) : null,
        slug: demo.slug,
        published_at: demo.publishedAt,
        published_version: published ? 2 : null,
        unpublished_at: null,
        unpublish_reason: null,
        illustrative: published ? 1 : 0,
        created_at: startedAt,
        updated_at: demo.publishedAt ?? now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const events: Array<{ kind: string; actor: string | null; from: string | null; to: string | null; at: number; body?: string }> = [
      { kind: 'created', actor: author, from: null, to: 'draft', at: startedAt },
      { kind: 'submitted', actor: author, from: 'draft', to: 'submitted', at: startedAt + 86_400 },
    ];
    if (demo.comment) events.push({ kind: 'comment', actor: editor, from: null, to: null, at: startedAt + 2 * 86_400, body: demo.comment });
    if (published) events.push({ kind: 'approved', actor: editor, from: 'submitted', to: 'approved', at: demo.publishedAt! });
    for (const event of events) {
      await trx
        .insertInto('member_case_events')
        .values({ case_id: row.id, actor_id: event.actor, kind: event.kind, from_status: event.from, to_status: event.to, version: 2, body: event.body ?? null, at: event.at })
        .execute();
    }
  }
}
