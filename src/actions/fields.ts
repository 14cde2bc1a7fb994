import { z } from 'astro:schema';
import { isAccountId, parseId } from '~/lib/ids.ts';
import { KNOWN_TOPICS } from '~/schemas/taxonomy.ts';

// The zod fields every action form shares. Error messages are i18n keys; pages
// translate them (see src/lib/forms.ts). A field a form needs only once stays with it.

/**
 * Text with nothing but printable characters, tab and line breaks. NUL and the other
 * control characters (C0, DEL, C1) have no place in what people write and confuse what
 * reads it later (mail headers, logs, PostgreSQL, which refuses NUL); U+FFFD is what the
 * platform makes of bytes that were not valid UTF-8, and a lone surrogate cannot be stored.
 */
const CLEAN_TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\p{Cs}]*$/u;

/**
 * Any text, possibly empty, refused with `form.controlCharacters` when it holds a control
 * character (other than tab and line breaks) or text that was not valid UTF-8. Every text
 * field of every action starts here, so none of them lets such text be stored.
 */
export const cleanText = () => z.string({ required_error: 'form.required', invalid_type_error: 'form.required' }).regex(CLEAN_TEXT, 'form.controlCharacters');

/** A text that must be filled in; an absent or empty field says "required". */
export const required = cleanText().trim().min(1, 'form.required');

/**
 * One line of text between `min` and `max` characters, trimmed. Line breaks are checked
 * before trimming, so a trailing one is refused too: titles and names never carry line
 * breaks into emails, calendars or logs.
 */
export const oneLine = (max: number, min = 1) =>
  z
    .string({ required_error: 'form.required', invalid_type_error: 'form.required' })
    .refine((value) => !/[\r\n]/.test(value), 'form.noLineBreaks')
    // A tab is allowed in text of several lines only.
    .refine((value) => !value.includes('\t'), 'form.controlCharacters')
    .pipe(required.min(min, 'form.tooShort').max(max, 'form.tooLong'));

/**
 * A text of several lines between `min` and `max` characters, trimmed. Browsers send a
 * textarea's line breaks as CRLF but count them as one character; so do we.
 */
export const text = (max: number, min = 1) =>
  z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value), required.min(min, 'form.tooShort').max(max, 'form.tooLong'));

/** A text that must be filled in, kept exactly as typed (passwords, tokens): never trimmed. */
export const verbatim = (max: number) => cleanText().min(1, 'form.required').max(max, 'form.tooLong');

/** A text of several lines that may be left empty, at most `max` characters, line breaks counted as browsers count them. */
export const optionalText = (max: number) => z.preprocess((value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : value), cleanText().max(max, 'form.tooLong')).optional();

/** An email address as typed in a form. */
export const email = required.pipe(z.string().max(254, 'form.tooLong').email('signIn.emailFormat'));

/**
 * A record id posted by a form, by the one rule of src/lib/ids.ts. `message` is what a
 * missing or malformed id says (some forms answer "not found" rather than "invalid").
 */
export const id = (message = 'form.invalid') =>
  z.preprocess((value) => (typeof value === 'string' ? (parseId(value) ?? value) : value), z.number({ required_error: message, invalid_type_error: message }));

/** An account id, as lucia makes them. */
export const userId = (message = 'form.invalid') => z.string().refine(isAccountId, message);

/** One of a fixed list of values; anything else says `message`. */
export const choice = <T extends string>(values: readonly T[], message = 'form.invalid') => z.enum(values as [T, ...T[]], { errorMap: () => ({ message }) });

/** One topic of the taxonomy (KNOWN_TOPICS); an unknown one says `message`. */
export const topic = (message: string) => z.string().refine((value) => KNOWN_TOPICS.has(value), message);

/** Any number of topics of the taxonomy, none when the form sends none. */
export const topics = (message: string) => z.array(topic(message)).max(KNOWN_TOPICS.size, 'form.tooLong').default([]);
