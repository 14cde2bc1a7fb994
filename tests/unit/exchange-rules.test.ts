import { describe, expect, it } from 'vitest';
import type { CurrentUser } from '~/server/auth/lucia.ts';
import type { Role } from '~/server/db/schema.ts';
import { RESPONSE_EDIT_WINDOW_SECONDS } from '~/lib/exchange/catalogue.ts';
import {
  canAcceptResponses,
  canEditRequest,
  canEditResponse,
  canInviteToRequest,
  canModerate,
  canPostRequest,
  canResolveRequest,
  canRespond,
  canStartCase,
  canUseExchange,
  canViewRequest,
  canViewResponse,
  canWithdrawRequest,
  canWithdrawResponse,
  isRequestingTown,
  type RequestFacts,
  type ResponseFacts,
} from '~/server/exchange/rules.ts';

/** The requesting town. */
const TOWN = 1;
const OTHER_TOWN = 2;

function account(id: string, role: Role, townId: number | null, disabled = false): CurrentUser {
  const town = townId === null ? null : { id: townId, slug: `town-${townId}`, name: { kk: 'T', ru: 'T', en: 'T' } };
  return { id, email: `${id}@x`, displayName: id, role, language: 'en', disabled, town };
}

const Y = true;
const N = false;

/**
 * Who asks, as seen from one request: its author (a member of the requesting town), the
 * same author with the account disabled, another member and the administrator of the
 * requesting town, a member of another town, and the site's editor and administrator.
 */
type Who = 'public' | 'disabled author' | 'author' | 'town member' | 'town admin' | 'other town' | 'editor' | 'admin';
const WHO: Who[] = ['public', 'disabled author', 'author', 'town member', 'town admin', 'other town', 'editor', 'admin'];
const USERS: Record<Who, CurrentUser | null> = {
  public: null,
  'disabled author': account('author', 'member', TOWN, true),
  author: account('author', 'member', TOWN),
  'town member': account('colleague', 'member', TOWN),
  'town admin': account('town-admin', 'town_admin', TOWN),
  'other town': account('neighbour', 'member', OTHER_TOWN),
  editor: account('editor', 'editor', null),
  admin: account('admin', 'admin', null),
};

describe('who may use the exchange at all (rules table)', () => {
  // Columns: use the exchange, moderate, post a request.
  const EXPECTED: Record<Who, boolean[]> = {
    public: [N, N, N],
    'disabled author': [N, N, N],
    author: [Y, N, Y],
    'town member': [Y, N, Y],
    'town admin': [Y, N, Y],
    'other town': [Y, N, Y],
    editor: [Y, Y, N],
    admin: [Y, Y, N],
  };

  it('each kind of account × use, moderate, post', () => {
    const actual = Object.fromEntries(WHO.map((who) => [who, [canUseExchange(USERS[who]), canModerate(USERS[who]), canPostRequest(USERS[who])]]));
    expect(actual).toEqual(EXPECTED);
  });
});

describe('who may do what with a request (rules table)', () => {
  type Act = 'view' | 'edit' | 'accept' | 'resolve' | 'withdraw' | 'start case' | 'respond' | 'invite' | 'requesting town';
  const ACTS: Record<Act, (user: CurrentUser | null, request: RequestFacts) => boolean> = {
    view: canViewRequest,
    edit: canEditRequest,
    accept: canAcceptResponses,
    resolve: canResolveRequest,
    withdraw: canWithdrawRequest,
    'start case': canStartCase,
    respond: canRespond,
    invite: canInviteToRequest,
    'requesting town': isRequestingTown,
  };

  type State = 'draft' | 'open' | 'in progress' | 'resolved' | 'withdrawn' | 'hidden open';
  const request = (status: RequestFacts['status'], hidden = false): RequestFacts => ({ townId: TOWN, authorId: 'author', status, hidden });
  const FACTS: Record<State, RequestFacts> = {
    draft: request('draft'),
    open: request('open'),
    'in progress': request('in_progress'),
    resolved: request('resolved'),
    withdrawn: request('withdrawn'),
    'hidden open': request('open', true),
  };

  // Rows: public, disabled author, author, town member, town admin, other town, editor, admin.
  // Columns: view, edit, accept responses, resolve, withdraw, start a case, respond, invite, is the requesting town.
  const NOBODY = [N, N, N, N, N, N, N, N, N];
  const OPEN = [
    NOBODY,
    NOBODY,
    [Y, Y, Y, Y, Y, N, N, Y, Y],
    [Y, Y, Y, Y, N, N, N, Y, Y],
    [Y, Y, Y, Y, N, N, N, Y, Y],
    [Y, N, N, N, N, N, Y, Y, N],
    [Y, N, N, N, N, N, N, Y, N],
    [Y, N, N, N, N, N, N, Y, N],
  ];
  const EXPECTED: Record<State, boolean[][]> = {
    draft: [
      NOBODY,
      NOBODY,
      [Y, Y, N, N, Y, N, N, N, Y],
      [Y, Y, N, N, N, N, N, N, Y],
      [Y, Y, N, N, N, N, N, N, Y],
      NOBODY,
      NOBODY,
      NOBODY,
    ],
    open: OPEN,
    'in progress': OPEN,
    resolved: [
      NOBODY,
      NOBODY,
      [Y, N, N, N, N, Y, N, N, Y],
      [Y, N, N, N, N, Y, N, N, Y],
      [Y, N, N, N, N, Y, N, N, Y],
      [Y, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, N, N],
    ],
    withdrawn: [
      NOBODY,
      NOBODY,
      [Y, N, N, N, N, N, N, N, Y],
      [Y, N, N, N, N, N, N, N, Y],
      [Y, N, N, N, N, N, N, N, Y],
      NOBODY,
      [Y, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, N, N],
    ],
    // Hidden by an editor: gone for everyone but its author and the editors, and nobody
    // answers it; the town may still edit and the author withdraw (the pages ask view first).
    'hidden open': [
      NOBODY,
      NOBODY,
      [Y, Y, N, N, Y, N, N, N, Y],
      [N, Y, N, N, N, N, N, N, Y],
      [N, Y, N, N, N, N, N, N, Y],
      NOBODY,
      [Y, N, N, N, N, N, N, N, N],
      [Y, N, N, N, N, N, N, N, N],
    ],
  };

  it.each(Object.keys(FACTS) as State[])('%s request: each kind of account × view, edit, accept, resolve, withdraw, start case, respond, invite, requesting town', (state) => {
    const acts = Object.values(ACTS);
    const actual = WHO.map((who) => acts.map((act) => act(USERS[who], FACTS[state])));
    expect(actual).toEqual(EXPECTED[state]);
  });
});

describe('who may do what with a response (rules table)', () => {
  /** The response's author is the member of another town; the request's author is one more member. */
  type Responder = 'public' | 'disabled responder' | 'responder' | 'request author' | 'town admin' | 'editor' | 'admin';
  const RESPONDERS: Responder[] = ['public', 'disabled responder', 'responder', 'request author', 'town admin', 'editor', 'admin'];
  const ACCOUNTS: Record<Responder, CurrentUser | null> = {
    public: null,
    'disabled responder': account('neighbour', 'member', OTHER_TOWN, true),
    responder: USERS['other town'],
    'request author': USERS.author,
    'town admin': USERS['town admin'],
    editor: USERS.editor,
    admin: USERS.admin,
  };

  const POSTED = 1_800_000_000;
  type Act = 'view' | 'edit' | 'edit after the window' | 'withdraw';
  const ACTS: Record<Act, (user: CurrentUser | null, response: ResponseFacts) => boolean> = {
    view: canViewResponse,
    edit: (user, response) => canEditResponse(user, response, POSTED + RESPONSE_EDIT_WINDOW_SECONDS),
    'edit after the window': (user, response) => canEditResponse(user, response, POSTED + RESPONSE_EDIT_WINDOW_SECONDS + 1),
    withdraw: canWithdrawResponse,
  };

  type State = 'posted' | 'accepted' | 'withdrawn' | 'hidden';
  const response = (state: Partial<ResponseFacts>): ResponseFacts => ({ authorId: 'neighbour', createdAt: POSTED, accepted: false, withdrawn: false, hidden: false, ...state });
  const FACTS: Record<State, ResponseFacts> = {
    posted: response({}),
    accepted: response({ accepted: true }),
    withdrawn: response({ withdrawn: true }),
    hidden: response({ hidden: true }),
  };

  const NOBODY = [N, N, N, N];
  const SEEN = [Y, N, N, N];
  // Rows: public, disabled responder, responder, request author, town admin, editor, admin.
  // Columns: view, edit (within the window), edit after the window, withdraw.
  const EXPECTED: Record<State, boolean[][]> = {
    posted: [NOBODY, NOBODY, [Y, Y, N, Y], SEEN, SEEN, SEEN, SEEN],
    accepted: [NOBODY, NOBODY, SEEN, SEEN, SEEN, SEEN, SEEN],
    withdrawn: [NOBODY, NOBODY, SEEN, SEEN, SEEN, SEEN, SEEN],
    hidden: [NOBODY, NOBODY, [Y, N, N, Y], NOBODY, NOBODY, SEEN, SEEN],
  };

  it.each(Object.keys(FACTS) as State[])('%s response: each kind of account × view, edit, edit late, withdraw', (state) => {
    const acts = Object.values(ACTS);
    const actual = RESPONDERS.map((who) => acts.map((act) => act(ACCOUNTS[who], FACTS[state])));
    expect(actual).toEqual(EXPECTED[state]);
  });
});
