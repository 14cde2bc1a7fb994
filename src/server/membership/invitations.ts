import type { Kysely } from 'kysely';
import type { Cookie } from 'lucia';
import type { Language } from '~/i18n/index.ts';
import { mailTokenLink, TOKEN_LIFETIME_SECONDS, useToken, type TokenProblem } from '~/server/accounts/tokens.ts';
import { findUserByEmail, insertUser, normalizeEmail } from '~/server/accounts/users.ts';
import { recordAudit } from '~/server/audit/audit.ts';
import type { Auth } from '~/server/auth/lucia.ts';
import { hashPassword, passwordProblem, type PasswordProblem } from '~/server/auth/password.ts';
import { startSession } from '~/server/auth/session.ts';
import type { Database, Role } from '~/server/db/schema.ts';
import type { Mailer } from '~/server/mail/mailer.ts';

/**
 * What an invitation grants when accepted: an account in a town (member or town
 * administrator), or in a partner organisation (role `partner`, `partnerId` set).
 */
interface InvitationGrant {
  role: Extract<Role, 'member' | 'town_admin' | 'partner'>;
  townId: number | null;
  partnerId?: number | null;
  name: string;
  language: Language;
}

/** The organisation's name an invitation mail names, in the invitation's language. */
async function organisationName(db: Kysely<Database>, grant: InvitationGrant): Promise<string> {
  if (grant.townId !== null) {
    const town = await db.selectFrom('towns').select(['name_kk', 'name_ru', 'name_en']).where('id', '=', grant.townId).executeTakeFirstOrThrow();
    return town[`name_${grant.language}`];
  }
  const partner = await db.selectFrom('partners').select('name').where('id', '=', grant.partnerId ?? -1).executeTakeFirstOrThrow();
  return partner.name;
}

/**
 * Invites someone by email to join a town with a role. Refused when the address
 * already has an account. The link is single-use and lives 7 days.
 */
export async function sendInvitation(
  db: Kysely<Database>,
  mailer: Mailer,
  invitation: InvitationGrant & { email: string; invitedBy: string | null; baseUrl: string; clientAddress: string | null },
): Promise<'sent' | 'emailHasAccount'> {
  const email = normalizeEmail(invitation.email);
  if (await findUserByEmail(db, email)) return 'emailHasAccount';
  const grant: InvitationGrant = { role: invitation.role, townId: invitation.townId, ...(invitation.partnerId ? { partnerId: invitation.partnerId } : {}), name: invitation.name, language: invitation.language };
  const organisation = await organisationName(db, grant);
  await mailTokenLink(db, mailer, 'invitation', { email, userId: null, data: { ...grant } }, {
    message: 'invitation',
    language: invitation.language,
    baseUrl: invitation.baseUrl,
    path: 'invitation/',
    params: { name: invitation.name, town: organisation, days: TOKEN_LIFETIME_SECONDS.invitation / 86400 },
  });
  await recordAudit(db, {
    actorId: invitation.invitedBy,
    action: 'invitation.sent',
    target: { type: 'email', id: email },
    clientAddress: invitation.clientAddress,
    details: { role: invitation.role, townId: invitation.townId, ...(invitation.partnerId ? { partnerId: invitation.partnerId } : {}) },
  });
  return 'sent';
}

/**
 * Accepts an invitation: creates the account with the invited role and town, and
 * signs the new member in. The token is used up in the same transaction.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  auth: Auth,
  request: { token: string; displayName: string; password: string; clientAddress: string },
): Promise<{ ok: true; cookie: Cookie; language: Language } | { ok: false; problem: TokenProblem | PasswordProblem | 'emailHasAccount' }> {
  const problem = passwordProblem(request.password);
  if (problem) return { ok: false, problem };
  const passwordHash = await hashPassword(request.password);
  const outcome = await db.transaction().execute(async (trx) => {
    const used = await useToken(trx, 'invitation', request.token);
    if (!used.ok) return used;
    if (await findUserByEmail(trx, used.token.email)) return { ok: false, problem: 'emailHasAccount' } as const;
    const grant = used.token.data as unknown as InvitationGrant;
    const userId = await insertUser(trx, {
      email: used.token.email,
      passwordHash,
      displayName: request.displayName,
      role: grant.role,
      townId: grant.townId,
      partnerId: grant.partnerId ?? null,
      language: grant.language,
    });
    return { ok: true, userId, language: grant.language } as const;
  });
  if (!outcome.ok) return outcome;
  await recordAudit(db, { actorId: outcome.userId, action: 'invitation.accepted', target: { type: 'user', id: outcome.userId }, clientAddress: request.clientAddress });
  return { ok: true, cookie: await startSession(auth, outcome.userId), language: outcome.language };
}
