import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';
import { canAnswer, canApproveTopic, canChangeVisibility, canHidePost, canOpenTopic, canSetStatus, canUseDialogue, canViewTopic, startsPublic, type TopicFacts } from '~/server/dialogue/rules.ts';
import { canUseExchange } from '~/server/exchange/rules.ts';
import { canJoin, canPost, canReadThreads } from '~/server/groups/rules.ts';
import { canSeeUnpublished } from '~/server/indicators/rules.ts';
import { canUseDirectory } from '~/server/members/rules.ts';
import { canReviewApplications, colleagueOrganisation } from '~/server/membership/rules.ts';

/** The dialogue's rules and the partner boundary as tables of role × action. */

const TOWN = 1;
const OTHER_TOWN = 2;
const PARTNER = 10;

function user(role: Role, options: { town?: number; partner?: number; id?: string } = {}): CurrentUser {
  return {
    id: options.id ?? role, email: `${role}@example.org`, displayName: role, role, language: 'en', disabled: false,
    town: options.town ? { id: options.town, slug: 't', name: { kk: 't', ru: 't', en: 't' } } : null,
    partner: options.partner ? { id: options.partner, name: 'P' } : null,
  };
}

const PEOPLE = {
  visitor: null,
  member: user('member', { town: TOWN }),
  otherTownMember: user('member', { town: OTHER_TOWN, id: 'other-member' }),
  townAdmin: user('town_admin', { town: TOWN }),
  editor: user('editor'),
  admin: user('admin'),
  partner: user('partner', { partner: PARTNER }),
  otherPartner: user('partner', { partner: PARTNER + 1, id: 'other-partner' }),
  disabledMember: { ...user('member', { town: TOWN, id: 'disabled' }), disabled: true },
} satisfies Record<string, CurrentUser | null>;
type Person = keyof typeof PEOPLE;
const everyone = Object.keys(PEOPLE) as Person[];
const only = (...allowed: Person[]) => Object.fromEntries(everyone.map((person) => [person, allowed.includes(person)]));
const table = (rule: (who: CurrentUser | null) => boolean) => Object.fromEntries(everyone.map((person) => [person, rule(PEOPLE[person])]));

/** A topic opened by town 1 naming the partner, approved, members-only, open. */
const topic = (overrides: Partial<TopicFacts> = {}): TopicFacts => ({
  authorId: 'member', townId: TOWN, partnerId: null, approved: true, public: false, status: 'open', namedTownIds: [], namedPartnerIds: [PARTNER], ...overrides,
});

describe('the partner boundary: the peer spaces refuse partners', () => {
  it.each([
    ['the exchange', canUseExchange],
    ['the people directory', canUseDirectory],
    ['indicators not yet published', canSeeUnpublished],
  ] as const)('%s: members, town administrators, editors and administrators only', (_label, rule) => {
    expect(table(rule)).toEqual(only('member', 'otherTownMember', 'townAdmin', 'editor', 'admin'));
  });

  it("working groups: a partner neither joins, reads a group's threads nor posts, even if it were listed as a member", () => {
    const group = { visibility: 'open' as const, archived: false };
    expect(canJoin(group, { user: PEOPLE.partner, role: null })).toBe(false);
    expect(canJoin(group, { user: PEOPLE.member, role: null })).toBe(true);
    expect(canReadThreads(group, { user: PEOPLE.partner, role: 'member' })).toBe(false);
    expect(canPost(group, { user: PEOPLE.partner, role: 'member' })).toBe(false);
    expect(canPost(group, { user: PEOPLE.member, role: 'member' })).toBe(true);
  });

  it('partner applications are reviewed by editors and administrators; partners invite colleagues into their own organisation', () => {
    expect(table(canReviewApplications)).toEqual(only('editor', 'admin'));
    expect(Object.fromEntries(everyone.map((person) => [person, colleagueOrganisation(PEOPLE[person])?.kind ?? null]))).toEqual({
      visitor: null, member: null, otherTownMember: null, townAdmin: 'town', editor: null, admin: null, partner: 'partner', otherPartner: 'partner', disabledMember: null,
    });
  });
});

describe('the dialogue: role × action', () => {
  it('reading the members-only part: every active account of a role, partners included', () => {
    expect(table(canUseDialogue)).toEqual(only('member', 'otherTownMember', 'townAdmin', 'editor', 'admin', 'partner', 'otherPartner'));
  });

  it('opening a topic: towns, partners and the association', () => {
    expect(table(canOpenTopic)).toEqual(only('member', 'otherTownMember', 'townAdmin', 'editor', 'admin', 'partner', 'otherPartner'));
  });

  it('reading a topic: public ones everyone; members-only ones signed-in accounts; waiting ones their side and editors', () => {
    expect(table((who) => canViewTopic(who, topic({ public: true })))).toEqual(only(...everyone.filter((person) => person !== 'disabledMember'), 'disabledMember'));
    expect(table((who) => canViewTopic(who, topic()))).toEqual(only('member', 'otherTownMember', 'townAdmin', 'editor', 'admin', 'partner', 'otherPartner'));
    expect(table((who) => canViewTopic(who, topic({ approved: false, townId: null, partnerId: PARTNER, authorId: 'someone' })))).toEqual(only('editor', 'admin', 'partner'));
  });

  it('answering: the opening side, the named, the association; not others; nobody once it ended or before approval', () => {
    expect(table((who) => canAnswer(who, topic()))).toEqual(only('member', 'townAdmin', 'editor', 'admin', 'partner'));
    expect(table((who) => canAnswer(who, topic({ status: 'agreed' })))).toEqual(only());
    expect(table((who) => canAnswer(who, topic({ approved: false })))).toEqual(only());
  });

  it('moving the status on: the opening side (not closing), editors any', () => {
    expect(table((who) => canSetStatus(who, topic(), 'under_discussion'))).toEqual(only('member', 'townAdmin', 'editor', 'admin'));
    expect(table((who) => canSetStatus(who, topic(), 'closed'))).toEqual(only('editor', 'admin'));
    expect(table((who) => canSetStatus(who, topic({ status: 'agreed' }), 'declined'))).toEqual(only('editor', 'admin'));
  });

  it('moderating: approving, making public and hiding posts are editors’ and administrators’', () => {
    expect(table((who) => canApproveTopic(who, topic({ approved: false })))).toEqual(only('editor', 'admin'));
    expect(table((who) => canApproveTopic(who, topic()))).toEqual(only());
    expect(table((who) => canChangeVisibility(who, topic()))).toEqual(only('editor', 'admin'));
    expect(table(canHidePost)).toEqual(only('editor', 'admin'));
  });

  it("a partner's offer starts members-only even when it asks to be public; others choose", () => {
    expect(startsPublic(PEOPLE.partner, 'offer', true)).toBe(false);
    expect(startsPublic(PEOPLE.partner, 'question', true)).toBe(true);
    expect(startsPublic(PEOPLE.member, 'offer', true)).toBe(true);
    expect(startsPublic(PEOPLE.member, 'offer', false)).toBe(false);
  });
});
