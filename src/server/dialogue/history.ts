import { createTranslator, type Language, type MessageKey } from '~/i18n/index.ts';
import { isCommunityRule, ruleTitleKey } from '~/lib/community-rules.ts';
import { isDialogueStatus } from '~/lib/dialogue/catalogue.ts';

/** The history event kinds a topic records (dialogue_events.kind). */
const EVENT_KEYS: Record<string, MessageKey> = {
  opened: 'dialogue.history.opened',
  approved: 'dialogue.history.approved',
  status_changed: 'dialogue.history.status_changed',
  made_public: 'dialogue.history.made_public',
  made_members_only: 'dialogue.history.made_members_only',
  post_hidden: 'dialogue.history.post_hidden',
};

/**
 * One line of a topic's history in the viewer's language, from its stored kind and
 * parameters (as notifications are rendered: src/server/notifications/render.ts): a
 * status and a rule are ids, named here in the viewer's language. The outcome is the
 * writer's own text and is shown as written, beside the line.
 */
export function historyText(kind: string, paramsJson: string, lang: Language, actorName: string | null): string {
  const t = createTranslator(lang);
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(paramsJson) as Record<string, unknown>;
  } catch {
    // A damaged row still says what happened, without the details.
  }
  const key = EVENT_KEYS[kind];
  if (!key) return t('dialogue.history.unknown');
  return t(key, {
    name: actorName ?? t('dialogue.history.someone'),
    status: isDialogueStatus(params.status) ? t(`dialogue.status.${params.status}`) : '',
    rule: isCommunityRule(params.rule) ? t(ruleTitleKey(params.rule)) : '',
  });
}

/** The outcome an event carries, if any. */
export function historyOutcome(paramsJson: string): string | null {
  try {
    const params = JSON.parse(paramsJson) as Record<string, unknown>;
    return typeof params.outcome === 'string' ? params.outcome : null;
  } catch {
    return null;
  }
}
