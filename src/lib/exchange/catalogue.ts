/* The exchange's vocabulary and limits: pure constants that the server, the actions, the
   forms and the list's query parser share. */

/** Request status: a draft is seen only by its town; withdrawn only by its town and editors. */
export const REQUEST_STATUSES = ['draft', 'open', 'in_progress', 'resolved', 'withdrawn'] as const;
/** Where a request for help stands. */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The forms of help a town can ask for, in the order the form lists them. */
export const HELP_FORMS = ['advice', 'call', 'expert_visit', 'study_visit', 'workshop'] as const;
/** One form of help. */
export type HelpForm = (typeof HELP_FORMS)[number];

/** How soon the town needs help. */
export const URGENCIES = ['low', 'normal', 'high'] as const;
/** One level of urgency. */
export type Urgency = (typeof URGENCIES)[number];

/**
 * Languages a request can be worked in: the spoken languages of members' profiles
 * (`SPOKEN_LANGUAGES` without "other"), matched against who speaks them. Not the
 * portal's `LANGUAGES`, though today they are the same three: a town could ask for
 * help in a language the portal's pages are not translated into.
 */
export const WORKING_LANGUAGES = ['kk', 'ru', 'en'] as const;
/** One working language. */
export type WorkingLanguage = (typeof WORKING_LANGUAGES)[number];

/** Requests on one page of the list. */
export const REQUESTS_PER_PAGE = 20;

/** A responder may edit their response for this long after posting it (and not once accepted). */
export const RESPONSE_EDIT_WINDOW_SECONDS = 24 * 60 * 60;

/** At most this many links per response. */
export const MAX_RESPONSE_LINKS = 5;
