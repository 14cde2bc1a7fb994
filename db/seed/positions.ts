import type { Transaction } from 'kysely';
import { zonedIsoDate } from '~/lib/format.ts';
import { zonedToUtcSeconds } from '~/server/groups/meetings.ts';
import type { Database, PositionStanceValue } from '~/server/db/schema.ts';
import { findPosition } from '~/server/positions/positions.ts';
import { syncPositionSearch } from '~/server/positions/search.ts';
import type { PositionText } from '~/server/positions/types.ts';

/**
 * Demo positions: one in consultation (closing a month after seeding) with the stances of
 * several towns and a few comments, and one adopted after a revision, with its two
 * versions, stances and comments. Illustrative texts, written in Russian, the language
 * the association's members share. Stances of towns without a demo account have no
 * recorder (as after an account is removed).
 */

const DAY = 24 * 60 * 60;

interface DemoPosition {
  slug: string;
  topics: string[];
  versions: Array<{ text: PositionText; changeNote: string | null; daysAgo: number }>;
  openedDaysAgo: number;
  /** Days from seeding the consultation closes (negative: closed before). */
  closesInDays: number;
  adoptedDaysAgo: number | null;
  stances: Array<{ town: string; stance: PositionStanceValue; reason: string | null; by: string | null }>;
  comments: Array<{ by: string; section: number; version: number; body: string; daysAgo: number }>;
}

const UTILITIES_V1: PositionText = {
  lang: 'ru',
  title: 'Обновление коммунальных сетей моногородов: целевой трансферт вместо конкурсов',
  summary: 'Ассоциация просит правительство выделять моногородам целевой трансферт на замену изношенных сетей тепло- и водоснабжения по плану самого города, а не через ежегодные конкурсы проектов.',
  sections: [
    { heading: 'Проблема', body: 'Износ сетей тепло- и водоснабжения в большинстве моногородов превышает **60%**. Города получают деньги на ремонт через ежегодные конкурсы, и план замены сетей рвётся каждый год.' },
    { heading: 'Что мы предлагаем', body: '- Пятилетний целевой трансферт на обновление сетей по утверждённому плану города.\n- Единые требования к плану: очередность, приборы учёта, отчёт о потерях.\n- Право города переносить неиспользованный остаток на следующий год.' },
    { heading: 'Чем помогут города', body: 'Города-члены готовы публиковать данные о потерях в сетях и о ходе работ на своих страницах портала ассоциации.' },
  ],
};

const UTILITIES_V2: PositionText = {
  ...UTILITIES_V1,
  sections: [
    UTILITIES_V1.sections[0]!,
    { heading: 'Что мы предлагаем', body: '- Пятилетний целевой трансферт на обновление сетей по утверждённому плану города.\n- Единые требования к плану: очередность, приборы учёта, отчёт о потерях.\n- Право города переносить неиспользованный остаток на следующий год.\n- Отдельная строка для малых городов (до 20 тысяч жителей), у которых нет своей проектной службы.' },
    UTILITIES_V1.sections[2]!,
  ],
};

const DATA_TEXT: PositionText = {
  lang: 'ru',
  title: 'Открытые данные о моногородах: публиковать ежегодно и в одном формате',
  summary: 'Ассоциация призывает публиковать ключевые показатели моногородов (занятость, малый бизнес, зарплаты, миграция) каждый год, в одном машиночитаемом формате и с разбивкой по городам.',
  sections: [
    { heading: 'Зачем это нужно', body: 'Города не могут сравнить себя с похожими городами: данные выходят с опозданием, в разных форматах и часто только по областям.' },
    { heading: 'Что мы просим', body: 'Ежегодно до 1 июля публиковать по каждому моногороду показатели занятости, числа малых предприятий, средней зарплаты и миграции — в формате CSV, под открытой лицензией.' },
  ],
};

const DEMO_POSITIONS: readonly DemoPosition[] = [
  {
    slug: 'utilities-renewal-transfer',
    topics: ['utilities-housing', 'municipal-finance'],
    versions: [
      { text: UTILITIES_V1, changeNote: null, daysAgo: 20 },
      { text: UTILITIES_V2, changeNote: 'По комментариям Риддера и Шахтинска добавлена отдельная строка для малых городов.', daysAgo: 6 },
    ],
    openedDaysAgo: 19,
    closesInDays: 30,
    adoptedDaysAgo: null,
    stances: [
      { town: 'temirtau', stance: 'support', reason: 'Темиртау готов первым подготовить пятилетний план замены сетей.', by: 'temirtau-admin@example.org' },
      { town: 'ridder', stance: 'support_with_changes', reason: 'Нужна отдельная строка для малых городов без проектной службы.', by: null },
      { town: 'shakhtinsk', stance: 'support', reason: null, by: null },
      { town: 'zhezkazgan', stance: 'oppose', reason: 'Предпочитаем сохранить конкурсы: они дают крупным проектам больше денег.', by: null },
      { town: 'serebryansk', stance: 'abstain', reason: null, by: null },
    ],
    comments: [
      { by: 'ridder@example.org', section: 1, version: 1, body: 'У малых городов нет своих инженеров-проектировщиков: без помощи на проектирование трансферт будет трудно освоить.', daysAgo: 15 },
      { by: 'temirtau@example.org', section: 0, version: 2, body: 'В Темиртау износ магистральных тепловых сетей — около 70%, можем поделиться данными.', daysAgo: 3 },
    ],
  },
  {
    slug: 'open-data-monotowns',
    topics: ['indicators-data', 'planning-governance'],
    versions: [{ text: DATA_TEXT, changeNote: null, daysAgo: 120 }],
    openedDaysAgo: 110,
    closesInDays: -80,
    adoptedDaysAgo: 75,
    stances: [
      { town: 'temirtau', stance: 'support', reason: null, by: 'temirtau-admin@example.org' },
      { town: 'ridder', stance: 'support', reason: null, by: null },
      { town: 'satpayev', stance: 'support', reason: null, by: null },
      { town: 'rudny', stance: 'support_with_changes', reason: 'Добавить показатели качества воздуха.', by: null },
    ],
    comments: [{ by: 'ridder@example.org', section: 1, version: 1, body: 'Хорошо бы публиковать и данные за прошлые годы, хотя бы с 2015 года.', daysAgo: 100 }],
  },
];

/** Adds the demo positions, their versions, stances and comments, and their search documents. */
export async function seedPositions(trx: Transaction<Database>, now: number): Promise<void> {
  const towns = new Map((await trx.selectFrom('towns').select(['id', 'slug']).execute()).map((town) => [town.slug, town.id]));
  const users = new Map((await trx.selectFrom('users').select(['id', 'email', 'town_id']).execute()).map((user) => [user.email, user]));
  const editor = users.get('editor@example.org')?.id ?? null;
  for (const demo of DEMO_POSITIONS) {
    const current = demo.versions.length;
    const { id } = await trx
      .insertInto('positions')
      .values({
        slug: demo.slug,
        status: demo.adoptedDaysAgo === null ? 'consultation' : 'adopted',
        current_version: current,
        topics: JSON.stringify(demo.topics),
        opened_at: now - demo.openedDaysAgo * DAY,
        // At 18:00 on that day in the association's time zone, as an editor would set it.
        closes_at: zonedToUtcSeconds(zonedIsoDate(new Date((now + demo.closesInDays * DAY) * 1000)), '18:00') ?? now + demo.closesInDays * DAY,
        adopted_at: demo.adoptedDaysAgo === null ? null : now - demo.adoptedDaysAgo * DAY,
        adopted_version: demo.adoptedDaysAgo === null ? null : current,
        created_by: editor,
        created_at: now - demo.versions[0]!.daysAgo * DAY,
        updated_at: now - demo.versions[current - 1]!.daysAgo * DAY,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [index, version] of demo.versions.entries()) {
      const { lang, title, summary, sections } = version.text;
      await trx.insertInto('position_versions').values({ position_id: id, version: index + 1, lang, title, summary, sections: JSON.stringify(sections), change_note: version.changeNote, created_by: editor, created_at: now - version.daysAgo * DAY }).execute();
    }
    for (const [index, stance] of demo.stances.entries()) {
      const townId = towns.get(stance.town);
      if (townId === undefined) continue;
      const at = now - (demo.openedDaysAgo - 2 - index) * DAY;
      await trx.insertInto('position_stances').values({ position_id: id, town_id: townId, stance: stance.stance, reason: stance.reason, version: 1, recorded_by: stance.by ? (users.get(stance.by)?.id ?? null) : null, created_at: at, updated_at: at }).execute();
    }
    for (const comment of demo.comments) {
      const author = users.get(comment.by);
      if (!author || author.town_id === null) continue;
      await trx.insertInto('position_comments').values({ position_id: id, version: comment.version, section: comment.section, author_id: author.id, town_id: author.town_id, body: comment.body, created_at: now - comment.daysAgo * DAY }).execute();
    }
    await syncPositionSearch(trx, (await findPosition(trx, id))!);
  }
}
