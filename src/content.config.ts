import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

/**
 * The association's own pages (about, membership, …), one markdown file per
 * language: `content/pages/<lang>/<slug>.md`, so an entry's id is `<lang>/<slug>`.
 */
const pages = defineCollection({
  loader: glob({ base: './content/pages', pattern: '**/*.md' }),
  schema: z.object({
    title: z.string().min(1),
    description: z.string().min(1),
    updated: z.coerce.date(),
  }),
});

export const collections = { pages };
