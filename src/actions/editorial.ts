import { ActionError, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro:schema';
import { LANGUAGES } from '~/i18n/index.ts';
import { COLLECTION_FIELDS, EDITORIAL_COLLECTIONS, frontmatterFromForm, isKnowledgeEditorialCollection, type FormValues } from '~/lib/editorial/frontmatter.ts';
import { zonedLocalToSeconds } from '~/lib/editorial/zoned-time.ts';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import { db } from '~/server/db/index.ts';
import { canUseEditorial, mayEditorial } from '~/server/editorial/rules.ts';
import { findEditorialItem } from '~/server/editorial/store.ts';
import { pageFileDocuments, pageFileTexts } from '~/server/editorial/page-files.ts';
import {
  createEditorialItem,
  createPageFromFiles,
  EDITORIAL_BODY_MAX,
  addEditorialFile,
  publishEditorialItem,
  saveEditorialText,
  scheduleEditorialItem,
  submitEditorialItem,
  withdrawEditorialItem,
  type EditorialOutcome,
} from '~/server/editorial/workflows.ts';
import { loadFileItems } from '~/server/knowledge/items.ts';
import { renderMarkdown } from '~/server/markdown.ts';
import { choice, cleanText, id as recordId, optionalText } from './fields.ts';
import { throttle } from './request.ts';
import { defineAction } from './define.ts';
import { chosenFiles, singleUpload } from './files.ts';

// Error messages are i18n keys; pages translate them (src/lib/forms.ts). What the build's
// schema refuses comes back as data (`invalid`), field by field, for the form to show.

const WRITES_PER_HOUR = { limit: 300, windowSeconds: 60 * 60 };

const id = recordId('editorial.problem.notFound');
const version = z.coerce.number({ invalid_type_error: 'editorial.problem.stale' }).int().min(1, 'editorial.problem.stale');
const list = z.array(cleanText().max(200, 'form.tooLong')).max(200, 'form.tooLong').default([]);
const SINGLE_FIELDS = ['title', 'summary', 'date', 'featured', 'related', ...new Set(Object.values(COLLECTION_FIELDS).flat())].filter(
  (field) => !['regions', 'towns'].includes(field),
);

/** Authors, editors and administrators, counted against the hour's writes; 401, 403 or 429 otherwise. */
async function editorialUser(context: ActionAPIContext): Promise<CurrentUser> {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
  if (!canUseEditorial(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'editorial.problem.forbidden' });
  await throttle(`editorial:write:${user.id}`, WRITES_PER_HOUR, 'editorial.problem.throttled');
  return user;
}

function problem(outcome: Extract<EditorialOutcome, { ok: false }>): never {
  const code = {
    notFound: 'NOT_FOUND',
    forbidden: 'FORBIDDEN',
    stale: 'CONFLICT',
    wrongState: 'CONFLICT',
    invalid: 'BAD_REQUEST',
    slugTaken: 'CONFLICT',
    badSlug: 'BAD_REQUEST',
    pastTime: 'BAD_REQUEST',
    pageFromFile: 'BAD_REQUEST',
  } as const;
  throw new ActionError({ code: code[outcome.problem], message: `editorial.problem.${outcome.problem}` });
}

/** The editorial workspace's writes. */
export const editorialActions = {
  /** Renders the body as it will be published, for the "Preview" button; stores nothing. */
  preview: defineAction({
    accept: 'form',
    input: z.object({ body: optionalText(EDITORIAL_BODY_MAX) }),
    handler: async (input, context) => {
      const user = context.locals.user;
      if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      if (!canUseEditorial(user)) throw new ActionError({ code: 'FORBIDDEN', message: 'editorial.problem.forbidden' });
      return { preview: renderMarkdown(input.body ?? '') };
    },
  }),

  /**
   * The item form's buttons: save, preview (nothing saved: the page renders the body as
   * published) or save and submit for review. Without `id`, saving creates the item.
   */
  save: defineAction({
    accept: 'form',
    input: z.object({
      id: id.optional(),
      version: version.optional(),
      intent: choice(['save', 'preview', 'submit'] as const).default('save'),
      collection: choice(EDITORIAL_COLLECTIONS, 'editorial.problem.collection'),
      lang: choice(LANGUAGES, 'form.invalid'),
      slug: optionalText(120),
      body: optionalText(EDITORIAL_BODY_MAX),
      topics: list,
      regions: list,
      towns: list,
      ...(Object.fromEntries(SINGLE_FIELDS.map((field) => [field, optionalText(5_000)])) as Record<string, ReturnType<typeof optionalText>>),
    }),
    handler: async (input, context) => {
      const user = await editorialUser(context);
      if (input.intent === 'preview') return { intent: 'preview' as const, id: input.id ?? null, issues: [] };
      const data = frontmatterFromForm(input.collection, input as unknown as FormValues);
      const body = (input.body ?? '').trim();
      const outcome =
        input.id === undefined
          ? await createEditorialItem(db(), user, {
              collection: input.collection,
              slug: (input.slug ?? '').trim(),
              lang: input.lang,
              data,
              body,
              fileSlugs: isKnowledgeEditorialCollection(input.collection) ? new Set((await loadFileItems(input.collection)).map((item) => item.slug)) : new Set(),
            })
          : await saveEditorialText(db(), user, { id: input.id, version: input.version ?? 0, lang: input.lang, data, body, submit: input.intent === 'submit' });
      if (!outcome.ok && outcome.problem === 'invalid') return { intent: input.intent, id: input.id ?? null, issues: outcome.issues ?? [] };
      if (!outcome.ok) problem(outcome);
      const itemId = 'id' in outcome ? outcome.id : input.id!;
      if (input.id === undefined && input.intent === 'submit') {
        const created = await submitEditorialItem(db(), user, { id: itemId, version: 1 });
        if (!created.ok) problem(created);
      }
      return { intent: input.intent, id: itemId, issues: [] };
    },
  }),

  /** A step on the version the user read: submit, publish, schedule (date and time in the association's zone) or withdraw (with a reason). */
  step: defineAction({
    accept: 'form',
    input: z.object({
      id,
      version,
      intent: choice(['submit', 'publish', 'schedule', 'withdraw'] as const),
      at: optionalText(40),
      reason: optionalText(1_000),
    }),
    handler: async (input, context) => {
      const user = await editorialUser(context);
      const target = { id: input.id, version: input.version };
      let outcome: EditorialOutcome;
      switch (input.intent) {
        case 'submit':
          outcome = await submitEditorialItem(db(), user, target);
          break;
        case 'publish':
          outcome = await publishEditorialItem(db(), user, target);
          break;
        case 'schedule': {
          const at = zonedLocalToSeconds(input.at ?? '');
          if (at === undefined) throw new ActionError({ code: 'BAD_REQUEST', message: 'editorial.problem.badTime' });
          outcome = await scheduleEditorialItem(db(), user, { ...target, at });
          break;
        }
        case 'withdraw':
          if ((input.reason ?? '').trim().length < 3) throw new ActionError({ code: 'BAD_REQUEST', message: 'editorial.problem.reason' });
          {
            // A page's file is found by search again once its portal version is withdrawn.
            const item = await findEditorialItem(db(), input.id);
            const fileDocuments = item?.collection === 'pages' ? await pageFileDocuments(item.slug) : [];
            outcome = await withdrawEditorialItem(db(), user, { ...target, reason: input.reason ?? '', fileDocuments });
          }
          break;
      }
      if (!outcome.ok) problem(outcome);
      return { intent: input.intent };
    },
  }),

  /**
   * "Edit in portal" on one of the association's pages: a draft portal item prefilled
   * from the page's file in every language (or the one already started). 404 for a page
   * that has no file.
   */
  editPage: defineAction({
    accept: 'form',
    input: z.object({ slug: z.string().trim().max(120) }),
    handler: async (input, context) => {
      const user = await editorialUser(context);
      const files = await pageFileTexts(input.slug);
      if (files.length === 0) throw new ActionError({ code: 'NOT_FOUND', message: 'editorial.problem.notFound' });
      const outcome = await createPageFromFiles(db(), user, { slug: input.slug, sourceLang: context.locals.lang, files });
      if (!outcome.ok) problem(outcome);
      return { id: outcome.id };
    },
  }),

  /**
   * A file to download (a toolkit, a template) added to an item by whoever may edit it:
   * checked by its content like every shared file (type and size, 400 with the reason).
   * Removing one is `files.remove`, under the same rules (src/server/files/rules.ts).
   */
  addFile: defineAction({
    accept: 'form',
    input: z.object({ id, file: singleUpload() }),
    handler: async (input, context) => {
      const user = await editorialUser(context);
      const item = await findEditorialItem(db(), input.id);
      if (!item) throw new ActionError({ code: 'NOT_FOUND', message: 'editorial.problem.notFound' });
      if (!mayEditorial(user, 'edit', item)) throw new ActionError({ code: 'FORBIDDEN', message: 'editorial.problem.forbidden' });
      const [file] = await chosenFiles([input.file], null, { field: 'file', required: true });
      const outcome = await addEditorialFile(db(), user, { id: item.id, file: file! });
      if (!outcome.ok) problem(outcome);
      return { fileId: outcome.fileId };
    },
  }),
};
