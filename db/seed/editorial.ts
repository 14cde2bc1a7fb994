import type { Kysely } from 'kysely';
import { insertUser } from '~/server/accounts/users.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { hashPassword } from '~/server/auth/password.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import { createEditorialItem, publishEditorialItem, saveEditorialText, scheduleEditorialItem, submitEditorialItem, withdrawEditorialItem } from '~/server/editorial/workflows.ts';
import { DEMO_PASSWORD } from './accounts.ts';

// Demo portal items in each state of the editorial workflow, and a demo author (README lists
// the account). Written through the workflow itself, so history, search rows and the
// published copies are what a real editor's work would leave. Illustrative texts.

/** The demo author: association staff who write and submit, never publish. */
export const DEMO_AUTHOR = { email: 'author@example.org', displayName: 'Saule Omarova', language: 'ru' as const };

const DAY = 86_400;

function actor(id: string, role: Role): CurrentUser {
  return { id, email: '', displayName: '', role, language: 'ru', disabled: false, town: null };
}

export async function seedEditorial(db: Kysely<Database>, now: number): Promise<void> {
  const editorRow = await db.selectFrom('users').select('id').where('email', '=', 'editor@example.org').executeTakeFirst();
  if (!editorRow) return;
  const authorId = await insertUser(db, { email: DEMO_AUTHOR.email, passwordHash: await hashPassword(DEMO_PASSWORD), displayName: DEMO_AUTHOR.displayName, role: 'author', townId: null, language: DEMO_AUTHOR.language }, now - 30 * DAY);
  const author = actor(authorId, 'author');
  const editor = actor(editorRow.id, 'editor');
  const date = (daysAgo: number) => new Date((now - daysAgo * DAY) * 1000).toISOString().slice(0, 10);
  const none = new Set<string>();

  // Submitted in Russian, translated into Kazakh by the editor, waiting to be published. (The demo
  // publishes nothing that stays public, so the knowledge lists read as the content files do.)
  const news = await createEditorialItem(db, author, {
    collection: 'news',
    slug: 'editorial-workspace-opens',
    lang: 'ru',
    data: { title: 'Ассоциация публикует материалы прямо на портале', summary: 'Сотрудники ассоциации теперь пишут новости, руководства и анонсы событий в браузере: с проверкой, переводом и историей правок.', date: date(6), topics: ['planning-governance'] },
    body: 'Раньше каждый материал ассоциации проходил через файлы и новую сборку сайта. Теперь автор пишет текст на портале, редактор проверяет и публикует его.\n\n## Что изменилось\n\n- черновики и проверка;\n- переводы на казахский, русский и английский рядом с исходным текстом;\n- публикация по расписанию.\n\n*Пример для демонстрации.*',
    fileSlugs: none,
  }, now - 7 * DAY);
  if (news.ok) {
    await submitEditorialItem(db, author, { id: news.id, version: 1 }, now - 7 * DAY);
    await saveEditorialText(db, editor, {
      id: news.id,
      version: 2,
      lang: 'kk',
      data: { title: 'Қауымдастық материалдарды тікелей порталда жариялайды', summary: 'Қауымдастық қызметкерлері енді жаңалықтарды, нұсқаулықтарды және іс-шара хабарландыруларын браузерде жазады: тексерумен, аудармамен және түзетулер тарихымен.', date: date(6), topics: ['planning-governance'] },
      body: 'Бұрын қауымдастықтың әр материалы файлдар мен сайттың жаңа жинағы арқылы өтетін. Енді автор мәтінді порталда жазады, редактор оны тексеріп, жариялайды.\n\n*Көрсетуге арналған мысал.*',
    }, now - 6 * DAY);
  }

  // An English resource in draft whose Russian translation fell behind its source.
  const resource = await createEditorialItem(db, editor, {
    collection: 'resources',
    slug: 'heat-meter-procurement-checklist',
    lang: 'en',
    data: { title: 'Heat meter procurement: a checklist', summary: 'What a town checks in the specification and the contract when it buys building heat meters, from accuracy class to acceptance.', date: date(10), topics: ['utilities-housing'], type: 'toolkit', authors: ['Association secretariat'] },
    body: '1. Accuracy class, diameters and temperature range in the specification.\n2. A verification certificate for every meter.\n3. At least three years of warranty.\n\n*An illustrative example.*',
    fileSlugs: none,
  }, now - 10 * DAY);
  if (resource.ok) {
    await saveEditorialText(db, editor, {
      id: resource.id,
      version: 1,
      lang: 'ru',
      data: { title: 'Закупка приборов учёта тепла: чек-лист', summary: 'Что город проверяет в техническом задании и договоре при покупке общедомовых приборов учёта тепла — от класса точности до приёмки.', date: date(10), topics: ['utilities-housing'], type: 'toolkit', authors: ['Секретариат ассоциации'] },
      body: '1. Класс точности, диаметры и температурный диапазон в техническом задании.\n2. Свидетельство о поверке на каждый прибор.\n\n*Пример для демонстрации.*',
    }, now - 9 * DAY);
    await saveEditorialText(db, editor, {
      id: resource.id,
      version: 2,
      lang: 'en',
      data: { title: 'Heat meter procurement: a checklist', summary: 'What a town checks in the specification and the contract when it buys building heat meters, from accuracy class to acceptance.', date: date(10), topics: ['utilities-housing'], type: 'toolkit', authors: ['Association secretariat'] },
      body: '1. Accuracy class, diameters and temperature range in the specification.\n2. A verification certificate for every meter.\n3. At least three years of warranty.\n4. Installation outside the heating season.\n\n*An illustrative example.*',
    }, now - 2 * DAY);
  }

  // The author's draft event, and a scheduled news item.
  await createEditorialItem(db, author, {
    collection: 'events',
    slug: 'budget-requests-webinar',
    lang: 'ru',
    data: { title: 'Вебинар: бюджетные заявки на коммунальные проекты', summary: 'Разбор типичных замечаний областных комиссий к заявкам городов на ремонт сетей и котельных.', date: date(1), topics: ['municipal-finance'], format: 'online', start: new Date((now + 20 * DAY) * 1000).toISOString(), online: true, registration: 'Регистрация через личный кабинет портала.' },
    body: 'Черновик анонса: программу уточняем с докладчиками.',
    fileSlugs: none,
  }, now - DAY);
  const scheduled = await createEditorialItem(db, editor, {
    collection: 'news',
    slug: 'assembly-agenda-published',
    lang: 'kk',
    data: { title: 'Жалпы жиналыстың күн тәртібі жарияланды', summary: 'Қауымдастықтың жыл сайынғы жалпы жиналысының күн тәртібі мен құжаттары қала делегаттарына жіберілді.', date: date(0), topics: ['planning-governance'] },
    body: 'Күн тәртібі мен құжаттар делегаттарға жіберілді.\n\n*Көрсетуге арналған мысал.*',
    fileSlugs: none,
  }, now - DAY);
  if (scheduled.ok) await scheduleEditorialItem(db, editor, { id: scheduled.id, version: 1, at: now + 3 * DAY }, now - DAY);

  // A news item published, then withdrawn (its page answers 410).
  const withdrawn = await createEditorialItem(db, editor, {
    collection: 'news',
    slug: 'tariff-seminar-moved',
    lang: 'ru',
    data: { title: 'Семинар по тарифам переносится', summary: 'Семинар по тарифам на тепло переносится на весну по просьбе городов, которые готовят отчёты.', date: date(20), topics: ['utilities-housing'] },
    body: 'Новая дата будет объявлена позже.',
    fileSlugs: none,
  }, now - 20 * DAY);
  if (withdrawn.ok) {
    await publishEditorialItem(db, editor, { id: withdrawn.id, version: 1 }, now - 20 * DAY);
    await withdrawEditorialItem(db, editor, { id: withdrawn.id, version: 2, reason: 'Дата перенесена ещё раз; анонс заменит новый материал.' }, now - 15 * DAY);
  }
}
