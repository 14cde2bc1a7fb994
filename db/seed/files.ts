import type { Kysely } from 'kysely';
import type { Database } from '~/server/db/schema.ts';
import { addDocument } from '~/server/files/library.ts';

// Demo documents in the "Utilities renewal" group's library, so the library is not empty
// on first look. Plain text and CSV (built here, no binary fixtures); illustrative figures.

const CHECKLIST = `Тендер на поставку и монтаж общедомовых приборов учёта тепла — что проверить (пример)

1. Техническое задание: класс точности, диаметры, температурный диапазон, интерфейс передачи данных.
2. Требование к поверке: свидетельство о поверке на каждый прибор, межповерочный интервал не меньше 4 лет.
3. Гарантия: не меньше 3 лет на приборы и 2 лет на монтаж.
4. Сроки: монтаж вне отопительного сезона (май — август).
5. Приёмка: акт допуска узла учёта с участием теплоснабжающей организации.
`;

const TARIFFS = `город;тариф на тепло, тенге за Гкал (иллюстрация);год
Темиртау;6120;2026
Риддер;5480;2026
Экибастуз;3950;2026
Рудный;5210;2026
`;

const text = (value: string) => new Uint8Array(Buffer.from(value, 'utf8'));

/** Two illustrative documents in the utilities group's library, added by its lead. */
export async function seedFiles(db: Kysely<Database>, now: number): Promise<void> {
  const group = await db.selectFrom('groups').select('id').where('slug', '=', 'utilities-renewal').executeTakeFirst();
  const lead = await db.selectFrom('users').select(['id', 'town_id']).where('email', '=', 'temirtau-admin@example.org').executeTakeFirst();
  if (!group || !lead) return;
  const author = { id: lead.id, townId: lead.town_id };
  await addDocument(db, { groupId: group.id, title: 'Тендер на приборы учёта тепла: чек-лист', description: 'Что проверить в техническом задании и договоре. Пример, составленный для демонстрации.', file: { name: 'Чек-лист тендера.txt', mediaType: 'text/plain', bytes: text(CHECKLIST) }, author }, now - 3 * 86_400);
  await addDocument(db, { groupId: group.id, title: 'Тарифы на тепло в городах группы', description: 'Иллюстративные цифры для сравнения, не официальные данные.', file: { name: 'Тарифы 2026.csv', mediaType: 'text/csv', bytes: text(TARIFFS) }, author }, now - 86_400);
}
