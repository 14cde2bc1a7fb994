import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { caseSchema, eventSchema, newsSchema, pageSchema, programmeSchema, resourceSchema } from './schemas/items.ts';

/**
 * Association-authored content, one markdown file per language:
 * `content/<collection>/<lang>/<slug>.md`, so an entry's id is `<lang>/<slug>` and
 * the same slug in several language folders is one item in several languages.
 */
function markdownIn(folder: string) {
  return glob({ base: `./content/${folder}`, pattern: '{kk,ru,en}/*.md' });
}

export const collections = {
  pages: defineCollection({ loader: markdownIn('pages'), schema: pageSchema }),
  resources: defineCollection({ loader: markdownIn('resources'), schema: resourceSchema }),
  cases: defineCollection({ loader: markdownIn('cases'), schema: caseSchema }),
  news: defineCollection({ loader: markdownIn('news'), schema: newsSchema }),
  events: defineCollection({ loader: markdownIn('events'), schema: eventSchema }),
  programmes: defineCollection({ loader: markdownIn('programmes'), schema: programmeSchema }),
};
