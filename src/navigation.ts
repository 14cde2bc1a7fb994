import type { Language, MessageKey } from './i18n/index.ts';
import type { Role } from './server/db/schema.ts';

/** An entry in the site's navigation. `path` is relative to the language root. */
export interface Section {
  label: MessageKey;
  path: string;
  /** Roles that see the entry (member links only); everyone signed in when absent. */
  roles?: readonly Role[];
  /** Other paths (relative to the language root) whose pages belong to this entry. */
  includes?: readonly string[];
}

/**
 * The public sections in the header, in order. Each capability adds its entry here
 * when its pages exist (Towns, Working groups …); nothing links to a page that does
 * not exist yet.
 */
export const PUBLIC_SECTIONS: readonly Section[] = [
  // Resources, cases and funding are reached through the knowledge centre's page, so the
  // header keeps to one row at 1280 px in all three languages.
  { label: 'nav.knowledge', path: 'knowledge/', includes: ['resources/', 'cases/', 'funding/'] },
  { label: 'nav.news', path: 'news/' },
  { label: 'nav.events', path: 'events/' },
  { label: 'groups.nav', path: 'groups/' },
  { label: 'dialogue.nav', path: 'dialogue/' },
  { label: 'nav.towns', path: 'towns/' },
  { label: 'positions.nav', path: 'positions/' },
  { label: 'nav.about', path: 'about/' },
];

/** The roles of the members' peer spaces (the exchange, groups, the people directory): every role but partner. */
export const PEER_ROLES: readonly Role[] = ['member', 'town_admin', 'editor', 'admin'];

/** Tools for signed-in users by role, listed on their account page. */
export const MEMBER_SECTIONS: readonly Section[] = [
  { label: 'nav.exchange', path: 'exchange/', roles: PEER_ROLES },
  { label: 'nav.profile', path: 'account/profile/' },
  { label: 'dialogue.nav', path: 'dialogue/' },
  { label: 'groups.mine', path: 'groups/', roles: PEER_ROLES },
  { label: 'members.nav', path: 'members/', roles: PEER_ROLES },
  { label: 'passwordChange.title', path: 'account/password/' },
  { label: 'nav.email', path: 'account/email/' },
  { label: 'nav.colleagues', path: 'account/colleagues/', roles: ['town_admin'] },
  { label: 'partners.colleagues.nav', path: 'account/colleagues/', roles: ['partner'] },
  { label: 'cases.nav.mine', path: 'account/cases/', roles: ['member', 'town_admin'] },
  { label: 'nav.applications', path: 'editor/applications/', roles: ['editor', 'admin'] },
  { label: 'partners.nav', path: 'editor/partners/', roles: ['editor', 'admin'] },
  { label: 'groups.editor.title', path: 'editor/groups/', roles: ['editor', 'admin'] },
  { label: 'cases.nav.queue', path: 'editor/cases/', roles: ['editor', 'admin'] },
  { label: 'positions.editor.title', path: 'editor/positions/', roles: ['editor', 'admin'] },
  { label: 'editorial.nav', path: 'editor/content/', roles: ['author', 'editor', 'admin'] },
  { label: 'nav.feedbackResults', path: 'editor/feedback/', roles: ['editor', 'admin'] },
  { label: 'nav.accounts', path: 'admin/accounts/', roles: ['admin'] },
  { label: 'nav.audit', path: 'admin/audit/', roles: ['admin'] },
  { label: 'nav.outbox', path: 'admin/outbox/', roles: ['admin'] },
  { label: 'operations.nav.jobs', path: 'admin/jobs/', roles: ['admin'] },
];

/** The member links a user of `role` sees. */
export function memberSectionsFor(role: Role): Section[] {
  return MEMBER_SECTIONS.filter((section) => !section.roles || section.roles.includes(role));
}

/** The URL of a section in a language. */
export function sectionHref(language: Language, section: Section): string {
  return `/${language}/${section.path}`;
}

/** Whether `pathname` is inside a section (home matches only itself). */
export function isCurrentSection(pathname: string, language: Language, section: Section): boolean {
  const href = sectionHref(language, section);
  const normalized = pathname.endsWith('/') ? pathname : `${pathname}/`;
  if (section.path === '') return normalized === href;
  return [href, ...(section.includes ?? []).map((path) => `/${language}/${path}`)].some((prefix) => normalized.startsWith(prefix));
}
