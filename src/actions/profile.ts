import { ActionError } from 'astro:actions';
import { defineAction } from './define.ts';
import { z } from 'astro:schema';
import { canEditOwnProfile } from '~/server/accounts/profile-rules.ts';
import { SPOKEN_LANGUAGES, updateOwnProfile } from '~/server/accounts/profiles.ts';
import { db } from '~/server/db/index.ts';
import { cleanText, optionalText, topics } from './fields.ts';

// Error messages are i18n keys; pages translate them (see src/lib/forms.ts).

/** No carriage return or line feed: names and positions are one line. */
const ONE_LINE = /^[^\r\n]*$/;

/**
 * A member's own profile. Only the fields below are read: anything else posted with
 * the form (role, town_id, email…) is dropped by the zod object, and the server
 * function has no way to write those columns anyway.
 */
export const profileActions = {
  update: defineAction({
    accept: 'form',
    input: z.object({
      // Line breaks are checked before trimming, so a trailing one is refused too.
      displayName: cleanText()
        .regex(ONE_LINE, 'profile.noLineBreaks')
        .trim()
        .min(1, 'form.required')
        .max(100, 'form.tooLong'),
      // An empty text field arrives as undefined (the outer optional), not as ''.
      position: cleanText().regex(ONE_LINE, 'profile.noLineBreaks').max(100, 'form.tooLong').optional(),
      languages: z
        .array(z.enum(SPOKEN_LANGUAGES, { errorMap: () => ({ message: 'profile.unknownLanguage' }) }))
        .max(SPOKEN_LANGUAGES.length, 'form.tooLong')
        .default([]),
      topics: topics('profile.unknownTopic'),
      keywords: cleanText().max(300, 'form.tooLong').optional(),
      // Browsers send line breaks in a textarea as CRLF but count them as one character
      // for maxlength; count them as one here too.
      bio: optionalText(2000),
      contactable: z.boolean().default(false),
    }),
    handler: async (input, context) => {
      const { user } = context.locals;
      if (!canEditOwnProfile(user)) throw new ActionError({ code: 'UNAUTHORIZED', message: 'auth.signInRequired' });
      await updateOwnProfile(db(), user.id, {
        displayName: input.displayName,
        position: input.position,
        languagesSpoken: input.languages,
        expertiseTopics: input.topics,
        expertiseKeywords: input.keywords,
        bio: input.bio,
        contactable: input.contactable,
      });
      return { saved: true };
    },
  }),
};
