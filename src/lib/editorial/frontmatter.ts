import type { z } from 'astro/zod';
import { eventSchema, newsSchema, pageSchema, programmeSchema, resourceSchema } from '~/schemas/items.ts';
import { ASSOCIATION_TIME_ZONE } from '~/lib/time-zone.ts';
import { isoToZonedLocal, zonedLocalToIso } from './zoned-time.ts';

/**
 * The editorial form ⇄ a content file's frontmatter. The portal stores what a file would
 * hold (frontmatter as JSON, dates as the strings a file writes) and validates it with the
 * very schema the build uses (src/schemas/items.ts), so a field a file needs is a field the
 * form needs, refused with the same message.
 */

/**
 * The collections the association writes in the portal (member cases have their own
 * workflow): the knowledge centre's four, and its own pages (about, privacy, …), which
 * are started from their content file ("Edit in portal") and shown instead of it.
 */
export const EDITORIAL_COLLECTIONS = ['resources', 'news', 'events', 'programmes', 'pages'] as const;
export type EditorialCollection = (typeof EDITORIAL_COLLECTIONS)[number];

/** The knowledge centre's collections among them: items listed, filtered, fed and found by section. */
export const KNOWLEDGE_EDITORIAL_COLLECTIONS = ['resources', 'news', 'events', 'programmes'] as const satisfies readonly EditorialCollection[];
export type KnowledgeEditorialCollection = (typeof KNOWLEDGE_EDITORIAL_COLLECTIONS)[number];

export function isKnowledgeEditorialCollection(value: unknown): value is KnowledgeEditorialCollection {
  return typeof value === 'string' && (KNOWLEDGE_EDITORIAL_COLLECTIONS as readonly string[]).includes(value);
}

export function isEditorialCollection(value: unknown): value is EditorialCollection {
  return typeof value === 'string' && (EDITORIAL_COLLECTIONS as readonly string[]).includes(value);
}

/** The build's schema of each collection. */
export const EDITORIAL_SCHEMAS: Record<EditorialCollection, z.ZodTypeAny> = {
  resources: resourceSchema,
  news: newsSchema,
  events: eventSchema,
  programmes: programmeSchema,
  pages: pageSchema,
};

/** Frontmatter as a content file holds it (before the schema coerces dates). */
export type Frontmatter = Record<string, unknown>;

/** What a form posted: one string per field, a list for fields with several values. */
export type FormValues = Record<string, string | string[] | undefined>;

/** The form's fields of each collection, besides title, summary, date, topics, featured, related and the body. */
export const COLLECTION_FIELDS: Record<EditorialCollection, readonly string[]> = {
  resources: ['type', 'authors', 'programmes', 'regions', 'towns', 'fileUrl', 'fileLabel', 'fileFormat', 'fileSize'],
  news: [],
  events: ['format', 'start', 'end', 'place', 'online', 'onlineLater', 'region', 'registration', 'registrationUrl'],
  programmes: ['funder', 'eligibility', 'amountMin', 'amountMax', 'amountCurrency', 'deadline', 'link'],
  pages: ['description', 'updated'],
};

/** Fields whose form value is a list (checkboxes, or one entry per line). */
export const LIST_FIELDS = new Set(['topics', 'regions', 'towns', 'related', 'authors', 'programmes']);

const text = (values: FormValues, name: string): string => {
  const value = values[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
};

const list = (values: FormValues, name: string): string[] => {
  const value = values[name];
  const raw = Array.isArray(value) ? value : (value ?? '').split(/\r?\n|,/);
  return [...new Set(raw.map((entry) => entry.trim()).filter(Boolean))];
};

/** A number typed in a form, or the text itself so the schema refuses it as not a number. */
const amount = (raw: string): number | string => (/^\d+(\.\d+)?$/.test(raw.replace(/\s/g, '')) ? Number(raw.replace(/\s/g, '')) : raw);

/** Sets `key` only when there is a value (an optional field left empty is absent, as in a file). */
function put(target: Frontmatter, key: string, value: unknown): void {
  if (value === '' || value === undefined || (Array.isArray(value) && value.length === 0)) return;
  target[key] = value;
}

/** The frontmatter a form describes, shaped like a content file's (dates as the file writes them). */
export function frontmatterFromForm(collection: EditorialCollection, values: FormValues, timeZone = ASSOCIATION_TIME_ZONE): Frontmatter {
  const data: Frontmatter = {};
  // A page's file has only these three (src/schemas/items.ts pageSchema).
  if (collection === 'pages') {
    put(data, 'title', text(values, 'title'));
    put(data, 'description', text(values, 'description'));
    put(data, 'updated', text(values, 'updated'));
    return data;
  }
  put(data, 'title', text(values, 'title'));
  put(data, 'summary', text(values, 'summary'));
  put(data, 'date', text(values, 'date'));
  data.topics = list(values, 'topics');
  if (text(values, 'featured')) data.featured = true;
  put(data, 'related', list(values, 'related'));
  switch (collection) {
    case 'resources': {
      put(data, 'type', text(values, 'type'));
      data.authors = list(values, 'authors');
      put(data, 'programmes', list(values, 'programmes'));
      put(data, 'regions', list(values, 'regions'));
      put(data, 'towns', list(values, 'towns'));
      const file = { url: text(values, 'fileUrl'), label: text(values, 'fileLabel'), format: text(values, 'fileFormat'), size: text(values, 'fileSize') };
      if (file.url || file.label || file.format || file.size) {
        const entry: Frontmatter = {};
        put(entry, 'url', file.url);
        put(entry, 'label', file.label);
        put(entry, 'format', file.format);
        put(entry, 'size', file.size);
        data.file = entry;
      }
      break;
    }
    case 'events': {
      put(data, 'format', text(values, 'format'));
      const start = text(values, 'start');
      put(data, 'start', start ? (zonedLocalToIso(start, timeZone) ?? start) : '');
      const end = text(values, 'end');
      put(data, 'end', end ? (zonedLocalToIso(end, timeZone) ?? end) : '');
      put(data, 'place', text(values, 'place'));
      put(data, 'online', text(values, 'online') || (text(values, 'onlineLater') ? true : ''));
      put(data, 'region', text(values, 'region'));
      put(data, 'registration', text(values, 'registration'));
      put(data, 'registrationUrl', text(values, 'registrationUrl'));
      break;
    }
    case 'programmes': {
      put(data, 'funder', text(values, 'funder'));
      put(data, 'eligibility', text(values, 'eligibility'));
      const min = text(values, 'amountMin');
      const max = text(values, 'amountMax');
      if (min || max) {
        const money: Frontmatter = { currency: text(values, 'amountCurrency') || 'KZT' };
        put(money, 'min', min ? amount(min) : '');
        put(money, 'max', max ? amount(max) : '');
        data.amount = money;
      }
      put(data, 'deadline', text(values, 'deadline'));
      put(data, 'link', text(values, 'link'));
      break;
    }
    case 'news':
      break;
  }
  return data;
}

const dateOnly = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' ? value.slice(0, 10) : '');
const wallClock = (value: unknown, timeZone: string): string => {
  if (typeof value !== 'string' && !(value instanceof Date)) return '';
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? String(value) : isoToZonedLocal(instant, timeZone);
};

/** The form's values for stored frontmatter (to edit it, or to start a translation from the source). */
export function formFromFrontmatter(collection: EditorialCollection, data: Frontmatter, timeZone = ASSOCIATION_TIME_ZONE): FormValues {
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
  if (collection === 'pages') return { title: String(data.title ?? ''), description: String(data.description ?? ''), updated: dateOnly(data.updated) };
  const values: FormValues = {
    title: String(data.title ?? ''),
    summary: String(data.summary ?? ''),
    date: dateOnly(data.date),
    topics: strings(data.topics),
    featured: data.featured ? 'on' : '',
    related: strings(data.related).join('\n'),
  };
  if (collection === 'resources') {
    const file = (data.file ?? {}) as Record<string, unknown>;
    Object.assign(values, {
      type: String(data.type ?? ''),
      authors: strings(data.authors).join('\n'),
      programmes: strings(data.programmes).join('\n'),
      regions: strings(data.regions),
      towns: strings(data.towns),
      fileUrl: String(file.url ?? ''),
      fileLabel: String(file.label ?? ''),
      fileFormat: String(file.format ?? ''),
      fileSize: String(file.size ?? ''),
    });
  } else if (collection === 'events') {
    Object.assign(values, {
      format: String(data.format ?? ''),
      start: data.start ? wallClock(data.start, timeZone) : '',
      end: data.end ? wallClock(data.end, timeZone) : '',
      place: String(data.place ?? ''),
      online: typeof data.online === 'string' ? data.online : '',
      onlineLater: data.online === true ? 'on' : '',
      region: String(data.region ?? ''),
      registration: String(data.registration ?? ''),
      registrationUrl: String(data.registrationUrl ?? ''),
    });
  } else if (collection === 'programmes') {
    const money = (data.amount ?? {}) as Record<string, unknown>;
    Object.assign(values, {
      funder: String(data.funder ?? ''),
      eligibility: String(data.eligibility ?? ''),
      amountMin: money.min === undefined ? '' : String(money.min),
      amountMax: money.max === undefined ? '' : String(money.max),
      amountCurrency: String(money.currency ?? 'KZT'),
      deadline: dateOnly(data.deadline),
      link: String(data.link ?? ''),
    });
  }
  return values;
}

/** One thing the schema refused: the field (dotted path) and the schema's own message. */
export interface FrontmatterIssue {
  path: string;
  code: string;
  message: string;
  minimum?: number;
  maximum?: number;
}

/** Checks frontmatter with the build's schema: the parsed data, or what it refused (same paths, same messages). */
export function validateFrontmatter(collection: EditorialCollection, data: Frontmatter): { ok: true; data: Record<string, unknown> } | { ok: false; issues: FrontmatterIssue[] } {
  const parsed = EDITORIAL_SCHEMAS[collection].safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data as Record<string, unknown> };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      code: issue.code,
      message: issue.message,
      ...('minimum' in issue ? { minimum: Number(issue.minimum) } : {}),
      ...('maximum' in issue ? { maximum: Number(issue.maximum) } : {}),
    })),
  };
}

/** The form field an issue belongs to (`file.url` → `fileUrl`, `amount.min` → `amountMin`, `topics.0` → `topics`). */
export function fieldOfIssue(path: string): string {
  const [head, next] = path.split('.');
  if (head === 'file' && next) return `file${next[0]!.toUpperCase()}${next.slice(1)}`;
  if (head === 'amount') return next === 'max' ? 'amountMax' : next === 'currency' ? 'amountCurrency' : 'amountMin';
  return head ?? '';
}

/** A slug as content files are named: lowercase latin letters, digits and hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
