import type { Kysely } from 'kysely';
import { recordAudit } from '~/server/audit/audit.ts';
import type { Database } from '~/server/db/schema.ts';
import type { Auth } from './lucia.ts';

/** Who signs out, from which session and address. */
export interface SignOut {
  userId: string;
  sessionId: string;
  clientAddress: string;
}

/** Ends one session (signing out on this device) and records it. */
export async function signOut(db: Kysely<Database>, auth: Auth, request: SignOut): Promise<void> {
  await auth.invalidateSession(request.sessionId);
  await recordAudit(db, { actorId: request.userId, action: 'sign_out.this_device', target: { type: 'user', id: request.userId }, clientAddress: request.clientAddress });
}

/** Ends every session of the account (signing out everywhere) and records it. */
export async function signOutEverywhere(db: Kysely<Database>, auth: Auth, request: Omit<SignOut, 'sessionId'>): Promise<void> {
  await auth.invalidateUserSessions(request.userId);
  await recordAudit(db, { actorId: request.userId, action: 'sign_out.everywhere', target: { type: 'user', id: request.userId }, clientAddress: request.clientAddress });
}
