import { LIST_FIELDS, type FormValues } from '~/lib/editorial/frontmatter.ts';

/** What an editorial form posted, as form values (lists for checkbox groups), to put back in the form. */
export async function submittedEditorialForm(request: Request): Promise<FormValues | undefined> {
  if (request.method !== 'POST') return undefined;
  try {
    const data = await request.clone().formData();
    const values: FormValues = {};
    for (const name of new Set(data.keys())) {
      const all = data.getAll(name).filter((entry): entry is string => typeof entry === 'string');
      values[name] = LIST_FIELDS.has(name) && ['topics', 'regions', 'towns'].includes(name) ? all : (all[0] ?? '');
    }
    if (!data.has('featured')) values.featured = '';
    return values;
  } catch {
    return undefined;
  }
}
