import type { Kysely } from 'kysely';
import type { MessageKey } from '~/i18n/index.ts';
import type { Database } from '~/server/db/schema.ts';
import { NOTIFICATION_KINDS, type NotificationKind } from './kinds.ts';

/** How a kind of notification reaches a member by email. */
export const DELIVERIES = ['immediate', 'daily', 'weekly', 'never'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** The deliveries that wait for a digest. */
export type DigestCadence = Extract<Delivery, 'daily' | 'weekly'>;
export const DIGEST_CADENCES: readonly DigestCadence[] = ['daily', 'weekly'];

/** What a member who never chose gets: every kind at once, as before digests existed. */
export const DEFAULT_DELIVERY: Delivery = 'immediate';

/** How each delivery is named on the settings page. */
export const DELIVERY_LABELS: Record<Delivery, MessageKey> = {
  immediate: 'digests.delivery.immediate',
  daily: 'digests.delivery.daily',
  weekly: 'digests.delivery.weekly',
  never: 'digests.delivery.never',
};

/** Kinds a member may choose for: all but security notices, which always come at once. */
export const CHOOSABLE_KINDS = (Object.keys(NOTIFICATION_KINDS) as NotificationKind[]).filter(
  (kind): kind is Exclude<NotificationKind, `security.${string}`> => !NOTIFICATION_KINDS[kind].alwaysEmail,
);

type AreaOf<Kind> = Kind extends `${infer Area}.${string}` ? Area : never;

/** The part of the portal a choosable kind belongs to (its prefix), for grouping choices on the page. */
export type KindArea = AreaOf<(typeof CHOOSABLE_KINDS)[number]>;

export function kindArea(kind: NotificationKind): KindArea {
  return kind.slice(0, kind.indexOf('.')) as KindArea;
}

/** How one member receives a kind: security notices always at once; otherwise their choice, or the default. */
export async function deliveryOf(db: Kysely<Database>, userId: string, kind: NotificationKind): Promise<Delivery> {
  if (NOTIFICATION_KINDS[kind].alwaysEmail) return 'immediate';
  const row = await db.selectFrom('notification_preferences').select('delivery').where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst();
  return row?.delivery ?? DEFAULT_DELIVERY;
}

/** Every choosable kind with the member's delivery for it, in the order of NOTIFICATION_KINDS. */
export async function deliveryChoices(db: Kysely<Database>, userId: string): Promise<Array<{ kind: NotificationKind; delivery: Delivery }>> {
  const rows = await db.selectFrom('notification_preferences').select(['kind', 'delivery']).where('user_id', '=', userId).execute();
  const chosen = new Map(rows.map((row) => [row.kind, row.delivery]));
  return CHOOSABLE_KINDS.map((kind) => ({ kind, delivery: chosen.get(kind) ?? DEFAULT_DELIVERY }));
}

/**
 * Records a member's choices (kinds not given keep theirs; security notices are not
 * choosable and are skipped). Notifications already waiting for a digest follow the
 * new choice: to the other digest, or dropped for "never"; for "immediately" they stay
 * in the digest they wait for, so nothing already announced is lost or mailed twice.
 */
export async function saveDeliveryChoices(db: Kysely<Database>, userId: string, choices: Partial<Record<NotificationKind, Delivery>>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const kind of CHOOSABLE_KINDS) {
      const delivery = choices[kind];
      if (delivery === undefined) continue;
      await trx
        .insertInto('notification_preferences')
        .values({ user_id: userId, kind, delivery })
        .onConflict((conflict) => conflict.columns(['user_id', 'kind']).doUpdateSet({ delivery }))
        .execute();
      if (delivery === 'immediate') continue;
      await trx
        .updateTable('notifications')
        .set({ digest: delivery === 'never' ? null : delivery })
        .where('user_id', '=', userId)
        .where('kind', '=', kind)
        .where('digest', 'is not', null)
        .where('digested_at', 'is', null)
        .execute();
    }
  });
}

/** How the settings page names each part of the portal that notifies (see `kindArea`). */
export const AREA_LABELS: Record<KindArea, MessageKey> = {
  exchange: 'exchange.title',
  groups: 'groups.title',
  cases: 'nav.cases',
  membership: 'nav.membership',
  positions: 'positions.title',
  partners: 'partners.nav',
  dialogue: 'dialogue.title',
};
