import type { Language } from '~/i18n/index.ts';
import type { PositionStanceValue, PositionStatus } from '~/server/db/schema.ts';

export type { PositionStanceValue, PositionStatus };

/** The four stances a town may take, in the order forms and tallies list them. */
export const STANCES = ['support', 'support_with_changes', 'oppose', 'abstain'] as const satisfies readonly PositionStanceValue[];

/** At most this many sections in a position (the form offers this many slots). */
export const MAX_SECTIONS = 8;

/** One section of a position: a heading and markdown. */
export interface PositionSection {
  heading: string;
  body: string;
}

/** The text of one version. */
export interface PositionText {
  lang: Language;
  title: string;
  summary: string;
  sections: PositionSection[];
}

/** One kept version of a position's text. */
export interface PositionVersion extends PositionText {
  version: number;
  changeNote: string | null;
  createdAt: number;
}

/** A position and where it stands, with its current text. */
export interface Position {
  id: number;
  slug: string;
  status: PositionStatus;
  topics: string[];
  currentVersion: number;
  openedAt: number | null;
  closesAt: number | null;
  adoptedAt: number | null;
  adoptedVersion: number | null;
  createdAt: number;
  updatedAt: number;
  /** The current version's text. */
  text: PositionText;
}

/** Whether a position's consultation takes comments and stances at `now`. */
export function isConsultationOpen(position: Pick<Position, 'status' | 'closesAt'>, now: number): boolean {
  return position.status === 'consultation' && position.closesAt !== null && now < position.closesAt;
}

/** Whether the public reads a position: in consultation (open or closed) or adopted. */
export function isPublicPosition(position: Pick<Position, 'status'>): boolean {
  return position.status === 'consultation' || position.status === 'adopted';
}

/** Why a step on a position did not happen. */
export type PositionProblem = 'notFound' | 'forbidden' | 'closed' | 'wrongState' | 'stale' | 'badSection';

/** A step's outcome: done (with what it made), or refused with a reason. */
export type PositionOutcome<T = object> = ({ ok: true } & T) | { ok: false; problem: PositionProblem };
