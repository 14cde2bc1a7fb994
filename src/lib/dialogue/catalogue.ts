
/** The kinds of partner organisation, in the order the application form lists them. */
export const PARTNER_KINDS = ['company', 'business_association', 'investor', 'development_agency', 'government'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** What a dialogue topic is. */
export const DIALOGUE_KINDS = ['proposal', 'question', 'problem', 'offer'] as const;
export type DialogueKind = (typeof DIALOGUE_KINDS)[number];

/** A topic's statuses, in the order a dialogue moves through them. */
export const DIALOGUE_STATUSES = ['open', 'under_discussion', 'agreed', 'declined', 'closed'] as const;
export type DialogueStatus = (typeof DIALOGUE_STATUSES)[number];

/** Statuses that end a dialogue: setting one needs an outcome. */
export const ENDING_STATUSES: readonly DialogueStatus[] = ['agreed', 'declined', 'closed'];

export function isPartnerKind(value: unknown): value is PartnerKind {
  return typeof value === 'string' && (PARTNER_KINDS as readonly string[]).includes(value);
}

export function isDialogueKind(value: unknown): value is DialogueKind {
  return typeof value === 'string' && (DIALOGUE_KINDS as readonly string[]).includes(value);
}

export function isDialogueStatus(value: unknown): value is DialogueStatus {
  return typeof value === 'string' && (DIALOGUE_STATUSES as readonly string[]).includes(value);
}

/** Whether a status ends the dialogue (no more answers, an outcome is kept). */
export function isEnded(status: DialogueStatus): boolean {
  return ENDING_STATUSES.includes(status);
}

/** A JSON array of ids, as stored; anything else reads as none. */
export function parseIdList(json: string | null): string[] {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}
